"""Bad input gets one clear German error: file, field path and value; no traceback, no rounding.

Bad case files are the Bochum example with one thing changed (a string replace), written to
``tmp_path``; bad Python data is the example read with ``tomllib`` and one value changed.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import foerdermittel as fm
from foerdermittel import cli, rules
from foerdermittel.errors import CaseError, Problem, UnknownRuleError
from foerdermittel.io import case_file
from foerdermittel.money import to_money, to_rate

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
TEXT = EXAMPLE.read_text(encoding="utf-8")

# Snippets of the example that the tests change; each occurs exactly once.
LAND = 'land = "NW"'
RATE = 'rate = "65 %"'
PROGRAMME = 'programme = "mpsc-2021"'
RULEBOOK_COMMENT = "# rulebook: left out"
PHASE_A_EXPENDITURE = "eligible_expenditure = 1100000.00"
PHASE_B_END = "end = 2026-09-30"
LINE_A3_AMOUNTS = "amounts = { 2022 = 250000.00 }"  # plan.lines[2], phase A
LINE_A4_PHASE = 'title = "Erste Maßnahme: Pilot Beteiligungsplattform"\nphase = "A"'  # lines[3]
SOURCE_EA_AMOUNT = "amount = 385000.00"  # plan.sources[0]
FIRST_KEY = 'title = "Smart City Bochum'


def variant(old: str, new: str) -> str:
    """The example's text with the one occurrence of ``old`` replaced by ``new``."""
    assert TEXT.count(old) == 1, f"snippet not unique in the example: {old!r}"
    return TEXT.replace(old, new)


def write(tmp_path: Path, text: str, name: str = "fall.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str, name: str = "fall.toml") -> tuple[CaseError, Path]:
    """Write ``text`` to a file, load it, return the CaseError raised and the path."""
    path = write(tmp_path, text, name)
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: ")
    return info.value, path


def single(exc: CaseError) -> Problem:
    """The only problem of ``exc`` (a single fault must give a single problem)."""
    assert len(exc.problems) == 1, exc.problems
    assert "\n" not in str(exc)
    return exc.problems[0]


def example_data() -> dict[str, Any]:
    return tomllib.loads(TEXT, parse_float=Decimal)


def data_error(data: dict[str, Any]) -> CaseError:
    with pytest.raises(CaseError) as info:
        fm.Case.from_data(data)
    return info.value


def phase(**changes: Any) -> fm.Phase:
    fields: dict[str, Any] = {
        "id": "A",
        "title": "Strategiephase",
        "start": date(2021, 12, 1),
        "end": date(2022, 11, 30),
        "eligible_expenditure": Decimal("1100000.00"),
        **changes,
    }
    return fm.Phase(**fields)


OVERRIDE_OK = (
    '\n[[overrides]]\npath = "use_window.window"\nvalue = { amount = 3, unit = "months" }\n'
    'reason = "Zuwendungsbescheid Nr. 5"\n'
)


def test_controls_load_cleanly(tmp_path: Path) -> None:
    # The unchanged example and near misses of the bad variants below are accepted, so each
    # failure below comes from the one thing changed.
    case = fm.load_case(write(tmp_path, TEXT))
    assert case.grant.phases[0].eligible_expenditure == Decimal("1100000.00")
    assert fm.Case.from_data(example_data()) == case
    assert fm.loads_case(variant(RATE, 'rate = "100 %"'), fmt="toml").grant.rate == 1
    assert fm.loads_case(TEXT + OVERRIDE_OK, fmt="toml").overrides[0].path == "use_window.window"
    assert to_money(Decimal("1.00")) == Decimal("1.00")
    assert to_money(Decimal("1000.000")) == Decimal("1000.00")


# 1. Floats from Python ----------------------------------------------------------------------


def test_float_amount_in_phase_constructor_is_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        phase(eligible_expenditure=1100000.0)
    errors = info.value.errors()
    assert [e["loc"] for e in errors] == [("eligible_expenditure",)]
    assert "float" in str(info.value)


def test_float_rate_in_phase_constructor_is_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        phase(rate=0.65)
    assert [e["loc"] for e in info.value.errors()] == [("rate",)]
    assert "float" in str(info.value)


@pytest.mark.parametrize("convert", [to_money, to_rate])
def test_float_to_money_and_to_rate_are_rejected(convert: Any) -> None:
    with pytest.raises(ValueError, match="float"):
        convert(0.1)


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (("grant", "phases", 0, "eligible_expenditure"), "grant.phases[0].eligible_expenditure"),
        (("grant", "max_amount"), "grant.max_amount"),
        (("grant", "rate"), "grant.rate"),
        # the key as read from the file ("2021"); an int key 2021 beside it would name the
        # same budget year twice, which is refused as such
        (("plan", "lines", 0, "amounts", "2021"), "plan.lines[0].amounts.2021"),
        (("plan", "sources", 1, "amount"), "plan.sources[1].amount"),
    ],
)
def test_float_in_case_data_names_the_path(where: tuple[Any, ...], path: str) -> None:
    data = example_data()
    parent: Any = data
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = 0.65
    problem = single(data_error(data))
    # A budget year read from Python data is an int key, shown as "[2021]"; from a file it is
    # a string key, shown as ".2021". Either spelling names the year.
    assert problem.path.replace("[2021]", ".2021") == path
    assert problem.value == 0.65
    assert "float" in problem.message


