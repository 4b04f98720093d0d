"""Verbs of entity resolution: resolve, explain, judge, entities, evaluate."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path

import typer

from filiere import audit
from filiere.cli.common import console, handle_errors, say
from filiere.errors import UsageError
from filiere.model.vocab import LogAction
from filiere.resolve.phones import SWAP_MATCHINGS, SwapParams
from filiere.resolve.splink_model import DEFAULT_THRESHOLD
from filiere.workspace import Workspace

SwapMatching = Enum("SwapMatching", {m: m for m in SWAP_MATCHINGS}, type=str)  # choices of --swap-matching


@handle_errors
def resolve_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold",
                                    help="Match probability at or above which two mentions are merged."),
    swap_threshold: float = typer.Option(SwapParams().merge_threshold, "--swap-threshold",
                                         help="Lowest score (shared-contact Jaccard × time factor) at which a "
                                              "phone-swap candidate may be merged (one successor and one "
                                              "predecessor per number)."),
    swap_country_change: bool = typer.Option(
        SwapParams().country_change, "--swap-country-change/--no-swap-country-change",
        help="Allow a phone swap to a number of another country (off: a burner is bought where it is used)."),
    swap_matching: SwapMatching = typer.Option(
        SwapParams().matching, "--swap-matching", case_sensitive=False,
        help="How swap links are chosen, one per number and direction: 'optimal' (the largest total of shared "
             "contacts) or 'greedy' (the strongest link first)."),
    reason: str = typer.Option(None, "--reason", help="Case reference and purpose, for the processing log."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
) -> None:
    """(Re)build resolved persons, phones, vehicles and accounts; analysts' judgements are honoured."""
    from filiere.resolve.stage import resolve

    with Workspace.open(workspace) as ws:
        swap = SwapParams(merge_threshold=swap_threshold, country_change=swap_country_change,
                          matching=swap_matching.value)
        result = resolve(ws, threshold=threshold, reason=reason, swap=swap)
    if as_json:
        console.print_json(json.dumps(result.as_dict()))
        return
    say(f"resolved {result.mentions:,} person mentions into [bold]{result.persons:,}[/bold] persons "
        f"({result.merge_edges:,} pairs at p ≥ {result.threshold}; judgements: {result.judgements_same} same, "
        f"{result.judgements_different} different) in {result.seconds:.1f} s")
    say(f"phones {result.phones:,} (swap links {result.phone_links:,}, merged {result.phone_links_merged:,} into "
        f"{result.swap_lines:,} lines), label-only persons attached by rule {result.label_attachments:,}, "
        f"vehicles {result.vehicles:,}, accounts {result.accounts:,}; run {result.run_id}")
    if result.kept_apart_victim_suspect:
        say(f"kept apart: {result.kept_apart_victim_suspect:,} group(s) of records the scores would join held a "
            "record of a victim and one of a suspect — never one person without an analyst's decision "
            "('filiere explain' shows the pairs kept apart; 'filiere judge … --same' joins them)")
    if result.kept_apart_identities:
        say(f"kept apart: {result.kept_apart_identities:,} person(s) the links joined held records of two identities "
            "(full names and birth dates years apart) and were split ('filiere explain' shows the pairs; "
            "'filiere judge … --same' joins them)")
    for a, b in result.refused_same:
        say(f"[yellow]warning[/yellow]: 'same' judgement {a} ~ {b} not applied: it contradicts a 'different' one")


