"""Splitting a name into tokens and handling Arabic particles.

Steps: person prefixes (Dr, Mr, …) removed; camel-case joins split (AlisherUsmanov); punctuation, hyphens and
commas become spaces; each token latinised; then particles: the article (al-, el-, ad-, ur-, ال…) and
patronymic links (bin, ben, ibn, ould, bint, wuld) are dropped, abd / abdel / abdul / abdur… is joined to the
name that follows ("abd" + canonical name: Abdulrahman = Abd al-Rahman = عبد الرحمن), a theophoric ending
written apart is joined to the name before it (Habib Ullah = Habibullah) and spelled one way (Samiollah =
Samiullah), and two tokens that make one name of the lexicon are joined (Ghebre Medhin = Gebremedhin).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from rigour._core import person_name_prefixes_list
from rigour.names import remove_person_prefixes

from filiere.resolve.names.arabic import is_arabic
from filiere.resolve.names.lexicon import VARIANT_LINES
from filiere.resolve.names.script import latinise

_CAMEL = re.compile(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_,;:/\\|()\[\]{}\".·・+&*#!?]+")
_FIRST_WORD = re.compile(r"[\s.\-]+")
_LEADING_JUNK = " \t\n\r.,;:-_'\"()[]{}*#!?/\\|"
_APOSTROPHES = re.compile(r"['`´‘’ʼʻʿʾ]")  # inside a word (Sa'id, Tu'mah, O'Brien): dropped, not a break

ARTICLES = frozenset({"al", "el", "ul", "ad", "ud", "ed", "ar", "ur", "as", "us", "ash", "at", "az", "an"})
LINKS = frozenset({"bin", "ben", "ibn", "bn", "bint", "binti", "bnt", "ould", "wuld", "wald", "walad", "ulad"})
_ABD = re.compile(r"^abd(?:oul|ul|el|al|ol|ou|ur|us|ar|as|ad|ud|un|an|er|ir|il|u|i)?(.*)$")
_ABD_WORDS = frozenset(
    {"abd", "abdel", "abdul", "abdal", "abdol", "abdoul", "abdur", "abdus", "abdil", "abdar", "abdas"}
)
_ALLAH = frozenset({"lah", "llah", "la", "lla", "allah", "ullah", "alla", "ulla", "ellah", "illah", "ilah", "elah",
                    "lh", "llh", "allh", "ullh"})  # the last four unvowelled, as Arabic script writes it (الله)
# the second half of a theophoric compound written apart (Habib Ullah, Zabi Ullah, Fazl Allah): joined to the name
# before it, as most records write it (Habibullah)
_ALLAH_SUFFIXES = frozenset({"ullah", "ulla", "allah", "alla", "ollah", "olla", "ellah", "illah", "allh", "ullh"})
# ... and its spellings at the end of one token (Persian -ollah, Arabic -allah, French -oullah): one ending, -ullah
_ALLAH_ENDINGS = "|".join(sorted(_ALLAH_SUFFIXES | {"oullah", "oulla"}, key=lambda e: (-len(e), e)))
_ALLAH_ENDING = re.compile(rf"^(?P<stem>[a-z]{{3,}}?)(?:{_ALLAH_ENDINGS})$")
# names the lexicon lists as one word: two tokens that make one of them are that name written apart (Ghebre Medhin =
# Gebremedhin); "Gebre Tesfay" stays two names (Gebre is also a name of its own)
_LISTED_FORMS = frozenset(form for line in VARIANT_LINES for form in line.split())
_ARABIC_ABD = "عبد"
_ARABIC_ARTICLE = "ال"
# names whose leading ال is not the article (Elias, Elham, Olfat, Almas, Elisha, Elizabeth)
_ARABIC_AL_NAMES = frozenset({"الياس", "إلياس", "الهام", "الفت", "الماس", "اليسع", "اليزابيث", "الينا", "الين"})


class Piece(NamedTuple):
    """One name token before canonicalisation: the form to look up (original script), its Latin form, and
    the prefix it carries ("abd" for the abd-compounds, else "")."""

    raw: str
    latin: str
    prefix: str = ""


@cache
def _prefix_heads() -> frozenset[str]:
    """First words of rigour's person-name prefixes (Dr, Mr, Haji …), to call its prefix regex only when needed."""
    return frozenset(_FIRST_WORD.split(p.casefold().strip())[0] for p in person_name_prefixes_list())


