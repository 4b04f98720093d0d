"""Person resolution on a simulated world: filiere's model vs a plain Splink model, side by side.

Run (the world is simulated and every export ingested into a fresh workspace unless --workspace is given):
    .venv/bin/python bench/resolve_simulated.py --size medium --seed 7 --out /tmp/sim_medium
Prints pairwise and B-cubed P/R/F1 over all answer-key person mentions, and with nickname-only classes left
out (contact-list labels: slot ``contact``; statement subjects named by a nickname: slot ``subject``).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from pathlib import Path

from filiere.resolve.evaluate import evaluate_workspace
from filiere.resolve.splink_model import DEFAULT_THRESHOLD, ModelSpec
from filiere.resolve.stage import resolve
from filiere.workspace import Workspace

FILIERE = [str(Path(sys.executable).parent / "filiere")]
NICKNAME_SLOTS = ("contact", "subject")


def build_workspace(out: Path, size: str, seed: int, ws_path: Path) -> None:
    if not (out / "answer_key" / "files.csv").exists():
        subprocess.run([*FILIERE, "-q", "simulate", str(out), "--size", size, "--seed", str(seed)], check=True)
    subprocess.run([*FILIERE, "-q", "init", str(ws_path)], check=True)
    with (out / "answer_key" / "files.csv").open() as fh:
        for row in csv.DictReader(fh):
            folder = out / row["agency"]
            subprocess.run([*FILIERE, "-q", "ingest", str(ws_path), str(folder / row["file"]),
                            "--mapping", str(folder / row["mapping"])], check=True)


def line(label: str, ev) -> str:
    s = ev.scores
    return (f"{label:34s} n={s.n_mentions:7,d}  pairwise P={s.pairwise_precision:.4f} R={s.pairwise_recall:.4f} "
            f"F1={s.pairwise_f1:.4f}  B3 P={s.bcubed_precision:.4f} R={s.bcubed_recall:.4f} F1={s.bcubed_f1:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="medium")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True, help="simulator output folder (reused if present)")
    ap.add_argument("--workspace", type=Path, help="an already ingested workspace")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--prior-recall", type=float, default=ModelSpec().prior_recall)
    ap.add_argument("--skip-plain", action="store_true")
    args = ap.parse_args()
    ws_path = args.workspace or args.out.with_name(args.out.name + "_ws")
    if args.workspace is None:
        if ws_path.exists():
            sys.exit(f"{ws_path} exists: pass it with --workspace or remove it")
        build_workspace(args.out, args.size, args.seed, ws_path)
    key = args.out / "answer_key"
    runs = [("plain Splink", ModelSpec(kind="plain", prior_recall=args.prior_recall))] if not args.skip_plain else []
    runs.append(("filiere", ModelSpec(prior_recall=args.prior_recall)))
    with Workspace.open(ws_path) as ws:
        for label, spec in runs:
            t = time.perf_counter()
            # the plain baseline is plain Splink alone: no swap lines in its comparisons, no label attachments
            result = resolve(ws, threshold=args.threshold, reason="benchmark", spec=spec,
                             attach_labels=spec.kind == "filiere")
            secs = time.perf_counter() - t
            print(f"{label}: {result.mentions:,} mentions -> {result.persons:,} persons in {secs:.1f} s")
            print(line(f"  {label}, all mentions", evaluate_workspace(ws, key)))
            print(line(f"  {label}, without {'/'.join(NICKNAME_SLOTS)}",
                       evaluate_workspace(ws, key, NICKNAME_SLOTS)))
            print(line(f"  {label}, without contact", evaluate_workspace(ws, key, ("contact",))))


if __name__ == "__main__":
    main()
