"""Die Portfoliodatei — a city's grants in one file: who owns each, where it sits in the budget.

A portfolio file (``portfolio.toml``) names the city, the case files of its grants (a path or a
glob, relative to the portfolio file), per grant its owner (office, person) and its budget
assignment (Produkt, Kostenstelle, Investitionsnummer; konsumtiv or investiv), and the own
share the city has appropriated per budget year — in the Haushaltsplan, and for the following
years in the mittelfristige Finanzplanung — in total and per product.

The models are frozen pydantic models with unknown keys refused, like the case model; their
JSON schema is [`portfolio_json_schema`][foerdermittel.portfolio.portfolio_json_schema].

References:
    § 79 GO NRW (Haushaltsplan), § 84 GO NRW (mittelfristige Ergebnis- und Finanzplanung);
    KomHVO NRW §§ 1, 4 (Produkte, Teilpläne; Investitionsmaßnahmen).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from foerdermittel.errors import Problem
from foerdermittel.frozen import FrozenMap, ReadOnlyMap
from foerdermittel.model.grant import LAENDER
from foerdermittel.model.ids import known_version, repeats
from foerdermittel.money import ZERO
from foerdermittel.plausible import YEAR_RANGE, PlausibleNonNegativeMoney

__all__ = [
    "Appropriation",
    "AppropriationBasis",
    "AppropriationCover",
    "BudgetAssignment",
    "BudgetKind",
    "City",
    "GrantEntry",
    "Owner",
    "PortfolioFile",
]

SUPPORTED_PORTFOLIO_VERSIONS = (1,)
"""The versions of the portfolio file format this library reads."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class City(_Frozen):
    """Kommune — the city whose grants the portfolio holds.

    Attributes:
        name: the city as it is named as recipient in its decisions, e.g. ``Stadt Bochum``.
        land: its Land (ISO 3166-2:DE code, e.g. ``NW``).
    """

    name: str = Field(min_length=1, description="Name der Kommune, wie sie im Bescheid heißt")
    land: str = Field(description="Land der Kommune (ISO-Kürzel, z. B. NW)")

    @field_validator("land")
    @classmethod
    def _known_land(cls, land: str) -> str:
        if land not in LAENDER:
            raise PydanticCustomError(
                "foerdermittel_land",
                "unbekanntes Land '{land}'; gültig sind: {valid}",
                {"land": land, "valid": ", ".join(f"{k} ({v})" for k, v in LAENDER.items())},
            )
        return land


class Owner(_Frozen):
    """Federführung — who in the city is in charge of a grant.

    Attributes:
        office: the office (Amt, Fachbereich), e.g. ``Amt für Stadtplanung``.
        person: the person responsible, where named.
    """

    office: str = Field(min_length=1, description="federführendes Amt / Fachbereich")
    person: str | None = Field(default=None, description="verantwortliche Person")


class BudgetKind(StrEnum):
    """Konsumtiv or investiv — where the own share is carried in the city's budget.

    ``consumptive``: in the Ergebnisplan (Aufwendungen); ``investive``: in the Finanzplan as an
    investment (Investitionsmaßnahme, Auszahlungen für Investitionen).
    """

    CONSUMPTIVE = "consumptive"
    INVESTIVE = "investive"


class BudgetAssignment(_Frozen):
    """Haushaltsstelle — where a grant's own share sits in the city's budget.

    Attributes:
        product: the budget product (Produkt), e.g. ``1.09.01``; appropriations per product
            are keyed by it.
        cost_centre: the cost centre (Kostenstelle), where given.
        investment_number: the investment number (Investitionsnummer), where given.
        kind: consumptive (Ergebnisplan) or investive (Finanzplan).
    """

    product: str = Field(min_length=1, description="Produkt (Produktnummer im Haushalt)")
    cost_centre: str | None = Field(default=None, description="Kostenstelle")
    investment_number: str | None = Field(
        default=None, description="Investitionsnummer (Investitionsmaßnahme)"
    )
    kind: BudgetKind = Field(
        description="konsumtiv (consumptive, Ergebnisplan) oder investiv (investive, Finanzplan)"
    )


class GrantEntry(_Frozen):
    """One entry of the portfolio: a case file (or a glob of them), its owner and budget.

    Attributes:
        file: the case file, relative to the portfolio file.
        glob: a pattern for several case files relative to the portfolio file (``**`` for
            subfolders); each file it matches gets the entry's owner and budget assignment.
            Exactly one of ``file`` and ``glob`` is given.
        owner: who is in charge.
        budget: where its own share sits in the budget.
        recipient: the recipient the decisions name where it is not the city itself (an
            Eigenbetrieb, the lead partner of a joint project); without it the recipient must
            be the city's name, else the evaluation warns.
    """

    file: str | None = Field(default=None, description="Falldatei, relativ zur Portfoliodatei")
    glob: str | None = Field(
        default=None,
        description="Muster für mehrere Falldateien (z. B. schulen/*.toml), relativ zur "
        "Portfoliodatei",
    )
    owner: Owner = Field(description="Federführung")
    budget: BudgetAssignment = Field(description="Haushaltsstelle des Eigenanteils")
    recipient: str | None = Field(
        default=None,
        description="Zuwendungsempfänger, wenn es nicht die Kommune selbst ist (z. B. ein "
        "Eigenbetrieb)",
    )

    @model_validator(mode="after")
    def _file_or_glob(self) -> Self:
        if (self.file is None) == (self.glob is None):
            raise PydanticCustomError(
                "foerdermittel_file_or_glob",
                "genau eines von file (eine Falldatei) und glob (ein Muster) angeben",
            )
        for value in (self.file, self.glob):
            if value is not None and not value.strip():
                raise PydanticCustomError("foerdermittel_empty_path", "Pfad darf nicht leer sein")
        return self


