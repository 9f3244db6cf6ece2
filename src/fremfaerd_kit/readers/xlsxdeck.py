"""Decks from an Excel workbook (`.xlsx`): each sheet whose first row names a question
column is a deck, read like a CSV deck (same columns, Danish or English names).

A workbook is a ZIP of XML parts, and one from someone else may be built to hurt the
reader: a small file that unpacks to gigabytes, a style sheet of a million styles, a
header row 16,384 cells wide, a DTD whose entities expand without end, damaged XML, a
number cell holding `abc`. openpyxl's reader builds an object for every style, every
cell of a row and every part it meets (charts, drawings, images), so its time and memory
follow what the file declares, not what the kit needs. The kit therefore reads the few
parts that hold cards itself, each in one streaming pass of the standard library's expat,
and keeps only what a card needs:

- the ZIP: at most `MAX_PARTS` entries, `MAX_UNPACKED` bytes unpacked, no part packed
  more tightly than XML packs;
- the parts: the package's and the workbook's relationships, the workbook (its sheets and
  date system), the style sheet (only which styles show a date), the shared strings and
  each sheet's rows, at most `MAX_COLUMNS` cells of each; together at most `MAX_TAGS`
  XML tags, counted as bytes before expat parses them, and no `MAX_RUN` bytes without a
  tag, so the reader's time and memory are bounded by what the kit accepts, whatever
  the file says of itself; 40,000 cards in all the sheets, 1,000 problems;
- no part may declare a DTD (`<!DOCTYPE`): Excel never writes one, and it is the way to
  entity expansion and external entities. expat itself fetches no external entity; a
  workbook that declares any is refused before any entity is read, so defusedxml is not
  needed.

Values are read as Excel saved them (the cached result of a formula; no formula is run,
an .xlsx holds no macros), with openpyxl's rules for what a number format makes a date.
A problem in a cell is `file:Sheet:R12:C2: message`; a damaged or hostile workbook is
`file: is not a readable Excel workbook (why)`.
"""

from __future__ import annotations

import functools
import io
import math
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from xml.parsers import expat

from ..errors import ContentError, Location, Problem
from ..intake import TEXT_LIMIT, fail, read_bytes
from .csvdeck import COLUMNS, MAX_CELL, MAX_ROWS, deck_from_rows
from .yamlfile import SourceFile

MAX_UNPACKED = 64 * 1024 * 1024
"""What a workbook may unpack to in all: forty thousand long cards fit in far less."""
MAX_RATIO = 200
"""How much one part of the workbook may grow when unpacked (XML packs well, not this well)."""
MAX_PARTS = 1_000
"""Entries in the ZIP: Excel writes a dozen or two; each costs memory before any is read."""
MAX_TAGS = 3_000_000
"""XML tags (`<`, start and end) in all parts read, counted before expat parses them: a
workbook of 40,000 four-column cards has 1.0 to 1.4 million, three million take the
reader under two seconds."""
MAX_COLUMNS = 30
"""Cells read from each row: the card columns are among the first few."""
MAX_SHEET_ROWS = 2 * MAX_ROWS
"""Rows read from one sheet, empty ones included (a sheet of a million blank rows)."""
MAX_SHEETS = 50
MAX_PROBLEMS = 1_000
"""Problems said of one workbook: past that, more lines help nobody, and each costs memory."""
MAX_VALUE = 64
"""Characters of a number or date cell's value: no number Excel writes is longer."""

