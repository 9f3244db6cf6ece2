"""Whether a value read back from the cache is one the kit could have made itself.

An entry of the cache is the kit's own classes and plain data, which the unpickler builds
whatever values they hold: a card whose question is a number, an id with a slash, a deck
whose categories are missing. Such a value would crash the kit far from where it was
read, or put a wrong file name on an output. So what comes back is checked against the
type the caller expects, as the content model declares it: the annotations of its
dataclasses and TypedDicts, the `Rule`s of its fields (patterns, lengths, bounds), the
lengths in its fields' metadata and the classes' own `__post_init__` checks. That is
pydantic's validation of the same classes in strict mode, without importing pydantic
(a command that prints from the cache never does) and without converting anything: a
value conforms or the entry is a miss.

Values are checked a column at a time: all the questions of all the cards of a library
at once, by the set of their classes, their shortest and longest length and one pattern
search each, which Python runs in C. Checking one card after another, field by field,
took longer than unpickling a kept deck of 40,000 cards; a column at a time takes a
fraction of it.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from functools import cache
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any

Many = Callable[[list[Any]], bool]
"""A check of every value of a column."""

_SCALARS: dict[Any, frozenset[type]] = {
    str: frozenset({str}),
    bytes: frozenset({bytes}),
    bool: frozenset({bool}),
    int: frozenset({int}),
    float: frozenset({float, int}),  # an int where a float is declared, as Python's typing allows
    type(None): frozenset({type(None)}),
    None: frozenset({type(None)}),
}
"""Types whose values are checked by their exact class: `True` is no int here."""
_LENGTHS = frozenset({"min_length", "max_length"})
_METADATA = _LENGTHS | {"description"}
"""What a field's metadata may say (`model.doc`): anything else is not known to hold."""


def conforms(value: Any, hint: Any) -> bool:
    """Whether `value` is of the type `hint` describes, with every constraint it declares:
    a type, `X | None`, `list[X]`, `dict[K, V]`, `tuple[...]`, `set[X]`, `Literal[...]`,
    `Annotated[X, Rule(...)]`, a dataclass or a TypedDict. A form it does not know is
    never met."""
    try:
        return _many(hint)([value])
    except Exception:  # a value that breaks a check (unhashable, unset slot): not the kit's
        return False


def _never(values: list[Any]) -> bool:
    return False


def _always(values: list[Any]) -> bool:
    return True


def _types(allowed: frozenset[type]) -> Many:
    return lambda values: set(map(type, values)) <= allowed


