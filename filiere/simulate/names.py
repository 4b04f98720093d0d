"""Names: pools by origin, transliteration variants, Arabic-script forms, nicknames and writing noise.

A person's true name is a tuple of canonical tokens (e.g. ``("mohammed", "abdulrahman")``).  How an agency
writes it is drawn afresh for every mention: a transliteration variant of each token, sometimes the order
swapped, the family name in capitals, a typo, or only part of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# canonical token -> (latin variants, most common first; Arabic-script form or "")
VARIANTS: dict[str, tuple[tuple[str, ...], str]] = {
    # Arabic (Iraq, Syria, Sudan) and shared Muslim names
    "mohammed": (("Mohammed", "Muhammad", "Mohamed", "Mouhamed", "Mohamad", "Muhammed", "Mohammad"), "محمد"),
    "ahmed": (("Ahmed", "Ahmad", "Ahmet", "Ahmd"), "أحمد"),
    "abdulrahman": (("Abdulrahman", "Abdel Rahman", "Abd al-Rahman", "Abdelrahmane", "Abdurrahman"), "عبد الرحمن"),
    "abdullah": (("Abdullah", "Abdallah", "Abdulla", "Abdellah"), "عبد الله"),
    "hussein": (("Hussein", "Hussain", "Hossein", "Husayn", "Houssein"), "حسين"),
    "hassan": (("Hassan", "Hasan", "Hacene"), "حسن"),
    "ali": (("Ali", "Aly"), "علي"),
    "omar": (("Omar", "Umar", "Omer"), "عمر"),
    "khaled": (("Khaled", "Khalid", "Haled"), "خالد"),
    "youssef": (("Youssef", "Yusuf", "Yousef", "Yousif"), "يوسف"),
    "ibrahim": (("Ibrahim", "Ebrahim", "Brahim", "Ibraheem"), "إبراهيم"),
    "mustafa": (("Mustafa", "Moustafa", "Mostafa", "Mustapha"), "مصطفى"),
    "karim": (("Karim", "Kareem", "Kerim"), "كريم"),
    "saleh": (("Saleh", "Salih", "Salah"), "صالح"),
    "tariq": (("Tariq", "Tarek", "Tarik"), "طارق"),
    "mahmoud": (("Mahmoud", "Mahmud", "Mahmood"), "محمود"),
    "osman": (("Osman", "Othman", "Uthman", "Usman"), "عثمان"),
    "jamal": (("Jamal", "Djamel", "Gamal"), "جمال"),
    "adam": (("Adam", "Adem"), "آدم"),
    "idris": (("Idris", "Idriss", "Edris"), "إدريس"),
    "yahya": (("Yahya", "Yahia", "Yehia"), "يحيى"),
    "rasul": (("Rasul", "Rasoul", "Rasool"), "رسول"),
    "qadir": (("Qadir", "Kadir", "Kader", "Qader"), "قادر"),
    "aziz": (("Aziz", "Azeez"), "عزيز"),
    "hama": (("Hama", "Hamah", "Hamma"), "حمه"),
    # Kurdish (Sorani, written in Arabic script)
    "rebwar": (("Rebwar", "Rêbwar", "Rebuar"), "ڕێبوار"),
    "hemin": (("Hemin", "Hêmin", "Himin"), "هێمن"),
    "shwan": (("Shwan", "Shuan", "Chwan"), "شوان"),
    "karwan": (("Karwan", "Karuan", "Kârwan"), "کاروان"),
    "dler": (("Dler", "Diler", "Dilêr"), "دلێر"),
    "aram": (("Aram", "Araam"), "ئارام"),
    "soran": (("Soran", "Sorran"), "سۆران"),
    "bakhtiyar": (("Bakhtiyar", "Bakhtiar", "Baxtiyar", "Bakhtyar"), "بەختیار"),
    "zana": (("Zana", "Zanna"), "زانا"),
    "hawre": (("Hawre", "Hawré", "Haore"), "هاوڕێ"),
    "sherwan": (("Sherwan", "Shirwan", "Cherwan"), "شێروان"),
    "kawa": (("Kawa", "Kaweh", "Kaua"), "کاوە"),
    "dilshad": (("Dilshad", "Delshad", "Dilchad"), "دلشاد"),
    "azad": (("Azad", "Azaad"), "ئازاد"),
    "goran": (("Goran", "Gorran"), "گۆران"),
    "hezha": (("Hezha", "Hejar", "Hêja"), "هەژار"),
    # Persian (Iran; Dari in Afghanistan)
    "reza": (("Reza", "Rida", "Rezza"), "رضا"),
    "mehdi": (("Mehdi", "Mahdi", "Mehdy"), "مهدی"),
    "amir": (("Amir", "Ameer", "Emir"), "امیر"),
    "javad": (("Javad", "Jawad", "Djavad"), "جواد"),
    "saeed": (("Saeed", "Said", "Sa'id", "Saïd"), "سعید"),
    "hamid": (("Hamid", "Hameed"), "حمید"),
    "farhad": (("Farhad", "Farhaad"), "فرهاد"),
    "behzad": (("Behzad", "Bahzad", "Behzaad"), "بهزاد"),
    "dariush": (("Dariush", "Daryoush", "Dariusz"), "داریوش"),
    "hosseini": (("Hosseini", "Husseini", "Hoseini", "Hosseyni"), "حسینی"),
    "rezaei": (("Rezaei", "Rezaie", "Rezai", "Rezayi"), "رضایی"),
    "ahmadi": (("Ahmadi", "Ahmady"), "احمدی"),
    "mohammadi": (("Mohammadi", "Mohamadi", "Muhammadi"), "محمدی"),
    "karimi": (("Karimi", "Kareemi"), "کریمی"),
    "jafari": (("Jafari", "Jafary", "Ja'fari", "Djafari"), "جعفری"),
    "rahimi": (("Rahimi", "Raheemi"), "رحیمی"),
    "moradi": (("Moradi", "Muradi"), "مرادی"),
    "ghasemi": (("Ghasemi", "Qasemi", "Kasemi", "Ghassemi"), "قاسمی"),
    # Pashto / Dari (Afghanistan)
    "gul": (("Gul", "Gol", "Goul"), "ګل"),
    "zabiullah": (("Zabiullah", "Zabihullah", "Zabi Ullah", "Zabiollah"), "ذبیح الله"),
    "noorullah": (("Noorullah", "Nurullah", "Noorallah", "Nour Ullah"), "نورالله"),
    "habibullah": (("Habibullah", "Habiboullah", "Habib Ullah"), "حبیب الله"),
    "samiullah": (("Samiullah", "Sami Ullah", "Samiollah"), "سمیع الله"),
    "rahmatullah": (("Rahmatullah", "Rahmat Ullah", "Rahmatoullah"), "رحمت الله"),
    "jawid": (("Jawid", "Javed", "Javid", "Jawed"), "جاوید"),
    "wahid": (("Wahid", "Waheed", "Ouahid"), "وحید"),
    "khan": (("Khan", "Kan"), "خان"),
    "ahmadzai": (("Ahmadzai", "Ahmadzay", "Ahmedzai"), "احمدزی"),
    "stanikzai": (("Stanikzai", "Stanekzai", "Stanakzai"), "ستانکزی"),
    "popal": (("Popal", "Popol"), "پوپل"),
    "hotak": (("Hotak", "Hotaki", "Hotaky"), "هوتک"),
    "safi": (("Safi", "Safy"), "صافي"),
    "noori": (("Noori", "Nouri", "Nuri"), "نوری"),
    "shinwari": (("Shinwari", "Shinwary", "Chinwari"), "شینواری"),
    "sultani": (("Sultani", "Soltani"), "سلطانی"),
    # Tigrinya (Eritrea): given names; the family name is the father's given name
    "tesfay": (("Tesfay", "Tesfaye", "Tesfai"), ""),
    "yonas": (("Yonas", "Yohannes", "Johannes", "Yonnas"), ""),
    "habtom": (("Habtom", "Habtam", "Habtome"), ""),
    "kidane": (("Kidane", "Kidana", "Kidanè"), ""),
    "filmon": (("Filmon", "Philemon", "Filimon"), ""),
    "tekle": (("Tekle", "Teklay", "Tecle"), ""),
    "berhane": (("Berhane", "Birhane", "Berhe"), ""),
    "ghebremedhin": (("Ghebremedhin", "Gebremedhin", "Ghebre Medhin"), ""),
    "amanuel": (("Amanuel", "Emmanuel", "Amanouel"), ""),
    "semere": (("Semere", "Semre", "Semereab"), ""),
    "dawit": (("Dawit", "Dawitt", "Daoit"), ""),
    "mehari": (("Mehari", "Mihari", "Meharie"), ""),
    "abraham": (("Abraham", "Abrham", "Ibrahim"), ""),
}

# Names of people who are not from the migrants' countries of origin: no variants, no Arabic script.
PLAIN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # origin -> (given names, family names)
    "fr": (("Jean", "Marie", "Pierre", "Sophie", "Nicolas", "Julie", "Thomas", "Camille", "Laurent", "Nathalie",
            "Christophe", "Isabelle", "Olivier", "Sandrine", "Julien", "Aurélie", "Stéphane", "Céline", "Hélène",
            "François"),
           ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
            "Lefebvre", "Dupont", "Lefèvre", "Fontaine", "Caron", "Delattre", "Vasseur", "Lemaire", "Dufour",
            "Wattez")),
    "gb": (("James", "Sarah", "David", "Emma", "Paul", "Claire", "Mark", "Laura", "Daniel", "Rachel", "Stephen",
            "Helen", "Gary", "Karen", "Lee", "Joanne", "Craig", "Nicola", "Darren", "Kelly"),
           ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Johnson", "Roberts",
            "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood")),
    "be": (("Jan", "Els", "Pieter", "An", "Wim", "Katrien", "Tom", "Sofie", "Bart", "Lies", "Koen", "Nathalie"),
           ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
            "De Smet", "Vermeulen", "Dubois")),
    "pl": (("Piotr", "Andrzej", "Krzysztof", "Tomasz", "Marek", "Paweł", "Grzegorz"),
           ("Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński")),
    "ro": (("Ion", "Gheorghe", "Vasile", "Constantin", "Mihai", "Florin"),
           ("Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Munteanu")),
}

FEMALE_NAMES = frozenset({
    "Marie", "Sophie", "Julie", "Camille", "Nathalie", "Isabelle", "Sandrine", "Aurélie", "Céline", "Hélène",
    "Sarah", "Emma", "Claire", "Laura", "Rachel", "Helen", "Karen", "Joanne", "Nicola", "Kelly", "Els", "An",
    "Katrien", "Sofie", "Lies",
})

# origin group -> (given-name tokens, family-name tokens, nationality ISO3, share among migrants)
ORIGINS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, float]] = {
    "kurdish_iraq": (("rebwar", "hemin", "shwan", "karwan", "dler", "aram", "soran", "bakhtiyar", "zana", "hawre",
                      "sherwan", "kawa", "dilshad", "azad", "goran", "hezha", "mohammed", "ahmed", "ali", "omar"),
                     ("qadir", "rasul", "aziz", "hama", "mahmoud", "osman", "ahmed", "karim", "saleh", "mustafa",
                      "abdullah", "hussein"), "IRQ", 0.22),
    "kurdish_iran": (("hemin", "karwan", "aram", "kawa", "azad", "reza", "amir", "farhad", "dler", "soran"),
                     ("moradi", "rahimi", "karimi", "ahmadi", "hosseini", "qadir", "rasul"), "IRN", 0.10),
    "persian": (("reza", "mehdi", "amir", "javad", "saeed", "hamid", "farhad", "behzad", "dariush", "ali",
                 "mohammed", "hussein"),
                ("hosseini", "rezaei", "ahmadi", "mohammadi", "karimi", "jafari", "rahimi", "moradi", "ghasemi"),
                "IRN", 0.12),
    "afghan": (("gul", "zabiullah", "noorullah", "habibullah", "samiullah", "rahmatullah", "jawid", "wahid",
                "mohammed", "ahmed", "ali", "hamid"),
               ("khan", "ahmadzai", "stanikzai", "popal", "hotak", "safi", "noori", "shinwari", "sultani",
                "ahmadi", "mohammadi"), "AFG", 0.22),
    "eritrean": (("tesfay", "yonas", "habtom", "kidane", "filmon", "tekle", "berhane", "amanuel", "semere",
                  "dawit", "mehari", "abraham"),
                 ("tesfay", "yonas", "habtom", "kidane", "tekle", "berhane", "ghebremedhin", "mehari", "abraham"),
                 "ERI", 0.14),
    "arab_syria": (("mohammed", "ahmed", "abdulrahman", "khaled", "omar", "youssef", "mustafa", "ibrahim",
                    "tariq", "jamal", "hassan", "mahmoud"),
                   ("hassan", "ibrahim", "mustafa", "saleh", "osman", "abdullah", "hussein", "mahmoud", "ali"),
                   "SYR", 0.10),
    "arab_sudan": (("mohammed", "ahmed", "adam", "idris", "yahya", "abdullah", "osman", "ibrahim", "omar",
                    "abdulrahman"),
                   ("adam", "idris", "osman", "abdullah", "ibrahim", "yahya", "ahmed", "mohammed", "saleh"),
                   "SDN", 0.10),
}

# Nicknames smugglers are known by (customers often know only these), and how a contact list saves people.
NICKNAMES = ("Kaka {g}", "Abu {f}", "Haji {g}", "Kurdo", "Doctor", "Rasta", "Sheikh {g}", "Baba {g}", "{g} Boat",
             "{g} Calais", "{g} Dunkerque", "Mamosta", "{g} UK", "Big {g}", "Shifu", "Captain", "{g} Taxi")
CONTACT_LABELS = ("{g}", "{g} {f}", "{nick}", "{g} {place}", "{g} new", "{g} 2", "{nick} ☎", "{g} hawala",
                  "{g} brother", "{arabic}")
PLACES = ("Calais", "Dunkerque", "Loon", "Grande-Synthe", "UK", "Germany", "Paris", "Bruxelles")


@dataclass(frozen=True)
class TrueName:
    """A person's name as canonical tokens (variant-bearing) or plain strings."""

    given: str
    family: str
    origin: str  # key of ORIGINS or PLAIN_NAMES

    @property
    def has_variants(self) -> bool:
        return self.origin in ORIGINS


