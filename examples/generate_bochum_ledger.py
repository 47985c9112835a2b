"""Generate the illustrative ledger (Belegbuch) of the Bochum example, bochum-ledger.csv.

ILLUSTRATIVE: the city's real ledger is not public. Every voucher, payee, invoice number and
amount in the generated file is invented; the figures are made up to exercise the checks of
``foerdermittel`` against the case file ``examples/bochum-mpsc.toml``. Company names are
fictitious; any likeness to real firms is accidental.

How the ledger is built:

* Each budget line's planned amount for a budget year is spread evenly (largest remainder, to
  the cent) over the months of that year that lie in the line's phase. Phase A uses its
  original months 12/2021–11/2022; a few final invoices of A-2 … A-5 follow in 12/2022–06/2023,
  inside the period extended by amendment Ä-1.
* Each month's target is split into several vouchers; the amounts are integer cents and add
  up exactly to the month's target. Own staff (A-1, B-2.1) are booked as monthly salary
  vouchers per position on the last working day of the month; all other lines carry invoices
  from invented suppliers, on working days (Monday to Friday, no public holiday in NRW).
* The line totals are the plan scaled: phase A as a whole spends 1,080,000.00 € (plan
  1,100,000.00 €), the saving spread over its lines in proportion to their plans; in phase B,
  B-3.2 ends 10 % over plan (1,375,000.00 € instead of 1,250,000.00 €, inside the 20 %
  tolerance of ANBest Nr. 1.2), compensated by savings on B-1.1 and B-4.2 so that phase B
  spends 14,050,000.00 € (plan 14,100,000.00 €).
* Credit notes (Art ``Gutschrift``, negative, ``Bezug`` = the voucher they correct) are
  booked in a later month of the same line; that month's vouchers make up for them, so the
  line totals stay exact.

Two rows are errors on purpose, for the checks to find; neither counts towards the totals:

* a duplicate entry: one voucher of B-2.2 is booked twice (same number, date, amount, line);
* an early payment: B-1.1, 15.09.2022, 2,380.00 €, "Vorabbestellung Server", paid before
  phase B began on 01.10.2022 without an approved early start, so it is not eligible.

Format: UTF-8 with BOM, ``;`` as delimiter, CRLF line ends, amounts with a decimal comma and
no thousands separator (``12345,67``), dates as ``DD.MM.YYYY``, columns
Belegnummer;Zahlungsdatum;Betrag;Einzelansatz;Zahlungsempfänger;Verwendungszweck;Art;Bezug.
The output is deterministic (fixed random seed): two runs give identical bytes.

Usage, from the repository root::

    python examples/generate_bochum_ledger.py [--output PATH]

Summary of the generated file (seed 20211201):

* 3,873 data rows: 3,863 invoices and salary vouchers, 8 credit notes, the duplicate row and
  the early payment; phase A 369 rows, phase B 3,504 rows (duplicate and early payment
  included).
* Phase A: 1,080,000.00 € (plan 1,100,000.00 €, each line −1.82 %); phase B:
  14,050,000.00 € (plan 14,100,000.00 €); each voucher counted once, the early payment left
  out.
* B-3.2: 1,375,000.00 € (plan 1,250,000.00 €, +10 %); B-1.1: 2,868,750.00 € (plan
  3,000,000.00 €); B-4.2: 956,250.00 € (plan 1,000,000.00 €); the other lines of phase B as
  planned.
* Duplicate: BO-2024-004985 (B-2.2, 06.06.2024, 7,416.76 €) appears twice.
* Early payment: BO-2022-003996 (B-1.1, 15.09.2022, 2,380.00 €, "Vorabbestellung Server").

Intended outcome of the checks: phase A's grant is 65 % × 1,080,000.00 € = 702,000.00 €
instead of the 715,000.00 € approved; B-3.2 is 10 % over its line, within the tolerance; the
proof of use flags the duplicate voucher number and the payment before the start of phase B.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

SEED = 20211201
"""Seed of the random generator (the date of the grant decision)."""

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "bochum-ledger.csv"
"""Where the ledger is written unless ``--output`` says otherwise."""

HEADER = (
    "Belegnummer",
    "Zahlungsdatum",
    "Betrag",
    "Einzelansatz",
    "Zahlungsempfänger",
    "Verwendungszweck",
    "Art",
    "Bezug",
    "Rechnungsnummer",
    "Rechnungsdatum",
)
"""The CSV columns, in order (the German defaults of the ledger reader)."""

STAFF_PAYEE = "Stadt Bochum, Personalkosten"
"""Payee of the own-staff salary vouchers."""

PHASE_A_TARGET = 108_000_000
"""What phase A actually spends, in cents."""

PHASE_B_TARGET = 1_405_000_000
"""What phase B actually spends, in cents."""

OVERRUN_LINE = "B-3.2"
"""The line of phase B that ends over plan."""

OVERRUN_PERCENT = 10
"""How far over plan it ends, in percent."""

SAVING_LINES = ("B-1.1", "B-4.2")
"""The lines of phase B whose savings make up for the overrun."""


@dataclass(frozen=True)
class Phase:
    """A phase of the grant, as far as the ledger needs it.

    Attributes:
        id: the phase's id.
        start: first day of the approval period.
        end: last day of the months the plan spreads over (phase A: the original end).
    """

    id: str
    start: date
    end: date


@dataclass(frozen=True)
class Supplier:
    """A payee of a budget line and what it invoices.

    Attributes:
        name: the payee's name.
        weight: how often it is chosen, relative to the line's other payees.
        items: pairs of document type and description, e.g. ``("Rechnung", "Server")``.
    """

    name: str
    weight: int
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Line:
    """A budget line of ``examples/bochum-mpsc.toml``.

    Attributes:
        id: the line's id.
        phase: its phase.
        category: its cost category.
        amounts: planned amount per budget year, in cents.
        suppliers: who it pays (empty for own staff).
        positions: own staff: the positions paid, with a weight and the first month paid.
    """

    id: str
    phase: str
    category: str
    amounts: dict[int, int]
    suppliers: tuple[Supplier, ...] = ()
    positions: tuple[tuple[str, int, date], ...] = ()

    @property
    def planned(self) -> int:
        """The line's planned total, in cents."""
        return sum(self.amounts.values())


