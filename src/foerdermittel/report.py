"""The report of a case, ready to render.

Everything [`evaluate`][foerdermittel.evaluation.evaluate] computed for the case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from foerdermittel.deadlines import Deadline
from foerdermittel.drawdowns import DrawdownPlan, FlowMonth
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing
from foerdermittel.flat_rates import FlatRateLine, flat_rate_lines
from foerdermittel.forecasting import Forecast
from foerdermittel.late_use import LateUseInterest
from foerdermittel.model.amendments import Amendment
from foerdermittel.model.grant import Grant
from foerdermittel.model.plan import FinancingPlan
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

    @property
    def has_errors(self) -> bool:
        """Whether a finding of severity error exists."""
        return any(f.severity is Severity.ERROR for f in self.findings)

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
