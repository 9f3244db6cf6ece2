"""Load and check the content library: every file, every rule, every problem before stopping."""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import model
from .errors import ContentError, InputError, Problem
from .intake import files_under
from .model import Deck, Handout, Item, Publication, SourcesFile, Tool
from .readers import parse_content, read_content
from .readers.source import KeyPath, SourceFile
from .resources import content_dir
from .textcheck import damage, unsafe

YAML_SUFFIXES = (".yaml", ".yml")
VARIABLE_TEXTS: set[str] = set()
"""Content texts that use the kit's variables (`{{ teknologi }}`): the only texts that the
templates' `md` filter fills in. A value of a variable or of a kit file is never run."""
CONTENT_SUFFIXES = (*YAML_SUFFIXES, ".csv", ".xlsx")


@dataclass
class Library:
    """Every tool, deck, handout and publication, by id, with the file each came from."""

    tools: dict[str, Tool] = field(default_factory=dict)
    decks: dict[str, Deck] = field(default_factory=dict)
    handouts: dict[str, Handout] = field(default_factory=dict)
    publications: dict[str, Publication] = field(default_factory=dict)
    files: dict[str, SourceFile] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """What the readers did that a user should know (a CSV read as Windows-1252)."""

    def get(self, item_id: str) -> Item:
        """The tool, deck or handout with `item_id`; `InputError` with a suggestion if none."""
        for table in (self.tools, self.decks, self.handouts):
            if item_id in table:
                return table[item_id]
        raise InputError(unknown_id("item", item_id, self.ids()))

    def tool(self, tool_id: str) -> Tool:
        """The tool with `tool_id`."""
        if tool_id not in self.tools:
            raise InputError(unknown_id("tool", tool_id, self.tools))
        return self.tools[tool_id]

    def deck(self, deck_id: str) -> Deck:
        """The deck with `deck_id`."""
        if deck_id not in self.decks:
            raise InputError(unknown_id("deck", deck_id, self.decks))
        return self.decks[deck_id]

    def handout(self, handout_id: str) -> Handout:
        """The handout with `handout_id`."""
        if handout_id not in self.handouts:
            raise InputError(unknown_id("handout", handout_id, self.handouts))
        return self.handouts[handout_id]

    def ids(self) -> list[str]:
        """All item ids."""
        return [*self.tools, *self.decks, *self.handouts]

    def retitled(self, titles: dict[str, str]) -> Library:
        """The library with these decks titled anew (a kit file's title for a deck from a
        spreadsheet, whose cards print it as their short title too)."""
        if not titles:
            return self
        decks = {
            i: dataclasses.replace(d, title=titles[i], short_title=titles[i]) if i in titles else d
            for i, d in self.decks.items()
        }
        return dataclasses.replace(self, decks=decks)

    def question_heading(self, tool: Tool, group_id: str) -> str | None:
        """The heading the source gives a group work's questions (`Fem spørgsmål om …`)."""
        ref = tool.group(group_id).questions_from
        return self.decks[ref.deck].category(ref.category).heading if ref else None

    def questions(self, tool: Tool, group_id: str) -> list[str]:
        """A group work's questions, its own or those of the deck category it names."""
        group = tool.group(group_id)
        if group.questions_from is None:
            return list(group.questions)
        deck = self.decks[group.questions_from.deck]
        return [c.question for c in deck.cards_in(group.questions_from.category)]


def load_library(
    extra: Iterable[Path] = (), *, builtin: bool = True, cache: bool = True
) -> Library:
    """Load the built-in library and any extra content folders or files; raise `ContentError`.

    `cache`: use and keep the library as last read (`libcache`) when no file has changed."""
    roots = [content_dir()] if builtin else []
    roots.extend(Path(p) for p in extra)
    return check_files(_content_files(roots), cache=cache)