@dataclass(frozen=True)
class Straggler:
    """A final invoice of phase A paid after the original end of the phase.

    Attributes:
        line: the budget line.
        month: the first day of the month it is paid in.
        per_mille: its share of the line's 2022 amount, in per mille.
        payee: who is paid.
        doc: document type.
        item: description.
    """

    line: str
    month: date
    per_mille: int
    payee: str
    doc: str
    item: str


@dataclass(frozen=True)
class CreditEvent:
    """A credit note: which voucher it corrects and when it is booked.

    Attributes:
        line: the budget line.
        original: the month of the voucher corrected.
        month: the month the credit note is booked in (later, within the phase).
        percent: the share of the voucher credited (``None``: all of it).
        reason: why, for the purpose text.
        payee: the payee of the corrected voucher, where it matters.
        item: the description of the corrected voucher, where it matters.
    """

    line: str
    original: date
    month: date
    percent: int | None
    reason: str
    payee: str | None = None
    item: str | None = None


@dataclass
class Voucher:
    """One row of the ledger.

    Attributes:
        line: the budget line charged.
        paid_on: payment date.
        amount: amount in cents (negative for a credit note).
        payee: who was paid.
        doc: document type (``Rechnung``, ``Abschlagsrechnung`` …); empty for salaries.
        item: description.
        kind: ``Ausgabe`` or ``Gutschrift``.
        reference: for a credit note, the voucher it corrects.
        counted: whether it counts towards the line totals (not the early payment).
        seq: creation order, to break ties between equal dates.
        number: the voucher number, assigned in date order.
        invoice: the payee's invoice or credit-note number, assigned with the voucher number.
        purpose: the full purpose text, assigned with the number.
    """

    line: str
    paid_on: date
    amount: int
    payee: str
    doc: str
    item: str
    kind: str = "Ausgabe"
    reference: Voucher | None = None
    counted: bool = True
    seq: int = 0
    number: str = ""
    invoice: str = ""
    purpose: str = ""
    reason: str = field(default="", repr=False)


def _m(year: int, month: int) -> date:
    return date(year, month, 1)


def _s(name: str, weight: int, *items: tuple[str, str]) -> Supplier:
    return Supplier(name, weight, items)


R = "Rechnung"
A = "Abschlagsrechnung"

PHASES = {
    "A": Phase("A", date(2021, 12, 1), date(2022, 11, 30)),
    "B": Phase("B", date(2022, 10, 1), date(2026, 9, 30)),
}
"""The phases; phase A with its original end (the extension only takes stragglers)."""

PHASE_A_EXTENDED_END = date(2023, 6, 30)
"""Phase A's end as extended by amendment Ä-1."""


def _eur(*pairs: tuple[int, int]) -> dict[int, int]:
    """Planned amounts per year, from whole euros to cents."""
    return {year: euros * 100 for year, euros in pairs}


