"""Generated YAML documents and kit files: every outcome is a valid model or the kit's own error.

Bounded to stay fast; `FREMFAERD_FUZZ=2000 pytest tests/test_fuzz.py` runs longer.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fremfaerd_kit.errors import KitError
from fremfaerd_kit.kitfile import load_kit
from fremfaerd_kit.library import check_files

EXAMPLES = int(os.environ.get("FREMFAERD_FUZZ", "60"))
FIELDS = ["kind", "id", "title", "short_title", "source", "categories", "cards", "question",
          "category", "colour", "name", "agenda", "blocks", "minutes", "label", "purpose",
          "meeting", "start", "date", "decks", "content", "branding", "logo", "groups"]  # fmt: skip
KINDS = ["deck", "tool", "handout", "sources", "kit", "nonsense"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(KINDS),
    st.sampled_from(["#1D3B5A", "vaerktoej2", "dialogkort", "13:00", "2026-12-07", "../"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), children, max_size=6
        ),
    ),
    max_leaves=30,
)
rooted = st.fixed_dictionaries({"kind": st.sampled_from(KINDS)}).flatmap(
    lambda head: st.dictionaries(st.sampled_from(FIELDS), documents, max_size=8).map(
        lambda rest: {**rest, **head}
    )
)


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(st.one_of(rooted, documents), st.booleans())
def test_content_files_load_or_fail_with_the_kits_error(tmp_path_factory, data, raw_bytes):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "item.yaml"
    text = dump(data)
    if raw_bytes:  # also mangled bytes: cut in the middle, with a stray byte
        path.write_bytes(text.encode()[: len(text) // 2] + b"\xff")
    else:
        path.write_text(text, encoding="utf-8")
    with contextlib.suppress(KitError):
        check_files([path])


@FUZZ
@given(rooted)
def test_kit_files_load_or_fail_with_the_kits_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("kitfuzz")
    path = folder / "kit.yaml"
    path.write_text(dump({**data, "kind": "kit"}), encoding="utf-8")
    try:
        kit = load_kit(path)
        kit.content_folders()
        kit.templates_folder()
        kit.logo()
    except KitError:
        pass
    assert isinstance(path, Path)
