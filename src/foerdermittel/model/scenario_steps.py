"""Scenario steps: "what if" as small immutable values, each a function from a case to a case.

A step's [`apply`][foerdermittel.model.scenario.Step.apply] takes a case and returns the changed
case with its notes; it never changes the case it is given (a case is frozen) and builds only
the parts that change, with ``model_copy``: the changed budget lines, the plan, the grant, the
records. What it builds from values the case model already accepted is not validated again
field by field; a [`Scenario`][foerdermittel.model.scenario.Scenario] checks its final case
once, since a step can build what the case model refuses (an amount beyond the plausible range,
a month outside the phase, an id that is taken).

On a key date (with a [`Situation`][foerdermittel.model.scenario.Situation]) the steps change
only what is not yet booked; vouchers and recorded payouts stay as they are. A step that can
change nothing any more, or that the case cannot take any more on the key date, says so in a
note.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from foerdermittel._moved import deprecated
from foerdermittel.errors import ArgumentTypeError, CaseError
from foerdermittel.frozen import FrozenMap, ReadOnlyMap
from foerdermittel.message_types import Message, Subject, words
from foerdermittel.model.amending import latest_end
from foerdermittel.model.amendments import Amendment, PhaseChange
from foerdermittel.model.dates import CaseDate, date_range, supported_dates
from foerdermittel.model.ids import DistinctYears
from foerdermittel.model.plan import BudgetLine, FundingSource, SourceKind
from foerdermittel.model.records import Expenditure
from foerdermittel.model.scenario_progress import (
    Situation,
    _shifted,
    planned_by_month,
)
from foerdermittel.model.scenario_select import (
    _ends,
    _first_months,
    _lines,
    _phase,
    _signed,
    _unchanged,
    _with_lines,
)
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import (
    ZERO,
    NonNegativeMoney,
    Rate,
    _largest_remainder,
    allocate_valid,
    cents,
    from_cents,
    to_cents,
)

if TYPE_CHECKING:
    from foerdermittel.model.case import Case

__all__ = [
    "AddThirdParty",
    "ChangeRate",
    "DropLine",
    "ExtendPhase",
    "ScaleLine",
    "SetActual",
    "ShiftLine",
    "Step",
]

Notes = tuple[Message, ...]
"""What a step says besides its change, e.g. that a line is fully booked."""


class Step(BaseModel):
    """One step of a scenario: a pure function from a case to the changed case.

    [`ScaleLine`][foerdermittel.model.scenario.ScaleLine],
    [`ShiftLine`][foerdermittel.model.scenario.ShiftLine],
    [`ExtendPhase`][foerdermittel.model.scenario.ExtendPhase],
    [`AddThirdParty`][foerdermittel.model.scenario.AddThirdParty],
    [`ChangeRate`][foerdermittel.model.scenario.ChangeRate],
    [`DropLine`][foerdermittel.model.scenario.DropLine] and
    [`SetActual`][foerdermittel.model.scenario.SetActual] derive from it; each says in its
    ``kind`` which it is.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def apply(self, case: Case, at: Situation | None = None) -> tuple[Case, Notes]:
        """The case as this step changes it, and the step's notes as messages.

        ``case`` is left as it is: the result is a new case that shares every part the step
        does not change. It is not checked against the case's rules that span several parts
        (ids that must match, months inside the phase, plausible amounts);
        [`Scenario.applied`][foerdermittel.model.scenario.Scenario.applied] checks its final
        case once, so run a step through a scenario unless you check the result yourself.

        With ``at`` (the situation on a key date) only what is not yet booked changes, and the
        situation's open rest follows the step.

        Before, a step changed a dumped case (a dict) in place and returned only the notes. A
        dict is refused now; where code holds one, ``changed, notes =
        step.apply(Case.from_data(data), at)`` gives the same, and ``changed.model_dump()`` the
        changed dict.

        Raises:
            CaseError: the step does not fit the case (unknown line or phase, an extension that
                does not extend, …).
            ArgumentTypeError: ``case`` is a dict, not a case.
        """
        if isinstance(case, dict):
            raise ArgumentTypeError(
                f"{type(self).__name__}.apply",
                "case",
                "dict",
                "ein Förderfall (Case) erwartet; aus einem dict macht ihn Case.from_data, und "
                "der Schritt gibt den geänderten Fall zurück, statt das dict zu ändern",
            )
        return self._changed(case, at)

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        raise NotImplementedError


