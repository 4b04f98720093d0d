"""Countries and nationalities → ISO 3166-1 alpha-3.

Accepted: alpha-2 and alpha-3 codes, English and French country names (official and common, from
pycountry and its French translations), and the nationality adjectives most frequent in the files of the
Channel partners ("afghane", "érythréen", "Sudanese" …).  Matching ignores case, accents and punctuation.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

from filiere.ingest.normalise.text_keys import fold_alnum

# Nationality adjectives (English; French masculine and feminine) → alpha-3.
_NATIONALITIES: dict[str, tuple[str, ...]] = {
    "AFG": ("afghan", "afghane"),
    "ALB": ("albanian", "albanais", "albanaise"),
    "DZA": ("algerian", "algerien", "algerienne"),
    "BGD": ("bangladeshi", "bangladais", "bangladaise"),
    "TCD": ("chadian", "tchadien", "tchadienne"),
    "EGY": ("egyptian", "egyptien", "egyptienne"),
    "ERI": ("eritrean", "erythreen", "erythreenne"),
    "ETH": ("ethiopian", "ethiopien", "ethiopienne"),
    "FRA": ("french", "francais", "francaise"),
    "GBR": ("british", "britannique", "uk", "greatbritain", "grandebretagne", "angleterre", "england",
            "anglais", "anglaise", "royaumeuni", "unitedkingdom"),
    "GIN": ("guinean", "guineen", "guineenne"),
    "IND": ("indian", "indien", "indienne"),
    "IRN": ("iranian", "iranien", "iranienne", "iran"),
    "IRQ": ("iraqi", "irakien", "irakienne", "irak"),
    "KWT": ("kuwaiti", "koweitien", "koweitienne"),
    "LBY": ("libyan", "libyen", "libyenne"),
    "MAR": ("moroccan", "marocain", "marocaine"),
    "NGA": ("nigerian", "nigerian", "nigeriane"),
    "PAK": ("pakistani", "pakistanais", "pakistanaise"),
    "PSE": ("palestinian", "palestinien", "palestinienne"),
    "SOM": ("somali", "somalian", "somalien", "somalienne"),
    "SDN": ("sudanese", "soudanais", "soudanaise"),
    "SSD": ("southsudanese", "sudsoudanais", "sudsoudanaise"),
    "SYR": ("syrian", "syrien", "syrienne", "syria", "syrie"),
    "TUN": ("tunisian", "tunisien", "tunisienne"),
    "TUR": ("turkish", "turc", "turque", "turkey", "turquie"),
    "VNM": ("vietnamese", "vietnamien", "vietnamienne", "vietnam"),
    "YEM": ("yemeni", "yemenite"),
    "BEL": ("belgian", "belge"),
    "DEU": ("german", "allemand", "allemande"),
    "NLD": ("dutch", "neerlandais", "neerlandaise", "hollande"),
    "ROU": ("romanian", "roumain", "roumaine"),
    "BGR": ("bulgarian", "bulgare"),
    "POL": ("polish", "polonais", "polonaise"),
    "LTU": ("lithuanian", "lituanien", "lituanienne"),
    "CMR": ("cameroonian", "camerounais", "camerounaise"),
    "CIV": ("ivorian", "ivoirien", "ivoirienne"),
    "SEN": ("senegalese", "senegalais", "senegalaise"),
    "MLI": ("malian", "malien", "malienne"),
}


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Folded name or code → alpha-3, built on first use."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    index: dict[str, str] = {}
    for c in pycountry.countries:
        names = [getattr(c, attr, None) for attr in ("name", "official_name", "common_name")]
        names += [french.gettext(n) for n in list(names) if n]
        for n in names:
            if n:
                index.setdefault(fold_alnum(n), c.alpha_3)
    for alpha3, words in _NATIONALITIES.items():
        for w in words:
            index.setdefault(w, alpha3)
    # codes last: a code never shadows a name, and names never shadow codes of the same letters
    for c in pycountry.countries:
        index[c.alpha_3.lower()] = c.alpha_3
        index[c.alpha_2.lower()] = c.alpha_3
    index["uk"] = "GBR"  # common non-ISO code for the United Kingdom
    return index


def normalise_country(raw: str) -> str | None:
    """Alpha-3 of a code, name or nationality; None when not recognised."""
    key = fold_alnum(raw)
    return _index().get(key) if key else None
