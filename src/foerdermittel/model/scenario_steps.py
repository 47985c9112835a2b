"""Scenario steps: "what if" as small immutable values that change a case.

Each step turns a case (as a dict, in place) into the changed case; a
[`Scenario`][foerdermittel.model.scenario.Scenario] applies them in order and validates the
result again.

On a key date (with a [`Situation`][foerdermittel.model.scenario.Situation]) the steps change
only what is not yet booked; vouchers and recorded payouts stay as they are. A step that can
change nothing any more, or that the case cannot take any more on the key date, says so in a
note.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from foerdermittel.errors import CaseError
from foerdermittel.frozen import ReadOnlyMap
from foerdermittel.message_types import Message, Subject, words
from foerdermittel.model.dates import CaseDate, date_range, supported_dates
from foerdermittel.model.ids import DistinctYears
from foerdermittel.model.scenario_progress import (
    Situation,
    _add_months,
    _set_monthly,
)
from foerdermittel.money import ZERO, NonNegativeMoney, Rate, allocate, cents

__all__ = [
    "AddThirdParty",
    "ChangeRate",
    "DropLine",
    "ExtendPhase",
    "ScaleLine",
    "SetActual",
    "ShiftLine",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


def _signed(value: Decimal | int) -> Message:
    """A change with its sign (``+20``, ``-12``), the figure as written."""
    negative = value < 0 or (isinstance(value, Decimal) and value.is_signed())
    return Message.of(f"signed.{'minus' if negative else 'plus'}", amount=abs(value))


def _unchanged(
    data: dict[str, Any], at: Situation, lines: list[dict[str, Any]], step: str
) -> list[Message]:
    """Notes for lines a step cannot change: fully booked, or their phase over and done.

    ``step`` names the step's kind (``scale``, ``shift``, ``drop``) for the words.
    """
    ends = {**_ends(data), **at.progress.phase_ends}
    over: dict[str, list[str]] = {}
    booked: list[str] = []
    for line in lines:
        if ends[line["phase"]] < at.progress.as_of:
            over.setdefault(line["phase"], []).append(line["id"])
        else:
            booked.append(line["id"])
    what = Message.of(f"scenario.step-name.{step}")
    notes = []
    if booked:
        notes.append(
            Message.of(
                "scenario.note.fully-booked", count=len(booked), lines=tuple(booked), step=what
            )
        )
    for phase, ids in over.items():
        notes.append(
            Message.of(
                "scenario.note.phase-over",
                phase=Subject("phase", phase),
                end=ends[phase],
                lines=tuple(ids),
                step=what,
            )
        )
    return notes


def _lines(data: dict[str, Any], selector: str) -> list[dict[str, Any]]:
    """The plan lines a step addresses: a line id, a group (Leitthema), or ``phase:B``."""
    phase = selector[len("phase:") :] if selector.startswith("phase:") else None
    chosen = [
        line
        for line in data["plan"]["lines"]
        if line["id"] == selector or line.get("group") == selector or line["phase"] == phase
    ]
    if not chosen:
        ids = ", ".join(line["id"] for line in data["plan"]["lines"])
        raise CaseError.single(
            "line", selector, f"kein Einzelansatz und keine Gruppe dieses Namens; Ansätze: {ids}"
        )
    return chosen


def _phase(data: dict[str, Any], phase_id: str) -> dict[str, Any]:
    for phase in data["grant"]["phases"]:
        if phase["id"] == phase_id:
            return phase  # type: ignore[no-any-return]
    valid = ", ".join(p["id"] for p in data["grant"]["phases"])
    raise CaseError.single("phase", phase_id, f"unbekannte Phase; vorhanden: {valid}")


def _ends(data: dict[str, Any]) -> dict[str, date]:
    """Each phase's end as the amendments (and earlier steps) leave it."""
    ends = {p["id"]: p["end"] for p in data["grant"]["phases"]}
    for amendment in sorted(data["amendments"], key=lambda a: a["decided_on"]):
        for change in amendment["phases"]:
            ends[change["phase"]] = max(ends[change["phase"]], change["new_end"])
    return ends


