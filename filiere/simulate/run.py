"""One simulation run: build the world, play the period, write every agency's exports and the answer key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filiere.simulate.agencies import STYLES
from filiere.simulate.answer_key import write_events, write_export_key, write_world_key
from filiere.simulate.calls import CallModel, generate_calls
from filiere.simulate.calls_export import CallsFile
from filiere.simulate.config import START_DATE, RunOptions
from filiere.simulate.dirty import dirty_rows
from filiere.simulate.evidence import camera_reads
from filiere.simulate.exports import Builder
from filiere.simulate.journeys import simulate_activity
from filiere.simulate.layouts import LAYOUTS
from filiere.simulate.population import build_world
from filiere.simulate.streams import stream
from filiere.simulate.writer import write_export

DIRTY_PER_FILE = 3


@dataclass
class Summary:
    out: Path
    persons: int = 0
    networks: int = 0
    phones: int = 0
    calls_generated: int = 0
    files: list[dict] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f["rows"] for f in self.files)


def simulate(out: Path, options: RunOptions, progress: Callable[[int], None] | None = None) -> Summary:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    size = options.size
    world = build_world(size, options.seed, START_DATE)
    act = simulate_activity(world)
    reads = camera_reads(world, act)
    collected = world.day(world.horizon)  # files handed over at the end of the period
    key = out / "answer_key"
    person_ids = [p.pid for p in world.persons]
    summary = Summary(out, persons=len(world.persons), networks=len(world.networks), phones=len(world.phone_e164))
    mentions: list[tuple[str, int, str, str]] = []
    dirty_all: list[tuple[str, int, str, str]] = []
    for code in options.agencies:
        style = STYLES[code]
        for exp in Builder(world, act, style, LAYOUTS[code], reads).all():
            if not exp.rows:
                continue  # the agency holds nothing of this kind in this world
            rng = stream(options.seed, "write", exp.name)
            bad = (dirty_rows(exp.kind, exp.columns, exp.properties, exp.rows, DIRTY_PER_FILE,
                              stream(options.seed, "dirty", exp.name)) if options.dirty else [])
            res = write_export(exp, out / code, person_ids, bad, rng, collected)
            mentions += [(res.file, r, s, p) for r, s, p in res.mentions]
            dirty_all += [(res.file, r, f, why) for r, f, why in res.dirty]
            write_events(key, res.file, res.events)
            summary.files.append({"file": res.file, "agency": code, "kind": res.kind, "rows": res.rows,
                                  "dirty": len(res.dirty), "mapping": f"{exp.name}.yml"})
    # calls: streamed, one file per agency with a calls layout
    model = CallModel.from_world(world)
    writers = [CallsFile(STYLES[c], LAYOUTS[c]["calls"], out / c, key / "events", world)
               for c in options.agencies if "calls" in LAYOUTS[c]]
    first = True
    for chunk in generate_calls(model, size.calls, options.seed, options.calls_chunk):
        for w in writers:
            w.write(chunk)
        if first and options.dirty:
            for w in writers:
                w.write_dirty(dirty_rows("calls", w.export.columns, w.export.properties, w.sample_rows(),
                                         DIRTY_PER_FILE, stream(options.seed, "dirty", w.export.name)))
        first = False
        summary.calls_generated += len(chunk)
        if progress:
            progress(len(chunk))
    for w in writers:
        w.close(collected)
        dirty_all += [(w.export.file_name, r, f, why) for r, f, why in w.dirty]
        summary.files.append({"file": w.export.file_name, "agency": w.style.code, "kind": "calls", "rows": w.rows,
                              "dirty": len(w.dirty), "mapping": f"{w.export.name}.yml"})
    mentions.sort()
    dirty_all.sort()
    write_world_key(key, world, act)
    write_export_key(key, summary.files, mentions, dirty_all)
    return summary
