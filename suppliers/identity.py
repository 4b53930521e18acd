"""Who a company is (SUP-02): its unified social credit code 统一社会信用代码 with the check
digit of GB 32100-2015, and its name reduced to what makes two spellings the same company."""

import re
import unicodedata

# GB 32100-2015: 31 characters, the letters I, O, Z, S and V left out.
CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {character: index for index, character in enumerate(CODE_CHARACTERS)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise_credit_code(value: str) -> str:
    """Upper case, without spaces or dashes (codes are often copied from a scanned licence)."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value or "")).upper()


def check_digit(first17: str) -> str:
    total = sum(_VALUES[character] * weight for character, weight in zip(first17, _WEIGHTS, strict=True))
    return CODE_CHARACTERS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why `code` (normalised) is not a valid credit code, or None. The messages are keys the
    caller translates: "length", "characters", "check"."""
    if len(code) != 18:
        return "length"
    if any(character not in _VALUES for character in code):
        return "characters"
    if check_digit(code[:17]) != code[17]:
        return "check"
    return None


# Legal forms at the end of a name, longest first; "公司" alone last.
_LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "公司",
    "coltd", "companylimited", "limited", "ltd", "incorporated", "inc", "corporation", "corp", "company", "co",
)  # fmt: skip


def name_key(name: str) -> str:
    """ "华盛（深圳）科技有限公司", "华盛(深圳)科技 有限公司" and "华盛 (深圳) 科技" are one key:
    full-width forms folded, case folded, everything but letters and digits dropped, the legal
    form taken off the end."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = "".join(character for character in text if character.isalnum())
    for form in _LEGAL_FORMS:
        if text.endswith(form) and len(text) > len(form):
            text = text[: -len(form)]
            break
    return text[:200]