# 2. More than two decimal places ----------------------------------------------------------


def test_three_places_in_toml_file_are_not_rounded(tmp_path: Path) -> None:
    text = variant(PHASE_A_EXPENDITURE, "eligible_expenditure = 1100000.005")
    exc, _ = load_error(tmp_path, text)
    problem = single(exc)
    assert problem.path == "grant.phases[0].eligible_expenditure"
    assert "mehr als zwei Nachkommastellen" in str(exc)
    assert "1100000.005" in str(exc)


@pytest.mark.parametrize("bad", [Decimal("1.005"), "1.005", Decimal("0.001")])
def test_three_places_from_python_are_not_rounded(bad: object) -> None:
    with pytest.raises(ValueError, match="mehr als zwei Nachkommastellen"):
        to_money(bad)
    with pytest.raises(ValidationError, match="mehr als zwei Nachkommastellen"):
        phase(eligible_expenditure=bad)


def test_three_places_in_case_data_names_the_path() -> None:
    data = example_data()
    data["plan"]["lines"][1]["amounts"]["2022"] = Decimal("285000.001")
    problem = single(data_error(data))
    # An int year key (Python data) is spelt "[2022]", a file's string key ".2022".
    assert problem.path.replace("[2022]", ".2022") == "plan.lines[1].amounts.2022"
    assert "mehr als zwei Nachkommastellen" in problem.message


# 3. Negative amounts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "shown"),
    [
        (
            PHASE_A_EXPENDITURE,
            "eligible_expenditure = -1100000.00",
            "grant.phases[0].eligible_expenditure",
            "-1100000.00",
        ),
        (
            LINE_A3_AMOUNTS,
            "amounts = { 2022 = -250000.00 }",
            "plan.lines[2].amounts.2022",
            "-250000.00",
        ),
        (SOURCE_EA_AMOUNT, "amount = -385000.00", "plan.sources[0].amount", "-385000.00"),
    ],
)
def test_negative_amount_names_the_path(
    tmp_path: Path, old: str, new: str, path: str, shown: str
) -> None:
    exc, _ = load_error(tmp_path, variant(old, new))
    problem = single(exc)
    assert problem.path == path
    assert "negativ" in problem.message
    assert f"{path}: " in str(exc)
    assert shown in str(exc)


def test_negative_amount_from_python_is_rejected() -> None:
    with pytest.raises(ValidationError, match="negativ"):
        phase(eligible_expenditure=Decimal("-1.00"))


