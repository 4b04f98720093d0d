"""Label-only persons attached to the holder of their phone line (filiere.resolve.attribution)."""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pyarrow as pa

from filiere.resolve import judgements
from filiere.resolve.attribution import (
    RULE,
    label_line_groups,
    ledger_label_attachments,
    line_attachments,
    line_holder_merges,
    nickname_capacity_matches,
    nickname_line_users,
    seized_owner_matches,
    seized_together_matches,
    statement_subject_attachments,
    witness_traveller_matches,
    witness_traveller_spelling_matches,
)
from filiere.resolve.explain import explain, format_text
from filiere.resolve.prepare import add_lines, add_name_features
from filiere.resolve.stage import resolve

KARWAN, OTHER, FAMILY = "+33612000001", "+33612000002", "+33612000003"


def _prepared(rows: list[tuple[str, str, bool, list[str] | None]], birth_years: dict[str, int] | None = None,
              kinds: dict[str, str] | None = None) -> pa.Table:
    """Mentions (id, name, label-only?, numbers); ``kinds`` gives a record kind ('phones' for a subscriber)."""
    base = pa.table({
        "unique_id": [r[0] for r in rows],
        "name_full": [r[1] for r in rows],
        "alias_only": [r[2] for r in rows],
        "phones": pa.array([r[3] for r in rows], pa.list_(pa.string())),
        "phone": pa.array([r[3][0] if r[3] else None for r in rows], pa.string()),
        "dob_year": pa.array([(birth_years or {}).get(r[0]) for r in rows], pa.int64()),
        "record_kind": pa.array([(kinds or {}).get(r[0], "contacts") for r in rows], pa.string()),
    })
    return add_lines(add_name_features(base))


def _singletons(prepared: pa.Table) -> np.ndarray:
    return np.arange(prepared.num_rows)


def _clusters(prepared: pa.Table, cluster_of: dict[str, int]) -> np.ndarray:
    """Cluster labels in the prepared table's row order (it is sorted by mention id)."""
    return np.array([cluster_of[m] for m in prepared.column("unique_id").to_pylist()])


def test_label_on_a_holders_number_is_attached_when_a_name_token_agrees() -> None:
    prepared = _prepared([
        ("a1", "Karwan USMAN", False, [KARWAN]),     # owner of the seized device
        ("c1", "karwan brother", True, [KARWAN]),    # saved as … in another phone
        ("c2", "Kârwan 2", True, [KARWAN]),          # another spelling: same canonical token
        ("c3", "Doctor", True, [KARWAN]),            # a pure nickname on his line: him (tier 3)
        ("c5", "Omar 2", True, [KARWAN]),            # a name that is not his, on his line: another man, left alone
        ("b1", "Omar HADDAD", False, None),          # (Omar is somebody's name in this case)
        ("c4", "karwan new", True, [OTHER]),         # nobody with a full name holds OTHER
    ])
    edges = line_attachments(prepared, _singletons(prepared)).to_pylist()
    attached = {e["mention_l"]: e for e in edges}
    assert set(attached) == {"c1", "c2", "c3"}
    assert all(e["mention_r"] == "a1" and e["line"] == KARWAN for e in edges)
    assert attached["c1"]["shared_tokens"] == attached["c2"]["shared_tokens"] != []
    assert attached["c3"]["shared_tokens"] == []


def test_a_pure_nickname_needs_one_user_of_the_line_not_a_subscriber() -> None:
    rows = [("a1", "Karwan USMAN", False, [KARWAN]), ("a2", "Goran AHMED", False, [KARWAN]),
            ("c3", "Doctor", True, [KARWAN])]
    # two persons use the line (owner and a person record): which one is the Doctor? nothing
    assert line_attachments(_prepared(rows), np.arange(3)).num_rows == 0
    # one of them only subscribed it: the other one uses it
    edges = line_attachments(_prepared(rows, kinds={"a2": "phones"}), np.arange(3)).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("c3", "a1")]
    # held by a subscriber alone: nobody known uses it
    only = _prepared([("a2", "Goran AHMED", False, [KARWAN]), ("c3", "Doctor", True, [KARWAN])], kinds={"a2": "phones"})
    assert line_attachments(only, np.arange(2)).num_rows == 0


def test_a_nickname_goes_to_the_one_person_named_on_its_line() -> None:
    prepared = _prepared([
        ("k1", "karwan brother", True, [OTHER]),   # the line's user, known by a name only through labels
        ("k2", "Kârwan UK", True, [OTHER]),
        ("n1", "Captain", True, [OTHER]),          # a pure nickname saved for the same number
        ("b1", "Karwan HADDAD", False, None),      # (karwan is a name in this case; captain is nobody's name)
        ("n2", "Doctor", True, [FAMILY]),          # a nickname on a line two named persons use
        ("f1", "Goran brother", True, [FAMILY]),   # (goran is a name in this case: Goran KARIMI)
        ("f2", "Omar AHMED", False, [FAMILY]),
        ("g1", "Goran KARIMI", False, None),
        ("n3", "Shifu", True, [KARWAN]),           # a nickname on a line only a subscriber is named on
        ("s1", "Ali SUBSCRIBER", False, [KARWAN]),
    ], kinds={"s1": "phones"})
    labels = _clusters(prepared, {"k1": 0, "k2": 0, "n1": 2, "b1": 3, "n2": 4, "f1": 5, "f2": 6, "n3": 7, "s1": 8,
                                  "g1": 9})
    edges = nickname_line_users(prepared, labels).to_pylist()
    assert [(e["mention_l"], e["mention_r"], e["line"]) for e in edges] == [("n1", "k1", OTHER)]


