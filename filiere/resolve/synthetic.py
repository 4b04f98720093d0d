"""Synthetic person mentions with realistic name variants, for resolve tests and the speed benchmark.

Each synthetic person has a given name, a father's name and a family name, each drawn from groups of
spellings of one name (transliterations, particles, Arabic script), a birth date, nationality, gender and
sometimes a document number and a phone.  Each of their mentions (spread over two agencies' sources)
spells the names with a variant of its group, sometimes family-name first, sometimes drops the father's
name, records the birth date with day precision, as a 1 January placeholder or not at all, carries the
document or phone only sometimes, and has an occasional typo.  The answer is kept in the ``truth`` column.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pyarrow as pa

GIVEN_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohamad", "Muhamad", "Mouhamed", "محمد"),
    ("Ahmed", "Ahmad", "Ahmet", "أحمد"),
    ("Abdulrahman", "Abdel Rahman", "Abd al-Rahman", "Abdelrahman", "Abdurrahman", "عبد الرحمن"),
    ("Omar", "Umar", "Omer", "عمر"),
    ("Ali", "Aly", "علي"),
    ("Hassan", "Hasan", "حسن"),
    ("Hussein", "Husain", "Hussain", "Hossein", "حسين"),
    ("Youssef", "Yusuf", "Yousef", "Youcef", "يوسف"),
    ("Ibrahim", "Ebrahim", "Ibraheem", "إبراهيم"),
    ("Mustafa", "Moustafa", "Mostafa", "Mustapha", "مصطفى"),
    ("Khaled", "Khalid", "خالد"),
    ("Abdullah", "Abdallah", "Abdulla", "عبد الله"),
    ("Karim", "Kareem", "Kerim", "كريم"),
    ("Said", "Saeed", "Sayed", "سعيد"),
    ("Tariq", "Tarek", "Tarik", "طارق"),
    ("Jamal", "Gamal", "Djamel", "جمال"),
    ("Amir", "Ameer", "أمير"),
    ("Samir", "Sameer", "سمير"),
    ("Walid", "Waleed", "Oualid", "وليد"),
    ("Bilal", "Belal", "بلال"),
    ("Hamza", "Hamzah", "حمزة"),
    ("Idris", "Idriss", "Edris"),
    ("Yassin", "Yasin", "Yassine", "Yaseen"),
    ("Anwar", "Anouar", "أنور"),
    ("Nasser", "Nasir", "Naser", "ناصر"),
    ("Rashid", "Rachid", "Rasheed", "رشيد"),
    ("Faisal", "Faysal", "Fayçal", "فيصل"),
    ("Salah", "Salaheddine", "Salah al-Din", "صلاح الدين"),
    ("Haidar", "Haider", "Hayder", "حيدر"),
    ("Reza", "Rida", "Ridha", "رضا"),
    ("Dawit", "Dawid", "Daoud", "Dawood"),
    ("Mehmet", "Mehmed"),
    ("Tesfaye", "Tesfay"),
    ("Yonas", "Yonás", "Younes", "Yunus"),
    ("Abdi", "Abdie"),
    ("Kamal", "Kemal", "كمال"),
    ("Zakaria", "Zakariya", "Zacharia", "زكريا"),
    ("Suleiman", "Sulaiman", "Soliman", "Sleiman", "سليمان"),
    ("Osman", "Othman", "Usman", "Uthman", "عثمان"),
    ("Mahmoud", "Mahmud", "Mahmood", "محمود"),
    ("Ismail", "Ismael", "Esmail", "إسماعيل"),
    ("Jawad", "Javad", "Djawad"),
    ("Farid", "Fareed", "Ferid"),
    ("Hakim", "Hakeem", "Hakime"),
    ("Nabil", "Nabeel", "نبيل"),
    ("Rahim", "Raheem", "Rahime"),
    ("Shirin", "Shireen", "Chirine"),
    ("Fatima", "Fatma", "Fatimah", "فاطمة"),
    ("Aisha", "Aicha", "Ayesha", "عائشة"),
    ("Mariam", "Maryam", "Meryem", "مريم"),
)

FAMILY_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Khan",), ("Ahmadi", "Ahmady"), ("Rahimi", "Rahimy"), ("Abdulrahman", "Abdel Rahman", "Abd al-Rahman"),
    ("Al-Hassan", "El Hassan", "Alhassan", "al Hasan"), ("Haddad", "Hadad"), ("Karimi", "Kareemi"),
    ("Hosseini", "Husseini", "Hussaini"), ("Mohammadi", "Muhammadi", "Mohamadi"), ("Saleh", "Salih", "Salah"),
    ("Osman", "Othman", "Usman"), ("Suleiman", "Sulaiman", "Soliman"), ("Mahmoud", "Mahmud", "Mahmood"),
    ("Barzani",), ("Tesfay", "Tesfaye"), ("Ghebre", "Gebre", "Ghebrey"), ("Abdi", "Abdie"), ("Farah", "Farrah"),
    ("Warsame", "Warsama"), ("Jama", "Jamaa"), ("Ould Ahmed", "Ould Ahmad"), ("Bin Laden", "Ben Laden"),
    ("Al-Masri", "El Masri", "Almasri"), ("Nouri", "Nuri", "Noori"), ("Yousefi", "Yusufi", "Youssefi"),
    ("Haidari", "Haideri", "Hayderi"), ("Sultani", "Soltani"), ("Qureshi", "Kureishi", "Qurashi"),
    ("Siddiqui", "Siddiqi", "Sidiki"), ("Rezaei", "Rezai", "Rezayi"), ("Jafari", "Jaafari", "Djafari"),
    ("Hashemi", "Hashimi", "Hachemi"), ("Azizi", "Azizy"), ("Sharifi", "Charifi"), ("Amini", "Ameeni"),
    ("Kaya",), ("Demir",), ("Yilmaz", "Yılmaz"), ("Aydin", "Aydın"), ("Bakr", "Bakir", "Baker"),
    ("Tahir", "Taher", "Tahir"), ("Mansour", "Mansur", "Mansoor"), ("Nasser", "Nasir", "Naser"),
    ("Zaidi", "Zaydi"), ("Habibi", "Habiby"), ("Darwish", "Derwich", "Darwich"), ("Ibrahimi", "Ebrahimi"),
    ("Mirza", "Mirzah"), ("Popal",), ("Stanekzai", "Stanikzai"), ("Durrani", "Durani"), ("Wardak", "Wardag"),
    ("Kakar", "Kakkar"), ("Afridi", "Afreedi"), ("Yousafzai", "Yusufzai"), ("Kurdi", "Kourdi"),
    ("Mustafa", "Moustafa", "Mostafa"), ("Hamid", "Hameed", "Hamed"), ("Salem", "Salim", "Saleem"),
    ("Idris", "Idriss"),
)

# Family names built from common roots and suffixes (Afghan, Iranian, Kurdish, Turkish patterns), each with a
# transliteration variant, so that a large synthetic population has a realistic spread of family names.
_ROOTS = ("Karim", "Rahim", "Nazar", "Jalal", "Shams", "Ghulam", "Akbar", "Anwar", "Bahram", "Dost", "Faiz",
          "Gul", "Habib", "Hamid", "Jahan", "Kamal", "Latif", "Majid", "Nabi", "Nasir", "Omar", "Qadir",
          "Rasul", "Sabir", "Sadiq", "Shafi", "Sharif", "Tahir", "Wali", "Yar", "Zaman", "Zarif", "Aziz",
          "Bashir", "Daud", "Farid", "Hakim", "Hashim", "Ismail", "Jamil", "Khalil", "Mahmud", "Mansur",
          "Mirza", "Munir", "Nur", "Qasim", "Rafiq", "Rashid", "Salim", "Samad", "Sayed", "Sultan", "Wahid",
          "Yusuf", "Zahir", "Ahmad", "Amin", "Baqir", "Ghani", "Haidar", "Jafar", "Karam", "Mohsen", "Naim",
          "Rahman", "Saeed", "Safar", "Tariq", "Zaki")
_SUFFIXES = (("i", "y"), ("zai", "zay"), ("zada", "zadeh"), ("khel", "kheil"), ("pour", "pur"),
             ("nejad", "nezhad"), ("oglu", "oğlu"), ("yan", "ian"), ("ani", "any"), ("ullah", "ollah"))
GENERATED_FAMILY_GROUPS: tuple[tuple[str, ...], ...] = tuple(
    (root + a, root + b) for root in _ROOTS for a, b in _SUFFIXES
)

NATIONALITIES = ("AFG", "IRQ", "IRN", "SYR", "ERI", "SDN", "SOM", "TUR", "EGY", "ALB", "VNM", "GBR", "FRA")
CATEGORIES = ("victim", "victim", "victim", "suspect", "other", "unknown")


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    if op < 0.4:
        return s[:i] + s[i + 1:]
    if op < 0.7:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i] + s[i:]


def synthetic_mentions(n_persons: int, seed: int = 0, mean_mentions: float = 2.5,
                       sources: tuple[str, ...] = ("src-fr", "src-uk")) -> pa.Table:
    """Person-mention rows (``person_mentions`` columns) with a ``truth`` column naming the true person."""
    rng = random.Random(seed)
    cols: dict[str, list] = {k: [] for k in (
        "mention_id", "source_id", "source_row", "slot", "record_kind", "name", "name_raw", "birth_date",
        "birth_date_raw", "birth_date_precision", "birth_date_placeholder", "nationality", "gender", "document",
        "phone", "category", "truth")}
    rows = dict.fromkeys(sources, 0)
    epoch = date(1960, 1, 1)
    for pid in range(n_persons):
        given, father = rng.choice(GIVEN_GROUPS), rng.choice(GIVEN_GROUPS)
        family = rng.choice(FAMILY_GROUPS) if rng.random() < 0.3 else rng.choice(GENERATED_FAMILY_GROUPS)
        dob = epoch + timedelta(days=rng.randrange(0, 45 * 365))
        nat = rng.choice(NATIONALITIES)
        gender = "female" if given[0] in ("Shirin", "Fatima", "Aisha", "Mariam") else "male"
        doc = f"P{rng.randrange(10**7, 10**8)}" if rng.random() < 0.35 else None
        phone = f"+4477{rng.randrange(10**8, 10**9)}" if rng.random() < 0.4 else None
        category = rng.choice(CATEGORIES)
        k = 1 + min(int(rng.expovariate(1 / (mean_mentions - 1))), 8) if mean_mentions > 1 else 1
        for _ in range(k):
            g, f, fam = rng.choice(given), rng.choice(father), rng.choice(family)
            arabic_given = any("\u0600" <= ch <= "\u06ff" for ch in g)
            if arabic_given:  # a mention written in Arabic script keeps the script for the whole name
                parts = [g, rng.choice([v for v in family if v])]
            else:
                latin = [v for v in father if not any("\u0600" <= ch <= "\u06ff" for ch in v)] or [f]
                parts = [g, rng.choice(latin), fam] if rng.random() < 0.5 else [g, fam]
                if rng.random() < 0.25:
                    parts = [parts[-1].upper(), *parts[:-1]]
                if rng.random() < 0.1:
                    j = rng.randrange(len(parts))
                    parts[j] = _typo(rng, parts[j])
            name = " ".join(parts)
            src = rng.choice(sources)
            rows[src] += 1
            r = rows[src]
            cols["mention_id"].append(f"{src}:{r}:person")
            cols["source_id"].append(src)
            cols["source_row"].append(r)
            cols["slot"].append("person")
            cols["record_kind"].append("persons")
            cols["name"].append(name)
            cols["name_raw"].append(name)
            u = rng.random()
            if u < 0.65:
                d, prec, ph = dob, "day", False
            elif u < 0.85:
                d, prec, ph = date(dob.year, 1, 1), "day", True
            elif u < 0.9:
                d, prec, ph = date(dob.year, 1, 1), "year", False
            else:
                d, prec, ph = None, None, None
            cols["birth_date"].append(d)
            cols["birth_date_raw"].append(d.isoformat() if d else None)
            cols["birth_date_precision"].append(prec)
            cols["birth_date_placeholder"].append(ph)
            cols["nationality"].append(nat if rng.random() < 0.85 else None)
            cols["gender"].append(gender if rng.random() < 0.8 else None)
            cols["document"].append(doc if doc and rng.random() < 0.6 else None)
            cols["phone"].append(phone if phone and rng.random() < 0.6 else None)
            cols["category"].append(category)
            cols["truth"].append(f"T{pid}")
    return pa.table(cols)


def insert_mentions(con, table: pa.Table, agencies: dict[str, str] | None = None) -> None:
    """Insert synthetic mentions (and a ``sources`` row per source) into a workspace connection."""
    con.register("synthetic_mentions", table.drop(["truth"]))
    con.execute("INSERT INTO person_mentions BY NAME SELECT * FROM synthetic_mentions")
    con.unregister("synthetic_mentions")
    for src in sorted(set(table.column("source_id").to_pylist())):
        agency = (agencies or {}).get(src, src.split("-")[-1].upper())
        con.execute("INSERT INTO sources (source_id, file_name, record_kind, agency, status) "
                    "VALUES (?, ?, 'persons', ?, 'active') ON CONFLICT DO NOTHING", [src, f"{src}.csv", agency])
