"""How each agency writes things: language, dates, phone formats, name habits, category words, grading."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyStyle:
    code: str  # fr | uk | be: the output folder
    country: str  # ISO2, the phone region of the agency's files
    date_fmt: str  # strftime for dates
    datetime_fmt: str
    partial_date_fmts: tuple[str, ...]  # how a partially known birth date is written (strftime)
    phone_styles: tuple[tuple[str, float], ...]  # styles for numbers written by officers
    cdr_phone_style: str  # style of operator CDRs
    categories: dict[str, str]  # LED category -> word the agency uses
    nationality: str  # "fr_adjective" | "en_adjective" | "iso3" | "iso2"
    variant_rate: float  # how often a name is written in a non-standard transliteration
    caps_family: bool  # writes family names in capitals
    relation_words: dict[str, str]  # statement relation -> word
    gender_words: dict[str, str]


FR = AgencyStyle(
    code="fr", country="FR", date_fmt="%d/%m/%Y", datetime_fmt="%d/%m/%Y %H:%M:%S",
    partial_date_fmts=("00/00/%Y", "00/%m/%Y"),
    phone_styles=(("national", 0.55), ("national_compact", 0.2), ("intl", 0.15), ("intl00", 0.1)),
    cdr_phone_style="msisdn",
    categories={"suspect": "mis en cause", "victim": "victime", "other": "témoin"},
    nationality="fr_adjective", variant_rate=0.45, caps_family=True,
    relation_words={"recruiter": "rabatteur", "driver": "chauffeur", "pilot": "pilote", "collector": "collecteur",
                    "organiser": "organisateur", "logistics": "logistique", "contact": "contact"},
    gender_words={"male": "M", "female": "F"},
)
UK = AgencyStyle(
    code="uk", country="GB", date_fmt="%d/%m/%Y", datetime_fmt="%Y-%m-%d %H:%M:%S",
    partial_date_fmts=("%Y",),
    phone_styles=(("national", 0.45), ("intl", 0.3), ("e164", 0.15), ("national_compact", 0.1)),
    cdr_phone_style="national_compact",
    categories={"suspect": "Suspect", "victim": "Victim", "other": "Witness"},
    nationality="en_adjective", variant_rate=0.3, caps_family=False,
    relation_words={"recruiter": "Agent", "driver": "Driver", "pilot": "Boat pilot", "collector": "Money collector",
                    "organiser": "Organiser", "logistics": "Logistics", "contact": "Contact"},
    gender_words={"male": "Male", "female": "Female"},
)
BE = AgencyStyle(
    code="be", country="BE", date_fmt="%d.%m.%Y", datetime_fmt="%d.%m.%Y %H:%M",
    partial_date_fmts=("%Y",),
    phone_styles=(("national", 0.5), ("intl", 0.3), ("intl00", 0.2)),
    cdr_phone_style="intl00",
    categories={"suspect": "verdachte", "victim": "slachtoffer", "other": "getuige"},
    nationality="iso3", variant_rate=0.4, caps_family=True,
    relation_words={"recruiter": "ronselaar", "driver": "chauffeur", "pilot": "stuurman", "collector": "geldophaler",
                    "organiser": "organisator", "logistics": "logistiek", "contact": "contact"},
    gender_words={"male": "M", "female": "V"},
)
STYLES = {"fr": FR, "uk": UK, "be": BE}

NATIONALITY_WORDS = {
    # ISO3 -> (French masculine, French feminine, English)
    "IRQ": ("irakien", "irakienne", "Iraqi"), "IRN": ("iranien", "iranienne", "Iranian"),
    "AFG": ("afghan", "afghane", "Afghan"), "ERI": ("érythréen", "érythréenne", "Eritrean"),
    "SYR": ("syrien", "syrienne", "Syrian"), "SDN": ("soudanais", "soudanaise", "Sudanese"),
    "FRA": ("français", "française", "French"), "GBR": ("britannique", "britannique", "British"),
    "BEL": ("belge", "belge", "Belgian"), "POL": ("polonais", "polonaise", "Polish"),
    "ROU": ("roumain", "roumaine", "Romanian"), "DEU": ("allemand", "allemande", "German"),
    "TUR": ("turc", "turque", "Turkish"),
}
ISO3_TO_ISO2 = {"IRQ": "IQ", "IRN": "IR", "AFG": "AF", "ERI": "ER", "SYR": "SY", "SDN": "SD", "FRA": "FR",
                "GBR": "GB", "BEL": "BE", "POL": "PL", "ROU": "RO", "DEU": "DE", "TUR": "TR"}


def nationality_as_written(style: AgencyStyle, iso3: str, gender: str) -> str:
    match style.nationality:
        case "fr_adjective":
            m, f, _ = NATIONALITY_WORDS[iso3]
            return f if gender == "female" else m
        case "en_adjective":
            return NATIONALITY_WORDS[iso3][2]
        case "iso2":
            return ISO3_TO_ISO2[iso3]
    return iso3


# Units that hold each kind of export, and how they grade it.
EU_GRADING = {"scheme": "eu4x4"}
UNITS = {
    "FR-OCRIEST": "Office central pour la répression de l'immigration irrégulière (OCRIEST)",
    "FR-PAF": "Police aux frontières, Pas-de-Calais / Nord",
    "FR-GN": "Gendarmerie nationale, groupement du Pas-de-Calais",
    "FR-TRACFIN": "TRACFIN (cellule de renseignement financier)",
    "UK-NCA": "National Crime Agency",
    "UK-BF": "Border Force",
    "UK-KENT": "Kent Police",
    "UK-UKFIU": "UK Financial Intelligence Unit (NCA)",
    "BE-FGP": "Federale Gerechtelijke Politie West-Vlaanderen",
    "BE-SCP": "Scheepvaartpolitie (maritime police)",
}
