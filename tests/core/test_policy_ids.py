"""The policy's rule ids cannot drift: every id a test, the code or the README names is defined,
once, in docs/policy/ (the rules a newcomer traces a test to)."""

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "docs" / "policy"
PREFIXES = "ORG|CAL|CUS|SUR|SUP|TEN|EXP|CMP|JOB|DSH"
# "EXP-07" or the short form "CAL-01/02" (= CAL-01 and CAL-02).
MENTION = re.compile(rf"\b({PREFIXES})-(\d{{2}})((?:/\d{{2}})*)\b")
DEFINITION = re.compile(rf"^### (({PREFIXES})-\d{{2}}) ", re.MULTILINE)
SKIPPED = {".venv", "staticfiles", "node_modules", ".git", "migrations"}


def _ids(text: str) -> set[str]:
    found = set()
    for prefix, first, more in MENTION.findall(text):
        found.update(f"{prefix}-{number}" for number in [first, *filter(None, more.split("/"))])
    return found


def _defined() -> list[str]:
    return [match.group(1) for page in sorted(POLICY.glob("*.md")) for match in DEFINITION.finditer(page.read_text())]


def _sources(folder: Path):
    for path in sorted(folder.rglob("*.py")):
        if not SKIPPED & set(path.relative_to(ROOT).parts):
            yield path


def _docstrings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        documented = isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        if documented and (docstring := ast.get_docstring(node)):
            yield getattr(node, "name", "<module>"), docstring


def test_every_rule_is_defined_once():
    """Each rule id is a heading in exactly one policy page (ORG-01 … DSH-03)."""
    defined = _defined()
    assert len(defined) > 70
    assert [rule for rule, count in Counter(defined).items() if count > 1] == []


def test_every_rule_a_test_names_is_in_the_policy():
    """A test docstring's rule ids (e.g. EXP-04, CAL-01/02) all exist in docs/policy/."""
    defined = set(_defined())
    unknown = []
    named = set()
    for path in _sources(ROOT / "tests"):
        for name, docstring in _docstrings(path):
            ids = _ids(docstring)
            named |= ids
            unknown += [f"{path.relative_to(ROOT)}::{name} names {rule}" for rule in sorted(ids - defined)]
    assert named, "no test docstring names a rule"
    assert unknown == []


def test_every_rule_the_code_and_readme_name_is_in_the_policy():
    """Comments, docstrings and the README point at rules that exist (ORG-02 and the like)."""
    defined = set(_defined())
    texts = [ROOT / "README.md"]
    for folder in ROOT.iterdir():
        if folder.is_dir() and folder.name not in SKIPPED | {"tests", "docs"}:
            texts += list(_sources(folder))
    unknown = [
        f"{path.relative_to(ROOT)} names {rule}" for path in texts for rule in sorted(_ids(path.read_text()) - defined)
    ]
    assert unknown == []
