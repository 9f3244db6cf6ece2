"""A ReportLab canvas for documents of thousands of pages: the same bytes, a third of the memory.

ReportLab holds every page of a document until the file is written: the page's drawing
operators as text, and a page object with some thirty attributes, most of them None. A
deck of forty thousand cards is nine thousand pages. `PackingCanvas` finishes each page
as it ends, exactly as ReportLab would when it writes the file, and keeps only that:

- the page's content stream is encoded with the document's filters and formatted into the
  bytes the file will hold (`_Formatted`), handed over once when the file is written, so
  the bytes are not held twice while it is joined;
- the page object keeps the values it has; those that are None are read from its class
  (`_LeanPage`), as ReportLab reads them, with `getattr`.

Object numbers are given in the same order as before, so the file is the same, byte for
byte (the tests compare every kind of card PDF with and without this canvas).
"""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    NoEncryption,
    PDFBase85Encode,
    PDFDictionary,
    PDFObject,
    PDFPage,
    PDFStream,
    PDFZCompress,
)
from reportlab.pdfgen.canvas import Canvas


class _Applied:
    """A stream filter already applied: ReportLab names it and writes the bytes as they are."""

    def __init__(self, pdfname: str) -> None:
        self.pdfname = pdfname

    def encode(self, content: Any) -> Any:
        return content


class _Formatted(PDFObject):  # type: ignore[misc]  # ReportLab has no type hints
    """A page's content stream as the file will hold it, handed over once."""

    __RefOnly__ = 1
    __Comment__ = "page stream"

    def __init__(self, data: bytes) -> None:
        self.data: bytes | None = data

    def format(self, document: Any) -> bytes:
        data, self.data = self.data, None
        if data is None:
            raise RuntimeError("a page stream is written into one file, once")
        return data


class _LeanPage(PDFPage):  # type: ignore[misc]
    """A finished page whose None-valued attributes are its class's."""

    ExtGState = None
    _shadingUsed: dict[str, Any] = {}  # noqa: RUF012  # read, never written


for _name in PDFPage.__NoDefault__:
    setattr(_LeanPage, _name, None)

_EMPTY_TRANSITION = PDFDictionary(None)
"""Every page's `/Trans << >>` (ReportLab makes one per page; formatting only reads it)."""


class PackingCanvas(Canvas):  # type: ignore[misc]
    """A canvas that finishes each page as it ends (see the module's description)."""

    def showPage(self) -> None:
        super().showPage()
        doc = self._doc
        page = doc.Pages.pages[-1]
        if not (page.compression and isinstance(page.stream, str)) or page.Contents:
            return
        filters = [PDFBase85Encode, PDFZCompress] if rl_config.useA85 else [PDFZCompress]
        content: Any = page.stream
        for step in reversed(filters):
            content = step.encode(content)
        stream = PDFStream(content=content, filters=[_Applied(f.pdfname) for f in filters])
        stream.__Comment__ = "page stream"
        # Without encryption a stream's bytes do not depend on its place in the file.
        page.Contents = (
            _Formatted(stream.format(doc)) if type(doc.encrypt) is NoEncryption else stream
        )
        page.stream = None
        if isinstance(page.Trans, PDFDictionary) and not page.Trans.dict:
            page.Trans = _EMPTY_TRANSITION
        lean = _LeanPage.__new__(_LeanPage)
        lean.__dict__ = {
            key: value
            for key, value in vars(page).items()
            if not (value is None and getattr(_LeanPage, key, page) is None)
            and not (key in ("_colorsUsed", "_shadingUsed") and value == {})
        }
        doc.Pages.pages[-1] = doc.idToObject[page.__InternalName__] = lean
