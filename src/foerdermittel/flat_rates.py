"""Pauschalen (flat rates): budget lines paid as a share of other lines of their phase.

EU cohesion funding (Regulation (EU) 2021/1060, Dachverordnung) lets a grant pay part of a
project's costs as a flat rate of other costs (Art. 53 Abs. 1 Buchst. d: Pauschalfinanzierung
as a form of grant): indirect costs as a share of direct costs or of direct staff costs
(Art. 54), direct staff costs as a share of the other direct costs (Art. 55 Abs. 1), the
remaining costs as a share of direct staff costs (Art. 56 Abs. 1). The programme sets which
flat rates a line may use (``ProgrammeRules.flat_rates``: the highest rate and the base
categories); the decision sets the rate of a line (``BudgetLine.flat_rate``).

A flat-rate line is its rate times its base — the other lines of its phase in the base
categories (all of them where the programme names none), never another flat-rate line —
**rounded down to the cent** ([`floor_cents`][foerdermittel.money.floor_cents]: the flat rate
is a ceiling, "bis zu"; a cent more would be above the rate):

* in the plan, per budget year: the planned amount must equal the rate times the year's
  planned base, rounded down on the running total
  ([`flat_rate_split`][foerdermittel.flat_rates.flat_rate_split]: each year gets what the
  rounded-down total grows by, so that the years add up to the rounded-down total and a plan
  re-spread over more years keeps its total to the cent) — ``flat-rate-plan-mismatch``
  otherwise;
* in the proof of use: the eligible actual is the rate times the eligible actual of the base
  (the base lines' vouchers that count), without vouchers of its own
  ([`flat_rate_amounts`][foerdermittel.flat_rates.flat_rate_amounts], used by
  ``foerdermittel.proof``).

What cannot be computed (an unknown flat rate, an empty base, a flat rate on a flat rate) is
refused when the case is read (``foerdermittel.model.flat_rate_use``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from foerdermittel._arguments import check_decimal, check_instance, check_money
from foerdermittel.errors import ArgumentError, Finding, Severity
from foerdermittel.message_types import Message, Subject
from foerdermittel.model.case import Case
from foerdermittel.model.flat_rate_use import flat_rate_base
from foerdermittel.model.plan import FinancingPlan
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.rules.model import Rulebook

K = TypeVar("K", int, str, date)

__all__ = [
    "FLAT_RATE_FINDING_CODES",
    "FlatRateAmount",
    "FlatRateLine",
    "check_flat_rates",
    "flat_rate_amount",
    "flat_rate_amounts",
    "flat_rate_lines",
    "flat_rate_split",
]

FLAT_RATE_FINDING_CODES: frozenset[str] = frozenset(
    {"flat-rate-plan-mismatch", "flat-rate-above-max"}
)
"""The codes of the plan check's findings."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FlatRateLine(_Frozen):
    """A flat-rate line of the plan with the programme's flat rate it uses and its base.

    Attributes:
        line: the flat-rate line's id.
        phase: its phase.
        rule: the id of the programme's flat rate (``ProgrammeRules.flat_rates``).
        title: what the flat rate pays for, as the programme names it.
        rate: the rate the decision sets (``BudgetLine.flat_rate.rate``).
        max_rate: the highest rate the programme allows.
        categories: the base's cost categories; empty: every other line of the phase.
        base_lines: the ids of the base lines (same phase, in ``categories``, no flat rate).
        source: the legal basis of the flat rate.
    """

    line: str
    phase: str
    rule: str
    title: str
    rate: Decimal
    max_rate: Decimal
    categories: tuple[str, ...]
    base_lines: tuple[str, ...]
    source: str

    @property
    def shown(self) -> Message:
        r"""How a report names the flat rate: "Pauschale 15 % von Personal (eigen)".

        Examples:
            >>> from foerdermittel.message_types import words
            >>> flat = FlatRateLine(line="3", phase="P", rule="indirect", title="indirekte Kosten",
            ...                     rate="0.15", max_rate="0.15", categories=("own_staff",),
            ...                     base_lines=("1",), source="VO (EU) 2021/1060 Art. 54")
            >>> words(flat.shown), words(flat.shown, "en")
            ('Pauschale 15\xa0% von Personal (eigen)', 'flat rate 15% of Own staff')
        """
        base = (
            Message.of(
                "flat-rate.base.categories",
                categories=tuple(Message.of(f"cost-category.{c}") for c in self.categories),
            )
            if self.categories
            else Message.of("flat-rate.base.all")
        )
        return Message.of("flat-rate.shown", rate=self.rate, base=base)