class ScaleLine(_Frozen):
    """A line (or all lines of a group) costs ``percent`` more (or less, if negative).

    The planned amounts grow; the decision does not: eligible expenditure and grant stay as
    decided, so the finance office sees the overrun against the plan. On a key date (with a
    [`Situation`][foerdermittel.model.scenario.Situation]) only what is still open changes:
    booked vouchers stay as they are and the rest of the line costs ``percent`` more; a line
    that is fully booked is left as it is, with a note.

    Examples:
        >>> ScaleLine(line="B-1.1", percent=Decimal(20)).describe()
        'B-1.1: Kosten +20 %'
    """

    kind: Literal["scale_line"] = Field(
        default="scale_line", description="Art des Schritts: Kosten eines Ansatzes ändern"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")
    percent: Decimal = Field(
        ge=-100, le=10_000, description="Änderung in Prozent, z. B. 20 oder -10 (-100 bis 10000)"
    )

    def apply(self, data: dict[str, Any], at: Situation | None = None) -> tuple[Message, ...]:
        """Change ``data`` (a case as dict) in place; return notes as messages."""
        factor = 1 + self.percent / 100
        if factor < 0:
            raise CaseError.single("percent", self.percent, "Kosten können nicht negativ werden")
        done: list[dict[str, Any]] = []
        starts = {p["id"]: p["start"].replace(day=1) for p in data["grant"]["phases"]}
        for line in _lines(data, self.line):
            if at is None:
                line["amounts"] = {y: cents(a * factor) for y, a in line["amounts"].items()}
                line["monthly"] = None
                line["stated_total"] = None
                continue
            rest = at.rest(line["id"])
            if not rest:
                done.append(line)
                continue
            # the rest as a whole costs `percent` more, spread over its months to the cent
            total = cents(sum(rest.values(), ZERO) * factor)
            weights = [max(a, ZERO) for a in rest.values()]
            if sum(weights, ZERO) <= 0:
                weights = [Decimal(1)] * len(rest)
            parts = allocate(total, weights) if total else (ZERO,) * len(rest)
            at.write(line, dict(zip(rest, parts, strict=True)), starts[line["phase"]])
        return tuple(_unchanged(data, at, done, "scale")) if at and done else ()

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of("scenario.step.scale", line=self.line, change=_signed(self.percent))

    def describe(self) -> str:
        """Deprecated: the German description; renderers use foerdermittel.messages."""
        return words(self.summary)


class ShiftLine(_Frozen):
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
        >>> ShiftLine(line="phase:B", months=12).describe()
        'phase:B: Ausgaben +12 Monate verschoben'
    """

    kind: Literal["shift_line"] = Field(
        default="shift_line", description="Art des Schritts: Ausgaben verschieben"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")
    months: int = Field(
        ge=-1200, le=1200, description="Verschiebung in Monaten (höchstens 100 Jahre)"
    )

    def apply(self, data: dict[str, Any], at: Situation | None = None) -> tuple[Message, ...]:
        """Change ``data`` in place; return notes as messages."""
        ends = _ends(data)
        starts = {p["id"]: p["start"] for p in data["grant"]["phases"]}
        ineligible: dict[int, Decimal] = dict(data["plan"].get("ineligible") or {})
        done: list[dict[str, Any]] = []
        for line in _lines(data, self.line):
            first = starts[line["phase"]].replace(day=1)
            last = ends[line["phase"]].replace(day=1)
            if at is None:
                source, floor = _months(line, first, last), first
            else:
                source = at.rest(line["id"])
                if not source:
                    done.append(line)
                    continue
                floor = max(first, min(source))
            monthly: dict[date, Decimal] = {}
            for month, amount in source.items():
                target = max(_add_months(month, self.months), floor)
                if target > last:
                    ineligible[target.year] = ineligible.get(target.year, ZERO) + amount
                else:
                    monthly[target] = monthly.get(target, ZERO) + amount
            if at is None:
                _set_monthly(line, monthly)
            else:
                at.write(line, monthly, first)
        data["plan"]["ineligible"] = dict(sorted(ineligible.items()))
        return tuple(_unchanged(data, at, done, "shift")) if at and done else ()

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
        """Deprecated: the German description; renderers use foerdermittel.messages."""
        return words(self.summary)


def _months(line: dict[str, Any], first: date, last: date) -> dict[date, Decimal]:
    """A line's planned amounts per month (explicit months, or each year spread evenly)."""
    if line.get("monthly"):
        return {date(int(k[:4]), int(k[5:]), 1): Decimal(v) for k, v in line["monthly"].items()}
    result: dict[date, Decimal] = {}
    for year, amount in line["amounts"].items():
        months = [date(year, m, 1) for m in range(1, 13) if first <= date(year, m, 1) <= last]
        if not months:
            continue
        for month, part in zip(months, allocate(amount, [Decimal(1)] * len(months)), strict=True):
            result[month] = part
    return result


class ExtendPhase(_Frozen):
    """The funder extends a phase cost-neutrally to ``new_end`` (an Änderungsbescheid).

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

    def apply(self, data: dict[str, Any], at: Situation | None = None) -> tuple[Message, ...]:
        """Change ``data`` in place; return notes as messages.

        The amendment it adds is case data: its id and title are German words from the
        catalogue (``scenario.amendment-…``), the language of the case file.
        """
        phase = _phase(data, self.phase)
        current = phase["end"]
        for amendment in data["amendments"]:
            for change in amendment["phases"]:
                if change["phase"] == self.phase:
                    current = max(current, change["new_end"])
        if self.new_end <= current:
            raise CaseError.single(
                "new_end", self.new_end, f"ist keine Verlängerung (Ende bisher {current})"
            )
        decided = self.decided_on or max(
            [data["grant"]["decision_date"], *(a["decided_on"] for a in data["amendments"])]
        )
        data["amendments"].append(
            {
                # ids are unique: a second extension of the phase gets its own
                "id": words(
                    Message.of("scenario.amendment-id", phase=self.phase, new_end=self.new_end)
                ),
                "title": words(Message.of("scenario.amendment-title", new_end=self.new_end)),
                "decided_on": decided,
                "phases": [{"phase": self.phase, "new_end": self.new_end}],
                "lines": [],
            }
        )
        if at is None:
            return ()
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
        return tuple(notes)

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of(
            "scenario.step.extend", phase=Subject("phase", self.phase), new_end=self.new_end
        )

    def describe(self) -> str:
        """Deprecated: the German description; renderers use foerdermittel.messages."""
        return words(self.summary)


class AddThirdParty(_Frozen):
    """Third-party money (e.g. from a municipal company) joins the plan of a phase."""

    kind: Literal["add_third_party"] = Field(
        default="add_third_party", description="Art des Schritts: Drittmittel hinzufügen"
    )
    phase: str = Field(description="Kennung der Phase")
    amount: NonNegativeMoney = Field(description="Betrag")
    title: str = Field(default="Drittmittel (Szenario)", description="Geber")
    public: bool = Field(default=False, description="andere öffentliche Förderung statt Dritter")

    def apply(self, data: dict[str, Any], at: Situation | None = None) -> tuple[Message, ...]:
        """Change ``data`` in place; return notes as messages (none)."""
        _phase(data, self.phase)
        taken = {source["id"] for source in data["plan"]["sources"]}
        number = len(taken) + 1
        while f"S-{number}" in taken:  # ids are unique: skip a number the plan already uses
            number += 1
        data["plan"]["sources"].append(
            {
                "id": f"S-{number}",
                "kind": "other_public" if self.public else "third_party",
                "title": self.title,
                "phase": self.phase,
                "amount": self.amount,
            }
        )
        return ()

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
        """Deprecated: the German description; renderers use foerdermittel.messages."""
        return words(self.summary)


class ChangeRate(_Frozen):
    """The rate tier changes (e.g. the city qualifies for the 90 % Haushaltsnotlage tier).

    The grant's rate becomes ``rate`` (or the tier's rate of the programme); the decision's
    Höchstbetrag (``grant.max_amount``) and stated amounts are dropped, since a new decision
    would set them anew: the new rate then applies to the whole eligible expenditure
    (VV Nr. 2.3 zu § 44 BHO: the Höchstbetrag is part of the decision). The notes say so, with
    the Höchstbetrag that goes. The rate tier is fixed in the decision (the Zusage): after it,
    another tier is a what-if the funder must decide, and the notes say that too.
    """

    kind: Literal["change_rate"] = Field(
        default="change_rate", description="Art des Schritts: Förderquote ändern"
    )
    tier: str | None = Field(default=None, description="Förderquotenstufe, z. B. haushaltsnotlage")
    rate: Rate | None = Field(default=None, description="Förderquote")

    def apply(self, data: dict[str, Any], at: Situation | None = None) -> tuple[Message, ...]:
        """Change ``data`` in place; return notes as messages."""
        rate = self.rate
        if rate is None:
            from foerdermittel import rules

            programme = data["grant"].get("programme")
            if programme is None or self.tier is None:
                raise CaseError.single("rate", None, "ohne Programm braucht es eine Förderquote")
            tiers = rules.get_programme(programme).rates
            if self.tier not in tiers:
                raise CaseError.single(
                    "tier", self.tier, "unbekannte Stufe; vorhanden: " + ", ".join(tiers)
                )
            rate = tiers[self.tier]
        grant = data["grant"]
        notes = []
        if grant.get("max_amount") is not None:
            notes.append(
                Message.of("scenario.note.cap-dropped", cap=grant["max_amount"], rate=rate)
            )
        if at is not None and at.progress.as_of >= grant["decision_date"]:
            notes.append(Message.of("scenario.note.rate-decided", decided=grant["decision_date"]))
        grant["rate"] = rate
        if self.tier is not None:
            grant["rate_tier"] = self.tier
        for key in ("max_amount", "stated_grant", "stated_own_share"):
            grant[key] = None
        for phase in grant["phases"]:
            phase["rate"] = None
        return tuple(notes)

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
        """Deprecated: the German description; renderers use foerdermittel.messages."""
        return words(self.summary)


class DropLine(_Frozen):
    """A line (or a group) is dropped: its plan and its recorded spending go.

    On a key date (with a [`Situation`][foerdermittel.model.scenario.Situation]) a line that has
    booked vouchers keeps them: only its open rest goes, and a note says what stays.
    """

    kind: Literal["drop_line"] = Field(
        default="drop_line", description="Art des Schritts: Ansatz streichen"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")

    def apply(self, data: dict[str, Any], at: Situation | None = None) -> tuple[Message, ...]:
        """Change ``data`` in place; return notes as messages."""
        chosen = _lines(data, self.line)
        notes: list[Message] = []
        if at is not None:
            starts = {p["id"]: p["start"].replace(day=1) for p in data["grant"]["phases"]}
            done = []
            for line in [line for line in chosen if at.booked(line["id"])]:
                booked = sum(at.booked(line["id"]).values(), ZERO)
                if at.rest(line["id"]):
                    notes.append(
                        Message.of("scenario.note.booked-stays", line=line["id"], booked=booked)
                    )
                else:
                    done.append(line)
                at.write(line, {}, starts[line["phase"]])
                chosen.remove(line)
            notes += _unchanged(data, at, done, "drop") if done else []
        ids = {line["id"] for line in chosen}
        data["plan"]["lines"] = [line for line in data["plan"]["lines"] if line["id"] not in ids]
        data["expenditures"] = [e for e in data["expenditures"] if e["line"] not in ids]
        for amendment in data["amendments"]:
            amendment["lines"] = [c for c in amendment["lines"] if c["line"] not in ids]
        return tuple(notes)

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of("scenario.step.drop", line=self.line)

    def describe(self) -> str:
        """Deprecated: the German description; renderers use foerdermittel.messages."""
        return words(self.summary)


class SetActual(_Frozen):
    """A line's actual spending per budget year is as given (replacing what was recorded).

    Each year's amount is booked as one entry on the last day of the year that lies in the
    line's phase. It replaces what was booked by definition, so it takes no account of the
    key date; put it before the steps that should respect the key date.
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

    def apply(self, data: dict[str, Any], at: Situation | None = None) -> tuple[Message, ...]:
        """Change ``data`` in place; return notes as messages (none).

        The vouchers it books are case data: their purpose is German words from the catalogue
        (``scenario.actual-purpose``), the language of the case file.
        """
        (line,) = _lines(data, self.line)[:1]
        phase = _phase(data, line["phase"])
        data["expenditures"] = [e for e in data["expenditures"] if e["line"] != line["id"]]
        for year, amount in sorted(self.amounts.items()):
            day = min(date(year, 12, 31), phase["end"])
            data["expenditures"].append(
                {
                    "id": f"Szenario-{line['id']}-{year}",
                    "line": line["id"],
                    "paid_on": day,
                    "amount": amount,
                    "purpose": words(Message.of("scenario.actual-purpose")),
                }
            )
        return ()

    @property
    def summary(self) -> Message:
        """What the step does, as a message."""
        return Message.of("scenario.step.set-actual", line=self.line)

    def describe(self) -> str:
        """Deprecated: the German description; renderers use foerdermittel.messages."""
        return words(self.summary)