LINES: tuple[Line, ...] = (
    Line(
        "A-1",
        "A",
        "own_staff",
        _eur((2021, 20_000), (2022, 230_000)),
        positions=(
            ("Projektleitung Strategie", 40, _m(2021, 12)),
            ("Referat Digitalisierung", 32, _m(2021, 12)),
            ("Referat Beteiligung", 28, _m(2021, 12)),
        ),
    ),
    Line(
        "A-2",
        "A",
        "external_services",
        _eur((2021, 15_000), (2022, 285_000)),
        (
            _s(
                "Strategieberatung Emscher GmbH",
                4,
                (A, "Strategiebegleitung Smart-City-Strategie"),
                (R, "Workshopreihe Handlungsfelder"),
                (R, "Analyse Ausgangslage Digitalisierung"),
            ),
            _s(
                "Büro für Beteiligung Müller",
                3,
                (R, "Moderation Bürgerwerkstatt"),
                (R, "Konzept Beteiligungsformate"),
                (R, "Auswertung Online-Befragung"),
            ),
            _s(
                "Moderation & Dialog Schäfer",
                2,
                (R, "Moderation Stadtteilgespräch"),
                (R, "Graphic Recording Zukunftsforum"),
            ),
            _s(
                "Ruhrdruck Hölscher KG",
                1,
                (R, "Druck Beteiligungsflyer"),
                (R, "Plakate Zukunftsforum"),
            ),
            _s(
                "Veranstaltungstechnik Kötter GmbH",
                1,
                (R, "Veranstaltungstechnik Zukunftsforum"),
                (R, "Tontechnik Bürgerwerkstatt"),
            ),
        ),
    ),
    Line(
        "A-3",
        "A",
        "investment",
        _eur((2022, 250_000)),
        (
            _s(
                "Sensorik West GmbH & Co. KG",
                4,
                (R, "Sensorik Lieferung Klimamessstationen"),
                (R, "Sensorik Lieferung Bodenfeuchtesensoren"),
                (A, "Sensorik Pilot Stadtklima"),
            ),
            _s(
                "Klimamess Technik Bröker GmbH",
                2,
                (R, "Kalibrierung Messstationen"),
                (R, "Messmasten und Halterungen"),
            ),
            _s(
                "Elektro Özdemir GmbH",
                2,
                (R, "Montage Messstationen"),
                (R, "Elektroanschluss Messpunkte"),
            ),
            _s(
                "Stadtwerke Bochum GmbH",
                1,
                (R, "Stromanschluss Messpunkte"),
                (R, "Mobilfunk-Datentarife Sensorik"),
            ),
        ),
    ),
    Line(
        "A-4",
        "A",
        "investment",
        _eur((2022, 200_000)),
        (
            _s(
                "Beteiligungssoftware Rheinland GmbH",
                4,
                (R, "Lizenz Beteiligungsplattform"),
                (A, "Einrichtung Beteiligungsplattform"),
            ),
            _s(
                "Datenwerk Ruhr GmbH",
                2,
                (R, "Schnittstelle Geodaten Beteiligungsplattform"),
                (R, "Hosting Beteiligungsplattform"),
            ),
            _s(
                "UX-Studio Grünewald",
                2,
                (R, "Gestaltung Nutzeroberfläche"),
                (R, "Nutzertest Beteiligungsplattform"),
            ),
            _s("Barrierefrei Digital Köhler", 1, (R, "Barrierefreiheitsprüfung")),
        ),
    ),
    Line(
        "A-5",
        "A",
        "external_services",
        _eur((2022, 100_000)),
        (
            _s(
                "Plattformberatung Lütke GmbH",
                4,
                (A, "Konzeption urbane Datenplattform"),
                (R, "Anforderungsanalyse Datenplattform"),
            ),
            _s(
                "Institut für Stadtdaten Witten e. V.",
                2,
                (R, "Gutachten Datenstrategie"),
                (R, "Workshop Datenkatalog"),
            ),
            _s("Datenwerk Ruhr GmbH", 1, (R, "Marktsichtung Plattformsoftware")),
        ),
    ),
    Line(
        "B-1.1",
        "B",
        "investment",
        _eur((2022, 100_000), (2023, 900_000), (2024, 1_000_000), (2025, 700_000), (2026, 300_000)),
        (
            _s(
                "Datenwerk Ruhr GmbH",
                5,
                (A, "Softwareentwicklung Datenplattform"),
                (R, "Datenintegration Fachverfahren"),
                (R, "Schnittstellen Datenplattform"),
            ),
            _s(
                "Cloudhaus Westfalen GmbH",
                3,
                (R, "Hosting Datenplattform"),
                (R, "Lizenz Datenkatalog"),
                (R, "Backup-Speicher"),
            ),
            _s(
                "Serverbau Kürten KG",
                2,
                (R, "Server-Hardware"),
                (R, "Netzwerkkomponenten Rechenzentrum"),
            ),
            _s(
                "Plattformberatung Lütke GmbH",
                2,
                (A, "Projektbegleitung Datenplattform"),
                (R, "Datenmodellierung"),
            ),
            _s(
                "Sicherheitslabor Wüllner GmbH",
                1,
                (R, "Penetrationstest Datenplattform"),
                (R, "Sicherheitskonzept Datenplattform"),
            ),
        ),
    ),
    Line(
        "B-1.2",
        "B",
        "investment",
        _eur((2023, 400_000), (2024, 600_000), (2025, 400_000), (2026, 100_000)),
        (
            _s(
                "Funknetz Hellweg GmbH",
                4,
                (R, "LoRaWAN-Gateways"),
                (R, "Netzplanung LoRaWAN"),
                (A, "Aufbau LoRaWAN-Netz"),
            ),
            _s(
                "Sensorik West GmbH & Co. KG",
                3,
                (R, "Sensorik Lieferung LoRaWAN-Sensoren"),
                (R, "Sensorik Lieferung Füllstandssensoren"),
            ),
            _s(
                "Elektro Özdemir GmbH",
                2,
                (R, "Montage Gateways"),
                (R, "Elektroinstallation Gateway-Standorte"),
            ),
            _s(
                "Stadtwerke Bochum GmbH",
                1,
                (R, "Standortmiete Gateways"),
                (R, "Stromanschluss Gateway-Standorte"),
            ),
            _s("Hubsteiger-Vermietung Jäger", 1, (R, "Hubsteiger Montage Gateways")),
        ),
    ),
    Line(
        "B-2.1",
        "B",
        "own_staff",
        _eur((2022, 60_000), (2023, 300_000), (2024, 320_000), (2025, 330_000), (2026, 240_000)),
        positions=(
            ("Projektleitung", 34, _m(2022, 10)),
            ("Projektsteuerung", 28, _m(2022, 10)),
            ("Datenmanagement", 24, _m(2022, 10)),
            ("Öffentlichkeitsarbeit", 20, _m(2023, 1)),
        ),
    ),
    Line(
        "B-2.2",
        "B",
        "external_services",
        _eur((2023, 300_000), (2024, 500_000), (2025, 500_000), (2026, 200_000)),
        (
            _s(
                "Ingenieurgesellschaft Ruhrtal mbH",
                4,
                (A, "Wasserhaushaltsmodell"),
                (R, "Starkregen-Simulation"),
            ),
            _s(
                "Hydrologie Büro Weßling",
                3,
                (R, "Niederschlagsauswertung"),
                (R, "Kalibrierung Wasserhaushaltsmodell"),
            ),
            _s(
                "Klimamess Technik Bröker GmbH",
                2,
                (R, "Wartung Stadtklima-Messnetz"),
                (R, "Messkampagne Hitzeinseln"),
            ),
            _s(
                "Geodaten Kemnade GmbH",
                1,
                (R, "Laserscan-Geländemodell"),
                (R, "Luftbildauswertung Versiegelung"),
            ),
        ),
    ),
    Line(
        "B-3.1",
        "B",
        "investment",
        _eur((2023, 200_000), (2024, 600_000), (2025, 800_000), (2026, 400_000)),
        (
            _s(
                "Medientechnik Günnigmann GmbH",
                3,
                (R, "Medientechnik Lernort"),
                (R, "Videokonferenztechnik"),
            ),
            _s(
                "Möbelwerk Sauerland GmbH",
                2,
                (R, "Mobiliar Lernlabor"),
                (R, "Akustikelemente"),
            ),
            _s("Tischlerei Brüggemann", 2, (R, "Einbaumöbel Makerspace"), (R, "Werkbänke")),
            _s(
                "Makerspace-Ausstattung Böhm KG",
                2,
                (R, "3D-Drucker und Lasercutter"),
                (R, "Elektronik-Arbeitsplätze"),
            ),
            _s(
                "IT-Systemhaus Wattenscheid GmbH",
                3,
                (R, "Notebooks und Tablets"),
                (R, "WLAN-Ausstattung"),
                (A, "IT-Ausstattung Lernort"),
            ),
        ),
    ),
    Line(
        "B-3.2",
        "B",
        "external_services",
        _eur((2022, 40_000), (2023, 400_000), (2024, 350_000), (2025, 300_000), (2026, 160_000)),
        (
            _s(
                "Appwerk Bochum GmbH",
                5,
                (A, "Softwareentwicklung Bochum App"),
                (R, "Weiterentwicklung Bochum App"),
                (R, "Wartung Bochum App"),
            ),
            _s(
                "Beteiligungssoftware Rheinland GmbH",
                3,
                (R, "Lizenz Beteiligungsplattform"),
                (R, "Modul Bürgerhaushalt"),
            ),
            _s(
                "Büro für Beteiligung Müller",
                2,
                (R, "Moderation Online-Dialog"),
                (R, "Redaktion Beteiligungsverfahren"),
            ),
            _s(
                "UX-Studio Grünewald",
                2,
                (R, "Nutzertest Bochum App"),
                (R, "Gestaltung App-Oberfläche"),
            ),
            _s("Barrierefrei Digital Köhler", 1, (R, "Barrierefreiheitsprüfung Bochum App")),
        ),
    ),
    Line(
        "B-3.3",
        "B",
        "material",
        _eur((2023, 100_000), (2024, 150_000), (2025, 150_000), (2026, 100_000)),
        (
            _s(
                "Fahrzeugbau Többen GmbH",
                2,
                (R, "Ausbau Lastenanhänger Stadtlabor"),
                (R, "Ersatzteile Anhänger"),
            ),
            _s(
                "Elektronikversand Jürgens",
                3,
                (R, "Elektronikbauteile"),
                (R, "Mikrocontroller-Sets"),
                (R, "Akkus und Ladegeräte"),
            ),
            _s(
                "Ruhrdruck Hölscher KG",
                2,
                (R, "Druck Infomaterial Stadtlabor"),
                (R, "Banner und Aufsteller"),
            ),
            _s(
                "Bürobedarf Schröder KG",
                2,
                (R, "Verbrauchsmaterial Workshops"),
                (R, "Moderationsmaterial"),
            ),
            _s(
                "Werkstattbedarf Lübke",
                2,
                (R, "Werkzeug Stadtlabor"),
                (R, "Verbrauchsmaterial Werkstatt"),
            ),
        ),
    ),
    Line(
        "B-4.1",
        "B",
        "investment",
        _eur((2023, 250_000), (2024, 400_000), (2025, 250_000), (2026, 100_000)),
        (
            _s(
                "Sensorik West GmbH & Co. KG",
                3,
                (R, "Sensorik Lieferung Bodenfeuchtesensoren"),
                (R, "Sensorik Lieferung Baumsensoren"),
            ),
            _s(
                "Wetterstationen Dörnberg GmbH",
                3,
                (R, "Wetterstationen"),
                (R, "Montage Wetterstationen"),
            ),
            _s(
                "Bewässerungstechnik Höfer KG",
                2,
                (R, "Bewässerungssäcke und Ventile"),
                (R, "Steuerung Baumbewässerung"),
            ),
            _s(
                "Grünpflege Mühlenbeck GmbH",
                2,
                (R, "Einbau Sensoren Baumscheiben"),
                (R, "Pflanzarbeiten Pilotstandorte"),
            ),
        ),
    ),
    Line(
        "B-4.2",
        "B",
        "external_services",
        _eur((2024, 300_000), (2025, 500_000), (2026, 200_000)),
        (
            _s(
                "Verkehrsdaten Rhein-Ruhr GmbH",
                4,
                (A, "Verkehrsdatenanalyse"),
                (R, "Verkehrszählung Pilotkorridor"),
            ),
            _s(
                "Signaltechnik Hömberg GmbH",
                3,
                (R, "Anpassung Lichtsignalsteuerung"),
                (R, "Detektoren Verkehrsrechner"),
            ),
            _s(
                "Ingenieurbüro Verkehr Schütte",
                2,
                (R, "Verkehrsplanung Pilotkorridor"),
                (R, "Wirkungsanalyse Verkehrssteuerung"),
            ),
            _s("Datenwerk Ruhr GmbH", 1, (R, "Schnittstelle Mobilitätsdaten")),
        ),
    ),
    Line(
        "B-5.1",
        "B",
        "external_services",
        _eur((2023, 150_000), (2024, 250_000), (2025, 250_000), (2026, 150_000)),
        (
            _s(
                "Institut für Stadtdaten Witten e. V.",
                3,
                (R, "Forschungskooperation Stadtdaten"),
                (R, "Studie Datennutzung"),
            ),
            _s(
                "Innovationslabor Ehrenfeld GmbH",
                2,
                (R, "Innovationswettbewerb"),
                (R, "Design-Sprint Verwaltung"),
            ),
            _s(
                "Sensormühle UG (haftungsbeschränkt)",
                2,
                (R, "Pilotprojekt Start-up-Kooperation"),
                (R, "Prototyp Parksensorik"),
            ),
            _s(
                "Gründerzentrum Ruhr-Süd e. V.",
                2,
                (R, "Challenge-Programm Smart City"),
                (R, "Veranstaltung Innovationsforum"),
            ),
        ),
    ),
    Line(
        "B-5.2",
        "B",
        "other",
        _eur((2023, 50_000), (2024, 100_000), (2025, 100_000), (2026, 50_000)),
        (
            _s(
                "Open-Source-Agentur Flöttmann",
                4,
                (R, "Veröffentlichung Quellcode"),
                (R, "Dokumentation Open-Source-Komponenten"),
                (R, "Code-Review und Lizenzprüfung"),
            ),
            _s("Übersetzungsbüro Ölmez", 1, (R, "Übersetzung Dokumentation")),
            _s("Veranstaltungstechnik Kötter GmbH", 1, (R, "Technik Fachkonferenz")),
            _s("Tagungshotel Kemnader See GmbH", 1, (R, "Tagungsräume Wissenstransfer")),
            _s("Ruhrdruck Hölscher KG", 1, (R, "Druck Projektbroschüre")),
        ),
    ),
)
"""The budget lines with their planned amounts (as in ``bochum-mpsc.toml``) and payees."""

