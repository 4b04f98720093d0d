"""Exports being built in memory (small kinds), and writing them: CSV, the mapping beside it, the key rows.

Call records do not go through here (see :mod:`.calls_export`): they stream.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from filiere.model.kinds import KINDS
from filiere.simulate.agencies import AgencyStyle
from filiere.simulate.render import Written

PERSON_FIELDS = {
    "name": "full", "given_name": "given", "family_name": "family", "alias": "alias",
    "birth_date": "birth_date", "nationality": "nationality", "gender": "gender", "document": "document",
    "phone": "phone",
}


@dataclass
class Export:
    """One export file: its layout, its mapping, its rows and, per row, the truth behind it."""

    name: str  # file stem, e.g. fr_appels
    kind: str
    style: AgencyStyle
    source: dict[str, Any]
    columns: list[str]
    properties: dict[str, dict[str, Any]]
    delimiter: str = ","
    encoding: str = "utf-8"
    lineterminator: str = "\n"
    file_type: str = "csv"  # csv | jsonl
    rows: list[list[str]] = field(default_factory=list)
    slots: list[dict[str, int]] = field(default_factory=list)  # slot -> person index, per row
    truth: list[dict[str, Any]] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.name}.{self.file_type}"

    def add(self, values: dict[str, str], slots: dict[str, int] | None = None,
            truth: dict[str, Any] | None = None) -> None:
        unknown = set(values) - set(self.columns)
        if unknown:
            raise KeyError(f"{self.name}: no column(s) {sorted(unknown)}")
        self.rows.append([values.get(c, "") for c in self.columns])
        self.slots.append(dict(slots or {}))
        self.truth.append(dict(truth or {}))

    def slot_columns(self) -> dict[str, set[str]]:
        """Columns that fill each person slot (a slot is mentioned when any of them is not empty)."""
        kind = KINDS[self.kind]
        out: dict[str, set[str]] = {}
        for key, spec in self.properties.items():
            if "." in key:
                slot = key.split(".", 1)[0]
            elif kind.own_person:
                slot = "person"
            else:
                continue
            cols = [spec["column"]] if "column" in spec else list(spec.get("columns", []))
            out.setdefault(slot, set()).update(cols)
        return out

    def mapping_doc(self) -> dict[str, Any]:
        fmt: dict[str, Any] = {"type": "csv", "delimiter": self.delimiter, "encoding": self.encoding}
        if self.file_type == "jsonl":
            fmt = {"type": "jsonl"}
        return {"version": 1, "kind": self.kind, "format": fmt, "source": self.source,
                "properties": self.properties}


def person_properties(prefix: str, cols: dict[str, str], style: AgencyStyle,
                      birth_formats: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
    """Mapping specs for a person slot: ``cols`` maps person property → column name."""
    out: dict[str, dict[str, Any]] = {}
    for prop, col in cols.items():
        spec: dict[str, Any] = {"column": col}
        if prop == "birth_date":
            spec["format"] = list(birth_formats or (style.date_fmt,))
        elif prop == "category":
            spec["map"] = {word: cat for cat, word in style.categories.items()}
        elif prop == "gender":
            spec["map"] = {word: g for g, word in style.gender_words.items()}
        out[f"{prefix}{prop}" if prefix else prop] = spec
    return out


def person_values(cols: dict[str, str], w: Written, category_word: str = "") -> dict[str, str]:
    out = {}
    for prop, col in cols.items():
        if prop == "category":
            out[col] = category_word
        else:
            out[col] = getattr(w, PERSON_FIELDS[prop]) if prop != "name" else w.full
    return out


def encodable(text: str, encoding: str) -> str:
    """What a legacy system stores: accents dropped, then '?' for what the encoding cannot hold."""
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            try:
                base.encode(encoding)
                out.append(base or "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


@dataclass
class WriteResult:
    """What writing one export produced for the answer key."""

    file: str
    agency: str
    kind: str
    rows: int
    mentions: list[tuple[int, str, str]]  # (row, slot, person_id)
    events: list[dict[str, Any]]  # per clean row: {"row": n, **truth}
    dirty: list[tuple[int, str, str]]  # (row, field, reason)


class _RowWriter:
    """Writes rows as CSV (with a header row) or as JSON lines (one object per row, keys = columns)."""

    def __init__(self, fh, exp: Export) -> None:
        self.fh, self.exp = fh, exp
        if exp.file_type == "csv":
            self.csv = csv.writer(fh, delimiter=exp.delimiter, lineterminator=exp.lineterminator)
            self.csv.writerow([encodable(c, exp.encoding) for c in exp.columns])

    def writerow(self, values: list[str]) -> None:
        if self.exp.file_type == "csv":
            self.csv.writerow(values)
        else:
            record = {c: (v if v != "" else None) for c, v in zip(self.exp.columns, values, strict=True)}
            self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _yaml_dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=None, width=120)


def write_mapping(path: Path, doc: dict[str, Any], header: str) -> None:
    path.write_text(f"# {header}\n" + _yaml_dump(doc), encoding="utf-8")


def write_export(exp: Export, folder: Path, person_ids: list[str], dirty_rows: list[tuple[list[str], str, str]],
                 rng: np.random.Generator, collected: date) -> WriteResult:
    """Write ``exp`` (with ``dirty_rows`` inserted at random places) and its mapping; return the key rows."""
    folder.mkdir(parents=True, exist_ok=True)
    n = len(exp.rows)
    # final order: clean rows in order, dirty rows inserted at random positions
    positions = sorted(int(x) for x in rng.integers(0, n + 1, size=len(dirty_rows))) if dirty_rows else []
    final: list[tuple[str, int]] = []  # ("c", i) or ("d", j)
    di = 0
    for i in range(n + 1):
        while di < len(positions) and positions[di] == i:
            final.append(("d", di))
            di += 1
        if i < n:
            final.append(("c", i))
    slot_cols = exp.slot_columns()
    col_index = {c: k for k, c in enumerate(exp.columns)}
    mentions: list[tuple[int, str, str]] = []
    events: list[dict[str, Any]] = []
    dirty: list[tuple[int, str, str]] = []
    path = folder / exp.file_name
    with path.open("w", encoding=exp.encoding, newline="") as fh:
        writer = _RowWriter(fh, exp)
        for row_no, (what, i) in enumerate(final, start=1):
            if what == "d":
                values, field_name, reason = dirty_rows[i]
                writer.writerow([encodable(v, exp.encoding) for v in values])
                dirty.append((row_no, field_name, reason))
                continue
            row = exp.rows[i]
            writer.writerow([encodable(v, exp.encoding) for v in row])
            for slot, person in sorted(exp.slots[i].items()):
                cols = slot_cols.get(slot, set())
                if any(row[col_index[c]].strip() for c in cols):
                    mentions.append((row_no, slot, person_ids[person]))
            events.append({"row": row_no, **exp.truth[i]})
    doc = exp.mapping_doc()
    doc["source"] = {**exp.source, "collected_on": collected}
    write_mapping(folder / f"{exp.name}.yml", doc,
                  f"mapping for {exp.file_name} ({exp.kind}), written by `filiere simulate`")
    return WriteResult(exp.file_name, exp.style.code, exp.kind, len(final), mentions, events, dirty)
