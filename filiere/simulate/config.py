"""Sizes of the simulated world and the options of one run."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from filiere.errors import UsageError

AGENCY_CODES = ("fr", "uk", "be")


@dataclass(frozen=True)
class SizeConfig:
    name: str
    networks: int  # smuggling networks
    migrants: int  # migrants passing through the coast during the period
    background: int  # residents, lorry drivers, aid workers, families abroad
    calls: int  # call events to generate
    days: int  # length of the period
    anpr_reads: int  # number-plate camera reads (all vehicles)


SIZES: dict[str, SizeConfig] = {
    "small": SizeConfig("small", networks=3, migrants=300, background=3_000, calls=30_000, days=120,
                        anpr_reads=4_000),
    "medium": SizeConfig("medium", networks=10, migrants=3_000, background=40_000, calls=1_000_000, days=240,
                         anpr_reads=60_000),
    "large": SizeConfig("large", networks=12, migrants=8_000, background=120_000, calls=10_000_000, days=365,
                        anpr_reads=300_000),
}

START_DATE = date(2025, 6, 2)  # a Monday; fixed so that runs never depend on the clock


@dataclass(frozen=True)
class RunOptions:
    size: SizeConfig
    seed: int
    agencies: tuple[str, ...] = ("fr", "uk", "be")
    dirty: bool = False
    calls_chunk: int = 1_000_000  # calls per time window (bounds memory)


def size_for_calls(calls: int) -> str:
    """The world size used when only ``--calls`` is given."""
    if calls > 2_000_000:
        return "large"
    if calls > 100_000:
        return "medium"
    return "small"


def make_options(size: str | None, seed: int, calls: int | None = None, agencies: str | None = None,
                 dirty: bool = False, networks: int | None = None) -> RunOptions:
    if size is None:
        size = size_for_calls(calls) if calls else "small"
    if size not in SIZES:
        raise UsageError(f"unknown size {size!r}; expected one of {', '.join(SIZES)}")
    cfg = SIZES[size]
    if calls is not None:
        if calls < 1_000:
            raise UsageError("--calls must be at least 1000")
        cfg = replace(cfg, calls=calls)
    if networks is not None:
        if networks < 1:
            raise UsageError("--networks must be at least 1")
        cfg = replace(cfg, networks=networks)
    codes: tuple[str, ...] = AGENCY_CODES
    if agencies:
        codes = tuple(a.strip().lower() for a in agencies.split(",") if a.strip())
        unknown = [a for a in codes if a not in AGENCY_CODES]
        if unknown or not codes:
            raise UsageError(f"unknown agency {', '.join(unknown) or agencies!r}; expected some of "
                             f"{', '.join(AGENCY_CODES)}")
        codes = tuple(a for a in AGENCY_CODES if a in codes)
    return RunOptions(size=cfg, seed=seed, agencies=codes, dirty=dirty)
