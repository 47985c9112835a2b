"""Modellprojekte Smart Cities (MPSC) — the programme's rules for its three calls.

Federal programme of the BMI (since December 2021 BMWSB), run by KfW as grant product 436.

References:
    * Funding rate 65 %, 90 % for municipalities in a Haushaltsnotlage under Land law; caps
      2.5 Mio € (phase A, of which at most 1 Mio € first implementation measures) and
      15 Mio € (phase B): KfW programme text (copy on grantway.induct.net), NRW.BANK
      Förderlotse "Modellprojekte Smart Cities – Zuschuss", foerderdatenbank.de.
    * Phase durations: calls 2019/2020 — A 24 months, B up to 5 years (fznum-hessen.de,
      NRW.BANK); call 2021 — A 12 months, B up to 4 years (KfW text on grantway,
      smart-cities-made-in.de "Förderfähige Maßnahmen").
    * Cap basis: the KfW text reads as a cap on the grant; the municipalities of the calls
      (Wuppertal, Hildesheim, Leipzig, Konstanz) budget 2.5 + 15 Mio € of *eligible cost*. The
      default here follows that practice (``eligible_cost``); override it per grant where the
      decision says otherwise.
    * Proof of use: phase A at the latest 30 months, phase B at the latest 5 years 6 months
      after the Förderzusage, phase B together with the request for the Schlussrate
      (smart-cities-made-in.de, "Nachweis der Mittelverwendung"; wording of the 2019/2020
      calls, applied to 2021 unless the decision says otherwise).
    * Drawdown every six months for costs already incurred (reimbursement in arrears): Kleine
      Anfrage BT-Drs. 20/13972, preamble, quoting the Förderrichtlinie ("alle sechs Monate
      Mittel für angefallene Kosten ... abrufen").
    * Council resolution on the strategy before implementation money: smart-cities-made-in.de
      "Förderfähige Maßnahmen"; Bochum council paper 20222718.
    * Call 2021 extension offer: cost-neutral up to 31.03.2028; declaration by 31.12.2024,
      application with a binding drawdown plan by 31.01.2025 (kommune21.de 16.12.2024,
      hildesheimer-presse.de 13.12.2024).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.periods import Span
from foerdermittel.rules.model import (
    CapBasis,
    DrawdownMode,
    DrawdownRule,
    Milestone,
    PhaseLimit,
    ProgrammeRules,
)

__all__ = ["PROGRAMMES"]

_KFW = "KfW-Merkblatt Modellprojekte Smart Cities (Programm 436)"
_RATES = {"standard": Decimal("0.65"), "haushaltsnotlage": Decimal("0.90")}
_DRAWDOWN = DrawdownRule(
    mode=DrawdownMode.IN_ARREARS,
    interval_months=6,
    reimburses_paid_costs=True,
    source="MPSC-Förderrichtlinie (Abruf halbjährlich für angefallene Kosten)",
    read_in=(
        "Kleine Anfrage BT-Drs. 20/13972, Vorbemerkung: „Laut Förderrichtlinie können die "
        "geförderten Kommunen alle sechs Monate Mittel für angefallene Kosten bei der KfW "
        "abrufen“ (Kopie auf kleineanfragen.org, Vorgang 318087)"
    ),
)
_NACHWEIS = "MPSC-Förderaufrufe 2019/2020, Nachweis der Mittelverwendung"
_NACHWEIS_READ = (
    "smart-cities-made-in.de, „Nachweis der Mittelverwendung“ (Wortlaut der Aufrufe 2019/2020, "
    "für 2021 übernommen, soweit der Bescheid nichts anderes sagt)"
)
_COUNCIL = Milestone(
    id="council-resolution-strategy",
    title="Ratsbeschluss zur Smart-City-Strategie vor Mitteln der Umsetzungsphase",
    before_phase="B",
    source="MPSC-Förderaufruf, Förderfähige Maßnahmen (Ratsbeschluss zur Strategie)",
    read_in="smart-cities-made-in.de, „Förderfähige Maßnahmen“; Ratsvorlage Bochum 20222718",
)
_EXTENSION = "Angebot des Bundes zur kostenneutralen Verlängerung der 3. Staffel (Dezember 2024)"
_EXTENSION_READ = "kommune21.de 16.12.2024; hildesheimer-presse.de 13.12.2024"


def _phases(*, months_a: int, years_b: int, call: str, read_in: str) -> dict[str, PhaseLimit]:
    return {
        "A": PhaseLimit(
            title="Strategiephase (A)",
            cap=Decimal("2500000.00"),
            cap_basis=CapBasis.ELIGIBLE_COST,
            first_measures_cap=Decimal("1000000.00"),
            max_duration=Span(amount=months_a, unit="months"),
            proof_of_use_after_decision=Span(amount=30, unit="months"),
            proof_of_use_source=_NACHWEIS,
            proof_of_use_read_in=_NACHWEIS_READ,
            source=f"{_KFW}; {call}",
            read_in=read_in,
        ),
        "B": PhaseLimit(
            title="Umsetzungsphase (B)",
            cap=Decimal("15000000.00"),
            cap_basis=CapBasis.ELIGIBLE_COST,
            max_duration=Span(amount=years_b, unit="years"),
            proof_of_use_after_decision=Span(amount=66, unit="months"),
            proof_of_use_source=_NACHWEIS,
            proof_of_use_read_in=_NACHWEIS_READ,
            final_instalment_after_proof=True,
            source=f"{_KFW}; {call}",
            read_in=read_in,
        ),
    }


PROGRAMMES: tuple[ProgrammeRules, ...] = (
    ProgrammeRules(
        id="mpsc-2019",
        title="Modellprojekte Smart Cities, 1. Staffel (Aufruf 2019)",
        call_date=date(2019, 3, 29),
        default_rulebook="anbest-gk-2019",
        rates=_RATES,
        default_tier="standard",
        phases=_phases(
            months_a=24,
            years_b=5,
            call="Förderaufruf 2019",
            read_in="fznum-hessen.de; NRW.BANK Förderlotse „Modellprojekte Smart Cities“",
        ),
        drawdown=_DRAWDOWN,
        milestones=(_COUNCIL,),
        source=f"{_KFW}; Förderaufruf vom 29.03.2019",
        read_in="vku.de 10.07.2019; KfW-Merkblatt (Kopie auf 9dok.net)",
    ),
    ProgrammeRules(
        id="mpsc-2020",
        title="Modellprojekte Smart Cities, 2. Staffel (Aufruf 2020)",
        call_date=date(2020, 2, 7),
        default_rulebook="anbest-gk-2019",
        rates=_RATES,
        default_tier="standard",
        phases=_phases(
            months_a=24,
            years_b=5,
            call="Förderaufruf 2020",
            read_in="fznum-hessen.de; NRW.BANK Förderlotse „Modellprojekte Smart Cities“",
        ),
        drawdown=_DRAWDOWN,
        milestones=(_COUNCIL,),
        source=f"{_KFW}; Förderaufruf vom 07.02.2020",
        read_in="Vorlage Leverkusen 2020/3521; KfW-Merkblatt (Kopie auf 9dok.net)",
    ),
    ProgrammeRules(
        id="mpsc-2021",
        title="Modellprojekte Smart Cities, 3. Staffel (Aufruf 2021)",
        call_date=date(2020, 12, 16),
        default_rulebook="anbest-gk-2019",
        rates=_RATES,
        default_tier="standard",
        phases=_phases(
            months_a=12,
            years_b=4,
            call="Förderaufruf 2021",
            read_in="KfW-Programmtext (Kopie auf grantway.induct.net); smart-cities-made-in.de",
        ),
        drawdown=_DRAWDOWN,
        extension_ceiling=date(2028, 3, 31),
        milestones=(
            _COUNCIL,
            Milestone(
                id="extension-declaration",
                title="Interessenbekundung zur kostenneutralen Verlängerung bis 31.03.2028",
                due=date(2024, 12, 31),
                optional=True,
                source=_EXTENSION,
                read_in=_EXTENSION_READ,
            ),
            Milestone(
                id="extension-application",
                title="Verlängerungsantrag mit verbindlichem Mittelabrufplan",
                due=date(2025, 1, 31),
                optional=True,
                source=_EXTENSION,
                read_in=_EXTENSION_READ,
            ),
        ),
        source=f"{_KFW}; Förderaufruf vom 16.12.2020",
        read_in="charta-digitale-vernetzung.de; KfW-Merkblatt (Kopie auf 9dok.net)",
    ),
)
"""Every shipped MPSC call."""
