"""Files someone sends you, part two: workbooks and logos built to hurt the reader.

Every case runs the real `kit` in a folder of its own under `run_limited` (killed after
10 s, its own peak memory measured) and checks the promise: exit 0 with the right cards or
logo, or exit 2 with one located line per problem; within 10 seconds and 500 MB; nothing
changed in the folder but the outputs asked for.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from fremfaerd_kit.errors import ContentError
from fremfaerd_kit.kitfile import LogoError, fit_logo
from fremfaerd_kit.readers.xlsxdeck import parse_xlsx_decks

from .conftest import snapshot
from .cups import skip_or_fail
from .pdfread import pdf_text
from .test_hostile import MEMORY_MB, SECONDS, Run, run_limited

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
KIT = "kind: kit\ncontent: [egne]\ndecks: [{id: d}]\n"


def column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header(*names: str) -> str:
    cells = "".join(text_cell(f"{column(i)}1", n) for i, n in enumerate(names, start=1))
    return f'<row r="1">{cells}</row>'


def card_row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def sheet(rows: str, *, prolog: str = XML) -> bytes:
    return f'{prolog}<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()


def xlsx(
    sheets: dict[str, bytes] | bytes,
    *,
    strings: bytes | None = None,
    styles: bytes | None = None,
    parts: dict[str, bytes] | None = None,
    entries: list[tuple[str, str]] | None = None,
    namespace: str = MAIN,
) -> bytes:
    """A workbook written part by part, as Excel lays it out: `sheets` by name (or one
    sheet's XML), the shared strings and style sheet, any further parts; `entries` lists
    the workbook's sheets as (name, relationship id) when they should differ from `sheets`."""
    if isinstance(sheets, bytes):
        sheets = {"Ark1": sheets}
    rels = [(f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)]
    if strings is not None:
        rels.append(("rIdS", "sharedStrings", "sharedStrings.xml"))
    if styles is not None:
        rels.append(("rIdT", "styles", "styles.xml"))
    listed = entries or [(name, f"rId{i}") for i, name in enumerate(sheets, start=1)]
    book = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="{r}"/>'
                   for i, (n, r) in enumerate(listed, start=1))  # fmt: skip
    files = {
        "[Content_Types].xml": XML + '<Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'{XML}<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{XML}<workbook xmlns="{namespace}" xmlns:r="{OFFICE}"><sheets>{book}'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{PACKAGE}">'
        + "".join(f'<Relationship Id="{i}" Type="{OFFICE}/{t}" Target="{p}"/>' for i, t, p in rels)
        + "</Relationships>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        for i, data in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", data)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", strings)
        if styles is not None:
            archive.writestr("xl/styles.xml", styles)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def shared(texts: list[str] | str) -> bytes:
    body = texts if isinstance(texts, str) else "".join(f"<si><t>{t}</t></si>" for t in texts)
    return f'{XML}<sst xmlns="{MAIN}">{body}</sst>'.encode()


DATE_STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
    '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
).encode()

QUESTION = header("Spørgsmål", "Eksempel")
FIRST_CARD = card_row(2, text_cell("A2", "Hvad gør vi, når robotten fejler?"))


@dataclass(frozen=True)
class Book:
    """A workbook case: the file, and either the cards it must print or the problem."""

    name: str
    data: bytes
    cards: tuple[str, ...] = ()  # texts the card PDF must hold (exit 0)
    says: tuple[str, ...] = ()  # each in one problem line (exit 2)


def wide_header() -> bytes:
    cells = "".join(text_cell(f"{column(i)}1", f"kolonne {i}") for i in range(3, 16_385))
    row = f'<row r="1">{text_cell("A1", "question")}{text_cell("B1", "example")}{cells}</row>'
    return xlsx(sheet(row + FIRST_CARD))


