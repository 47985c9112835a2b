"""Pieces the text views share: aligned tables, labelled lines, findings."""

from __future__ import annotations

from collections.abc import Sequence

from foerdermittel import fmt
from foerdermittel.errors import Finding
from foerdermittel.message_types import Message
from foerdermittel.messages import Words
from foerdermittel.reconciliation import Reconciliation

__all__: list[str] = []


def _table(rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """Rows as aligned columns; a cell's control characters are shown escaped (and counted)."""
    rows = [[fmt.visible(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell.ljust(width) if a == "l" else cell.rjust(width)
            for cell, width, a in zip(row, widths, align, strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _labelled(w: Words, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """``label: value`` lines with the values in one column, as wide as the longest label."""
    labels = [w(key) + ":" for key, _ in pairs]
    width = max(len(label) for label in labels) + 1
    return [label.ljust(width) + value for label, (_, value) in zip(labels, pairs, strict=True)]


def _finding_lines(finding: Finding, w: Words, *, subject: bool = True) -> list[str]:
    """A finding as text: severity, subject and message; its legal basis where it has one."""
    message = fmt.visible(finding.message_in(w.lang))
    about = f"{fmt.visible(finding.subject_in(w.lang))}: " if subject else ""
    lines = [f"  [{w(f'severity.{finding.severity.value}')}] {about}{message}"]
    if subject and finding.legal_reference.strip(" —-"):
        lines.append("      " + w("text.basis", source=fmt.visible(finding.legal_reference)))
    return lines


def _reconciliation_lines(result: Reconciliation, w: Words) -> list[str]:
    """An Abstimmung in one line, then every check that does not hold, in full."""
    count = len(result.checks)
    if result.ok:
        return [w("text.reconciliation.ok", count=count)]
    failed = len(result.failures)
    checks = Message.of("text.reconciliation.checks", count=count)
    lines = [w("text.reconciliation.failed", count=failed, total=count, checks=checks)]
    for check in result.failures:
        subject, message = w.of(check.place), w.of(check.text)
        lines.append(f"  {fmt.visible(subject)}: {fmt.visible(message)}")
        if check.legal_reference.strip(" —-"):
            lines.append("      " + w("text.basis", source=fmt.visible(check.legal_reference)))
    return lines