def check_files(
    paths: Iterable[Path | tuple[Path, Path | None]], *, cache: bool = False
) -> Library:
    """Load, validate and cross-check `paths`; every problem is collected before raising.

    A path may come with the folder it must stay inside (symlinks are followed no further).
    """
    problems: list[Problem] = []
    read: list[tuple[Path, bytes]] = []
    once: set[Path] = set()
    for entry in paths:
        path, inside = entry if isinstance(entry, tuple) else (entry, None)
        try:  # a file given twice (`--content cs check cs`) is one file, read once
            real = path.resolve()
        except (OSError, RuntimeError, ValueError):
            real = path
        if real in once:
            continue
        once.add(real)
        try:
            read.append((path, read_content(path, inside)))
        except ContentError as exc:
            problems.extend(exc.problems)
    key = None
    if cache and not problems:
        from . import cache as kept

        key = kept.digest(*(part for path, raw in read for part in (str(path), raw)))
        found = kept.recall("library", key, _could_be_read)
        if found is not None:
            VARIABLE_TEXTS.update(found[1])
            return typing.cast(Library, found[0])
    library = Library()
    texts: set[str] = set()
    items: list[tuple[SourceFile, Any]] = []
    for path, raw in read:
        try:
            sources = parse_content(path, raw, partial=True)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        for source in sources:
            if source.note:
                library.notes.append(f"{source.path}: {source.note}")
            item = _validate(source, problems, texts)
            source.let_go(path)  # read into `item`; positions are read again if ever needed
            if item is not None:
                items.append((source, item))
    del read
    seen: dict[str, SourceFile] = {}
    replaced: set[str] = set()
    for source, item in items:
        if isinstance(item, SourcesFile):
            for i, pub in enumerate(item.sources):
                if pub.id in library.publications:
                    problems.append(
                        source.problem(("sources", i, "id"), f"duplicate publication id `{pub.id}`")
                    )
                library.publications[pub.id] = pub
            continue
        assert isinstance(item, Tool | Deck | Handout)
        if item.id in seen and not item.replaces:
            problems.append(
                source.problem(
                    ("id",),
                    f"duplicate id `{item.id}`: also in {seen[item.id].path}; to replace that "
                    "item on purpose, add `replaces: true`",
                )
            )
            continue
        if item.replaces and (item.id not in seen or item.id in replaced):
            why = "it is replaced twice" if item.id in replaced else "there is none to replace"
            problems.append(
                source.problem(("replaces",), f"`replaces: true`, but {why} (id `{item.id}`)")
            )
            continue
        if item.replaces:
            replaced.add(item.id)
            for table in (library.tools, library.decks, library.handouts):
                table.pop(item.id, None)
        seen[item.id] = source
        library.files[item.id] = source
        if isinstance(item, Tool):
            library.tools[item.id] = item
        elif isinstance(item, Deck):
            library.decks[item.id] = item
        else:
            library.handouts[item.id] = item
    for source, item in items:
        if isinstance(item, Tool | Deck | Handout) and library.files.get(item.id) is source:
            problems.extend(_cross_check(item, source, library))
    VARIABLE_TEXTS.update(texts)
    if problems:
        raise ContentError(problems)
    if key is not None:
        from . import cache as kept

        kept.keep("library", key, (library, texts))
    return library


def _could_be_read(found: Any) -> bool:
    """Whether a library kept by an earlier run is one reading the files could have made:
    the content model's types and constraints (`conform`), each item under its own id in
    one table with the file it came from, the cross-references that reading checks, and
    only templated texts among the texts to fill in. Anything else is not printed."""
    from .conform import conforms

    if not conforms(found, tuple[Library, set[str]]):
        return False
    library, texts = found
    tables: list[dict[str, Any]] = [library.tools, library.decks, library.handouts]
    keyed = [*tables, library.publications]
    if any(key != item.id for table in keyed for key, item in table.items()):
        return False
    items = {key: item for table in tables for key, item in table.items()}
    if sum(map(len, tables)) != len(items) or library.files.keys() != items.keys():
        return False
    if not all("{{" in text or "{%" in text for text in texts):
        return False
    return not any(_cross_check(item, library.files[key], library) for key, item in items.items())


def _content_files(roots: Iterable[Path]) -> list[tuple[Path, Path | None]]:
    """Each content file under `roots`, with the folder it must stay inside (a file named
    on its own is read wherever its symlinks lead: the user named it)."""
    files: list[tuple[Path, Path | None]] = []
    for root in roots:
        if root.is_dir():
            files.extend((p, root) for p in files_under(root, CONTENT_SUFFIXES))
        else:
            files.append((root, None))
    return files


# --- one file --------------------------------------------------------------------------


@cache
def validator(cls: type) -> Any:
    """pydantic's validator of a content class (pydantic is imported here, when a file is
    read, and never by the commands that print an already read library)."""
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def _validate(source: SourceFile, problems: list[Problem], texts: set[str]) -> Any:
    data = source.data
    if isinstance(data, dict) and data.get("kind") == "kit":
        return None  # a kit file in a content folder describes the kit, not content
    found = len(problems)
    problems.extend(source.problems)  # the reader's, about single values it left out
    if not isinstance(data, dict):
        problems.append(source.problem((), "expected a mapping with a `kind` at the top"))
        return None
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in model.KINDS:
        if kind is None:
            message = f"missing required field `kind` (one of: {', '.join(model.KINDS)})"
        else:
            message = unknown_id("kind", str(kind), model.KINDS)
        problems.append(source.problem(("kind",), message))
        return None
    cls = model.KINDS[kind]
    for key_path, text in strings(data, ()):
        # Ids and links are not prose (no extraction damage to find), but every text,
        # they too, is one that the outputs can show.
        prose = not (key_path and key_path[-1] in ("link", "id"))
        harm = (damage(text) if prose else None) or unsafe(text)
        if harm:
            source.bad.add(key_path)
            problems.append(source.problem(key_path, harm))
        if "{{" in text or "{%" in text:
            texts.add(text)
    from pydantic import ValidationError

    try:
        item = validator(cls).validate_python(data)
    except ValidationError as exc:
        problems.extend(source.besides_unread(translate_errors(source, cls, exc)))
        return None
    return item if len(problems) == found else None