VOUCHERS_PER_MONTH = {
    "investment": (4, 9),
    "external_services": (5, 10),
    "material": (8, 14),
    "other": (5, 10),
}
"""How many invoices a line books in a month, by category (least, most)."""

STRAGGLERS: tuple[Straggler, ...] = (
    Straggler(
        "A-2",
        _m(2022, 12),
        40,
        "Strategieberatung Emscher GmbH",
        "Schlussrechnung",
        "Strategiebegleitung Smart-City-Strategie",
    ),
    Straggler(
        "A-2",
        _m(2023, 2),
        15,
        "Büro für Beteiligung Müller",
        R,
        "Dokumentation Beteiligungsformate",
    ),
    Straggler(
        "A-3",
        _m(2023, 1),
        50,
        "Elektro Özdemir GmbH",
        "Schlussrechnung",
        "Montage Messstationen",
    ),
    Straggler(
        "A-4",
        _m(2023, 3),
        60,
        "Beteiligungssoftware Rheinland GmbH",
        "Schlussrechnung",
        "Pilot Beteiligungsplattform",
    ),
    Straggler(
        "A-5",
        _m(2023, 6),
        80,
        "Plattformberatung Lütke GmbH",
        "Schlussrechnung",
        "Konzeption urbane Datenplattform",
    ),
)
"""Final invoices of phase A paid in the extended period, as shares of the 2022 amount."""

