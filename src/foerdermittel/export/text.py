"""The text views for the terminal: report, deadlines, proof of use, interest, replan.

Each renderer takes a result the library computed and returns text; it formats, it does not
compute. Its words come from the message catalogues in the language asked for (``lang="de"``,
the default, or ``"en"``); the figures are the report's. The command line prints them; the HTML
view shows the report's text as its fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from foerdermittel import fmt
from foerdermittel.export.proof_text import render_proof
from foerdermittel.export.text_parts import (
    _finding_lines,
    _labelled,
    _reconciliation_lines,
    _table,
)
from foerdermittel.interest import InterestResult, RateOrigin
from foerdermittel.message_types import Subject
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.money import ZERO
from foerdermittel.rules.model import CapBasis, DrawdownRule, ProgrammeRules

if TYPE_CHECKING:
    from datetime import date

    from foerdermittel.extension import LineTotal
    from foerdermittel.model.amendments import Amendment
    from foerdermittel.model.grant import Grant
    from foerdermittel.report import Report
    from foerdermittel.scenarios import ComparisonTable

__all__ = [
    "comparison_cells",
    "comparison_text",
    "drawdown_mode_text",
    "render_deadlines",
    "render_interest",
    "render_proof",
    "render_replan",
    "render_report",
]


def _span(w: Words, first: date, last: date) -> str:
    return f"{w.date(first)}–{w.date(last)}"


def render_deadlines(report: Report, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The deadlines as a table: date, what, status, holiday calendar, legal source."""
    w = Words(lang)
    grant = report.grant
    lines = [
        w(
            "text.deadlines.title",
            recipient=fmt.visible(grant.recipient),
            grant=fmt.visible(grant.id),
        ),
        w("text.deadlines.intro", as_of=report.as_of),
        "",
    ]
    rows = [[w(f"text.deadlines.head.{c}") for c in _DEADLINE_COLUMNS]]
    notes: list[str] = []
    for d in report.deadlines:
        status = w(f"deadline-status.{d.status.value}")
        if d.submitted_on is not None:
            status += f" ({w.date(d.submitted_on)})"
        place = d.calendar_land + (f" ({d.calendar_region})" if d.calendar_region else "")
        rows.append([w.weekday(d.end), d.title_in(lang), status, place, d.legal_source])
        details = []
        shift_reason = d.shift_reason_in(lang)
        if shift_reason:
            details.append(w("text.deadlines.shifted", reason=shift_reason))
        if d.original_end is not None:
            details.append(w("text.deadlines.originally", day=d.original_end))
        if details:
            notes.append(
                f"  {w.date(d.end)} {fmt.visible(d.id)}: " + fmt.visible("; ".join(details))
            )
    lines += _table(rows, "lllll")
    if notes:
        lines += ["", w("text.deadlines.changes"), *notes]
    return "\n".join(lines) + "\n"


_DEADLINE_COLUMNS = ("date", "deadline", "status", "holidays", "source")