@cache
def _many(hint: Any) -> Many:
    if hint is Any:
        return _always
    allowed = _scalars(hint)
    if allowed is not None:
        return _types(allowed)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return _annotated(_many(args[0]), args[1:])
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin is typing.Literal:
        kinds, choices = frozenset(map(type, args)), frozenset(args)
        return lambda values: set(map(type, values)) <= kinds and set(values) <= choices
    if origin in (list, set, frozenset):
        return _flat(frozenset({origin}), _many(args[0] if args else Any))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _flat(frozenset({tuple}), _many(args[0]))
    if origin is tuple:
        return _rows([_many(a) for a in args])
    if origin is dict:
        return _mapping(*(_many(a) for a in (args or (Any, Any))))
    if isinstance(hint, type) and typing.is_typeddict(hint):
        return _typeddict(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    if isinstance(hint, type) and origin is None:
        return lambda values: all(map(isinstance, values, repeat(hint)))
    return _never


def _scalars(hint: Any) -> frozenset[type] | None:
    """The exact classes of a scalar type or a union of them (`str | int`), or None."""
    if hint in _SCALARS:
        return _SCALARS[hint]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        parts = [_scalars(a) for a in typing.get_args(hint)]
        if all(part is not None for part in parts):
            return frozenset().union(*typing.cast(list[frozenset[type]], parts))
    return None


def _union(args: tuple[Any, ...]) -> Many:
    """`X | None` checks the values that are not None as X; other unions a value at a time."""
    others = [a for a in args if a is not type(None)]
    if len(others) == 1:
        rest = _many(others[0])
        return lambda values: rest([v for v in values if v is not None])
    options = [_many(a) for a in args]
    return lambda values: all(any(option([v]) for option in options) for v in values)


def _flat(kinds: frozenset[type], items: Many) -> Many:
    return lambda values: (
        set(map(type, values)) <= kinds and items(list(chain.from_iterable(values)))
    )


def _rows(columns: list[Many]) -> Many:
    def check(values: list[Any]) -> bool:
        if not set(map(type, values)) <= {tuple} or not set(map(len, values)) <= {len(columns)}:
            return False
        return all(column(list(map(itemgetter(n), values))) for n, column in enumerate(columns))

    return check


def _mapping(keys: Many, items: Many) -> Many:
    return lambda values: (
        set(map(type, values)) <= {dict}
        and keys(list(chain.from_iterable(values)))
        and items(list(chain.from_iterable(map(dict.values, values))))
    )


def _typeddict(cls: type) -> Many:
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = {name: _many(hint) for name, hint in hints.items()}
    required = frozenset(getattr(cls, "__required_keys__", fields))

    def check(values: list[Any]) -> bool:
        if not set(map(type, values)) <= {dict}:
            return False
        if not all(required <= value.keys() <= fields.keys() for value in values):
            return False
        return all(
            field([value[name] for value in values if name in value])
            for name, field in fields.items()
        )

    return check


def _dataclass(cls: type) -> Many:
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = []
    for f in dataclasses.fields(cls):
        if not f.metadata.keys() <= _METADATA:
            return _never
        counted = bool(_LENGTHS & f.metadata.keys())
        low, high = f.metadata.get("min_length", 0), f.metadata.get("max_length")
        fields.append((attrgetter(f.name), _many(hints[f.name]), counted, low, high))
    after = getattr(cls, "__post_init__", None)

    def check(values: list[Any]) -> bool:
        if not set(map(type, values)) <= {cls}:
            return False
        for get, field, counted, low, high in fields:
            column = list(map(get, values))  # AttributeError for a slot left unset
            if not field(column):
                return False
            if counted and column and not _within(list(map(len, column)), low, high):
                return False
        if after is not None:
            for value in values:
                after(value)  # its ValueError: not a value reading could have made
        return True

    return check


def _within(lengths: list[int], low: int, high: int | None) -> bool:
    return min(lengths) >= low and (high is None or max(lengths) <= high)


def _annotated(base: Many, metadata: tuple[Any, ...]) -> Many:
    from .model import After, Rule

    checks = [base]
    for meta in metadata:
        if isinstance(meta, Rule):
            checks.append(_rule(meta))
        elif isinstance(meta, After):
            checks.append(_after(meta.check))
        else:
            return _never
    return lambda values: all(check(values) for check in checks)


def _after(function: Callable[[Any], Any]) -> Many:
    """An `After` check, run on each value: its ValueError is a value that fails."""

    def check(values: list[Any]) -> bool:
        for value in values:
            function(value)
        return True

    return check


_RULE_TYPES = {"str": str, "int": int, "bool": bool}


def _rule(rule: Any) -> Many:
    """A `Rule` as pydantic reads it in strict mode: the exact type, then each constraint
    (pydantic's `pattern` matches anywhere, as `re.search` does; the model anchors its own)."""
    if rule.kind not in _RULE_TYPES:
        return _never
    checks = [_many(_RULE_TYPES[rule.kind])]
    for name, limit in rule.constraints.items():
        check = _constraint(name, limit)
        if check is None:
            return _never
        checks.append(check)
    return lambda values: not values or all(check(values) for check in checks)


def _constraint(name: str, limit: Any) -> Many | None:
    """One constraint over a column of values of the right type (never empty)."""
    if name == "pattern":
        search = re.compile(limit).search
        return lambda values: all(map(search, values))
    if name == "min_length":
        return lambda values: min(map(len, values)) >= limit
    if name == "max_length":
        return lambda values: max(map(len, values)) <= limit
    if name == "gt":
        return lambda values: min(values) > limit
    if name == "ge":
        return lambda values: min(values) >= limit
    if name == "lt":
        return lambda values: max(values) < limit
    if name == "le":
        return lambda values: max(values) <= limit
    return None
