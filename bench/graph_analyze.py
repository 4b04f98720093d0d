"""Benchmarks of network discovery and roles (issue 5), one sub-command per figure in docs/benchmarks.md.

  .venv/bin/python bench/graph_analyze.py simulator --size medium --seed 1 [--oracle] [--resolution 1.0 ...]
      simulate → ingest → resolve (or, with --oracle, the answer key's own person/phone attribution) → analyze
      → plan every network (budget 5) → NMI over true network members, organisers found, victims placed.
  .venv/bin/python bench/graph_analyze.py workspace WORKSPACE ANSWER_KEY [--oracle] [--plan] [--resolution 0.05]
      the same figures on an existing ingested + resolved workspace (--oracle: on a copy, attribution from the key).
  .venv/bin/python bench/graph_analyze.py montagna
      role and key-player rankings on the Montagna meetings and phone-call graphs: bosses in the top 10.
  .venv/bin/python bench/graph_analyze.py speed --edges 10000000
      graph build (SQL aggregation of calls into the edges table) + load + Leiden + scoring on a synthetic
      workspace with that many distinct call pairs; baseline: igraph multilevel (Louvain) on the same graph.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILIERE = [str(REPO / ".venv" / "bin" / "filiere"), "-q"]


# --------------------------------------------------------------------------------------------------------------
# simulator ground truth
# --------------------------------------------------------------------------------------------------------------
def _oracle_resolve(ws, key: Path) -> None:
    """Resolution as the answer key has it (isolates the graph stage from resolution errors)."""
    import phonenumbers

    from filiere.analyze.evaluate import load_answer_key

    con = ws.con
    load_answer_key(ws, key)
    con.execute("""
        INSERT INTO person_map (mention_id, person_id, run_id)
        SELECT m.mention_id, km.person_id, 'oracle' FROM person_mentions m JOIN sources s USING (source_id)
        JOIN key_mentions km ON km.file = s.file_name AND CAST(km.row AS BIGINT) = m.source_row AND km.slot = m.slot""")
    con.execute("""
        INSERT INTO persons (person_id, display_name, category, n_mentions, agencies, source_ids, run_id)
        SELECT k.person_id, any_value(k.name), any_value(k.category), count(*), list_distinct(list(s.agency)),
               list_distinct(list(s.source_id)), 'oracle'
        FROM person_map pm JOIN key_persons k ON k.person_id = pm.person_id
        JOIN person_mentions m USING (mention_id) JOIN sources s USING (source_id) GROUP BY k.person_id""")
    con.execute("""
        INSERT INTO phone_owners (phone, person_id, evidence, source_ids, run_id)
        SELECT DISTINCT phone_e164, person_id, 'answer key', []::VARCHAR[], 'oracle'
        FROM read_csv(?, header=true, all_varchar=true)""", [str(key / "phones.csv")])
    phones = [r[0] for r in con.execute("SELECT DISTINCT phone FROM phone_owners").fetchall()]
    rows = []
    for p in phones:
        try:
            rows.append((p, phonenumbers.region_code_for_number(phonenumbers.parse(p))))
        except phonenumbers.NumberParseException:
            rows.append((p, None))
    con.executemany("INSERT INTO phones (phone, country) VALUES (?, ?)", rows)


def _measure(ws_path: Path, key: Path, gamma: float, seed: int, plan: bool, pendant_weight: float = 0.0,
             attach_min_victims: int = 2) -> None:
    """analyze (γ, seed) → plan every network (budget 5) → NMI, organisers found, victims placed, flags."""
    from filiere.analyze.discover import DiscoverParams
    from filiere.analyze.evaluate import evaluate
    from filiere.analyze.stage import analyze
    from filiere.workspace import Workspace

    with Workspace.open(ws_path) as ws:
        s = analyze(ws, DiscoverParams(resolution=gamma, seed=seed, pendant_weight=pendant_weight,
                                       attach_min_victims=attach_min_victims))
        n_plans = 0
        if plan:
            from filiere.analyze.plans import make_plans
            ws.con.execute("DELETE FROM plans")
            for (nid,) in ws.con.execute("SELECT network_id FROM networks ORDER BY rank").fetchall():
                n_plans += len(make_plans(ws, nid, 5))
        ev = evaluate(ws, key)
        flags = dict(ws.con.execute("SELECT flag, count(*) FROM person_flags GROUP BY flag").fetchall())
    print(f"γ={gamma}: analyze {s.seconds:.1f} s, graph {s.graph_vertices:,} nodes / {s.graph_edges:,} links; "
          f"networks found {ev.found_networks} (true {ev.true_networks}); true members {ev.true_members} "
          f"({ev.unmentioned} never mentioned, left out); NMI {ev.nmi:.3f}; organisers found {ev.organisers_found}/"
          f"{ev.organisers} ({ev.organiser_recall:.0%}); victims in networks {ev.victims_in_networks}, "
          f"in plans {ev.victims_in_plans} ({n_plans} plans); members placed {ev.members_placed}, "
          f"of them no true member {ev.non_members_placed}; flagged {flags or 'none'}")


def workspace(args: argparse.Namespace) -> None:
    """Measure an existing (ingested, resolved) workspace against its simulator answer key; with --oracle, on a
    temporary copy whose resolution is replaced by the answer key's attribution."""
    from filiere.workspace import Workspace

    ws_path, key = Path(args.workspace), Path(args.answer_key)
    tmp = None
    if args.oracle:
        tmp = Path(tempfile.mkdtemp(prefix="bench-ga-oracle-"))
        shutil.copytree(ws_path, tmp / "ws")
        ws_path = tmp / "ws"
        with Workspace.open(ws_path) as ws, ws.transaction():
            for t in ("person_map", "persons", "phone_owners", "phones"):
                ws.con.execute(f"DELETE FROM {t}")
            _oracle_resolve(ws, key)
        print("resolution: ORACLE (answer key attribution, on a copy)")
    try:
        for gamma in args.resolution:
            _measure(ws_path, key, gamma, args.seed, args.plan, args.pendant_weight, args.attach_min_victims)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp)