def drawdown_mode_text(rule: DrawdownRule, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """How money is called under ``rule`` ("nachschüssig alle 6 Monate").

    Examples:
        >>> from foerdermittel.rules.model import DrawdownMode
        >>> rule = DrawdownRule(mode=DrawdownMode.IN_ARREARS, interval_months=6, source="x")
        >>> drawdown_mode_text(rule), drawdown_mode_text(rule, lang="en")
        ('nachschüssig alle 6 Monate', 'in arrears every 6 months')
    """
    pooled = Words(lang)(f"drawdown.pooling.{'weekly' if rule.pooling == 'weekly' else 'monthly'}")
    return Words(lang)(
        f"drawdown.mode.{rule.mode.value}",
        months=rule.interval_months,
        horizon=rule.horizon.message if rule.horizon is not None else None,
        pooled=pooled,
    )


def _drawdown_lines(report: Report, w: Words) -> list[str]:
    plan = report.drawdowns
    rule = plan.rule
    mode = drawdown_mode_text(rule, lang=w.lang)
    basis = fmt.visible(w.of(report.drawdown_basis))
    out = ["", w("text.drawdown.title", mode=mode, source=basis)]
    recorded = plan.recorded
    upcoming = [c for c in plan.calls if c.kind == "planned" and c.on > report.as_of]
    if recorded:
        out.append(w("text.drawdown.paid", amount=plan.paid, count=len(recorded)))
    rows = [
        [w(f"text.drawdown.head.{c}") for c in ("date", "phase", "amount", "covers", "cumulative")]
    ]
    final = w("text.drawdown.final")
    for call in upcoming[:6]:
        rows.append(
            [
                w.weekday(call.on),
                call.phase,
                w.money(call.amount),
                _span(w, call.covers_from, call.covers_to),
                w.money(call.cumulative) + (f" ({final})" if call.withheld else ""),
            ]
        )
    if len(rows) > 1:
        out.append(w("text.drawdown.next"))
        out += ["    " + line for line in _table(rows, "llrll")]
        if len(upcoming) > 6:
            out.append(w("text.more", count=len(upcoming) - 6))
    else:
        out.append(w("text.drawdown.none"))
    return out


_OWN_SHARE_COLUMNS = (
    "year",
    "expenditure",
    "grant",
    "third-party",
    "own-share",
    "in-kind",
    "prefinanced",
    "budgeted",
)


def _own_share_lines(report: Report, w: Words) -> list[str]:
    rows = [[w(f"text.own-share.head.{c}") for c in _OWN_SHARE_COLUMNS]]
    for year in report.own_share.years:
        rows.append(
            [
                str(year.year),
                w.money(year.expenditure),
                w.money(year.grant_share),
                w.money(year.third_party_share),
                w.money(year.own_share),
                w.money(year.in_kind),
                w.money(year.max_prefinanced),
                w.money(year.budgeted) if year.budgeted is not None else "—",
            ]
        )
    return ["", w("text.own-share.title"), *_table(rows, "lrrrrrrr")]


def _tier_text(w: Words, prog: ProgrammeRules | None, tier: str | None, proof: str | None) -> str:
    """The rate tier, its rate ("bis zu" where only the maximum) and the evidence of it; or ""."""
    described = prog.tiers.get(tier) if prog is not None and tier else None
    rate = prog.rates.get(tier) if prog is not None and tier else None
    if described is None and not proof:
        return ""
    text = fmt.visible(tier or "")
    if rate is not None:
        up_to = "up-to" if described is not None and described.up_to else "fixed"
        text = w(f"text.report.tier.{up_to}", tier=text, rate=rate)
    if proof:
        key = "text.report.tier.evidence" if text else "text.report.tier.evidence-only"
        return w(key, tier=text, evidence=fmt.visible(proof))
    unproven = described is not None and described.condition is not None
    return w("text.report.tier.unproven", tier=text) if unproven else text


def _tier_pairs(grant: Grant, prog: ProgrammeRules | None, w: Words) -> list[tuple[str, str]]:
    """Header rows: the grant's rate tier, and phases on a tier or evidence of their own."""
    default = prog.default_tier if prog is not None else None
    texts = [_tier_text(w, prog, grant.rate_tier or default, grant.rate_tier_evidence)]
    for phase in grant.phases:
        if phase.rate_tier is not None or phase.rate_tier_evidence is not None:
            proof = phase.rate_tier_evidence or grant.rate_tier_evidence
            text = _tier_text(w, prog, grant.phase_tier(phase) or default, proof)
            if text:
                texts.append(w("text.report.tier.phase", phase=fmt.visible(phase.id), tier=text))
    return [("text.report.tier.label", text) for text in texts if text]


def _flat_rate_lines(report: Report, w: Words) -> list[str]:
    """The plan's flat-rate lines, each with its rate and base; nothing without any."""
    titles = {line.id: line.title for line in report.plan.lines}
    shown = [
        "  "
        + w(
            "flat-rate.text.line",
            line=fmt.visible(flat.line),
            title=fmt.visible(titles[flat.line]),
            shown=flat.shown,
            source=fmt.visible(flat.source),
        )
        for flat in report.flat_rates
    ]
    return ["", w("flat-rate.text.heading"), *shown] if shown else []


def render_report(report: Report, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The report as text for the terminal (German by default, ``lang="en"`` in English)."""
    w = Words(lang)
    grant, fin, rulebook = report.grant, report.financing, report.rulebook
    title = fmt.visible(report.title or grant.id)
    lines = [title, "=" * len(title)]
    programme = fmt.visible(rulebook.programme.title) if rulebook.programme else "—"
    rulebook_text = fmt.visible(rulebook.title) + (
        " " + w("text.report.budget-act-proviso") if rulebook.budget_act_proviso else ""
    )
    financing = w(f"financing-type.{grant.financing_type.value}") + (
        w("text.report.rate", rate=grant.rate) if grant.rate is not None else ""
    )
    pairs = [
        ("text.report.recipient", fmt.visible(grant.recipient)),
        ("text.report.funder", fmt.visible(grant.funder)),
        (
            "text.report.decision",
            w("text.report.decision-of", grant=fmt.visible(grant.id), day=grant.decision_date),
        ),
        ("text.report.programme", programme),
        ("text.report.rulebook", rulebook_text),
        ("text.report.financing", financing),
        *_tier_pairs(grant, rulebook.programme, w),
    ]
    if grant.max_amount is not None:
        basis = "grant" if grant.max_amount_basis is CapBasis.GRANT else "eligible"
        pairs.append(
            (
                "text.report.max-amount",
                w(f"text.report.max-amount-of.{basis}", amount=grant.max_amount),
            )
        )
    pairs.append(("text.report.as-of", w.date(report.as_of)))
    lines += _labelled(w, pairs)
    lines.append("")
    columns = ("phase", "period", "eligible", "grant", "own-share", "third-party")
    rows = [[w(f"text.report.head.{c}") for c in columns]]
    for phase, pf in zip(grant.phases, fin.phases, strict=True):
        rows.append(
            [
                f"{phase.id} {phase.title}",
                _span(w, phase.start, phase.end),
                w.money(pf.eligible_expenditure),
                w.money(pf.grant),
                w.money(pf.own_share),
                w.money(pf.third_party + pf.other_public),
            ]
        )
    rows.append(
        [
            w("text.total"),
            "",
            w.money(fin.eligible_expenditure),
            w.money(fin.grant),
            w.money(fin.own_share),
            w.money(fin.third_party + fin.other_public),
        ]
    )
    lines += _table(rows, "llrrrr")
    lines += _flat_rate_lines(report, w)
    if report.amendments:
        lines += ["", w("text.report.amendments")]
        for a in report.amendments:
            lines.append(
                "  "
                + w(
                    "text.report.amendment",
                    id=fmt.visible(a.id),
                    day=a.decided_on,
                    title=fmt.visible(a.title),
                )
            )
            for change in report.changes_of(a):
                lines.append(
                    "    "
                    + w(
                        "amendments.change",
                        about=change.about,
                        what=change.what,
                        before=change.shown_before,
                        after=change.shown_after,
                    )
                )
    lines += _drawdown_lines(report, w)
    lines += _own_share_lines(report, w)
    upcoming = [d for d in report.deadlines if d.status.value in {"open", "due_soon"}]
    if upcoming:
        lines += ["", w("text.report.next-deadlines")]
        for d in [d for d in upcoming if d.action_required][:5]:
            status = w(f"deadline-status.{d.status.value}")
            lines.append(f"  {w.weekday(d.end)}  {fmt.visible(d.title_in(lang))} ({status})")
    if report.overrides:
        lines += ["", w("text.report.overrides")]
        for o in report.overrides:
            lines.append(fmt.visible(f"  {o.path}: {o.original} → {o.value} ({o.reason})"))
    lines += ["", *_reconciliation_lines(report.reconciliation, w)]
    lines.append("")
    if report.findings:
        shown_above = sum(f.code == "reconciliation-failed" for f in report.findings)
        key = "text.findings.count-above" if shown_above else "text.findings.count"
        lines.append(w(key, count=len(report.findings), above=shown_above))
        for f in report.findings:
            if f.code != "reconciliation-failed":
                lines += _finding_lines(f, w)
    else:
        lines.append(w("text.findings.none"))
    return "\n".join(lines) + "\n"


def render_replan(
    report: Report,
    draft: Amendment,
    totals: Sequence[LineTotal] | None = None,
    *,
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """The binding drawdown plan of an extension draft, with the re-planned line amounts.

    ``totals`` is the check of each line's total against the decision
    ([`line_totals`][foerdermittel.extension.line_totals]); the text states what it found and
    nothing more.
    """
    w = Words(lang)
    title = fmt.visible(draft.title)
    lines = [title, "=" * len(title), w("text.as-of", day=report.as_of), ""]
    lines.append(w("text.replan.title"))
    years = draft.years
    check = {t.line: t for t in totals or ()}
    extra = [w("text.replan.head.decided"), w("text.replan.head.difference")] if totals else []
    rows = [[w("text.replan.head.line"), *map(str, years), w("text.replan.head.sum"), *extra]]
    for change in draft.lines:
        total = check.get(change.line)
        rows.append(
            [
                change.line,
                *(w.money(change.amounts.get(y, ZERO)) for y in years),
                w.money(change.total),
                *(
                    [w.money(total.decided), w.money(total.difference)]
                    if total is not None
                    else ["—", "—"] * (totals is not None)
                ),
            ]
        )
    lines += ["  " + row for row in _table(rows, "l" + "r" * (len(years) + 1 + len(extra)))]
    if totals is not None:
        changed = tuple(t.line for t in totals if not t.matches)
        if changed:
            lines.append(fmt.visible(w("text.replan.changed", lines=changed)))
        else:
            lines.append(w("text.replan.unchanged", count=len(totals)))
    if draft.note:
        lines.append(w("text.note", text=fmt.visible(draft.note)))
    phase = draft.phases[0].phase
    lines += ["", w("text.replan.plan", phase=fmt.visible(phase))]
    columns = ("date", "amount", "covers", "cumulative", "kind")
    rows = [[w(f"text.replan.head.{c}") for c in columns]]
    final = w("text.drawdown.final")
    for call in report.drawdowns.calls:
        if call.phase != phase:
            continue
        rows.append(
            [
                w.weekday(call.on),
                w.money(call.amount),
                _span(w, call.covers_from, call.covers_to),
                w.money(call.cumulative),
                w(f"text.replan.kind.{call.kind}") + (f" ({final})" if call.withheld else ""),
            ]
        )
    lines += ["  " + row for row in _table(rows, "lrlrl")]
    relevant = [f for f in report.findings if f.about == Subject("phase", phase)]
    if relevant:
        lines += ["", w("text.findings.title")]
        for f in relevant:
            lines += _finding_lines(f, w, subject=False)
    return "\n".join(lines) + "\n"


def render_interest(result: InterestResult, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """An interest result as text, segment by segment."""
    w = Words(lang)
    lines = [
        w("text.interest.title", principal=result.principal),
        w(
            "text.interest.terms",
            start=result.start,
            end=result.end,
            day_count=result.day_count.value,
            points=str(result.points_above_base),
        ),
        "",
    ]
    columns = ("period", "days", "base-rate", "rate", "interest")
    rows = [[w(f"text.interest.head.{c}") for c in columns]]
    for segment in result.segments:
        origin = (
            ""
            if segment.origin is RateOrigin.TABLE
            else f" ({w(f'rate-origin.{segment.origin.value}')})"
        )
        rows.append(
            [
                _span(w, segment.first_day, segment.last_day),
                f"{segment.days}/{segment.year_basis}",
                w.percent(segment.base_rate / 100) + origin,
                w.percent(segment.rate / 100),
                w.money(segment.amount),
            ]
        )
    lines += _table(rows, "lrrrr")
    lines += ["", w("text.interest.total", amount=result.interest)]
    lines.append(w("text.basis", source=fmt.visible(result.legal_reference)))
    if result.base_rate_file:
        lines.append(w("text.interest.file", file=fmt.visible(result.base_rate_file)))
    return "\n".join(lines) + "\n"


_COMPARISON_HEAD = ("scenario", "total-cost", "grant", "own-share", "burden")
_COMPARISON_TAIL = (
    "refund",
    "interest",
    "last-call",
    "missed",
    "errors",
    "warnings",
)


def comparison_cells(
    table: ComparisonTable, *, lang: str = DEFAULT_LANGUAGE
) -> tuple[list[str], list[list[str]]]:
    """The scenario comparison as cells: the head, then one row of figures per scenario."""
    w = Words(lang)
    years = table.years()
    head = [
        *(w(f"text.compare.head.{c}") for c in _COMPARISON_HEAD),
        *(w("text.compare.head.burden-year", year=str(y)) for y in years),
        *(w(f"text.compare.head.{c}") for c in _COMPARISON_TAIL),
    ]
    body = [
        [
            w.of(row.label),
            w.money(row.total_cost),
            w.money(row.grant),
            w.money(row.own_share),
            w.money(row.burden),
            *(w.money(row.burden_by_year.get(y, ZERO)) for y in years),
            w.money(row.refund),
            w.money(row.interest),
            w.date(row.last_call) if row.last_call else "—",
            str(row.deadlines_missed),
            str(row.errors),
            str(row.warnings),
        ]
        for row in table.rows
    ]
    return head, body


def _comparison_reconciliation_line(table: ComparisonTable, w: Words) -> str:
    failed = sum(1 for row in table.rows if not row.reconciled)
    if not failed:
        return w("text.compare.reconciled", count=len(table.rows))
    return w("text.compare.unreconciled", failed=failed, count=len(table.rows))


def comparison_text(
    table: ComparisonTable, *, notes: bool = True, lang: str = DEFAULT_LANGUAGE
) -> str:
    """The scenario comparison as text, each row's notes below (``notes=False``: none)."""
    w = Words(lang)
    head, body = comparison_cells(table, lang=lang)
    rows = [head, *body]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for r in rows:
        cells = [
            c.ljust(width) if i == 0 else c.rjust(width)
            for i, (c, width) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    if notes:
        for row in table.rows:
            lines += [
                w("text.compare.note", scenario=row.label, text=remark) for remark in row.remarks
            ]
    lines.append(_comparison_reconciliation_line(table, w))
    lines += [
        f"  {w.of(row.label)}: {', '.join(w.of(item) for item in row.failed_checks)}"
        for row in table.rows
        if row.failed_checks
    ]
    return "\n".join(lines) + "\n"
