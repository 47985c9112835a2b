"""Checks on amendments (Änderungsbescheide): extensions and the applications for them.

An extension may pass the programme's ceiling, outrun a proof-of-use deadline counted from the
Förderzusage, or be applied for only after the approval period ended; each is a finding.
"""

from __future__ import annotations

from datetime import date

from foerdermittel.deadline_arithmetic import period_end
from foerdermittel.errors import Finding, Severity
from foerdermittel.model.case import Case
from foerdermittel.rules.model import Rulebook

__all__ = ["check_amendments"]


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _kind(case: Case, phase_id: str) -> str:
    return next(p.programme_kind for p in case.grant.phases if p.id == phase_id)


def check_amendments(case: Case, rulebook: Rulebook) -> tuple[Finding, ...]:
    """Findings on amendments: extensions past the programme's ceiling, late applications.

    References:
        § 31 Abs. 7 VwVfG (deadlines set by an authority may be extended, even afterwards);
        MPSC call 2021: cost-neutral extension at most to 31.03.2028.
    """
    findings: list[Finding] = []
    programme = rulebook.programme
    ceiling = programme.extension_ceiling if programme else None
    ends = {p.id: p.end for p in case.grant.phases}
    for amendment in case.ordered_amendments():
        for change in amendment.phases:
            subject = f"Phase {change.phase}"
            if ceiling is not None and programme is not None and change.new_end > ceiling:
                findings.append(
                    Finding(
                        code="extension-beyond-ceiling",
                        severity=Severity.ERROR,
                        message=(
                            f"Änderungsbescheid {amendment.id}: Verlängerung bis "
                            f"{_d(change.new_end)} liegt nach der Obergrenze des Programms "
                            f"({_d(ceiling)})"
                        ),
                        legal_reference=programme.source,
                        subject=subject,
                    )
                )
            limit = programme.phases.get(_kind(case, change.phase)) if programme else None
            if limit is not None and limit.proof_of_use_after_decision is not None:
                phase = next(p for p in case.grant.phases if p.id == change.phase)
                decided = case.grant.phase_decision_date(phase)
                due = period_end(decided, limit.proof_of_use_after_decision)
                if due < change.new_end:
                    findings.append(
                        Finding(
                            code="proof-deadline-before-phase-end",
                            severity=Severity.WARNING,
                            message=(
                                f"Änderungsbescheid {amendment.id}: der Verwendungsnachweis "
                                f"wäre {limit.proof_of_use_after_decision} nach der Zusage, am "
                                f"{_d(due)}, fällig — vor dem neuen Ende {_d(change.new_end)}; "
                                "die Nachweisfrist muss der Zuwendungsgeber neu festsetzen"
                            ),
                            legal_reference=limit.proof_of_use_source or limit.source,
                            subject=subject,
                        )
                    )
            current = ends[change.phase]
            if amendment.applied_on is not None and amendment.applied_on > current:
                findings.append(
                    Finding(
                        code="extension-applied-late",
                        severity=Severity.WARNING,
                        message=(
                            f"Änderungsbescheid {amendment.id}: Antrag vom "
                            f"{_d(amendment.applied_on)} erst nach Ende des "
                            f"Bewilligungszeitraums am {_d(current)} gestellt; eine "
                            "rückwirkende Verlängerung liegt im Ermessen des Zuwendungsgebers"
                        ),
                        legal_reference="§ 31 Abs. 7 VwVfG",
                        subject=subject,
                    )
                )
            ends[change.phase] = change.new_end
    return tuple(findings)