def strings(data: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every text in plain data, with its key path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*path, i))


def translate_errors(source: SourceFile, cls: type, exc: Any) -> list[Problem]:
    """Turn pydantic's errors into one line each, in the words of a YAML author."""
    problems = []
    errors = exc.errors(include_url=False)
    branches: dict[KeyPath, list[Any]] = {}  # a value that fits no type a field allows
    for err in errors:
        loc: KeyPath = tuple(p for p in err["loc"] if isinstance(p, str | int))
        if len(loc) > 1 and isinstance(loc[-1], str) and _model_at(cls, loc[:-1]) is None:
            branches.setdefault(loc[:-1], []).append(err)
    for err in errors:
        loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
        tried = branches.get(loc[:-1], [])
        if len(tried) < 2:
            problems.append(source.problem(loc, _message(cls, loc, err)))
        elif err is tried[0]:  # one line for the field, not one per type it may have
            problems.append(source.problem(loc[:-1], _no_branch(cls, loc[:-1], tried)))
    return problems


def _no_branch(cls: type, loc: KeyPath, tried: list[Any]) -> str:
    """`expected start time, "HH:MM" (quote it), got a list`: the field's own description,
    or what each of its types expected."""
    parent = _model_at(cls, loc[:-1])
    described = next(
        (f.metadata.get("description") for f in dataclasses.fields(parent) if f.name == loc[-1]),
        None,
    ) if parent is not None and dataclasses.is_dataclass(parent) else None  # fmt: skip
    if described:
        return f"expected {described}, got {_describe(tried[0].get('input'))}"
    expected = dict.fromkeys(
        _message(cls, loc, err).removeprefix("expected ").split(", got ")[0] for err in tried
    )
    return f"expected {' or '.join(expected)}, got {_describe(tried[0].get('input'))}"


def _message(cls: type, loc: KeyPath, err: Any) -> str:
    kind, value = err["type"], err.get("input")
    key = loc[-1] if loc else ""
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        parent = _model_at(cls, loc[:-1])
        allowed = list(_fields(parent)) if parent else []
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        suggestion = (
            f"; did you mean `{hint[0]}`?" if hint else f"; allowed keys: {', '.join(allowed)}"
        )
        return f"unknown key `{key}`{suggestion}"
    if kind == "missing":
        return f"missing required field `{key}`"
    if kind == "string_pattern_mismatch":
        pattern = err["ctx"]["pattern"]
        if pattern == model.ID_PATTERN:
            return (
                f"`{value}` is not a valid id: use lower-case ascii letters, digits and "
                "single hyphens (e.g. `min-kortbunke`)"
            )
        if pattern == model.COLOUR_PATTERN:
            return f"`{value}` is not a colour like `#1D3B5A`"
        if pattern == model.URL_PATTERN:
            return (
                f"`{value}` is not a web address: http:// or https:// and at most 500 "
                "characters, with no spaces, quotes or <> (e.g. `https://example.dk/rapport`)"
            )
        return f"`{value}` does not have the form this field takes"
    if kind in (
        "greater_than",
        "less_than_equal",
        "int_type",
        "int_from_float",
    ) and "minutes" in str(key):
        return f"minutes must be a positive whole number (at most 1440), got `{value!r}`"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_describe(value)}"
    if kind in ("string_type", "string_too_short"):
        return f"expected text, got {_describe(value)}"
    if kind in ("list_type",):
        return f"expected a list, got {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type", "dataclass_type"):
        return f"expected a mapping of keys, got {_describe(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {_describe(value)}"
    if kind == "string_too_long":
        return f"is longer than {err['ctx']['max_length']:,} characters"
    if kind == "too_long":
        return f"has more than {err['ctx']['max_length']:,} items"
    if kind == "too_short":
        return f"must have at least {err['ctx']['min_length']} item(s)"
    if kind == "literal_error":
        return f"expected {err['ctx']['expected']}, got {_describe(value)}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"`{value!r}`"


