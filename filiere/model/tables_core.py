"""Core tables: sources (provenance and grading), the processing log, stage runs, rejects."""

from __future__ import annotations

from filiere.model.table import C, Table

SOURCES = Table(
    "sources",
    "one row per ingested file: who owns it, how it is graded, why we hold it and until when",
    (
        C("source_id", "VARCHAR", "stable id derived from the content hash"),
        C("file_name", "VARCHAR", "base name of the ingested file"),
        C("path", "VARCHAR", "path as given at ingest"),
        C("content_sha256", "VARCHAR", "SHA-256 of the file bytes (same content is never ingested twice)"),
        C("file_format", "VARCHAR", "csv, parquet, jsonl, ftm"),
        C("record_kind", "VARCHAR", "kind of records (see filiere.model.kinds)"),
        C("mapping_name", "VARCHAR", "mapping file used"),
        C("mapping_sha256", "VARCHAR", "SHA-256 of the mapping file"),
        C("agency", "VARCHAR", "owning agency"),
        C("grading_scheme", "VARCHAR", "eu4x4, uk3x5x2 or legacy5x5x5"),
        C("source_grade", "VARCHAR", "source evaluation code as written in its scheme"),
        C("information_grade", "VARCHAR", "information/intelligence assessment code as written"),
        C("handling_code", "VARCHAR", "handling code as written in its scheme"),
        C("partner_visibility", "VARCHAR", "partners, releasable or owner_only (derived from the handling code)"),
        C("releasable_to", "VARCHAR[]", "agencies named by the handling conditions"),
        C("nature", "VARCHAR", "fact or assessment (LED art. 7)"),
        C("legal_basis", "VARCHAR", "legal basis for holding the data"),
        C("case_ref", "VARCHAR", "case reference under which it was collected"),
        C("collected_on", "DATE", "date the agency collected the data"),
        C("review_on", "DATE", "retention review date"),
        C("ingested_at", "TIMESTAMP", "when it was ingested"),
        C("ingested_by", "VARCHAR", "who ingested it"),
        C("row_count", "BIGINT", "data rows read from the file"),
        C("rows_loaded", "BIGINT", "rows loaded (row_count minus rejects)"),
        C("status", "VARCHAR", "active or erased"),
    ),
    primary_key=("source_id",),
)

PROCESSING_LOG = Table(
    "processing_log",
    "append-only, hash-chained record of every processing operation on personal data (LED art. 25)",
    (
        C("seq", "BIGINT", "position in the chain, from 1"),
        C("logged_at", "TIMESTAMP", "when (UTC)"),
        C("actor", "VARCHAR", "who: OS user or web user"),
        C("agency", "VARCHAR", "the actor's agency when known"),
        C("action", "VARCHAR", "collection, alteration, consultation, disclosure, combination, erasure"),
        C("what", "VARCHAR", "what was processed (table, ids, query)"),
        C("why", "VARCHAR", "justification: case reference and purpose"),
        C("to_whom", "VARCHAR", "recipient of a disclosure"),
        C("details", "VARCHAR", "JSON with counts and parameters"),
        C("prev_hash", "VARCHAR", "hash of the previous entry"),
        C("hash", "VARCHAR", "SHA-256 over this entry's fields and prev_hash"),
    ),
    primary_key=("seq",),
)

STAGE_RUNS = Table(
    "stage_runs",
    "each run of a stage over the workspace; erasure marks later runs stale",
    (
        C("run_id", "VARCHAR", "run id"),
        C("stage", "VARCHAR", "ingest, resolve, analyze …"),
        C("started_at", "TIMESTAMP", ""),
        C("finished_at", "TIMESTAMP", ""),
        C("actor", "VARCHAR", ""),
        C("params", "VARCHAR", "JSON parameters"),
        C("stale", "BOOLEAN", "inputs changed since (e.g. a source was erased)"),
        C("stale_reason", "VARCHAR", ""),
    ),
    primary_key=("run_id",),
)

REJECTS = Table(
    "rejects",
    "rows refused at ingest (with --max-rejects), with the reason",
    (
        C("source_id", "VARCHAR", ""),
        C("file_name", "VARCHAR", ""),
        C("source_row", "BIGINT", "1-based data row in the file"),
        C("field", "VARCHAR", "column of the file"),
        C("value", "VARCHAR", "value as written (truncated to 200 characters)"),
        C("reason", "VARCHAR", ""),
    ),
)

SCHEMA_MIGRATIONS = Table(
    "schema_migrations",
    "schema versions applied to this workspace",
    (
        C("version", "INTEGER", ""),
        C("applied_at", "TIMESTAMP", ""),
        C("description", "VARCHAR", ""),
    ),
    primary_key=("version",),
)

CORE_TABLES = (SCHEMA_MIGRATIONS, SOURCES, PROCESSING_LOG, STAGE_RUNS, REJECTS)
