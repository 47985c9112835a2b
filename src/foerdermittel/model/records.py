"""What happened after the decision: payouts, submissions, the funder's requests, settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from foerdermittel.errors import CaseError
from foerdermittel.frozen import FrozenMap, ReadOnlyMap
from foerdermittel.model.dates import CaseDate
from foerdermittel.parse import Percent
from foerdermittel.plausible import (
    DUE_SOON_DAYS_MAX,
    PlausibleMoney,
    PlausibleNonNegativeMoney,
    base_rate_problem,
)
from foerdermittel.rules.base_rate import (
    BaseRate,
    BaseRateTable,
    InterestError,
    parse_day_count,
    rate_table,
)

__all__ = [
    "DEFAULT_LEDGER_COLUMNS",
    "Expenditure",
    "Income",
    "InterimProofRequest",
    "LedgerRef",
    "Payout",
    "Settings",
    "Submission",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Payout(_Frozen):
    """Auszahlung — grant money the funder paid out.

    Attributes:
        id: the payout's id, e.g. ``A-1``.
        phase: the phase the money belongs to.
        amount: the amount paid.
        requested_on: date of the request (Mittelabruf), where known.
        paid_on: value date, the day the money arrived (Wertstellung).
    """

    id: str = Field(min_length=1, description="Kennung der Auszahlung")
    phase: str = Field(description="Kennung der Phase")
    amount: PlausibleNonNegativeMoney = Field(description="ausgezahlter Betrag")
    requested_on: CaseDate | None = Field(default=None, description="Datum des Mittelabrufs")
    paid_on: CaseDate = Field(description="Wertstellung (Zahlungseingang)")


class Expenditure(_Frozen):
    """Beleg — an expenditure actually paid, charged to a budget line.

    Credit notes and refunds received from suppliers are negative amounts of kind ``credit``.

    Attributes:
        id: the voucher number (Belegnummer).
        line: the budget line it is charged to.
        paid_on: payment date.
        amount: amount paid, gross (negative for a credit note).
        net_amount: the amount without deductible input tax, where the ledger gives it; used
            instead of ``amount`` when the recipient may deduct input tax.
        payee: who was paid.
        purpose: what for.
        kind: ``expenditure`` (Ausgabe) or ``credit`` (Gutschrift / Erstattung).
        reference: for a credit note, the voucher it corrects.
        origin: where the entry was read from (file and row), for messages.
        invoice_number: the number of the invoice paid (Rechnungsnummer), where the ledger
            gives it; the Belegliste shows it.
        invoice_date: the date of that invoice (Rechnungsdatum), where the ledger gives it.
    """

    id: str = Field(min_length=1, description="Belegnummer")
    line: str = Field(description="Kennung des Einzelansatzes")
    paid_on: CaseDate = Field(description="Zahlungsdatum")
    amount: PlausibleMoney = Field(description="Betrag brutto (Gutschriften negativ)")
    net_amount: PlausibleMoney | None = Field(
        default=None, description="Betrag netto (ohne Vorsteuer)"
    )
    payee: str | None = Field(default=None, description="Zahlungsempfänger")
    purpose: str | None = Field(default=None, description="Verwendungszweck")
    kind: Literal["expenditure", "credit"] = Field(
        default="expenditure", description="Ausgabe (expenditure) oder Gutschrift (credit)"
    )
    reference: str | None = Field(default=None, description="Bezug (Belegnummer bei Gutschriften)")
    origin: str | None = Field(default=None, description="Herkunft (Datei und Zeile)")
    invoice_number: str | None = Field(default=None, description="Rechnungsnummer")
    invoice_date: CaseDate | None = Field(default=None, description="Rechnungsdatum")


class Income(_Frozen):
    """Einnahme — money for the project: from others (third-party money, other grants) or own.

    Attributes:
        id: the voucher number.
        received_on: the day it was received.
        amount: the amount received.
        source: the funding source of the plan it belongs to (``None``: not in the plan, i.e.
            new cover funds in the sense of ANBest Nr. 2).
        kind: third-party money, other public funding, or the recipient's own funds booked to
            the project (``own_funds``: no cover funds in the sense of ANBest Nr. 2; the
            Zwischennachweis shows them as booked own funds).
        phase: the phase it finances (may be left out when the grant has one phase).
        payer: who paid it.
        purpose: what for.
        origin: where the entry was read from (file and row).
    """

    id: str = Field(min_length=1, description="Belegnummer")
    received_on: CaseDate = Field(description="Eingangsdatum")
    amount: PlausibleMoney = Field(description="Betrag")
    source: str | None = Field(default=None, description="Kennung der Finanzierungsquelle")
    kind: Literal["third_party", "other_public", "own_funds"] = Field(
        default="third_party",
        description="Drittmittel, andere öffentliche Förderung oder Eigenmittel (own_funds)",
    )
    phase: str | None = Field(default=None, description="Kennung der Phase")
    payer: str | None = Field(default=None, description="Zahlungspflichtiger")
    purpose: str | None = Field(default=None, description="Verwendungszweck")
    origin: str | None = Field(default=None, description="Herkunft (Datei und Zeile)")


DEFAULT_LEDGER_COLUMNS: dict[str, str] = {
    "id": "Belegnummer",
    "paid_on": "Zahlungsdatum",
    "amount": "Betrag",
    "net_amount": "Netto",
    "line": "Einzelansatz",
    "payee": "Zahlungsempfänger",
    "purpose": "Verwendungszweck",
    "kind": "Art",
    "reference": "Bezug",
    "source": "Finanzierungsquelle",
    "invoice_number": "Rechnungsnummer",
    "invoice_date": "Rechnungsdatum",
}
"""German column names of a ledger export, by field."""


class LedgerRef(_Frozen):
    """Belegbuch — where the case's ledger lives and how to read it.

    Attributes:
        file: path of the CSV or XLSX file, relative to the case file.
        columns: column names by field, where they differ from the German defaults.
        delimiter: CSV delimiter (default ``;``).
        sheet: the worksheet of an XLSX file. Without it the workbook's only visible sheet is
            read; a workbook with several visible sheets is refused until one is named here.
        max_bytes: files larger than this are refused.
    """

    file: str = Field(description="Datei (CSV oder XLSX), relativ zur Falldatei")
    columns: ReadOnlyMap[str, str] = Field(
        default_factory=FrozenMap, description="abweichende Spaltennamen je Feld"
    )
    delimiter: str = Field(default=";", min_length=1, max_length=1, description="CSV-Trennzeichen")
    sheet: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Tabellenblatt einer XLSX-Datei; ohne Angabe wird das einzige sichtbare Blatt "
            "gelesen, bei mehreren sichtbaren Blättern ist die Angabe nötig"
        ),
    )
    max_bytes: int = Field(default=200_000_000, ge=1, description="größte zulässige Dateigröße")


class Submission(_Frozen):
    """Erledigung — the day a deadline was met (a proof submitted, a resolution passed).

    Attributes:
        deadline: the deadline's id as the deadline list shows it, e.g. ``proof-of-use:A``.
        submitted_on: the day it was submitted or done.
        note: free text, e.g. the file number of the covering letter.
    """

    deadline: str = Field(description="Kennung der Frist, z. B. proof-of-use:A")
    submitted_on: CaseDate = Field(description="eingereicht / erledigt am")
    note: str | None = Field(default=None, description="Anmerkung")


class InterimProofRequest(_Frozen):
    """Anforderung eines Zwischennachweises — the funder asks for an interim proof.

    Under ANBest-Gk an interim proof is due only on the funder's request (Nr. 6.1); the request
    sets its own due date.

    Attributes:
        id: the request's id.
        phase: the phase it concerns.
        requested_on: date of the request.
        due: the due date the request sets.
    """

    id: str = Field(min_length=1, description="Kennung der Anforderung")
    phase: str = Field(description="Kennung der Phase")
    requested_on: CaseDate = Field(description="angefordert am")
    due: CaseDate = Field(description="vorzulegen bis")


class Settings(_Frozen):
    """Einstellungen — choices the law leaves open, with their defaults.

    Attributes:
        holiday_calendar: whose public holidays move a deadline. ``by_kind`` (default):
            § 193 BGB counts the holidays "am Erklärungs- oder Leistungsort", so a deadline for
            something the funder must receive (proof of use, interim proof, an application or
            declaration) shifts by the holidays at the funder's seat (``grant.funder_land``),
            a deadline for the recipient's own act by the recipient's; without
            ``funder_land`` the recipient's apply to all, and the report says so.
            ``recipient`` or ``funder`` force one calendar for every deadline (the choice
            before ``by_kind`` existed; ``funder`` needs ``grant.funder_land``).
        due_soon_days: a deadline within this many days of the key date is "due soon"
            (0 to 365).
        ledger_complete_until: the day up to which the recorded expenditures are complete;
            by default the key date once any expenditure is recorded, else none (the plan
            stands for the past too).
        forecast_catch_up: planned money not spent in the past is spread over the remaining
            months of the phase (default), instead of being dropped.
        annual_unused: what happens to a budget-year instalment (Jahresrate) not called in
            its year: carried over to the next year (default) or lapsed.
        day_count: the day-count convention for § 49a interest (default act/365; the law
            leaves it open).
        assumed_base_rate: a Basiszinssatz (percent) assumed for days after the shipped table
            (and after ``base_rate_file``); between −5 and 15 with at most two decimal places
            ([`BASE_RATE_RANGE`][foerdermittel.plausible.BASE_RATE_RANGE]).
        base_rate_file: a Bundesbank download of the Basiszinssatz series (BBK01.SU0115) with
            rates newer than the shipped table, relative to the case file;
            [`load_case`][foerdermittel.io.case_file.load_case] reads it into ``base_rates``.
        base_rates: the rows read from ``base_rate_file`` (origin ``file``); each must agree
            with the shipped table where that has the half-year.
        refund_interest_from: the day the grant became ineffective to the extent of a refund,
            from which refund interest runs (§ 49a Abs. 3 VwVfG): the end of the approval period
            (default: by then the lower expenditure — the condition subsequent of ANBest
            Nr. 2 — has occurred), the submission of the proof of use, or a date the refund
            decision names.
        repaid_on: the day the refund was repaid; without it, interest runs to the key date.
        input_tax_deduction: the recipient may deduct input tax, so only net amounts are
            eligible (ANBest-Gk Nr. 6.4; the ledger's net column is used).
    """

    holiday_calendar: Literal["by_kind", "recipient", "funder"] = Field(
        default="by_kind",
        description=(
            "welche Feiertage eine Frist verschieben: by_kind (Standard; Unterlagen an den "
            "Zuwendungsgeber nach den Feiertagen an dessen Sitz, eigene Handlungen nach denen "
            "des Empfängers, § 193 BGB), recipient (alle nach denen des Empfängers) oder "
            "funder (alle nach denen am Sitz des Zuwendungsgebers)"
        ),
    )
    due_soon_days: int = Field(
        default=30,
        ge=0,
        le=DUE_SOON_DAYS_MAX,
        description=f"Vorwarnzeit in Tagen (0 bis {DUE_SOON_DAYS_MAX})",
    )
    ledger_complete_until: CaseDate | None = Field(
        default=None,
        description=(
            "Belege vollständig erfasst bis (ohne Angabe: bis zum Stichtag, sobald Belege "
            "erfasst sind)"
        ),
    )
    forecast_catch_up: bool = Field(
        default=True,
        description="nicht verausgabte Planmittel der Vergangenheit auf die Restlaufzeit verteilen",
    )
    day_count: str = Field(
        default="act/365",
        description="Zinstagekonvention für Zinsen nach § 49a VwVfG (act/365, act/act, ...)",
    )
    assumed_base_rate: Percent | None = Field(
        default=None,
        description=(
            "angenommener Basiszinssatz (Prozent, -5 bis 15, höchstens zwei Nachkommastellen) "
            "für Tage nach der hinterlegten Tabelle"
        ),
    )
    base_rate_file: str | None = Field(
        default=None,
        description=(
            "Datei mit neueren Basiszinssätzen (§ 247 BGB): CSV-Download der Bundesbank-"
            "Zeitreihe BBK01.SU0115, relativ zur Falldatei"
        ),
    )
    base_rates: tuple[BaseRate, ...] = Field(
        default=(),
        description=(
            "aus der Basiszinssatz-Datei eingelesene Basiszinssätze (wird beim Laden gefüllt)"
        ),
    )
    annual_unused: Literal["carry_over", "lapse"] = Field(
        default="carry_over",
        description="nicht abgerufene Jahresrate: übertragen (carry_over) oder verfallen (lapse)",
    )
    refund_interest_from: Literal["period_end", "proof_submitted"] | CaseDate = Field(
        default="period_end",
        description=(
            "Beginn der Erstattungszinsen: Ende des Bewilligungszeitraums (period_end), Vorlage "
            "des Verwendungsnachweises (proof_submitted) oder ein Datum"
        ),
    )
    repaid_on: CaseDate | None = Field(
        default=None, description="Tag der Rückzahlung (ohne Angabe: Zinsen bis zum Stichtag)"
    )
    input_tax_deduction: bool = Field(
        default=False,
        description="vorsteuerabzugsberechtigt: Nettobeträge sind zuwendungsfähig",
    )

    @model_validator(mode="after")
    def _base_rates_agree(self) -> Settings:
        if self.base_rates:
            try:
                rate_table(self.base_rates, file=self.base_rate_file)
            except CaseError as exc:
                raise PydanticCustomError(
                    "foerdermittel_base_rates", "{message}", {"message": str(exc)}
                ) from None
        return self

    def base_rate_table(self) -> BaseRateTable | None:
        """The Basiszinssätze for interest: the shipped table extended by ``base_rates``.

        ``None`` without a file (the shipped table is used).

        Raises:
            InterestError: ``base_rate_file`` is named but was not read (see
                [`attach_base_rates`][foerdermittel.io.case_file.attach_base_rates]).
        """
        if self.base_rates:
            return rate_table(self.base_rates, file=self.base_rate_file)
        if self.base_rate_file is not None:
            raise InterestError(
                f"Die Basiszinssatz-Datei {self.base_rate_file!r} (settings.base_rate_file) ist "
                "nicht eingelesen; load_case liest sie, sonst attach_base_rates"
            )
        return None

    @field_validator("assumed_base_rate", mode="after")
    @classmethod
    def _plausible_base_rate(cls, rate: Decimal | None) -> Decimal | None:
        """Read as every percentage is (``Percent``), then held to the plausible range."""
        if rate is None:
            return None
        problem = base_rate_problem(rate)
        if problem is not None:
            raise PydanticCustomError("foerdermittel_base_rate", "{problem}", {"problem": problem})
        return rate

    @field_validator("day_count")
    @classmethod
    def _known_day_count(cls, name: str) -> str:
        try:
            return parse_day_count(name).value
        except InterestError as exc:
            raise PydanticCustomError(
                "foerdermittel_day_count", "{message}", {"message": str(exc)}
            ) from None