def _strip_prefixes(name: str) -> str:
    head = _FIRST_WORD.split(name.lstrip(_LEADING_JUNK).casefold(), maxsplit=1)[0]
    return (remove_person_prefixes(name) or name) if head in _prefix_heads() else name


def split_raw(name: str) -> list[str]:
    """Raw tokens of a name in its original script (prefixes removed, camel case split)."""
    text = _strip_prefixes(name)
    text = _APOSTROPHES.sub("", _CAMEL.sub(" ", text))
    return [t for t in _SEPARATORS.split(text.casefold()) if t]


def _split_arabic(token: str) -> list[str]:
    """Split an attached article or abd prefix off an Arabic-script token: عبدالرحمن → عبد, رحمن."""
    if token.startswith(_ARABIC_ABD) and len(token) > 4:
        rest = token[3:]
        if rest.startswith(_ARABIC_ARTICLE) and len(rest) > 3 and rest != "الله":
            rest = rest[2:]
        return [_ARABIC_ABD, rest]
    if token.startswith(_ARABIC_ARTICLE) and len(token) > 3 and token != "الله" and token not in _ARABIC_AL_NAMES:
        return [_ARABIC_ARTICLE, token[2:]]
    return [token]


def pieces(name: str, *, arabic_rules: bool = True, particles: bool = True) -> list[Piece]:
    """Tokens of a name with particles handled."""
    items = [item for tok in split_raw(name) for item in _token_items(tok, arabic_rules, particles)]
    if not particles:
        return [Piece(r, lat) for r, lat in items]
    return _handle_particles(items)


@lru_cache(maxsize=500_000)
def _token_items(token: str, arabic_rules: bool, particles: bool) -> tuple[tuple[str, str], ...]:
    """(raw, Latin) pairs of one raw token: an Arabic-script token may split in two; empty Latin forms drop."""
    raws = _split_arabic(token) if particles and arabic_rules and is_arabic(token) else [token]
    pairs = ((r, latinise(r, arabic_rules)) for r in raws)
    return tuple((r, lat) for r, lat in pairs if lat)


@lru_cache(maxsize=500_000)
def _abd_compound(latin: str) -> str | None:
    """The name after the abd prefix of a one-token compound (abdulrahman → rahman), or None."""
    m = _ABD.match(latin)
    if not m:
        return None
    rest = m.group(1)
    if len(rest) > 3 and rest[0] == rest[1]:  # assimilated article: abdur-rahman, abdus-salam
        rest = rest[1:]
    return rest if len(rest) >= 3 or rest in _ALLAH else None


def _handle_particles(items: list[tuple[str, str]]) -> list[Piece]:
    out: list[Piece] = []
    n = len(items)
    pending_abd = False
    for i, (raw, lat) in enumerate(items):
        is_last = i == n - 1
        if lat in ARTICLES and not is_last:  # an article precedes a name; a last "An" is a name
            continue
        if lat in LINKS and 0 < i < n - 1:
            continue
        if pending_abd:
            pending_abd = False
            out.append(Piece(raw, _allah(lat), "abd"))
            continue
        if lat in _ABD_WORDS and not is_last:
            pending_abd = True
            continue
        rest = _abd_compound(lat)
        if rest is not None:
            out.append(Piece(rest, _allah(rest), "abd"))
            continue
        if lat in _ALLAH_SUFFIXES and out and not out[-1].prefix and out[-1].latin not in _ALLAH:
            prev = out.pop()
            out.append(Piece(prev.raw + raw, _theophoric(prev.latin + lat)))
            continue
        if out and not out[-1].prefix and out[-1].latin + lat in _LISTED_FORMS:  # Gebre + Medhin
            prev = out.pop()
            out.append(Piece(prev.raw + raw, prev.latin + lat))
            continue
        out.append(Piece(raw, _theophoric(lat)))
    if pending_abd:
        out.append(Piece("abd", "abd"))
    return out


def _allah(latin: str) -> str:
    return "allah" if latin in _ALLAH else latin


def _theophoric(latin: str) -> str:
    """One spelling of a theophoric ending: Samiollah, Rahmatoullah, Noorallah → samiullah, rahmatullah, noorullah."""
    m = _ALLAH_ENDING.match(latin)
    return m.group("stem") + "ullah" if m else latin