CREDITS: tuple[CreditEvent, ...] = (
    CreditEvent(
        "A-3",
        _m(2022, 5),
        _m(2022, 7),
        None,
        "Rücksendung defekter Messstationen",
        "Sensorik West GmbH & Co. KG",
        "Sensorik Lieferung Klimamessstationen",
    ),
    CreditEvent("B-1.1", _m(2023, 4), _m(2023, 6), 15, "Minderung wegen Terminverzug"),
    CreditEvent(
        "B-1.2",
        _m(2023, 9),
        _m(2023, 11),
        None,
        "Rücksendung wegen Transportschaden",
        "Funknetz Hellweg GmbH",
        "LoRaWAN-Gateways",
    ),
    CreditEvent("B-3.1", _m(2024, 3), _m(2024, 5), 8, "Preisnachlass nach Abnahme"),
    CreditEvent("B-3.2", _m(2024, 10), _m(2024, 12), 20, "Minderung nicht erbrachter Leistungen"),
    CreditEvent("B-3.3", _m(2025, 2), _m(2025, 3), None, "Doppelberechnung"),
    CreditEvent("B-4.1", _m(2025, 6), _m(2025, 8), 12, "Preisnachlass Mängelbeseitigung"),
    CreditEvent(
        "B-5.2",
        _m(2026, 1),
        _m(2026, 3),
        None,
        "Stornierung",
        "Tagungshotel Kemnader See GmbH",
        "Tagungsräume Wissenstransfer",
    ),
)
"""The credit notes: the month of the voucher corrected and the month of the credit."""

