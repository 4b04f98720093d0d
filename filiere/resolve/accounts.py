"""Accounts: one node per normalised account identifier (IBAN, wallet, ledger code; normalised at ingest)."""

from __future__ import annotations

import duckdb


def build_accounts(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Fill ``accounts`` from account records and both sides of payments (expects it emptied by the stage)."""
    con.execute("""
        INSERT INTO accounts (account, n_mentions, source_ids, run_id)
        WITH occ AS (
            SELECT account, source_id FROM account_mentions WHERE account IS NOT NULL AND account <> ''
            UNION ALL SELECT payer_account, source_id FROM payments
                WHERE payer_account IS NOT NULL AND payer_account <> ''
            UNION ALL SELECT payee_account, source_id FROM payments
                WHERE payee_account IS NOT NULL AND payee_account <> ''
        )
        SELECT account, count(*), list_sort(list(DISTINCT source_id)), ? FROM occ GROUP BY account
    """, [run_id])
    return int(con.execute("SELECT count(*) FROM accounts").fetchall()[0][0])
