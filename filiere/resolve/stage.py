"""The resolve stage: persons, phones, vehicles and accounts, rebuilt together in one transaction.

1. score phone-swap candidates from calls and messages; merged swaps join numbers into lines (one user's
   chain of numbers), which the person model compares instead of bare numbers;
2. prepare the linkage input (mentions + name features), score pairs with the Splink model trained
   unsupervised on this workspace (on a private in-memory DuckDB: the workspace only receives results);
3. cluster pairs at the threshold, honouring the analysts' judgements in force and never joining the holders of two
   numbers that called each other (:func:`filiere.resolve.phones.mentions_in_contact`), then apply the attribution rules
   (:mod:`filiere.resolve.attribution`: one name on one line, label-only persons attached to their line's holder
   or grouped, ledger labels, witnesses and the crossings just before, witnesses' nicknames by their context),
   re-clustering after each; then keep apart the records of two identities a person holds (full names and birth
   dates years apart: :mod:`filiere.resolve.identities`) and cluster once more;
4. in ONE transaction: replace ``persons``, ``person_map``, ``match_evidence``, ``phones``, ``phone_links``,
   ``phone_owners``, ``vehicles``, ``accounts``; add a ``stage_runs`` row and a 'combination' entry to the
   processing log.  Source mentions are never touched.

A person's id is ``P-`` + the first 10 hex digits of SHA-256 of its smallest mention id, so it is stable
across re-runs as long as that mention stays in it.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial

import duckdb
import numpy as np
import pyarrow as pa

from filiere import audit
from filiere.errors import UsageError
from filiere.model.vocab import CATEGORY_PRECEDENCE, LogAction, SubjectCategory
from filiere.resolve import judgements
from filiere.resolve.accounts import build_accounts
from filiere.resolve.attribution import (
    BIRTH_DATE_RULE,
    GROUP_RULE,
    HOLDER_RULE,
    LEDGER_RULE,
    NICKNAME_CAPACITY_RULE,
    NICKNAME_RULE,
    OWNER_RULE,
    RETRY_RULE,
    RETRY_SPELLING_RULE,
    SEIZED_TOGETHER_RULE,
    STATEMENT_RULE,
    SUBJECT_RULE,
    WITNESS_RULE,
    WITNESS_SPELLING_RULE,
    birth_date_matches,
    crossing_companions_sql,
    crossing_passengers_sql,
    crossing_trips_sql,
    event_times_sql,
    label_line_groups,
    ledger_agents_sql,
    ledger_label_attachments,
    line_attachments,
    line_holder_merges,
    nickname_capacity_matches,
    nickname_line_users,
    phone_contacts_sql,
    retry_companion_matches,
    retry_spelling_matches,
    seized_devices_sql,
    seized_owner_matches,
    seized_together_matches,
    statement_facts_sql,
    statement_rows_sql,
    statement_subject_attachments,
    statement_witness_rows,
    witness_traveller_matches,
    witness_traveller_spelling_matches,
)
from filiere.resolve.attribution import RULE as ATTACHMENT_RULE
from filiere.resolve.clusters import cluster, groups_split
from filiere.resolve.identities import IDENTITY_RULE, identity_conflicts, pairs_kept_apart
from filiere.resolve.phones import (
    SwapParams,
    build_phone_events,
    build_phone_owners,
    build_phones,
    mentions_in_contact,
    score_swaps,
    swap_lines,
    write_swap_links,
)
from filiere.resolve.prepare import add_lines, collapse_identical, mention_features, phone_name_tokens
from filiere.resolve.splink_model import DEFAULT_THRESHOLD, KEEP_PROBABILITY, FittedModel, ModelSpec, fit_and_predict
from filiere.resolve.vehicles import build_vehicles
from filiere.workspace import Workspace

RESOLVED_TABLES = ("persons", "person_map", "match_evidence", "phones", "phone_owners", "phone_links",
                   "vehicles", "accounts")


@dataclass
class ResolveResult:
    run_id: str
    threshold: float
    mentions: int
    persons: int
    pairs_scored: int
    merge_edges: int
    judgements_same: int
    judgements_different: int
    refused_same: list[tuple[str, str]] = field(default_factory=list)
    edges_refused_by_judgements: int = 0
    kept_apart_victim_suspect: int = 0  # groups the scores joined that held a victim's and a suspect's record
    kept_apart_identities: int = 0  # persons the links joined that held two identities (names and birth dates)
    phones: int = 0
    phone_links: int = 0
    phone_links_merged: int = 0
    swap_lines: int = 0
    label_attachments: int = 0
    vehicles: int = 0
    accounts: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    training_notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def person_id_sql(col: str) -> str:
    return f"'P-' || substr(sha256({col}), 1, 10)"


def features_sql(fitted: FittedModel) -> str:
    """SQL expression (over the predictions table) building the JSON of comparison levels and weights."""
    parts = []
    columns = set(fitted.pairs.column_names)
    for comp, labels in fitted.level_labels.items():
        cases = " ".join(f"WHEN {g} THEN '{lbl.replace(chr(39), chr(39) * 2)}'" for g, lbl in labels.items())
        weight = f'"mw_{comp}"' + (f' + "mw_tf_adj_{comp}"' if f"mw_tf_adj_{comp}" in columns else "")
        parts.append(f"'{comp}', json_object('level', CASE \"gamma_{comp}\" {cases} END, "
                     f"'weight', round({weight}, 2))")
    return "json_object(" + ", ".join(parts) + ")::VARCHAR" if parts else "'{}'"


def categories_kept_apart(prepared: pa.Table) -> np.ndarray:
    """Per mention: 1 for a record of a victim, 2 for a record of a suspect or convicted person, else 0 — the
    classes :func:`filiere.resolve.clusters.cluster` never puts in one person on the model's or a rule's word.

    Records that categorise a person differently are two people far more often than one (on fifteen simulated
    worlds no person was both, and each of the 40 persons resolved before this rule holding both was a false
    merge — an organiser with a migrant who shared his birth date, say); and where one man is both (a migrant
    charged with steering the boat), joining a victim's records to a suspect's changes how the victim's data are
    processed (LED art. 6): that is an analyst's decision, made with a 'same' judgement, which this never
    overrides."""
    cats = prepared.column("category").to_numpy(zero_copy_only=False)
    victim = cats == SubjectCategory.VICTIM.value
    suspect = (cats == SubjectCategory.SUSPECT.value) | (cats == SubjectCategory.CONVICTED.value)
    return np.where(victim, 1, np.where(suspect, 2, 0)).astype(np.int64)


def _category_sql() -> str:
    order = ", ".join(f"'{c.value}'" for c in CATEGORY_PRECEDENCE)
    return f"([{order}])[min(coalesce(list_position([{order}], p.category), {len(CATEGORY_PRECEDENCE)}))]"


def resolve(
    ws: Workspace,
    threshold: float = DEFAULT_THRESHOLD,
    reason: str | None = None,
    actor: str | None = None,
    swap: SwapParams = SwapParams(),
    spec: ModelSpec = ModelSpec(),
    lines: pa.Table | None = None,
    attach_labels: bool = True,
) -> ResolveResult:
    """(Re)build the resolved tables of ``ws``; see the module docstring.

    ``lines`` (for experiments: ``phone``, ``line``) replaces the lines of the merged phone swaps;
    ``attach_labels=False`` leaves label-only persons unattached (for comparison).
    """
    if not 0 < threshold < 1:
        raise UsageError(f"--threshold is a match probability between 0 and 1, not {threshold}")
    started = time.perf_counter()
    run_id = f"resolve-{_now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    started_at = _now()
    con = ws.con

    timings: dict[str, float] = {}
    lap = time.perf_counter()

    def mark(step: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        timings[step] = round(now - lap, 2)
        lap = now

    unlined = mention_features(con)
    mark("prepare (name features)")
    build_phone_events(con)
    score_swaps(con, swap, phone_name_tokens(unlined))
    n_lines = swap_lines(con)
    lines = con.sql("SELECT phone, line FROM phone_lines").to_arrow_table() if lines is None else lines
    prepared = add_lines(unlined, lines)
    mark("phone swaps (lines of swapped numbers)")
    records, representatives = collapse_identical(prepared)
    mark("identical mentions")
    ids: list[str] = prepared.column("unique_id").to_pylist()
    index = {m: i for i, m in enumerate(ids)}
    fitted: FittedModel | None = None
    if records.num_rows >= 2:
        fitted = fit_and_predict(records, spec, keep_probability=min(KEEP_PROBABILITY, threshold))
        pairs = fitted.pairs
    else:
        pairs = pa.table({"unique_id_l": pa.array([], pa.string()), "unique_id_r": pa.array([], pa.string()),
                          "match_weight": pa.array([], pa.float64()),
                          "match_probability": pa.array([], pa.float64())})
    mark("splink (train and score)")
    probs = pairs.column("match_probability").to_numpy(zero_copy_only=False)
    keep = probs >= threshold
    left = [index[m] for m, k in zip(pairs.column("unique_id_l").to_pylist(), keep, strict=True) if k]
    right = [index[m] for m, k in zip(pairs.column("unique_id_r").to_pylist(), keep, strict=True) if k]
    n_model_edges = len(left)
    # identical mentions join their record's representative
    for m, rep in zip(representatives.column("mention_id").to_pylist(),
                      representatives.column("representative").to_pylist(), strict=True):
        if m != rep:
            left.append(index[rep])
            right.append(index[m])
    edge_probs = np.concatenate([probs[keep], np.ones(len(left) - n_model_edges)])

    active = judgements.active(ws)
    same = [(index[a], index[b]) for _, a, b, d in active if d == "same" and a in index and b in index]
    different = [(index[a], index[b]) for _, a, b, d in active if d == "different" and a in index and b in index]
    # never one person: what an analyst judged different, and (unless an analyst judged them the same) the
    # holders of two numbers that called each other
    apart = [(index[a], index[b]) for a, b in mentions_in_contact(con, prepared)]
    # ... and two travellers of one crossing (a passenger list names each passenger once)
    apart += [(index[a], index[b]) for a, b in con.execute(crossing_companions_sql()).fetchall()
              if a in index and b in index]
    # ... and a record of a victim with a record of a suspect (the categories of LED art. 6 stay apart)
    classes = categories_kept_apart(prepared)
    clustering = cluster(len(ids), left, right, edge_probs, must_link=same, cannot_link=different,
                         inferred_cannot_link=apart, apart_class=classes)
    mark("clustering")
    steps = _attribution_steps(con) if attach_labels else ()
    rule_edges = []
    # holders of one line under one name joined; label-only persons attached to their line's holder, grouped on
    # their line, attached again; number-less ledger labels to the holder of the same label in that ledger;
    # witnesses to the one matching traveller of the crossings just before their statement; number-less nicknames
    # in statements to the one person the witness reached or others designated in the same role
    for rule, find_edges in steps:
        edges = find_edges(prepared, clustering.labels)
        if edges.num_rows:
            if "reasons" not in edges.column_names:
                edges = edges.append_column("reasons", pa.nulls(edges.num_rows, pa.list_(pa.string())))
            rule_edges.append(edges.append_column("rule", pa.array([rule] * edges.num_rows, pa.string())))
            left += [index[m] for m in edges.column("mention_l").to_pylist()]
            right += [index[m] for m in edges.column("mention_r").to_pylist()]
            edge_probs = np.concatenate([edge_probs, np.full(edges.num_rows, threshold)])
            clustering = cluster(len(ids), left, right, edge_probs, must_link=same, cannot_link=different,
                                 inferred_cannot_link=apart, apart_class=classes)
    mark("attribution rules")
    # ... and two records whose full names and birth dates both disagree, found in the persons joined so far
    conflicts = identity_conflicts(prepared, clustering.labels)
    split_identities = 0
    if conflicts.num_rows:
        pairs_apart = pairs_kept_apart(conflicts, clustering.labels, index, same)
        if pairs_apart:
            apart += pairs_apart
            before = clustering.labels
            clustering = cluster(len(ids), left, right, edge_probs, must_link=same, cannot_link=different,
                                 inferred_cannot_link=apart, apart_class=classes)
            held = np.isin(before, [before[a] for a, _ in pairs_apart])  # the persons that held two identities
            split_identities = groups_split(before[held], clustering.labels[held])
    attachments = pa.concat_tables(rule_edges) if rule_edges else _no_attachments()
    mapping = pa.table({"mention_id": ids, "root_mention": [ids[i] for i in clustering.labels]})
    mark("two identities kept apart")

    result = ResolveResult(
        run_id=run_id, threshold=threshold, mentions=len(ids), persons=len(set(clustering.labels.tolist())),
        pairs_scored=pairs.num_rows, merge_edges=n_model_edges, judgements_same=len(same),
        judgements_different=len(different),
        refused_same=[(ids[a], ids[b]) for a, b in clustering.refused_same],
        edges_refused_by_judgements=clustering.refused_edges,
        kept_apart_victim_suspect=clustering.split_by_class,
        kept_apart_identities=split_identities,
        label_attachments=attachments.num_rows,
        training_notes=fitted.training_notes if fitted else [],
        swap_lines=n_lines,
    )
    with ws.transaction():
        for t in RESOLVED_TABLES:
            con.execute(f"DELETE FROM {t}")
        # a pending result (e.g. a fetchone() elsewhere) blocks register(): finish it with a trivial query
        con.execute("SELECT 1").fetchall()
        con.register("resolve_mapping", mapping)
        con.register("resolve_pairs", pairs)
        con.register("resolve_prepared", prepared.select(["unique_id", "name_full"]))
        con.register("resolve_representatives", representatives)
        con.register("resolve_attachments", attachments)
        con.register("resolve_identity_conflicts", conflicts)
        con.execute(f"""
            INSERT INTO person_map (mention_id, person_id, run_id)
            SELECT mention_id, {person_id_sql('root_mention')}, ? FROM resolve_mapping
        """, [run_id])
        con.execute(f"""
            INSERT INTO persons (person_id, display_name, category, n_mentions, agencies, source_ids, run_id)
            WITH names AS (
                SELECT m.person_id, n.name_full, count(*) AS n
                FROM person_map m JOIN resolve_prepared n ON n.unique_id = m.mention_id
                WHERE n.name_full IS NOT NULL GROUP BY ALL
            ),
            display AS (SELECT person_id, arg_max(name_full, n * 1e6 - length(name_full)) AS display_name
                        FROM names GROUP BY person_id)
            SELECT m.person_id, any_value(d.display_name), {_category_sql()}, count(*),
                   list_sort(list(DISTINCT s.agency) FILTER (WHERE s.agency IS NOT NULL)),
                   list_sort(list(DISTINCT p.source_id)), ?
            FROM person_map m JOIN person_mentions p USING (mention_id)
            LEFT JOIN sources s ON s.source_id = p.source_id
            LEFT JOIN display d ON d.person_id = m.person_id
            GROUP BY m.person_id
        """, [run_id])
        mark("persons and person_map")
        _write_evidence(ws, fitted, threshold, active, run_id)
        mark("match_evidence")
        result.phones = build_phones(con, run_id)
        result.phone_links = write_swap_links(con, run_id)
        result.phone_links_merged = int(con.execute("SELECT count(*) FROM phone_links WHERE merged").fetchall()[0][0])
        build_phone_owners(con, run_id)
        result.vehicles = build_vehicles(con, run_id)
        result.accounts = build_accounts(con, run_id)
        mark("phones, swap links, vehicles, accounts")
        con.execute("SELECT 1").fetchall()
        for name in ("resolve_mapping", "resolve_pairs", "resolve_prepared", "resolve_representatives",
                     "resolve_attachments", "resolve_identity_conflicts"):
            con.unregister(name)
        result.seconds = round(time.perf_counter() - started, 2)
        result.timings = timings
        params = {"threshold": threshold, "model": spec.kind, "swap": swap.as_dict(),
                  "keep_probability": min(KEEP_PROBABILITY, threshold)}
        con.execute("INSERT INTO stage_runs (run_id, stage, started_at, finished_at, actor, params, stale)"
                    " VALUES (?, 'resolve', ?, ?, ?, ?, false)",
                    [run_id, started_at, _now(), actor or audit.default_actor(), json.dumps(params)])
        audit.append(ws, LogAction.COMBINATION, "person_mentions → persons, person_map; phones, vehicles, accounts",
                     reason, actor=actor,
                     details={"run_id": run_id, "mentions": result.mentions, "persons": result.persons,
                              "merge_edges": result.merge_edges, "judgements_same": result.judgements_same,
                              "judgements_different": result.judgements_different, "threshold": threshold,
                              "phone_links_merged": result.phone_links_merged})
    return result


def _attribution_steps(con: duckdb.DuckDBPyConnection) -> tuple:
    """The attribution rules in the order they run, each with the workspace facts it reads."""
    def facts(sql: str) -> pa.Table:
        return con.sql(sql).to_arrow_table()

    times = facts(event_times_sql())
    witnesses = partial(witness_traveller_matches, times=times)
    spellings = partial(witness_traveller_spelling_matches, times=times)
    trips = facts(crossing_trips_sql())
    retries = partial(retry_companion_matches, trips=trips)
    retry_spellings = partial(retry_spelling_matches, trips=trips)
    statements = facts(statement_facts_sql())
    subjects = partial(statement_subject_attachments, statements=statements,
                       contacts=facts(phone_contacts_sql()), passengers=facts(crossing_passengers_sql()))
    statement_rows = partial(statement_witness_rows, rows=facts(statement_rows_sql()))
    seized_together = partial(seized_together_matches, devices=facts(seized_devices_sql()))
    return ((STATEMENT_RULE, statement_rows), (HOLDER_RULE, line_holder_merges), (OWNER_RULE, seized_owner_matches),
            (SEIZED_TOGETHER_RULE, seized_together),
            (BIRTH_DATE_RULE, birth_date_matches),
            (ATTACHMENT_RULE, line_attachments), (GROUP_RULE, label_line_groups),
            (ATTACHMENT_RULE, line_attachments), (NICKNAME_RULE, nickname_line_users),
            (LEDGER_RULE, partial(ledger_label_attachments, agents=facts(ledger_agents_sql()))), (RETRY_RULE, retries),
            (RETRY_SPELLING_RULE, retry_spellings), (WITNESS_RULE, witnesses),
            (WITNESS_SPELLING_RULE, spellings), (SUBJECT_RULE, subjects),
            (NICKNAME_CAPACITY_RULE, partial(nickname_capacity_matches, statements=statements)))


def _no_attachments() -> pa.Table:
    return pa.table({"mention_l": pa.array([], pa.string()), "mention_r": pa.array([], pa.string()),
                     "line": pa.array([], pa.string()), "shared_tokens": pa.array([], pa.list_(pa.string())),
                     "reasons": pa.array([], pa.list_(pa.string())), "rule": pa.array([], pa.string())})


# Why two mentions the model or the identical-attributes rule would join are two persons (match_evidence)
_KEPT_APART_WHY = ("(a judgement, their numbers called each other, one crossing carried both, one is recorded "
                   "as a victim and the other as a suspect, or they would join records of two identities)")


def _write_evidence(ws: Workspace, fitted: FittedModel | None, threshold: float,
                    active: list[tuple[str, str, str, str]], run_id: str) -> None:
    """match_evidence: model pairs inside one person (or above the threshold but kept apart), identical records
    (joined, or kept apart), rules' pairs inside one person, and judged pairs."""
    con = ws.con
    if fitted is not None and fitted.pairs.num_rows:
        con.execute(f"""
            INSERT INTO match_evidence (mention_id_l, mention_id_r, match_weight, match_probability, features,
                                        decided_by, run_id)
            SELECT p.unique_id_l, p.unique_id_r, p.match_weight, p.match_probability, {features_sql(fitted)},
                   CASE WHEN ml.person_id = mr.person_id AND p.match_probability >= $t THEN 'model'
                        WHEN ml.person_id = mr.person_id THEN 'model: below threshold, joined through others'
                        ELSE 'model: above threshold, kept apart {_KEPT_APART_WHY}'
                   END,
                   $run_id
            FROM resolve_pairs p
            JOIN person_map ml ON ml.mention_id = p.unique_id_l
            JOIN person_map mr ON mr.mention_id = p.unique_id_r
            WHERE ml.person_id = mr.person_id OR p.match_probability >= $t
        """, {"t": threshold, "run_id": run_id})
    con.execute(f"""
        INSERT INTO match_evidence (mention_id_l, mention_id_r, match_weight, match_probability, features,
                                    decided_by, run_id)
        SELECT r.representative, r.mention_id, NULL, 1.0,
               json_object('identical', 'same name, birth date, nationality, gender, document and phones')::VARCHAR,
               CASE WHEN ml.person_id = mr.person_id THEN 'rule: identical attributes'
                    ELSE 'rule: identical attributes, kept apart {_KEPT_APART_WHY}' END, $run_id
        FROM resolve_representatives r
        JOIN person_map ml ON ml.mention_id = r.representative
        JOIN person_map mr ON mr.mention_id = r.mention_id
        WHERE r.representative <> r.mention_id
    """, {"run_id": run_id})
    con.execute("""
        INSERT INTO match_evidence (mention_id_l, mention_id_r, match_weight, match_probability, features,
                                    decided_by, run_id)
        SELECT a.mention_l, a.mention_r, NULL, NULL,
               json_object('line', a.line, 'shared_name_tokens', a.shared_tokens, 'why', a.reasons)::VARCHAR, a.rule,
               $run_id
        FROM resolve_attachments a
        JOIN person_map ml ON ml.mention_id = a.mention_l
        JOIN person_map mr ON mr.mention_id = a.mention_r
        WHERE ml.person_id = mr.person_id
    """, {"run_id": run_id})
    con.execute(f"""
        INSERT INTO match_evidence (mention_id_l, mention_id_r, match_weight, match_probability, features,
                                    decided_by, run_id)
        SELECT c.mention_l, c.mention_r, NULL, NULL,
               json_object('names', c.names, 'birth_dates', c.birth_dates, 'days_apart', c.days_apart)::VARCHAR,
               '{IDENTITY_RULE}', $run_id
        FROM resolve_identity_conflicts c
        JOIN person_map ml ON ml.mention_id = c.mention_l
        JOIN person_map mr ON mr.mention_id = c.mention_r
        WHERE ml.person_id <> mr.person_id
    """, {"run_id": run_id})
    for jid, a, b, decision in active:
        con.execute("""
            INSERT INTO match_evidence (mention_id_l, mention_id_r, match_weight, match_probability, features,
                                        decided_by, run_id)
            SELECT ?, ?, NULL, NULL, json_object('judgement', ?, 'decision', ?, 'reason', j.reason,
                                                 'actor', j.actor, 'decided_at', j.decided_at)::VARCHAR,
                   'judgement', ?
            FROM judgements j WHERE j.judgement_id = ?
              AND EXISTS (SELECT 1 FROM person_map WHERE mention_id = ?)
              AND EXISTS (SELECT 1 FROM person_map WHERE mention_id = ?)
        """, [a, b, jid, decision, run_id, jid, a, b])
