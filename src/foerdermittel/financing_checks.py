"""Programme limits: a phase's financing checked against the programme's call.

[`check_financing`][foerdermittel.financing.check_financing] is the entry point; it asks this
module, phase by phase, whether a phase keeps the limits of its programme (Förderaufruf,
KfW-Merkblatt): the cap of its phase kind, the sub-cap of first implementation measures, the
longest approval period, and the rate of its rate tier; and whether a grant on a tier with a
condition names the evidence that the condition holds. It also checks that the general
conditions the decision names fit the decision (in force on its day, of the recipient's Land).
"""

from __future__ import annotations

from decimal import Decimal

from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import Message, Subject
from foerdermittel.model.grant import Grant, Phase
from foerdermittel.model.plan import BudgetLine
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.periods import Span
from foerdermittel.rules.model import CapBasis, PhaseLimit, ProgrammeRules, Rulebook

__all__ = ["phase_limits", "rulebook_fits", "tier_conditions"]


def phase_limits(
    grant: Grant,
    phase: Phase,
    *,
    granted: Decimal,
    rate: Decimal | None,
    lines: tuple[BudgetLine, ...] | list[BudgetLine],
    programme: ProgrammeRules,
    as_decided: Phase,
) -> list[Finding]:
    """Findings where ``phase`` breaks a limit of its programme's phase kind or rate tier.

    ``granted`` and ``rate`` are the phase's computed grant and Förderquote, ``lines`` its
    budget lines, ``as_decided`` the phase as first decided (an amendment that extends it
    beyond the standard duration is information, not an error). A phase whose kind the
    programme does not know is checked for nothing.
    """
    out: list[Finding] = []
    about = Subject("phase", phase.id)
    limit = programme.phases.get(phase.programme_kind)
    if limit is None:
        return out
    if limit.cap_basis is CapBasis.ELIGIBLE_COST:
        measured, what = phase.eligible_expenditure, "eligible"
    else:
        measured, what = granted, "grant"
    extended = phase.end > as_decided.end
    cap = limit.extended_cap if extended and limit.extended_cap is not None else limit.cap
    if cap is not None and measured > cap:
        out.append(
            Finding.of(
                "phase-cap-exceeded",
                Severity.ERROR,
                about,
                limit.source,
                kind=limit.title,
                measure=Message.of(f"financing.measure.{what}"),
                amount=measured,
                cap=cap,
            )
        )
    if limit.first_measures_cap is not None:
        first = sum((line.total for line in lines if line.first_measure), ZERO)
        if limit.cap_basis is CapBasis.GRANT and rate is not None:
            first = floor_cents(rate * first)
        if first > limit.first_measures_cap:
            out.append(
                Finding.of(
                    "first-measures-cap-exceeded",
                    Severity.ERROR,
                    about,
                    limit.source,
                    kind=limit.title,
                    amount=first,
                    cap=limit.first_measures_cap,
                )
            )
    if limit.max_duration is not None:
        out.extend(_duration(limit, limit.max_duration, phase, as_decided, about))
    out.extend(_rate_against_tier(grant, phase, rate, programme))
    return out


def _duration(
    limit: PhaseLimit, standard: Span, phase: Phase, as_decided: Phase, about: Subject
) -> list[Finding]:
    """The phase's approval period against the longest its kind may have (``standard``).

    Longer as decided: an error. Extended by amendment beyond the standard duration:
    information — unless the programme sets a longest period after an extension
    (``extended_max_duration``) and the extension goes beyond that too: an error.
    """
    latest = as_decided.period.latest_end_within(standard)
    if as_decided.end > latest:
        longest, shown = standard, as_decided
    elif phase.end <= latest:
        return []
    elif limit.extended_max_duration is not None and phase.end > (
        as_decided.period.latest_end_within(limit.extended_max_duration)
    ):
        longest, shown = limit.extended_max_duration, phase
        latest = as_decided.period.latest_end_within(longest)
    else:
        return [
            Finding.of(
                "phase-extended-beyond-standard",
                Severity.INFO,
                about,
                limit.source,
                kind=limit.title,
                end=phase.end,
                longest=standard.message,
                latest=latest,
            )
        ]
    return [
        Finding.of(
            "phase-too-long",
            Severity.ERROR,
            about,
            limit.source,
            kind=limit.title,
            start=shown.start,
            end=shown.end,
            longest=longest.message,
            latest=latest,
        )
    ]


