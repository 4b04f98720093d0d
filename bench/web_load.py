"""Load test of the workbench: N concurrent simulated analysts against one workspace.

Starts ``filiere serve`` on 127.0.0.1 in a subprocess, signs in analysts of the workspace's agencies (it adds
``bench-*`` users to the workspace), and measures search, person profile and neighbour expansion:

* baseline: one analyst alone, the same requests one after another;
* load: ``--users`` analysts at once, each making ``--rounds`` rounds of (search, profile, expand), with
  ``--think`` seconds (on average) of reading between requests, or none (back-to-back, a stress test).
  Each analyst starts at a random moment within ``--ramp`` seconds (default: the think time), as analysts
  who are already at work do; ``--ramp 0`` starts all of them in the same instant, so that their first
  searches arrive together (reported apart as "first click").

Prints p50/p95 per operation for both, and the load/baseline ratio. Loops are bounded; 127.0.0.1 only.

    .venv/bin/python bench/web_load.py /path/to/workspace [--users 20] [--rounds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import httpx

PASSWORD = "bench password, not secret"
CASE = {"case_ref": "BENCH-LOAD", "purpose": "load test of the workbench"}
OPS = ("search", "profile", "expand")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pick_workload(ws: Path, seed: int) -> tuple[list[str], list[str], list[str]]:
    """Agencies, search strings (names as written, phones as written) and person ids to use."""
    con = duckdb.connect(str(ws / "filiere.duckdb"), read_only=True)
    try:
        agencies = [r[0] for r in con.execute(
            "SELECT agency FROM sources GROUP BY agency ORDER BY count(*) DESC LIMIT 3").fetchall()]
        names = [r[0] for r in con.execute(
            "SELECT DISTINCT coalesce(name_raw, concat_ws(' ', given_name_raw, family_name_raw)) AS n"
            " FROM person_mentions WHERE n IS NOT NULL AND length(n) > 4 USING SAMPLE 300 ROWS").fetchall()]
        phones = [r[0] for r in con.execute(
            "SELECT phone_raw FROM phone_mentions WHERE phone_raw IS NOT NULL USING SAMPLE 100 ROWS").fetchall()]
        persons = [r[0] for r in con.execute(
            "SELECT person_id FROM persons USING SAMPLE 2000 ROWS").fetchall()]
    finally:
        con.close()
    rng = random.Random(seed)
    queries = [n.split()[-1] if rng.random() < 0.3 else n for n in names] + phones
    rng.shuffle(queries)
    return agencies, queries, persons


def add_users(ws: Path, agencies: list[str], n: int) -> list[str]:
    from filiere.web.users import add_user, get_user
    from filiere.workspace import Workspace

    names = []
    with Workspace.open(ws) as w:
        for i in range(n):
            name = f"bench-{i:02d}"
            if get_user(w.con, name) is None:
                add_user(w, name, agencies[i % len(agencies)], "analyst", PASSWORD, actor="bench")
            names.append(name)
    return names


async def sign_in(base: str, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=60.0)
    r = await client.post("/api/login", json={"username": username, "password": PASSWORD, **CASE})
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = r.json()["csrf"]
    return client


async def one_round(client: httpx.AsyncClient, rng: random.Random, queries: list[str], persons: list[str],
                    timings: dict[str, list[float]], think_s: float, first: bool = False) -> None:
    steps = (
        ("search", "/api/search", {"q": rng.choice(queries)}),
        ("profile", f"/api/persons/{rng.choice(persons)}", None),
        ("expand", "/api/graph/neighbours", {"ids": rng.choice(persons)}),
    )
    for op, url, params in steps:
        t0 = time.perf_counter()
        try:
            r = await client.get(url, params=params)
        except httpx.RemoteProtocolError:  # a kept-alive connection closed under us: count it, ask again
            timings["reconnects"].append(0.0)
            t0 = time.perf_counter()
            r = await client.get(url, params=params)
        elapsed = time.perf_counter() - t0
        if r.status_code not in (200, 404):  # 404: a person the analyst's agency may not see
            raise RuntimeError(f"{op} {url} → {r.status_code} {r.text[:200]}")
        timings[op].append(elapsed * 1000)
        if first and op == "search":
            timings["first click"].append(elapsed * 1000)
        if think_s:  # the analyst reads the answer before the next click
            await asyncio.sleep(rng.uniform(0.5 * think_s, 1.5 * think_s))


async def run_analysts(base: str, users: list[str], rounds: int, queries: list[str], persons: list[str],
                       seed: int, think_s: float = 0.0, ramp_s: float = 0.0) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    clients = [await sign_in(base, u) for u in users]

    async def analyst(i: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(seed + i)
        if ramp_s:
            await asyncio.sleep(random.Random(seed - i - 1).uniform(0, ramp_s))
        for k in range(rounds):
            await one_round(client, rng, queries, persons, timings, think_s, first=k == 0)

    try:
        await asyncio.gather(*(analyst(i, c) for i, c in enumerate(clients)))
    finally:
        for c in clients:
            await c.aclose()
    return timings


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def wait_ready(base: str, proc: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited; see its output above")
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start in time")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace", type=Path)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--think", type=float, default=0.0,
                    help="mean seconds an analyst spends reading each answer (0: back-to-back requests)")
    ap.add_argument("--ramp", type=float, default=None,
                    help="analysts start at random moments within this many seconds (default: --think; "
                         "0: all at the same instant)")
    args = ap.parse_args()
    ramp_s = args.think if args.ramp is None else args.ramp

    agencies, queries, persons = pick_workload(args.workspace, args.seed)
    if not persons:
        sys.exit("the workspace has no resolved persons: run filiere resolve and analyze first")
    users = add_users(args.workspace, agencies, args.users)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    filiere = Path(sys.executable).with_name("filiere")
    proc = subprocess.Popen([str(filiere), "-q", "serve", str(args.workspace), "--host", "127.0.0.1", "--port",
                             str(port), "--insecure-cookies"], env={**os.environ})
    load_before = os.getloadavg()
    try:
        wait_ready(base, proc)
        t0 = time.perf_counter()
        asyncio.run(run_analysts(base, users[:1], 1, queries[:1], persons[:1], args.seed))  # builds the name index
        warm_s = time.perf_counter() - t0
        baseline = asyncio.run(run_analysts(base, users[:1], args.rounds, queries, persons, args.seed))
        t0 = time.perf_counter()
        loaded = asyncio.run(run_analysts(base, users, args.rounds, queries, persons, args.seed, args.think,
                                          ramp_s))
        wall = time.perf_counter() - t0
        load_after = os.getloadavg()
    finally:
        crashed = proc.poll()
        proc.terminate()
        proc.wait(timeout=30)
    if crashed is not None:
        sys.exit(f"the server exited during the run (status {crashed})")

    n_requests = sum(len(loaded[op]) for op in OPS)
    print(f"workspace {args.workspace}: {len(persons)} sampled persons, agencies {', '.join(agencies)}")
    print(f"warm-up (first search waits for the name index): {warm_s:.1f} s")
    print(f"load average (1/5/15 min) before: {' '.join(f'{x:.2f}' for x in load_before)},"
          f" after: {' '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} cores)")
    print(f"{'operation':<10} {'1 analyst p50/p95 ms':>22} {f'{args.users} analysts p50/p95 ms':>24} {'p95 ratio':>10}")
    for op in OPS:
        b50, b95 = pct(baseline[op], 50), pct(baseline[op], 95)
        l50, l95 = pct(loaded[op], 50), pct(loaded[op], 95)
        print(f"{op:<10} {b50:>10.1f} / {b95:<9.1f} {l50:>11.1f} / {l95:<10.1f} {l95 / b95:>9.1f}x")
    first = loaded["first click"]
    print(f"first click (each analyst's first search, {len(first)} of them, start spread over {ramp_s:g} s):"
          f" p50 {pct(first, 50):.1f} ms, p95 {pct(first, 95):.1f} ms, max {max(first):.1f} ms")
    if loaded.get("reconnects"):
        print(f"{len(loaded['reconnects'])} request(s) retried after a dropped keep-alive connection")
    print(f"{n_requests} requests by {args.users} analysts (think time {args.think:g} s, ramp {ramp_s:g} s)"
          f" in {wall:.1f} s"
          f" ({n_requests / wall:.0f} req/s)")
    print("command: .venv/bin/python bench/web_load.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