DUPLICATE_OF = ("B-2.2", _m(2024, 6))
"""The line and month whose first voucher is booked a second time (an error in the ledger)."""

EARLY_PAYMENT = Voucher(
    line="B-1.1",
    paid_on=date(2022, 9, 15),
    amount=238_000,
    payee="Serverbau Kürten KG",
    doc=R,
    item="Vorabbestellung Server",
    counted=False,
)
"""A payment before phase B began, without an approved early start: not eligible."""


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` cents over ``weights``, the parts adding up exactly.

    Largest remainder: every part gets its share rounded down; the cents left over go one
    each to the parts with the largest remainders, ties to the earlier part (as
    ``foerdermittel.money.allocate`` does).

    >>> allocate(10_000, [1, 1, 1])
    [3334, 3333, 3333]
    """
    if total < 0 or not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError(f"cannot allocate {total} over {list(weights)}")
    weight_sum = sum(weights)
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    order = sorted((i for i, w in enumerate(weights) if w > 0), key=lambda i: (-remainders[i], i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` (Gregorian calendar, anonymous algorithm).

    >>> easter_sunday(2024)
    datetime.date(2024, 3, 31)
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nrw_holidays(year: int) -> frozenset[date]:
    """The public holidays of North Rhine-Westphalia in ``year``."""
    easter = easter_sunday(year)
    movable = (-2, 1, 39, 50, 60)  # Good Friday, Easter Monday, Ascension, Whit Monday, Corpus
    fixed = ((1, 1), (5, 1), (10, 3), (11, 1), (12, 25), (12, 26))
    return frozenset(
        [easter + timedelta(days=n) for n in movable] + [date(year, m, d) for m, d in fixed]
    )


def working_days(month: date) -> list[date]:
    """The working days (Monday to Friday, no public holiday in NRW) of ``month``'s month."""
    holidays = nrw_holidays(month.year)
    day = month.replace(day=1)
    days: list[date] = []
    while day.month == month.month:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months from ``start``'s month to ``end``'s month."""
    months: list[date] = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def line_targets() -> dict[str, int]:
    """What each line actually spends, in cents: the plan scaled as the module docstring says."""
    targets: dict[str, int] = {}
    lines_a = [line for line in LINES if line.phase == "A"]
    for line, amount in zip(
        lines_a, allocate(PHASE_A_TARGET, [line.planned for line in lines_a]), strict=True
    ):
        targets[line.id] = amount
    lines_b = [line for line in LINES if line.phase == "B"]
    planned_b = sum(line.planned for line in lines_b)
    by_id = {line.id: line for line in lines_b}
    overrun = by_id[OVERRUN_LINE].planned * OVERRUN_PERCENT // 100
    saving = planned_b - PHASE_B_TARGET + overrun
    savers = [by_id[i] for i in SAVING_LINES]
    cuts = dict(zip(SAVING_LINES, allocate(saving, [s.planned for s in savers]), strict=True))
    for line in lines_b:
        targets[line.id] = line.planned - cuts.get(line.id, 0)
    targets[OVERRUN_LINE] += overrun
    return targets


def month_targets(line: Line, target: int) -> dict[date, int]:
    """The line's target spread over its months, in cents, stragglers included."""
    phase = PHASES[line.phase]
    years = sorted(line.amounts)
    by_year = dict(
        zip(years, allocate(target, [line.amounts[y] for y in years]), strict=True),
    )
    months = months_between(phase.start, phase.end)
    result: dict[date, int] = {}
    for year in years:
        amount = by_year[year]
        for straggler in STRAGGLERS:
            if straggler.line == line.id and year == 2022:
                part = line.amounts[2022] * straggler.per_mille // 1000
                part = target * part // line.planned
                result[straggler.month] = result.get(straggler.month, 0) + part
                amount -= part
        in_year = [m for m in months if m.year == year]
        for month, part in zip(in_year, allocate(amount, [1] * len(in_year)), strict=True):
            result[month] = result.get(month, 0) + part
    return dict(sorted(result.items()))