def many_styles() -> bytes:
    xf = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    body = xf * 400_000
    style = f'{XML}<styleSheet xmlns="{MAIN}"><cellXfs count="400000">{body}</cellXfs></styleSheet>'
    assert len(style) > 30_000_000
    return xlsx(sheet(QUESTION + FIRST_CARD), styles=style.encode())


def many_strings() -> bytes:
    texts = [f"s{i}" for i in range(200_000)]
    rows = QUESTION + card_row(2, '<c r="A2" t="s"><v>199999</v></c>')
    return xlsx(sheet(rows), strings=shared(texts))


def entity(definition: str, use: str) -> bytes:
    prolog = f"{XML}<!DOCTYPE worksheet [{definition}]>"
    rows = QUESTION + card_row(2, text_cell("A2", use))
    return xlsx(sheet(rows, prolog=prolog))


LAUGHS = '<!ENTITY a "ha">' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
)


def one_huge_tag() -> bytes:
    attributes = " ".join(f'a{i}=""' for i in range(2_000_000))
    return xlsx(sheet(QUESTION + f'<row r="2"><c r="A2" {attributes}/></row>'))


def empty_cells(tags: int, only_sheet: bool = False) -> bytes:
    """Rows of self-closing cells, the most work per tag for a reader, after a card."""
    per_row = 16_000
    rows = "".join(
        f'<row r="{r}">' + "<c/>" * per_row + "</row>" for r in range(3, 3 + tags // per_row)
    )
    part = sheet(QUESTION + FIRST_CARD + rows)
    return part if only_sheet else xlsx(part)


def one_part_many_times() -> bytes:
    """Forty sheets that all name one part of 100,000 tags: 4,000,000 tags to read."""
    return xlsx(
        {"Ark1": empty_cells(100_000, only_sheet=True)},
        entries=[(f"Ark{i}", "rId1") for i in range(1, 41)],
    )


def two_sheets_of_cards(count: int) -> bytes:
    rows = QUESTION + "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{r % 1000}</v></c></row>' for r in range(2, count + 2)
    )
    return xlsx(
        {"Ark1": sheet(rows), "Ark2": sheet(rows)},
        strings=shared([f"Kort {i}" for i in range(1000)]),
    )


def bad_cells() -> bytes:
    row = '<c t="n"><v>abc</v></c>' * 30
    return xlsx(sheet(QUESTION + "".join(card_row(r, row) for r in range(2, 20_000))))


