"""Orchestration: case in, report out. No rule lives here."""

from __future__ import annotations

from datetime import date

from foerdermittel.errors import Severity
from foerdermittel.financing import check_financing, compute_financing
from foerdermittel.model.case import Case
from foerdermittel.report import Report

__all__ = ["evaluate"]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def evaluate(case: Case, as_of: date | None = None) -> Report:
    """Evaluate a case on a key date (Stichtag): financing and findings.

    Args:
        case: the case, as loaded by :func:`foerdermittel.load_case` or built in Python.
        as_of: the key date; today when not given.

    Returns:
        The :class:`~foerdermittel.report.Report`.

    >>> from foerdermittel import load_case
    >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
    >>> str(report.financing.grant), report.has_errors
    ('9880000.00', False)
    """
    rulebook, overrides = case.rulebook()
    financing = compute_financing(case)
    findings = check_financing(case, rulebook, financing)
    return Report(
        title=case.title,
        as_of=as_of if as_of is not None else date.today(),
        grant=case.grant,
        rulebook=rulebook,
        overrides=overrides,
        financing=financing,
        findings=tuple(sorted(findings, key=lambda f: _ORDER[f.severity])),
    )
