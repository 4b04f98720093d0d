"""Nickname-only mentions: a contact-list label or a nickname reduced to the name it may hold.

Seized contact lists and witness statements often name a person only by how the phone's owner saved him or
how customers call him: "omar 2", "Aly new", "Karim hawala", "Ahmed Dunkerque", "Kaka Soran", "Abu Karim",
"shwan brother", "Kurdo".  Such a label is not a full name: comparing it with "Omar SALEH" on the full-name
comparison scores a mismatch that vetoes the phone they share.  :func:`clean_label` strips what is not a
name — digits and symbols, version words (new, old, 2), places, roles, kinship words and honorifics — so what
is left (a given name, or a pure nickname such as "kurdo") can be compared with the other side's name tokens.

The word lists are generic vocabulary of the area's contact lists (French, English, Kurdish, Arabic, Persian
honorifics and kinship words; towns of the Channel coast, countries), not names of people.
"""

from __future__ import annotations

import re
import unicodedata

VERSION_WORDS = frozenset({
    "new", "old", "nv", "nouveau", "nouvelle", "neuf", "ancien", "ancienne", "bis", "tel", "tél", "phone", "num",
    "numero", "numéro", "perso", "pro", "work", "home", "mob", "mobile", "portable", "whatsapp", "wa", "viber",
    "signal", "telegram", "sim", "jdid", "jadid", "taza", "no", "nr",
})
KINSHIP_WORDS = frozenset({
    "brother", "bro", "cousin", "cuz", "frere", "frère", "frerot", "akhi", "akh", "khoya", "kaka", "kak", "bra",
    "bira", "brader", "dadash", "uncle", "oncle", "amo", "khalo", "mam", "friend", "ami", "pote", "sadiq", "hevał",
    "heval", "habibi", "sister", "soeur", "sœur",
})
HONORIFICS = frozenset({
    "abu", "abou", "abo", "umm", "um", "haji", "hajji", "hadji", "hadj", "sheikh", "sheik", "shaikh", "cheikh",
    "mamosta", "mamoste", "mulla", "mullah", "mala", "agha", "aga", "baba", "big", "little", "petit", "grand",
    "mr", "mister", "monsieur", "mme", "madame", "ustad", "ustaz", "ostad", "doctor", "doc", "docteur", "dr",
    "captain", "capitaine", "kapitan", "rais",
})
ROLE_WORDS = frozenset({
    "hawala", "hawaladar", "money", "argent", "taxi", "driver", "chauffeur", "boat", "bateau", "zodiac", "passeur",
    "passer", "smuggler", "agent", "camion", "truck", "lorry", "garage", "shop", "market", "hotel", "travel",
    "transfer", "western", "union", "moneygram", "work", "boss", "chef", "patron", "mechanic", "engine", "moteur",
})
PLACE_WORDS = frozenset({
    "calais", "dunkerque", "dunkirk", "loon", "plage", "loon-plage", "grande", "synthe", "grande-synthe",
    "gravelines", "boulogne", "wimereux", "lille", "paris", "bruxelles", "brussels", "brussel", "zeebrugge",
    "oostende", "ostende", "ostend", "de", "panne", "london", "londres", "birmingham", "manchester", "dover",
    "douvres", "folkestone", "uk", "gb", "england", "angleterre", "fr", "france", "be", "belgique", "belgium",
    "germany", "allemagne", "deutschland", "nl", "holland", "netherlands", "italy", "italie", "iraq", "irak",
    "iran", "turkey", "turquie", "kurdistan", "erbil", "hewler", "slemani", "sulaymaniyah", "kabul", "asmara",
    "khartoum", "damascus", "camp", "jungle",
})
NOT_A_NAME = VERSION_WORDS | KINSHIP_WORDS | ROLE_WORDS | PLACE_WORDS

_SPLIT = re.compile(r"[\s_./,;:()\[\]|+*#@!?\"'«»-]+")


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in token)


def clean_label(label: str | None) -> str | None:
    """The name part of a nickname or contact label, or None when nothing name-like is left.

    Honorifics are dropped only when a name follows them ("Haji Rebwar" → "rebwar", but "Doctor" stays
    "doctor": a bare title is the nickname itself); other qualifier words are always dropped.
    """
    if not label:
        return None
    words = [w for w in _SPLIT.split(label.casefold()) if w and _is_word(w)]
    words = ["".join(ch for ch in w if not unicodedata.category(ch).startswith(("N", "S"))) for w in words]
    words = [w for w in words if w and w not in NOT_A_NAME]
    named = [w for w in words if w not in HONORIFICS]
    kept = named or words
    return " ".join(kept) if kept else None
