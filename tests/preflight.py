"""A preflight for PDF/X-1a:2003 (ISO 15930-4), clause by clause, with pikepdf.

veraPDF checks PDF/A, not PDF/X, so the kit's shop output is checked here against the
requirements of the standard that a file can show by itself. Each check returns the
problems it finds, in words a prepress operator would use; an empty list is a pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf

RGB_OPERATORS = {"rg", "RG"}
ALLOWED_SPACES = {"/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN"}


def _streams(doc: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object]]:
    """Every content stream: each page's and each form XObject's (once)."""
    seen: set[tuple[int, int]] = set()

    def forms(resources: pikepdf.Object, where: str) -> Iterator[tuple[str, pikepdf.Object]]:
        for name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                yield f"{where} form {name}", xobject
                yield from forms(xobject.get("/Resources") or pikepdf.Dictionary(), where)

    for number, page in enumerate(doc.pages, 1):
        yield f"page {number}", page
        yield from forms(page.obj.get("/Resources") or pikepdf.Dictionary(), f"page {number}")


def _resources(doc: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object]]:
    for where, stream in _streams(doc):
        owner = stream.obj if isinstance(stream, pikepdf.Page) else stream
        resources = owner.get("/Resources")
        if resources is not None:
            yield where, resources


def check_version(path: Path, doc: pikepdf.Pdf) -> list[str]:
    """6.1.2: the file is PDF 1.3 or 1.4 (X-1a:2003 is based on PDF 1.4)."""
    header = path.read_bytes()[:8]
    return [] if header in (b"%PDF-1.3", b"%PDF-1.4") else [f"header {header!r}, not PDF 1.4"]


def check_identification(doc: pikepdf.Pdf) -> list[str]:
    """6.1.x, 6.11: the version and conformance keys, title, dates, Trapped, the file ID."""
    info = doc.docinfo
    problems = []
    if str(info.get("/GTS_PDFXVersion", "")) != "PDF/X-1:2003":
        problems.append("Info GTS_PDFXVersion is not PDF/X-1:2003")
    if str(info.get("/GTS_PDFXConformance", "")) != "PDF/X-1a:2003":
        problems.append("Info GTS_PDFXConformance is not PDF/X-1a:2003")
    if not str(info.get("/Title", "")).strip():
        problems.append("Info has no Title")
    for key in ("/CreationDate", "/ModDate"):
        if key not in info:
            problems.append(f"Info has no {key[1:]}")
    if info.get("/Trapped") not in (pikepdf.Name("/True"), pikepdf.Name("/False")):
        problems.append("Info Trapped is not True or False")
    file_id = doc.trailer.get("/ID")
    if file_id is None or len(file_id) != 2:
        problems.append("the trailer has no document ID")
    if doc.is_encrypted:
        problems.append("the file is encrypted")
    return problems


def check_output_intent(doc: pikepdf.Pdf) -> list[str]:
    """6.2.2: exactly one GTS_PDFX output intent naming the printing condition; its
    profile may be left out only for a condition in the ICC's registry."""
    intents = [i for i in doc.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        return [f"{len(intents)} GTS_PDFX output intents, not 1"]
    intent = intents[0]
    problems = []
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        problems.append("the output intent has no OutputConditionIdentifier")
    if "/DestOutputProfile" not in intent and not str(intent.get("/RegistryName", "")):
        problems.append("the output intent has neither a profile nor a RegistryName")
    return problems


def check_boxes(doc: pikepdf.Pdf) -> list[str]:
    """6.1.1: every page has a TrimBox (or ArtBox); BleedBox within MediaBox, TrimBox
    within BleedBox."""
    problems = []

    def box(page: pikepdf.Object, name: str) -> tuple[float, ...] | None:
        value = page.get(name)
        return tuple(float(v) for v in value) if value is not None else None

    def inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
        return (inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01
                and inner[2] <= outer[2] + 0.01 and inner[3] <= outer[3] + 0.01)  # fmt: skip

    for number, page in enumerate(doc.pages, 1):
        media = box(page.obj, "/MediaBox")
        trim = box(page.obj, "/TrimBox") or box(page.obj, "/ArtBox")
        bleed = box(page.obj, "/BleedBox") or media
        if trim is None:
            problems.append(f"page {number} has no TrimBox")
        elif media and bleed and not (inside(bleed, media) and inside(trim, bleed)):
            problems.append(f"page {number}: TrimBox, BleedBox and MediaBox do not nest")
    return problems


def check_colour(doc: pikepdf.Pdf) -> list[str]:
    """6.2.3: only CMYK, grey and spot colour; no RGB operator, colour space or image."""
    problems = []
    for where, stream in _streams(doc):
        for _operands, operator in pikepdf.parse_content_stream(stream):
            if str(operator) in RGB_OPERATORS:
                problems.append(f"{where}: RGB colour ({operator})")
    for where, resources in _resources(doc):
        for name, space in (resources.get("/ColorSpace") or {}).items():
            family = space[0] if isinstance(space, pikepdf.Array) else space
            if str(family) not in ALLOWED_SPACES:
                problems.append(f"{where}: colour space {name} is {family}")
        for name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.get("/Subtype") == "/Image":
                space = xobject.get("/ColorSpace")
                family = space[0] if isinstance(space, pikepdf.Array) else space
                if str(family) not in ALLOWED_SPACES:
                    problems.append(f"{where}: image {name} is in {family}")
    return problems


def check_transparency(doc: pikepdf.Pdf) -> list[str]:
    """6.4: no transparency (soft masks, alpha below 1, blend modes, transparency groups)."""
    problems = []
    for where, resources in _resources(doc):
        for name, state in (resources.get("/ExtGState") or {}).items():
            if state.get("/SMask", pikepdf.Name("/None")) != pikepdf.Name("/None"):
                problems.append(f"{where}: graphics state {name} has a soft mask")
            for key in ("/CA", "/ca"):
                if float(state.get(key, 1)) != 1:
                    problems.append(f"{where}: graphics state {name} has {key[1:]} below 1")
            if str(state.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
                problems.append(f"{where}: graphics state {name} has a blend mode")
        for name, xobject in (resources.get("/XObject") or {}).items():
            if "/SMask" in xobject:
                problems.append(f"{where}: {name} has a soft mask")
            group = xobject.get("/Group")
            if group is not None and group.get("/S") == "/Transparency":
                problems.append(f"{where}: {name} is a transparency group")
    for number, page in enumerate(doc.pages, 1):
        group = page.obj.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            problems.append(f"page {number} is a transparency group")
    return problems


def check_fonts(doc: pikepdf.Pdf) -> list[str]:
    """6.3.5: every font embedded."""
    problems = []
    for where, resources in _resources(doc):
        for name, font in (resources.get("/Font") or {}).items():
            if font.get("/Subtype") == "/Type3":
                continue
            fonts = font.DescendantFonts if "/DescendantFonts" in font else [font]
            for each in fonts:
                descriptor = each.get("/FontDescriptor")
                if descriptor is None or not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    problems.append(
                        f"{where}: font {name} ({each.get('/BaseFont')}) is not embedded"
                    )
    return problems


def check_actions(doc: pikepdf.Pdf) -> list[str]:
    """6.6: no JavaScript or actions; no annotation on a page except printer's marks."""
    problems = []
    names = doc.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        problems.append("the document has JavaScript")
    if "/OpenAction" in doc.Root or "/AA" in doc.Root:
        problems.append("the document has actions")
    for number, page in enumerate(doc.pages, 1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/PrinterMark":
                problems.append(f"page {number} has a {annotation.get('/Subtype')} annotation")
    return problems


CHECKS = (check_identification, check_output_intent, check_boxes, check_colour,
          check_transparency, check_fonts, check_actions)  # fmt: skip


def preflight(path: Path) -> list[str]:
    """Every problem of `path` as PDF/X-1a:2003; [] when it passes."""
    with pikepdf.open(path) as doc:
        problems = check_version(path, doc)
        for check in CHECKS:
            problems.extend(check(doc))
    return problems
