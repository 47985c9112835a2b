"""Limits a programme or a decision sets beyond ANBest: cost-category caps and the own share.

The rulebook's ``limits`` group (the programme's where it sets one, else the edition's:
[`Rulebook.effective_limits`][foerdermittel.rules.model.Rulebook.effective_limits]) holds
values no ANBest edition sets; a programme's guideline or the decision does. Two of them are
checked here (the cap on all public money, ``max_public_share``, is checked with the
financing in [`check_financing`][foerdermittel.financing.check_financing]):

* ``category_caps`` — Kostenartenbegrenzung: the capped cost categories together at most a
  share of a base, the base being other categories (``of``) or, with ``of`` empty, all
  eligible expenditure. A cap applies to the grant as a whole: the amounts of all phases are
  summed. A programme that caps per phase or per budget year says so; such caps are not
  modelled. The cap is checked twice:

  - on the plan: the planned amounts of the budget lines (``category-cap-exceeded``);
  - in the proof of use, once vouchers are recorded: the eligible amounts booked on the lines
    up to the key date (``LineResult.actual``; ``category-cap-exceeded-actual``). What exceeds
    the cap is not eligible. The figures of the proof of use are left as they are — the
    finding names the excess; deducting it from the final account is a separate step. While
    a phase still runs the finding is a warning (the base may still grow), after that an
    error.

  The allowed amount is ``share × base`` rounded down to the cent
  ([`floor_cents`][foerdermittel.money.floor_cents]): amounts are whole cents, so a capped
  sum exceeds ``share × base`` exactly when it exceeds the rounded figure.

* ``min_own_share`` — the own share (Eigenanteil) at least this share of the eligible
  expenditure. The own share is the recipient's own funds: what the grant, third-party money
  (Drittmittel) and other public funding leave of the eligible expenditure
  (``Financing.own_share``, ``A − Z − D``). Third-party money is money of others, not the
  recipient's own (VV Nr. 2 zu § 44 BHO separates Eigenmittel from Drittmittel and other
  public cover funds); a programme that lets third-party money count towards the own share
  says so and is not modelled. Checked for the grant as a whole, on the plan
  (``own-share-below-minimum``); the minimum is shown rounded up to the cent, the least
  whole-cent own share that meets it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.case import Case
from foerdermittel.model.plan import CostCategory
from foerdermittel.money import CENT, ZERO, floor_cents
from foerdermittel.proof import ProofOfUse
from foerdermittel.rules.model import CategoryCap, Rulebook

__all__ = ["LIMIT_FINDING_CODES", "check_limits"]

LIMIT_FINDING_CODES = frozenset(
    {"category-cap-exceeded", "category-cap-exceeded-actual", "own-share-below-minimum"}
)
"""The codes of the findings [`check_limits`][foerdermittel.limit_checks.check_limits] makes."""

_SHARE_PLACES = Decimal("0.0001")
"""A share as a finding shows it: to a hundredth of a percent."""


def _ceiling_cents(value: Decimal) -> Decimal:
    """``value`` rounded up to the cent: the least whole-cent amount that is at least it."""
    return value.quantize(CENT, rounding=ROUND_CEILING)


def _categories(names: Iterable[str]) -> tuple[Message, ...]:
    return tuple(Message.of(f"cost-category.{name}") for name in names)


def _base(cap: CategoryCap) -> Message:
    if not cap.of:
        return Message.of("limits.base.all")
    return Message.of("limits.base.categories", categories=_categories(cap.of))


def _sums(
    cap: CategoryCap, amounts: Iterable[tuple[CostCategory, Decimal]]
) -> tuple[Decimal, Decimal]:
    """The capped sum and the base of ``cap`` over (category, amount) pairs."""
    capped = base = ZERO
    for category, amount in amounts:
        if category.value in cap.categories:
            capped += amount
        if not cap.of or category.value in cap.of:
            base += amount
    return capped, base


def _cap_finding(
    code: str,
    severity: Severity,
    about: Subject,
    cap: CategoryCap,
    capped: Decimal,
    base: Decimal,
    **extra: Message,
) -> Finding | None:
    allowed = floor_cents(cap.share * base)
    if capped <= allowed:
        return None
    return Finding.of(
        code,
        severity,
        about,
        cap.source,
        categories=_categories(cap.categories),
        capped=capped,
        share=cap.share,
        base=_base(cap),
        base_amount=base,
        allowed=allowed,
        excess=capped - allowed,
        **extra,
    )


def check_limits(
    case: Case,
    rulebook: Rulebook,
    financing: Financing,
    proof: ProofOfUse | None = None,
) -> tuple[Finding, ...]:
    """Check the plan, and the proof of use where given, against the limits in force.

    Args:
        case: the case as amended ([`Case.amended`][foerdermittel.model.case.Case.amended]).
        rulebook: its rulebook; the limits are ``rulebook.effective_limits``.
        financing: its financing ([`compute_financing`][foerdermittel.financing.compute_financing]).
        proof: its proof of use; the category caps are checked on the booked amounts once
            vouchers are recorded (``ProofOfUse.evaluated``).

    Returns:
        The findings ``category-cap-exceeded`` (plan), ``category-cap-exceeded-actual``
        (booked) and ``own-share-below-minimum``, each with its figures and the limits' source.

    References:
        The programme's guideline or the decision (``limits.source``, ``CategoryCap.source``);
        VV Nr. 2 zu § 44 BHO (own funds, cover funds).

    Examples:
        >>> from foerdermittel import compute_financing, load_case
        >>> case = load_case("examples/bochum-mpsc.toml")
        >>> rulebook, _ = case.rulebook()
        >>> check_limits(case, rulebook, compute_financing(case))  # MPSC sets no such limits
        ()
    """
    limits = rulebook.effective_limits
    findings: list[Finding] = []
    planned = [(line.category, line.total) for line in case.plan.lines]
    categories = {line.id: line.category for line in case.plan.lines}
    booked = (
        [(categories[line.line], line.actual) for line in proof.lines if line.line in categories]
        if proof is not None and proof.evaluated
        else None
    )
    for cap in limits.category_caps:
        found = _cap_finding(
            "category-cap-exceeded", Severity.ERROR, Subject("plan"), cap, *_sums(cap, planned)
        )
        if found is not None:
            findings.append(found)
        if booked is None or proof is None:
            continue
        running = proof.projected
        found = _cap_finding(
            "category-cap-exceeded-actual",
            Severity.WARNING if running else Severity.ERROR,
            Subject("vouchers"),
            cap,
            *_sums(cap, booked),
            running=Message.of("limits.running") if running else NOTHING,
        )
        if found is not None:
            findings.append(found)

    minimum = limits.min_own_share
    eligible = financing.eligible_expenditure
    if minimum is not None and eligible > 0 and financing.own_share < minimum * eligible:
        required = _ceiling_cents(minimum * eligible)
        findings.append(
            Finding.of(
                "own-share-below-minimum",
                Severity.ERROR,
                Subject("grant", case.grant.id),
                limits.source,
                own_share=financing.own_share,
                share=(financing.own_share / eligible).quantize(
                    _SHARE_PLACES, rounding=ROUND_FLOOR
                ),
                eligible=eligible,
                minimum=minimum,
                required=required,
                missing=required - financing.own_share,
            )
        )
    return tuple(findings)
