"""What each role sees in the navigation bar and on its "My work" page (DSH-02).

Apps add entries in their AppConfig.ready(): `nav.add(NavItem(...))`,
`panels.add(WorkPanel(...))`. An entry is shown to a user only when its `visible(user)`
says so, so a user without a role sees nothing but their own inbox and profile.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

Predicate = Callable[[Any], bool]


def everyone(user) -> bool:
    return user.is_authenticated


def roles(*wanted) -> Predicate:
    def predicate(user) -> bool:
        return user.is_superuser or user.has_role(*wanted)

    return predicate


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    icon: str = "circle"
    order: int = 100
    visible: Predicate = everyone
    parent: str = ""  # the key of the item whose menu this one belongs to

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class WorkPanel:
    """A card on "My work". `context(request)` returns the template's context, or None to leave
    the card out (for a card that follows a relation rather than a role, such as a superior's)."""

    key: str
    title: str
    template: str
    context: Callable[[Any], dict] = field(default=lambda request: {})
    order: int = 100
    visible: Predicate = everyone
    wide: bool = False  # the whole width of the page (management's dashboard)


class Registry:
    def __init__(self):
        self._items: dict[str, Any] = {}

    def add(self, item) -> None:
        self._items[item.key] = item

    def for_user(self, user) -> list:
        if not user.is_authenticated:
            return []
        return sorted((item for item in self._items.values() if item.visible(user)), key=lambda item: item.order)


class NavRegistry(Registry):
    def tree_for(self, user) -> list[tuple[NavItem, list[NavItem]]]:
        """Top-level items with the children the user may see (a menu when there are any)."""
        items = self.for_user(user)
        keys = {item.key for item in items}
        return [
            (item, [child for child in items if child.parent == item.key])
            for item in items
            if not item.parent or item.parent not in keys
        ]


nav = NavRegistry()
panels = Registry()