def draw_true_name(rng: np.random.Generator, origin: str) -> TrueName:
    if origin in ORIGINS:
        given, family, _, _ = ORIGINS[origin]
        g = given[rng.integers(len(given))]
        f = family[rng.integers(len(family))]
        while f == g:
            f = family[rng.integers(len(family))]
        return TrueName(g, f, origin)
    given, family = PLAIN_NAMES[origin]
    return TrueName(given[rng.integers(len(given))], family[rng.integers(len(family))], origin)


def canonical(token: str, origin: str) -> str:
    """The standard latin spelling of a token (first variant)."""
    if origin in ORIGINS:
        return VARIANTS[token][0][0]
    return token


def spell(token: str, origin: str, rng: np.random.Generator, variant_rate: float) -> str:
    """One spelling of a token: the standard one, or with probability ``variant_rate`` another variant."""
    if origin not in ORIGINS:
        return token
    variants = VARIANTS[token][0]
    if len(variants) > 1 and rng.random() < variant_rate:
        return variants[1 + rng.integers(len(variants) - 1)]
    return variants[0]


def arabic(token: str, origin: str) -> str:
    if origin not in ORIGINS:
        return ""
    return VARIANTS[token][1]


def typo(text: str, rng: np.random.Generator) -> str:
    """One keyboard-style error: drop, double or swap letters (never on very short names)."""
    if len(text) < 4:
        return text
    i = int(rng.integers(1, len(text) - 1))
    match int(rng.integers(3)):
        case 0:
            return text[:i] + text[i + 1:]
        case 1:
            return text[:i] + text[i] + text[i:]
        case _:
            return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]


def nickname(name: TrueName, rng: np.random.Generator) -> str:
    pattern = NICKNAMES[rng.integers(len(NICKNAMES))]
    g = canonical(name.given, name.origin)
    f = canonical(name.family, name.origin)
    return pattern.format(g=g, f=f)


def contact_label(name: TrueName, nick: str, rng: np.random.Generator) -> str:
    """How the owner of a seized phone saved this person: first name, nickname, place, Arabic script …"""
    pattern = CONTACT_LABELS[rng.integers(len(CONTACT_LABELS))]
    if pattern == "{arabic}":
        ar = arabic(name.given, name.origin)
        if not ar:
            pattern = "{g}"
        else:
            fam = arabic(name.family, name.origin)
            return f"{ar} {fam}".strip() if rng.random() < 0.5 else ar
    if "{nick}" in pattern and not nick:
        pattern = "{g}"
    g = spell(name.given, name.origin, rng, 0.4)
    f = spell(name.family, name.origin, rng, 0.4)
    return pattern.format(g=g, f=f, nick=nick, place=PLACES[rng.integers(len(PLACES))])
