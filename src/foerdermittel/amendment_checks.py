"""Checks on amendments (Änderungsbescheide): extensions and the applications for them.

An extension may pass the programme's ceiling, outrun a proof-of-use deadline counted from the
Förderzusage, or be applied for only after the approval period ended; each is a finding.

What an amendment changes of the figures (Höchstbetrag, rate, eligible expenditure) is checked
where the decision's own figures are: on the amended case, by the financing checks
(``phase-cap-exceeded``, ``rate-above-tier``, ``grant-capped``, …).
"""

from __future__ import annotations

from foerdermittel.deadline_arithmetic import period_end
from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import Subject
from foerdermittel.model.case import Case
from foerdermittel.rules.model import Rulebook

__all__ = ["check_amendments"]


def _kind(case: Case, phase_id: str) -> str:
    return next(p.programme_kind for p in case.grant.phases if p.id == phase_id)


def check_amendments(case: Case, rulebook: Rulebook) -> tuple[Finding, ...]:
    """Findings on amendments: extensions past the programme's ceiling, late applications.

    Each names the amendment (``amendment``, a [`Subject`][foerdermittel.message_types.Subject])
    and its days; the ceiling and the period for the proof of use come from the programme:

    * ``extension-beyond-ceiling`` (error): ``new_end``, ``ceiling``.
    * ``proof-deadline-before-phase-end`` (warning): the proof of use would be due ``span``
      after the Förderzusage, on ``due``, before ``new_end``.
    * ``extension-applied-late`` (warning): ``applied`` after the period ended on ``end``.

    References:
        § 31 Abs. 7 VwVfG (deadlines set by an authority may be extended, even afterwards);
        MPSC call 2021: cost-neutral extension at most to 31.03.2028.
    """
    findings: list[Finding] = []
    programme = rulebook.programme
    ceiling = programme.extension_ceiling if programme else None
    ends = {p.id: p.end for p in case.grant.phases}
    for amendment in case.ordered_amendments():
        named = Subject("amendment", amendment.id)
        for change in amendment.phases:
            if change.new_end is None:
                continue  # the period stays: the phase's figures are checked on the amended case
            subject = Subject("phase", change.phase)
            if ceiling is not None and programme is not None and change.new_end > ceiling:
                findings.append(
                    Finding.of(
                        "extension-beyond-ceiling",
                        Severity.ERROR,
                        subject,
                        programme.source,
                        amendment=named,
                        new_end=change.new_end,
                        ceiling=ceiling,
                    )
                )
            limit = programme.phases.get(_kind(case, change.phase)) if programme else None
            if limit is not None and limit.proof_of_use_after_decision is not None:
                phase = next(p for p in case.grant.phases if p.id == change.phase)
                decided = case.grant.phase_decision_date(phase)
                due = period_end(decided, limit.proof_of_use_after_decision)
                if due < change.new_end:
                    findings.append(
                        Finding.of(
                            "proof-deadline-before-phase-end",
                            Severity.WARNING,
                            subject,
                            limit.proof_of_use_source or limit.source,
                            amendment=named,
                            span=limit.proof_of_use_after_decision.message,
                            due=due,
                            new_end=change.new_end,
                        )
                    )
            current = ends[change.phase]
            if amendment.applied_on is not None and amendment.applied_on > current:
                findings.append(
                    Finding.of(
                        "extension-applied-late",
                        Severity.WARNING,
                        subject,
                        "§ 31 Abs. 7 VwVfG",
                        amendment=named,
                        applied=amendment.applied_on,
                        end=current,
                    )
                )
            ends[change.phase] = change.new_end
    return tuple(findings)