# 4. Rate outside (0, 1] -------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["0", "1.5", '"150 %"', "-0.1", '"0 %"'])
def test_rate_out_of_range_names_grant_rate(tmp_path: Path, bad: str) -> None:
    exc, _ = load_error(tmp_path, variant(RATE, f"rate = {bad}"))
    problem = single(exc)
    assert problem.path == "grant.rate"
    assert "grant.rate: " in str(exc)
    assert bad.strip('"') in str(exc)


@pytest.mark.parametrize("bad", [Decimal(0), Decimal("1.5"), "150 %", Decimal("-0.1")])
def test_rate_out_of_range_from_python(bad: object) -> None:
    with pytest.raises(ValueError, match="Quote"):
        to_rate(bad)
    data = example_data()
    data["grant"]["rate"] = bad
    assert single(data_error(data)).path == "grant.rate"


# 5. Phase ending before it starts ---------------------------------------------------------


def test_phase_end_before_start_names_both_dates(tmp_path: Path) -> None:
    exc, _ = load_error(tmp_path, variant(PHASE_B_END, "end = 2022-09-30"))
    problem = single(exc)
    assert problem.path == "grant.phases[1].end"
    text = str(exc)
    assert "grant.phases[1].end" in text
    assert "2022-09-30" in text
    assert "2022-10-01" in text


# 6. Budget line naming a phase that does not exist ----------------------------------------


def test_line_with_unknown_phase_lists_existing_phases(tmp_path: Path) -> None:
    bad = LINE_A4_PHASE.replace('phase = "A"', 'phase = "C"')
    exc, _ = load_error(tmp_path, variant(LINE_A4_PHASE, bad))
    problem = single(exc)
    assert problem.path == "plan.lines[3].phase"
    assert problem.value == "C"
    assert "plan.lines[3].phase" in str(exc)
    assert "'C'" in str(exc)
    assert "A, B" in problem.message


# 7. Unknown programme and rulebook ids ----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "valid"),
    [
        (PROGRAMME, 'programme = "mpsc-2099"', "grant.programme", "mpsc-2021"),
        (
            RULEBOOK_COMMENT,
            'rulebook = "anbest-2099"\n# left out',
            "grant.rulebook",
            "anbest-gk-2019",
        ),
    ],
)
def test_unknown_programme_or_rulebook_lists_valid_ids(
    tmp_path: Path, old: str, new: str, path: str, valid: str
) -> None:
    exc, _ = load_error(tmp_path, variant(old, new))
    problem = single(exc)
    assert problem.path == path
    assert "2099" in str(exc)
    assert valid in problem.message


def test_rules_get_unknown_id_raises_unknown_rule_error() -> None:
    with pytest.raises(LookupError) as info:
        rules.get("x")
    assert isinstance(info.value, UnknownRuleError)
    assert isinstance(info.value, CaseError)
    assert "anbest-gk-2019" in str(info.value)
    assert "'x'" in str(info.value)
    with pytest.raises(UnknownRuleError, match="mpsc-2021"):
        rules.get_programme("x")


# 8. Unknown keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (FIRST_KEY, "foo = 1\n" + FIRST_KEY, "foo"),
        (LAND, LAND + "\nfoo = 1", "grant.foo"),
        (
            PHASE_A_EXPENDITURE,
            "eligible_expenditur = 1100000.00",
            "grant.phases[0].eligible_expenditur",
        ),
        (SOURCE_EA_AMOUNT, SOURCE_EA_AMOUNT + "\nfoo = 1", "plan.sources[0].foo"),
    ],
)
def test_unknown_key_is_named_with_its_path(tmp_path: Path, old: str, new: str, path: str) -> None:
    exc, _ = load_error(tmp_path, variant(old, new))
    key = path.rsplit(".", 1)[-1]
    paths = [p.path for p in exc.problems]
    assert path in paths
    assert f"{path}: " in str(exc)
    assert f"unbekannter Schlüssel {key!r}" in str(exc)


