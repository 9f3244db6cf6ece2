"""Typesetters: one document, written in Markdown by the templates, set for each medium:
A4/Letter PDF (`pdf`), 16:9 slides (`slides`), Word (`word`), and the print shop's
PDF/X-1a conversion (`pdfx`). None holds words of its own.

The first of them to be imported brings in ReportLab's paragraphs (`_import_paragraphs`)."""

from __future__ import annotations

import re
import sys
from typing import Any

_WEB_ADDRESS = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
"""How ReportLab's pattern of a web address begins: a match needs `://` in the word."""


class _WebAddressPattern:
    """ReportLab's `uri_pat`, compiled when a word that can match it is first tried.

    ReportLab tries it on every word its hyphenation may break. Compiling it folds the case
    of 65,000 characters (30 ms, a tenth of a kit's build). Yet its match must begin with a
    scheme and `://`, so a word without `://` cannot match and is answered at once. And its
    only non-ASCII part is `\\xa1-\\uffff` in classes that also hold `a-z`: for a word of
    ASCII characters those ranges add nothing, so such a word is tried against the same
    pattern without them (compiled in a millisecond), with the same match."""

    __slots__ = ("_ascii", "_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None
        self._ascii: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def _for_ascii(self) -> re.Pattern[str]:
        if self._ascii is None:
            wide = "\xa1-\uffff"
            if self._source.count(wide) == self._source.count("a-z" + wide):
                self._ascii = re.compile(self._source.replace(wide, ""), self._flags)
            else:  # not the pattern this was written for: the whole of it
                self._ascii = self._pattern()
        return self._ascii

    def match(self, text: str, *args: Any) -> re.Match[str] | None:
        if "://" not in text:
            return None
        if text.isascii():
            return self._for_ascii().match(text, *args)
        return self._pattern().match(text, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern(), name)


def _import_paragraphs() -> None:
    """Import ReportLab's paragraph module with its web-address pattern as a
    `_WebAddressPattern`. While the module is imported, `re.compile` hands that one
    pattern back uncompiled (recognised by how it begins, and only while its match must
    begin so); every other pattern is compiled as usual, and `re.compile` is restored."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile

    def compile_web_address_later(pattern: Any, flags: Any = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(_WEB_ADDRESS):
            return _WebAddressPattern(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_web_address_later
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = compile_now


_import_paragraphs()
