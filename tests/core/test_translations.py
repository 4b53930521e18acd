"""Every string translatable, the Chinese catalogue complete.

The interface is written in English and shipped in Simplified Chinese: these tests guard
that every entry of locale/zh_Hans/LC_MESSAGES/django.po has a translation, that none is
left fuzzy (gettext would ignore it), and that the catalogue compiles cleanly.
"""

import ast
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> dict[str, str]:
        return {key: value for key, value in self.fields.items() if key.startswith("msgstr")}


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: entries with their flags, msgid and msgstr(s); obsolete ones skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    current: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, current = None, None
            continue
        if line.startswith("#~"):  # obsolete entry, not used by gettext
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            current = match.group(1)
            entry.fields[current] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and current is not None:
            entry.fields[current] += ast.literal_eval(line)
        else:
            raise AssertionError(f"{path.name}:{number}: cannot parse {raw!r}")
    return [entry for entry in entries if "msgid" in entry.fields]


def test_the_chinese_catalogue_is_complete():
    assert CATALOGUE.exists(), f"missing {CATALOGUE.relative_to(ROOT)}: run makemessages -l zh_Hans"
    entries = parse_po(CATALOGUE)
    header = [entry for entry in entries if entry.msgid == ""]
    messages = [entry for entry in entries if entry.msgid != ""]
    assert header, "the catalogue has no header"
    assert "Plural-Forms: nplurals=1; plural=0;" in header[0].fields.get("msgstr", "")
    assert "charset=UTF-8" in header[0].fields.get("msgstr", "")
    assert messages, "the catalogue has no messages"

    fuzzy = [f"line {entry.line}: {entry.msgid!r}" for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in messages
        if not entry.translations or any(not text for text in entry.translations.values())
    ]
    assert not fuzzy, "fuzzy entries (ignored by gettext):\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_the_chinese_catalogue_compiles_cleanly(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "django.mo").stat().st_size > 0
