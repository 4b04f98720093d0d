"""Record kinds: what an agency export can hold, declared as data.

A mapping file names one ``kind``; the kind says which table its rows land in, which properties a mapping
may fill and their types, and which *person slots* a row carries.  A person slot (``payer``, ``witness``,
``traveller`` …) is a person as the row names them: its properties (``payer.name``, ``payer.phone`` …)
become one row of ``person_mentions`` with that slot, and the event row points at it through
``<slot>_mention_id``.  The mention and event tables are generated from these declarations
(:mod:`filiere.model.schema`), so the kinds, the mappings and the tables cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from filiere.model.types import Column, PropType, columns_for

P = PropType

# Vocabularies for ENUM properties: normalised values a mapping's `map:` must produce.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "gender": ("male", "female", "other"),
    "payment_channel": ("bank", "money_transfer", "hawala", "cash", "mobile_money", "other"),
    "account_type": ("bank", "money_transfer", "hawala", "mobile_money", "crypto", "other"),
    "crossing_mode": ("small_boat", "lorry", "car", "van", "ferry", "train", "on_foot", "other"),
    "crossing_outcome": ("succeeded", "intercepted", "rescued", "aborted", "died", "unknown"),
    "statement_relation": (
        "organiser", "recruiter", "driver", "pilot", "collector", "logistics", "contact", "other",
    ),
    "call_type": ("voice", "sms", "data", "other"),
    "message_channel": ("sms", "whatsapp", "telegram", "signal", "messenger", "other"),
    "location_kind": ("camp", "beach", "port", "car_park", "cell_site", "address", "border", "other"),
    "relation_type": ("associate", "family", "other"),
}


@dataclass(frozen=True)
class Prop:
    name: str
    ptype: PropType
    doc: str = ""
    vocabulary: str | None = None  # for ENUM

    def columns(self) -> list[Column]:
        return columns_for(self.name, self.ptype, self.doc)


# Properties of a person as any row may name them.
PERSON_PROPS: tuple[Prop, ...] = (
    Prop("local_ref", P.TEXT, "the agency's own reference for this person"),
    Prop("name", P.NAME, "full name"),
    Prop("given_name", P.NAME, "given name(s)"),
    Prop("family_name", P.NAME, "family name"),
    Prop("alias", P.NAME, "alias or nickname"),
    Prop("birth_date", P.DATE, "date of birth"),
    Prop("nationality", P.COUNTRY, "nationality"),
    Prop("gender", P.ENUM, "gender", "gender"),
    Prop("document", P.IDENTIFIER, "identity document number"),
    Prop("phone", P.PHONE, "a phone number given for the person"),
    Prop("category", P.CATEGORY, "data-subject category (LED art. 6)"),
)
PERSON_PROP_NAMES = frozenset(p.name for p in PERSON_PROPS)


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    doc: str
    props: tuple[Prop, ...] = ()
    slots: tuple[str, ...] = ()  # person slots carried by each row
    own_person: bool = False  # the row itself is a person mention (kind "persons")
    required: tuple[str, ...] = ()  # properties a mapping must fill (slot props as "slot.prop")
    extra_person_props: tuple[Prop, ...] = field(default=())
    # High-volume events: the public table is a view over ``<table>_wide`` (every column) and, per source
    # ingested by the compact path, only the columns that source maps (see filiere/ingest/compact.py).
    per_source: bool = False

    @property
    def prop_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.props)

    def prop(self, name: str) -> Prop:
        for p in self.props:
            if p.name == name:
                return p
        raise KeyError(name)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "persons", "person_mentions",
            "person records: police reports, interviews, custody and asylum files",
            props=(
                Prop("role", P.TEXT, "role or function as the source states it"),
                Prop("address", P.TEXT, "address as written"),
                Prop("notes", P.TEXT, "free-text remarks"),
                Prop("recorded_at", P.DATETIME,
                     "when the record was made (arrest, interview, custody); a date alone stands for that day"),
            ),
            own_person=True,
            required=("name|given_name|family_name|alias",),
        ),
        Kind(
            "phones", "phone_mentions", "subscriber records: who a number is registered to",
            props=(
                Prop("phone", P.PHONE, "the number"),
                Prop("imei", P.IDENTIFIER, "handset IMEI"),
                Prop("operator", P.TEXT, "network operator"),
                Prop("activated_on", P.DATE, "activation date"),
            ),
            slots=("subscriber",),
            required=("phone",),
        ),
        Kind(
            "contacts", "contact_entries", "seized-phone extractions: the contact list of a device",
            props=(
                Prop("device_phone", P.PHONE, "number of the seized device"),
                Prop("device_ref", P.TEXT, "exhibit reference of the seized device"),
                Prop("contact_phone", P.PHONE, "number saved in the contact list"),
                Prop("contact_label", P.NAME, "the name the contact was saved under"),
            ),
            slots=("owner", "contact"),
            required=("contact_phone",),
        ),
        Kind(
            "accounts", "account_mentions", "bank, money-transfer and hawala accounts and their holders",
            props=(
                Prop("account", P.IDENTIFIER, "account identifier (IBAN, wallet, ledger code)"),
                Prop("provider", P.TEXT, "bank, money-transfer operator or hawaladar"),
                Prop("account_type", P.ENUM, "type of account", "account_type"),
            ),
            slots=("holder",),
            required=("account",),
        ),
        Kind(
            "vehicles", "vehicle_mentions", "vehicle registrations and vehicles named in reports",
            props=(
                Prop("plate", P.PLATE, "registration plate"),
                Prop("plate_country", P.COUNTRY, "country of registration"),
                Prop("make", P.TEXT, "make"),
                Prop("model", P.TEXT, "model"),
                Prop("colour", P.TEXT, "colour"),
            ),
            slots=("keeper",),
            required=("plate",),
        ),
        Kind(
            "locations", "location_mentions", "places: camps, beaches, car parks, cell sites",
            props=(
                Prop("location_ref", P.TEXT, "the agency's reference for the place or cell id"),
                Prop("place", P.TEXT, "name as written"),
                Prop("location_kind", P.ENUM, "kind of place", "location_kind"),
                Prop("lat", P.FLOAT, "latitude (WGS84)"),
                Prop("lon", P.FLOAT, "longitude (WGS84)"),
                Prop("country", P.COUNTRY, "country"),
            ),
            required=("location_ref|place",),
        ),
        Kind(
            "calls", "calls", "call detail records",
            props=(
                Prop("caller", P.PHONE, "calling number"),
                Prop("callee", P.PHONE, "called number"),
                Prop("started_at", P.DATETIME, "start of the call"),
                Prop("duration_s", P.INT, "duration in seconds"),
                Prop("call_type", P.ENUM, "voice, sms …", "call_type"),
                Prop("cell_id", P.TEXT, "serving cell of the caller"),
                Prop("cell_lat", P.FLOAT, "cell latitude"),
                Prop("cell_lon", P.FLOAT, "cell longitude"),
            ),
            required=("caller", "callee", "started_at"),
            per_source=True,
        ),
        Kind(
            "messages", "messages", "messages between numbers (SMS, messaging apps)",
            props=(
                Prop("sender", P.PHONE, "sending number"),
                Prop("recipient", P.PHONE, "receiving number"),
                Prop("sent_at", P.DATETIME, "time sent"),
                Prop("channel", P.ENUM, "sms, whatsapp …", "message_channel"),
                Prop("text", P.TEXT, "message text"),
            ),
            required=("sender", "recipient", "sent_at"),
        ),
        Kind(
            "payments", "payments", "money transfers, bank payments, hawala ledger lines",
            props=(
                Prop("payment_ref", P.TEXT, "transaction reference"),
                Prop("payer_account", P.IDENTIFIER, "payer's account"),
                Prop("payee_account", P.IDENTIFIER, "payee's account"),
                Prop("amount", P.MONEY, "amount"),
                Prop("currency", P.CURRENCY, "ISO 4217 currency"),
                Prop("paid_at", P.DATETIME, "time of payment"),
                Prop("channel", P.ENUM, "bank, money_transfer, hawala …", "payment_channel"),
                Prop("agent", P.TEXT, "transfer agent or hawaladar"),
                Prop("place", P.TEXT, "where it was paid"),
            ),
            slots=("payer", "payee"),
            required=("amount", "paid_at"),
        ),
        Kind(
            "sightings", "sightings", "number-plate camera reads and other sightings",
            props=(
                Prop("plate", P.PLATE, "plate read"),
                Prop("phone", P.PHONE, "phone seen (e.g. cell-site dump)"),
                Prop("seen_at", P.DATETIME, "time seen"),
                Prop("place", P.TEXT, "place name"),
                Prop("camera_id", P.TEXT, "camera or sensor"),
                Prop("lat", P.FLOAT, "latitude"),
                Prop("lon", P.FLOAT, "longitude"),
            ),
            required=("seen_at", "plate|phone"),
        ),
        Kind(
            "crossings", "crossings", "crossing incidents: one row per person or vehicle involved",
            props=(
                Prop("incident_ref", P.TEXT, "incident reference shared by all its rows"),
                Prop("plate", P.PLATE, "vehicle involved"),
                Prop("occurred_at", P.DATETIME, "time of the incident"),
                Prop("mode", P.ENUM, "small boat, lorry …", "crossing_mode"),
                Prop("outcome", P.ENUM, "intercepted, succeeded …", "crossing_outcome"),
                Prop("place_from", P.TEXT, "departure point"),
                Prop("place_to", P.TEXT, "destination"),
                Prop("lat", P.FLOAT, "latitude"),
                Prop("lon", P.FLOAT, "longitude"),
                Prop("people_count", P.INT, "people on board"),
            ),
            slots=("traveller",),
            required=("incident_ref", "occurred_at"),
        ),
        Kind(
            "statements", "statements", "witness statements: a witness said something about someone",
            props=(
                Prop("statement_ref", P.TEXT, "statement reference"),
                Prop("said_at", P.DATETIME, "time of the statement"),
                Prop("relation", P.ENUM, "what the subject did", "statement_relation"),
                Prop("text", P.TEXT, "summary as recorded"),
            ),
            slots=("witness", "subject"),
            required=("statement_ref",),
        ),
        Kind(
            "relations", "relations", "known relationships between two people (FtM Associate and Family)",
            props=(
                Prop("relation_ref", P.TEXT, "reference of the relationship record"),
                Prop("relation_type", P.ENUM, "associate, family …", "relation_type"),
                Prop("relationship", P.TEXT, "the relationship as written (brother, business partner …)"),
                Prop("since", P.DATE, "start of the relationship"),
            ),
            slots=("person", "associate"),
            required=("relation_ref",),
        ),
    )
}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown record kind {name!r}; known kinds: {', '.join(KINDS)}") from None