def test_two_compatible_holders_of_one_number_attach_nothing() -> None:
    prepared = _prepared([
        ("a1", "Karwan USMAN", False, [FAMILY]),
        ("a2", "Karwan AHMED", False, [FAMILY]),     # a second Karwan on the family line
        ("c1", "karwan brother", True, [FAMILY]),
    ])
    assert line_attachments(prepared, _singletons(prepared)).num_rows == 0
    # once the model has put the two Karwans together (one person), the label has one holder again
    labels = _clusters(prepared, {"a1": 0, "a2": 0, "c1": 2})
    assert line_attachments(prepared, labels).column("mention_l").to_pylist() == ["c1"]


def test_of_two_compatible_holders_the_one_who_uses_the_line_takes_the_label() -> None:
    # a witness's "Yahya" on two numbers: one subscribed by "Yehia", the other the seized phone of Yehia AHMED
    rows = [("a1", "Yehia AHMED", False, [KARWAN]), ("s1", "Yehia", False, [OTHER]),
            ("c1", "Yahya", True, [KARWAN]), ("c2", "Yahya", True, [OTHER])]
    labels = _clusters(_prepared(rows), {"a1": 0, "s1": 1, "c1": 2, "c2": 2})  # the labels grouped on their lines
    edges = line_attachments(_prepared(rows, kinds={"s1": "phones"}), labels).to_pylist()
    assert [(e["mention_r"], e["line"]) for e in edges] == [("a1", KARWAN)]
    # both holders use their number (two person records): which Yahya? nothing
    assert line_attachments(_prepared(rows), labels).num_rows == 0


def test_the_owner_of_a_seized_phone_is_the_one_person_recorded_with_its_number_under_a_close_name() -> None:
    rows = [("o1", "Khan WAHEED", False, [KARWAN]),   # extraction of the seized phone: its owner
            ("p1", "Ouahid KAN", False, [KARWAN]),    # a person record with that number
            ("s1", "Ali SUBSCRIBER", False, [KARWAN]),  # the subscriber only pays for it: no say
            ("o2", "Goran AHMED", False, [OTHER]), ("p2", "Omar HADDAD", False, [OTHER]),    # another name: not him
            ("o3", "Aram AZIZ", False, [FAMILY]), ("p3", "Aram AZIZ", False, [FAMILY]),
            ("p4", "Hawre AZIZ", False, [FAMILY])]     # two other users of that number: which one? nothing
    prepared = _prepared(rows, kinds={"s1": "phones", "p1": "persons", "p2": "persons", "p3": "persons",
                                      "p4": "persons"})
    edges = seized_owner_matches(prepared, _singletons(prepared)).to_pylist()
    assert [(e["mention_l"], e["mention_r"], e["line"]) for e in edges] == [("o1", "p1", KARWAN)]
    assert edges[0]["shared_tokens"][0].startswith("similarity 0.")


def _devices(rows: list[tuple[str, str, str, list[str]]]) -> pa.Table:
    """Seized devices of one extraction file: (exhibit reference, owner mention, device number, saved numbers)."""
    return pa.table({"source_id": ["x"] * len(rows), "device_ref": [r[0] for r in rows],
                     "owner": [r[1] for r in rows], "device_phone": [r[2] for r in rows],
                     "contact_phones": pa.array([r[3] for r in rows], pa.list_(pa.string()))})


def test_the_owners_of_two_phones_seized_together_under_close_names_are_one_man() -> None:
    rows = [("o1", "Noorullah NOORI", False, [KARWAN]), ("o2", "Noorullah NOURI", False, [OTHER]),
            ("o3", "Noorullah NOORI", False, [FAMILY]),          # a namesake's phone, sealed in another seizure
            ("o4", "Aram SALEH", False, ["+33612000004"]), ("o5", "Aram", False, ["+33612000005"]),  # one name
            ("o6", "Dler QADIR", False, ["+33612000006"]), ("o7", "Dler KADIR", False, ["+33612000007"]),
            ("o8", "Goran AZIZ", False, ["+33612000008"])]
    devices = _devices([("SCELLE-0031", "o1", KARWAN, ["+33699000001"]),
                        ("SCELLE-0032", "o2", OTHER, []),
                        ("SCELLE-0040", "o3", FAMILY, ["+33699000001"]),
                        ("SCELLE-0004", "o4", "+33612000004", []), ("SCELLE-0005", "o5", "+33612000005", []),
                        # Dler KADIR's phone saved Dler QADIR's number: two men who know each other
                        ("SCELLE-0050", "o6", "+33612000006", []),
                        ("SCELLE-0051", "o7", "+33612000007", ["+33612000006"]),
                        ("SCELLE-0052", "o8", "+33612000008", [])])
    prepared = _prepared(rows)
    edges = seized_together_matches(prepared, _singletons(prepared), devices).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("o1", "o2")]
    assert edges[0]["line"] is None and edges[0]["shared_tokens"][0].startswith("similarity ")
    assert "SCELLE-0031" in edges[0]["reasons"][0] and "SCELLE-0032" in edges[0]["reasons"][0]
    # two devices whose contact lists save the same three members are two men of one network, not one man's
    # phone per role
    crew = ["+33699000011", "+33699000012", "+33699000013"]
    shared = _devices([("SCELLE-0031", "o1", KARWAN, ["+33699000001", *crew]), ("SCELLE-0032", "o2", OTHER, crew)])
    assert seized_together_matches(prepared, _singletons(prepared), shared).num_rows == 0
    assert seized_together_matches(prepared, _singletons(prepared), shared, max_shared_saved=3).num_rows == 1
    # already one person: nothing to add
    assert seized_together_matches(prepared, _clusters(prepared, {m: 0 if m in ("o1", "o2") else ord(m[1])
                                                                  for m in prepared.column("unique_id").to_pylist()}),
                                   devices).num_rows == 0


