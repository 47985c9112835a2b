"""Scenario transformations: "what if" as small immutable values that change a case.

Each transformation turns a case (as a dict, in place) into the changed case; a
[`Scenario`][foerdermittel.model.scenario.Scenario] applies them in order and validates the
result again. They are data, so scenarios can be kept in the case file (``[[scenarios]]``) and
run from the command line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from foerdermittel.errors import CaseError
from foerdermittel.money import ZERO, NonNegativeMoney, Rate, allocate, cents

if TYPE_CHECKING:
    from foerdermittel.model.case import Case

__all__ = [
    "AddThirdParty",
    "ChangeRate",
    "DropLine",
    "ExtendPhase",
    "ScaleLine",
    "Scenario",
    "SetActual",
    "ShiftLine",
    "Transformation",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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


class ScaleLine(_Frozen):
    """A line (or all lines of a group) costs ``percent`` more (or less, if negative).

    The planned amounts grow; the decision does not: eligible expenditure and grant stay as
    decided, so the finance office sees the overrun against the plan.
    """

    kind: Literal["scale_line"] = Field(
        default="scale_line", description="Art des Schritts: Kosten eines Ansatzes ändern"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")
    percent: Decimal = Field(description="Änderung in Prozent, z. B. 20 oder -10")

    def apply(self, data: dict[str, Any]) -> None:
        """Change ``data`` (a case as dict) in place."""
        factor = 1 + self.percent / 100
        if factor < 0:
            raise CaseError.single("percent", self.percent, "Kosten können nicht negativ werden")
        for line in _lines(data, self.line):
            line["amounts"] = {y: cents(a * factor) for y, a in line["amounts"].items()}
            line["monthly"] = None
            line["stated_total"] = None

    def describe(self) -> str:
        """German description."""
        return f"{self.line}: Kosten {self.percent:+} %"


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
    """

    kind: Literal["shift_line"] = Field(
        default="shift_line", description="Art des Schritts: Ausgaben verschieben"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")
    months: int = Field(description="Verschiebung in Monaten")

    def apply(self, data: dict[str, Any]) -> None:
        """Change ``data`` in place."""
        ends = {p["id"]: p["end"] for p in data["grant"]["phases"]}
        for amendment in sorted(data["amendments"], key=lambda a: a["decided_on"]):
            for change in amendment["phases"]:
                ends[change["phase"]] = max(ends[change["phase"]], change["new_end"])
        starts = {p["id"]: p["start"] for p in data["grant"]["phases"]}
        ineligible: dict[int, Decimal] = dict(data["plan"].get("ineligible") or {})
        for line in _lines(data, self.line):
            first = starts[line["phase"]].replace(day=1)
            last = ends[line["phase"]].replace(day=1)
            monthly: dict[date, Decimal] = {}
            for month, amount in _months(line, first, last).items():
                index = month.year * 12 + month.month - 1 + self.months
                target = max(date(index // 12, index % 12 + 1, 1), first)
                if target > last:
                    ineligible[target.year] = ineligible.get(target.year, ZERO) + amount
                else:
                    monthly[target] = monthly.get(target, ZERO) + amount
            line["monthly"] = {f"{m:%Y-%m}": a for m, a in sorted(monthly.items())}
            amounts: dict[int, Decimal] = {}
            for month, amount in monthly.items():
                amounts[month.year] = amounts.get(month.year, ZERO) + amount
            line["amounts"] = dict(sorted(amounts.items()))
            line["profile"] = None
            line["stated_total"] = None
        data["plan"]["ineligible"] = dict(sorted(ineligible.items()))

    def describe(self) -> str:
        """German description."""
        return f"{self.line}: Ausgaben {self.months:+} Monate verschoben"


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
    """The funder extends a phase cost-neutrally to ``new_end`` (an Änderungsbescheid)."""

    kind: Literal["extend_phase"] = Field(
        default="extend_phase", description="Art des Schritts: Phase verlängern"
    )
    phase: str = Field(description="Kennung der Phase")
    new_end: date = Field(description="neues Ende")
    decided_on: date | None = Field(default=None, description="Datum der Änderung")

    def apply(self, data: dict[str, Any]) -> None:
        """Change ``data`` in place."""
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
                "id": f"Szenario: Verlängerung {self.phase}",
                "title": f"Kostenneutrale Verlängerung bis {self.new_end:%d.%m.%Y}",
                "decided_on": decided,
                "phases": [{"phase": self.phase, "new_end": self.new_end}],
                "lines": [],
            }
        )

    def describe(self) -> str:
        """German description."""
        return f"Phase {self.phase} kostenneutral verlängert bis {self.new_end:%d.%m.%Y}"


class AddThirdParty(_Frozen):
    """Third-party money (e.g. from a municipal company) joins the plan of a phase."""

    kind: Literal["add_third_party"] = Field(
        default="add_third_party", description="Art des Schritts: Drittmittel hinzufügen"
    )
    phase: str = Field(description="Kennung der Phase")
    amount: NonNegativeMoney = Field(description="Betrag")
    title: str = Field(default="Drittmittel (Szenario)", description="Geber")
    public: bool = Field(default=False, description="andere öffentliche Förderung statt Dritter")

    def apply(self, data: dict[str, Any]) -> None:
        """Change ``data`` in place."""
        _phase(data, self.phase)
        number = len(data["plan"]["sources"]) + 1
        data["plan"]["sources"].append(
            {
                "id": f"S-{number}",
                "kind": "other_public" if self.public else "third_party",
                "title": self.title,
                "phase": self.phase,
                "amount": self.amount,
            }
        )

    def describe(self) -> str:
        """German description."""
        from foerdermittel import fmt

        kind = "andere öffentliche Förderung" if self.public else "Drittmittel"
        return f"Phase {self.phase}: {fmt.money(self.amount)} {kind} ({self.title})"


class ChangeRate(_Frozen):
    """The rate tier changes (e.g. the city qualifies for the 90 % Haushaltsnotlage tier).

    The grant's rate becomes ``rate`` (or the tier's rate of the programme); the decision's
    Höchstbetrag and stated amounts are dropped, since a new decision would set them anew.
    """

    kind: Literal["change_rate"] = Field(
        default="change_rate", description="Art des Schritts: Förderquote ändern"
    )
    tier: str | None = Field(default=None, description="Förderquotenstufe, z. B. haushaltsnotlage")
    rate: Rate | None = Field(default=None, description="Förderquote")

    def apply(self, data: dict[str, Any]) -> None:
        """Change ``data`` in place."""
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
        grant["rate"] = rate
        if self.tier is not None:
            grant["rate_tier"] = self.tier
        for key in ("max_amount", "stated_grant", "stated_own_share"):
            grant[key] = None
        for phase in grant["phases"]:
            phase["rate"] = None

    def describe(self) -> str:
        """German description."""
        from foerdermittel import fmt

        parts = []
        if self.rate is not None:
            parts.append(f"Förderquote {fmt.percent(self.rate)}")
        if self.tier is not None:
            parts.append(f"Stufe {self.tier}")
        return ", ".join(parts) or "Förderquote unverändert"


class DropLine(_Frozen):
    """A line (or a group) is dropped: its plan and its recorded spending go."""

    kind: Literal["drop_line"] = Field(
        default="drop_line", description="Art des Schritts: Ansatz streichen"
    )
    line: str = Field(description="Einzelansatz, Gruppe (Leitthema) oder phase:<Kennung>")

    def apply(self, data: dict[str, Any]) -> None:
        """Change ``data`` in place."""
        ids = {line["id"] for line in _lines(data, self.line)}
        data["plan"]["lines"] = [line for line in data["plan"]["lines"] if line["id"] not in ids]
        data["expenditures"] = [e for e in data["expenditures"] if e["line"] not in ids]
        for amendment in data["amendments"]:
            amendment["lines"] = [c for c in amendment["lines"] if c["line"] not in ids]

    def describe(self) -> str:
        """German description."""
        return f"{self.line} entfällt"


class SetActual(_Frozen):
    """A line's actual spending per budget year is as given (replacing what was recorded).

    Each year's amount is booked as one entry on the last day of the year that lies in the
    line's phase.
    """

    kind: Literal["set_actual"] = Field(
        default="set_actual", description="Art des Schritts: Ist-Ausgaben setzen"
    )
    line: str = Field(description="Einzelansatz")
    amounts: dict[int, NonNegativeMoney] = Field(description="Ist-Ausgaben je Haushaltsjahr")

    def apply(self, data: dict[str, Any]) -> None:
        """Change ``data`` in place."""
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
                    "purpose": "Ist-Ausgaben laut Szenario",
                }
            )

    def describe(self) -> str:
        """German description."""
        return f"{self.line}: Ist-Ausgaben gesetzt"


