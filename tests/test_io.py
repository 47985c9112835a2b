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
    assert grant["max_amount"]["anyOf"][0]["pattern"]
    assert grant["decision_date"]["description"] == "Datum des Zuwendungsbescheids / der Zusage"


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "bochum.json"
    old = os.umask(0o022)
    try:
        fm.save_case(fm.load_case(BOCHUM), target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