def test_a_cluster_with_a_full_name_is_never_attached() -> None:
    prepared = _prepared([
        ("a1", "Karwan USMAN", False, [KARWAN]),
        ("b1", "Karwan OSMAN", False, [KARWAN]),
        ("c1", "karwan brother", True, [KARWAN]),
    ])
    labels = _clusters(prepared, {"a1": 0, "b1": 1, "c1": 1})  # c1 sits with a full name: not label-only
    assert line_attachments(prepared, labels).num_rows == 0


def test_labels_of_one_number_are_grouped_when_they_share_a_name() -> None:
    prepared = _prepared([
        ("c1", "karwan brother", True, [OTHER]),
        ("c2", "Kârwan UK", True, [OTHER]),         # same number, same name in another spelling
        ("c3", "Doctor", True, [OTHER]),            # same number, no name in common: left alone
        ("c4", "karwan new", True, [FAMILY]),       # same name, another number: left alone
        ("a1", "Karwan AHMED", False, [OTHER]),     # full names are the model's business, never grouped here
        ("g1", "goran brother", True, [KARWAN]),
        ("g2", "Gorran", True, [KARWAN]),           # another spelling outside the variant groups: same skeleton
    ])
    edges = label_line_groups(prepared, _singletons(prepared)).to_pylist()
    assert [(e["mention_l"], e["mention_r"], e["line"]) for e in edges] == [("c1", "c2", OTHER),
                                                                            ("g1", "g2", KARWAN)]
    assert edges[0]["shared_tokens"] and all(t.startswith("~") for t in edges[1]["shared_tokens"])


def test_a_nickname_spelled_otherwise_meets_the_name_by_its_skeleton() -> None:
    prepared = _prepared([
        ("a1", "Azaad QADIR", False, [KARWAN]),
        ("c1", "azad taxi", True, [KARWAN]),         # Azad / Azaad: no shared canonical token, same skeleton
    ])
    edges = line_attachments(prepared, _singletons(prepared)).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("c1", "a1")]
    assert all(t.startswith("~") for t in edges[0]["shared_tokens"])


def _ledger(rows: list[tuple[str, str, bool, list[str] | None, str, str]]) -> pa.Table:
    prepared = _prepared([r[:4] for r in rows], kinds={r[0]: r[5] for r in rows})
    return prepared.append_column("source_id", pa.array([r[4] for r in rows]))


def test_a_ledger_label_without_number_follows_the_same_label_with_one_in_that_ledger() -> None:
    prepared = _ledger([
        ("a1", "Idris MUHAMMAD", False, [KARWAN], "ledger", "payments"),
        ("k1", "Kurdo", True, [KARWAN], "ledger", "payments"),     # attached to Idris through the number
        ("k2", "Kurdo", True, None, "ledger", "payments"),         # same ledger, same label, no number
        ("k3", "Kurdo", True, None, "other-ledger", "payments"),   # another ledger: another hand, maybe another man
        ("s1", "Kurdo", True, None, "ledger", "statements"),       # statements are not ledgers
    ])
    labels = _clusters(prepared, {"a1": 0, "k1": 0, "k2": 2, "k3": 3, "s1": 4})  # k1 already sits with Idris
    edges = ledger_label_attachments(prepared, labels).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("k2", "k1")]
    assert edges[0]["line"] is None and edges[0]["shared_tokens"] == ["kurdo"]


def test_a_ledger_label_held_by_two_people_attaches_nothing() -> None:
    prepared = _ledger([
        ("a1", "Idris MUHAMMAD", False, [KARWAN], "ledger", "payments"),
        ("k1", "Kurdo", True, [KARWAN], "ledger", "payments"),
        ("a2", "Azad QADIR", False, [OTHER], "ledger", "payments"),
        ("k2", "Kurdo", True, [OTHER], "ledger", "payments"),      # a second Kurdo in the same ledger
        ("k4", "Kurdo", True, [FAMILY], "ledger", "payments"),     # a third, known only by this label
        ("k3", "Kurdo", True, None, "ledger", "payments"),
    ])
    two = _clusters(prepared, {"a1": 0, "k1": 0, "a2": 1, "k2": 1, "k3": 2, "k4": 3})
    assert ledger_label_attachments(prepared, two).num_rows == 0
    # the numbered Kurdos turn out to be one man (the model or an analyst joined them): the ledger's Kurdo is he
    one = _clusters(prepared, {"a1": 0, "k1": 0, "a2": 0, "k2": 0, "k3": 2, "k4": 0})
    assert ledger_label_attachments(prepared, one).column("mention_l").to_pylist() == ["k3"]