class FlatRateAmount(_Frozen):
    """A flat-rate line computed from amounts of its base lines.

    Attributes:
        flat: the flat-rate line, its rate and base lines.
        base_amount: the sum of the base lines' amounts.
        amount: rate × base amount, rounded down to the cent.
    """

    flat: FlatRateLine
    base_amount: Decimal
    amount: Decimal


def flat_rate_amount(rate: Decimal, base_amount: Decimal) -> Decimal:
    """Rate times base, rounded down to the cent (the flat rate is a ceiling).

    Examples:
        >>> flat_rate_amount(Decimal("0.15"), Decimal("80000.00"))
        Decimal('12000.00')
        >>> flat_rate_amount(Decimal("0.07"), Decimal("100.10"))
        Decimal('7.00')

    Raises:
        ArgumentError: the rate is not a number in (0, 1], or the base not an amount.
    """
    name = "flat_rate_amount"
    rate = check_decimal(name, "rate", rate)
    if not 0 < rate <= 1:
        raise ArgumentError(name, "rate", rate, "Pauschalsatz muss in (0, 1] liegen")
    return floor_cents(rate * check_money(name, "base_amount", base_amount))


def flat_rate_split(rate: Decimal, base: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """A flat rate over periods (budget years, months): rounded down on the running total.

    Each period gets ``floor(rate × base up to it) − floor(rate × base before it)``, to the
    cent: the periods add up to ``floor(rate × the whole base)`` exactly, and where the rate
    times each period's base is a whole number of cents, each period gets just that.

    Examples:
        >>> flat_rate_split(Decimal("0.15"), {2024: Decimal("100000.00")})
        {2024: Decimal('15000.00')}
        >>> flat_rate_split(Decimal("0.15"), {2024: Decimal("33333.33"), 2025: Decimal("66666.67")})
        {2024: Decimal('4999.99'), 2025: Decimal('10000.01')}
    """
    out: dict[K, Decimal] = {}
    running = ZERO
    booked = ZERO
    for key in sorted(base):
        running += base[key]
        total = flat_rate_amount(rate, running)
        out[key] = total - booked
        booked = total
    return out


def flat_rate_lines(plan: FinancingPlan, rulebook: Rulebook) -> tuple[FlatRateLine, ...]:
    """Every flat-rate line of ``plan`` with its flat rate and base lines, in plan order.

    A case that [`Case.from_data`][foerdermittel.model.case.Case.from_data] accepts names only
    flat rates its programme has; a line naming another is left out here.
    """
    check_instance("flat_rate_lines", "plan", plan, FinancingPlan)
    programme = check_instance("flat_rate_lines", "rulebook", rulebook, Rulebook).programme
    rates = programme.flat_rates if programme is not None else {}
    found: list[FlatRateLine] = []
    for line in plan.lines:
        use = line.flat_rate
        rule = rates.get(use.rule) if use is not None else None
        if use is None or rule is None:
            continue
        found.append(
            FlatRateLine(
                line=line.id,
                phase=line.phase,
                rule=use.rule,
                title=rule.title,
                rate=use.rate,
                max_rate=rule.max_rate,
                categories=rule.base,
                base_lines=tuple(b.id for b in flat_rate_base(plan, rule, line)),
                source=rule.source,
            )
        )
    return tuple(found)


def flat_rate_amounts(
    plan: FinancingPlan, rulebook: Rulebook, base_amounts: Mapping[str, Decimal]
) -> tuple[FlatRateAmount, ...]:
    """Each flat-rate line computed from amounts of its base lines.

    Args:
        plan: the financing plan.
        rulebook: the rulebook in force (its programme's flat rates).
        base_amounts: an amount per line id — the planned amounts of a budget year, or the
            eligible actuals of the proof of use; a line without one counts 0.

    Examples:
        >>> from foerdermittel.rules.model import FlatRate
        >>> plan = FinancingPlan(lines=[
        ...     {"id": "1", "title": "Personal", "phase": "P", "category": "own_staff",
        ...      "amounts": {2024: "100000.00"}},
        ...     {"id": "2", "title": "Sachkosten", "phase": "P", "category": "material",
        ...      "amounts": {2024: "50000.00"}},
        ...     {"id": "3", "title": "Indirekte Kosten", "phase": "P", "category": "other",
        ...      "amounts": {2024: "15000.00"},
        ...      "flat_rate": {"rule": "indirect", "rate": "0.15"}}])
        >>> from foerdermittel import rules
        >>> book = rules.get("anbest-gk-2019")
        >>> programme = rules.get_programme("mpsc-2021").model_copy(update={"flat_rates": {
        ...     "indirect": FlatRate(title="indirekte Kosten", max_rate="0.15",
        ...                          base=("own_staff",), source="Art. 54 Buchst. b")}})
        >>> book = book.model_copy(update={"programme": programme})
        >>> [(a.flat.line, a.flat.base_lines, a.base_amount, a.amount)
        ...  for a in flat_rate_amounts(plan, book, {"1": Decimal("80000.00")})]
        [('3', ('1',), Decimal('80000.00'), Decimal('12000.00'))]
    """
    out: list[FlatRateAmount] = []
    for flat in flat_rate_lines(plan, rulebook):
        base = sum((base_amounts.get(line, ZERO) for line in flat.base_lines), ZERO)
        out.append(
            FlatRateAmount(flat=flat, base_amount=base, amount=flat_rate_amount(flat.rate, base))
        )
    return tuple(out)


def check_flat_rates(case: Case, rulebook: Rulebook) -> tuple[Finding, ...]:
    """The plan's flat-rate lines against their programme's flat rates, as findings.

    * ``flat-rate-above-max`` (error): the decision's rate is above the programme's
      ``max_rate``;
    * ``flat-rate-plan-mismatch`` (error): per budget year, the line's planned amount differs
      from rate × the year's planned base, rounded down to the cent on the running total
      ([`flat_rate_split`][foerdermittel.flat_rates.flat_rate_split]); both figures named.

    Args:
        case: the (amended) case.
        rulebook: the rulebook in force.
    """
    plan = case.plan
    lines = {line.id: line for line in plan.lines}
    found: list[Finding] = []
    flats = flat_rate_lines(plan, rulebook)
    for flat in flats:
        about = Subject("line", flat.line)
        if flat.rate > flat.max_rate:
            found.append(
                Finding.of(
                    "flat-rate-above-max",
                    Severity.ERROR,
                    about,
                    flat.source,
                    rate=flat.rate,
                    max_rate=flat.max_rate,
                    rule=flat.rule,
                    title=flat.title,
                )
            )
        line = lines[flat.line]
        years = {*line.amounts, *(year for b in flat.base_lines for year in lines[b].amounts)}
        bases = {
            year: sum((lines[b].amounts.get(year, ZERO) for b in flat.base_lines), ZERO)
            for year in years
        }
        for year, computed in flat_rate_split(flat.rate, bases).items():
            base = bases[year]
            planned = line.amounts.get(year, ZERO)
            if planned != computed:
                found.append(
                    Finding.of(
                        "flat-rate-plan-mismatch",
                        Severity.ERROR,
                        about,
                        flat.source,
                        year=year,
                        planned=planned,
                        computed=computed,
                        rate=flat.rate,
                        base=base,
                        difference=planned - computed,
                    )
                )
    return tuple(found)
