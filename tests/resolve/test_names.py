"""Name features: known variant pairs share keys and score high, known non-matches score low."""

from __future__ import annotations

import pandas as pd
import pytest

from filiere.resolve.names import FRAME_COLUMNS, NameConfig, name_feature_frame, name_keys, name_similarity

VARIANT_PAIRS = [
    ("Mohammed", "Muhammad"),
    ("Mohammed", "Mouhamed"),
    ("Muhammad", "Mohamed"),
    ("Abdulrahman", "Abdel Rahman"),
    ("Abdulrahman", "Abd al-Rahman"),
    ("Abd el Rahman", "ABDURRAHMAN"),
    ("محمد", "Muhammad"),
    ("عبد الرحمن", "Abdulrahman"),
    ("عبدالرحمن", "Abd al-Rahman"),
    ("KHAN Mohammed", "Mohammed Khan"),
    ("Mohammed ABDULRAHMAN", "Muhamad Abdel Rahman"),
    ("Youssef El-Fituri", "يوسف الفيتوري"),
    ("Abdullah bin Salman", "Abdallah Salman"),
    ("Omar Ould Ahmed", "Umar Ahmad"),
    ("Habib Ullah NOORI", "Habibullah Noori"),  # a theophoric ending written apart
    ("Rahmat Ullah", "Rahmatullah"),
    ("Zabi-Ullah", "Zabiullah"),
    ("Samiollah", "Samiullah"),  # one theophoric ending, however spelled
    ("Rahmatoullah HOTAK", "Rahmatullah Hotak"),
    ("Zabiollah", "Zabihullah"),
    ("Abdellh SHERWAN", "Abdullah Sherwan"),  # unvowelled, as Arabic script writes it
    ("Ghebre Medhin AMANUEL", "Amanuel Gebremedhin"),  # a Tigrinya compound written apart
]

NON_MATCHES = [
    ("Mohammed Khan", "Mohammed Karim"),
    ("Ahmed", "Hamid"),
    ("Mahmoud Ali", "Mohammed Ali"),
    ("Hassan Omar", "Hussein Omar"),
    ("Mohammed Ali", "Mohammed Hassan"),
    ("Tesfay Gebremedhin", "Tesfay Haile"),
    ("Abdulrahman Karim", "Rahman Karim"),
    ("Haben", "Habtom"),  # two Tigrinya names, once wrongly one line of the lexicon
]


@pytest.mark.parametrize(("a", "b"), VARIANT_PAIRS)
def test_variant_pairs_share_the_sorted_key_and_score_high(a: str, b: str) -> None:
    assert name_keys(a).sorted_key == name_keys(b).sorted_key
    assert name_keys(a).skeleton == name_keys(b).skeleton
    assert name_similarity(a, b) >= 0.95


@pytest.mark.parametrize(("a", "b"), NON_MATCHES)
def test_known_non_matches_score_low(a: str, b: str) -> None:
    assert name_keys(a).sorted_key != name_keys(b).sorted_key
    assert name_similarity(a, b) <= 0.8


def test_a_variant_spelling_scores_above_a_different_surname() -> None:
    assert name_similarity("Mohammed Khan", "Muhammad Khan") > name_similarity("Mohammed Khan", "Mohammed Karim")


def test_a_lone_theophoric_word_is_not_joined_to_nothing() -> None:
    assert name_keys("Ullah Khan").tokens == ("allah", "khan")
    assert name_keys("Sami Ullah Khan").tokens == ("samiullah", "khan")
    assert name_keys("Abd Allah").tokens == name_keys("Abdullah").tokens  # still the abd compound
    assert not any(t.endswith("ullah") for n in ("Ulla", "Stella", "Bella Khan") for t in name_keys(n).tokens)
    # two names that happen to start a listed compound stay two names, in either order
    assert name_keys("Gebre TESFAY").sorted_key == name_keys("Tesfay Gebre").sorted_key == "gebre tesfay"


def test_ahmed_and_hamid_keep_different_skeletons() -> None:
    assert name_keys("Ahmed").skeleton != name_keys("Hamid").skeleton
    assert name_keys("أحمد").skeleton == name_keys("Ahmed").skeleton
    assert name_keys("حامد").skeleton == name_keys("Hamid").skeleton


def test_tokens_keep_original_order_and_sorted_key_does_not() -> None:
    a, b = name_keys("KHAN Mohammed"), name_keys("Mohammed Khan")
    assert a.tokens == tuple(reversed(b.tokens))
    assert a.sorted_key == b.sorted_key == " ".join(sorted(a.tokens))


def test_similarity_is_symmetric_and_bounded() -> None:
    pairs = VARIANT_PAIRS + NON_MATCHES
    for a, b in pairs:
        s = name_similarity(a, b)
        assert 0.0 <= s <= 1.0
        assert s == pytest.approx(name_similarity(b, a))


def test_surname_capitals_and_accents_do_not_matter() -> None:
    assert name_keys("Margarita SIMONYÁN").tokens == name_keys("margarita simonyan").tokens


def test_persian_and_kurdish_letters_are_transliterated() -> None:
    keys = name_keys("پژمان چگینی")
    assert all(t.isascii() and t for t in keys.tokens)
    assert keys.skeleton == name_keys("Pezhman Chegini").skeleton


def test_geez_script_reaches_latin_skeleton() -> None:
    assert name_keys("ተስፋይ").skeleton == name_keys("Tesfay").skeleton


def test_switching_off_variants_loses_the_spelling_group() -> None:
    off = NameConfig(variants=False)
    assert name_keys("Mohammed", off).tokens != name_keys("Muhammad", off).tokens
    assert name_keys("Mohammed").tokens == name_keys("Muhammad").tokens


def test_feature_frame_shape_order_and_determinism() -> None:
    names = ["KHAN Mohammed", "محمد خان", "Abd al-Rahman", "", "Tesfay Gebre"]
    frame = name_feature_frame(names)
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == len(names)
    assert frame["name"].tolist() == names
    assert frame.loc[0, "name_sorted"] == frame.loc[1, "name_sorted"]
    assert frame.loc[0, "name_first"] == "khan" and frame.loc[0, "name_last"] == "muhammad"
    assert frame.loc[0, "name_canon"] == " ".join(frame.loc[0, "name_tokens"])
    assert frame.loc[3, "name_tokens"] == [] and frame.loc[3, "name_first"] is None
    pd.testing.assert_frame_equal(frame, name_feature_frame(names))