def raw_zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def damaged_deflate() -> bytes:
    good = xlsx(sheet(QUESTION + FIRST_CARD * 1))
    at = good.index(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml") + 4
    return good[:at] + bytes(b ^ 0x5A for b in good[at : at + 40]) + good[at + 40 :]


def many_entries() -> bytes:
    base = zipfile.ZipFile(io.BytesIO(xlsx(sheet(QUESTION + FIRST_CARD))))
    files = {n: base.read(n) for n in base.namelist()}
    files.update({f"customXml/item{i}.xml": b"<a/>" for i in range(5_000)})
    return raw_zip(files)


CARD = "Hvad gør vi, når robotten fejler?"
BOOKS = [
    Book("200,000 shared strings", many_strings(), cards=("s199999",)),
    Book("a header row 16,384 cells wide", wide_header(), cards=(CARD,)),
    Book("a 30 MB style sheet of 400,000 styles", many_styles(), cards=(CARD,)),
    Book(
        "dates, numbers and booleans as Excel writes them",
        xlsx(
            sheet(
                QUESTION
                + card_row(2, '<c r="A2" t="s"><v>0</v></c>', '<c r="B2" s="1"><v>45352</v></c>')
                + card_row(3, '<c r="A3" t="s"><v>1</v></c>', '<c r="B3" s="2"><v>45352.5</v></c>')
                + card_row(4, '<c r="A4" t="s"><v>2</v></c>', '<c r="B4"><v>2027</v></c>')
                + card_row(5, '<c r="A5" t="s"><v>3</v></c>', '<c r="B5" t="b"><v>1</v></c>')
                + card_row(6, '<c r="A6" t="str"><f>A1</f><v>Formlens svar</v></c>')
            ),
            strings=shared(
                "<si><t>Hvornår?</t></si><si><r><t>Hvad </t></r><r><rPr><b/></rPr><t>så?</t>"
                "</r><rPh><t>fonetik</t></rPh></si><si><t>Hvor_x000D_mange?</t></si>"
                "<si><t>Sandt?</t></si>"
            ),
            styles=DATE_STYLES,
        ),
        cards=(
            "Hvornår?",
            "2024-03-01",
            "Hvad så?",
            "2024-03-01T12:00:00",
            "2027",
            "True",
            "Formlens svar",
        ),
    ),
    Book(
        "damaged XML",
        xlsx(sheet(QUESTION + '<row r="2"><c r="A2" t="inlineStr"><is><t>x</is></c></row>')),
        says=(
            "d.xlsx: is not a readable Excel workbook (sheet `Ark1` "
            "(xl/worksheets/sheet1.xml) is damaged: mismatched tag at line 2, column",
        ),
    ),
    Book(
        "an external entity",
        entity('<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;"),
        says=(
            "d.xlsx: is not a readable Excel workbook (sheet `Ark1` (xl/worksheets/"
            "sheet1.xml) declares a DTD (<!DOCTYPE>)",
        ),
    ),
    Book(
        "a billion laughs",
        entity(LAUGHS, "&j;"),
        says=("d.xlsx: is not a readable Excel workbook", "declares a DTD"),
    ),
    Book(
        "a DTD in the shared strings",
        xlsx(sheet(QUESTION + FIRST_CARD), strings=XML.encode() + b"<!DOCTYPE sst []><sst/>"),
        says=("d.xlsx: is not a readable Excel workbook (xl/sharedStrings.xml declares a DTD",),
    ),
    Book(
        "a number cell holding abc",
        xlsx(
            sheet(
                QUESTION + card_row(2, text_cell("A2", "Hvad?"), '<c r="B2" t="n"><v>abc</v></c>')
            )
        ),
        says=("d.xlsx:Ark1:R2:C2: the cell holds `abc` as a number, which it is not",),
    ),
    Book(
        "a date cell with an impossible serial",
        xlsx(
            sheet(
                QUESTION + card_row(2, text_cell("A2", "Hvad?"), '<c r="B2" s="1"><v>1e300</v></c>')
            ),
            styles=DATE_STYLES,
        ),
        says=(
            "d.xlsx:Ark1:R2:C2: the cell is formatted as a date, but holds 1e300, which is no date",
        ),
    ),
    Book(
        "every bad cell at once",
        xlsx(
            sheet(
                QUESTION
                + card_row(2, text_cell("A2", "Hvad?"), '<c r="B2" t="s"><v>7</v></c>')
                + card_row(3, text_cell("A3", "Hvem?"), '<c r="B3" t="b"><v>ja</v></c>')
                + card_row(4, text_cell("A4", "Hvor?"), '<c r="B4" t="d"><v>i går</v></c>')
                + card_row(5, text_cell("A5", "Hvorfor?"), '<c r="B5"><v>1e999</v></c>')
                + card_row(6, '<c r="A6!" t="inlineStr"><is><t>x</t></is></c>')
            ),
            strings=shared(["en"]),
        ),
        says=(
            "d.xlsx:Ark1:R2:C2: the cell refers to shared text 7, but the workbook has 1",
            "d.xlsx:Ark1:R3:C2: the cell holds `ja` as true or false, which it is not",
            "d.xlsx:Ark1:R4:C2: the cell holds `i går` as a date, which it is not",
            "d.xlsx:Ark1:R5:C2: the cell holds `1e999`, a number Excel cannot hold",
            "d.xlsx:Ark1:R6:C1: the cell reference `A6!` names no cell",
        ),
    ),
    Book(
        "rows out of order",
        xlsx(
            sheet(QUESTION + card_row(5, text_cell("A5", "a")) + card_row(3, text_cell("A3", "b")))
        ),
        says=("d.xlsx:Ark1:R3: the row comes after row 5; the workbook is damaged",),
    ),
    Book(
        "a row numbered nan",
        xlsx(sheet(QUESTION + card_row(2, "").replace('r="2"', 'r="nan"'))),
        says=("d.xlsx:Ark1:R2: the row is numbered `nan`, which is no row number",),
    ),
    Book(
        "one start tag with two million attributes",
        one_huge_tag(),
        says=(
            "d.xlsx: is not a readable Excel workbook (sheet `Ark1` (xl/worksheets/sheet1.xml) "
            "has more than 1,024 kB without a tag",
        ),
    ),
    Book("2,990,000 tags of empty cells", empty_cells(2_980_000), cards=(CARD,)),
    Book(
        "3,100,000 tags of empty cells",
        empty_cells(3_100_000),
        says=("d.xlsx: holds more than 3,000,000 XML tags (reading sheet `Ark1`",),
    ),
    Book(
        "forty sheets naming one large part",
        one_part_many_times(),
        says=("d.xlsx: holds more than 3,000,000 XML tags",),
    ),
    Book(
        "two sheets of 30,000 cards",
        two_sheets_of_cards(30_000),
        says=("d.xlsx:Ark2:R10002: more than 40,000 cards in one workbook",),
    ),
    Book(
        "600,000 bad cells",
        bad_cells(),
        says=(
            "d.xlsx:Ark1:R2:C1: the cell holds `abc` as a number",
            "d.xlsx:Ark1:R35:C10: 1,000 problems; the workbook is read no further",
        ),
    ),
    Book(
        "51 sheets",
        xlsx({f"Ark{i}": sheet(QUESTION + FIRST_CARD) for i in range(1, 52)}),
        says=("d.xlsx: has more than 50 sheets",),
    ),
    Book(
        "5,000 ZIP entries",
        many_entries(),
        says=("d.xlsx: holds 5,005 parts; an Excel workbook has a few dozen",),
    ),
    Book(
        "a damaged deflate stream",
        damaged_deflate(),
        says=(
            "d.xlsx: is not a readable Excel workbook (its part xl/worksheets/sheet1.xml "
            "cannot be unpacked",
        ),
    ),
    Book(
        "an EBCDIC sheet",
        xlsx(sheet(QUESTION + FIRST_CARD, prolog='<?xml version="1.0" encoding="cp037"?>')),
        says=(
            "sheet `Ark1` (xl/worksheets/sheet1.xml) is in the encoding cp037; Excel writes UTF-8",
        ),
    ),
    Book(
        "a sheet the workbook names but does not hold",
        xlsx(sheet(QUESTION + FIRST_CARD), entries=[("Ark1", "rId1"), ("Væk", "rId9")]),
        says=("its sheet `Væk` refers to rId9, which xl/_rels/workbook.xml.rels does not have",),
    ),
    Book(
        "Strict Open XML",
        xlsx(
            sheet(QUESTION + FIRST_CARD), namespace="http://purl.oclc.org/ooxml/spreadsheetml/main"
        ),
        says=("d.xlsx: is not a readable Excel workbook (it is saved as a Strict Open XML",),
    ),
]


def build_folder(folder: Path, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def bounded(run: Run) -> None:
    """What every case must keep to, accepted or refused."""
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.seconds < SECONDS, f"{run.seconds:.1f} s"
    assert run.peak_mb < MEMORY_MB, f"{run.peak_mb:.0f} MB"


@pytest.mark.parametrize("case", BOOKS, ids=[b.name for b in BOOKS])
def test_a_hostile_workbook_is_read_right_or_refused_with_its_place(
    case: Book, tmp_path: Path
) -> None:
    build_folder(tmp_path, {"kit.yaml": KIT, "egne/d.xlsx": case.data})
    before = snapshot(tmp_path)
    run = run_limited("--content", "egne", "cards", "d", "-o", "k.pdf", cwd=tmp_path)
    bounded(run)
    if case.cards:
        assert run.code == 0, run.stderr
        text = pdf_text(tmp_path / "k.pdf")
        for words in case.cards:
            assert words in text, (words, text[:400])
        after = snapshot(tmp_path)
        assert {n for n in after if before.get(n) != after[n]} == {"k.pdf"}
        return
    assert run.code == 2, run.stderr
    problems = [line for line in run.lines if not line.startswith("kit:")]
    assert problems, run.stderr
    for part in case.says:
        assert any(part in line for line in problems), (part, problems)
    assert all(line.startswith(str(Path("egne") / "d.xlsx")) for line in problems), problems
    assert snapshot(tmp_path) == before


# --- logos ---------------------------------------------------------------------------

SECRET = "FREMFAERD-SECRET"
"""Written into every metadata field a test logo carries: not one output may hold it."""
RED, BLUE = (200, 30, 30), (30, 30, 200)
TALL = (160, 320)
"""Every accepted test logo shows, upright, a portrait: red above, blue below."""


def halves(size: tuple[int, int], first: object, second: object, mode: str = "RGB",
           across: bool = False, noise: bool = False) -> Image.Image:  # fmt: skip
    """`first` in the top half (the left half `across`), `second` in the other."""
    image = Image.new(mode, size, second)  # type: ignore[arg-type]
    w, h = size
    image.paste(first, (0, 0, w // 2, h) if across else (0, 0, w, h // 2))  # type: ignore[arg-type]
    if noise:  # a photograph: JPEG is far smaller than PNG for it
        grain = Image.effect_noise(size, 40).convert(mode)
        image = Image.blend(image, grain, 0.25)
    return image


def encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = SECRET
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 40.0, 30.0)
    gps[ExifTags.GPS.GPSMapDatum] = SECRET
    return exif


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    found, at = [], 8
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        found.append((data[at + 4 : at + 8], data[at + 8 : at + 8 + size]))
        at += 12 + size
    return found


def png_of(chunks: list[tuple[bytes, bytes]]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    return b"\x89PNG\r\n\x1a\n" + b"".join(chunk(k, b) for k, b in chunks)


def with_phys(dots_per_metre: int) -> bytes:
    chunks = png_chunks(encoded(halves(TALL, RED, BLUE), "PNG"))
    phys = dots_per_metre.to_bytes(4, "big") * 2 + b"\x01"
    return png_of([chunks[0], (b"pHYs", phys), *chunks[1:]])


def damaged_idat() -> bytes:
    chunks = png_chunks(encoded(halves(TALL, RED, BLUE, noise=True), "PNG"))
    return png_of([(k, bytes(b ^ 0x55 for b in body) if k == b"IDAT" else body)
                   for k, body in chunks])  # fmt: skip


def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def metadata_png() -> bytes:
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", SECRET)
    text.add_itxt("Comment", SECRET, zip=True)
    return encoded(halves(TALL, RED, BLUE), "PNG", pnginfo=text, icc_profile=srgb_profile(),
                   exif=phone_exif(1), dpi=(1, 1))  # fmt: skip


def grey16() -> bytes:
    """16-bit grey (Pillow's own paste of a 16-bit value packs it wrong: bytes it is)."""
    w, h = TALL
    rows = (60000).to_bytes(2, "little") * w * (h // 2) + (3000).to_bytes(2, "little") * w * (
        h // 2
    )
    image = Image.frombytes("I;16", TALL, rows)
    assert image.getpixel((0, 0)) == 60000
    return encoded(image, "PNG")


def palette_with_hole() -> bytes:
    image = halves(TALL, RED, BLUE).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    image.info["transparency"] = image.getpixel((TALL[0] - 1, TALL[1] - 1))
    image.paste(image.getpixel((0, TALL[1] - 1)), (0, TALL[1] - 10, TALL[0], TALL[1]))
    return encoded(image, "PNG", transparency=image.info["transparency"])


def grey_alpha() -> bytes:
    image = halves(TALL, (230, 255), (20, 128), mode="LA")
    return encoded(image, "PNG")


@dataclass(frozen=True)
class Logo:
    name: str
    file: str
    data: bytes
    shows: str = "red over blue"  # or "light over dark"; "" for a refusal
    says: str = ""
    kind: str = ""  # the format the outputs must carry, where it matters


PHOTO = halves((TALL[1], TALL[0]), RED, BLUE, across=True)
LOGOS = [
    Logo("a CMYK JPEG", "logo.jpg",
         encoded(halves(TALL, (0, 255, 255, 30), (255, 255, 0, 30), mode="CMYK"), "JPEG")),
    Logo("a pHYs of 0 dots per metre", "logo.png", with_phys(0)),
    Logo("a pHYs of 4 billion dots per metre", "logo.png", with_phys(0xFFFFFFFF)),
    Logo("a phone photo, EXIF orientation 6 and GPS", "IMG_0001.JPG",
         encoded(PHOTO, "JPEG", exif=phone_exif(6), quality=95)),
    Logo("a grainy phone photo, orientation 8", "IMG_0002.jpeg",
         encoded(halves((TALL[1], TALL[0]), BLUE, RED, across=True, noise=True), "JPEG",
                 exif=phone_exif(8), icc_profile=srgb_profile(), quality=95), kind="JPEG"),
    Logo("16-bit grey", "logo.png", grey16(), shows="light over dark"),
    Logo("a palette with a transparent stripe", "logo.png", palette_with_hole()),
    Logo("grey with alpha", "logo.png", grey_alpha(), shows="light over dark"),
    Logo("an ICC profile, text chunks and eXIf", "logo.png", metadata_png(), kind="PNG"),
    Logo("a banner 20 times as wide as tall", "logo.png",
         encoded(halves((1000, 50), RED, BLUE), "PNG"), shows="banner"),
    Logo("a truncated PNG", "logo.png", encoded(halves(TALL, RED, BLUE, noise=True), "PNG")[:3000],
         shows="", says="`logo.png` is a damaged image"),
    Logo("damaged pixel data", "logo.png", damaged_idat(), shows="",
         says="`logo.png` is a damaged image"),
    Logo("a truncated JPEG", "logo.jpg", encoded(PHOTO, "JPEG", quality=95)[:1500], shows="",
         says="`logo.jpg` is a damaged image"),
    Logo("a strip 21 times as wide as tall", "logo.png",
         encoded(Image.new("RGB", (2100, 100), RED), "PNG"), shows="",
         says="is 2100×100 pixels; a logo may be at most 20 times as wide as it is tall"),
    Logo("an orientation tag whose data is past the EXIF's end", "IMG_0003.JPG",
         encoded(PHOTO, "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01"
                 b"\x01\x12\x00\x03\x00\x00\x03\xe8\x00\x00\x7f\xff\x00\x00\x00\x00"),
         shows="", says="`IMG_0003.JPG` has damaged EXIF data: which way up it goes"),
    Logo("a GIF", "logo.gif", b"GIF89a" + bytes(100), shows="",
         says="`logo.gif` is not an image the kit can print (PNG or JPEG)"),
]  # fmt: skip
LOGO_KIT = (
    "kind: kit\nformats: [pdf, docx]\ndecks: []\nslides: [vaerktoej2]\nbranding: {logo: %s}\n"
)


def looks_right(image: Image.Image, shows: str) -> None:
    """The logo as printed: upright (a portrait), red over blue or light over dark."""
    image = image.convert("RGB")
    w, h = image.size
    if shows == "banner":
        assert abs(w / h - 20) < 1, image.size
        top, bottom = image.getpixel((w // 2, h // 4)), image.getpixel((w // 2, h * 3 // 4))
    else:
        assert abs(h / w - 2) < 0.1, f"{image.size}: not upright"  # LibreOffice resamples
        top, bottom = image.getpixel((w // 2, h // 8)), image.getpixel((w // 2, h * 5 // 8))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    if shows == "light over dark":
        assert min(top) > 180 and max(bottom) < 80, (top, bottom)
    else:
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (top, bottom)


def pdf_logo(path: Path) -> Image.Image:
    """The one image on the PDF's first page, decoded by pymupdf."""
    import pymupdf

    doc = pymupdf.open(path)
    (found,) = {i[0] for i in doc[0].get_images(full=True)}
    pixmap = pymupdf.Pixmap(doc, found)
    if pixmap.alpha:
        pixmap = pymupdf.Pixmap(pixmap, 0)
    return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def docx_logo(path: Path) -> tuple[bytes, dict[str, bytes]]:
    """The header image of a DOCX and every part of it."""
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    (media,) = [data for name, data in parts.items() if name.startswith("word/media/")]
    return media, parts


def everything_in(path: Path) -> bytes:
    """A file's bytes with what they pack unpacked: a DOCX's parts, a PDF's streams, an
    HTML page's data URLs."""
    data = path.read_bytes()
    if path.suffix == ".docx":
        return b"".join(docx_logo(path)[1].values())
    if path.suffix == ".pdf":
        import pymupdf

        doc = pymupdf.open(path)
        streams = [doc.xref_stream(x) or b"" for x in range(1, doc.xref_length())]
        return data + b"".join(streams)
    if path.suffix == ".html":
        urls = re.findall(rb"data:image/[a-z]+;base64,([A-Za-z0-9+/=]+)", data)
        return data + b"".join(base64.b64decode(u) for u in urls)
    return data


@pytest.mark.parametrize("logo", LOGOS, ids=[logo.name for logo in LOGOS])
def test_every_logo_prints_upright_and_clean_everywhere_or_is_refused(
    logo: Logo, tmp_path: Path
) -> None:
    build_folder(tmp_path, {"kit.yaml": LOGO_KIT % logo.file, logo.file: logo.data})
    before = snapshot(tmp_path)
    run = run_limited("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path)
    bounded(run)
    if not logo.shows:
        assert run.code == 2, run.stderr
        (line,) = [line for line in run.lines if not line.startswith("kit:")]
        assert line.startswith("kit.yaml:5:12: branding.logo: ") and logo.says in line, line
        assert snapshot(tmp_path) == before
        return
    assert run.code == 0, run.stderr
    out = tmp_path / "ud"
    for pdf in ("01-guide.pdf", "04-arbejdsark.pdf", "07-slides-vaerktoej2.pdf"):
        looks_right(pdf_logo(out / pdf), logo.shows)
    media, parts = docx_logo(out / "01-guide.docx")
    with Image.open(io.BytesIO(media)) as image:
        looks_right(image, logo.shows)
        assert image.format == (logo.kind or image.format) and image.format in ("PNG", "JPEG")
        assert not set(image.info) - {"dpi", "jfif", "jfif_version", "jfif_unit",
                                      "jfif_density", "transparency"}, image.info  # fmt: skip
        assert round(image.info["dpi"][0]) == 300
    # Word's header gives it 6 mm of height, a long logo at most 40 mm of width.
    extent = re.search(rb'<wp:extent cx="(\d+)" cy="(\d+)"', parts["word/header1.xml"])
    assert extent, parts["word/header1.xml"][:500]
    wide, tall = (int(v) / 36_000 for v in extent.groups())
    assert (abs(tall - 6) < 0.1 and wide <= 40) or abs(wide - 40) < 0.1, (wide, tall)
    page = (out / "facilitator.html").read_bytes()
    (url,) = re.findall(rb'<img class="logo" src="data:image/[a-z]+;base64,([^"]+)"', page)
    with Image.open(io.BytesIO(base64.b64decode(url))) as image:
        looks_right(image, logo.shows)
    for path in sorted(out.iterdir()):
        held = everything_in(path)
        assert SECRET.encode() not in held and b"Exif\x00\x00" not in held, path.name
    after = snapshot(tmp_path)
    assert {n for n in after if before.get(n) != after[n]} <= {
        str(p.relative_to(tmp_path)) for p in out.iterdir()
    }


def test_a_docx_with_a_phone_photo_logo_opens_in_libreoffice_upright(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        skip_or_fail("no soffice (Debian: libreoffice-writer)")
    photo = LOGOS[3]
    build_folder(tmp_path, {"kit.yaml": LOGO_KIT % photo.file, photo.file: photo.data})
    run = run_limited("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path / "lo"), str(tmp_path / "ud" / "invitation.docx")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    looks_right(pdf_logo(tmp_path / "lo" / "invitation.pdf"), "red over blue")


# --- damage anywhere ---------------------------------------------------------------------

FUZZ = int(os.environ.get("FREMFAERD_FUZZ", "150"))


def stored(workbook: bytes) -> bytes:
    """The same workbook unpacked in its ZIP, so that damage lands in the XML itself."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        return raw_zip({n: source.read(n) for n in source.namelist()}, zipfile.ZIP_STORED)


FUZZ_BOOK = xlsx(
    sheet(QUESTION + FIRST_CARD + card_row(3, '<c r="A3" t="s"><v>0</v></c>',
                                           '<c r="B3" s="1"><v>45000</v></c>')),
    strings=shared(["Hej"]), styles=DATE_STYLES,
)  # fmt: skip
FUZZ_LOGOS = [LOGOS[0].data, LOGOS[3].data, LOGOS[6].data, metadata_png()]
damage = st.lists(
    st.tuples(
        st.floats(0, 1, exclude_max=True),
        st.sampled_from(["set", "cut", "insert"]),
        st.sampled_from([b"\x00", b"\xff", b"<", b">", b"&", b'"', b"<!DOCTYPE x>", b"9" * 30,
                         b"/", b"PK\x03\x04", b"\x7f" * 4]),
    ),
    min_size=1, max_size=8,
)  # fmt: skip


def damaged(data: bytes, changes: list[tuple[float, str, bytes]]) -> bytes:
    out = bytearray(data)
    for where, how, what in changes:
        at = int(where * len(out))
        if how == "set":
            out[at : at + len(what)] = what
        elif how == "cut":
            del out[at : at + len(what) * 7]
        else:
            out[at:at] = what
    return bytes(out)


@settings(max_examples=FUZZ, deadline=None)
@given(base=st.sampled_from([FUZZ_BOOK, stored(FUZZ_BOOK)]), changes=damage)
def test_a_workbook_damaged_anywhere_is_read_or_refused_in_one_line_each(
    base: bytes, changes: list[tuple[float, str, bytes]]
) -> None:
    try:
        decks = parse_xlsx_decks(Path("d.xlsx"), damaged(base, changes))
    except ContentError as exc:
        assert exc.problems and all("\n" not in str(p) for p in exc.problems), exc
        assert all(str(p).startswith("d.xlsx") for p in exc.problems), exc
    else:
        assert all(deck.data["cards"] for deck in decks)


@settings(max_examples=FUZZ, deadline=None)
@given(base=st.sampled_from(FUZZ_LOGOS), changes=damage)
def test_a_logo_damaged_anywhere_is_made_clean_or_refused(
    base: bytes, changes: list[tuple[float, str, bytes]]
) -> None:
    try:
        clean = fit_logo(damaged(base, changes))
    except LogoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    with Image.open(io.BytesIO(clean)) as image:
        image.load()
        assert image.format in ("PNG", "JPEG") and image.mode in ("RGB", "RGBA")
        assert max(image.size) <= 1200 and "exif" not in image.info
        assert "icc_profile" not in image.info