def _fields(cls: type) -> dict[str, Any]:
    """The keys of a content class (a dataclass) or of a pydantic model, with their types."""
    if dataclasses.is_dataclass(cls):  # its fields, not the base's class variables
        hints = typing.get_type_hints(cls, include_extras=True)
        return {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return {name: info.annotation for name, info in getattr(cls, "model_fields", {}).items()}


def _model_at(cls: type, loc: KeyPath) -> type | None:
    """The class that describes the mapping at `loc`, if any."""
    current: Any = cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and _fields(current):
            current = _fields(current).get(part)
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and _fields(current) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation


# --- across files ----------------------------------------------------------------------


def _cross_check(
    item: Tool | Deck | Handout, source: SourceFile, library: Library
) -> list[Problem]:
    problems: list[Problem] = []
    if item.source.publication not in library.publications:
        problems.append(
            source.problem(
                ("source", "publication"),
                unknown_id("publication", item.source.publication, library.publications),
            )
        )
    if isinstance(item, Deck):
        problems.extend(_check_deck(item, source))
    elif isinstance(item, Tool):
        problems.extend(_check_tool(item, source, library))
    else:
        problems.extend(_duplicates_plain(item.tools, "tools", source))
        for i, tool_id in enumerate(item.tools):
            if tool_id not in library.tools:
                problems.append(
                    source.problem(("tools", i), unknown_id("tool", tool_id, library.tools))
                )
    return problems


def _duplicates_plain(ids: list[str], where: str, source: SourceFile) -> Iterator[Problem]:
    """A list of ids (not of mappings with one) that names one id twice."""
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            yield source.problem((where, i), f"`{item_id}` is named twice in `{where}`")
        seen.add(item_id)


def _duplicates(ids: list[str], where: str, source: SourceFile) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            yield source.problem((where, i, "id"), f"duplicate id `{item_id}` in `{where}`")
        seen.add(item_id)


def _check_deck(deck: Deck, source: SourceFile) -> Iterator[Problem]:
    yield from _duplicates([c.id for c in deck.categories], "categories", source)
    yield from _duplicates([c.id for c in deck.cards], "cards", source)
    categories = [c.id for c in deck.categories]
    for i, card in enumerate(deck.cards):
        if card.category not in categories:
            yield source.problem(
                ("cards", i, "category"), unknown_id("category", card.category, categories)
            )
    cards = [c.id for c in deck.cards]
    for i, slide in enumerate(deck.slides):
        if slide.card is not None and slide.card not in cards:
            yield source.problem(("slides", i, "card"), unknown_id("card", slide.card, cards))
        if slide.category is not None and slide.category not in categories:
            yield source.problem(
                ("slides", i, "category"), unknown_id("category", slide.category, categories)
            )


def _check_tool(tool: Tool, source: SourceFile, library: Library) -> Iterator[Problem]:
    groups = [g.id for g in tool.group_work]
    yield from _duplicates(groups, "group_work", source)
    yield from _duplicates([b.id for b in tool.agenda.blocks], "agenda.blocks", source)
    for i, block in enumerate(tool.agenda.blocks):
        at: KeyPath = ("agenda", "blocks", i)
        if block.group_work is not None and block.group_work not in groups:
            yield source.problem(
                (*at, "group_work"), unknown_id("group work", block.group_work, groups)
            )
        low, high = block.min_minutes or block.minutes, block.max_minutes or block.minutes
        if not low <= block.minutes <= high:
            yield source.problem(
                (*at, "minutes"),
                f"{block.minutes} is outside the block's min_minutes..max_minutes ({low}..{high})",
            )
    if tool.agenda.blocks[0].facilitator_only:
        yield source.problem(
            ("agenda", "blocks", 0, "facilitator_only"),
            "the first block cannot be facilitator-only: the participants' "
            "agenda folds such a block into the item before it",
        )
    if tool.duration and tool.duration.min_minutes > tool.duration.max_minutes:
        yield source.problem(("duration", "min_minutes"), "min_minutes is above max_minutes")
    for i, group in enumerate(tool.group_work):
        ref = group.questions_from
        if ref is None:
            continue
        ref_at: KeyPath = ("group_work", i, "questions_from")
        if ref.deck not in library.decks:
            yield source.problem((*ref_at, "deck"), unknown_id("deck", ref.deck, library.decks))
        elif ref.category not in [c.id for c in library.decks[ref.deck].categories]:
            yield source.problem(
                (*ref_at, "category"),
                unknown_id(
                    "category", ref.category, [c.id for c in library.decks[ref.deck].categories]
                ),
            )


def unknown_id(what: str, value: str, known: Iterable[str]) -> str:
    """`unknown deck `x``, with a "did you mean" or the known ids."""
    known = list(known)
    hint = difflib.get_close_matches(value, known, n=1)
    if hint:
        return f"unknown {what} `{value}`; did you mean `{hint[0]}`?"
    listing = ", ".join(sorted(known)) if known else "none"
    return f"unknown {what} `{value}` (known: {listing})"