def test_a_ledger_label_is_read_in_its_hawaladar_s_rows_first() -> None:
    """Two men are "Mamosta" in one ledger file, each to his own hawaladar: a number-less row goes to the Mamosta
    of the hawaladar who wrote it; a label two men share in one hawaladar's rows still attaches nothing."""
    prepared = _ledger([
        ("m1", "Mamosta", True, [KARWAN], "ledger", "payments"),   # Gul's Mamosta, with his number
        ("m2", "Mamosta", True, [OTHER], "ledger", "payments"),    # Soran's Mamosta, another man
        ("m3", "Mamosta", True, None, "ledger", "payments"),       # written by Gul, no number
        ("m4", "Mamosta", True, None, "ledger", "payments"),       # written by Soran, no number
        ("s1", "Shifu", True, [KARWAN], "ledger", "payments"),     # Aram writes two Shifus
        ("s2", "Shifu", True, [FAMILY], "ledger", "payments"),
        ("s3", "Shifu", True, None, "ledger", "payments"),
        ("g1", "Goran", True, [OTHER], "ledger", "payments"),      # a label no hawaladar is named for: as before
        ("g2", "Goran", True, None, "ledger", "payments"),
    ])
    agents = pa.table({"mention_id": ["m1", "m3", "m2", "m4", "s1", "s2", "s3"],
                       "agent": ["Gul", "Gul", "Soran", "Soran", "Aram", "Aram", "Aram"]})
    edges = ledger_label_attachments(prepared, _singletons(prepared), agents).to_pylist()
    assert sorted((e["mention_l"], e["mention_r"]) for e in edges) == [("g2", "g1"), ("m3", "m1"), ("m4", "m2")]
    # without the hawaladars the file has two Mamostas: nothing attached but Goran
    edges = ledger_label_attachments(prepared, _singletons(prepared)).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("g2", "g1")]


def test_a_ledger_label_follows_a_person_known_only_by_labels() -> None:
    """An organiser abroad is never named in full: his numbered ledger entries still anchor the others."""
    prepared = _ledger([
        ("k1", "Goran", True, [KARWAN], "ledger", "payments"),
        ("k2", "Goran", True, None, "ledger", "payments"),
    ])
    edges = ledger_label_attachments(prepared, _singletons(prepared)).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("k2", "k1")]


def test_holders_of_one_line_under_one_name_are_joined() -> None:
    prepared = _prepared([
        ("a1", "Mehdi GHASSEMI", False, [KARWAN]),   # owner of the seized phone
        ("a2", "Mehdi", False, [KARWAN]),            # a person record: given name only, same number
        ("a3", "GHASEMI Mehdi", False, [KARWAN]),    # another spelling, other order
        ("b1", "Karwan OSMAN", False, [FAMILY]),
        ("b2", "Karwan AHMED", False, [FAMILY]),     # two different full names on a family phone: not joined
        ("c1", "mehdi 2", True, [KARWAN]),           # labels are not holders here
    ])
    edges = line_holder_merges(prepared, _singletons(prepared)).to_pylist()
    assert sorted((e["mention_l"], e["mention_r"]) for e in edges) == [("a2", "a1"), ("a3", "a1")]
    assert all(e["line"] == KARWAN for e in edges)
    # once joined (one cluster), nothing is left to join
    assert line_holder_merges(prepared, _clusters(prepared, {"a1": 0, "a2": 0, "a3": 0, "b1": 3, "b2": 4,
                                                              "c1": 5})).num_rows == 0


def test_a_subscriber_does_not_decide_a_line_s_name() -> None:
    prepared = _prepared([
        ("a1", "Gol", False, [KARWAN]),                 # owner of the seized phone
        ("a2", "Goul SHINWARI", False, [KARWAN]),       # a custody record with that number
        ("a3", "Paul ROBERTS", False, [KARWAN]),        # the line was registered in a stranger's name
        ("b1", "Mohamad", False, [OTHER]),              # owner of another seized phone
        ("b2", "Mohammed GHASEMI", False, [OTHER]),     # who subscribed it: a fuller name, the only one
        ("c1", "Mohamad", False, [FAMILY]),             # owner of a third
        ("c2", "Mohammed GHASEMI", False, [FAMILY]),    # two fuller subscribers with different names: neither
        ("c3", "Mohammed KARIMI", False, [FAMILY]),
    ], kinds={"a3": "phones", "b2": "phones", "c2": "phones", "c3": "phones"})
    edges = line_holder_merges(prepared, _singletons(prepared)).to_pylist()
    assert sorted((e["mention_l"], e["mention_r"]) for e in edges) == [("a2", "a1"), ("b2", "b1")]
    # were the stranger a user of the line (a person record), the line would carry two names: nothing joined
    users = _prepared([("a1", "Gol", False, [KARWAN]), ("a2", "Goul SHINWARI", False, [KARWAN]),
                       ("a3", "Paul ROBERTS", False, [KARWAN])], kinds={"a3": "persons"})
    assert line_holder_merges(users, _singletons(users)).num_rows == 0


