"""Rules that join persons after Splink, on evidence pairwise weights cannot carry — each an edge with its evidence.

A seized contact list saves a number as "karwan brother"; a witness says "Karwan, reachable on 07 …".  Such a
mention carries a nickname or a bare given name and a number, nothing Splink can weigh against a full name
strongly enough.  An analyst attributes it the other way round: the number (or the line of numbers one user
went through, :func:`filiere.resolve.phones.swap_lines`) is held by a known person — the owner of the seized
device, a subscriber, a person record — and the label fits that person's name.

The resolve stage runs, in this order, re-clustering after each (an analyst's 'different' judgement always wins):

0. :func:`statement_witness_rows` — the witness rows of one statement (one reference in one file) are one person;
1. :func:`line_holder_merges` — full-name holders of one line whose names cover each other ("Mehdi" and
   "Mehdi GHASSEMI" on one number) are one person;
   :func:`seized_owner_matches` — the owner of a seized phone and the one other person using its number
   under a close name ("Khan WAHEED", "Ouahid KAN") are one person;
   :func:`seized_together_matches` — the owners of two devices with consecutive exhibit references in one
   extraction file ("SCELLE-0031", "SCELLE-0032") and close full names are one person (seized from one man);
   :func:`birth_date_matches` — two persons with the same day-precise birth date and close names ("tcele
   yonas", "yonas tecle") are one person;
2. :func:`line_attachments` — a cluster made only of label-only mentions is attached to a person when one of its
   lines is held by a cluster with a full-name mention tied to that line, its labels share a name token with
   that holder's names or labels (the same canonical token, or else the same consonant skeleton: Azad / Azaad,
   Wahid / Waheed, رضا / Reza), and exactly one holder qualifies (two Karwans on one family line: nothing); a
   pure nickname ("Captain", "Doctor ☎": no token of it is part of any full name in the case) goes to the one
   user of its line when exactly one person with a full name holds it other than as a subscriber (the owner of
   the seized device, a person record);
3. :func:`label_line_groups` — label-only clusters sharing a line and a name token are grouped ("karwan brother"
   and "Kârwan UK" saved for one number), then 2. runs again;
4. :func:`nickname_line_users` — a person known only by pure nicknames goes to the one person named (full name
   or a label holding a name token) on their lines other than as a subscriber;
5. :func:`ledger_label_attachments` — number-less labels in a payment ledger follow the same label attached
   through a number in that ledger;
6. :func:`retry_companion_matches` — travellers of a failed crossing are joined to the same names on the later
   crossing that carried many of its passengers again (a retry); :func:`retry_spelling_matches` — then a name
   spelled otherwise there, when it is the only close one on either list;
7. :func:`witness_traveller_matches` — a witness is the one traveller with the same name skeleton among the
   crossings of the days before the statement; :func:`witness_traveller_spelling_matches` — else the one
   traveller there whose name is close enough (another spelling);
8. :func:`statement_subject_attachments` — a number-less nickname a witness gave goes to the one person its
   context points to (designated in the same role by a passenger of the witness's crossing, in touch with the
   witness's phone, or designated elsewhere in the same role);
9. :func:`nickname_capacity_matches` — a person known only from what witnesses said, under a nickname of two
   tokens or more ("Noorullah UK", "Kaka Amanuel") in one capacity, goes to the largest person designated under
   it in that capacity whose witnesses designated someone his witnesses did too (each of a recruiter's customer
   numbers otherwise makes a person of its own), unless two of them carry full names that are not close.

Each edge joins two mentions and keeps its evidence (line, shared tokens) for explanations.  Each rule runs on a
private DuckDB, relationally.
"""

from __future__ import annotations

from filiere.resolve.attribution.birthdates import BIRTH_DATE_RULE, birth_date_matches
from filiere.resolve.attribution.lines import (
    GROUP_RULE,
    HOLDER_RULE,
    LEDGER_KINDS,
    LEDGER_RULE,
    NICKNAME_RULE,
    RULE,
    label_line_groups,
    ledger_agents_sql,
    ledger_label_attachments,
    line_attachments,
    line_holder_merges,
    nickname_line_users,
)
from filiere.resolve.attribution.owners import (
    OWNER_RULE,
    SEIZED_TOGETHER_RULE,
    seized_devices_sql,
    seized_owner_matches,
    seized_together_matches,
)
from filiere.resolve.attribution.statements import (
    NICKNAME_CAPACITY_RULE,
    SUBJECT_RULE,
    crossing_passengers_sql,
    nickname_capacity_matches,
    phone_contacts_sql,
    statement_facts_sql,
    statement_subject_attachments,
)
from filiere.resolve.attribution.travellers import (
    RETRY_RULE,
    RETRY_SPELLING_RULE,
    crossing_companions_sql,
    crossing_trips_sql,
    retry_companion_matches,
    retry_spelling_matches,
)
from filiere.resolve.attribution.witnesses import (
    STATEMENT_RULE,
    WITNESS_MIN_SIMILARITY,
    WITNESS_RULE,
    WITNESS_SPELLING_RULE,
    WITNESS_WINDOW_DAYS,
    event_times_sql,
    statement_rows_sql,
    statement_witness_rows,
    witness_traveller_matches,
    witness_traveller_spelling_matches,
)

__all__ = [
    "BIRTH_DATE_RULE",
    "GROUP_RULE",
    "HOLDER_RULE",
    "LEDGER_KINDS",
    "LEDGER_RULE",
    "NICKNAME_CAPACITY_RULE",
    "NICKNAME_RULE",
    "OWNER_RULE",
    "RETRY_RULE",
    "RETRY_SPELLING_RULE",
    "RULE",
    "SEIZED_TOGETHER_RULE",
    "STATEMENT_RULE",
    "SUBJECT_RULE",
    "WITNESS_MIN_SIMILARITY",
    "WITNESS_RULE",
    "WITNESS_SPELLING_RULE",
    "WITNESS_WINDOW_DAYS",
    "birth_date_matches",
    "crossing_companions_sql",
    "crossing_passengers_sql",
    "crossing_trips_sql",
    "event_times_sql",
    "label_line_groups",
    "ledger_agents_sql",
    "ledger_label_attachments",
    "line_attachments",
    "line_holder_merges",
    "nickname_capacity_matches",
    "nickname_line_users",
    "phone_contacts_sql",
    "retry_companion_matches",
    "retry_spelling_matches",
    "seized_devices_sql",
    "seized_owner_matches",
    "seized_together_matches",
    "statement_facts_sql",
    "statement_rows_sql",
    "statement_subject_attachments",
    "statement_witness_rows",
    "witness_traveller_matches",
    "witness_traveller_spelling_matches",
]
