"""The person-matching model: Splink settings, unsupervised training and scoring.

Two models share one input table (:mod:`filiere.resolve.prepare`):

* ``filiere`` — names compared on transliteration-aware features computed before Splink (canonical tokens,
  token-order-insensitive form, consonant skeleton, token overlap), birth dates with their precision (a
  1 January placeholder or a bare year only has to agree on the year), nationality, gender, shared phones
  and document numbers; blocking rules on the name features so transliterated spellings meet.  A mention
  named only by a nickname or contact label has no full name (the name comparison is missing, not a
  disagreement); its cleaned label is compared with the other's label or name tokens instead, and a shared
  number is weighed by who holds it (two label-only mentions, one full name, or several names).
* ``plain`` — the baseline: Splink's default ``NameComparison`` (Jaro-Winkler) on the lower-cased name, the
  birth date as written, the same other comparisons, and blocking on the raw name.

The settings use only Splink's comparison library and plain SQL (``=``, ``IS NULL``, ``abs``, ``AND``), so
the same settings run on Splink's Spark backend.  Training is unsupervised: ``u`` by random sampling, ``m``
by expectation maximisation over several blocking rules, the prior from deterministic rules.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

log = logging.getLogger(__name__)

ModelKind = Literal["filiere", "plain"]

# Documented default: pairs scored at or above this match probability are merged (Splink match weight ≈ 3.2).
DEFAULT_THRESHOLD = 0.9
# Pairs kept from prediction (below the merge threshold, for explanations and re-clustering after judgements).
KEEP_PROBABILITY = 0.5


def _name_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="transliteration-aware name features",
        comparison_levels=[
            cll.NullLevel("name_canon"),
            cll.ExactMatchLevel("name_canon", term_frequency_adjustments=True).configure(
                label_for_charts="same canonical name", m_probability=0.55, u_probability=0.001),
            cll.ExactMatchLevel("name_sorted").configure(
                label_for_charts="same canonical tokens, other order", m_probability=0.1, u_probability=0.0005),
            cll.ExactMatchLevel("name_skeleton").configure(
                label_for_charts="same consonant skeleton", m_probability=0.1, u_probability=0.001),
            cll.JaroWinklerLevel("name_sorted", 0.92).configure(
                label_for_charts="sorted tokens Jaro-Winkler >= 0.92", m_probability=0.1, u_probability=0.002),
            cll.ArrayIntersectLevel("name_tokens", 2).configure(
                label_for_charts="two or more canonical tokens shared", m_probability=0.05, u_probability=0.002),
            cll.JaroWinklerLevel("name_sorted", 0.8).configure(
                label_for_charts="sorted tokens Jaro-Winkler >= 0.80", m_probability=0.05, u_probability=0.03),
            cll.ArrayIntersectLevel("name_tokens", 1).configure(
                label_for_charts="one canonical token shared", m_probability=0.03, u_probability=0.05),
            cll.ElseLevel().configure(m_probability=0.02, u_probability=0.9),
        ],
    )


def _label_comparison() -> cl.CustomComparison:
    """A nickname or contact label (cleaned of qualifiers) against the other side's label or name tokens.

    Missing when neither side is named only by a label: then the full-name comparison speaks.
    """
    return cl.CustomComparison(
        output_column_name="label",
        comparison_description="nickname / contact label against the other's label or name",
        comparison_levels=[
            cll.CustomLevel("(label_canon_l IS NULL AND label_canon_r IS NULL) OR any_tokens_l IS NULL"
                            " OR any_tokens_r IS NULL", "no label to compare").configure(is_null_level=True),
            cll.ExactMatchLevel("label_canon", term_frequency_adjustments=True).configure(
                label_for_charts="same cleaned label", m_probability=0.4, u_probability=0.001),
            cll.ArrayIntersectLevel("any_tokens", 1).configure(
                label_for_charts="label shares a token with the other's label or name",
                m_probability=0.3, u_probability=0.01),
            cll.ElseLevel().configure(m_probability=0.3, u_probability=0.989),
        ],
    )


def _dob_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth date with precision; 1 January placeholders and bare years agree on year",
        comparison_levels=[
            cll.NullLevel("dob_year"),
            cll.CustomLevel("dob_day_l = dob_day_r", "same day").configure(
                m_probability=0.8, u_probability=0.0001),
            cll.CustomLevel(
                "dob_year_l = dob_year_r AND (dob_day_l IS NULL OR dob_day_r IS NULL)"
                " AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)",
                "same year, one side less precise",
            ).configure(m_probability=0.1, u_probability=0.02),
            cll.LevenshteinLevel("dob_day", 1).configure(
                label_for_charts="day differs by one character", m_probability=0.05, u_probability=0.001),
            cll.CustomLevel("abs(dob_year_l - dob_year_r) <= 1", "within a year").configure(
                m_probability=0.03, u_probability=0.05),
            cll.ElseLevel().configure(m_probability=0.02, u_probability=0.9),
        ],
    )


def _plain_dob_comparison() -> cl.DateOfBirthComparison:
    return cl.DateOfBirthComparison("dob_raw", input_is_string=True, datetime_format="%Y-%m-%d")


def _document_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="document",
        comparison_levels=[
            cll.NullLevel("document"),
            cll.ExactMatchLevel("document").configure(m_probability=0.9, u_probability=0.00001),
            cll.LevenshteinLevel("document", 1).configure(
                label_for_charts="one edit apart", m_probability=0.05, u_probability=0.0001),
            cll.ElseLevel().configure(m_probability=0.05, u_probability=0.9999),
        ],
    )


def _phones_comparison(kind: ModelKind) -> cl.CustomComparison:
    """Shared numbers.  Ours compares phone lines (a number, or the chain of numbers one user went through
    when phone swaps were merged), and tells apart a line that only one full name holds (``lines_one_name``)
    from one held under several names (a group's phone, a straw subscriber), and a line under which two
    label-only mentions were saved or designated (what a contact list or a witness ties to its user).
    The plain model compares the numbers as written."""
    col = "lines" if kind == "filiere" else "phones"
    ours = [
        cll.And(cll.CustomLevel("alias_only_l AND alias_only_r"), cll.ArrayIntersectLevel("lines", 1)).configure(
            label_for_charts="a number in common, both named only by a label", m_probability=0.3,
            u_probability=0.0001),
        cll.ArrayIntersectLevel("lines_one_name", 1).configure(
            label_for_charts="a number in common that one full name holds", m_probability=0.4,
            u_probability=0.0002),
    ] if kind == "filiere" else []
    return cl.CustomComparison(
        output_column_name="phones",
        comparison_levels=[
            cll.NullLevel(col),
            *ours,
            cll.ArrayIntersectLevel(col, 1).configure(
                label_for_charts="a phone number in common", m_probability=0.7, u_probability=0.0005),
            cll.ElseLevel().configure(m_probability=0.3, u_probability=0.9995),
        ],
    )


def _exact(col: str, m: float, u: float) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ExactMatchLevel(col).configure(m_probability=m, u_probability=u),
            cll.ElseLevel().configure(m_probability=1 - m, u_probability=1 - u),
        ],
    )


def comparisons(kind: ModelKind) -> list[Any]:
    name = _name_comparison() if kind == "filiere" else cl.NameComparison("name_plain")
    dob = _dob_comparison() if kind == "filiere" else _plain_dob_comparison()
    label = [_label_comparison()] if kind == "filiere" else []
    return [name, *label, dob, _exact("nationality", 0.9, 0.1), _exact("gender", 0.97, 0.5),
            _document_comparison(), _phones_comparison(kind)]


def blocking_rules(kind: ModelKind) -> list[Any]:
    """Candidate pairs: any one rule suffices.  Ours keep recall across transliterations."""
    if kind == "filiere":
        return [
            block_on("name_sorted"),
            block_on("name_skeleton"),
            block_on("name_rare_token", "dob_year"),
            block_on("name_first", "dob_day"),
            block_on("line"),
            block_on("document"),
        ]
    return [
        block_on("name_plain"),
        block_on("substr(name_plain, 1, 3)", "dob_raw"),
        block_on("phone"),
        block_on("document"),
    ]


def em_blocking_rules(kind: ModelKind) -> list[Any]:
    """EM sessions: each comparison is estimated in at least one session whose rule does not use it."""
    if kind == "filiere":
        # (a session blocked on the phone was measured and left out: its pairs mix a group's members sharing
        # one number, and the name m probabilities it estimates cost precision and recall; the label
        # comparison and the label-only phone level keep their starting m probabilities)
        return [block_on("name_sorted"), block_on("dob_day"), block_on("document")]
    return [block_on("name_plain"), block_on("dob_raw"), block_on("document")]


def deterministic_rules(kind: ModelKind) -> list[Any]:
    if kind == "filiere":
        return [block_on("name_canon", "dob_day"), block_on("document")]
    return [block_on("name_plain", "dob_raw"), block_on("document")]


@dataclass(frozen=True)
class ModelSpec:
    """What to fit: which model, link type, and optional extra comparisons/blocking (e.g. Febrl addresses)."""

    kind: ModelKind = "filiere"
    link_type: Literal["dedupe_only", "link_only", "link_and_dedupe"] = "dedupe_only"
    extra_comparisons: tuple[Any, ...] = ()
    extra_blocking: tuple[Any, ...] = ()
    seed: int = 42
    u_max_pairs: float = 5e6
    em_max_pairs: float | None = 2e6
    # share of true matches the deterministic rules find: most mentions lack a full birth date and a document
    # (measured on the simulator's small worlds: 0.048 with seed 7, 0.072 with seed 11)
    prior_recall: float = 0.05
    retain_columns: tuple[str, ...] = field(default=())

    def settings(self) -> SettingsCreator:
        return SettingsCreator(
            link_type=self.link_type,
            unique_id_column_name="unique_id",
            comparisons=[*comparisons(self.kind), *self.extra_comparisons],
            blocking_rules_to_generate_predictions=[*blocking_rules(self.kind), *self.extra_blocking],
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,  # gamma_* columns: which level fired
            additional_columns_to_retain=list(self.retain_columns),
            probability_two_random_records_match=0.0001,
        )


@dataclass
class FittedModel:
    """Scored pairs (unique_id_l, unique_id_r, match_weight, match_probability, gamma_*, mw_*) and the model."""

    pairs: pa.Table
    model_json: dict[str, Any]
    level_labels: dict[str, dict[int, str]]
    training_notes: list[str]


def level_labels(settings_dict: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison output name → gamma value → human label, from a trained settings dict."""
    labels: dict[str, dict[int, str]] = {}
    for comp in settings_dict["comparisons"]:
        levels = comp["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        mapping = {-1: "missing"}
        for i, lv in enumerate(non_null):
            mapping[len(non_null) - 1 - i] = lv.get("label_for_charts") or lv["sql_condition"]
        labels[comp["output_column_name"]] = mapping
    return labels


M_FLOOR = 0.001


def smooth_m_probabilities(model_json: dict[str, Any], floor: float = M_FLOOR) -> dict[str, Any]:
    """Floor every m probability at ``floor`` (renormalised per comparison).

    EM gives m = 0 to a level it never saw among its likely matches (e.g. differing nationality), which turns
    the level into an absolute veto (weight -60 or worse); one recording error would then split a person.
    """
    for comp in model_json["comparisons"]:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        ms = [lv.get("m_probability") for lv in levels]
        if any(m is None for m in ms):
            continue
        floored = [max(m, floor) for m in ms]
        total = sum(floored)
        for lv, m in zip(levels, floored, strict=True):
            lv["m_probability"] = m / total
    return model_json


# Columns of the prepared table that no comparison or blocking rule of a model reads (labels, explanations,
# attribution rules use them): dropped before Splink copies its input, which costs time per column.
_UNUSED_BY = {
    "filiere": ("name_full", "name_plain", "name_last", "name_token_skeletons", "any_skeletons", "label_tokens",
                "category", "record_kind", "dob_raw", "phone", "phones"),
    "plain": ("name_full", "name_canon", "name_sorted", "name_skeleton", "name_tokens", "name_first", "name_last",
              "name_rare_token", "name_token_skeletons", "any_skeletons", "label_tokens", "label_canon",
              "any_tokens", "category", "record_kind", "dob_day", "dob_month", "dob_year", "line", "lines",
              "lines_one_name"),
}


def model_input(table: pa.Table, kind: ModelKind) -> pa.Table:
    """``table`` without the columns the ``kind`` model never reads."""
    return table.drop_columns([c for c in _UNUSED_BY[kind] if c in table.column_names])


def fit_and_predict(
    tables: pa.Table | Sequence[pa.Table],
    spec: ModelSpec,
    keep_probability: float = KEEP_PROBABILITY,
) -> FittedModel:
    """Train the model unsupervised on ``tables`` and score the blocked pairs (on a private DuckDB).

    Order: the prior (probability that two random records match) from deterministic rules; u by random
    sampling; m by EM over several blocking rules; then the trained model is re-loaded with the prior from
    the deterministic rules (EM sessions adjust the prior to their blocked subsets, where matches are far
    more frequent than among all pairs) and scores the blocked pairs.
    """
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    db_api = DuckDBAPI(con)
    inputs = [model_input(t, spec.kind) for t in ([tables] if isinstance(tables, pa.Table) else list(tables))]
    sdfs = [db_api.register(t, table_name=f"input_{i}") for i, t in enumerate(inputs)]
    data = sdfs if len(sdfs) > 1 else sdfs[0]
    notes: list[str] = []
    linker = Linker(data, spec.settings(), log_level=logging.ERROR)
    default_prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    try:
        linker.training.estimate_probability_two_random_records_match(
            deterministic_rules(spec.kind), recall=spec.prior_recall)
        prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    except Exception as exc:  # too little data for the deterministic rules
        prior = 0.0
        notes.append(f"prior not estimated: {exc}")
    if not prior or prior <= 0:
        prior = default_prior
        linker = Linker(data, spec.settings(), log_level=logging.ERROR)
        notes.append(f"no deterministic matches: prior kept at {default_prior}")
    n_rows = sum(t.num_rows for t in inputs)
    small = n_rows < 20_000  # small data: one pass, no sampling (Splink's chunked probing costs more than it saves)
    linker.training.estimate_u_using_random_sampling(max_pairs=spec.u_max_pairs, seed=spec.seed,
                                                     num_chunks=1 if small else 10)
    for rule in em_blocking_rules(spec.kind):
        snapshot = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=None if small else spec.em_max_pairs)
        except Exception as exc:  # a rule with no or too few pairs: the other sessions (or priors) stand
            notes.append(f"EM on {rule.get_blocking_rule('duckdb').blocking_rule_sql} skipped: {exc}")
            linker = Linker(data, snapshot, log_level=logging.ERROR)  # a failed session can leave settings half-set
    model_json = smooth_m_probabilities(linker.misc.save_model_to_json())
    model_json["probability_two_random_records_match"] = prior
    scorer = Linker(data, model_json, log_level=logging.ERROR)
    pairs = scorer.inference.predict(threshold_match_probability=keep_probability).as_pyarrow_table()
    con.close()
    return FittedModel(pairs, model_json, level_labels(model_json), notes)