class AppropriationBasis(StrEnum):
    """Where an appropriation stands: the adopted budget or the medium-term financial plan.

    ``haushaltsplan``: the Haushaltsplan (Haushaltssatzung) adopted for the year, § 79 GO NRW;
    ``finanzplanung``: the mittelfristige Finanzplanung for the following years, § 84 GO NRW —
    planned, not yet appropriated.
    """

    HAUSHALTSPLAN = "haushaltsplan"
    FINANZPLANUNG = "finanzplanung"


class Appropriation(_Frozen):
    """Veranschlagter Eigenanteil — the own share the city's budget provides for one year.

    Attributes:
        year: the budget year.
        basis: the Haushaltsplan or the mittelfristige Finanzplanung.
        total: the own share provided for all grants together.
        products: the own share provided per product (not every product needs one); their
            sum may not exceed ``total``.
    """

    year: int = Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1], description="Haushaltsjahr")
    basis: AppropriationBasis = Field(
        description="Haushaltsplan (haushaltsplan) oder mittelfristige Finanzplanung "
        "(finanzplanung)"
    )
    total: PlausibleNonNegativeMoney = Field(description="veranschlagter Eigenanteil insgesamt")
    products: ReadOnlyMap[str, PlausibleNonNegativeMoney] = Field(
        default_factory=FrozenMap, description="veranschlagter Eigenanteil je Produkt"
    )

    @model_validator(mode="after")
    def _products_within_total(self) -> Self:
        parts = sum(self.products.values(), ZERO)
        if parts > self.total:
            raise PydanticCustomError(
                "foerdermittel_products_above_total",
                "die Ansätze je Produkt ergeben {parts} €, mehr als der Gesamtansatz {total} €",
                {"parts": str(parts), "total": str(self.total)},
            )
        return self


AppropriationCover = Literal["own_share", "cash", "burden"]
"""What an appropriation is compared with: the own share, its cash part, or the own share
with the ineligible costs."""


class PortfolioFile(_Frozen):
    """Portfolio — the content of a portfolio file, validated.

    Attributes:
        schema_version: the version of the file format (1).
        title: a title for the portfolio's views.
        city: the city.
        grants: the entries, at least one.
        appropriations: the own share appropriated per budget year, each year once; the
            years of the Finanzplanung follow those of the Haushaltsplan.
        appropriations_cover: what an appropriation is compared with: the whole own share
            (``own_share``, the default: the budget carries the in-kind own staff too), its
            cash part only (``cash``: own staff is budgeted in the personnel costs), or the
            own share with the ineligible costs the city carries on top (``burden``, as a
            grant's own ``council_budget`` check does).
        notes: free notes.
    """

    schema_version: int = Field(default=1, description="Version des Dateiformats")
    title: str | None = Field(default=None, description="Titel des Portfolios")
    city: City = Field(description="die Kommune")
    grants: tuple[GrantEntry, ...] = Field(min_length=1, description="die Förderfälle")
    appropriations: tuple[Appropriation, ...] = Field(
        default=(), description="veranschlagter Eigenanteil je Haushaltsjahr"
    )
    appropriations_cover: AppropriationCover = Field(
        default="own_share",
        description="womit die Ansätze verglichen werden: dem ganzen Eigenanteil (own_share), "
        "nur dem baren Teil ohne Eigenleistung (cash) oder dem Eigenanteil mit den nicht "
        "zuwendungsfähigen Ausgaben (burden)",
    )
    notes: str | None = Field(default=None, description="Anmerkungen")

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        return known_version(version, SUPPORTED_PORTFOLIO_VERSIONS)

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        problems = list(_problems(self))
        if problems:
            raise PydanticCustomError(
                "foerdermittel_references",
                "{summary}",
                {
                    "summary": "; ".join(p.render() for p in problems),
                    "problems": tuple((p.path, p.value, p.message) for p in problems),
                },
            )
        return self

    def appropriation(self, year: int) -> Appropriation | None:
        """The appropriation of a budget year, or ``None`` where the file gives none."""
        for item in self.appropriations:
            if item.year == year:
                return item
        return None


def _problems(portfolio: PortfolioFile) -> Iterator[Problem]:
    years = [a.year for a in portfolio.appropriations]
    for second, first in repeats(years):
        yield Problem(
            f"appropriations[{second}].year",
            years[second],
            f"Haushaltsjahr doppelt angegeben; zuerst bei appropriations[{first}]",
        )
    budget_years = [
        a.year for a in portfolio.appropriations if a.basis == AppropriationBasis.HAUSHALTSPLAN
    ]
    for index, item in enumerate(portfolio.appropriations):
        if item.basis == AppropriationBasis.FINANZPLANUNG and budget_years:
            last = max(budget_years)
            if item.year <= last:
                yield Problem(
                    f"appropriations[{index}].basis",
                    item.basis.value,
                    f"die mittelfristige Finanzplanung gilt für die Jahre nach dem "
                    f"Haushaltsplan (zuletzt {last}); {item.year} ist ein Jahr des "
                    "Haushaltsplans",
                )
    files = [e.file for e in portfolio.grants]
    seen: dict[str, int] = {}
    for index, name in enumerate(files):
        if name is None:
            continue
        if name in seen:
            yield Problem(
                f"grants[{index}].file",
                name,
                f"Falldatei doppelt eingetragen; zuerst bei grants[{seen[name]}]",
            )
        else:
            seen[name] = index