def simulator(args: argparse.Namespace) -> None:
    from filiere.workspace import Workspace

    tmp = Path(args.work or tempfile.mkdtemp(prefix="bench-ga-"))
    sim, ws_path = tmp / "sim", tmp / "ws"
    if not (sim / "answer_key").exists():
        subprocess.run([*FILIERE, "simulate", str(sim), "--size", args.size, "--seed", str(args.seed)], check=True)
    if not ws_path.exists():
        subprocess.run([*FILIERE, "init", str(ws_path)], check=True)
        t = time.perf_counter()
        for f in sorted(sim.glob("*/*.csv")):
            if f.parent.name == "answer_key":
                continue
            subprocess.run([*FILIERE, "ingest", str(ws_path), str(f), "-m", str(f.with_suffix(".yml"))], check=True)
        print(f"ingest: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        if args.oracle:
            with Workspace.open(ws_path) as ws, ws.transaction():
                _oracle_resolve(ws, sim / "answer_key")
            print("resolution: ORACLE (answer key attribution)")
        else:
            subprocess.run([*FILIERE, "resolve", str(ws_path)], check=True)
            print(f"resolve: {time.perf_counter() - t:.1f} s")
    for gamma in args.resolution:
        _measure(ws_path, sim / "answer_key", gamma, args.seed, args.plan, args.pendant_weight,
                 args.attach_min_victims)
    if not args.keep and not args.work:
        shutil.rmtree(tmp)


# --------------------------------------------------------------------------------------------------------------
# Montagna: bosses in the top 10
# --------------------------------------------------------------------------------------------------------------
def montagna(args: argparse.Namespace) -> None:
    import csv

    import igraph as ig

    from filiere.analyze.brokerage import gould_fernandez
    from filiere.analyze.roles import centralities, rank_key_players

    base = REPO.parent / "shared" / "data" / "networks" / "montagna_sicilian_mafia"
    ranks, family = {}, {}
    with (base / "nodes_roles.csv").open() as f:
        for r in csv.DictReader(f):
            ranks[r["id"]] = r["mafia_rank"]
            family[r["id"]] = r["family"] or None
    groups = {
        "bosses (boss, deputy boss)": {i for i, r in ranks.items() if r in ("boss", "deputy boss")},
        "leaders (+ executive, co-founder)": {i for i, r in ranks.items()
                                             if r in ("boss", "deputy boss", "executive", "Co-founder")},
    }
    for layer in ("meetings", "phonecalls"):
        with (base / f"{layer}_undirected.csv").open() as f:
            rows = [(r["source"], r["target"], float(r["weight"])) for r in csv.DictReader(f)]
        g = ig.Graph.TupleList(rows, directed=False, weights=True)
        names = g.vs["name"]
        cents = centralities(g)
        rank_key_players(cents, names, [True] * len(names))
        gf = gould_fernandez(g, [family.get(n) for n in names])
        between_families = [sum(gf[i][k] for k in ("representative", "gatekeeper", "liaison"))
                            for i in range(len(names))]
        order = {
            "key-player rank": sorted(range(len(names)), key=lambda i: cents[i].key_rank),
            "degree": sorted(range(len(names)), key=lambda i: -cents[i].degree),
            "strength": sorted(range(len(names)), key=lambda i: -cents[i].strength),
            "betweenness": sorted(range(len(names)), key=lambda i: -cents[i].betweenness),
            "eigenvector": sorted(range(len(names)), key=lambda i: -cents[i].eigenvector),
            "brokerage between families (G-F)": sorted(range(len(names)), key=lambda i: -between_families[i]),
        }
        print(f"Montagna {layer}: {g.vcount()} nodes, {g.ecount()} edges")
        for label, who in groups.items():
            present = who & set(names)
            print(f"  {label}: {len(present)} in the graph")
            for what, idx in order.items():
                hit = [names[i] for i in idx[:10] if names[i] in who]
                print(f"    {what:34s} top 10 holds {len(hit)} of {len(present)} ({', '.join(hit)})")


# --------------------------------------------------------------------------------------------------------------
# speed on 10 million edges
# --------------------------------------------------------------------------------------------------------------
def speed(args: argparse.Namespace) -> None:
    from filiere.analyze.communities import leiden, seeded_igraph
    from filiere.analyze.discover import DiscoverParams, discover
    from filiere.graph.build import build_edges
    from filiere.graph.load import load_graph, suspect_side
    from filiere.workspace import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    ws = Workspace.create(tmp / "ws")
    con = ws.con
    n = args.edges // 10  # persons (each about 20 distinct contacts)
    group, n_net = 25, args.networks
    n_smug, n_vict = n_net * group, n_net * 100
    t = time.perf_counter()
    # persons 0..n_smug-1 are smugglers (groups of 25 = networks); then n_vict victims; the rest is background
    # (residents etc., category 'other', also in groups of 25 that call mostly among themselves).
    con.execute(f"""
        INSERT INTO persons (person_id, display_name, category, n_mentions, agencies, source_ids)
        SELECT printf('P%09d', i), printf('P%09d', i),
               CASE WHEN i < {n_smug} THEN 'suspect' WHEN i < {n_smug + n_vict} THEN 'victim' ELSE 'other' END, 1,
               ['fr'], ['S1'] FROM range({n}) t(i)""")
    con.execute(f"""
        INSERT INTO phone_owners (phone, person_id, evidence, source_ids)
        SELECT printf('+33%09d', i), printf('P%09d', i), 'subscriber record', ['S1'] FROM range({n}) t(i)""")
    # non-victim calls: 85 % inside the caller's group, else to a random non-victim
    con.execute(f"""
        INSERT INTO calls_wide (source_id, source_row, caller, callee, started_at)
        WITH ends AS (
            SELECT i, CAST(floor(random() * {n - n_vict}) AS BIGINT) AS r, random() AS p FROM range({args.calls}) t(i)
        ), nv AS (SELECT i, CASE WHEN r < {n_smug} THEN r ELSE r + {n_vict} END AS a, p FROM ends),
        pick AS (
            SELECT i, a, CASE WHEN p < 0.85 THEN (a // {group}) * {group} + CAST(floor(random() * {group}) AS BIGINT)
                         ELSE CAST(floor(random() * {n - n_vict}) AS BIGINT) END AS r2, p < 0.85 AS inside FROM nv
        )
        SELECT 'S1', i, printf('+33%09d', a),
               printf('+33%09d', CASE WHEN inside OR r2 < {n_smug} THEN r2 ELSE r2 + {n_vict} END),
               TIMESTAMP '2025-06-01' + to_seconds(CAST(floor(random() * 2e7) AS BIGINT))
        FROM pick p""")
    # victims: each calls three members of one network (recruiters) five times
    con.execute(f"""
        INSERT INTO calls_wide (source_id, source_row, caller, callee, started_at)
        SELECT 'S1', {args.calls} + i, printf('+33%09d', {n_smug} + i // 5),
               printf('+33%09d', ((i // 5) % {n_net}) * {group} + (i % 3)),
               TIMESTAMP '2025-06-01' + to_seconds(CAST(floor(random() * 2e7) AS BIGINT))
        FROM range({n_vict * 5}) t(i)""")
    gen = time.perf_counter() - t
    print(f"generated {args.calls:,} + {n_vict * 5:,} calls among {n:,} persons ({n_net} networks of {group}, "
          f"{n_vict:,} victims) in {gen:.1f} s (not timed below)")

    with ws.transaction():
        t0, c0 = time.perf_counter(), time.process_time()
        counts = build_edges(con, "bench")
        t_build = time.perf_counter() - t0
        print(f"graph build (SQL aggregation into edges): {sum(counts.values()):,} edges in {t_build:.1f} s")
        t1 = time.perf_counter()
        found = discover(con, DiscoverParams(), "bench")
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in found.timings.items())
        print(f"discover: {len(found.networks):,} networks, {len(found.members):,} members in "
              f"{time.perf_counter() - t1:.1f} s ({steps})")
        print(f"TOTAL graph build + load + Leiden + roles + scoring: {total:.1f} s wall, {cpu:.1f} s CPU "
              f"(all threads; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        # baselines on the same suspect-side graph
        g = suspect_side(load_graph(con))
        t2 = time.process_time()
        leiden(g)
        t_leiden = time.process_time() - t2
        t3 = time.process_time()
        with seeded_igraph(0):
            g.community_multilevel(weights="weight")
        t_louvain = time.process_time() - t3
        print(f"baseline on the same {g.vcount():,} nodes / {g.ecount():,} edges (CPU s): Leiden (CPM) "
              f"{t_leiden:.1f} s, igraph multilevel (Louvain, modularity) {t_louvain:.1f} s: "
              f"Louvain/Leiden = {t_louvain / t_leiden:.2f}")
        if args.leidenalg:
            import leidenalg

            t4 = time.process_time()
            leidenalg.find_partition(g, leidenalg.CPMVertexPartition, weights="weight", seed=0,
                                     resolution_parameter=0.05, n_iterations=2)
            t_la = time.process_time() - t4
            print(f"leidenalg (Python package) on the same graph: {t_la:.1f} s = {t_la / t_leiden:.1f}× Leiden")
    ws.close()
    shutil.rmtree(tmp)


def _analyze_options(parser: argparse.ArgumentParser, oracle_help: str, resolution: float) -> None:
    """Options shared by the simulator and workspace modes (defaults: those of ``DiscoverParams``)."""
    from filiere.analyze.discover import DiscoverParams

    defaults = DiscoverParams()
    # the Leiden seed, filiere analyze's default (the simulator mode also simulates the world of this seed)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oracle", action="store_true", help=oracle_help)
    parser.add_argument("--resolution", type=float, nargs="+", default=[resolution])
    parser.add_argument("--plan", action="store_true", help="also plan every network (needs the planner)")
    parser.add_argument("--pendant-weight", type=float, default=defaults.pendant_weight,
                        help="size in the communities' density of a phone actor linked to one vertex "
                             "(1 = before 26 Nov)")
    parser.add_argument("--attach-min-victims", type=int, default=defaults.attach_min_victims,
                        help="attach persons outside networks through this many shared migrants (0 = off)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("simulator")
    s.add_argument("--size", default="small")
    _analyze_options(s, "use the answer key's attribution instead of resolve", resolution=1.0)
    s.add_argument("--work", help="keep/reuse this folder (simulation and workspace)")
    s.add_argument("--keep", action="store_true")
    w = sub.add_parser("workspace")
    w.add_argument("workspace", help="an ingested, resolved workspace of a simulated world")
    w.add_argument("answer_key", help="that world's answer_key folder")
    _analyze_options(w, "on a copy, with the answer key's attribution", resolution=0.05)
    sub.add_parser("montagna")
    sp = sub.add_parser("speed")
    sp.add_argument("--edges", type=int, default=10_000_000, help="target distinct links (approximate)")
    sp.add_argument("--calls", type=int, default=None)
    sp.add_argument("--networks", type=int, default=200, help="smuggling networks planted among the background")
    sp.add_argument("--leidenalg", action="store_true", help="also time the leidenalg package (slow)")
    args = ap.parse_args()
    if args.cmd == "speed" and args.calls is None:
        args.calls = int(args.edges * 1.25)
    {"simulator": simulator, "workspace": workspace, "montagna": montagna, "speed": speed}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
