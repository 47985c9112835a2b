"""The grant decision (Zuwendungsbescheid) and its phases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from foerdermittel._moved import german_label
from foerdermittel.calendar import REGIONS, region_problem
from foerdermittel.errors import NotFoundError
from foerdermittel.frozen import ReadOnlyMap
from foerdermittel.message_types import Message, words
from foerdermittel.model.dates import CaseDate
from foerdermittel.model.ids import DistinctYears, duplicate_error
from foerdermittel.model.narrative import NonBlankText
from foerdermittel.money import Rate
from foerdermittel.periods import Period
from foerdermittel.plausible import (
    AMOUNT_LIMIT,
    UNITS_MAX,
    PlausibleNonNegativeMoney,
    amount_problem,
    year_problem,
)
from foerdermittel.rules.model import CapBasis, ProgrammeRules, Rulebook

__all__ = ["LAENDER", "FinancingType", "Grant", "Phase"]

LAENDER: dict[str, str] = {
    "BB": "Brandenburg",
    "BE": "Berlin",
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "HB": "Bremen",
    "HE": "Hessen",
    "HH": "Hamburg",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SH": "Schleswig-Holstein",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}
"""The 16 Länder by their ISO 3166-2:DE codes."""


class FinancingType(StrEnum):
    """Finanzierungsart (VV Nr. 2 zu § 44 BHO).

    * ``anteilfinanzierung`` (Nr. 2.2.1): a share (rate) of the eligible expenditure, capped by
      a Höchstbetrag.
    * ``fehlbedarfsfinanzierung`` (Nr. 2.2.2): the gap left after own and third-party funds,
      capped by a Höchstbetrag.
    * ``festbetragsfinanzierung`` (Nr. 2.2.3): a fixed amount (or units × amount per unit).
    * ``vollfinanzierung`` (Nr. 2.3): all eligible expenditure not covered by third parties.
    """

    ANTEIL = "anteilfinanzierung"
    FEHLBEDARF = "fehlbedarfsfinanzierung"
    FESTBETRAG = "festbetragsfinanzierung"
    VOLL = "vollfinanzierung"

    @property
    def german(self) -> str:
        """Deprecated: the German name a decision prints; renderers use foerdermittel.messages.

        The words are the catalogue's ``financing-type.<value>``.

        Examples:
            >>> words(Message.of("financing-type.anteilfinanzierung"))
            'Anteilfinanzierung'
        """
        return german_label(self, "financing-type")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Phase(_Frozen):
    """Förderphase / Bewilligungszeitraum — one phase of a grant with its own approval period.

    Phases may overlap (Bochum's implementation phase began before its strategy phase ended).

    Attributes:
        id: the phase's id, e.g. ``A``; budget lines refer to it.
        title: its name, e.g. "Strategiephase".
        kind: the programme's phase kind whose limits apply (MPSC: ``A`` or ``B``); defaults to
            ``id``.
        start: first day of the approval period (Bewilligungszeitraum).
        end: last day of the approval period.
        eligible_expenditure: zuwendungsfähige Ausgaben of the phase, as the decision states.
        rate: Förderquote of this phase, where it differs from the grant's.
        rate_tier: the programme's rate tier, where it differs from the grant's.
        rate_tier_evidence: what shows the phase's tier condition holds.
        max_amount: Höchstbetrag of this phase, where the decision sets one.
        fixed_amount: Festbetrag of this phase (Festbetragsfinanzierung).
        units: number of units for a fixed amount per unit (n × amount per unit).
        amount_per_unit: fixed amount per unit.
        decision_date: the date of this phase's own decision (MPSC: the Zusage for component
            B), where it differs from the grant's; the programme's proof-of-use deadline after
            the Zusage runs from it (MPSC: "5 Jahre 6 Monate nach der Zusage für die
            Komponente B").
        purpose_fulfilled_on: the day the phase's purpose was fulfilled (Zweckerfüllung), once
            it is; the proof-of-use deadline may run from it.
        annual_grant: the decision's budget-year instalments (Jahresraten) of this phase's
            grant, where it sets them: no more may be called in a year.
        early_start: the day from which an approved early start (vorzeitiger Maßnahmebeginn)
            makes payments before the approval period eligible.
        justification: why the phase deviates from its plan (Begründung der Abweichung), for
            the proof of use.
    """

    id: str = Field(min_length=1, description="Kennung der Phase, z. B. 'A'")
    title: str = Field(description="Bezeichnung, z. B. 'Strategiephase'")
    kind: str | None = Field(default=None, description="Phasenart des Programms (MPSC: A/B)")
    start: CaseDate = Field(description="Beginn des Bewilligungszeitraums")
    end: CaseDate = Field(description="Ende des Bewilligungszeitraums")
    eligible_expenditure: PlausibleNonNegativeMoney = Field(
        description="zuwendungsfähige Ausgaben der Phase laut Bescheid"
    )
    rate: Rate | None = Field(default=None, description="Förderquote der Phase")
    rate_tier: str | None = Field(default=None, description="Förderquotenstufe der Phase")
    rate_tier_evidence: str | None = Field(
        default=None,
        description="Nachweis der Voraussetzung der Förderquotenstufe der Phase",
    )
    max_amount: PlausibleNonNegativeMoney | None = Field(
        default=None, description="Höchstbetrag der Phase"
    )
    fixed_amount: PlausibleNonNegativeMoney | None = Field(
        default=None, description="Festbetrag der Phase (Festbetragsfinanzierung)"
    )
    units: int | None = Field(
        default=None,
        ge=1,
        le=UNITS_MAX,
        description=f"Anzahl Einheiten (Festbetrag, 1 bis {UNITS_MAX})",
    )
    amount_per_unit: PlausibleNonNegativeMoney | None = Field(
        default=None, description="Betrag je Einheit (Festbetrag)"
    )
    decision_date: CaseDate | None = Field(
        default=None, description="Datum der Zusage für diese Phase (ohne Angabe: des Bescheids)"
    )
    purpose_fulfilled_on: CaseDate | None = Field(
        default=None, description="Zweck erfüllt am (Zweckerfüllung)"
    )
    annual_grant: Annotated[ReadOnlyMap[int, PlausibleNonNegativeMoney], DistinctYears] | None = (
        Field(default=None, description="Jahresraten der Zuwendung je Haushaltsjahr laut Bescheid")
    )
    early_start: CaseDate | None = Field(
        default=None,
        description="vorzeitiger Maßnahmebeginn zugelassen ab (Zahlungen vor Beginn förderfähig)",
    )
    justification: NonBlankText | None = Field(
        default=None, description="Begründung der Abweichung der Phase vom Plan (Nachweis)"
    )

    @field_validator("annual_grant")
    @classmethod
    def _plausible_years(
        cls, amounts: Mapping[int, Decimal] | None
    ) -> Mapping[int, Decimal] | None:
        for year in amounts or {}:
            problem = year_problem(year)
            if problem is not None:
                raise PydanticCustomError("foerdermittel_year", "{problem}", {"problem": problem})
        return amounts

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if isinstance(start, date) and end < start:
            raise PydanticCustomError(
                "foerdermittel_period_order",
                "{end} liegt vor dem Beginn {start}",
                {"end": end.isoformat(), "start": start.isoformat()},
            )
        return end

    @model_validator(mode="after")
    def _units_together(self) -> Self:
        if (self.units is None) != (self.amount_per_unit is None):
            raise PydanticCustomError(
                "foerdermittel_units",
                "units und amount_per_unit gehören zusammen (Festbetrag = Anzahl × Betrag)",
                {},
            )
        if self.units is not None and self.fixed_amount is not None:
            raise PydanticCustomError(
                "foerdermittel_units",
                "entweder fixed_amount oder units × amount_per_unit angeben, nicht beides",
                {},
            )
        fixed = self.fixed
        if fixed is not None and self.units is not None and amount_problem(fixed) is not None:
            raise PydanticCustomError(
                "foerdermittel_amount_range",
                "Festbetrag units × amount_per_unit = {fixed} ist unplausibel groß: erwartet "
                "ist weniger als {limit} €",
                {"fixed": str(fixed), "limit": f"{AMOUNT_LIMIT:,}".replace(",", ".")},
            )
        return self

    @property
    def period(self) -> Period:
        """The approval period as a [`Period`][foerdermittel.periods.Period]."""
        return Period(start=self.start, end=self.end)

    @property
    def programme_kind(self) -> str:
        """The phase kind whose programme limits apply."""
        return self.kind or self.id

    @property
    def fixed(self) -> Decimal | None:
        """The phase's fixed amount, from ``fixed_amount`` or ``units × amount_per_unit``."""
        if self.units is not None and self.amount_per_unit is not None:
            return self.amount_per_unit * self.units
        return self.fixed_amount


_OWN_RULES_FIELDS = ("rulebook_file", "programme_file", "loaded_rulebook", "loaded_programme")


class Grant(_Frozen):
    """Zuwendungsbescheid — the grant decision (or KfW Zusage).

    Attributes:
        id: file number of the decision (Aktenzeichen / Zusage-Nr.).
        funder: the granting body (Zuwendungsgeber / Bewilligungsbehörde).
        recipient: the recipient (Zuwendungsempfänger).
        recipient_address: the recipient's postal address, as the proof of use's header shows
            it (lines separated by line breaks).
        land: the recipient's Land (ISO 3166-2:DE code, e.g. ``NW``).
        funder_land: the Land of the funder's seat (e.g. ``BE`` for KfW Berlin): deadlines for
            what the funder must receive shift by its holidays (§ 193 BGB: holidays at the place
            where the declaration must be received).
        holiday_region: the part of the recipient's Land whose extra holidays apply there
            (``BY-katholisch``, ``Augsburg``, ``SN-katholisch``, ``TH-katholisch``; see
            [`REGIONS`][foerdermittel.calendar.REGIONS]).
        funder_holiday_region: the same for the funder's seat, within ``funder_land``.
        programme: the programme call (registry id, e.g. ``mpsc-2021``), if any.
        rulebook: the ANBest edition the decision names (registry id); when left out, the
            programme's usual edition, and without a programme ``anbest-gk-2019``.
        rulebook_file: a rulebook file of the grant's own (TOML, ``kind = "edition"``, see
            [`foerdermittel.rules.files`][foerdermittel.rules.files]), relative to the case
            file, instead of a shipped ``rulebook``;
            [`load_case`][foerdermittel.io.case_file.load_case] reads it into
            ``loaded_rulebook``.
        programme_file: a programme file of the grant's own (TOML, ``kind = "programme"``),
            relative to the case file, instead of a shipped ``programme``; read into
            ``loaded_programme``.
        loaded_rulebook: the rulebook read from ``rulebook_file``.
        loaded_programme: the programme call read from ``programme_file``.
        decision_date: date of the decision.
        financing_type: the Finanzierungsart.
        rate: the Förderquote (Anteilfinanzierung).
        rate_tier: the programme's rate tier, e.g. ``standard`` or ``haushaltsnotlage``.
        rate_tier_evidence: what shows the condition of the tier holds (the programme's
            ``tiers.<tier>.condition``), e.g. "Haushaltssicherungskonzept genehmigt am …".
        max_amount: Höchstbetrag of the whole grant.
        max_amount_basis: whether the Höchstbetrag caps the grant or the eligible expenditure.
        eligible_expenditure: total eligible expenditure as stated in the decision.
        stated_grant: the grant amount as stated in the decision.
        stated_own_share: the own share as stated in the decision.
        phases: the phases, at least one.
    """

    id: str = Field(description="Aktenzeichen / Nummer des Zuwendungsbescheids")
    funder: str = Field(description="Zuwendungsgeber / Bewilligungsbehörde")
    recipient: str = Field(description="Zuwendungsempfänger")
    recipient_address: NonBlankText | None = Field(
        default=None, description="Anschrift des Zuwendungsempfängers"
    )
    land: str = Field(description="Land des Empfängers (ISO-Kürzel, z. B. NW)")
    funder_land: str | None = Field(
        default=None, description="Land des Sitzes des Zuwendungsgebers (ISO-Kürzel, z. B. BE)"
    )
    holiday_region: str | None = Field(
        default=None,
        description=(
            "Teil des Landes des Empfängers mit eigenen Feiertagen: " + ", ".join(REGIONS)
        ),
    )
    funder_holiday_region: str | None = Field(
        default=None,
        description="Teil des Landes am Sitz des Zuwendungsgebers mit eigenen Feiertagen",
    )
    programme: str | None = Field(
        default=None, description="Förderprogramm (Aufruf), z. B. mpsc-2021"
    )
    rulebook: str | None = Field(
        default=None,
        description=(
            "Ausgabe der Nebenbestimmungen (ANBest), z. B. anbest-gk-2019; ohne Angabe die "
            "übliche Ausgabe des Programms, ohne Programm anbest-gk-2019"
        ),
    )
    rulebook_file: str | None = Field(
        default=None,
        min_length=1,
        description=(
            'eigene Regelwerksdatei (TOML, kind = "edition"), relativ zur Falldatei; statt rulebook'
        ),
    )
    programme_file: str | None = Field(
        default=None,
        min_length=1,
        description=(
            'eigene Programmdatei (TOML, kind = "programme"), relativ zur Falldatei; statt '
            "programme"
        ),
    )
    loaded_rulebook: Rulebook | None = Field(
        default=None,
        description="aus rulebook_file gelesenes Regelwerk (wird beim Laden gefüllt)",
    )
    loaded_programme: ProgrammeRules | None = Field(
        default=None,
        description="aus programme_file gelesenes Förderprogramm (wird beim Laden gefüllt)",
    )
    decision_date: CaseDate = Field(description="Datum des Zuwendungsbescheids / der Zusage")
    financing_type: FinancingType = Field(description="Finanzierungsart")
    rate: Rate | None = Field(default=None, description="Förderquote")
    rate_tier: str | None = Field(default=None, description="Förderquotenstufe des Programms")
    rate_tier_evidence: str | None = Field(
        default=None,
        description="Nachweis der Voraussetzung der Förderquotenstufe, z. B. 'HSK genehmigt am …'",
    )
    max_amount: PlausibleNonNegativeMoney | None = Field(default=None, description="Höchstbetrag")
    max_amount_basis: CapBasis = Field(
        default=CapBasis.GRANT,
        description="Bezug des Höchstbetrags: Zuwendung (grant) oder zuwendungsfähige Ausgaben",
    )
    eligible_expenditure: PlausibleNonNegativeMoney | None = Field(
        default=None, description="zuwendungsfähige Gesamtausgaben laut Bescheid"
    )
    stated_grant: PlausibleNonNegativeMoney | None = Field(
        default=None, description="Zuwendung laut Bescheid"
    )
    stated_own_share: PlausibleNonNegativeMoney | None = Field(
        default=None, description="Eigenanteil laut Bescheid"
    )
    phases: tuple[Phase, ...] = Field(min_length=1, description="Förderphasen")

    @field_validator("land", "funder_land")
    @classmethod
    def _known_land(cls, land: str | None) -> str | None:
        if land is not None and land not in LAENDER:
            raise PydanticCustomError(
                "foerdermittel_land",
                "unbekanntes Land '{land}'; gültig sind: {valid}",
                {"land": land, "valid": ", ".join(f"{k} ({v})" for k, v in LAENDER.items())},
            )
        return land

    @field_validator("holiday_region", "funder_holiday_region")
    @classmethod
    def _region_in_land(cls, region: str | None, info: ValidationInfo) -> str | None:
        if region is None:
            return None
        land_field = "land" if info.field_name == "holiday_region" else "funder_land"
        land = info.data.get(land_field)
        if land_field == "funder_land" and land is None and "funder_land" in info.data:
            raise PydanticCustomError(
                "foerdermittel_region",
                "funder_holiday_region braucht das Land des Zuwendungsgebers (funder_land)",
                {},
            )
        problem = region_problem(region, land if isinstance(land, str) else None)
        if problem is not None:
            raise PydanticCustomError("foerdermittel_region", "{problem}", {"problem": problem})
        return region

    @field_validator("phases")
    @classmethod
    def _unique_phase_ids(cls, phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
        error = duplicate_error(
            "Grant",
            [("phases", "id", [p.id for p in phases], "Kennung der Phase doppelt vergeben")],
            in_field=True,
        )
        if error is not None:
            raise error
        return phases

    @model_serializer(mode="wrap")
    def _without_unused_rule_files(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave out the own-rulebook fields a grant does not use: its data reads as before."""
        data = handler(self)
        if isinstance(data, dict):
            for name in _OWN_RULES_FIELDS:
                if name in data and data[name] is None:
                    del data[name]
        return data

    @model_validator(mode="after")
    def _one_rulebook(self) -> Self:
        """A shipped rulebook (programme) by id, or one's own file: not both."""
        for shipped, own, loaded, what in (
            ("rulebook", "rulebook_file", "loaded_rulebook", "Regelwerk"),
            ("programme", "programme_file", "loaded_programme", "Förderprogramm"),
        ):
            if getattr(self, shipped) is not None and (
                getattr(self, own) is not None or getattr(self, loaded) is not None
            ):
                raise PydanticCustomError(
                    "foerdermittel_own_rules",
                    "entweder {shipped} (ein mitgeliefertes {what}) oder {own} (eine eigene "
                    "Datei), nicht beides",
                    {"shipped": shipped, "own": own, "what": what},
                )
        if self.loaded_rulebook is not None and self.loaded_rulebook.programme is not None:
            raise PydanticCustomError(
                "foerdermittel_own_rules",
                "loaded_rulebook.programme: ein Förderprogramm gehört in programme_file",
                {},
            )
        for field, rules in (
            ("loaded_rulebook", self.loaded_rulebook),
            ("loaded_programme", self.loaded_programme),
        ):
            if rules is not None:
                from foerdermittel.rules.files import content_problems, shipped_rules

                known = [e.id for e in shipped_rules().editions]
                if self.loaded_rulebook is not None:
                    known.append(self.loaded_rulebook.id)
                problems = content_problems(rules, known_rulebooks=known)
                if problems:
                    raise PydanticCustomError(
                        "foerdermittel_own_rules",
                        "{field}: {problems}",
                        {"field": field, "problems": "; ".join(p.render() for p in problems)},
                    )
        return self

    @model_validator(mode="after")
    def _rate_given(self) -> Self:
        needs_rate = self.financing_type is FinancingType.ANTEIL
        if needs_rate and self.rate is None and any(p.rate is None for p in self.phases):
            raise PydanticCustomError(
                "foerdermittel_rate_missing",
                "Anteilfinanzierung braucht eine Förderquote (rate) für den Bescheid oder "
                "jede Phase",
                {},
            )
        if not needs_rate and self.max_amount_basis is CapBasis.ELIGIBLE_COST:
            raise PydanticCustomError(
                "foerdermittel_cap_basis",
                "max_amount_basis = eligible_cost (Höchstbetrag auf die zuwendungsfähigen "
                "Ausgaben bezogen) gibt es nur bei Anteilfinanzierung, nicht bei {kind}",
                {"kind": words(Message.of(f"financing-type.{self.financing_type.value}"))},
            )
        if self.financing_type is FinancingType.FESTBETRAG and any(
            p.fixed is None for p in self.phases
        ):
            raise PydanticCustomError(
                "foerdermittel_fixed_missing",
                "Festbetragsfinanzierung braucht je Phase einen Festbetrag (fixed_amount oder "
                "units × amount_per_unit)",
                {},
            )
        return self

    def phase(self, phase_id: str) -> Phase:
        """The phase with id ``phase_id``.

        Raises:
            NotFoundError: no such phase (a ``KeyError``).
        """
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise NotFoundError("Phase", phase_id, known=(p.id for p in self.phases))

    def phase_rate(self, phase: Phase) -> Decimal | None:
        """The Förderquote that applies to ``phase``."""
        return phase.rate if phase.rate is not None else self.rate

    def phase_decision_date(self, phase: Phase) -> date:
        """The decision date that applies to ``phase``."""
        return phase.decision_date or self.decision_date

    def phase_tier(self, phase: Phase) -> str | None:
        """The rate tier that applies to ``phase``."""
        return phase.rate_tier if phase.rate_tier is not None else self.rate_tier