def _times(rows: list[tuple[str, str, str]], agencies: dict[str, str] | None = None) -> pa.Table:
    """(mention, role, time) of statements and crossings, recorded by UK-BF unless ``agencies`` says otherwise."""
    return pa.table({"mention_id": [r[0] for r in rows], "role": [r[1] for r in rows],
                     "at": pa.array([datetime.fromisoformat(r[2]) for r in rows], pa.timestamp("us")),
                     "agency": [(agencies or {}).get(r[0], "UK-BF") for r in rows]})


def test_a_witness_is_the_one_matching_traveller_of_the_days_before() -> None:
    prepared = _prepared([
        ("t1", "Zabiullah NOORI", False, None),      # landed on the 8th
        ("w1", "zabiullah nouri", False, None),      # heard on the 9th: same skeleton, one candidate
        ("t2", "Ali REZAEI", False, None),           # landed on the 8th
        ("t3", "Aly REZAI", False, None),            # another Ali Rezaei landed on the 7th: two candidates
        ("w2", "Ali REZAEI", False, None),           # heard on the 9th: ambiguous, left alone
        ("w3", "Zabiullah NOORI", False, None),      # heard a month later: outside the window
    ])
    times = _times([("t1", "traveller", "2025-06-08T01:42"), ("w1", "witness", "2025-06-09T02:42"),
                    ("t2", "traveller", "2025-06-08T01:42"), ("t3", "traveller", "2025-06-07T03:00"),
                    ("w2", "witness", "2025-06-09T10:00"), ("w3", "witness", "2025-07-09T10:00")])
    edges = witness_traveller_matches(prepared, _singletons(prepared), times).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("w1", "t1")]
    # once the two Ali Rezaei travellers are known to be one man, the witness has one candidate again
    labels = _clusters(prepared, {"t1": 0, "w1": 1, "t2": 2, "t3": 2, "w2": 4, "w3": 5})
    matched = witness_traveller_matches(prepared, labels, times).column("mention_l").to_pylist()
    assert matched == ["w1", "w2"]
    # the witness is heard by the agency that recorded their crossing: the Ali Rezaei the French recorded is not him
    by_agency = _times([("t2", "traveller", "2025-06-08T01:42"), ("t3", "traveller", "2025-06-07T03:00"),
                        ("w2", "witness", "2025-06-09T10:00")], agencies={"t3": "FR-PAF"})
    edges = witness_traveller_matches(prepared, _singletons(prepared), by_agency).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("w2", "t2")]


WITNESS_PHONE, ARAM_OSMAN, ARAM_KHAN = "+33699000001", "+33699000002", "+33699000003"


def _statements(rows: list[tuple[str, str | None, str]]) -> pa.Table:
    return pa.table({"subject": [r[0] for r in rows], "witness": pa.array([r[1] for r in rows], pa.string()),
                     "relation": [r[2] for r in rows]})


def _contacts(pairs: list[tuple[str, str]]) -> pa.Table:
    both = pairs + [(b, a) for a, b in pairs]
    return pa.table({"phone": [a for a, _ in both], "other": [b for _, b in both]})


def _subject_case() -> pa.Table:
    return _prepared([
        ("a1", "Aram OSMAN", False, [ARAM_OSMAN]),     # a driver, designated with his number elsewhere
        ("a2", "Aram KHAN", False, [ARAM_KHAN]),       # a recruiter, designated with his number elsewhere
        ("d1", "aram", True, [ARAM_OSMAN]),            # designation with a number: "Aram, driver, 07 …"
        ("d2", "aram", True, [ARAM_KHAN]),             # designation with a number: "Aram, recruiter, 07 …"
        ("s1", "aram calais", True, None),             # "Aram in Calais, the driver", no number
        ("s2", "Doctor", True, None),                  # a nickname nobody else carries: left alone
        ("w1", "Goran QADIR", False, [WITNESS_PHONE]),  # the witness, with the number he travelled with
        ("w2", "Dilshad KARIM", False, None),          # a witness without a number
    ])


def test_a_numberless_nickname_in_a_statement_goes_to_the_one_aram_the_witness_was_in_touch_with() -> None:
    prepared = _subject_case()
    statements = _statements([("d1", "w2", "driver"), ("d2", "w2", "recruiter"), ("s1", "w1", "recruiter"),
                              ("s2", "w1", "driver")])
    # the witness's phone called Aram OSMAN's number only: reached beats the role stated
    labels = _clusters(prepared, {"a1": 0, "d1": 0, "a2": 1, "d2": 1, "s1": 2, "s2": 3, "w1": 4, "w2": 5})
    edges = statement_subject_attachments(prepared, labels, statements,
                                          _contacts([(WITNESS_PHONE, ARAM_OSMAN)])).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("s1", "a1")]
    assert edges[0]["reasons"] == ["in touch with the witness"] and "aram" in edges[0]["shared_tokens"]
    # in touch with both Arams and no role to tell them apart: left alone
    statements = _statements([("d1", "w2", "driver"), ("d2", "w2", "driver"), ("s1", "w1", "driver")])
    both = _contacts([(WITNESS_PHONE, ARAM_OSMAN), (WITNESS_PHONE, ARAM_KHAN)])
    assert statement_subject_attachments(prepared, labels, statements, both).num_rows == 0


