"""The checks every text passes: what no output can show (controls, right-to-left text,
characters the fonts lack), and leftover PDF-extraction damage (split words, lost ligatures).

`unsafe` is the one check of what a text may hold. It runs on the decoded value, after
YAML's escapes (`"\\x07"`, `"\\u0000"`) and a spreadsheet's cells are read, on every
text of the content and of the kit file, when the file is read: `kit check` and every
build see the same problems, at the field's line, and no typesetter (PDF, Word, the
facilitator screen's web font) is ever handed a character it cannot set. Allowed are the
characters that all three embedded faces can draw, minus controls and right-to-left
letters and direction controls; a line break (and a tab, which `damage` names) may stand
in a text, not in a file name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# A word split at a line end keeps its hyphen and gains a space: "under- støtter".
# Real hyphens before a conjunction stay: "læse- og skrivefærdigheder", "-fagligheder".
_SPLIT_WORD = re.compile(r"\b(\w+)- (?!og\b|eller\b|samt\b|til\b|som\b|men\b)([a-zæøå]\w*)")
_LIGATURE = re.compile(
    r"[a-zæøå][<]|[<][a-zæøå]|[a-zæøå]2[a-zæøå]|\b2[a-zæøå]{1,3}\b"
    r"|[a-zæøå]Y[a-zæøå]"
)
_LIGATURE_HINT = frozenset("<2Y")  # what every _LIGATURE match contains: a cheap test first
_MARKUP = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
"""Text like `<font size=20>`: printed as written, and not a lost ligature."""

DAMAGE_CHARS = {
    "\ufffd": "a replacement character (U+FFFD)",
    "\u00ad": "a soft hyphen (U+00AD)",
    "\uf0b7": "a private-use bullet (U+F0B7)",
}


def damage(text: str) -> str | None:
    """Describe the first sign of extraction damage in `text`, or None when it reads clean."""
    for char, what in DAMAGE_CHARS.items():
        if char in text:
            return f"contains {what}: remove it"
    if "\t" in text:
        return "contains a tab: use spaces"
    match = _SPLIT_WORD.search(text) if "- " in text else None
    if match:
        return (
            f"`{match.group(0)}` looks like a word split at a line end: "
            f"write `{match.group(1)}{match.group(2)}`"
        )
    plain = _MARKUP.sub(" ", text) if "<" in text else text
    match = _LIGATURE.search(plain) if _LIGATURE_HINT.intersection(plain) else None
    if match:
        return f"`{_word_at(plain, match.start())}` looks like a lost ligature (ti/tt)"
    return None


def _word_at(text: str, index: int) -> str:
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = index
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


_CONTROL_CATEGORIES = frozenset(("Cc", "Cs", "Zl", "Zp"))
_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0A: "a line break",
    0x0D: "carriage return",
    0x1B: "ESC",
    0x7F: "DEL",
    0x85: "NEL",
    0x2028: "line separator",
    0x2029: "paragraph separator",
}


@cache
def _allowed() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two patterns that find a character a text may not hold: in a text (where a line
    break and a tab may stand) and in a file name. Made once per process from the fonts'
    coverage (a few milliseconds: the faces' tables come from the cache)."""
    from . import fonts

    codes = sorted(
        code
        for code in fonts.drawable()
        if unicodedata.category(chr(code)) not in _CONTROL_CATEGORIES
        and not fonts.right_to_left(chr(code))
    )
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    drawn = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[^\n\t{drawn}]"), re.compile(f"[^{drawn}]")


_PATH_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u061c\u200e\u200f"
                       "\u202a-\u202e\u2066-\u2069]")  # fmt: skip
"""What a file name may not hold: controls, separators, direction marks, lone surrogates."""


def unsafe(text: str, *, path: bool = False) -> str | None:
    """Why `text` cannot be printed as it is, or None: a control character (NUL, ESC, a
    carriage return, ...), right-to-left text or a direction control (U+202E), a
    character the embedded fonts cannot draw. With `path` (a file name, which is read,
    not printed) only the controls and direction marks count, a line break among them."""
    if text.isascii() and text.isprintable():  # most texts, and every id: no search
        return None
    if path:
        bad = _PATH_BAD.search(text)
        return _control(bad.group(), "a file name") if bad else None
    pattern = _allowed()[0]
    if pattern.search(text) is None:
        return None
    found = list(dict.fromkeys(pattern.findall(text)))
    controls = [c for c in found if unicodedata.category(c) in _CONTROL_CATEGORIES]
    if controls:
        return _control(controls[0], "a text")
    from . import fonts

    backwards = [c for c in found if fonts.right_to_left(c)]
    if backwards:
        return fonts.reversed_message(backwards)
    return fonts.cannot_draw(found)


def _control(char: str, where: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"contains a lone surrogate U+{code:04X}, which is no character; remove it"
    if unicodedata.category(char) not in _CONTROL_CATEGORIES:  # a direction mark
        return f"contains the direction control U+{code:04X}; {where} holds none (remove it)"
    name = _NAMES.get(code)
    shown = f"U+{code:04X}" + (f" ({name})" if name and not name.startswith("a ") else "")
    if name and name.startswith("a "):
        return f"contains {name} (U+{code:04X}); {where} holds none (remove it)"
    return f"contains the control character {shown}; {where} holds none (remove it)"
