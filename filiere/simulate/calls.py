"""Call records, generated window by window with numpy so that any number streams in bounded memory.

Each call picks a call relationship (an edge between two lines) in proportion to its rate × the time it is
active in the window, a direction, a time (with a daily rhythm), a duration, then the number each line used
at that time (so burner changes show up in the data), and the serving cell of each party.  Windows are
consecutive, and each is sorted by time, so a file is in time order as operators deliver CDRs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from filiere.simulate.phones import country_of
from filiere.simulate.streams import stream
from filiere.simulate.world import AREAS, DAY, World

CELLS_PER_AREA = 12
# share of calls by hour of day (people call in the day and evening; smugglers at night too)
HOURLY = np.array([1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 4, 5, 5.5, 6, 6.5, 6, 5.5, 5.5, 6, 6.5, 7, 7, 6, 5,
                   3.5, 2], dtype=float)
HOURLY /= HOURLY.sum()


@dataclass(frozen=True)
class CellSite:
    area: str
    country: str
    number: int
    lat: float
    lon: float


def cell_sites() -> list[CellSite]:
    """Cell sites around each area (deterministic positions)."""
    out = []
    for ai, (area, (country, lat, lon)) in enumerate(AREAS.items()):
        rng = stream(0, "cells", ai)
        for k in range(CELLS_PER_AREA):
            out.append(CellSite(area, country, 1000 + ai * 100 + k, round(lat + float(rng.normal(0, 0.02)), 5),
                                round(lon + float(rng.normal(0, 0.03)), 5)))
    return out


@dataclass
class CallModel:
    """The arrays a call generator needs, taken once from the world."""

    edges: dict[str, np.ndarray]
    phone_key: np.ndarray  # line * horizon + start, sorted
    first_phone: np.ndarray  # per line
    line_owner: np.ndarray
    line_area: np.ndarray  # index into AREAS, -1 when abroad
    phone_country: np.ndarray  # ISO2 per phone
    horizon: int

    @classmethod
    def from_world(cls, world: World) -> CallModel:
        horizon = world.horizon
        line = np.asarray(world.phone_line, dtype=np.int64)
        start = np.asarray(world.phone_start, dtype=np.int64)
        key = line * (horizon + 1) + start
        if np.any(np.diff(key) <= 0):
            raise AssertionError("phones are not in line/start order")
        n_lines = len(world.line_owner)
        first = np.full(n_lines, -1, dtype=np.int64)
        first[line[::-1]] = np.arange(line.size - 1, -1, -1)
        area_index = {a: i for i, a in enumerate(AREAS)}
        return cls(
            edges=world.edges.arrays(),
            phone_key=key,
            first_phone=first,
            line_owner=np.asarray(world.line_owner, dtype=np.int64),
            line_area=np.array([area_index.get(a, -1) for a in world.line_area], dtype=np.int64),
            phone_country=np.array([country_of(e) for e in world.phone_e164]),
            horizon=horizon,
        )

    def phone_at(self, lines: np.ndarray, t: np.ndarray) -> np.ndarray:
        idx = np.searchsorted(self.phone_key, lines * (self.horizon + 1) + t, side="right") - 1
        return np.maximum(idx, self.first_phone[lines])


@dataclass
class CallChunk:
    call_id: np.ndarray
    t: np.ndarray  # seconds from the start of the period
    caller: np.ndarray  # phone index
    callee: np.ndarray
    caller_person: np.ndarray
    callee_person: np.ndarray
    duration: np.ndarray
    sms: np.ndarray  # bool
    caller_cell: np.ndarray  # cell index or -1
    callee_cell: np.ndarray

    def __len__(self) -> int:
        return int(self.t.size)


def window_counts(model: CallModel, total: int, windows: int, seed: int) -> list[tuple[int, int, int]]:
    """(start, end, calls) per time window, calls in proportion to the edges' activity in it."""
    e = model.edges
    bounds = np.linspace(0, model.horizon, windows + 1).astype(np.int64)
    weight = np.empty(windows)
    for w in range(windows):
        overlap = np.clip(np.minimum(e["t1"], bounds[w + 1]) - np.maximum(e["t0"], bounds[w]), 0, None)
        weight[w] = float(np.dot(e["rate"], overlap))
    counts = stream(seed, "calls", "windows").multinomial(total, weight / weight.sum())
    return [(int(bounds[w]), int(bounds[w + 1]), int(counts[w])) for w in range(windows)]


def generate_calls(model: CallModel, total: int, seed: int, chunk: int = 1_000_000) -> Iterator[CallChunk]:
    """Yield calls in time order, one window (about ``chunk`` calls) at a time."""
    windows = max(1, -(-total // chunk))
    e = model.edges
    n_cells_area = CELLS_PER_AREA
    next_id = 0
    for w, (w0, w1, n) in enumerate(window_counts(model, total, windows, seed)):
        if n == 0:
            continue
        rng = stream(seed, "calls", w)
        lo = np.maximum(e["t0"], w0)
        hi = np.minimum(e["t1"], w1)
        span = np.clip(hi - lo, 0, None)
        cdf = np.cumsum(e["rate"] * span)
        pick = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right")
        pick = np.minimum(pick, cdf.size - 1)
        t = lo[pick] + (rng.random(n) * span[pick]).astype(np.int64)
        # daily rhythm: keep the day, redraw the time of day, stay inside the edge's active span
        hour = rng.choice(24, size=n, p=HOURLY)
        t = (t // DAY) * DAY + hour * 3600 + rng.integers(0, 3600, size=n)
        t = np.clip(t, lo[pick], np.maximum(lo[pick], hi[pick] - 1))
        swap = rng.random(n) < 0.5
        a_line = np.where(swap, e["b"][pick], e["a"][pick])
        b_line = np.where(swap, e["a"][pick], e["b"][pick])
        order = np.argsort(t, kind="stable")
        t, a_line, b_line = t[order], a_line[order], b_line[order]
        sms = rng.random(n) < 0.12
        duration = np.where(sms, 0, np.clip(rng.lognormal(4.0, 1.0, size=n), 1, 7200).astype(np.int64))
        a_area = model.line_area[a_line]
        b_area = model.line_area[b_line]
        a_cell = np.where(a_area >= 0, a_area * n_cells_area + rng.integers(0, n_cells_area, size=n), -1)
        b_cell = np.where(b_area >= 0, b_area * n_cells_area + rng.integers(0, n_cells_area, size=n), -1)
        yield CallChunk(
            call_id=np.arange(next_id, next_id + n, dtype=np.int64),
            t=t,
            caller=model.phone_at(a_line, t),
            callee=model.phone_at(b_line, t),
            caller_person=model.line_owner[a_line],
            callee_person=model.line_owner[b_line],
            duration=duration,
            sms=sms,
            caller_cell=a_cell,
            callee_cell=b_cell,
        )
        next_id += n
