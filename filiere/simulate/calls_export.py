"""Call detail records written chunk by chunk with pyarrow: each agency gets the calls its operators carry.

An operator holds the calls in which one of its country's numbers takes part, so a call between a French and
a British number appears in both the French and the British file (as in real requisitions); calls between
two foreign numbers appear in neither.  Each file's answer key (``answer_key/events/<file>.csv``) is written
beside it, chunk by chunk too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from filiere.simulate.agencies import AgencyStyle
from filiere.simulate.calls import CallChunk, cell_sites
from filiere.simulate.exports import new_export
from filiere.simulate.layouts import Layout
from filiere.simulate.phones import fmt
from filiere.simulate.world import World
from filiere.simulate.writer import write_mapping


@dataclass
class CallsFile:
    style: AgencyStyle
    layout: Layout
    folder: Path
    key_folder: Path
    world: World
    rows: int = 0
    dirty: list[tuple[int, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.export = new_export(self.style, self.layout, "calls")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.key_folder.mkdir(parents=True, exist_ok=True)
        country = self.style.country
        style = self.style.cdr_phone_style
        self.phone_text = pa.array([fmt(e, style, country) for e in self.world.phone_e164], pa.string())
        self.is_home = np.array([e.startswith("+" + {"FR": "33", "GB": "44", "BE": "32"}[country])
                                 for e in self.world.phone_e164])
        sites = cell_sites()
        prefix = {"FR": "20801", "GB": "23415", "BE": "20610"}[country]
        self.cell_id = pa.array([f"{prefix}-{s.number // 100:03d}-{s.number}" for s in sites] + [""], pa.string())
        dec = self.layout.get("decimal", ".")
        self.cell_lat = pa.array([f"{s.lat:.5f}".replace(".", dec) for s in sites] + [""], pa.string())
        self.cell_lon = pa.array([f"{s.lon:.5f}".replace(".", dec) for s in sites] + [""], pa.string())
        self.n_cells = len(sites)
        self.person_ids = pa.array([p.pid for p in self.world.persons], pa.string())
        self.path = self.folder / self.export.file_name
        self.key_path = self.key_folder / self.export.file_name
        opts = pacsv.WriteOptions(include_header=True, delimiter=self.export.delimiter, quoting_style="needed")
        self._schema = pa.schema([(c, pa.string()) for c in self.export.columns])
        self._sink = pa.OSFile(str(self.path), "wb")
        self._writer = pacsv.CSVWriter(self._sink, self._schema, write_options=opts)
        key_schema = pa.schema([("row", pa.int64()), ("call_id", pa.int64()), ("caller_id", pa.string()),
                                ("callee_id", pa.string()), ("caller_phone", pa.string()),
                                ("callee_phone", pa.string())])
        self._key_sink = pa.OSFile(str(self.key_path), "wb")
        self._key_writer = pacsv.CSVWriter(self._key_sink, key_schema,
                                           write_options=pacsv.WriteOptions(include_header=True))
        self._key_schema = key_schema
        self._e164 = pa.array(self.world.phone_e164, pa.string())

    def _times(self, t: np.ndarray) -> pa.Array:
        start = np.datetime64(self.world.start.isoformat(), "s")
        ts = pa.array(start + t.astype("timedelta64[s]"), pa.timestamp("s"))
        fmt_ = self.layout.get("datetime_fmt", self.style.datetime_fmt)
        return pc.strftime(ts, format=fmt_)

    def write(self, chunk: CallChunk) -> None:
        mask = self.is_home[chunk.caller] | self.is_home[chunk.callee]
        idx = np.nonzero(mask)[0]
        if idx.size == 0:
            return
        caller, callee = chunk.caller[idx], chunk.callee[idx]
        # serving cell of the home-country party (the caller when both are)
        cell = np.where(self.is_home[caller], chunk.caller_cell[idx], chunk.callee_cell[idx])
        cell = np.where(cell >= 0, cell, self.n_cells)
        cols = {c: None for c in self.export.columns}
        by_prop = {
            "caller": self.phone_text.take(pa.array(caller)),
            "callee": self.phone_text.take(pa.array(callee)),
            "started_at": self._times(chunk.t[idx]),
            "duration_s": pa.array(chunk.duration[idx].astype(str), pa.string()),
            "call_type": pa.array(np.where(chunk.sms[idx], self.layout["words"]["call_type"]["sms"],
                                           self.layout["words"]["call_type"]["voice"]), pa.string()),
            "cell_id": self.cell_id.take(pa.array(cell)),
            "cell_lat": self.cell_lat.take(pa.array(cell)),
            "cell_lon": self.cell_lon.take(pa.array(cell)),
        }
        for prop, col in self.layout["columns"].items():
            cols[col] = by_prop[prop]
        table = pa.table([cols[c] for c in self.export.columns], schema=self._schema)
        self._writer.write_table(table)
        rows = np.arange(self.rows + 1, self.rows + 1 + idx.size, dtype=np.int64)
        key = pa.table([pa.array(rows), pa.array(chunk.call_id[idx]),
                        self.person_ids.take(pa.array(chunk.caller_person[idx])),
                        self.person_ids.take(pa.array(chunk.callee_person[idx])),
                        self._e164.take(pa.array(caller)), self._e164.take(pa.array(callee))],
                       schema=self._key_schema)
        self._key_writer.write_table(key)
        self.rows += idx.size
        self._last = table

    def write_dirty(self, rows: list[tuple[list[str], str, str]]) -> None:
        """Append deliberately malformed rows (they get row numbers but no key entry)."""
        if not rows:
            return
        table = pa.table([pa.array([r[0][k] for r in rows], pa.string()) for k in range(len(self.export.columns))],
                         schema=self._schema)
        self._writer.write_table(table)
        for _values, field_name, reason in rows:
            self.rows += 1
            self.dirty.append((self.rows, field_name, reason))

    def sample_rows(self, n: int = 20) -> list[list[str]]:
        last = getattr(self, "_last", None)
        if last is None:
            return []
        head = last.slice(0, n).to_pylist()
        return [[r[c] for c in self.export.columns] for r in head]

    def close(self, collected: date) -> None:
        self._writer.close()
        self._sink.close()
        self._key_writer.close()
        self._key_sink.close()
        doc = self.export.mapping_doc()
        doc["source"] = {**self.export.source, "collected_on": collected}
        write_mapping(self.folder / f"{self.export.name}.yml", doc,
                      f"mapping for {self.export.file_name} (calls), written by `filiere simulate`")
