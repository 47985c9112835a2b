import json
import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import foerdermittel as fm

from .common import BOCHUM


def test_bochum_round_trips_through_json(tmp_path: Path) -> None:
    case = fm.load_case(BOCHUM)
    target = tmp_path / "bochum.json"
    fm.save_case(case, target)
    again = fm.load_case(target)
    assert again == case
    assert again.plan.lines[0].amounts == {2021: Decimal("20000.00"), 2022: Decimal("230000.00")}
    # amounts are exact strings with two places, never floats
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["grant"]["max_amount"] == "9880000.00"
    assert data["notes"].startswith("Aufteilung")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_save_case_leaves_no_half_file_on_error(tmp_path: Path) -> None:
    case = fm.load_case(BOCHUM)
    target = tmp_path / "missing-dir" / "bochum.json"
    with pytest.raises(FileNotFoundError):
        fm.save_case(case, target)
    assert not target.exists()


def test_overrides_round_trip(tmp_path: Path) -> None:
    text = BOCHUM.read_text(encoding="utf-8") + (
        "\n[[overrides]]\n"
        'path = "programme.extension_ceiling"\n'
        "value = 2027-12-31\n"
        'reason = "Änderungsbescheid vom 15.01.2025"\n'
        "\n[[overrides]]\n"
        'path = "use_window.window"\n'
        'value = { amount = 2, unit = "months" }\n'
        'reason = "Zusage Nr. 7"\n'
    )
    source = tmp_path / "case.toml"
    source.write_text(text, encoding="utf-8")
    case = fm.load_case(source)
    target = tmp_path / "case.json"
    fm.save_case(case, target)
    assert fm.load_case(target) == case
    report = fm.evaluate(case, date(2025, 6, 30))
    assert [o.reason for o in report.overrides] == [
        "Änderungsbescheid vom 15.01.2025",
        "Zusage Nr. 7",
    ]


def test_bom_is_accepted(tmp_path: Path) -> None:
    source = tmp_path / "bom.toml"
    source.write_bytes(b"\xef\xbb\xbf" + BOCHUM.read_bytes())
    assert fm.load_case(source).grant.recipient == "Stadt Bochum"


def test_schema_carries_german_terms() -> None:
    schema = fm.case_json_schema()
    text = json.dumps(schema, ensure_ascii=False)
    for term in ("Zuwendungsbescheid", "Förderquote", "Höchstbetrag", "Einzelansätze"):
        assert term in text
    grant = schema["$defs"]["Grant"]["properties"]
    assert grant["max_amount"]["anyOf"][0]["anyOf"][0]["pattern"]
    assert grant["decision_date"]["description"] == "Datum des Zuwendungsbescheids / der Zusage"


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "bochum.json"
    old = os.umask(0o022)
    try:
        fm.save_case(fm.load_case(BOCHUM), target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


RATES_FIXTURE = Path(__file__).parent / "data" / "basiszinssatz-bbk.csv"


def test_base_rate_file_is_read_relative_to_the_case(tmp_path: Path) -> None:
    folder = tmp_path / "fall"
    folder.mkdir()
    (folder / "zinsen.csv").write_bytes(RATES_FIXTURE.read_bytes())
    text = BOCHUM.read_text(encoding="utf-8")
    case_file = folder / "bochum.toml"
    case_file.write_text(
        text.replace("[settings]\n", '[settings]\nbase_rate_file = "zinsen.csv"\n'),
        encoding="utf-8",
    )
    case = fm.load_case(case_file)
    rows = case.settings.base_rates
    assert [(r.valid_from, r.origin) for r in rows][-1] == (date(2026, 7, 1), fm.RateOrigin.FILE)
    table = case.settings.base_rate_table()
    assert table is not None
    assert table.end == date(2026, 12, 31)
    # the rows travel with the case through JSON
    again = fm.loads_case(fm.dump_case(case), fmt="json")
    assert again.settings.base_rates == rows


def test_missing_base_rate_file_names_the_setting(tmp_path: Path) -> None:
    case_file = tmp_path / "bochum.toml"
    case_file.write_text(
        BOCHUM.read_text(encoding="utf-8").replace(
            "[settings]\n", '[settings]\nbase_rate_file = "fehlt.csv"\n'
        ),
        encoding="utf-8",
    )
    with pytest.raises(fm.CaseError) as info:
        fm.load_case(case_file)
    message = str(info.value)
    assert message.startswith(f"{case_file}: settings.base_rate_file: ")
    assert "(Wert: 'fehlt.csv')" in message


def test_base_rate_file_not_read_is_no_silent_fallback() -> None:
    data = json.loads(fm.dump_case(fm.load_case(BOCHUM)))
    data["settings"]["base_rate_file"] = "data/basiszinssatz-bbk.csv"
    case = fm.loads_case(json.dumps(data), fmt="json")
    with pytest.raises(fm.InterestError, match="nicht eingelesen"):
        case.settings.base_rate_table()
    read = fm.attach_base_rates(case, base_dir=RATES_FIXTURE.parent.parent)
    assert read.settings.base_rates[-1].rate == Decimal("1.77")


def test_base_rates_in_the_case_must_agree_with_the_table() -> None:
    data = json.loads(fm.dump_case(fm.load_case(BOCHUM)))
    data["settings"]["base_rates"] = [
        {"valid_from": "2024-07-01", "rate": "3.40", "source": "Zeile 5", "origin": "file"}
    ]
    with pytest.raises(fm.CaseError) as info:
        fm.loads_case(json.dumps(data), fmt="json", file="fall.json")
    message = str(info.value)
    assert "settings" in message
    assert "2024-07-01" in message
    assert "3.40" in message
    assert "3.37" in message


def test_attaching_a_ledger_gives_the_case_a_full_validation_would() -> None:
    """The entries are added without validating the case again; the result is the same case."""
    case = fm.load_case(BOCHUM)
    attached = fm.attach_ledger(case, base_dir=BOCHUM.parent)
    assert len(attached.expenditures) > 2000
    assert attached.ledger is None
    assert fm.Case.from_data(attached.model_dump()) == attached