_CHUNK = 1 << 16
MAX_RUN = 1 << 20
"""Bytes between two tags. expat gathers a start tag whole before the kit sees it, and one
start tag of 20 MB holds two million attributes, half a gigabyte once Python has them.
No text Excel writes comes near (a cell holds at most 32,767 characters), and a run
within one chunk is shorter than a chunk, so counting across chunks bounds every run."""
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
"""What reading a damaged part raises: a bad CRC, a broken deflate stream, a truncated
entry, an LZMA or bzip2 error, an entry's header at a negative offset, a compression method
zipfile does not have."""
_ENCODINGS = {"UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "ISO-8859-1"}
"""expat's own encodings, in each of which `<` is the byte 0x3C."""
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?[0-9]+")
_DATE_CODES: dict[int, str] = {}


class _Unreadable(Exception):
    """Why a workbook cannot be read, said after "is not a readable Excel workbook"."""


class _Stop(Exception):
    """Enough of this part has been read (a sheet that is no deck, a limit reached)."""


def _check_zip(raw: bytes, path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise fail(path, "is not an Excel workbook (.xlsx); save it as an Excel workbook") from None
    # ZipFile has read the whole central directory by now; a file of at most 16 MB holds
    # under 400,000 entries, which costs a second and 200 MB at worst, and is refused here.
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        archive.close()
        raise fail(path, f"holds {len(parts):,} parts; an Excel workbook has a few dozen")
    total = 0
    for info in parts:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > MAX_UNPACKED or info.file_size / packed > MAX_RATIO * 10:
            archive.close()
            raise fail(path, f"its part {info.filename} would unpack to {info.file_size:,} "
                             "bytes; a workbook of cards is far smaller")  # fmt: skip
    if total > MAX_UNPACKED:
        archive.close()
        raise fail(path, f"would unpack to {total:,} bytes; a workbook of cards is far smaller")
    return archive


@functools.lru_cache(maxsize=256)
def _local(name: str) -> str:
    """An element's name without its prefix. Excel writes its own namespace as the default;
    expat's namespace processing would cost a quarter of the reading time for all."""
    return name.rpartition(":")[2]


def _shown(text: str) -> str:
    """`text` (a sheet's name, a value) fit for one line of an error message."""
    text = "".join(c if c.isprintable() else "?" for c in text[:40])
    return text + ("…" if len(text) >= 40 else "")


def _unescape(text: str) -> str:
    """Excel's escapes of characters XML cannot hold (`_x000D_` for a carriage return)."""
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _date_code(number: int) -> str | None:
    if not _DATE_CODES:
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        _DATE_CODES.update(BUILTIN_FORMATS)
    return _DATE_CODES.get(number)


class _Workbook:
    """The parts of one workbook that hold cards, each read once, in one streaming pass."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive = archive
        self.path = path
        self.names = set(archive.namelist())
        self.tags = 0
        self.cards = 0
        self.problems = 0
        self.epoch = datetime(1899, 12, 30)
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        self.strings: list[str] = []

    def stream(
        self,
        name: str,
        shown: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        """Parse the part `name` with the handlers, counting its tags towards MAX_TAGS."""
        if name not in self.names:
            raise _Unreadable(f"it has no part {name}")
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = _CHUNK

        def declared(version: str, encoding: str | None, standalone: int) -> None:
            # The tags are counted as `<` bytes, which every encoding allowed here has.
            if encoding is not None and encoding.upper() not in _ENCODINGS:
                raise _Unreadable(f"{shown} is in the encoding {_shown(encoding)}; Excel "
                                  "writes UTF-8")  # fmt: skip

        def doctype(*_: object) -> None:
            raise _Unreadable(
                f"{shown} declares a DTD (<!DOCTYPE>), which Excel never writes; its entities "
                "could expand without end or name other files"
            )

        parser.XmlDeclHandler = declared
        parser.StartDoctypeDeclHandler = doctype
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        try:
            part = self.archive.open(name)
        except (RuntimeError, *_READ_ERRORS) as exc:  # RuntimeError: encrypted
            raise _Unreadable(f"its part {name} cannot be unpacked ({exc})") from None
        with part:
            run = 0  # bytes since the last `<`, across chunks
            try:
                while True:
                    try:
                        chunk = part.read(_CHUNK)
                    except _READ_ERRORS as exc:
                        raise _Unreadable(f"its part {name} cannot be unpacked ({exc})") from None
                    self.tags += chunk.count(b"<")
                    if self.tags > MAX_TAGS:
                        raise fail(self.path, f"holds more than {MAX_TAGS:,} XML tags (reading "
                                   f"{shown}); 40,000 cards take under 1,500,000")  # fmt: skip
                    last = chunk.rfind(b"<")
                    run = run + len(chunk) if last < 0 else run + chunk.find(b"<")
                    if run > MAX_RUN:
                        raise _Unreadable(
                            f"{shown} has more than {MAX_RUN // 1024:,} kB without a tag; no "
                            "text Excel writes is so long"
                        )
                    if last >= 0:
                        run = len(chunk) - last - 1
                    parser.Parse(chunk, not chunk)
                    if not chunk:
                        break
            except expat.ExpatError as exc:
                why = expat.errors.messages[exc.code]
                raise _Unreadable(f"{shown} is damaged: {why} at line {exc.lineno}, "
                                  f"column {exc.offset + 1}") from None  # fmt: skip
            except _Stop:
                pass

    def relationships(self, name: str, folder: str) -> dict[str, tuple[str, str]]:
        """The relationships in the part `name`: id -> (type, part name) of every internal
        one, its target resolved against `folder` as the package's rules say."""
        found: dict[str, tuple[str, str]] = {}

        def start(element: str, attributes: dict[str, str]) -> None:
            if _local(element) != "Relationship" or attributes.get("TargetMode") == "External":
                return
            target = attributes.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            found[attributes.get("Id", "")] = (attributes.get("Type", ""), target)

        self.stream(name, name, start)
        return found

    def title(self) -> str:
        """The workbook's own title (File > Info > Title: `dc:title` of the core
        properties), as much of it as a card holds, or "" where it has none."""
        name = "docProps/core.xml"
        if "_rels/.rels" in self.names:
            for kind, target in self.relationships("_rels/.rels", "").values():
                if kind.endswith("/core-properties"):
                    name = target
        if name not in self.names:
            return ""
        parts: list[str] = []
        depth = [0]
        inside = [False]

        def start(element: str, attributes: dict[str, str]) -> None:
            depth[0] += 1
            inside[0] = depth[0] == 2 and _local(element) == "title"

        def end(element: str) -> None:
            depth[0] -= 1
            inside[0] = False

        def text(data: str) -> None:
            if inside[0] and sum(map(len, parts)) <= MAX_CELL:
                parts.append(data)

        self.stream(name, name, start, end, text)
        return " ".join("".join(parts).split())[:MAX_CELL]

    def main_part(self) -> str:
        """The workbook part: where the package's relationships say, as Excel names it
        otherwise."""
        if "_rels/.rels" in self.names:
            for kind, target in self.relationships("_rels/.rels", "").values():
                if kind.endswith("/officeDocument"):
                    return target
        return "xl/workbook.xml"

    def sheets(self, name: str) -> list[tuple[str, str]]:
        """The sheets the workbook part `name` lists: (name, relationship id), and its date
        system."""
        listed: list[tuple[str, str]] = []
        depth = [0]

        def start(element: str, attributes: dict[str, str]) -> None:
            depth[0] += 1
            local = _local(element)
            prefix = element.rpartition(":")[0]
            declared = attributes.get(f"xmlns:{prefix}" if prefix else "xmlns")
            if depth[0] == 1 and declared == _STRICT:
                raise _Unreadable("it is saved as a Strict Open XML Spreadsheet; save it as "
                                  "an Excel Workbook (.xlsx)")  # fmt: skip
            if local == "workbookPr" and attributes.get("date1904") in ("1", "true"):
                self.epoch = datetime(1904, 1, 1)
            elif local == "sheet" and depth[0] == 3:
                if len(listed) == MAX_SHEETS:
                    raise fail(self.path, f"has more than {MAX_SHEETS} sheets; a workbook "
                                          "of cards has a few")  # fmt: skip
                rid = next((v for k, v in attributes.items() if k.endswith(":id")), "")
                listed.append((attributes.get("name", ""), rid))

        def end(element: str) -> None:
            depth[0] -= 1

        self.stream(name, name, start, end)
        return listed

    def styles(self, name: str) -> None:
        """Which cell styles show a date or a duration (openpyxl's reading of the number
        formats); nothing else of the style sheet is kept."""
        codes: dict[int, str] = {}
        formats: list[int] = []
        stack: list[str] = []

        def start(element: str, attributes: dict[str, str]) -> None:
            local = _local(element)
            stack.append(local)
            if len(stack) == 3 and local == "numFmt" and stack[1] == "numFmts":
                number = attributes.get("numFmtId", "")
                if number.isdigit() and len(number) < 10:
                    codes[int(number)] = attributes.get("formatCode", "")[:200]
            elif len(stack) == 3 and local == "xf" and stack[1] == "cellXfs":
                number = attributes.get("numFmtId", "0")
                formats.append(int(number) if number.isdigit() and len(number) < 10 else 0)

        def end(element: str) -> None:
            stack.pop()

        self.stream(name, name, start, end)
        from openpyxl.styles.numbers import is_date_format, is_timedelta_format

        for index, number in enumerate(formats):
            code = codes.get(number) or _date_code(number)
            if is_date_format(code):
                self.dates.add(index)
            if is_timedelta_format(code):
                self.durations.add(index)

    def shared_strings(self, name: str) -> None:
        """The workbook's shared texts: each `si`'s text runs, without phonetic guides."""
        strings = self.strings
        stack: list[str] = []
        parts: list[str] = []
        collect: list[list[str] | None] = [None]

        def start(element: str, attributes: dict[str, str]) -> None:
            local = _local(element)
            stack.append(local)
            if local == "t" and (len(stack) == 3 or (len(stack) == 4 and stack[2] == "r")):
                collect[0] = parts

        def end(element: str) -> None:
            local = stack.pop()
            if local == "t":
                collect[0] = None
            elif local == "si" and len(stack) == 1:
                strings.append(_unescape("".join(parts)))
                parts.clear()

        def text(data: str) -> None:
            if collect[0] is not None:
                collect[0].append(data)

        self.stream(name, name, start, end, text)


class _Sheet:
    """One sheet read as rows of at most MAX_COLUMNS texts, as Excel shows them."""

    def __init__(
        self, book: _Workbook, title: str, on_row: Callable[[int, list[str]], None]
    ) -> None:
        self.book = book
        self.where = f"{book.path}:{_shown(title)}"
        self.on_row = on_row
        self.problems: list[Problem] = []
        self.stack: list[str] = []
        self.row = 0
        self.column = 0
        self.cells: list[str] = []
        self.kind = self.style = ""
        self.value: list[str] = []
        self.inline: list[str] = []
        self.collect: list[str] | None = None
        self.keep = False

    def problem(self, message: str, column: int | None = None) -> None:
        self.problems.append(Problem(Location(self.where, self.row, column, cells=True), message))
        self.book.problems += 1
        if self.book.problems == MAX_PROBLEMS:
            self.problems.append(Problem(Location(self.where, self.row, column, cells=True),
                f"{MAX_PROBLEMS:,} problems; the workbook is read no further"))  # fmt: skip
            raise _Stop

    def start(self, element: str, attributes: dict[str, str]) -> None:
        # Called for every element of the sheet: the commonest cases are tested first.
        local = _local(element)
        stack = self.stack
        stack.append(local)
        depth = len(stack)
        if depth == 4:
            if local == "c" and stack[2] == "row":
                self._start_cell(attributes)
        elif depth == 5:
            if local == "v" and self.keep:
                self.collect = self.value
        elif depth == 3:
            if local == "row" and stack[1] == "sheetData":
                self._start_row(attributes.get("r"))
        elif (
            self.keep
            and local == "t"
            and stack[4] == "is"
            and (depth == 6 or (depth == 7 and stack[5] == "r"))
        ):
            self.collect = self.inline

    def _start_cell(self, attributes: dict[str, str]) -> None:
        ref = attributes.get("r")
        if ref is None:
            column = self.column + 1
        else:
            found = _CELL.fullmatch(ref)
            column = _column(found.group(1)) if found else 0
            if not found or column > 16_384:
                self.problem(f"the cell reference `{_shown(ref)}` names no cell; the workbook "
                             "is damaged", self.column + 1)  # fmt: skip
                column = self.column + 1
        self.column = column
        self.keep = column <= MAX_COLUMNS
        if self.keep:  # a header row 16,384 cells wide is read for its first 30
            self.kind = attributes.get("t", "n")
            self.style = attributes.get("s", "")
            self.value.clear()
            self.inline.clear()

    def _start_row(self, number: str | None) -> None:
        previous = self.row
        if number is None:
            self.row += 1
        else:
            try:
                value = float(number) if len(number) < MAX_VALUE else math.nan
            except ValueError:
                value = math.nan
            if not value.is_integer() or value < 1:
                self.row = previous + 1
                self.problem(f"the row is numbered `{_shown(number)}`, which is no row number; "
                             "the workbook is damaged")  # fmt: skip
                raise _Stop
            if value <= previous:
                self.row = int(value)
                self.problem(f"the row comes after row {previous}; the workbook is damaged")
                raise _Stop
            self.row = int(value)
        self.column = 0
        self.cells = [""] * MAX_COLUMNS

    def end(self, element: str) -> None:
        local = self.stack.pop()
        if self.collect is not None:
            self.collect = None  # the end of a `v` or `t`: nothing is gathered within them
        elif local == "c":
            if self.keep and len(self.stack) == 3:
                self.cells[self.column - 1] = self._text()
                self.keep = False
        elif local == "row" and len(self.stack) == 2:
            self.on_row(self.row, self.cells)

    def text(self, data: str) -> None:
        if self.collect is not None:
            self.collect.append(data)

    def _text(self) -> str:
        """The cell's value as the text Excel shows for it."""
        kind = self.kind
        if kind == "inlineStr":
            return _unescape("".join(self.inline))
        value = "".join(self.value)
        if not value:
            return ""
        if kind in ("str", "e"):
            return _unescape(value)
        if kind == "s":
            strings = self.book.strings
            index = int(value) if value.isdigit() and len(value) < 10 else -1
            if 0 <= index < len(strings):
                return strings[index]
            return self._bad(f"refers to shared text {_shown(value)}, but the workbook has "
                             f"{len(strings):,}")  # fmt: skip
        if len(value) > MAX_VALUE:
            return self._bad(f"holds a {kind!r} value of {len(value):,} characters")
        if kind == "b":
            if value.strip() in ("0", "1"):
                return str(value.strip() == "1")
            return self._bad(f"holds `{_shown(value)}` as true or false, which it is not")
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                return _date_text(from_ISO8601(value.strip()))
            except ValueError:
                return self._bad(f"holds `{_shown(value)}` as a date, which it is not")
        if kind != "n":
            return self._bad(f"has the type `{_shown(kind)}`, which Excel does not write")
        try:
            number = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return self._bad(f"holds `{_shown(value)}` as a number, which it is not")
        if not math.isfinite(number):
            return self._bad(f"holds `{_shown(value)}`, a number Excel cannot hold")
        style = int(self.style) if self.style.isdigit() and len(self.style) < 10 else -1
        if style in self.book.dates:
            from openpyxl.utils.datetime import from_excel

            try:
                shown = from_excel(number, self.book.epoch, timedelta=style in self.book.durations)
            except (OverflowError, ValueError):
                return self._bad(f"is formatted as a date, but holds {_shown(value)}, which "
                                 "is no date")  # fmt: skip
            return _date_text(shown)
        if isinstance(number, float) and number.is_integer():
            return str(int(number))
        return str(number)

    def _bad(self, message: str) -> str:
        self.problem(f"the cell {message}; the workbook is damaged", self.column)
        return ""


def _date_text(value: object) -> str:
    """A date as the kit prints it: ISO 8601, without a time of midnight."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def load_xlsx_decks(path: Path, *, inside: Path | None = None) -> list[SourceFile]:
    """Every deck sheet of the workbook at `path`; every problem of all sheets at once."""
    raw = read_bytes(path, limit=TEXT_LIMIT, inside=inside, what="workbook")
    return parse_xlsx_decks(path, raw)


_DEFAULT_SHEET = re.compile(r"(?:Ark|Sheet|Blad|Tabelle|Feuil|Hoja|Foglio|Planilha)\s*\d+")
"""The names Excel and LibreOffice give a new sheet, in Danish and a few other languages:
not a title."""


@functools.cache
def _starter_sheet() -> str:
    """The name of the sheet `kit init --deck` writes, not a title either."""
    import yaml

    from ..resources import templates_dir

    words = yaml.safe_load((templates_dir() / "kit" / "starter-deck.yaml").read_text("utf-8"))
    return str(words["sheet"])


def parse_xlsx_decks(path: Path, raw: bytes) -> list[SourceFile]:
    """Every deck sheet of the workbook `raw`, read from `path`."""
    with _check_zip(raw, path) as archive:
        try:
            book = _Workbook(archive, path)
            found, problems = _read_decks(book)
            book_title = book.title() if len(found) == 1 else ""
        except _Unreadable as exc:
            raise fail(path, f"is not a readable Excel workbook ({exc})") from None
    if not found and not problems:
        raise ContentError([Problem(
            Location(path), "no sheet whose first row has a `spørgsmål` (or `question`) column"
        )])  # fmt: skip
    sources = []
    for title, keys, data in found:
        name = path.stem if len(found) == 1 else f"{path.stem}-{title}"
        # The deck's title as the workbook spells it: its title (File > Info), else the
        # sheet's name unless it is a default one; only then the file name.
        named = None if _DEFAULT_SHEET.fullmatch(title) or title == _starter_sheet() else title
        try:
            sources.append(
                deck_from_rows(f"{path}:{title}", name, keys, data, problems=[], cells=True,
                               title=book_title or named)
            )  # fmt: skip
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return sources


def _read_decks(
    book: _Workbook,
) -> tuple[list[tuple[str, list[str], list[tuple[int, list[str]]]]], list[Problem]]:
    main = book.main_part()
    folder = posixpath.dirname(main)
    listed = book.sheets(main)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(main) + ".rels")
    rels = book.relationships(rels_name, folder) if listed else {}
    read: set[str] = set()
    for kind, target in rels.values():
        ending = kind.rpartition("/")[2]
        if ending in ("styles", "sharedStrings") and ending not in read:
            read.add(ending)  # one of each, as Excel writes
            (book.styles if ending == "styles" else book.shared_strings)(target)
    problems: list[Problem] = []
    found: list[tuple[str, list[str], list[tuple[int, list[str]]]]] = []
    for title, rid in listed:
        if rid not in rels:
            raise _Unreadable(f"its sheet `{_shown(title)}` refers to {_shown(rid) or 'nothing'}, "
                              f"which {rels_name} does not have")  # fmt: skip
        kind, target = rels[rid]
        if not kind.endswith("/worksheet"):
            continue  # a chart sheet or a dialog sheet holds no cards
        deck = _read_deck(book, title, target, problems)
        if deck is not None:
            found.append((title, *deck))
        if book.cards > MAX_ROWS or book.problems >= MAX_PROBLEMS:
            break  # its problem is said; the sheets after would only cost time
    return found, problems


def _read_deck(
    book: _Workbook, title: str, part: str, problems: list[Problem]
) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """The header keys and rows of the sheet `title` if it is a deck (its first row names a
    question column), else None; its problems are added to `problems`."""
    keys: list[str] = []
    data: list[tuple[int, list[str]]] = []
    width = 0

    def on_row(number: int, cells: list[str]) -> None:
        nonlocal width
        if not keys:
            keys.extend(COLUMNS.get(_nfc(c).strip().lower(), "") for c in cells)
            if number != 1 or "question" not in keys:
                keys[:] = ["-"]
                raise _Stop  # a sheet of notes or lists, not a deck
            # A row keeps the cells up to the last card column: 40,000 rows of 30 would
            # be 12 MB of empty places.
            width = max(i for i, key in enumerate(keys) if key) + 1
            del keys[width:]
            return
        if number > MAX_SHEET_ROWS:  # blank rows count too: reading them takes time
            sheet.problem(f"more than {MAX_SHEET_ROWS:,} rows in one sheet")
            raise _Stop
        if not any(c.strip() for c in cells):
            return
        for column, cell in enumerate(cells, start=1):
            if len(cell) > MAX_CELL:
                sheet.problem(f"the cell holds {len(cell):,} characters; a card holds at most "
                              f"{MAX_CELL:,}", column)  # fmt: skip
        book.cards += 1
        if book.cards > MAX_ROWS:  # in all sheets together: each card costs memory
            sheet.problem(f"more than {MAX_ROWS:,} cards in one workbook")
            raise _Stop
        data.append((number, cells[:width]))

    sheet = _Sheet(book, title, on_row)
    book.stream(part, f"sheet `{_shown(title)}` ({part})", sheet.start, sheet.end, sheet.text)
    problems.extend(sheet.problems)
    if "question" not in keys:
        return None
    return keys, data


def starter_workbook() -> bytes:
    """A workbook to start a deck in: the header row, two example cards, and a category
    column that offers the allowed values as a drop-down (from a sheet of its own, so
    they can be changed)."""
    import yaml
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..resources import templates_dir

    words = yaml.safe_load((templates_dir() / "kit" / "starter-deck.yaml").read_text("utf-8"))
    book = Workbook()
    cards = book.active
    cards.title = words["sheet"]
    cards.append(words["header"])
    for row in words["cards"]:
        cards.append(row)
    for cell in cards[1]:
        cell.font = Font(bold=True)
    cards["A1"].comment = Comment(words["note"], "fremfaerd-kit")
    for column, width in zip("ABCD", (60, 50, 18, 12), strict=True):
        cards.column_dimensions[column].width = width
    cards.freeze_panes = "A2"
    lists = book.create_sheet(words["categories_sheet"])
    lists.append([words["categories_header"]])
    for name in words["categories"]:
        lists.append([name])
    last = 1 + max(len(words["categories"]), 50)
    offer = DataValidation(
        type="list",
        formula1=f"='{words['categories_sheet']}'!$A$2:$A${last}",
        allow_blank=True,
        showDropDown=False,  # openpyxl's name: False shows the drop-down arrow
    )
    cards.add_data_validation(offer)
    offer.add(f"C2:C{MAX_ROWS + 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
