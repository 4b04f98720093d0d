"""docs/mappings.md stays in step with the code: every key, format, encoding and kind is documented."""

from pathlib import Path

import pytest

from filiere.ingest.mapping import ENCODINGS, FORMATS, SOURCE_KEYS, SPEC_KEYS, SPLITS
from filiere.model.kinds import KINDS, PERSON_PROPS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "mappings.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", SPEC_KEYS)
def test_property_spec_keys_are_documented(key):
    assert f"`{key}:" in DOC


@pytest.mark.parametrize("key", SOURCE_KEYS)
def test_source_keys_are_documented(key):
    assert f"{key}" in DOC


@pytest.mark.parametrize("name", [*FORMATS, *ENCODINGS, *SPLITS, *KINDS, *(p.name for p in PERSON_PROPS)])
def test_names_are_documented(name):
    assert name in DOC