@handle_errors
def explain_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    person_id: str = typer.Argument(..., help="Person id (P-…), see 'filiere entities WS persons'."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The mentions merged into a person and the evidence for every merge."""
    from filiere.resolve.explain import explain, format_text

    with Workspace.open(workspace) as ws:
        ex = explain(ws, person_id)
        with ws.transaction():
            audit.append(ws, LogAction.CONSULTATION, f"explain {person_id}", None,
                         details={"mentions": len(ex.mentions)})
    if as_json:
        typer.echo(json.dumps(ex.as_dict(), default=str, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_text(ex))


@handle_errors
def judge_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    mention_a: str = typer.Argument(None, help="First mention id."),
    mention_b: str = typer.Argument(None, help="Second mention id."),
    same: bool = typer.Option(False, "--same", help="The two mentions are the same person."),
    different: bool = typer.Option(False, "--different", help="The two mentions are different persons."),
    revoke: str = typer.Option(None, "--revoke", help="Withdraw the judgement with this id."),
    reason: str = typer.Option(None, "--reason", help="Why (required)."),
) -> None:
    """Record an analyst's same/different decision (or revoke one); applied by the next 'filiere resolve'."""
    from filiere.resolve import judgements

    with Workspace.open(workspace) as ws:
        if revoke:
            if mention_a or mention_b or same or different:
                raise UsageError("--revoke takes only a judgement id and --reason")
            judgements.revoke(ws, revoke, reason)
            say(f"revoked {revoke}; run 'filiere resolve {workspace}' to apply")
            return
        if same == different:
            raise UsageError("say either --same or --different")
        if not mention_a or not mention_b:
            raise UsageError("give two mention ids (see 'filiere entities WS persons')")
        j = judgements.add(ws, mention_a, mention_b, "same" if same else "different", reason)
    say(f"recorded {j.judgement_id}: {j.mention_id_a} {j.decision} {j.mention_id_b}; "
        f"run 'filiere resolve {workspace}' to apply")


@handle_errors
def entities_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    entity: str = typer.Argument(..., help="persons, phones, vehicles or accounts."),
    fmt: str = typer.Option("csv", "--format", help="csv or json (JSON lines)."),
    reason: str = typer.Option(None, "--reason", help="Why the export is made, for the processing log."),
) -> None:
    """Write resolved entities to stdout; persons: one row per mention with file, row, slot, person_id."""
    from filiere.resolve.entities import entity_rows

    if fmt not in ("csv", "json"):
        raise UsageError(f"--format must be csv or json, not {fmt!r}")
    with Workspace.open(workspace) as ws:
        columns, rows = entity_rows(ws, entity)
        n = 0
        if fmt == "csv":
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow(row)
                n += 1
        else:
            for row in rows:
                sys.stdout.write(json.dumps(dict(zip(columns, row, strict=True)), default=str,
                                            ensure_ascii=False) + "\n")
                n += 1
        sys.stdout.flush()
        with ws.transaction():
            audit.append(ws, LogAction.CONSULTATION, f"entities {entity} exported ({n} rows)", reason,
                         details={"entity": entity, "rows": n, "format": fmt})


@handle_errors
def evaluate_cmd(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    answer_key: Path = typer.Option(..., "--answer-key", help="Directory holding mentions.csv."),
    exclude_slot: list[str] = typer.Option([], "--exclude-slot",
                                           help="Leave out mentions of this slot (repeatable), e.g. contact."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Pairwise and B-cubed precision/recall/F1 of the person resolution against an answer key."""
    from filiere.resolve.evaluate import evaluate_workspace

    with Workspace.open(workspace, read_only=True) as ws:
        ev = evaluate_workspace(ws, answer_key, tuple(exclude_slot))
    if as_json:
        typer.echo(json.dumps(ev.as_dict(), indent=2))
        return
    s = ev.scores
    say(f"scored {ev.matched_mentions:,} of {ev.key_mentions:,} answer-key mentions "
        f"({ev.unmatched_key_mentions:,} not found in the workspace)")
    say(f"pairwise  P {s.pairwise_precision:.4f}  R {s.pairwise_recall:.4f}  F1 {s.pairwise_f1:.4f}")
    say(f"B-cubed   P {s.bcubed_precision:.4f}  R {s.bcubed_recall:.4f}  F1 {s.bcubed_f1:.4f}")
    for slot, sc in ev.by_slot.items():
        say(f"  slot {slot:12s} n={sc.n_mentions:6d}  pairwise F1 {sc.pairwise_f1:.4f}  B-cubed F1 {sc.bcubed_f1:.4f}")


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve_cmd)
    app.command("explain")(explain_cmd)
    app.command("judge")(judge_cmd)
    app.command("entities")(entities_cmd)
    app.command("evaluate")(evaluate_cmd)