Transformation = Annotated[
    ScaleLine | ShiftLine | ExtendPhase | AddThirdParty | ChangeRate | DropLine | SetActual,
    Field(discriminator="kind"),
]
"""One step of a scenario (the ``kind`` field tells which)."""


def _lists(value: Any) -> Any:
    """A dumped model with lists for tuples, so that transformations can append."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


class Scenario(_Frozen):
    """Szenario — a named, ordered list of transformations of a case.

    Examples:
        >>> s = Scenario(name="Verzug", steps=(ShiftLine(line="B-1.1", months=12),))
        >>> s.steps[0].describe()
        'B-1.1: Ausgaben +12 Monate verschoben'
    """

    name: str = Field(min_length=1, description="Name des Szenarios")
    steps: tuple[Transformation, ...] = Field(default=(), description="Schritte")

    def apply(self, case: Case) -> Case:
        """The case as the scenario changes it (validated again).

        Raises:
            CaseError: a step does not fit the case (unknown line or phase, …); the message
                names the scenario and the step.
        """
        from foerdermittel.model.case import Case

        data = _lists(case.model_dump())
        data["scenarios"] = []
        for index, step in enumerate(self.steps):
            try:
                step.apply(data)
            except CaseError as exc:
                raise CaseError(
                    exc.problems, file=f"Szenario {self.name!r}, Schritt {index + 1}"
                ) from None
        return Case.from_data(data, file=f"Szenario {self.name!r}")