def _rate_against_tier(
    grant: Grant, phase: Phase, rate: Decimal | None, programme: ProgrammeRules
) -> list[Finding]:
    """The phase's rate against the rate of its tier.

    Above the tier's rate: an error. Below it: information, unless the tier's rate is only
    the maximum ("bis zu", ``tiers.<tier>.up_to``) and the decision sets the rate — a tier
    without ``up_to`` gives the rate itself ("Der Zuschuss beträgt 65 %").
    """
    tier = grant.phase_tier(phase) or programme.default_tier
    tier_rate = programme.rates.get(tier)
    if rate is None or tier_rate is None or rate == tier_rate:
        return []
    described = programme.tiers.get(tier)
    source = described.source if described is not None else programme.source
    if rate > tier_rate:
        code, severity = "rate-above-tier", Severity.ERROR
    elif described is not None and described.up_to:
        return []
    else:
        code, severity = "rate-below-tier", Severity.INFO
    return [
        Finding.of(
            code,
            severity,
            Subject("phase", phase.id),
            source,
            rate=rate,
            tier=tier,
            tier_rate=tier_rate,
        )
    ]


def tier_conditions(grant: Grant, programme: ProgrammeRules) -> list[Finding]:
    """Warnings where a grant or phase is on a tier with a condition and names no evidence.

    A tier such as MPSC's "haushaltsnotlage" (90 % instead of 65 %) is granted only where its
    condition holds ("Kommune in Haushaltsnotlage nach Landesrecht"); the case shows that it
    does in ``rate_tier_evidence`` — the phase's, else the grant's. One warning per tier a grant
    states (about the grant) and per tier a phase states of its own (about the phase).
    """
    out: list[Finding] = []
    seen: set[Subject] = set()
    for phase in grant.phases:
        tier = grant.phase_tier(phase) or programme.default_tier
        described = programme.tiers.get(tier)
        if described is None or described.condition is None:
            continue
        if (phase.rate_tier_evidence or grant.rate_tier_evidence or "").strip():
            continue
        about = (
            Subject("phase", phase.id)
            if phase.rate_tier is not None
            else Subject("grant", grant.id)
        )
        if about in seen:
            continue
        seen.add(about)
        out.append(
            Finding.of(
                "rate-tier-condition-unproven",
                Severity.WARNING,
                about,
                described.source or programme.source,
                tier=tier,
                tier_rate=programme.rates[tier],
                condition=described.condition,
            )
        )
    return out


def rulebook_fits(grant: Grant, rulebook: Rulebook) -> list[Finding]:
    """Findings where the decision names an edition not yet in force, or another Land's.

    The general conditions become part of the decision as its Nebenbestimmungen (VV Nr. 5.1 zu
    § 44 BHO, § 36 VwVfG); a decision cannot take over an edition before the day it applies
    from, and a Land variant applies to recipients in that Land (§ 44 LHO of the Land).
    """
    out: list[Finding] = []
    about = Subject("grant", grant.id)
    if grant.decision_date < rulebook.valid_from:
        out.append(
            Finding.of(
                "rulebook-not-in-force",
                Severity.WARNING,
                about,
                "VV Nr. 5.1 zu § 44 BHO; § 36 VwVfG",
                rulebook=rulebook.title,
                valid_from=rulebook.valid_from,
                decided=grant.decision_date,
            )
        )
    if rulebook.land is not None and rulebook.land != grant.land:
        out.append(
            Finding.of(
                "rulebook-other-land",
                Severity.WARNING,
                about,
                f"§ 44 LHO ({rulebook.land})",
                rulebook=rulebook.title,
                land=rulebook.land,
                recipient_land=grant.land,
            )
        )
    return out
