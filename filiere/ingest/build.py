"""SQL for one batch: raw-value expressions, the bad-row checks, and the INSERTs into the kind's tables.

Everything here writes SQL over the staging relation (alias ``s``) and the lookup tables; nothing loops
over rows.  A batch is one record kind read from one staging relation with its property specs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from filiere.ingest.lookups import LOOKUP_TYPES, LookupKind, build_lookup, lookup_kind
from filiere.ingest.mapping import PropertySpec
from filiere.ingest.readers.staged import Staged, quote_ident
from filiere.model.kinds import Kind
from filiere.model.schema import table as table_decl
from filiere.model.types import PropType
from filiere.model.vocab import SubjectCategory

MAX_FIELD_CHARS = 10_000


def lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _split_part(expr: str, split: str, part: str) -> str:
    tokens = f"string_split(regexp_replace(trim({expr}), '\\s+', ' ', 'g'), ' ')"
    if split == "caps_family":
        is_caps = "(x = upper(x) AND x <> lower(x) AND length(x) > 1)"
        keep = is_caps if part == "family" else f"NOT {is_caps}"
        return f"NULLIF(array_to_string(list_filter({tokens}, lambda x: {keep}), ' '), '')"
    family_first = split == "family_given"
    if (part == "family") == family_first:
        return f"NULLIF({tokens}[1], '')" if family_first else f"NULLIF(array_to_string({tokens}[1:-2], ' '), '')"
    return (f"NULLIF(array_to_string({tokens}[2:], ' '), '')" if family_first
            else f"NULLIF({tokens}[-1], '')")


def raw_expr(spec: PropertySpec) -> str:
    """The property's value as written (trimmed, empty → NULL), over staging alias ``s``."""
    if spec.value is not None:
        expr = lit(spec.value)
    elif spec.column is not None:
        expr = f"s.{quote_ident(spec.column)}"  # readers stage values trimmed, empty → NULL
    else:
        parts = ", ".join(f"s.{quote_ident(c)}" for c in spec.columns)
        expr = f"NULLIF(concat_ws({lit(spec.join)}, {parts}), '')"
    if spec.extract is not None:  # the first group's match; no match → NULL
        expr = f"NULLIF(regexp_extract({expr}, {lit(spec.extract)}, 1), '')"
    if spec.split is not None:
        expr = _split_part(expr, spec.split, spec.part or "family")
    return expr


def _number_text(raw: str, decimal: str | None) -> str:
    s = f"replace({raw}, ' ', '')"
    if decimal == ",":
        return f"replace(replace({s}, '.', ''), ',', '.')"
    if decimal == ".":
        return f"replace({s}, ',', '')"
    return f"replace({s}, ',', '.')"


def number_expr(raw: str, decimal: str | None, sql_type: str, strict: bool = False) -> str:
    """``raw`` as a number, NULL if it is not one (``strict``: an error); a plain literal skips the rewriting
    of spaces and commas."""
    slow = f"{'CAST' if strict else 'TRY_CAST'}({_number_text(raw, decimal)} AS {sql_type})"
    if decimal == ",":
        return slow  # "1.234" means 1234 here: the plain cast would read it differently
    # a value the plain cast accepts has no comma, and spaces only at its ends: rewriting it changes nothing
    return f"coalesce(TRY_CAST({raw} AS {sql_type}), {slow})"


def datetime_expr(raw: str, formats: tuple[str, ...]) -> str:
    if formats:
        return f"try_strptime({raw}, [{', '.join(lit(f) for f in formats)}])"
    return f"TRY_CAST({raw} AS TIMESTAMP)"


@dataclass
class Check:
    """One way a row can be bad: ``cond`` over ``s`` selects the bad rows; ``reason`` may use ``s`` too."""

    field: str
    value: str
    cond: str
    reason: str


