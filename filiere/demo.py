"""The demo: a generated world run through the whole pipeline, end to end.

simulate (small world) → init → ingest every export with its mapping → resolve → analyze → demo users.
Each step is the same call the CLI verbs make; nothing here is demo-only logic except choosing inputs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filiere.errors import UsageError
from filiere.workspace import Workspace

DEMO_REASON = "DEMO: generated scenario, no real personal data"


@dataclass
class DemoResult:
    world: Path
    workspace: Path
    files_ingested: int = 0
    rows_ingested: int = 0
    persons: int = 0
    networks: int = 0
    users: list[tuple[str, str, str, str]] = field(default_factory=list)  # (user, agency, role, password)


def demo_password(username: str) -> str:
    """Demo logins are predictable on purpose (printed at the end of `make demo`); never use them for real data."""
    return f"{username}-demo-pass"


def run_demo(root: Path, *, size: str = "small", seed: int = 7, fresh: bool = False,
             say: Callable[[str], None] = print) -> DemoResult:
    from filiere.analyze.stage import analyze
    from filiere.ingest.loader import ingest_file
    from filiere.ingest.mapping import load_mapping
    from filiere.resolve.stage import resolve
    from filiere.simulate.config import make_options
    from filiere.simulate.run import simulate
    from filiere.web.users import add_user

    root = Path(root)
    world_dir, ws_dir = root / "world", root / "workspace"
    if root.exists() and any(root.iterdir()):
        if not fresh:
            raise UsageError(f"{root} is not empty; pass --fresh to rebuild the demo there")
        for sub in (world_dir, ws_dir):
            if sub.exists():
                shutil.rmtree(sub)
    result = DemoResult(world_dir, ws_dir)

    say(f"1/5 simulating a {size} smuggling world (seed {seed}) into {world_dir}")
    summary = simulate(world_dir, make_options(size, seed=seed))

    say(f"2/5 ingesting {len(summary.files)} agency exports into {ws_dir}")
    ws = Workspace.create(ws_dir)
    with ws:
        for f in sorted(summary.files, key=lambda f: (f["agency"], f["file"])):
            export = world_dir / f["agency"] / f["file"]
            mapping = load_mapping(world_dir / f["agency"] / f["mapping"])
            res = ingest_file(ws, export, mapping, reason=DEMO_REASON)
            result.files_ingested += 1
            result.rows_ingested += res.rows_loaded

        say("3/5 resolving persons, phones, vehicles and accounts across agencies")
        resolve(ws, reason=DEMO_REASON)
        result.persons = int(ws.con.execute("SELECT count(*) FROM persons").fetchone()[0])

        say("4/5 building the link graph, finding networks, roles and key players")
        analyze(ws, why=DEMO_REASON)
        result.networks = int(ws.con.execute("SELECT count(*) FROM networks").fetchone()[0])

        say("5/5 creating one demo analyst per agency, and an auditor")
        agencies = [r[0] for r in ws.con.execute(
            "SELECT DISTINCT agency FROM sources WHERE status = 'active' ORDER BY agency").fetchall()]
        for agency in agencies:
            username = agency.lower() + ".analyst"
            add_user(ws, username, agency, "analyst", demo_password(username))
            result.users.append((username, agency, "analyst", demo_password(username)))
        if agencies:
            add_user(ws, "auditor", agencies[0], "auditor", demo_password("auditor"))
            result.users.append(("auditor", agencies[0], "auditor", demo_password("auditor")))
    return result
