import json
from pathlib import Path

import pytest

from foerdermittel.cli import main

from .common import BOCHUM, bochum_text_without_records


def test_report_prints_german_overview(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["report", str(BOCHUM), "--as-of", "2025-06-30"])
    out = capsys.readouterr().out
    assert status == 0
    assert "9.880.000,00\u00a0€" in out
    assert "5.320.000,00\u00a0€" in out
    assert "01.12.2021–30.06.2023" in out  # as the amendment extended it
    assert "Ä-1 (illustrativ) vom 21.11.2022" in out
    assert "Stichtag:            30.06.2025" in out
    assert "Förderquote 65\u00a0%" in out
    assert "[Fehler]" not in out


def test_report_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(BOCHUM), "--json", "--as-of", "2025-06-30"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["financing"]["grant"] == "9880000.00"
    assert data["financing"]["own_share"] == "5320000.00"
    assert data["financing"]["phases"][0]["grant"] == "715000.00"
    assert data["financing"]["total"] == "15200000.00"
    assert data["financing"]["phases"][1]["total"] == "14100000.00"
    assert data["as_of"] == "2025-06-30"
    assert data["rulebook"]["id"] == "anbest-gk-2019"


def test_report_exits_1_on_error_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "zu-lang.toml"
    bad.write_text(
        bochum_text_without_records().replace("end = 2022-11-30", "end = 2022-12-31"),
        encoding="utf-8",
    )
    assert main(["report", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "[Fehler] Phase A" in out
    assert "Grundlage:" in out


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Förderfall (foerdermittel)"


def test_interest_with_base_rate_file(capsys: pytest.CaptureFixture[str]) -> None:
    rates = Path(__file__).parent / "data" / "basiszinssatz-bbk.csv"
    args = ["interest", "36500.00", "2026-06-01", "2026-07-31", "--base-rate-file", str(rates)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "(Datei)" in out
    assert "(angenommen)" not in out
    assert f"Basiszinssätze (Datei) aus {rates}" in out
    assert "391,70" in out


def test_interest_with_bad_base_rate_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(";BBK01.SU0115\n2026-07;1,7,7;\n", encoding="utf-8")
    assert (
        main(["interest", "100.00", "2026-06-01", "2026-07-31", "--base-rate-file", str(bad)]) == 2
    )
    err = capsys.readouterr().err
    assert f"{bad}: Zeile 2:" in err
    assert "'1,7,7'" in err
