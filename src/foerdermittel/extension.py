"""Cost-neutral extension: re-plan what is left of a phase over a longer approval period.

An extension application (MPSC call 2021: up to 31.03.2028, with a *binding drawdown plan*)
keeps the grant and every line's total as decided; only the timing changes. What is booked up
to the key date stays in its months (where no ledger is recorded, the plan of the past months
stands for it); what is left of each line *as decided* — never a forecast overrun — is spread
evenly over the months from the key date's month to the new end. The result is a draft
Änderungsbescheid ([`Amendment`][foerdermittel.model.amendments.Amendment]) that can be evaluated
like a decided one, giving the re-planned drawdown plan;
[`line_totals`][foerdermittel.extension.line_totals] checks it against the decision line by line.

The draft is refused when the approval period has already run out on the key date, or when a
line has booked more than its tolerance allows (ANBest Nr. 1.2, the rulebook's
``line_tolerance``): no cost-neutral plan can keep that line's total, so the lines must be
changed first (an Änderung der Einzelansätze in ``[[amendments]]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel.errors import CaseError, Problem
from foerdermittel.flat_rates import flat_rate_lines, flat_rate_split
from foerdermittel.forecasting import forecast, month_end, months_of
from foerdermittel.message_types import NOTHING, Message, words
from foerdermittel.model.amendments import Amendment, LineChange, PhaseChange
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.money import ZERO, allocate_valid, cents
from foerdermittel.rules.model import Rulebook

__all__ = ["LineTotal", "draft_texts", "extension_amendment", "line_totals", "with_extension"]

WAY_OUT = "eine Änderung der Einzelansätze in [[amendments]]"
"""What the city can do instead, as the refusals say it."""


class LineTotal(BaseModel):
    """Abgleich — one line's total in the re-plan against the decision.

    Attributes:
        line: the line's id.
        decided: the line's total as decided (amendments before the draft included).
        planned: the line's total in the draft.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: str
    decided: Decimal
    planned: Decimal

    @property
    def difference(self) -> Decimal:
        """``planned − decided``: 0 where the draft keeps the line's total."""
        return self.planned - self.decided

    @property
    def matches(self) -> bool:
        """Whether the draft keeps the line's total as decided."""
        return self.planned == self.decided


def line_totals(case: Case, draft: Amendment) -> tuple[LineTotal, ...]:
    """Each line the draft re-plans, its total against the decision (cost neutrality).

    A cost-neutral extension keeps every line's total (grant-law notes: the extension is
    *kostenneutral*; ANBest Nr. 1.2 binds the lines of the financing plan).

    Examples:
        >>> from foerdermittel import load_case
        >>> case = load_case("examples/bochum-mpsc.toml")
        >>> draft = extension_amendment(case, "B", date(2028, 3, 31), as_of=date(2024, 12, 31))
        >>> all(t.matches for t in line_totals(case, draft))
        True
    """
    decided = {line.id: line.total for line in case.amended().plan.lines}
    return tuple(
        LineTotal(
            line=change.line,
            decided=decided.get(change.line, ZERO),
            planned=sum(change.amounts.values(), ZERO),
        )
        for change in draft.lines
    )