def _pick_supplier(rng: random.Random, line: Line) -> Supplier:
    return rng.choices(line.suppliers, weights=[s.weight for s in line.suppliers])[0]


def _supplier(line: Line, name: str) -> Supplier:
    for supplier in line.suppliers:
        if supplier.name == name:
            return supplier
    raise KeyError(f"{line.id}: no payee {name!r}")


def staff_vouchers(line: Line, month: date, target: int) -> list[Voucher]:
    """The salary vouchers of an own-staff line for one month, one per position."""
    positions = [p for p in line.positions if p[2] <= month]
    paid_on = working_days(month)[-1]
    amounts = allocate(target, [p[1] for p in positions])
    return [
        Voucher(line.id, paid_on, amount, STAFF_PAYEE, "", f"{month:%m/%Y} – {name}")
        for (name, _, _), amount in zip(positions, amounts, strict=True)
    ]


def invoice_vouchers(
    rng: random.Random, line: Line, month: date, total: int, count: int
) -> list[Voucher]:
    """``count`` invoices of ``line`` in ``month`` adding up to ``total`` cents."""
    days = working_days(month)
    amounts = allocate(total, [rng.randint(300, 1700) for _ in range(count)])
    vouchers: list[Voucher] = []
    for amount in amounts:
        supplier = _pick_supplier(rng, line)
        doc, item = rng.choice(supplier.items)
        vouchers.append(Voucher(line.id, rng.choice(days), amount, supplier.name, doc, item))
    return vouchers


def line_vouchers(rng: random.Random, line: Line, target: int) -> list[Voucher]:
    """All vouchers of one line, the credit notes included, adding up to ``target`` cents."""
    months = month_targets(line, target)
    events = [c for c in CREDITS if c.line == line.id]
    for event in events:
        if event.original not in months or event.month not in months:
            raise ValueError(f"{line.id}: credit note outside the line's months")
        if event.month <= event.original:
            raise ValueError(f"{line.id}: credit note before the voucher it corrects")
    pending: dict[date, list[Voucher]] = {}
    vouchers: list[Voucher] = []
    for month, month_target in months.items():
        credits = pending.pop(month, [])
        for credit in credits:
            credit.paid_on = rng.choice(working_days(month))
        if line.positions:
            batch = staff_vouchers(line, month, month_target)
        else:
            straggler = [s for s in STRAGGLERS if s.line == line.id and s.month == month]
            if straggler:
                s = straggler[0]
                days = [d for d in working_days(month) if d <= PHASE_A_EXTENDED_END]
                batch = [Voucher(line.id, rng.choice(days), month_target, s.payee, s.doc, s.item)]
            else:
                low, high = VOUCHERS_PER_MONTH[line.category]
                total = month_target - sum(c.amount for c in credits)
                batch = invoice_vouchers(rng, line, month, total, rng.randint(low, high))
        for event in events:
            if event.original != month:
                continue
            corrected = batch[0]
            if event.payee is not None:
                corrected.payee = event.payee
                doc, item = _supplier(line, event.payee).items[0]
                corrected.doc, corrected.item = doc, event.item or item
            amount = corrected.amount
            if event.percent is not None:
                amount = amount * event.percent // 100
            pending.setdefault(event.month, []).append(
                Voucher(
                    line.id,
                    event.month,
                    -amount,
                    corrected.payee,
                    "Gutschrift",
                    corrected.item,
                    kind="Gutschrift",
                    reference=corrected,
                    reason=event.reason,
                )
            )
        vouchers.extend(batch)
        vouchers.extend(credits)
    if pending:
        raise ValueError(f"{line.id}: credit notes left unbooked")
    return vouchers


def number_vouchers(rng: random.Random, vouchers: list[Voucher]) -> None:
    """Give every voucher its number and purpose text, in date order.

    Numbers run per year, with gaps (the project's vouchers are a part of the city's books);
    invoice numbers run per payee and year.
    """
    counters: dict[int, int] = {}
    invoices: dict[tuple[str, int], int] = {}
    credit_notes: dict[tuple[str, int], int] = {}
    for voucher in vouchers:
        year = voucher.paid_on.year
        counters[year] = counters.get(year, rng.randint(1_200, 2_400)) + rng.randint(1, 14)
        voucher.number = f"BO-{year}-{counters[year]:06d}"
        if voucher.payee == STAFF_PAYEE:
            voucher.purpose = f"Personalkosten Smart City {voucher.item}"
        elif voucher.reference is not None:
            key = (voucher.payee, year)
            credit_notes[key] = credit_notes.get(key, rng.randint(1, 40)) + rng.randint(1, 9)
            voucher.invoice = f"GS-{year}-{credit_notes[key]:03d}"
            voucher.purpose = (
                f"Gutschrift {voucher.invoice} zu {voucher.reference.doc} "
                f"{voucher.reference.invoice} ({voucher.reason})"
            )
        else:
            key = (voucher.payee, year)
            invoices[key] = invoices.get(key, rng.randint(20, 400)) + rng.randint(1, 30)
            voucher.invoice = f"{year}-{invoices[key]:04d}"
            voucher.purpose = f"{voucher.doc} {voucher.invoice} {voucher.item}"


