"""Editions of the general conditions for federal project grants (ANBest), and the NRW variant.

References:
    * ANBest-Gk — Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung an
      Gebietskörperschaften und Zusammenschlüsse von Gebietskörperschaften (Anlage 3 zur
      VV Nr. 5.1 zu § 44 BHO), editions April 2006, 01.01.2014, 04.11.2016, 13.06.2019,
      17.05.2024 and April 2025; federal Formularschrank (foerderportal.bund.de, easy),
      files 138, 1363, 1710, 2038, 3682, 4006.
    * ANBest-P — Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung
      (Anlage 2 zur VV Nr. 5.1 zu § 44 BHO), editions April 2006, January 2014, 13.06.2019,
      17.05.2024, April 2025 and September 2025; Formularschrank files 1364, 2037, 3681,
      4010, 4185.
    * BNBest-Abruf (09/22), Formularschrank file 4205: Abrufverfahren, draw on the day of need.
    * VV zu § 44 LHO NRW Nr. 8.6 as amended 20.06.2023 (MBl. NRW. 2023 S. 641): two months.
    * § 49a Abs. 3 VwVfG: five percentage points above the Basiszinssatz.

The version table these values follow is in the project's domain notes (grant law §2.9).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.periods import Span
from foerdermittel.rules.model import (
    DrawdownMode,
    DrawdownRule,
    InterestRule,
    InterimProofRule,
    LineToleranceRule,
    ProcurementRule,
    ProofOfUseRule,
    ReductionRule,
    RetentionRule,
    Rulebook,
    UseWindowRule,
)

__all__ = ["EDITIONS"]

_TWO_MONTHS = Span(amount=2, unit="months")
_SIX_WEEKS = Span(amount=6, unit="weeks")
_ONE_YEAR = Span(amount=1, unit="years")
_SIX_MONTHS = Span(amount=6, unit="months")


def _gk(
    *,
    ident: str,
    edition: str,
    valid_from: date,
    file_no: int,
    modern: bool,
    retention_own_clause: bool,
    budget_act_proviso: bool = False,
) -> Rulebook:
    """One ANBest-Gk edition; ``modern`` marks the editions since 2014 (Abrufverfahren)."""
    cite = f"ANBest-Gk ({edition})"
    where = f"Formularschrank des Bundes, Datei {file_no}"
    if modern:
        drawdown = DrawdownRule(
            mode=DrawdownMode.DAY_OF_NEED,
            pooling="weekly",
            source=f"{cite} Nr. 1.3; BNBest-Abruf Nr. 1",
            read_in=where,
        )
        window = UseWindowRule(window=_SIX_WEEKS, source=f"{cite} Nr. 8.5", read_in=where)
        procurement = ProcurementRule(
            description=(
                "unterhalb der EU-Schwellenwerte (§ 106 GWB) das eigene Vergaberecht des "
                "Empfängers; darüber Teil 4 GWB"
            ),
            source=f"{cite} Nr. 3",
            read_in=where,
        )
    else:
        drawdown = DrawdownRule(
            mode=DrawdownMode.IN_ADVANCE,
            horizon=_TWO_MONTHS,
            source=f"{cite} Nr. 1.3",
            read_in=where,
        )
        window = UseWindowRule(window=_TWO_MONTHS, source=f"{cite} Nr. 8.5", read_in=where)
        procurement = ProcurementRule(
            description="VOB/VOL nach dem Haushaltsrecht des Empfängers",
            source=f"{cite} Nr. 3",
            read_in=where,
        )
    if retention_own_clause:
        retention = RetentionRule(years=5, source=f"{cite} Nr. 6.6", read_in=where)
    else:
        retention = RetentionRule(
            years=5,
            source="ANBest-Gk (17.05.2024) Nr. 6.6 und ANBest-P Nr. 6.5 entsprechend (angenommen)",
            read_in=(
                f"{cite} enthält keine eigene Aufbewahrungsfrist ({where}); 5 Jahre wie in den "
                "späteren Ausgaben angenommen — im Bescheid prüfen"
            ),
        )
    return Rulebook(
        id=ident,
        title=f"ANBest-Gk, Ausgabe {edition}",
        edition=edition,
        valid_from=valid_from,
        drawdown=drawdown,
        use_window=window,
        proof_of_use=ProofOfUseRule(
            after_purpose=_ONE_YEAR,
            latest_after_period=_ONE_YEAR,
            source=f"{cite} Nr. 6.1",
            read_in=where,
        ),
        interim_proof=InterimProofRule(
            required="on_request", source=f"{cite} Nr. 6.1", read_in=where
        ),
        reduction=ReductionRule(
            threshold=Decimal("500.00"), source=f"{cite} Nr. 2.1, 2.2", read_in=where
        ),
        line_tolerance=LineToleranceRule(
            overrun=Decimal("0.20"), source=f"{cite} Nr. 1.2", read_in=where
        ),
        retention=retention,
        interest=InterestRule(
            points_above_base=Decimal(5), source=f"§ 49a Abs. 3 VwVfG; {cite} Nr. 8.4"
        ),
        procurement=procurement,
        budget_act_proviso=budget_act_proviso,
    )


def _p(
    *,
    ident: str,
    edition: str,
    valid_from: date,
    file_no: int | None,
    modern: bool,
    budget_act_proviso: bool = False,
) -> Rulebook:
    """One ANBest-P edition; ``modern`` marks the editions since 2014 (Abrufverfahren)."""
    cite = f"ANBest-P ({edition})"
    where = (
        f"Formularschrank des Bundes, Datei {file_no}" if file_no else "Formularschrank des Bundes"
    )
    if modern:
        drawdown = DrawdownRule(
            mode=DrawdownMode.DAY_OF_NEED,
            pooling="weekly",
            source=f"{cite} Nr. 1.4; BNBest-Abruf Nr. 1",
            read_in=where,
        )
        window = UseWindowRule(window=_SIX_WEEKS, source=f"{cite} Nr. 8.5", read_in=where)
        procurement = ProcurementRule(
            description=(
                "bei Zuwendungen über 100.000 € UVgO (mit Ausnahmen) für Liefer- und "
                "Dienstleistungen und VOB/A Abschnitt 1 für Bauleistungen"
            ),
            threshold=Decimal("100000.00"),
            source=f"{cite} Nr. 3.1",
            read_in=where,
        )
    else:
        drawdown = DrawdownRule(
            mode=DrawdownMode.IN_ADVANCE,
            horizon=_TWO_MONTHS,
            source=f"{cite} Nr. 1.4",
            read_in=where,
        )
        window = UseWindowRule(window=_TWO_MONTHS, source=f"{cite} Nr. 8.5", read_in=where)
        procurement = ProcurementRule(
            description="bei Zuwendungen über 100.000 € VOB/A und VOL/A",
            threshold=Decimal("100000.00"),
            source=f"{cite} Nr. 3.1",
            read_in=where,
        )
    return Rulebook(
        id=ident,
        title=f"ANBest-P, Ausgabe {edition}",
        edition=edition,
        valid_from=valid_from,
        drawdown=drawdown,
        use_window=window,
        proof_of_use=ProofOfUseRule(
            after_purpose=_SIX_MONTHS,
            latest_after_period=_SIX_MONTHS,
            month_end=True,
            source=f"{cite} Nr. 6.1",
            read_in=where,
        ),
        interim_proof=InterimProofRule(
            required="yearly",
            after_budget_year=Span(amount=4, unit="months"),
            source=f"{cite} Nr. 6.1",
            read_in=where,
        ),
        reduction=ReductionRule(
            threshold=Decimal("500.00"), source=f"{cite} Nr. 2.1, 2.2", read_in=where
        ),
        line_tolerance=LineToleranceRule(
            overrun=Decimal("0.20"), source=f"{cite} Nr. 1.2", read_in=where
        ),
        retention=RetentionRule(years=5, source=f"{cite} Nr. 6.5", read_in=where),
        interest=InterestRule(
            points_above_base=Decimal(5), source=f"§ 49a Abs. 3 VwVfG; {cite} Nr. 8.4"
        ),
        procurement=procurement,
        budget_act_proviso=budget_act_proviso,
    )


def _nrw_g_2023() -> Rulebook:
    """The NRW Land variant for municipalities: federal Gk values, but the two-month rules."""
    base = _gk(
        ident="anbest-g-nrw-2023",
        edition="NRW 20.06.2023",
        valid_from=date(2023, 6, 20),
        file_no=2038,
        modern=True,
        retention_own_clause=False,
    )
    nrw = "VV zu § 44 LHO NRW i. d. F. vom 20.06.2023"
    nrw_read = "MBl. NRW. 2023 S. 641"
    assumed = (
        "übrige Werte wie ANBest-Gk (13.06.2019) angenommen — mit den ANBest-G NRW des "
        "Bescheids abgleichen"
    )
    return base.model_copy(
        update={
            "title": "ANBest-G NRW (Landesvariante), Stand 20.06.2023",
            "land": "NW",
            "drawdown": DrawdownRule(
                mode=DrawdownMode.IN_ADVANCE,
                horizon=_TWO_MONTHS,
                source=f"{nrw} Nr. 7.2, 8.6",
                read_in=nrw_read,
            ),
            "use_window": UseWindowRule(
                window=_TWO_MONTHS, source=f"{nrw} Nr. 8.6", read_in=nrw_read
            ),
            "proof_of_use": base.proof_of_use.model_copy(
                update={"read_in": f"{base.proof_of_use.read_in}; {assumed}"}
            ),
        }
    )


EDITIONS: tuple[Rulebook, ...] = (
    _gk(
        ident="anbest-gk-2006",
        edition="April 2006",
        valid_from=date(2006, 4, 1),
        file_no=138,
        modern=False,
        retention_own_clause=False,
    ),
    _gk(
        ident="anbest-gk-2014",
        edition="01.01.2014",
        valid_from=date(2014, 1, 1),
        file_no=1363,
        modern=True,
        retention_own_clause=False,
    ),
    _gk(
        ident="anbest-gk-2016",
        edition="04.11.2016",
        valid_from=date(2016, 11, 4),
        file_no=1710,
        modern=True,
        retention_own_clause=False,
    ),
    _gk(
        ident="anbest-gk-2019",
        edition="13.06.2019",
        valid_from=date(2019, 6, 13),
        file_no=2038,
        modern=True,
        retention_own_clause=False,
    ),
    _gk(
        ident="anbest-gk-2024",
        edition="17.05.2024",
        valid_from=date(2024, 5, 17),
        file_no=3682,
        modern=True,
        retention_own_clause=True,
    ),
    _gk(
        ident="anbest-gk-2025",
        edition="April 2025",
        valid_from=date(2025, 4, 1),
        file_no=4006,
        modern=True,
        retention_own_clause=True,
        budget_act_proviso=True,
    ),
    _p(
        ident="anbest-p-2006",
        edition="April 2006",
        valid_from=date(2006, 4, 1),
        file_no=None,
        modern=False,
    ),
    _p(
        ident="anbest-p-2014",
        edition="Januar 2014",
        valid_from=date(2014, 1, 1),
        file_no=1364,
        modern=True,
    ),
    _p(
        ident="anbest-p-2019",
        edition="13.06.2019",
        valid_from=date(2019, 6, 13),
        file_no=2037,
        modern=True,
    ),
    _p(
        ident="anbest-p-2024",
        edition="17.05.2024",
        valid_from=date(2024, 5, 17),
        file_no=3681,
        modern=True,
    ),
    _p(
        ident="anbest-p-2025",
        edition="April 2025",
        valid_from=date(2025, 4, 1),
        file_no=4010,
        modern=True,
        budget_act_proviso=True,
    ),
    _p(
        ident="anbest-p-2025-09",
        edition="September 2025",
        valid_from=date(2025, 9, 1),
        file_no=4185,
        modern=True,
        budget_act_proviso=True,
    ),
    _nrw_g_2023(),
)
"""Every shipped edition of the general conditions."""