# 9. Missing file --------------------------------------------------------------------------


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "fehlt.toml"
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)
    assert "Datei nicht gefunden" in str(info.value)
    assert not path.exists()


# 10. Malformed TOML -----------------------------------------------------------------------


def test_malformed_toml_gives_line_number(tmp_path: Path) -> None:
    line = TEXT.splitlines().index(LAND) + 1
    exc, _ = load_error(tmp_path, variant(LAND, 'land = "NW'))
    single(exc)
    assert "TOML" in str(exc)
    assert f"line {line}," in str(exc)


# 11. Malformed JSON -----------------------------------------------------------------------


def test_malformed_json_gives_line_number(tmp_path: Path) -> None:
    good = fm.dump_case(fm.load_case(EXAMPLE))
    comma = good.index(",\n")
    bad = good[:comma] + good[comma + 1 :]  # drop the first comma between two members
    line = good[:comma].count("\n") + 2  # the parser stops at the next member's line
    assert fm.loads_case(good, fmt="json") == fm.load_case(EXAMPLE)
    exc, _ = load_error(tmp_path, bad, "fall.json")
    single(exc)
    assert "JSON" in str(exc)
    assert f"Zeile {line}," in str(exc)


def test_json_file_with_three_places_is_not_rounded(tmp_path: Path) -> None:
    data = json.loads(fm.dump_case(fm.load_case(EXAMPLE)))
    data["grant"]["phases"][0]["eligible_expenditure"] = "1100000.005"
    exc, _ = load_error(tmp_path, json.dumps(data), "fall.json")
    assert single(exc).path == "grant.phases[0].eligible_expenditure"
    assert "mehr als zwei Nachkommastellen" in str(exc)


# 12. Unknown Land -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["NRW", "nw", "Nordrhein-Westfalen"])
def test_unknown_land_lists_valid_codes(tmp_path: Path, bad: str) -> None:
    exc, _ = load_error(tmp_path, variant(LAND, f'land = "{bad}"'))
    problem = single(exc)
    assert problem.path == "grant.land"
    assert problem.value == bad
    assert "NW" in problem.message
    assert "BY" in problem.message


# 13. Rule overrides -----------------------------------------------------------------------


def override(path: str, value: str) -> str:
    return f'\n[[overrides]]\npath = "{path}"\nvalue = {value}\nreason = "Bescheid Nr. 5"\n'


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("use_window.windoww", "3", ["Regelwerkspfad", "use_window.window"]),
        ("programme.phases.C.cap", '"100.00"', ["programme.phases.C.cap", "'C'"]),
        ("use_window.window", '"drei Monate"', ["use_window.window"]),
        ("retention.years", '"zehn"', ["retention.years"]),
        ("reduction.threshold", '"500.005"', ["mehr als zwei Nachkommastellen"]),
    ],
)
def test_bad_override_gives_clear_error(
    tmp_path: Path, path: str, value: str, words: list[str]
) -> None:
    exc, _ = load_error(tmp_path, TEXT + override(path, value))
    problem = single(exc)
    assert problem.path.startswith("overrides[0]")
    for word in words:
        assert word in str(exc)


# 14. Plan amount in a budget year outside its phase ---------------------------------------


@pytest.mark.parametrize("year", [2020, 2024])
def test_amount_outside_phase_years_names_the_year(tmp_path: Path, year: int) -> None:
    text = variant(LINE_A3_AMOUNTS, f"amounts = {{ 2022 = 200000.00, {year} = 50000.00 }}")
    exc, _ = load_error(tmp_path, text)
    problem = single(exc)
    assert problem.path == f"plan.lines[2].amounts.{year}"
    assert problem.value == year
    assert f"plan.lines[2].amounts.{year}: " in str(exc)
    assert "Phase A" in problem.message


# 15. The command line ---------------------------------------------------------------------

