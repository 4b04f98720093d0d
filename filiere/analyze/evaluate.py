"""Score found networks and roles against a simulator answer key (``answer_key/persons.csv``, ``mentions.csv``).

Resolved persons are matched to true persons by the majority of their mentions (mention = file, row, slot);
a true person split over several resolved persons is represented by the one holding most of their mentions (ties:
the smallest person id, so that a re-run scores the same persons).

* true members no export mentions at all (known to the answer key only as owners of a number) cannot be
  resolved by anyone; they are counted (``unmentioned``) and left out of the scores below;
* NMI over true network members: each true member's label is the network of their resolved person (a member
  not placed in any network counts as a group of their own);
* organisers found: share of true organisers labelled organiser or ranked in the top 3 key players of their
  network;
* persons placed who are no true member: network members most of whose mentions are a person of no true network
  (victims included) — the price of placing more true members;
* victims placed: persons categorised victim, or resolved persons most of whose mentions are a true victim's
  (every such fragment, not only the one that represents the victim), found among network members or plan targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import igraph as ig

from filiere.workspace import Workspace


@dataclass
class Evaluation:
    true_members: int
    unmentioned: int
    matched_members: int
    nmi: float
    organisers: int
    organisers_found: int
    victims_in_networks: int
    victims_in_plans: int
    found_networks: int
    true_networks: int
    members_placed: int = 0
    non_members_placed: int = 0

    @property
    def organiser_recall(self) -> float:
        return self.organisers_found / self.organisers if self.organisers else 1.0


def load_answer_key(ws: Workspace, answer_key: Path) -> None:
    con = ws.con
    con.execute("CREATE OR REPLACE TEMP TABLE key_persons AS SELECT * FROM read_csv(?, header=true, all_varchar=true)",
                [str(answer_key / "persons.csv")])
    con.execute("CREATE OR REPLACE TEMP TABLE key_mentions AS SELECT * FROM read_csv(?, header=true,"
                " all_varchar=true)", [str(answer_key / "mentions.csv")])
    # every resolved person's majority true person and how many of its mentions are that person's (fragments
    # included: for victims placed, any fragment counts); key_match keeps, per true person, the resolved person
    # holding most of its mentions
    con.execute("""
        CREATE OR REPLACE TEMP TABLE key_majority AS
        WITH pairs AS (
            SELECT pm.person_id AS resolved, km.person_id AS truth, count(*) AS n
            FROM person_map pm JOIN person_mentions m USING (mention_id) JOIN sources s USING (source_id)
            JOIN key_mentions km ON km.file = s.file_name AND CAST(km.row AS BIGINT) = m.source_row
                                AND km.slot = m.slot
            GROUP BY pm.person_id, km.person_id
        )
        SELECT resolved, first(truth ORDER BY n DESC, truth) AS truth, max(n) AS n FROM pairs GROUP BY resolved""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE key_match AS
        SELECT truth, first(resolved ORDER BY n DESC, resolved) AS resolved FROM key_majority GROUP BY truth""")


def evaluate(ws: Workspace, answer_key: Path) -> Evaluation:
    load_answer_key(ws, answer_key)
    con = ws.con
    rows = con.execute("""
        SELECT k.person_id, k.network_id, k.role, m.resolved, nm.network_id, nm.role, nm.key_player_rank
        FROM key_persons k LEFT JOIN key_match m ON m.truth = k.person_id
        LEFT JOIN network_members nm ON nm.person_id = m.resolved
        WHERE coalesce(k.network_id, '') <> '' AND k.category <> 'victim'
        ORDER BY k.person_id""").fetchall()
    unmentioned = sum(1 for r in rows if r[3] is None)
    rows = [r for r in rows if r[3] is not None]
    true_labels = sorted({r[1] for r in rows})
    found_labels: dict[str, int] = {}
    t, p = [], []
    for i, r in enumerate(rows):
        t.append(true_labels.index(r[1]))
        if r[4] is None:
            p.append(-1 - i)  # not placed: a group of its own
        else:
            p.append(found_labels.setdefault(r[4], len(found_labels)))
    shift = len(rows) + 1
    nmi = ig.compare_communities(t, [x + shift for x in p], method="nmi") if rows else 0.0
    organisers = [r for r in rows if r[2] == "organiser"]
    found = [r for r in organisers if r[5] == "organiser" or (r[6] is not None and 0 < r[6] <= 3)]
    victims_in_networks = con.execute("""
        SELECT count(DISTINCT nm.person_id) FROM network_members nm
        LEFT JOIN persons p USING (person_id)
        LEFT JOIN key_majority m ON m.resolved = nm.person_id LEFT JOIN key_persons k ON k.person_id = m.truth
        WHERE p.category = 'victim' OR k.category = 'victim'""").fetchone()[0]
    victims_in_plans = con.execute("""
        SELECT count(DISTINCT t.target) FROM (SELECT unnest(targets) AS target FROM plans) t
        LEFT JOIN persons p ON p.person_id = t.target
        LEFT JOIN key_majority m ON m.resolved = t.target LEFT JOIN key_persons k ON k.person_id = m.truth
        WHERE p.category = 'victim' OR k.category = 'victim'""").fetchone()[0]
    n_found = con.execute("SELECT count(*) FROM networks").fetchone()[0]
    placed, outsiders = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE coalesce(k.network_id, '') = '') FROM network_members nm
        LEFT JOIN key_majority m ON m.resolved = nm.person_id LEFT JOIN key_persons k ON k.person_id = m.truth
        WHERE m.truth IS NOT NULL""").fetchone()
    return Evaluation(len(rows) + unmentioned, unmentioned, len(rows), float(nmi), len(organisers), len(found),
                      int(victims_in_networks), int(victims_in_plans), int(n_found), len(true_labels),
                      int(placed), int(outsiders))
