"""Compute the blocks a user sees for a scope: the one place the page, the landing page, the
Excel downloads and the API get their figures from."""

from dataclasses import dataclass

from .blocks import DashboardBlock, Presentation, Scope, blocks_for


@dataclass
class ComputedBlock:
    block: DashboardBlock
    figures: dict
    presentation: Presentation


def compute(block: DashboardBlock, scope: Scope) -> ComputedBlock:
    figures = block.figures(scope)
    return ComputedBlock(block, figures, block.present(figures, scope))


def compute_all(scope: Scope) -> list[ComputedBlock]:
    return [compute(block, scope) for block in blocks_for(scope.user)]


def figures_by_key(scope: Scope) -> dict:
    """The API's body: the period, then each visible block's figures under its key."""
    body = {"period": scope.period.code}
    for block in blocks_for(scope.user):
        body[block.key] = block.figures(scope)
    return body