def test_a_numberless_nickname_goes_to_the_one_aram_designated_in_the_same_role() -> None:
    prepared = _subject_case()
    labels = _clusters(prepared, {"a1": 0, "d1": 0, "a2": 1, "d2": 1, "s1": 2, "s2": 3, "w1": 4, "w2": 5})
    no_contacts = _contacts([])
    statements = _statements([("d1", "w2", "driver"), ("d2", "w2", "recruiter"), ("s1", "w2", "driver")])
    edges = statement_subject_attachments(prepared, labels, statements, no_contacts).to_pylist()
    assert [(e["mention_l"], e["mention_r"], e["reasons"]) for e in edges] == [
        ("s1", "a1", ["designated elsewhere with a number as driver"])]
    # both Arams designated as drivers: nothing tells them apart
    statements = _statements([("d1", "w2", "driver"), ("d2", "w2", "driver"), ("s1", "w2", "driver")])
    assert statement_subject_attachments(prepared, labels, statements, no_contacts).num_rows == 0


def test_a_numberless_nickname_goes_to_the_aram_a_passenger_of_the_witness_s_boat_designated() -> None:
    prepared = _prepared([
        ("a1", "Aram OSMAN", False, [ARAM_OSMAN]),
        ("a2", "Aram KHAN", False, [ARAM_KHAN]),
        ("d1", "aram", True, [ARAM_OSMAN]),    # "Aram, driver, 07 …" said by w2, who was on the witness's boat
        ("d2", "aram", True, [ARAM_KHAN]),     # "Aram, driver, 07 …" said by w3, on another boat
        ("s1", "aram", True, None),            # "Aram, the driver", no number, said by w1
        ("t1", "Goran QADIR", False, None),    # w1 as a traveller on crossing X
        ("t2", "Omar HADDAD", False, None),    # w2 as a traveller on crossing X
        ("t3", "Ali REZAEI", False, None),     # w3 as a traveller on crossing Y
        ("w1", "Goran QADIR", False, None),
        ("w2", "Omar HADDAD", False, None),
        ("w3", "Ali REZAEI", False, None),
    ])
    labels = _clusters(prepared, {"a1": 0, "d1": 0, "a2": 1, "d2": 1, "s1": 2, "t1": 3, "w1": 3, "t2": 4, "w2": 4,
                                  "t3": 5, "w3": 5})
    statements = _statements([("d1", "w2", "driver"), ("d2", "w3", "driver"), ("s1", "w1", "driver")])
    passengers = pa.table({"traveller": ["t1", "t2", "t3"], "incident": ["X", "X", "Y"]})
    edges = statement_subject_attachments(prepared, labels, statements, _contacts([]), passengers).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("s1", "a1")]
    assert edges[0]["reasons"][0].startswith("designated in the same role, with a number, by a passenger")
    # without the passenger lists both Arams were designated as drivers: nothing tells them apart
    assert statement_subject_attachments(prepared, labels, statements, _contacts([])).num_rows == 0
    # the boat mate designated his Aram as a recruiter: not the same capacity, no longer decisive
    statements = _statements([("d1", "w2", "recruiter"), ("d2", "w3", "driver"), ("s1", "w1", "driver")])
    edges = statement_subject_attachments(prepared, labels, statements, _contacts([]), passengers).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("s1", "a2")]


