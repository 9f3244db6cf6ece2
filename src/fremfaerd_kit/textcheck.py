"""Find text that still carries PDF-extraction damage (split words, lost ligatures)."""

from __future__ import annotations

import re

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