CLI_CASES = {
    "three-places": ("fall.toml", variant(PHASE_A_EXPENDITURE, "eligible_expenditure = 1.005")),
    "negative": ("fall.toml", variant(SOURCE_EA_AMOUNT, "amount = -1.00")),
    "land": ("fall.toml", variant(LAND, 'land = "NRW"')),
    "period": ("fall.toml", variant(PHASE_B_END, "end = 2022-09-30")),
    "programme": ("fall.toml", variant(PROGRAMME, 'programme = "mpsc-2099"')),
    "unknown-key": ("fall.toml", variant(LAND, LAND + "\nfoo = 1")),
    "toml": ("fall.toml", variant(LAND, 'land = "NW')),
    "json": ("fall.json", '{"grant": {\n}'),
    "suffix": ("fall.yaml", "grant: {}\n"),
}


@pytest.mark.parametrize("name", [*CLI_CASES, "missing"])
def test_cli_reports_bad_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    if name == "missing":
        path = tmp_path / "fehlt.toml"
    else:
        file_name, text = CLI_CASES[name]
        path = write(tmp_path, text, file_name)
    before = sorted(tmp_path.iterdir())
    status = cli.main(["report", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"foerdermittel: {path}: ")
    assert "Traceback" not in err
    assert sorted(tmp_path.iterdir()) == before  # nothing written next to the input


@pytest.mark.parametrize(
    ("bad", "hint"),
    [
        ("30.06.25", "JJJJ-MM-TT"),
        ("2025/06/30", "TT.MM.JJJJ"),
        ("heute", "JJJJ-MM-TT"),
        ("2025-02-30", "Februar 2025 hat 28 Tage"),
    ],
)
def test_cli_bad_as_of_exits_2(capsys: pytest.CaptureFixture[str], bad: str, hint: str) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["report", str(EXAMPLE), "--as-of", bad])
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert out == ""
    assert "foerdermittel:" in err
    assert hint in err
    assert "Traceback" not in err


def test_save_case_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = fm.load_case(EXAMPLE)
    target = tmp_path / "fall.json"
    target.write_text("alt\n", encoding="utf-8")

    def broken_dump(_case: fm.Case) -> str:
        raise RuntimeError("Abbruch beim Schreiben")

    monkeypatch.setattr(case_file, "dump_case", broken_dump)
    with pytest.raises(RuntimeError, match="Abbruch"):
        fm.save_case(case, target)
    assert target.read_text(encoding="utf-8") == "alt\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fall.json"]


# Huge amounts, message templates and override errors.


def test_huge_amount_gives_case_error(tmp_path: Path) -> None:
    # 10^30 euros: refused with a CaseError naming the field, as any other unusable amount.
    exc, _ = load_error(tmp_path, variant(PHASE_A_EXPENDITURE, "eligible_expenditure = 1e30"))
    assert single(exc).path == "grant.phases[0].eligible_expenditure"
    assert "zu groß" in str(exc)


def test_cli_huge_amount_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, variant(PHASE_A_EXPENDITURE, "eligible_expenditure = 1e30"))
    status = cli.main(["report", str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    assert err.startswith(f"foerdermittel: {path}: ")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(variant(LAND, 'land = "NRW"'), id="land"),
        pytest.param(variant('id = "B"\n', 'id = "A"\n'), id="duplicate-phase"),
        pytest.param(TEXT + override("use_window.windoww", "3"), id="override-path"),
    ],
)
def test_no_raw_placeholders(tmp_path: Path, text: str) -> None:
    exc, _ = load_error(tmp_path, text)
    assert "!r}" not in str(exc)


@pytest.mark.parametrize(
    ("path", "value", "shown"),
    [
        ("use_window.windoww", "3", "windoww"),
        ("retention.years", '"zehn"', "zehn"),
    ],
)
def test_override_error_names_value(tmp_path: Path, path: str, value: str, shown: str) -> None:
    exc, _ = load_error(tmp_path, TEXT + override(path, value))
    assert shown in str(exc)
    assert "Input should" not in str(exc)
