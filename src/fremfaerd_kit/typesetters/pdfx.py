"""The shop layout as PDF/X-1a:2003, the exchange format print shops ask for.

Why X-1a and not X-4: X-1a is all CMYK, no transparency, fonts embedded, PDF 1.4; every
prepress workflow, RIP and preflight profile of the last twenty years takes it, and the
cards need nothing X-4 adds (transparency, ICC-based RGB, layers). It names its printing
condition by its registered characterization (FOGRA39, coated paper, the European offset
standard), which X-1a allows without embedding a profile, so nothing with a licence of
its own ships with the kit.

ReportLab draws the cards in RGB; this converts the finished PDF once (with pikepdf): every
fill and stroke colour in every page and form becomes DeviceCMYK, neutral greys become
black ink only, near-black text pure black (K 100 %), and the document gets the output
intent, the PDF/X keys, `Trapped`, a document ID and version 1.4.
"""

from __future__ import annotations

import io
from functools import cache

import pikepdf

from ..errors import KitError

VERSION = "PDF/X-1:2003"
CONFORMANCE = "PDF/X-1a:2003"
CONDITION = "FOGRA39"
CONDITION_INFO = "Coated FOGRA39 (ISO 12647-2:2004)"
REGISTRY = "http://www.color.org"
NEAR_BLACK = 0.85
"""A neutral grey with at least this much black is text or a rule: printed as pure black."""


@cache
def cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """An RGB colour (0..1) as CMYK, greys on black ink alone, near-black as solid black.

    The plain conversion (black = 1 − the largest channel, the rest from what is left):
    without a colour-managed workflow on the kit's side, the shop's RIP converts to its own
    press from the named condition; what matters here is that neutral stays on one ink.
    """
    k = 1 - max(r, g, b)
    neutral = max(r, g, b) - min(r, g, b) < 0.02
    if neutral:
        return (0.0, 0.0, 0.0, 1.0 if k >= NEAR_BLACK else round(k, 4))
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return (round(c, 4), round(m, 4), round(y, 4), round(k, 4))


_RGB_OPS = {"rg": "k", "RG": "K"}


Instructions = list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]


def _convert_stream(instructions: Instructions) -> Instructions:
    out: Instructions = []
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            raise KitError("PDF/X conversion: the shop layout has no images to convert")
        name = str(instruction.operator)
        if name in _RGB_OPS:
            values = cmyk(*(float(v) for v in instruction.operands))
            out.append(
                pikepdf.ContentStreamInstruction(list(values), pikepdf.Operator(_RGB_OPS[name]))
            )
        elif name in ("cs", "CS", "sc", "SC", "scn", "SCN"):
            raise KitError(f"PDF/X conversion: colour operator {name} is not handled")
        else:
            out.append(instruction)
    return out


def _convert_forms(resources: pikepdf.Object, seen: set[tuple[int, int]]) -> None:
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return
    for _, xobject in xobjects.items():
        if xobject.get("/Subtype") == "/Image":
            raise KitError("PDF/X conversion: the shop layout has no images to convert")
        if xobject.get("/Subtype") != "/Form" or xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        commands = pikepdf.parse_content_stream(xobject)
        xobject.write(pikepdf.unparse_content_stream(_convert_stream(commands)))
        if "/Resources" in xobject:
            _convert_forms(xobject.Resources, seen)


def to_pdfx(pdf: bytes, title: str) -> bytes:
    """The PDF, all in CMYK, as PDF/X-1a:2003 for the FOGRA39 printing condition."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        seen: set[tuple[int, int]] = set()
        for page in doc.pages:
            commands = pikepdf.parse_content_stream(page)
            page.Contents = doc.make_stream(
                pikepdf.unparse_content_stream(_convert_stream(commands))
            )
            if "/Resources" in page.obj:
                _convert_forms(page.obj.Resources, seen)
            if "/TrimBox" not in page.obj:
                page.obj.TrimBox = page.obj.MediaBox
        doc.Root.OutputIntents = pikepdf.Array([
            doc.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFX,
                OutputConditionIdentifier=CONDITION,
                OutputCondition=CONDITION_INFO,
                RegistryName=REGISTRY,
                Info=CONDITION_INFO,
            ))
        ])  # fmt: skip
        info = doc.docinfo
        info["/Title"] = title
        info["/GTS_PDFXVersion"] = VERSION
        info["/GTS_PDFXConformance"] = CONFORMANCE
        info["/Trapped"] = pikepdf.Name("/False")  # the shop traps, if its press needs it
        if "/ModDate" not in info and "/CreationDate" in info:
            info["/ModDate"] = info["/CreationDate"]
        out = io.BytesIO()
        doc.save(
            out,
            force_version="1.4",
            deterministic_id=True,  # the same cards give the same bytes
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,  # PDF 1.4 has none
        )
    return out.getvalue()
