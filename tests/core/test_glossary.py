"""The Chinese catalogue follows the glossary (docs/glossary.md): an entry whose English text
holds a glossary term, as a whole word in any case (plural included), uses the term's Chinese —
the policy's words 统计表, 三级检核, 签收表, 借支, 核销, 纯销, 回款, 客情费, 附表1…5 (EXP-06,
EXP-07, EXP-10, EXP-11, EXP-12, EXP-13, CUS-05, CUS-10). Exceptions are listed in the glossary
itself, with the reason."""

import re
from pathlib import Path

from tests.core.test_translations import CATALOGUE, parse_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|\{[^}]*\}|<[^>]*>|&[a-z]+;")


def _table(heading: str) -> list[list[str]]:
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]  # header and rule left out


def terms() -> list[tuple[str, list[str]]]:
    return [(english, [c.strip() for c in chinese.split(" / ")]) for english, chinese, *_ in _table("Terms")]


def exceptions() -> set[tuple[str, str]]:
    return {(text, term.lower()) for text, term, *_ in _table("Exceptions")}


def _pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?:s|es)?(?![\w-])", re.IGNORECASE)


def violations() -> list[str]:
    skip = exceptions()
    # Longest terms first; a match is blanked out so that a shorter term inside it ("return" in
    # "returns", "customer" in "customer service") is not asked for a second time.
    compiled = [(english, _pattern(english), chinese) for english, chinese in sorted(terms(), key=lambda t: -len(t[0]))]
    found = []
    for entry in parse_po(CATALOGUE):
        if not entry.msgid:
            continue
        english = PLACEHOLDER.sub(" ", entry.msgid + " " + entry.fields.get("msgid_plural", ""))
        chinese = " ".join(entry.translations.values())
        for term, pattern, options in compiled:
            if not pattern.search(english):
                continue
            english = pattern.sub(" ", english)
            if (entry.msgid, term.lower()) in skip:
                continue
            if not any(option in chinese for option in options):
                found.append(f"line {entry.line}: {entry.msgid!r} → {chinese!r} lacks {' / '.join(options)} ({term})")
    return found


def test_the_glossary_has_its_policy_terms():
    english = {term.lower() for term, _ in terms()}
    for term in ["rapport fee", "statement", "three-signature review", "sign-off sheet", "advance", "write-off"]:
        assert term in english
    chinese = {c for _, options in terms() for c in options}
    assert {"客情费", "统计表", "三级检核", "签收表", "借支", "核销", "纯销", "回款", "附表1", "附表5"} <= chinese


def test_every_exception_names_a_catalogue_entry_and_a_term():
    msgids = {entry.msgid for entry in parse_po(CATALOGUE)}
    known = {term.lower() for term, _ in terms()}
    stale = [(text, term) for text, term in exceptions() if text not in msgids or term not in known]
    assert not stale, f"glossary exceptions that match no catalogue entry or term: {stale}"


def test_the_catalogue_follows_the_glossary():
    found = violations()
    assert not found, f"{len(found)} entries do not use the glossary's term:\n" + "\n".join(found)
