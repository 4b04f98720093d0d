"""Benchmark of the scenario simulator: records/s and peak memory (RSS) of whole runs, each in a child process.

Usage:  .venv/bin/python bench/simulate.py [--calls 10000000 50000000] [--skip-large]

Prints, for each run, the rows written (all exports), wall time, records/s and the child's peak RSS; the
baseline is the ``small`` run in the same invocation, so the figures are also given as ratios to it.
Bounded memory shows as a peak RSS that does not grow with ``--calls`` (the world is the same: ``large``).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from filiere.simulate.config import make_options
from filiere.simulate.run import simulate
size, calls, out = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
s = simulate(out, make_options(size, 7, calls=int(calls) if calls != "-" else None))
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": s.rows, "calls": s.calls_generated, "wall": wall, "rss": rss}))
"""


def run(size: str, calls: int | None, tmp: Path) -> dict:
    out = tmp / f"{size}-{calls}"
    proc = subprocess.run([sys.executable, "-c", CHILD, size, str(calls) if calls else "-", str(out)],
                          check=True, capture_output=True, text=True)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["disk"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out)
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, nargs="*", default=[])
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="filiere-bench-") as d:
        tmp = Path(d)
        runs = [("small", None)] + ([] if args.skip_large else [("large", None)]) + [("large", c) for c in args.calls]
        base = None
        for size, calls in runs:
            r = run(size, calls, tmp)
            rate = r["rows"] / r["wall"]
            base = base or (rate, r["rss"])
            print(f"{size:6s} calls={r['calls']:>11,} rows={r['rows']:>11,} wall={r['wall']:8.1f}s "
                  f"records/s={rate:>10,.0f} ({rate / base[0]:.2f}x small) peak_rss={r['rss'] / 2**20:7.0f} MiB "
                  f"({r['rss'] / base[1]:.1f}x small) disk={r['disk'] / 2**20:8.0f} MiB", flush=True)
    print(f"# {time.strftime('%Y-%m-%d')} python {sys.version.split()[0]} maxrss_unit=KiB(linux) "
          f"self={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")


if __name__ == "__main__":
    main()
