"""Verbs of network analysis: analyze, networks, network, plan, export-graph."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from filiere import audit
from filiere.cli.common import console, handle_errors, say
from filiere.errors import UsageError
from filiere.model.vocab import LogAction
from filiere.workspace import Workspace

CSV_COLUMNS = ("person_id", "network_id", "role", "score", "key_player_rank", "network_rank", "network_score",
               "is_broker")


@handle_errors
def analyze_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory (resolved: run 'filiere resolve' first)."),
    resolution: float = typer.Option(None, "--resolution", help="Leiden resolution γ (default: the documented "
                                                                "value; higher splits networks into cells)."),
    seed: int = typer.Option(0, "--seed", help="First random seed of the community search: Leiden runs from this "
                             "seed and the next four on graphs up to 2M links, the best partition kept (same seed, "
                             "same result)."),
    min_members: int = typer.Option(3, "--min-members", help="Smallest group of persons reported as a network."),
    reason: str = typer.Option(None, "--reason", help="Case reference and purpose, for the processing log."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
) -> None:
    """Build the link graph, find and score networks, label roles and key players."""
    from filiere.analyze.communities import DEFAULT_RESOLUTION
    from filiere.analyze.discover import DiscoverParams
    from filiere.analyze.stage import analyze

    if min_members < 2:
        raise UsageError("--min-members must be at least 2")
    params = DiscoverParams(resolution=DEFAULT_RESOLUTION if resolution is None else resolution, seed=seed,
                            min_members=min_members)
    with Workspace.open(workspace) as ws:
        s = analyze(ws, params, why=reason)
    if as_json:
        console.print_json(json.dumps(s.__dict__))
        return
    kinds = ", ".join(f"{k} {v:,}" for k, v in s.edges_by_type.items() if v)
    say(f"edges: {kinds or 'none'}")
    say(f"graph {s.graph_vertices:,} nodes / {s.graph_edges:,} links → [bold]{s.networks}[/bold] candidate "
        f"networks with {s.members:,} members (victims are never members) in {s.seconds:.1f} s; run {s.run_id}")
    if s.probable_customers:
        say(f"{s.probable_customers:,} person(s) flagged on the customer side (probable customer, nominal "
            "subscriber: table person_flags, with the reasons) were kept out of networks; their recorded category "
            "is unchanged")
    say(f"next: filiere networks {workspace}")


def _log_consultation(ws: Workspace, what: str) -> None:
    with ws.transaction():
        audit.append(ws, LogAction.CONSULTATION, what)


@handle_errors
def networks_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    fmt: str = typer.Option("table", "--format", help="table, csv (one row per member) or json."),
    output: Path = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output."),
) -> None:
    """Ranked candidate networks with their evidence; csv: person_id,network_id,role,score per member."""
    if fmt not in ("table", "csv", "json"):
        raise UsageError(f"unknown format {fmt!r}; expected table, csv or json")
    with Workspace.open(workspace) as ws:
        nets = ws.con.execute("SELECT network_id, rank, score, n_members, indicators, explanation FROM networks"
                              " ORDER BY rank").fetchall()
        members = ws.con.execute(
            "SELECT m.person_id, m.network_id, m.role, m.score, m.key_player_rank, n.rank, n.score, m.is_broker"
            " FROM network_members m JOIN networks n USING (network_id) ORDER BY n.rank, m.key_player_rank,"
            " m.person_id").fetchall()
        _log_consultation(ws, f"networks ({len(nets)}) and members ({len(members)}), format {fmt}")
    out = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "csv":
            w = csv.writer(out)
            w.writerow(CSV_COLUMNS)
            w.writerows(members)
        elif fmt == "json":
            by_net: dict[str, list] = {}
            for m in members:
                by_net.setdefault(m[1], []).append(dict(zip(("person_id", "role", "score", "key_player_rank",
                                                             "is_broker"), (m[0], m[2], m[3], m[4], m[7]),
                                                            strict=True)))
            data = [{"network_id": n[0], "rank": n[1], "score": n[2], "n_members": n[3],
                     "indicators": json.loads(n[4]), "explanation": n[5], "members": by_net.get(n[0], [])}
                    for n in nets]
            out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        else:
            if not nets:
                say("no networks: run 'filiere analyze' first (or the graph has no group of 3 non-victims)")
                return
            tab = Table(title=f"candidate networks ({len(nets)}), best first")
            for col in ("network", "score", "members", "money from victims", "crossings", "reach", "roles",
                        "active days"):
                tab.add_column(col, justify="right" if col != "network" else "left")
            for n in nets:
                ind = json.loads(n[4])
                tab.add_row(n[0], f"{n[2]:.2f}", str(n[3]), f"{ind['money_from_victims']['value']:,.0f}",
                            f"{ind['crossings']['value']:.0f}", f"{ind['international_reach']['value']:.0f}",
                            f"{ind['role_diversity']['value']:.0f}", f"{ind['activity_days']['value']:.0f}")
            console.print(tab)
            for n in nets:
                console.print(f"• {n[5]}", highlight=False)
    finally:
        if output:
            out.close()


@handle_errors
def network_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    network_id: str = typer.Argument(..., help="Network id, e.g. N3 (see 'filiere networks')."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """One network: members, roles with their reasons, key players, brokerage and indicators."""
    with Workspace.open(workspace) as ws:
        net = ws.con.execute("SELECT network_id, rank, score, n_members, indicators, explanation FROM networks"
                             " WHERE network_id = ?", [network_id]).fetchone()
        if net is None:
            known = [r[0] for r in ws.con.execute("SELECT network_id FROM networks ORDER BY rank").fetchall()]
            raise UsageError(f"no network {network_id!r}; known: {', '.join(known) or 'none (run analyze)'}")
        members = ws.con.execute(
            "SELECT m.person_id, p.display_name, m.role, m.key_player_rank, m.score, m.degree, m.strength,"
            " m.betweenness, m.eigenvector, m.coreness, m.brokerage, m.is_broker, m.role_reasons"
            " FROM network_members m LEFT JOIN persons p USING (person_id) WHERE m.network_id = ?"
            " ORDER BY m.key_player_rank, m.person_id", [network_id]).fetchall()
        flagged = _flags_linked(ws, network_id)
        _log_consultation(ws, f"network {network_id} with {len(members)} members")
    cols = ("person_id", "name", "role", "key_player_rank", "score", "degree", "strength", "betweenness",
            "eigenvector", "coreness", "brokerage", "is_broker", "role_reasons")
    if as_json:
        data = {"network_id": net[0], "rank": net[1], "score": net[2], "n_members": net[3],
                "indicators": json.loads(net[4]), "explanation": net[5],
                "members": [{**dict(zip(cols, m, strict=True)), "brokerage": json.loads(m[10]),
                             "role_reasons": json.loads(m[12])} for m in members],
                "flagged_linked": [{"person_id": f[0], "flag": f[1], "reasons": json.loads(f[2])} for f in flagged]}
        console.print_json(json.dumps(data, default=str))
        return
    console.print(net[5], highlight=False)
    rows = [_member_row(m) for m in members]
    if console.width >= WIDE_TABLE_COLUMNS:
        tab = Table(title=f"{network_id}: members by key-player rank")
        for col in ("#", "person", "name", "role", "score", "deg", "betweenness", "eigen", "core", "brokerage",
                    "why"):
            tab.add_column(col)
        for r in rows:
            tab.add_row(r["rank"], r["person"], r["name"], r["role"], r["score"], r["degree"], r["betweenness"],
                        r["eigenvector"], r["core"], r["brokerage"], r["why"])
        console.print(tab)
    else:  # a table of eleven columns is unreadable on a narrow terminal: one block per member instead
        console.print(f"[bold]{network_id}: members by key-player rank[/bold]")
        for r in rows:
            console.print(f"[bold]#{r['rank']}[/bold] {r['person']}  {r['name']} — [bold]{r['role']}[/bold], "
                          f"score {r['score']} (degree {r['degree']}, betweenness {r['betweenness']}, eigenvector "
                          f"{r['eigenvector']}, core {r['core']}; brokerage {r['brokerage']})", highlight=False)
            if r["why"]:
                console.print(f"    why: {r['why']}", highlight=False)
    if flagged:
        kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(Counter(f[1] for f in flagged).items()))
        say(f"linked to the members but kept out of the network (customer side: {kinds}); see --json for each "
            "person's reasons")


WIDE_TABLE_COLUMNS = 140  # narrower terminals get the members of `filiere network` as blocks, not a table


def _member_row(m: tuple) -> dict[str, str]:
    """One network member (a row of the ``network_cmd`` query) as the texts the table or the blocks show."""
    gf = json.loads(m[10]).get("by_network", {})
    return {"rank": str(m[3]), "person": m[0], "name": m[1] or "",
            "role": m[2] + (" (broker)" if m[11] and m[2] != "broker" else ""), "score": f"{m[4]:.2f}",
            "degree": f"{m[5]:.0f}", "betweenness": f"{m[7]:.1f}", "eigenvector": f"{m[8]:.2f}", "core": str(m[9]),
            "brokerage": " ".join(f"{k[:4]}={v}" for k, v in gf.items() if v) or "-",
            "why": _why(json.loads(m[12]))}


def _why(reasons: dict) -> str:
    """The rules that decided the role, then how the member came to be in the network when the communities alone
    did not say it (attached, joined) or the customer-side rules would have kept them out (not flagged)."""
    return "; ".join([*reasons.get("decided_by", []),
                      *(reasons[k] for k in ("membership", "not_flagged") if reasons.get(k))])


def _flags_linked(ws: Workspace, network_id: str) -> list[tuple]:
    """Persons flagged on the customer side (``person_flags``) who are linked to the network's members."""
    if not ws.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'person_flags'"
                          ).fetchone()[0]:
        return []
    return ws.con.execute("SELECT person_id, flag, reasons FROM person_flags WHERE list_contains(network_ids, ?)"
                          " ORDER BY flag, person_id", [network_id]).fetchall()