def build_ledger(rng: random.Random) -> list[Voucher]:
    """All rows of the ledger in date order, the duplicate entry included."""
    targets = line_targets()
    vouchers: list[Voucher] = []
    for line in LINES:
        vouchers.extend(line_vouchers(rng, line, targets[line.id]))
    vouchers.append(replace(EARLY_PAYMENT))
    for seq, voucher in enumerate(vouchers):
        voucher.seq = seq
    vouchers.sort(key=lambda v: (v.paid_on, v.seq))
    number_vouchers(rng, vouchers)
    line_id, month = DUPLICATE_OF
    index = next(
        i
        for i, v in enumerate(vouchers)
        if v.line == line_id and v.paid_on.replace(day=1) == month and v.kind == "Ausgabe"
    )
    vouchers.insert(index + 1, replace(vouchers[index], counted=False))
    return vouchers


def euro(cents: int) -> str:
    """Cents as a German amount without thousands separator.

    >>> euro(-238000), euro(5)
    ('-2380,00', '0,05')
    """
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"


def readable(cents: int) -> str:
    """Cents as a German amount with thousands separators, for the summary.

    >>> readable(1_405_000_000), readable(-238_000)
    ('14.050.000,00', '-2.380,00')
    """
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:_},{part:02d}".replace("_", ".")


def invoice_date(voucher: Voucher) -> str:
    """The invoice's date: 7 to 27 days before the payment, from the invoice number.

    Taken from the number, not from the random generator, so that the rest of the ledger
    stays as it was; salaries have no invoice.

    >>> paid = Voucher("A-1", date(2022, 3, 15), 100, "X", "Rechnung", "Y", invoice="2022-0133")
    >>> invoice_date(paid)
    '01.03.2022'
    """
    if not voucher.invoice:
        return ""
    days = 7 + int(voucher.invoice.rsplit("-", 1)[1]) % 21
    return f"{voucher.paid_on - timedelta(days=days):%d.%m.%Y}"


def write_csv(vouchers: Sequence[Voucher], path: Path) -> None:
    """Write the ledger: UTF-8 with BOM, ``;`` delimited, CRLF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for v in vouchers:
            writer.writerow(
                (
                    v.number,
                    f"{v.paid_on:%d.%m.%Y}",
                    euro(v.amount),
                    v.line,
                    v.payee,
                    v.purpose,
                    v.kind,
                    v.reference.number if v.reference is not None else "",
                    v.invoice,
                    invoice_date(v),
                )
            )


def check_and_report(vouchers: Sequence[Voucher]) -> str:
    """Check the totals against the targets and describe the ledger.

    Raises:
        RuntimeError: if a line's total misses its target (a bug in this script).
    """
    targets = line_targets()
    totals = dict.fromkeys(targets, 0)
    rows = dict.fromkeys(targets, 0)
    for v in vouchers:
        rows[v.line] += 1
        if v.counted:
            totals[v.line] += v.amount
    if totals != targets:
        raise RuntimeError(f"line totals miss their targets: {totals} != {targets}")
    out = [f"{len(vouchers)} Zeilen", ""]
    out.append(f"{'Ansatz':<8}{'Plan':>16}{'Ist':>16}{'Abw.':>9}{'Zeilen':>8}")
    for phase in PHASES:
        plan_sum = ist_sum = row_sum = 0
        for line in LINES:
            if line.phase != phase:
                continue
            plan, ist = line.planned, totals[line.id]
            plan_sum, ist_sum, row_sum = plan_sum + plan, ist_sum + ist, row_sum + rows[line.id]
            deviation = f"{(ist - plan) * 100 / plan:+.2f} %".replace(".", ",")
            out.append(
                f"{line.id:<8}{readable(plan):>16}{readable(ist):>16}{deviation:>9}"
                f"{rows[line.id]:>8}"
            )
        out.append(f"{'Phase ' + phase:<8}{readable(plan_sum):>16}{readable(ist_sum):>16}")
        out.append(f"{'':<8}{'':>16}{'':>16}{'':>9}{row_sum:>8}")
        out.append("")
    seen: dict[str, Voucher] = {}
    for v in vouchers:
        if v.number in seen:
            out.append(
                f"Doppelt gebucht: {v.number} ({v.line}, {v.paid_on:%d.%m.%Y}, "
                f"{readable(v.amount)} €)"
            )
        seen[v.number] = v
    phase_of = {line.id: line.phase for line in LINES}
    for v in vouchers:
        if v.paid_on < PHASES[phase_of[v.line]].start:
            out.append(
                f"Vor Beginn der Phase bezahlt: {v.number} ({v.line}, {v.paid_on:%d.%m.%Y}, "
                f"{readable(v.amount)} €)"
            )
    for v in vouchers:
        if v.reference is not None:
            out.append(
                f"Gutschrift: {v.number} ({v.line}, {v.paid_on:%d.%m.%Y}, "
                f"{readable(v.amount)} €) zu {v.reference.number}"
            )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the ledger and print the totals per line and phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write the CSV file (default: {DEFAULT_OUTPUT.name} next to this script)",
    )
    args = parser.parse_args(argv)
    vouchers = build_ledger(random.Random(SEED))
    report = check_and_report(vouchers)
    write_csv(vouchers, args.output)
    print(f"{args.output}:")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
