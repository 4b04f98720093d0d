"""Rule-based transliteration of Arabic-script name tokens (Arabic, Persian, Pashto, Kurdish) into Latin.

Short vowels are not written in Arabic script, so the output is close to a consonant skeleton with the long
vowels (ا و ي) rendered as a / u / i where they are vowels and w / y where they are consonants. It feeds the
same canonical tokens and skeletons as Latin names, so محمد and Muhammad meet on the skeleton "mhmd".
"""

from __future__ import annotations

import re

_ARABIC_CHAR = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")

# Letters with a fixed rendering. و ي ا ع ة ى ه are handled with context in arabic_to_latin.
_LETTERS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "gh", "ف": "f", "ق": "q", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ء": "", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ؤ": "u", "ئ": "i",
    # Persian / Urdu / Pashto / Kurdish letters
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ڤ": "v", "ۆ": "o", "ێ": "e", "ە": "e", "ڕ": "r",
    "ڵ": "l", "ھ": "h", "ۇ": "u", "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ځ": "dz", "څ": "ts",
    "ڼ": "n", "ې": "e", "ۍ": "ay", "ے": "e", "ں": "n", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ڭ": "ng", "ګ": "g",
    "ﻻ": "la",
}  # fmt: skip
_DIGRAPHS = {"تش": "ch", "دج": "j"}
_WAW = {"و"}
_YA = {"ي", "ی", "ى"}
_HAMZA_SEAT = "ئ"  # carries an initial vowel in Kurdish (ئارام Aram), hamza elsewhere
_ALIF = {"ا", "أ", "إ", "آ", "ٱ"}
_HARAKAT = {"\u064e": "a", "\u064f": "u", "\u0650": "i"}  # fatha, damma, kasra
_SHADDA = "\u0651"
_SILENT = set("\u064b\u064c\u064d\u0652\u0640\u0670\u200c\u200d")  # tanween, sukun, tatweel, dagger alif, ZWNJ/ZWJ


def is_arabic(text: str) -> bool:
    """True if the text has any Arabic-script letter."""
    return bool(_ARABIC_CHAR.search(text))


# Persian, Dari, Pashto, Urdu and Kurdish read these letters differently from Arabic (رضا Reza, not Rida)
_PERSIAN_READING = {"ض": "z", "ذ": "z", "ث": "s", "ظ": "z", "ص": "s", "ط": "t", "ق": "gh"}


def arabic_to_latin(token: str, persian: bool = False) -> str:
    """Latin rendering of one Arabic-script token (letters outside Arabic script are folded to ASCII);
    persian=True reads ض ذ ث ظ ق the Persian way."""
    chars = [c for c in token if c not in _SILENT]
    out: list[str] = []
    last = len(chars) - 1
    skip = False
    for i, ch in enumerate(chars):
        if skip:
            skip = False
            continue
        prev = chars[i - 1] if i > 0 else ""
        nxt = chars[i + 1] if i < last else ""
        if ch + nxt in _DIGRAPHS:  # تش is how Arabic writes "ch", دج "j"
            out.append(_DIGRAPHS[ch + nxt])
            skip = True
        elif ch in _HARAKAT:
            out.append(_HARAKAT[ch])
        elif ch == _SHADDA:  # doubles the last consonant, whether the vowel mark came before or after it
            vowel_marks = [] if not out or prev not in _HARAKAT else [out.pop()]
            if out and out[-1]:
                out.append(out[-1][-1])
            out.extend(vowel_marks)
        elif ch == _HAMZA_SEAT:
            out.append("" if i == 0 or nxt in _ALIF or nxt in _WAW or nxt in _YA or nxt in "ێۆە" else "i")
        elif ch in _ALIF:
            out.append(_LETTERS.get(ch, "a"))
        elif ch in _WAW:
            consonant = i == 0 or nxt in _ALIF or (prev in _ALIF and 1 < i < last)
            out.append("w" if consonant else "u")
        elif ch in _YA:
            if ch == "ى" and i == last:
                out.append("a")
            else:
                consonant = i == 0 or nxt in _ALIF or nxt == "ة" or (prev in _ALIF and i != last)
                out.append("y" if consonant else "i")
        elif ch == "ع":
            out.append("a" if i == 0 else "")
        elif ch == "ة":
            out.append("a")
        elif ch == "ه":  # final ه after a consonant is a vowel ending (طه Taha, هينتزه Heintze)
            vowel_end = i == last and i > 0 and prev not in _ALIF and prev not in _WAW and prev not in _YA
            out.append("a" if vowel_end else "h")
        elif persian and ch in _PERSIAN_READING:
            out.append(_PERSIAN_READING[ch])
        elif ch in _LETTERS:
            out.append(_LETTERS[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
        # anything else (digits in Arabic-Indic, punctuation) is dropped
    return "".join(out)