@handle_errors
def plan_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    network_id: str = typer.Argument(..., help="Network id, e.g. N3."),
    budget: int = typer.Option(5, "--budget", "-k", help="How many members could be arrested."),
    exclude: list[str] = typer.Option(None, "--exclude", help="Person id never to target (unreachable, already "
                                                              "in custody); repeat for several."),
    strategy: list[str] = typer.Option(None, "--strategy", help="Only these strategies (repeatable)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the planner."),
    reason: str = typer.Option(None, "--reason", help="Case reference and purpose, for the processing log."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Compare disruption strategies for one network (advice to a human; nothing acts on a person)."""
    from filiere.analyze.plans import make_plans

    with Workspace.open(workspace) as ws:
        plans = make_plans(ws, network_id, budget, exclude=exclude or (), strategies=strategy or None, seed=seed,
                           why=reason)
    if as_json:
        console.print_json(json.dumps([p.__dict__ for p in plans], default=str))
        return
    say(f"[bold]Disruption options for {network_id}, budget {budget}[/bold] — advice for the investigators to "
        "weigh, not a decision: check each target against the evidence and the law before acting.")
    say("largest group = share of the network still connected; efficiency = how easily members still reach "
        "each other; 'after recovery' = once the remaining members re-link through brokers and second-tier members.")
    tab = Table()
    for col in ("strategy", "targets", "largest group before → after → after recovery",
                "efficiency before → after → after recovery"):
        tab.add_column(col)
    for p in sorted(plans, key=lambda p: (p.lcc_after_recovery, p.lcc_after)):
        tab.add_row(p.strategy, "\n".join(f"{t} ({lbl})" if lbl != t else t
                                          for t, lbl in zip(p.targets, p.target_labels, strict=True)),
                    f"{p.lcc_before:.2f} → {p.lcc_after:.2f} → {p.lcc_after_recovery:.2f}",
                    f"{p.efficiency_before:.2f} → {p.efficiency_after:.2f} → {p.efficiency_after_recovery:.2f}")
    console.print(tab)
    for p in plans:
        console.print(f"[bold]{p.strategy}[/bold]", highlight=False)
        for target, why in p.reasons.get("targets", {}).items():
            console.print(f"  • {target}: {why}", highlight=False)
        for note in p.reasons.get("notes", []):
            console.print(f"  note: {note}", highlight=False)
    if plans and plans[0].not_suspects:
        say(f"{plans[0].not_suspects} member(s) not categorised as suspects were kept in the network's graph but "
            "never targeted; categorise them first if they should be.")
    say(f"stored as {', '.join(p.plan_id for p in plans)}")


@handle_errors
def export_graph_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    fmt: str = typer.Option("gexf", "--format", help="gexf (Gephi) or graphml."),
    output: Path = typer.Option(None, "-o", "--output", help="File to write (default: graph.<format> in the "
                                                             "current directory)."),
    reason: str = typer.Option(None, "--reason", help="Case reference and purpose, for the processing log."),
) -> None:
    """Write the person graph (with networks and roles) for Gephi and other tools."""
    from filiere.graph.export import FORMATS, write_graph

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = output or Path(f"graph.{fmt}")
    with Workspace.open(workspace) as ws:
        g = write_graph(ws, fmt, path)
        with ws.transaction():
            audit.append(ws, LogAction.DISCLOSURE, f"person graph exported as {fmt}", reason,
                         to_whom=f"file {path.resolve()}", details={"nodes": g.vcount(), "edges": g.ecount()})
    say(f"wrote {g.vcount():,} nodes and {g.ecount():,} links to {path} (victims included, marked by category)")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_cmd)
    app.command("networks")(networks_cmd)
    app.command("network")(network_cmd)
    app.command("plan")(plan_cmd)
    app.command("export-graph")(export_graph_cmd)
