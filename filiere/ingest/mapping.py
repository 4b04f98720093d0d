"""Mapping files: load the YAML, check it against the record kinds, and say clearly what is wrong.

The format is documented in ``docs/mappings.md``.  Every error names the mapping file and the key
(``properties.caller.format`` …) so the analyst can fix it without reading code.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import yaml

from filiere.errors import InputError
from filiere.ingest.normalise.categories import CATEGORY_VOCABULARY, VocabularyMap, vocabulary_values
from filiere.ingest.normalise.money import normalise_currency
from filiere.ingest.normalise.phones import is_region
from filiere.model.kinds import KINDS, PERSON_PROPS, Kind, Prop
from filiere.model.types import PropType

FORMATS = ("csv", "parquet", "jsonl", "ftm")
ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16")
_ENCODING_ALIASES = {"utf8": "utf-8", "utf-8-bom": "utf-8-sig", "utf8-sig": "utf-8-sig", "latin1": "latin-1",
                     "iso-8859-1": "latin-1", "iso8859-1": "latin-1", "windows-1252": "cp1252",
                     "utf16": "utf-16"}
SPLITS = ("given_family", "family_given", "caps_family")
SOURCE_KEYS = ("agency", "grading", "releasable_to", "nature", "legal_basis", "case_ref", "collected_on",
               "retention_days", "review_on", "phone_region")
SPEC_KEYS = ("column", "columns", "join", "value", "extract", "split", "part", "format", "region", "map",
             "default", "currency", "decimal")


class MappingError(InputError):
    """A mapping file that cannot be used; names the file and the key."""

    def __init__(self, file: str, key: str | None, reason: str) -> None:
        super().__init__(file, reason, field=key)


@dataclass(frozen=True)
class FileFormat:
    type: str = "csv"
    delimiter: str = ","
    encoding: str = "utf-8"
    header: bool = True
    quote: str = '"'


@dataclass(frozen=True)
class PropertySpec:
    """How one property (``caller`` or ``payer.name``) is filled from the file."""

    key: str  # as written in the mapping: prop or slot.prop
    slot: str | None  # person slot, or "person" for kind persons' own person properties, None otherwise
    prop: Prop
    column: str | None = None
    columns: tuple[str, ...] = ()
    join: str = " "
    value: str | None = None
    extract: str | None = None  # a regular expression: the value is its first group's match in the text
    split: str | None = None
    part: str | None = None
    formats: tuple[str, ...] = ()
    region: str | None = None
    vocab: VocabularyMap | None = None
    currency: str | None = None
    decimal: str | None = None

    @property
    def source_columns(self) -> tuple[str, ...]:
        if self.column is not None:
            return (self.column,)
        return self.columns

    @property
    def field_label(self) -> str:
        """How errors name the file field(s) this property comes from."""
        cols = self.source_columns
        return "+".join(cols) if cols else f"({self.key} constant)"


@dataclass(frozen=True)
class Mapping:
    path: str
    sha256: str
    kind: Kind | None  # None only for FtM streams (the reader decides per entity)
    file_format: FileFormat
    source: dict[str, Any] = field(default_factory=dict)
    properties: tuple[PropertySpec, ...] = ()

    @property
    def name(self) -> str:
        return Path(self.path).name

    def specs_for_slot(self, slot: str | None) -> list[PropertySpec]:
        return [s for s in self.properties if s.slot == slot]


def _as_str(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _person_props() -> dict[str, Prop]:
    return {p.name: p for p in PERSON_PROPS}


def _resolve_prop(kind: Kind, key: str, err) -> tuple[str | None, Prop]:
    if "." in key:
        slot, name = key.split(".", 1)
        if slot not in kind.slots:
            slots = ", ".join(kind.slots) or "none"
            raise err(f"kind {kind.name} has no person slot {slot!r} (its slots: {slots})")
        props = _person_props()
        if name not in props:
            raise err(f"{name!r} is not a person property (known: {', '.join(props)})")
        return slot, props[name]
    if kind.own_person:
        props = {**_person_props(), **{p.name: p for p in kind.props}}
        if key in props:
            return "person", props[key]
        raise err(f"kind {kind.name} has no property {key!r} (known: {', '.join(props)})")
    if key in kind.prop_names:
        return None, kind.prop(key)
    known = ", ".join(sorted(kind.prop_names)) + "".join(f", {s}.<person property>" for s in kind.slots)
    raise err(f"kind {kind.name} has no property {key!r} (known: {known})")


def _check_extract(raw: Any, err) -> str:
    """An ``extract:`` pattern: a regular expression (RE2, as DuckDB reads it) with one group."""
    pattern = _as_str(raw)
    try:
        groups = re.compile(pattern).groups
        duckdb.sql("SELECT regexp_extract('', $p, 1)", params={"p": pattern}).fetchall()
    except (re.error, duckdb.Error) as exc:
        raise err(f"{pattern!r} is not a regular expression this tool can use: {exc}", "extract") from None
    if groups < 1:
        raise err(f"{pattern!r} has no group: put the part to keep in parentheses, e.g. '(\\d{{2}}/\\d{{2}}/\\d{{4}})'",
                  "extract")
    return pattern


def parse_spec(kind: Kind, key: str, raw: Any, file: str) -> PropertySpec:
    where = f"properties.{key}"

    def err(reason: str, sub: str | None = None) -> MappingError:
        return MappingError(file, f"{where}.{sub}" if sub else where, reason)

    slot, prop = _resolve_prop(kind, key, err)
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict):
        raise err("expected a column name or a mapping such as {column: NAME}")
    unknown = set(raw) - set(SPEC_KEYS)
    if unknown:
        raise err(f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(SPEC_KEYS)})")
    sources = [k for k in ("column", "columns", "value") if k in raw]
    if len(sources) != 1:
        raise err("give exactly one of column:, columns: or value:")
    kw: dict[str, Any] = {}
    if "column" in raw:
        kw["column"] = _as_str(raw["column"])
    if "columns" in raw:
        cols = raw["columns"]
        if not isinstance(cols, list) or not cols:
            raise err("expected a non-empty list of column names", "columns")
        kw["columns"] = tuple(_as_str(c) for c in cols)
        kw["join"] = _as_str(raw.get("join", " "))
    elif "join" in raw:
        raise err("join: only applies with columns:", "join")
    if "value" in raw:
        kw["value"] = _as_str(raw["value"])
    if "extract" in raw:
        kw["extract"] = _check_extract(raw["extract"], err)
    ptype = prop.ptype
    if "split" in raw or "part" in raw:
        if ptype is not PropType.NAME:
            raise err(f"split: only applies to name properties, not {ptype.value}", "split")
        split, part = raw.get("split"), raw.get("part")
        if split not in SPLITS:
            raise err(f"expected one of {', '.join(SPLITS)}", "split")
        if part is None:
            part = {"given_name": "given", "family_name": "family"}.get(prop.name)
        if part not in ("given", "family"):
            raise err("expected part: given or part: family", "part")
        kw["split"], kw["part"] = split, part
    if "format" in raw:
        if ptype not in (PropType.DATE, PropType.DATETIME):
            raise err(f"format: only applies to date and datetime properties, not {ptype.value}", "format")
        fmts = raw["format"]
        fmts = [fmts] if isinstance(fmts, str) else fmts
        if not isinstance(fmts, list) or not all(isinstance(f, str) and "%" in f for f in fmts):
            raise err("expected a strptime format such as '%d/%m/%Y' or a list of them", "format")
        kw["formats"] = tuple(fmts)
    if "region" in raw:
        if ptype is not PropType.PHONE:
            raise err(f"region: only applies to phone properties, not {ptype.value}", "region")
        if not is_region(_as_str(raw["region"])):
            raise err(f"{raw['region']!r} is not an ISO 3166 alpha-2 phone region", "region")
        kw["region"] = _as_str(raw["region"]).upper()
    if "map" in raw or "default" in raw or ptype in (PropType.CATEGORY, PropType.ENUM):
        if ptype not in (PropType.CATEGORY, PropType.ENUM):
            raise err(f"map:/default: only apply to category and vocabulary properties, not {ptype.value}", "map")
        vocabulary = CATEGORY_VOCABULARY if ptype is PropType.CATEGORY else prop.vocabulary
        allowed = vocabulary_values(vocabulary)
        table = raw.get("map") or {}
        if not isinstance(table, dict):
            raise err("expected a mapping of raw value → normalised value", "map")
        for k, v in table.items():
            if _as_str(v) not in allowed:
                raise err(f"{k!r} maps to {v!r}, which is not in the {vocabulary} vocabulary "
                          f"({', '.join(allowed)})", "map")
        default = raw.get("default")
        if default is not None and _as_str(default) not in allowed:
            raise err(f"{default!r} is not in the {vocabulary} vocabulary ({', '.join(allowed)})", "default")
        kw["vocab"] = VocabularyMap.build(vocabulary, {_as_str(k): _as_str(v) for k, v in table.items()},
                                          None if default is None else _as_str(default))
    if "currency" in raw:
        if ptype is not PropType.MONEY:
            raise err("currency: only applies to an amount", "currency")
        code = normalise_currency(_as_str(raw["currency"]))
        if code is None:
            raise err(f"{raw['currency']!r} is not an ISO 4217 currency", "currency")
        kw["currency"] = code
    if "decimal" in raw:
        if ptype not in (PropType.MONEY, PropType.FLOAT):
            raise err("decimal: only applies to amounts and decimal numbers", "decimal")
        if raw["decimal"] not in (",", "."):
            raise err("expected ',' or '.'", "decimal")
        kw["decimal"] = raw["decimal"]
    return PropertySpec(key=key, slot=slot, prop=prop, **kw)


def parse_format(raw: Any, file: str) -> FileFormat:
    if raw is None:
        return FileFormat()
    if isinstance(raw, str):
        raw = {"type": raw}
    if not isinstance(raw, dict):
        raise MappingError(file, "format", "expected a mapping such as {type: csv, delimiter: ';'}")
    unknown = set(raw) - {"type", "delimiter", "encoding", "header", "quote"}
    if unknown:
        raise MappingError(file, "format", f"unknown key(s) {', '.join(sorted(unknown))}")
    ftype = _as_str(raw.get("type", "csv")).lower()
    if ftype not in FORMATS:
        raise MappingError(file, "format.type", f"unknown format {ftype!r} (known: {', '.join(FORMATS)})")
    delimiter = raw.get("delimiter", ",")
    delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter, delimiter)
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise MappingError(file, "format.delimiter", f"expected one character, got {delimiter!r}")
    encoding = _as_str(raw.get("encoding", "utf-8")).lower()
    encoding = _ENCODING_ALIASES.get(encoding, encoding)
    if encoding not in ENCODINGS:
        raise MappingError(file, "format.encoding",
                           f"unsupported encoding {encoding!r} (known: {', '.join(ENCODINGS)})")
    header = raw.get("header", True)
    if not isinstance(header, bool):
        raise MappingError(file, "format.header", "expected true or false")
    quote = raw.get("quote", '"')
    if not isinstance(quote, str) or len(quote) > 1:
        raise MappingError(file, "format.quote", f"expected one character (or '' for none), got {quote!r}")
    return FileFormat(ftype, delimiter, encoding, header, quote)


def _check_source(raw: Any, file: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise MappingError(file, "source", "expected a mapping of source defaults")
    unknown = set(raw) - set(SOURCE_KEYS)
    if unknown:
        raise MappingError(file, "source", f"unknown key(s) {', '.join(sorted(unknown))} "
                                           f"(allowed: {', '.join(SOURCE_KEYS)})")
    for key in ("collected_on", "review_on"):
        value = raw.get(key)
        if value is not None and not isinstance(value, date):
            try:
                date.fromisoformat(_as_str(value))
            except ValueError:
                raise MappingError(file, f"source.{key}", f"expected a date YYYY-MM-DD, got {value!r}") from None
    grading = raw.get("grading")
    if grading is not None and not isinstance(grading, dict):
        raise MappingError(file, "source.grading", "expected {scheme:, source:, information:, handling:}")
    if grading is not None:
        unknown = set(grading) - {"scheme", "source", "information", "handling"}
        if unknown:
            raise MappingError(file, "source.grading", f"unknown key(s) {', '.join(sorted(unknown))}")
    days = raw.get("retention_days")
    if days is not None and (not isinstance(days, int) or days <= 0):
        raise MappingError(file, "source.retention_days", f"expected a positive number of days, got {days!r}")
    region = raw.get("phone_region")
    if region is not None and not is_region(_as_str(region)):
        raise MappingError(file, "source.phone_region", f"{region!r} is not an ISO 3166 alpha-2 phone region")
    rel = raw.get("releasable_to")
    if rel is not None and not isinstance(rel, list | str):
        raise MappingError(file, "source.releasable_to", "expected a list of agencies")
    return dict(raw)


def _check_required(kind: Kind, specs: list[PropertySpec], file: str) -> None:
    filled = {s.key for s in specs}
    if kind.own_person:
        filled |= {s.prop.name for s in specs}
    for requirement in kind.required:
        options = requirement.split("|")
        if not any(o in filled for o in options):
            raise MappingError(file, "properties", f"kind {kind.name} needs property "
                                                   f"{' or '.join(options)}, which the mapping does not fill")


def load_mapping_text(text: str, file: str, sha256: str | None = None) -> Mapping:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(file, None, f"not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise MappingError(file, None, "expected a YAML mapping with kind:, format:, source:, properties:")
    unknown = set(doc) - {"version", "kind", "format", "source", "properties", "name", "description"}
    if unknown:
        raise MappingError(file, None, f"unknown top-level key(s) {', '.join(sorted(unknown))}")
    if doc.get("version", 1) != 1:
        raise MappingError(file, "version",
                           f"unsupported mapping version {doc.get('version')!r} (this filiere reads 1)")
    file_format = parse_format(doc.get("format"), file)
    source = _check_source(doc.get("source"), file)
    kind_name = doc.get("kind")
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    if file_format.type == "ftm":
        if kind_name is not None or doc.get("properties"):
            raise MappingError(file, "kind", "an FtM stream is mapped by the built-in FtM reader: give neither "
                                             "kind: nor properties:")
        return Mapping(file, sha, None, file_format, source, ())
    if kind_name is None:
        raise MappingError(file, "kind", f"missing; one of {', '.join(KINDS)}")
    if kind_name not in KINDS:
        raise MappingError(file, "kind", f"unknown record kind {kind_name!r}; known kinds: {', '.join(KINDS)}")
    kind = KINDS[kind_name]
    props = doc.get("properties")
    if not isinstance(props, dict) or not props:
        raise MappingError(file, "properties", "expected a mapping of property → column spec")
    specs = [parse_spec(kind, _as_str(k), v, file) for k, v in props.items()]
    _check_required(kind, specs, file)
    return Mapping(file, sha, kind, file_format, source, tuple(specs))


def load_mapping(path: str | Path) -> Mapping:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise MappingError(str(p), None, f"cannot read mapping file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError(str(p), None, f"not UTF-8 text (byte {exc.start})") from None
    return load_mapping_text(text, str(p), hashlib.sha256(data).hexdigest())