def test_one_qualified_nickname_in_one_capacity_is_one_man_when_his_witnesses_name_the_same_people() -> None:
    """Witnesses w1–w10 each designate a recruiter by nickname (with a number of his) and the driver of their
    crossing: d1 drives for the Noorullah UK network, d2 for another; the boat Karwans' witnesses share d1."""
    nicknames = [
        ("s1", "Noorullah UK", ["+33699100001"]),     # a recruiter's customer numbers, one person each
        ("s2", "Noorullah UK", ["+33699100002"]),
        ("s3", "Nourullah UK", ["+33699100003"]),     # spelled otherwise: another key, left alone
        ("s4", "Noorullah UK", ["+33699100004"]),     # the same nickname said of a driver: another capacity
        ("s5", "Rebwar", ["+33699100005"]), ("s6", "Rebwar", ["+33699100006"]),  # a bare name: many men
        ("s7", "Karwan boat", ["+33699100007"]), ("s8", "Kârwan Boat", ["+33699100008"]),
        ("s9", "Noorullah UK", ["+33699100009"]),     # a namesake nickname in another network (driver d2)
        ("s10", "Noorullah UK", ["+33699100010"]),    # with a contact label of his own (c10): left to the line rules
    ]
    rows = [(m, label, True, numbers) for m, label, numbers in nicknames]
    rows += [("n7", "Karwan AZIZ", False, ["+33699100007"]),   # each boat Karwan holds a full name ...
             ("n8", "Karwan OSMAN", False, None),  # ... (one said by a witness) and they differ: two men
             ("x1", "Ali STRAW", False, ["+33699100001"]),     # a subscriber's name says nothing
             ("x1b", "Omar STRAW", False, ["+33699100001"]), ("c10", "noorullah", True, ["+33699100010"]),
             ("d1", "Dler", True, None), ("d2", "Soran", True, None)]
    rows += [(f"w{i}", f"Witness{i} MIGRANT", False, None) for i in range(1, 11)]
    prepared = _prepared(rows, kinds={"n7": "persons", "n8": "statements", "x1": "phones", "x1b": "phones"})
    said = [(f"s{i}", f"w{i}", "driver" if i == 4 else "recruiter") for i in range(1, 11)]
    said = [(s, w, "driver" if s in ("s7", "s8") else r) for s, w, r in said]
    statements = _statements(said + [("n8", "w8", "driver")] + [("d1", f"w{i}", "driver") for i in (*range(1, 9), 10)]
                             + [("d2", "w9", "driver")])
    cluster_of = {m: i for i, m in enumerate(prepared.column("unique_id").to_pylist())}
    cluster_of.update({"x1": cluster_of["s1"], "x1b": cluster_of["s1"], "n7": cluster_of["s7"],
                       "n8": cluster_of["s8"], "c10": cluster_of["s10"]})
    labels = _clusters(prepared, cluster_of)
    edges = nickname_capacity_matches(prepared, labels, statements).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("s2", "s1")]
    assert edges[0]["shared_tokens"] == ["noorullah uk"] and "recruiter" in edges[0]["reasons"][0]
    # once the boat Karwans' full names agree, they are one man after all: the one known only from what witnesses
    # said joins the one with records of his own (n7, a person record), never the other way round
    agreeing = prepared.set_column(prepared.schema.get_field_index("name_full"), "name_full",
                                   pa.array(["Karwan AZIZ" if m == "n8" else n for m, n in
                                             zip(prepared.column("unique_id").to_pylist(),
                                                 prepared.column("name_full").to_pylist(), strict=True)]))
    joined = nickname_capacity_matches(agreeing, labels, statements).to_pylist()
    assert sorted((e["mention_l"], e["mention_r"]) for e in joined) == [("s2", "s1"), ("s8", "s7")]


def test_a_nickname_saved_with_a_number_is_left_to_the_line_rules() -> None:
    """A person known only by labels on a number of his own may be a second Aram: this rule leaves him."""
    prepared = _subject_case()
    statements = _statements([("d1", "w1", "driver"), ("d2", "w2", "recruiter")])
    labels = _clusters(prepared, {"a1": 0, "d1": 1, "a2": 2, "d2": 3, "s1": 4, "s2": 5, "w1": 6, "w2": 7})
    contacts = _contacts([(WITNESS_PHONE, ARAM_OSMAN)])
    assert statement_subject_attachments(prepared, labels, statements, contacts).num_rows == 0


def test_a_witness_is_never_a_traveller_born_years_apart() -> None:
    rows = [("t2", "Ali REZAEI", False, None), ("t3", "Aly REZAI", False, None), ("w2", "Ali REZAEI", False, None)]
    times = _times([("t2", "traveller", "2025-06-08T01:42"), ("t3", "traveller", "2025-06-07T03:00"),
                    ("w2", "witness", "2025-06-09T10:00")])
    # two Ali Rezaei landed; the witness was born in 1990, one of them in 2004: the other one is the witness
    prepared = _prepared(rows, {"w2": 1990, "t2": 2004, "t3": 1991})
    edges = witness_traveller_matches(prepared, _singletons(prepared), times).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("w2", "t3")]
    # born years apart from the only candidate: nothing
    prepared = _prepared(rows[:1] + rows[2:], {"w2": 1990, "t2": 2004})
    times = _times([("t2", "traveller", "2025-06-08T01:42"), ("w2", "witness", "2025-06-09T10:00")])
    assert witness_traveller_matches(prepared, _singletons(prepared), times).num_rows == 0