def extension_amendment(
    case: Case, phase_id: str, new_end: date, *, as_of: date, lang: str = "de"
) -> Amendment:
    """A draft amendment extending ``phase_id`` to ``new_end``, cost-neutral.

    Booked months stay; where a line has booked more than its total but within the tolerance
    (ANBest Nr. 1.2), the plan keeps the total as decided (filled month by month from the
    booked amounts) and the overrun stays an overrun, named in the draft's note.

    The draft is a document: its id, title and note are words of the language ``lang``
    (German by default), taken from the message catalogue (keys ``extension.…``); the figures
    they name are those of [`draft_texts`][foerdermittel.extension.draft_texts].

    Raises:
        CaseError: the phase does not exist, the new end is not after the current end, the
            phase has already ended on the key date, a line has booked more than its tolerance
            allows, or no month of the new window lies after the key date.

    Examples:
        >>> from foerdermittel import load_case
        >>> a = extension_amendment(load_case("examples/bochum-mpsc.toml"), "B",
        ...                         date(2028, 3, 31), as_of=date(2024, 12, 31))
        >>> a.cost_neutral, a.phases[0].new_end
        (True, datetime.date(2028, 3, 31))
    """
    amended = case.amended()
    phases = {p.id: p for p in amended.grant.phases}
    if phase_id not in phases:
        raise CaseError.single(
            "phase", phase_id, "unbekannte Phase; vorhanden: " + ", ".join(phases)
        )
    phase = phases[phase_id]
    if new_end <= phase.end:
        raise CaseError.single(
            "new_end",
            new_end,
            f"ist keine Verlängerung: Phase {phase_id} endet bereits am {phase.end:%d.%m.%Y}",
        )
    if phase.end < as_of:
        raise CaseError.single(
            "as_of",
            as_of,
            f"Phase {phase_id} endete am {phase.end:%d.%m.%Y}, vor dem Stichtag: ein "
            "abgelaufener Bewilligungszeitraum lässt sich nicht mehr verlängern; was sich an "
            f"den Ansätzen geändert hat, braucht {WAY_OUT}",
        )
    window = [m for m in months_of(phase.start, new_end) if month_end(m) > as_of]
    if not window:
        raise CaseError.single(
            "as_of", as_of, "nach dem Stichtag bleibt kein Monat der verlängerten Phase"
        )
    spending = forecast(amended, as_of)
    rulebook = case.rulebook()[0]
    tolerance = rulebook.line_tolerance
    fixed = amended.grant.financing_type is FinancingType.FESTBETRAG
    bound = not fixed or tolerance.applies_to_fixed_amount
    problems: list[Problem] = []
    overruns: list[tuple[str, Decimal]] = []
    changes: list[LineChange] = []
    for line in amended.plan.lines_of(phase_id):
        lf = spending.line(line.id)
        past = {m.month: m.forecast for m in lf.months if month_end(m.month) <= as_of}
        spent = sum(past.values(), ZERO)
        allowed = line.total + cents(line.total * tolerance.overrun)
        if bound and not line.official_condition and spent > allowed:
            problems.append(
                Problem(
                    f"plan.lines[{line.id}]",
                    spent,
                    f"verbucht {fmt.money(spent)}, Ansatz {fmt.money(line.total)}: mehr als "
                    f"{fmt.percent(tolerance.overrun)} darüber ({tolerance.source}) — kein "
                    f"kostenneutraler Plan hält diese Summe; zuerst {WAY_OUT}",
                )
            )
            continue
        if spent > line.total:
            overruns.append((line.id, spent - line.total))
        monthly: dict[date, Decimal] = {}
        room = line.total
        for month, amount in sorted(past.items()):
            kept = min(amount, room) if amount > 0 else amount
            room -= kept
            if kept:
                monthly[month] = kept
        remaining = max(room, ZERO)
        for month, part in zip(
            window, allocate_valid(remaining, [Decimal(1)] * len(window)), strict=True
        ):
            if part:
                monthly[month] = monthly.get(month, ZERO) + part
        amounts: dict[int, Decimal] = {}
        for month, amount in monthly.items():
            amounts[month.year] = amounts.get(month.year, ZERO) + amount
        changes.append(
            LineChange(
                line=line.id,
                amounts={y: a for y, a in sorted(amounts.items()) if a},
                monthly={f"{m:%Y-%m}": a for m, a in sorted(monthly.items()) if a},
            )
        )
    if problems:
        raise CaseError(problems)
    changes = _flat_rates_follow(amended, rulebook, changes)
    ident, title, note = draft_texts(phase_id, new_end, overruns)
    return Amendment(
        id=words(ident, lang),
        title=words(title, lang),
        decided_on=max(as_of, max((a.decided_on for a in case.amendments), default=as_of)),
        phases=(PhaseChange(phase=phase_id, new_end=new_end),),
        lines=tuple(changes),
        note=words(note, lang),
    )


def draft_texts(
    phase_id: str, new_end: date, overruns: Sequence[tuple[str, Decimal]] = ()
) -> tuple[Message, Message, Message]:
    """The id, title and note of an extension draft, as messages with their figures.

    ``overruns`` are the lines that have booked more than their total, within the tolerance,
    each with the amount above it; the note names them.

    Examples:
        >>> ident, title, note = draft_texts("B", date(2028, 3, 31), [("B-3.3", Decimal(100))])
        >>> words(ident), words(ident, "en")
        ('Verlängerung B (Entwurf)', 'Extension B (draft)')
        >>> title.params["new_end"]
        datetime.date(2028, 3, 31)
    """
    more = NOTHING
    for line, amount in reversed(overruns):  # each names the next: "; a; b"
        more = Message.of("extension.overrun", line=line, amount=amount, more=more)
    return (
        Message.of("extension.draft-id", phase=phase_id),
        Message.of("extension.draft-title", phase=phase_id, new_end=new_end),
        Message.of("extension.draft-note", overruns=more),
    )


def _flat_rates_follow(
    case: Case, rulebook: Rulebook, changes: list[LineChange]
) -> list[LineChange]:
    """Each flat-rate line re-planned as rate × its re-planned base, month by month.

    Spread on its own, a flat-rate line would miss rate × its base in a year by a cent; taken
    from its base with [`flat_rate_split`][foerdermittel.flat_rates.flat_rate_split] (rounded
    down on the running total) it keeps its total and fits every year.
    """
    by_line = {change.line: change for change in changes}
    for flat in flat_rate_lines(case.plan, rulebook):
        if flat.line not in by_line:
            continue
        base: dict[str, Decimal] = {}
        for line in flat.base_lines:
            for month, amount in (by_line[line].monthly or {}).items():
                base[month] = base.get(month, ZERO) + amount
        monthly = {m: a for m, a in flat_rate_split(flat.rate, base).items() if a}
        amounts: dict[int, Decimal] = {}
        for month, amount in monthly.items():
            amounts[int(month[:4])] = amounts.get(int(month[:4]), ZERO) + amount
        by_line[flat.line] = LineChange(line=flat.line, amounts=amounts, monthly=monthly)
    return [by_line[change.line] for change in changes]


def with_extension(
    case: Case, phase_id: str, new_end: date, *, as_of: date, lang: str = "de"
) -> Case:
    """The case with the draft extension added to its amendments (validated again)."""
    draft = extension_amendment(case, phase_id, new_end, as_of=as_of, lang=lang)
    data = case.model_dump()
    data["amendments"] = [*data["amendments"], draft.model_dump()]
    return Case.from_data(data)
