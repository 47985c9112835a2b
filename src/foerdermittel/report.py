"""The report of a case, ready to render.

Everything [`evaluate`][foerdermittel.evaluation.evaluate] computed for the case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from foerdermittel.deadlines import Deadline
from foerdermittel.drawdowns import DrawdownPlan, FlowMonth
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing
from foerdermittel.flat_rates import FlatRateLine, flat_rate_lines
from foerdermittel.forecasting import Forecast
from foerdermittel.late_use import LateUseInterest
from foerdermittel.message_types import Message
from foerdermittel.model.amending import amend_grant
from foerdermittel.model.amendments import Amendment, DecisionChange
from foerdermittel.model.grant import Grant
from foerdermittel.model.plan import FinancingPlan
from foerdermittel.model.records import Income
from foerdermittel.own_share_plan import OwnSharePlan
from foerdermittel.proof import PROOF_FINDING_CODES, ProofOfUse
from foerdermittel.reconciliation import Reconciliation
from foerdermittel.rules.model import Rulebook
from foerdermittel.rules.overrides import AppliedOverride
from foerdermittel.views import Viewable, render_view

__all__ = ["Report"]


class Report(BaseModel, Viewable):
    """Bericht — the evaluated case. Renderers (CLI text, JSON) only read it.

    Attributes:
        title: the case's title.
        as_of: the key date (Stichtag) of the evaluation.
        grant: the grant decision as its amendments leave it.
        plan: the financing plan as its amendments leave it.
        original_grant: the grant as first decided, where amendments changed it.
        amendments: the amendments applied, by date.
        decision_changes: each value of the decision the amendments changed (Höchstbetrag,
            rate, eligible expenditure, a phase's end), the value before and after, with the
            amendment's id and day; computed from ``original_grant`` and ``amendments``.
        rulebook: the rulebook in force, overrides applied.
        overrides: the overrides the decision makes, with the values they replaced.
        financing: grant, own share and third-party money per phase and in total.
        deadlines: every deadline in date order, with its status on the key date.
        forecast: the spending forecast per line and month.
        drawdowns: the drawdown plan (recorded payouts and planned calls).
        flows: planned and actual/forecast expenditure and the calls per month, with running
            totals, every month from the first to the last (the workbook's Verlauf, the chart).
        own_share: the own share per month and budget year, per phase and line.
        interest: interest on payouts not used in time (§ 49a Abs. 4 VwVfG).
        proof_of_use: the figures of the proof of use and the final account.
        reconciliation: the Abstimmung: the report's figures checked against each other.
        findings: every finding, errors first.
        income: the income entries recorded (Einnahmen: third-party money and other public
            funding received, ``Case.income``) in the case's order; the Belegliste lists them
            apart from the expenditure.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None
    as_of: date
    grant: Grant
    plan: FinancingPlan
    original_grant: Grant | None
    amendments: tuple[Amendment, ...]
    rulebook: Rulebook
    overrides: tuple[AppliedOverride, ...]
    financing: Financing
    deadlines: tuple[Deadline, ...]
    forecast: Forecast
    drawdowns: DrawdownPlan
    flows: tuple[FlowMonth, ...]
    own_share: OwnSharePlan
    interest: LateUseInterest
    proof_of_use: ProofOfUse
    reconciliation: Reconciliation
    findings: tuple[Finding, ...]
    income: tuple[Income, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def decision_changes(self) -> tuple[DecisionChange, ...]:
        """Each value of the decision the amendments changed, before and after, in order.

        The grant as first decided beside the grant in force, value by value (see
        [`amend_grant`][foerdermittel.model.amending.amend_grant]); empty without amendments.
        """
        if self.original_grant is None:
            return ()
        return amend_grant(self.original_grant, self.amendments)[1]

    def changes_of(self, amendment: Amendment) -> tuple[DecisionChange, ...]:
        """The values of the decision ``amendment`` changed, in order."""
        return tuple(c for c in self.decision_changes if c.amendment == amendment.id)

    @property
    def has_errors(self) -> bool:
        """Whether a finding of severity error exists."""
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def drawdown_overrides(self) -> tuple[AppliedOverride, ...]:
        """The overrides that changed the drawdown rule in force, in the case's order.

        Those of ``drawdown.…`` and of ``programme.drawdown.…``: either changes the rule in
        force where the programme sets one.
        """
        return tuple(o for o in self.overrides if _is_drawdown_path(o.path))

    @property
    def drawdown_basis(self) -> Message:
        """The basis of the drawdown plan as its header cites it (``drawdown.rule-basis.…``).

        The rule's source; where the decision deviates from the rule, that too: each reason
        the case gives with the paths it changed ("MPSC-Förderrichtlinie (…); abweichend
        Bescheid Nr. 5 (drawdown.interval_months)").
        """
        source = self.drawdowns.rule.source
        changed = self.drawdown_overrides
        if not changed:
            return Message.of("drawdown.rule-basis.plain", source=source)
        reasons: dict[str, list[str]] = {}
        for override in changed:
            reasons.setdefault(override.reason, []).append(override.path)
        return Message.of(
            "drawdown.rule-basis.deviating",
            source=source,
            deviations=tuple(
                Message.of("drawdown.rule-basis.override", reason=reason, paths=tuple(paths))
                for reason, paths in reasons.items()
            ),
        )

    @property
    def flat_rates(self) -> tuple[FlatRateLine, ...]:
        """The plan's flat-rate lines (Pauschalen) with their rate and base, in plan order."""
        return flat_rate_lines(self.plan, self.rulebook)

    @property
    def proof_findings(self) -> tuple[Finding, ...]:
        """The findings that belong to the proof of use, in the order of ``findings``.

        Their codes are [`PROOF_FINDING_CODES`][foerdermittel.proof.PROOF_FINDING_CODES].
        """
        return tuple(f for f in self.findings if f.code in PROOF_FINDING_CODES)

    def to_json(self, *, indent: int | None = 2, lang: str = "de") -> str:
        """The report as JSON; amounts are strings with two places (``"9880000.00"``).

        Findings, checks and deadlines carry their data (``about``, ``text`` with key and
        parameters) and their words in ``lang`` (``subject``, ``message``, ``title``, …).
        """
        return self.model_dump_json(indent=indent, context={"lang": lang})

    def to_frame(self, part: str = "financing") -> Any:
        """One part as a pandas DataFrame; amounts stay exact ``Decimal``.

        Parts: ``financing``, ``drawdowns``, ``own_share``, ``deadlines``, ``lines``. Needs the
        ``pandas`` extra.
        """
        return render_view("frame", self, part)

    def plot(self, kind: str = "flows", ax: Any = None, *, lang: str = "de") -> Any:
        """A matplotlib chart; returns the Axes. Needs the ``plot`` extra.

        Kinds: ``flows`` (cumulative plan, actual and calls over time) or ``own_share`` (own
        share per budget year); titles and legends in ``lang`` (``de`` or ``en``).
        """
        return render_view("plot", self, kind, ax=ax, lang=lang)


def _is_drawdown_path(path: str) -> bool:
    """Whether an override path changes the drawdown rule (the edition's or the programme's)."""
    for group in ("drawdown", "programme.drawdown"):
        if path == group or path.startswith(group + "."):
            return True
    return False