def test_a_witness_spelled_otherwise_is_the_one_close_traveller_of_the_days_before() -> None:
    prepared = _prepared([
        ("t1", "Shirzat AHMADI", False, None),   # landed on the 8th
        ("w1", "Shirzad AHMADI", False, None),   # heard on the 9th: another spelling, one close traveller
        ("t2", "Shirzad HAMIDI", False, None),   # landed on the 8th: shares a token, not close enough
        ("w2", "Hemin KARIM", False, None),      # heard on the 9th: nobody close on the boats
        ("t3", "Hemin QADIR", False, None),      # landed on the 8th
        ("w3", "Shirzad AHMADI", False, None),   # heard a month later: outside the window
    ])
    times = _times([("t1", "traveller", "2025-06-08T01:42"), ("w1", "witness", "2025-06-09T02:42"),
                    ("t2", "traveller", "2025-06-08T01:42"), ("w2", "witness", "2025-06-09T10:00"),
                    ("t3", "traveller", "2025-06-08T03:00"), ("w3", "witness", "2025-07-09T10:00")])
    edges = witness_traveller_spelling_matches(prepared, _singletons(prepared), times).to_pylist()
    assert [(e["mention_l"], e["mention_r"]) for e in edges] == [("w1", "t1")]
    assert edges[0]["shared_tokens"][0].startswith("similarity 0.9")
    # a traveller with exactly the witness's skeleton is the exact rule's business (found or ambiguous there)
    exact = _prepared([("t1", "Shirzat AHMADI", False, None), ("t4", "Shirzad AHMADY", False, None),
                       ("w1", "Shirzad AHMADI", False, None)])
    times = _times([("t1", "traveller", "2025-06-08T01:42"), ("t4", "traveller", "2025-06-08T01:42"),
                    ("w1", "witness", "2025-06-09T02:42")])
    assert witness_traveller_spelling_matches(exact, _singletons(exact), times).num_rows == 0
    # two close travellers of two persons: ambiguous, nothing
    two = _prepared([("t1", "Shirzat AHMADI", False, None), ("t5", "Shirzat AHMEDI", False, None),
                     ("w1", "Shirzad AHMADI", False, None)])
    times = _times([("t1", "traveller", "2025-06-08T01:42"), ("t5", "traveller", "2025-06-07T01:42"),
                    ("w1", "witness", "2025-06-09T02:42")])
    assert witness_traveller_spelling_matches(two, _singletons(two), times).num_rows == 0


def test_lines_join_numbers_of_one_swap_chain() -> None:
    base = [
        ("a1", "Karwan USMAN", False, [KARWAN]),
        ("c1", "karwan brother", True, [OTHER]),     # saved under the number Karwan used before
    ]
    unlined = _prepared(base)
    assert line_attachments(unlined, _singletons(unlined)).num_rows == 0
    chain = pa.table({"phone": [KARWAN, OTHER], "line": [KARWAN, KARWAN]})
    lined = add_lines(unlined, chain)
    assert lined.column("lines").to_pylist() == [[KARWAN], [KARWAN]]
    assert line_attachments(lined, _singletons(lined)).column("mention_l").to_pylist() == ["c1"]


def _contact_case(ws) -> None:
    """Two seized phones: Karwan USMAN's (device number KARWAN) and Rebwar SALIH's, whose contact list saves
    KARWAN as 'karwan brother'."""
    with ws.transaction() as con:
        con.execute("INSERT INTO sources (source_id, file_name, agency) VALUES ('x', 'extraction.csv', 'FR')")
        con.execute("""
            INSERT INTO person_mentions (mention_id, source_id, source_row, slot, record_kind, name, name_raw,
                                         alias, alias_raw, category)
            VALUES ('x:1:owner', 'x', 1, 'owner', 'contacts', 'Karwan USMAN', 'Karwan USMAN', NULL, NULL, 'suspect'),
                   ('x:2:owner', 'x', 2, 'owner', 'contacts', 'Rebwar SALIH', 'Rebwar SALIH', NULL, NULL, 'suspect'),
                   ('x:2:contact', 'x', 2, 'contact', 'contacts', NULL, NULL, 'karwan brother', 'karwan brother',
                    NULL)
        """)
        con.execute("""
            INSERT INTO contact_entries (source_id, source_row, device_phone, contact_phone, contact_label,
                                         owner_mention_id, contact_mention_id)
            VALUES ('x', 1, ?, '+33699999999', 'someone', 'x:1:owner', NULL),
                   ('x', 2, ?, ?, 'karwan brother', 'x:2:owner', 'x:2:contact')
        """, [KARWAN, OTHER, KARWAN])


def test_resolve_attaches_a_contact_label_to_the_device_owner_with_evidence(ws) -> None:
    _contact_case(ws)
    result = resolve(ws)
    person = dict(ws.con.execute("SELECT mention_id, person_id FROM person_map").fetchall())
    assert person["x:2:contact"] == person["x:1:owner"] != person["x:2:owner"]
    assert result.label_attachments == 1
    evidence = ws.con.execute("SELECT features FROM match_evidence WHERE decided_by = ?", [RULE]).fetchall()
    assert len(evidence) == 1 and json.loads(evidence[0][0])["line"] == KARWAN
    shown = format_text(explain(ws, person["x:1:owner"]))  # what `filiere explain` prints
    assert RULE in shown and f"line         {KARWAN}" in shown and "shared name tokens" in shown
    # and an analyst can overrule it: a 'different' judgement keeps them apart on the next run
    judgements.add(ws, "x:2:contact", "x:1:owner", "different", reason="the relative's brother is another Karwan",
                   actor="analyst")
    resolve(ws)
    person = dict(ws.con.execute("SELECT mention_id, person_id FROM person_map").fetchall())
    assert person["x:2:contact"] != person["x:1:owner"]


def test_resolve_without_attachment_keeps_the_label_apart(ws) -> None:
    _contact_case(ws)
    resolve(ws, attach_labels=False)
    person = dict(ws.con.execute("SELECT mention_id, person_id FROM person_map").fetchall())
    assert person["x:2:contact"] != person["x:1:owner"]
