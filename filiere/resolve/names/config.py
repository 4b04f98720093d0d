"""Switches for each name-matching choice, so every choice can be measured on and off (see bench/names.py)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class NameConfig:
    """Which name-matching features are on. The default has everything on; ablations turn one off at a time."""

    arabic_rules: bool = True  # rule-based Arabic-script → Latin (else generic ICU transliteration)
    particles: bool = True  # drop al-/el-/bin/ibn/ould…, join abd/abdel/abdul with the following token
    variants: bool = True  # map tokens to a variant-group canonical form (lexicon + rigour name groups)
    known_different: bool = True  # two tokens in different known variant groups count as a mismatch
    skeleton: bool = True  # consonant skeleton agreement counts as a near match
    phonetic: bool = True  # same phonetic key (t/d, s/z, b/p, f/v, k/g/j/q merged) counts as a near match
    order_free: bool = True  # tokens are aligned regardless of order (else position by position)
    order_penalty: bool = True  # an alignment that is not the same order or a rotation of it costs a little
    joined: bool = True  # also compare the names with spaces removed (joined / split words)
    initials: bool = True  # a one-letter token matches a token with that initial

    def without(self, feature: str) -> NameConfig:
        """This configuration with one feature turned off."""
        if feature not in {f.name for f in fields(self)}:
            raise ValueError(f"unknown name feature {feature!r}")
        return replace(self, **{feature: False})


DEFAULT_CONFIG = NameConfig()
FEATURES: tuple[str, ...] = tuple(f.name for f in fields(NameConfig))