@dataclass
class Batch:
    kind: Kind
    staged: Staged
    specs: list[PropertySpec]
    default_region: str | None
    record_kind: str = ""
    lookups: dict[str, str] = field(default_factory=dict)  # spec key → lookup table
    lookup_errors: dict[str, int] = field(default_factory=dict)  # lookup table → raw values with an error
    temp_tables: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.record_kind = self.record_kind or self.kind.name

    # -- lookups -----------------------------------------------------------------------------------------
    def build_lookups(self, con: duckdb.DuckDBPyConnection, prefix: str) -> None:
        groups: dict[tuple, tuple[list[PropertySpec], LookupKind]] = {}
        for spec in self.specs:
            if spec.prop.ptype in LOOKUP_TYPES:
                key, kind = lookup_kind(spec, self.default_region)
                groups.setdefault(key, ([], kind))[0].append(spec)
        for i, (specs, kind) in enumerate(groups.values()):
            table = f"{prefix}_lk{i}"
            union = " UNION ALL ".join(f"SELECT DISTINCT {raw_expr(s)} AS v FROM {self.staged.relation} s"
                                       for s in specs)
            self.lookup_errors[table] = build_lookup(con, table, union, kind)
            self.temp_tables.append(table)
            for s in specs:
                self.lookups[s.key] = table

    # -- checks ------------------------------------------------------------------------------------------
    def checks(self) -> list[Check]:
        out: list[Check] = []
        seen_columns: set[str] = set()
        for spec in self.specs:
            for col in spec.source_columns:
                if col not in seen_columns:
                    seen_columns.add(col)
                    c = f"s.{quote_ident(col)}"
                    out.append(Check(col, c, f"strlen({c}) > {MAX_FIELD_CHARS} AND length({c}) > {MAX_FIELD_CHARS}",
                                     f"'field of ' || length({c}) || ' characters (more than {MAX_FIELD_CHARS:,})'"))
        for spec in self.specs:
            raw = raw_expr(spec)
            ptype = spec.prop.ptype
            if ptype is PropType.INT:
                cond = f"{raw} IS NOT NULL AND {number_expr(raw, None, 'BIGINT')} IS NULL"
                out.append(Check(spec.field_label, raw, cond, lit("not a whole number")))
            elif ptype is PropType.FLOAT:
                cond = f"{raw} IS NOT NULL AND {number_expr(raw, spec.decimal, 'DOUBLE')} IS NULL"
                out.append(Check(spec.field_label, raw, cond, lit("not a number")))
            elif ptype is PropType.DATETIME:
                expected = " or ".join(spec.formats) if spec.formats else "ISO 8601 (YYYY-MM-DD HH:MM:SS)"
                cond = f"{raw} IS NOT NULL AND {datetime_expr(raw, spec.formats)} IS NULL"
                out.append(Check(spec.field_label, raw, cond, lit(f"not a date-time in format {expected}")))
            elif spec.key in self.lookups and self.lookup_errors.get(self.lookups[spec.key]):
                table = self.lookups[spec.key]
                cond = f"{raw} IN (SELECT raw FROM {table} WHERE error IS NOT NULL)"
                out.append(Check(spec.field_label, raw, cond, f"(SELECT error FROM {table} WHERE raw = {raw})"))
        for requirement in self.kind.required:
            names = requirement.split("|")
            options = [s for s in self.specs
                       if s.key in names or (self.kind.own_person and s.prop.name in names)]
            if not options:
                continue
            cond = " AND ".join(f"{raw_expr(s)} IS NULL" for s in options)
            label = " / ".join(s.field_label for s in options)
            out.append(Check(label, "NULL", cond, lit(f"required {' or '.join(names)} is empty")))
        return out

    # -- inserts -----------------------------------------------------------------------------------------
    def _prop_exprs(self, specs: list[PropertySpec], joins: dict[str, str]) -> dict[str, str]:
        """Target column → SQL expression for these specs; fills ``joins`` (alias → JOIN clause)."""
        cols: dict[str, str] = {}
        by_name = {s.prop.name: s for s in specs}
        for spec in specs:
            raw = raw_expr(spec)
            name = spec.prop.name
            ptype = spec.prop.ptype
            alias = None
            if spec.key in self.lookups:
                table = self.lookups[spec.key]
                alias = f"j{len(joins)}"
                joins[alias] = f"LEFT JOIN {table} {alias} ON {alias}.raw = {raw}"
            match ptype:
                case PropType.TEXT:
                    cols[name] = raw
                case PropType.INT:
                    cols[name] = number_expr(raw, None, "BIGINT")
                case PropType.FLOAT:
                    cols[name] = number_expr(raw, spec.decimal, "DOUBLE")
                case PropType.DATETIME:
                    cols[f"{name}_raw"] = raw
                    cols[name] = datetime_expr(raw, spec.formats)
                case PropType.PHONE:
                    cols[f"{name}_raw"] = raw
                    cols[name] = f"{alias}.value"
                    cols[f"{name}_valid"] = f"{alias}.valid"
                case PropType.DATE:
                    cols[f"{name}_raw"] = raw
                    cols[name] = f"{alias}.value"
                    cols[f"{name}_precision"] = f"{alias}.precision"
                    cols[f"{name}_placeholder"] = f"{alias}.placeholder"
                case PropType.CATEGORY:
                    # a person whose category the source leaves empty is 'unknown', never NULL
                    cols[f"{name}_raw"] = raw
                    cols[name] = f"coalesce({alias}.value, {lit(SubjectCategory.UNKNOWN.value)})"
                case _:
                    cols[f"{name}_raw"] = raw
                    cols[name] = f"{alias}.value"
            if ptype is PropType.MONEY:
                cols[f"__{name}_currency"] = f"{alias}.currency"
        # currency: the currency column, else one written in the amount, else the mapping's constant
        amount = next((s for s in specs if s.prop.ptype is PropType.MONEY), None)
        if amount is not None:
            fallbacks = [cols.pop(f"__{amount.prop.name}_currency")]
            if amount.currency:
                fallbacks.append(lit(amount.currency))
            if "currency" in cols:
                cols["currency"] = f"coalesce({cols['currency']}, {', '.join(fallbacks)})"
            else:
                cols["currency"] = f"coalesce({', '.join(fallbacks)})"
        if specs and specs[0].slot is not None and "category" not in by_name:
            cols["category"] = lit(SubjectCategory.UNKNOWN.value)
        return cols

    def _slot_filled(self, slot: str) -> str:
        raws = [raw_expr(s) for s in self.specs if s.slot == slot]
        return "(" + " OR ".join(f"{r} IS NOT NULL" for r in raws) + ")" if raws else "FALSE"

    def inserts(self, source_id: str, keep: str) -> list[str]:
        """INSERT statements for this batch; ``keep`` is a condition over ``s`` (rows not rejected)."""
        stmts: list[str] = []
        sid = lit(source_id)
        rel = self.staged.relation
        slots = ["person"] if self.kind.own_person else list(self.kind.slots)
        for slot in slots:
            specs = [s for s in self.specs if s.slot == slot]
            if not specs:
                continue
            joins: dict[str, str] = {}
            cols = {
                "mention_id": f"{sid} || ':' || s._row || ':' || {lit(slot)}",
                "source_id": sid,
                "source_row": "s._row",
                "slot": lit(slot),
                "record_kind": lit(self.record_kind),
                **self._prop_exprs(specs, joins),
            }
            where = f"({keep}) AND {self._slot_filled(slot)}"
            stmts.append(_insert("person_mentions", cols, rel, joins, where))
        if not self.kind.own_person:
            id_col = "mention_id" if self.kind.table.endswith("_mentions") else "event_id"
            joins = {}
            specs = [s for s in self.specs if s.slot is None]
            cols = {id_col: f"{sid} || ':' || s._row", "source_id": sid, "source_row": "s._row"}
            for slot in self.kind.slots:
                cols[f"{slot}_mention_id"] = (f"CASE WHEN {self._slot_filled(slot)} THEN "
                                              f"{sid} || ':' || s._row || ':' || {lit(slot)} END")
            cols.update(self._prop_exprs(specs, joins))
            stmts.append(_insert(self.kind.table, cols, rel, joins, keep))
        return stmts


def _insert(table: str, cols: dict[str, str], relation: str, joins: dict[str, str], where: str) -> str:
    decl = table_decl(table)
    stored = set(decl.stored_column_names)
    cols = {name: expr for name, expr in cols.items() if name in stored}  # generated columns compute themselves
    names = ", ".join(quote_ident(c) for c in cols)
    exprs = ", ".join(cols.values())
    return (f"INSERT INTO {decl.write_name} ({names}) SELECT {exprs} FROM {relation} s {' '.join(joins.values())}"
            f" WHERE {where}")