class ScaleLine(Step):
    """A line (or all lines of a group) costs ``percent`` more (or less, if negative).

    The planned amounts grow, each year's amount times ``1 + percent/100`` rounded half up to
    the cent; the decision does not: eligible expenditure and grant stay as decided, so the
    finance office sees the overrun against the plan. On a key date (with a
    [`Situation`][foerdermittel.model.scenario.Situation]) only what is still open changes:
    booked vouchers stay as they are and the rest of the line costs ``percent`` more, spread
    over its open months to the cent; a line that is fully booked is left as it is, with a
    note.

    Examples:
        >>> words(ScaleLine(line="B-1.1", percent=Decimal(20)).summary)
        'B-1.1: Kosten +20 %'
    """

    kind: Literal["scale_line"] = Field(
        default="scale_line", description="Art des Schritts: Kosten eines Ansatzes ändern"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")
    percent: Decimal = Field(
        ge=-100, le=10_000, description="Änderung in Prozent, z. B. 20 oder -10 (-100 bis 10000)"
    )

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        factor = 1 + self.percent / 100
        if factor < 0:
            raise CaseError.single("percent", self.percent, "Kosten können nicht negativ werden")
        done: list[BudgetLine] = []
        changed: dict[str, BudgetLine] = {}
        starts = _first_months(case)
        for line in _lines(case, self.line):
            if at is None:
                amounts = sorted((y, cents(a * factor)) for y, a in line.amounts.items())
                changed[line.id] = line.model_copy(
                    update={"amounts": FrozenMap(amounts), "monthly": None, "stated_total": None}
                )
                continue
            rest = at.rest(line.id)
            if not rest:
                done.append(line)
                continue
            # the rest as a whole costs `percent` more, spread over its months to the cent
            # (allocate by the months' open amounts, in integer cents)
            total = to_cents(cents(sum(rest.values(), ZERO) * factor))
            weights = [to_cents(a) if a > 0 else 0 for a in rest.values()]
            if not any(weights):
                weights = [1] * len(rest)
            sign = -1 if total < 0 else 1
            split = _largest_remainder(abs(total), weights) if total else [0] * len(rest)
            parts = [from_cents(sign * c) for c in split]
            changed[line.id] = at.write(
                line, dict(zip(rest, parts, strict=True)), starts[line.phase]
            )
        notes = tuple(_unchanged(case, at, done, "scale")) if at and done else ()
        return _with_lines(case, changed), notes

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of("scenario.step.scale", line=self.line, change=_signed(self.percent))

    def describe(self) -> str:
        """Deprecated: the German description; renderers render ``summary``."""
        deprecated(f"{type(self).__name__}.describe()", f"{type(self).__name__}.summary")
        return words(self.summary)


class ShiftLine(Step):
    """A line's (or a group's) spending slips by ``months`` (a delay; earlier if negative).

    Each budget year's amount is spread evenly over its months in the phase (explicit monthly
    amounts are kept; a monthly profile is not),
    every month moves by ``months``, and the line keeps the moved amounts month by month.
    What moves past the end of the approval period is no longer eligible: it leaves the line and
    becomes ineligible expenditure of the plan (``plan.ineligible``), which the city carries
    alone — unless the phase is extended too
    ([`ExtendPhase`][foerdermittel.model.scenario.ExtendPhase], applied first). What would move
    before the phase starts stays in its first month.

    On a key date (with a [`Situation`][foerdermittel.model.scenario.Situation]) only what is
    still open moves, month by month as the forecast expects it: booked vouchers stay in their
    months, and nothing moves before the first open month. A delay so moves money in time and
    never changes what the project costs; only expenditure inside the approval period is
    eligible (ANBest Nr. 1 with the decision), so what leaves it is the city's alone.

    Examples:
        >>> words(ShiftLine(line="phase:B", months=12).summary)
        'phase:B: Ausgaben +12 Monate verschoben'
    """

    kind: Literal["shift_line"] = Field(
        default="shift_line", description="Art des Schritts: Ausgaben verschieben"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")
    months: int = Field(
        ge=-1200, le=1200, description="Verschiebung in Monaten (höchstens 100 Jahre)"
    )

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        ends = _ends(case)
        starts = _first_months(case)
        ineligible: dict[int, Decimal] = dict(case.plan.ineligible)
        done: list[BudgetLine] = []
        changed: dict[str, BudgetLine] = {}
        for line in _lines(case, self.line):
            first = starts[line.phase]
            last = ends[line.phase].replace(day=1)
            if at is None:
                source, floor = _months(line, first, last), first
            else:
                source = at.rest(line.id)
                if not source:
                    done.append(line)
                    continue
                floor = max(first, min(source))
            monthly = _shifted(source, self.months, floor, last, ineligible)
            if at is None:
                changed[line.id] = planned_by_month(line, monthly)
            else:
                # the months are built here, each amount added to ZERO as write would add it
                changed[line.id] = at._written(line, monthly, first)
        notes = tuple(_unchanged(case, at, done, "shift")) if at and done else ()
        return _with_lines(case, changed, ineligible=FrozenMap(sorted(ineligible.items()))), notes

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of(
            "scenario.step.shift",
            line=self.line,
            months=_signed(self.months),
            count=abs(self.months),
        )

    def describe(self) -> str:
        """Deprecated: the German description; renderers render ``summary``."""
        deprecated(f"{type(self).__name__}.describe()", f"{type(self).__name__}.summary")
        return words(self.summary)


def _months(line: BudgetLine, first: date, last: date) -> dict[date, Decimal]:
    """A line's planned amounts per month (explicit months, or each year spread evenly)."""
    if line.monthly:
        return {date(int(k[:4]), int(k[5:]), 1): v for k, v in line.monthly.items()}
    result: dict[date, Decimal] = {}
    for year, amount in line.amounts.items():
        months = [date(year, m, 1) for m in range(1, 13) if first <= date(year, m, 1) <= last]
        if not months:
            continue
        for month, part in zip(
            months, allocate_valid(amount, [Decimal(1)] * len(months)), strict=True
        ):
            result[month] = part
    return result


class ExtendPhase(Step):
    """The funder extends a phase cost-neutrally to ``new_end`` (an Änderungsbescheid).

    The step adds the amendment to the case: decided on ``decided_on``, or else on the day of
    the latest decision the case knows. The amendment is case data: its id and title are German
    words from the catalogue (``scenario.amendment-…``), the language of the case file.

    On a key date the step notes when the case can no longer take it: the phase has already
    ended (a period that has run out cannot be extended any more: the grant's purpose period
    is over, § 36 Abs. 2 Nr. 1 VwVfG with the decision), the programme's extension offer has
    closed (MPSC call 2021: declaration by 31.12.2024, application by 31.01.2025 — the
    rulebook's milestones ``extension-declaration`` and ``extension-application``), or
    ``new_end`` lies after the programme's latest end. The scenario is then a what-if the funder
    would have to decide.
    """

    kind: Literal["extend_phase"] = Field(
        default="extend_phase", description="Art des Schritts: Phase verlängern"
    )
    phase: str = Field(description="Kennung der Phase")
    new_end: CaseDate = Field(description="neues Ende")
    decided_on: CaseDate | None = Field(default=None, description="Datum der Änderung")

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        current = latest_end(_phase(case, self.phase), case.amendments)
        if self.new_end <= current:
            raise CaseError.single(
                "new_end", self.new_end, f"ist keine Verlängerung (Ende bisher {current})"
            )
        decided = self.decided_on or max(
            [case.grant.decision_date, *(a.decided_on for a in case.amendments)]
        )
        amendment = Amendment.model_construct(
            # ids are unique: a second extension of the phase gets its own
            id=words(Message.of("scenario.amendment-id", phase=self.phase, new_end=self.new_end)),
            title=words(Message.of("scenario.amendment-title", new_end=self.new_end)),
            decided_on=decided,
            phases=(PhaseChange.model_construct(phase=self.phase, new_end=self.new_end),),
            lines=(),
        )
        changed = case.model_copy(update={"amendments": (*case.amendments, amendment)})
        if at is None:
            return changed, ()
        notes = []
        if current < at.progress.as_of:
            notes.append(
                Message.of(
                    "scenario.note.period-over", phase=Subject("phase", self.phase), end=current
                )
            )
        elif at.progress.extension_closure is not None:
            notes.append(Message.of("scenario.note.what-if", why=at.progress.extension_closure))
        ceiling = at.progress.extension_ceiling
        if ceiling is not None and self.new_end > ceiling:
            notes.append(Message.of("scenario.note.ceiling", ceiling=ceiling))
        return changed, tuple(notes)

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of(
            "scenario.step.extend", phase=Subject("phase", self.phase), new_end=self.new_end
        )

    def describe(self) -> str:
        """Deprecated: the German description; renderers render ``summary``."""
        deprecated(f"{type(self).__name__}.describe()", f"{type(self).__name__}.summary")
        return words(self.summary)


class AddThirdParty(Step):
    """Third-party money (e.g. from a municipal company) joins the plan of a phase.

    It is a new funding source ``S-<n>`` of the plan, ``n`` the first number after the plan's
    count of sources that no source has yet.
    """

    kind: Literal["add_third_party"] = Field(
        default="add_third_party", description="Art des Schritts: Drittmittel hinzufügen"
    )
    phase: str = Field(description="Kennung der Phase")
    amount: NonNegativeMoney = Field(description="Betrag")
    title: str = Field(default="Drittmittel (Szenario)", description="Geber")
    public: bool = Field(default=False, description="andere öffentliche Förderung statt Dritter")

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        _phase(case, self.phase)
        sources = case.plan.sources
        taken = {source.id for source in sources}
        number = len(taken) + 1
        while f"S-{number}" in taken:  # ids are unique: skip a number the plan already uses
            number += 1
        source = FundingSource.model_construct(
            id=f"S-{number}",
            kind=SourceKind.OTHER_PUBLIC if self.public else SourceKind.THIRD_PARTY,
            title=self.title,
            phase=self.phase,
            amount=self.amount,
        )
        plan = case.plan.model_copy(update={"sources": (*sources, source)})
        return case.model_copy(update={"plan": plan}), ()

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        kind = "other_public" if self.public else "third_party"
        return Message.of(
            "scenario.step.add-third-party",
            phase=Subject("phase", self.phase),
            amount=self.amount,
            kind=Message.of(f"source-kind.{kind}"),
            title=self.title,
        )

    def describe(self) -> str:
        """Deprecated: the German description; renderers render ``summary``."""
        deprecated(f"{type(self).__name__}.describe()", f"{type(self).__name__}.summary")
        return words(self.summary)


class ChangeRate(Step):
    """The rate tier changes (e.g. the city qualifies for the 90 % Haushaltsnotlage tier).

    The grant's rate becomes ``rate`` (or the tier's rate of the programme; where that rate is
    only the maximum, ``tiers.<tier>.up_to``, a note says the decision sets the rate and the
    scenario reckons with the maximum); the decision's Höchstbetrag (``grant.max_amount``) and
    stated amounts are dropped, since a new decision would set them anew: the new rate then
    applies to the whole eligible expenditure (VV Nr. 2.3 zu § 44 BHO: the Höchstbetrag is part
    of the decision). So do the rates and the grant's Höchstbetrag an amendment set: the new rate
    replaces them as well. The notes say so, with the Höchstbetrag in force that goes. The rate
    tier is fixed in the decision (the Zusage): after it, another tier is a what-if the funder
    must decide, and the notes say that too.
    """

    kind: Literal["change_rate"] = Field(
        default="change_rate", description="Art des Schritts: Förderquote ändern"
    )
    tier: str | None = Field(default=None, description="Förderquotenstufe, z. B. haushaltsnotlage")
    rate: Rate | None = Field(default=None, description="Förderquote")

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        grant = case.grant
        rate = self.rate
        up_to: Message | None = None
        if rate is None:
            from foerdermittel import rules

            programme = grant.loaded_programme or (
                rules.get_programme(grant.programme) if grant.programme is not None else None
            )
            if programme is None or self.tier is None:
                raise CaseError.single("rate", None, "ohne Programm braucht es eine Förderquote")
            tiers = programme.rates
            if self.tier not in tiers:
                raise CaseError.single(
                    "tier", self.tier, "unbekannte Stufe; vorhanden: " + ", ".join(tiers)
                )
            rate = tiers[self.tier]
            described = programme.tiers.get(self.tier)
            if described is not None and described.up_to:
                up_to = Message.of("scenario.note.rate-up-to-not-set", tier=self.tier, rate=rate)
        notes = [] if up_to is None else [up_to]
        cap = case.amended().grant.max_amount  # the Höchstbetrag in force, amendments applied
        if cap is not None:
            notes.append(Message.of("scenario.note.cap-dropped", cap=cap, rate=rate))
        if at is not None and at.progress.as_of >= grant.decision_date:
            notes.append(Message.of("scenario.note.rate-decided", decided=grant.decision_date))
        phases = tuple(
            phase if phase.rate is None else phase.model_copy(update={"rate": None})
            for phase in grant.phases
        )
        update: dict[str, Any] = {
            "rate": rate,
            "max_amount": None,
            "stated_grant": None,
            "stated_own_share": None,
            "phases": phases,
        }
        if self.tier is not None:
            update["rate_tier"] = self.tier
        changed = {"grant": grant.model_copy(update=update)}
        return case.model_copy(update=changed | _rate_set_anew(case)), tuple(notes)

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        parts = []
        if self.rate is not None:
            parts.append(Message.of("scenario.step.rate", rate=self.rate))
        if self.tier is not None:
            parts.append(Message.of("scenario.step.tier", tier=self.tier))
        if not parts:
            return Message.of("scenario.step.rate-unchanged")
        return Message.of("scenario.step.change-rate", parts=tuple(parts))

    def describe(self) -> str:
        """Deprecated: the German description; renderers render ``summary``."""
        deprecated(f"{type(self).__name__}.describe()", f"{type(self).__name__}.summary")
        return words(self.summary)


def _rate_set_anew(case: Case) -> dict[str, Any]:
    """The amendments without the rates and the grant's Höchstbetrag a new rate sets anew.

    An amendment's rate (of the grant or a phase) or Höchstbetrag of the grant would otherwise
    come back when the case is amended; a phase change left with nothing to change goes.
    """
    kept: list[Amendment] = []
    for amendment in case.amendments:
        if (
            amendment.rate is None
            and amendment.max_amount is None
            and all(c.rate is None for c in amendment.phases)
        ):
            kept.append(amendment)
            continue
        phases = tuple(
            c.model_copy(update={"rate": None})
            for c in amendment.phases
            if c.rate is None
            or c.new_end is not None
            or c.eligible_expenditure is not None
            or c.max_amount is not None
        )
        kept.append(
            amendment.model_copy(update={"rate": None, "max_amount": None, "phases": phases})
        )
    return {"amendments": tuple(kept)} if kept != list(case.amendments) else {}


class DropLine(Step):
    """A line (or a group) is dropped: its plan and its recorded spending go.

    With the line go its vouchers and what amendments moved to it. On a key date (with a
    [`Situation`][foerdermittel.model.scenario.Situation]) a line that has booked vouchers
    keeps them: only its open rest goes, and a note says what stays.
    """

    kind: Literal["drop_line"] = Field(
        default="drop_line", description="Art des Schritts: Ansatz streichen"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        chosen = _lines(case, self.line)
        notes: list[Message] = []
        kept: dict[str, BudgetLine] = {}
        if at is not None:
            starts = _first_months(case)
            done = []
            for line in [line for line in chosen if at.booked(line.id)]:
                booked = sum(at.booked(line.id).values(), ZERO)
                if at.rest(line.id):
                    notes.append(
                        Message.of("scenario.note.booked-stays", line=line.id, booked=booked)
                    )
                else:
                    done.append(line)
                kept[line.id] = at.write(line, {}, starts[line.phase])
            notes += _unchanged(case, at, done, "drop") if done else []
        gone = {line.id for line in chosen if line.id not in kept}
        plan = case.plan.model_copy(
            update={
                "lines": tuple(
                    kept.get(line.id, line) for line in case.plan.lines if line.id not in gone
                )
            }
        )
        update: dict[str, Any] = {"plan": plan}
        if gone:
            update["expenditures"] = _vouchers_outside(case, gone)
            update["amendments"] = tuple(
                a.model_copy(update={"lines": tuple(c for c in a.lines if c.line not in gone)})
                if any(c.line in gone for c in a.lines)
                else a
                for a in case.amendments
            )
        return case.model_copy(update=update), tuple(notes)

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of("scenario.step.drop", line=self.line)

    def describe(self) -> str:
        """Deprecated: the German description; renderers render ``summary``."""
        deprecated(f"{type(self).__name__}.describe()", f"{type(self).__name__}.summary")
        return words(self.summary)


class SetActual(Step):
    """A line's actual spending per budget year is as given (replacing what was recorded).

    Each year's amount is booked as one entry on the last day of the year that lies in the
    line's phase. It replaces what was booked by definition, so it takes no account of the
    key date; put it before the steps that should respect the key date. The vouchers it books
    are case data: their purpose is German words from the catalogue
    (``scenario.actual-purpose``), the language of the case file.
    """

    kind: Literal["set_actual"] = Field(
        default="set_actual", description="Art des Schritts: Ist-Ausgaben setzen"
    )
    line: str = Field(description="Einzelansatz")
    amounts: Annotated[ReadOnlyMap[int, NonNegativeMoney], DistinctYears] = Field(
        description="Ist-Ausgaben je Haushaltsjahr"
    )

    @field_validator("amounts")
    @classmethod
    def _years_in_range(cls, amounts: Mapping[int, Decimal]) -> Mapping[int, Decimal]:
        first, last = date_range()
        for year in amounts:
            if not first.year <= year <= last.year:
                raise PydanticCustomError(
                    "foerdermittel_year",
                    "Haushaltsjahr {year} liegt außerhalb des unterstützten Zeitraums {range}",
                    {"year": year, "range": supported_dates()},
                )
        return amounts

    def _changed(self, case: Case, at: Situation | None) -> tuple[Case, Notes]:
        line = _lines(case, self.line)[0]
        end = _phase(case, line.phase).end
        purpose = words(Message.of("scenario.actual-purpose"))
        booked = tuple(
            Expenditure.model_construct(
                id=f"Szenario-{line.id}-{year}",
                line=line.id,
                paid_on=min(date(year, 12, 31), end),
                amount=amount,
                purpose=purpose,
            )
            for year, amount in sorted(self.amounts.items())
        )
        kept = _vouchers_outside(case, {line.id})
        return case.model_copy(update={"expenditures": kept + booked}), ()

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of("scenario.step.set-actual", line=self.line)

    def describe(self) -> str:
        """Deprecated: the German description; renderers render ``summary``."""
        deprecated(f"{type(self).__name__}.describe()", f"{type(self).__name__}.summary")
        return words(self.summary)


def _vouchers_outside(case: Case, lines: set[str]) -> VoucherColumns:
    """The case's vouchers on budget lines other than ``lines``, still held as columns."""
    vouchers = case.expenditures
    return vouchers.take(vouchers.with_lines_outside(lines))
