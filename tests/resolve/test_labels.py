"""Nickname-only mentions: label cleaning, label features and per-phone name counts in the linkage input."""

from __future__ import annotations

import pyarrow as pa
import pytest

from filiere.resolve.labels import clean_label
from filiere.resolve.prepare import add_lines, add_name_features


@pytest.mark.parametrize(("label", "cleaned"), [
    ("omar 2", "omar"),
    ("Aly new", "aly"),
    ("Ahmed Dunkerque", "ahmed"),
    ("Karim hawala", "karim"),
    ("shwan brother", "shwan"),
    ("Kaka Soran", "soran"),
    ("Haji Rebwar ☎", "rebwar"),
    ("Kurdo", "kurdo"),
    ("Doctor", "doctor"),            # a bare title is the nickname itself
    ("Omar Hassan", "omar hassan"),  # a full name is left whole
])
def test_clean_label_keeps_the_name_part(label: str, cleaned: str) -> None:
    assert clean_label(label) == cleaned


@pytest.mark.parametrize("label", ["", None, "2", "Calais", "new 2 ☎"])
def test_clean_label_without_a_name_gives_none(label: str | None) -> None:
    assert clean_label(label) is None


def _base(rows: list[tuple[str, str, bool, list[str] | None]]) -> pa.Table:
    return pa.table({
        "unique_id": [r[0] for r in rows],
        "name_full": [r[1] for r in rows],
        "alias_only": [r[2] for r in rows],
        "phones": pa.array([r[3] for r in rows], pa.list_(pa.string())),
        "phone": pa.array([r[3][0] if r[3] else None for r in rows], pa.string()),
    })


def test_label_only_mentions_get_label_features_not_full_name_features() -> None:
    prepared = add_name_features(_base([
        ("m1", "Omar HASSAN", False, ["+33600000001"]),
        ("m2", "Omar new", True, ["+33600000001"]),
        ("m3", "Oumar 2", True, ["+33600000001"]),
    ])).to_pylist()
    by_id = {r["unique_id"]: r for r in prepared}
    assert by_id["m1"]["name_canon"] is not None and by_id["m1"]["label_canon"] is None
    for m in ("m2", "m3"):
        assert by_id[m]["name_canon"] is None and by_id[m]["name_sorted"] is None  # the name comparison is missing
        assert by_id[m]["label_canon"] is not None
    # transliterations of the cleaned label meet, and meet the full name's tokens
    assert by_id["m2"]["label_canon"] == by_id["m3"]["label_canon"]
    assert by_id["m2"]["label_tokens"][0] in by_id["m1"]["any_tokens"]


def test_lines_one_name_counts_full_names_not_labels() -> None:
    solo, group = "+33600000001", "+33600000002"
    prepared = add_lines(add_name_features(_base([
        ("m1", "Omar HASSAN", False, [solo, group]),
        ("m2", "HASSAN Omar", False, [solo]),        # same name, other order: still one name
        ("m3", "Kurdo", True, [solo]),               # labels do not count as names
        ("m4", "Ahmed ALI", False, [group]),         # a second name on the group's number
    ]))).to_pylist()
    by_id = {r["unique_id"]: r for r in prepared}
    assert by_id["m1"]["lines_one_name"] == [solo]
    assert by_id["m3"]["lines_one_name"] == [solo]
    assert by_id["m4"]["lines_one_name"] is None
