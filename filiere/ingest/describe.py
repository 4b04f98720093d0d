"""Text description of the record kinds (for ``filiere kinds``), generated from filiere.model.kinds."""

from __future__ import annotations

from filiere.ingest.normalise.categories import CATEGORY_VOCABULARY, vocabulary_values
from filiere.model.kinds import KINDS, PERSON_PROPS, Kind, Prop, get_kind
from filiere.model.types import PropType


def _prop_line(prefix: str, p: Prop, required: bool) -> str:
    vocab = ""
    if p.ptype is PropType.ENUM and p.vocabulary:
        vocab = f" [{', '.join(vocabulary_values(p.vocabulary))}]"
    elif p.ptype is PropType.CATEGORY:
        vocab = f" [{', '.join(vocabulary_values(CATEGORY_VOCABULARY))}]"
    req = " (required)" if required else ""
    return f"  {prefix}{p.name:<16} {p.ptype.value:<10} {p.doc}{vocab}{req}"


def describe_kind(kind: Kind) -> str:
    required = {o for r in kind.required for o in r.split("|")}
    lines = [f"{kind.name} → table {kind.table}: {kind.doc}"]
    if kind.own_person:
        lines += [_prop_line("", p, p.name in required) for p in (*PERSON_PROPS, *kind.props)]
    else:
        lines += [_prop_line("", p, p.name in required) for p in kind.props]
    if kind.slots:
        lines.append(f"  person slots: {', '.join(kind.slots)} — each takes <slot>.<person property>:")
        lines += [_prop_line("<slot>.", p, False) for p in PERSON_PROPS]
    alternatives = [r for r in kind.required if "|" in r]
    if alternatives:
        lines.append("  at least one of: " + "; ".join(r.replace("|", " / ") for r in alternatives))
    return "\n".join(lines)


def describe_kinds(name: str | None = None) -> str:
    kinds = [get_kind(name)] if name else list(KINDS.values())
    return "\n\n".join(describe_kind(k) for k in kinds)
