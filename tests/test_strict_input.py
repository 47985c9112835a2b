"""Unique ids and a strict file format: refused with file, field and value, never guessed.

* Every id is unique per kind of record; a duplicate names its second occurrence, the id and
  where the first one is. Voucher numbers booked twice in a ledger stay a finding of the
  voucher check (the Bochum ledger has one), not an unusable case.
* The file format is strict: a JSON key given twice, an unknown ``schema_version``, a number
  as a date, a date outside the holiday data, an integer longer than Python reads and nesting
  deeper than a case needs are refused with exit status 2 and no traceback.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

import foerdermittel as fm
from foerdermittel import cli
from foerdermittel.errors import CaseError, Problem
from foerdermittel.export import ical
from foerdermittel.io.case_file import MAX_DEPTH
from foerdermittel.model.dates import CaseDate, date_range

from .common import BOCHUM, ROOT, bochum_data

TEXT = BOCHUM.read_text(encoding="utf-8")
RANGE = "01.01.1991–31.12.2100"


def problems_of(data: dict[str, Any]) -> tuple[Problem, ...]:
    with pytest.raises(CaseError) as info:
        fm.Case.from_data(data, file="fall.toml")
    return info.value.problems


def only(data: dict[str, Any]) -> Problem:
    found = problems_of(data)
    assert len(found) == 1, found
    return found[0]


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str, name: str = "fall.toml") -> CaseError:
    path = write(tmp_path, text, name)
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert info.value.file == str(path)
    assert "Traceback" not in str(info.value)
    return info.value


def json_text(data: Any) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)


def cli_refuses(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``report`` on ``path``: exit 2, nothing on stdout, the error names the file."""
    status = cli.main(["report", str(path), "--as-of", "2025-06-30"])
    out, err = capsys.readouterr()
    assert status == 2, err
    assert out == ""
    assert err.startswith(f"foerdermittel: {path}: ")
    assert "Traceback" not in err
    return err


# --- 5. Every id is unique ---------------------------------------------------------------------

EXPENDITURE = {"id": "X-1", "line": "A-1", "paid_on": "2022-03-01", "amount": "10.00"}
INCOME = {"id": "E-1", "received_on": "2022-03-01", "amount": "10.00", "phase": "A"}
REQUEST = {"id": "Z-1", "phase": "B", "requested_on": "2024-02-01", "due": "2024-05-01"}


def twice(*where: str | int, change: dict[str, Any] | None = None) -> Callable[[Any], None]:
    """Append a copy of the list's first entry (with ``change``) to the list at ``where``."""

    def mutate(data: Any) -> None:
        items = data
        for key in where:
            items = items[key]
        items.append({**copy.deepcopy(items[0]), **(change or {})})

    return mutate


def added(field: str, entry: dict[str, Any], second: dict[str, Any] | None = None) -> Any:
    """Add two entries to a list of the case that the example leaves empty."""

    def mutate(data: Any) -> None:
        data[field] = [dict(entry), {**entry, **(second or {})}]

    return mutate


def amendment_twice(data: Any) -> None:
    first = data["amendments"][0]
    data["amendments"].append({**copy.deepcopy(first), "phases": [], "title": "zweiter"})


def amendment_change_twice(field: str) -> Callable[[Any], None]:
    def mutate(data: Any) -> None:
        amendment = data["amendments"][0]
        if field == "phases":
            change = copy.deepcopy(amendment["phases"][0])
            amendment["phases"].append(change)
        else:
            line = {"line": "B-1.1", "amounts": {"2023": "1.00"}}
            amendment["lines"] = [line, copy.deepcopy(line)]

    return mutate


def override_twice(data: Any) -> None:
    override = {"path": "use_window.window", "value": {"amount": 3, "unit": "months"}}
    data["overrides"] = [{**override, "reason": "Bescheid"}, {**override, "reason": "nochmals"}]


DUPLICATES: dict[str, tuple[Callable[[Any], None], str, str, str]] = {
    # name: (change, path of the second occurrence, path of the first, the id)
    "phase": (
        twice("grant", "phases", change={"id": "B"}),
        "grant.phases[2].id",
        "grant.phases[1].id",
        "B",
    ),
    "line": (twice("plan", "lines"), "plan.lines[16].id", "plan.lines[0].id", "A-1"),
    "source": (twice("plan", "sources"), "plan.sources[2].id", "plan.sources[0].id", "E-A"),
    "payout": (twice("payouts"), "payouts[11].id", "payouts[0].id", "A-1"),
    "expenditure": (
        added("expenditures", EXPENDITURE, {"amount": "20.00"}),
        "expenditures[1].id",
        "expenditures[0].id",
        "X-1",
    ),
    "income": (added("income", INCOME), "income[1].id", "income[0].id", "E-1"),
    "submission": (
        twice("submissions", change={"submitted_on": "2023-01-02"}),
        "submissions[2].deadline",
        "submissions[0].deadline",
        "milestone:council-resolution-strategy:B",
    ),
    "interim-request": (
        added("interim_requests", REQUEST, {"due": "2024-06-01"}),
        "interim_requests[1].id",
        "interim_requests[0].id",
        "Z-1",
    ),
    "amendment": (amendment_twice, "amendments[1].id", "amendments[0].id", "Ä-1 (illustrativ)"),
    "amendment-phase-change": (
        amendment_change_twice("phases"),
        "amendments[0].phases[1].phase",
        "amendments[0].phases[0].phase",
        "A",
    ),
    "amendment-line-change": (
        amendment_change_twice("lines"),
        "amendments[0].lines[1].line",
        "amendments[0].lines[0].line",
        "B-1.1",
    ),
    "scenario": (
        twice("scenarios", change={"steps": []}),
        "scenarios[5].name",
        "scenarios[0].name",
        "",
    ),
    "override": (override_twice, "overrides[1].path", "overrides[0].path", "use_window.window"),
}


def test_the_example_has_what_the_table_assumes() -> None:
    data = bochum_data()
    counts = {
        "lines": len(data["plan"]["lines"]),
        "sources": len(data["plan"]["sources"]),
        "payouts": len(data["payouts"]),
        "scenarios": len(data["scenarios"]),
    }
    assert counts == {"lines": 16, "sources": 2, "payouts": 11, "scenarios": 5}
    assert data["plan"]["lines"][0]["id"] == "A-1"
    assert data["payouts"][0]["id"] == "A-1"
    assert data["submissions"][0]["deadline"] == "milestone:council-resolution-strategy:B"
    assert data["amendments"][0]["phases"][0]["phase"] == "A"
    assert "expenditures" not in data
    assert "income" not in data
    # each change below is the only thing wrong: without the duplicate the case loads
    fm.Case.from_data({**data, "expenditures": [EXPENDITURE], "income": [INCOME]})


@pytest.mark.parametrize("name", DUPLICATES)
def test_duplicate_id_names_both_occurrences(name: str) -> None:
    change, second, first, ident = DUPLICATES[name]
    data = bochum_data()
    change(data)
    if name == "scenario":
        ident = data["scenarios"][0]["name"]
    problem = only(data)
    assert problem.path == second
    assert problem.value == ident
    assert f"zuerst bei {first}" in problem.message
    assert "doppelt" in problem.message


def test_duplicate_payout_in_the_file_exits_2_and_writes_no_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two payouts with one id would become two calendar events with one UID.
    start = TEXT.index("[[payouts]]")
    text = TEXT[:start] + TEXT[start:].replace('id = "A-2"', 'id = "A-1"', 1)
    (tmp_path / "bochum-ledger.csv").write_bytes((ROOT / "examples/bochum-ledger.csv").read_bytes())
    path = write(tmp_path, text, "fall.toml")
    ics = tmp_path / "fristen.ics"
    status = cli.main(["deadlines", str(path), "--as-of", "2025-06-30", "--ics", str(ics)])
    err = capsys.readouterr().err
    assert status == 2
    assert "payouts[1].id: Kennung der Auszahlung doppelt vergeben" in err
    assert "zuerst bei payouts[0].id (Wert: 'A-1')" in err
    assert not ics.exists()


def test_three_occurrences_name_the_first_each_time() -> None:
    data = bochum_data()
    third = data["payouts"][3]
    data["payouts"] += [copy.deepcopy(third), copy.deepcopy(third)]
    found = problems_of(data)
    assert [(p.path, p.value) for p in found] == [
        ("payouts[11].id", third["id"]),
        ("payouts[12].id", third["id"]),
    ]
    assert all("zuerst bei payouts[3].id" in p.message for p in found)


def test_the_same_id_in_different_kinds_is_fine() -> None:
    # A payout "A-1" and a line "A-1" are different kinds of record (as in the example).
    data = bochum_data()
    data["expenditures"] = [{**EXPENDITURE, "id": "A-1"}]
    data["income"] = [{**INCOME, "id": "A-1"}]
    data["interim_requests"] = [{**REQUEST, "id": "A-1"}]
    assert fm.Case.from_data(data).payouts[0].id == "A-1"


def test_ledger_duplicate_voucher_stays_a_finding() -> None:
    # The Bochum ledger books BO-2024-004985 twice: the voucher check counts it once and says so.
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    ids = [e.id for e in case.expenditures]
    assert ids.count("BO-2024-004985") == 2
    report = fm.evaluate(case, date(2025, 6, 30))
    duplicate = [f for f in report.findings if f.code == "voucher-duplicate-voucher"]
    assert len(duplicate) == 1
    assert "BO-2024-004985" in duplicate[0].message


def test_typed_voucher_with_a_ledger_number_is_the_voucher_checks_finding() -> None:
    # A voucher typed into the case file that the ledger books too is recorded twice: the
    # voucher check finds it once the ledger is attached (the case file alone cannot know).
    data = bochum_data()
    data["expenditures"] = [
        {"id": "BO-2021-002010", "line": "A-2", "paid_on": "2021-12-03", "amount": "1899.10"}
    ]
    case = fm.attach_ledger(fm.Case.from_data(data), base_dir=BOCHUM.parent)
    report = fm.evaluate(case, date(2025, 6, 30))
    duplicate = [f for f in report.findings if f.code == "voucher-duplicate-voucher"]
    assert len(duplicate) == 1
    assert "BO-2021-002010" in duplicate[0].message


def test_attached_ledger_with_its_duplicate_round_trips(tmp_path: Path) -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    target = tmp_path / "fall.json"
    fm.save_case(case, target)
    assert fm.load_case(target) == case


def test_calendar_uids_are_unique() -> None:
    case = fm.load_case(BOCHUM)
    text = ical.to_ics(fm.evaluate(case, date(2025, 6, 30))).decode("utf-8")
    uids = [line for line in text.splitlines() if line.startswith("UID:")]
    assert len(uids) > 10
    assert len(uids) == len(set(uids))


@pytest.mark.parametrize(
    ("where", "keys"),
    [
        (("council_budget",), ("2022", "02022")),
        (("council_budget",), ("2022", " 2022")),
        (("plan", "lines", 0, "amounts"), ("2022", "+2022")),
        (("plan", "ineligible"), ("2022", "2022.0")),
        (("plan", "ineligible"), ("2022", 2022)),
        (("grant", "phases", 1, "annual_grant"), ("2023", "2_023")),
    ],
)
def test_one_budget_year_under_two_keys_is_refused(
    where: tuple[str | int, ...], keys: tuple[Any, ...]
) -> None:
    # TOML and JSON see two keys; both would become the same year and one value would vanish.
    data = bochum_data()
    parent: Any = data
    for key in where:
        parent = parent.setdefault(key, {}) if isinstance(key, str) else parent[key]
    for key in keys:
        parent[key] = Decimal("1.00")
    problem = only(data)
    assert problem.path == ".".join(f"[{k}]" if isinstance(k, int) else k for k in where).replace(
        ".[", "["
    )
    assert "doppelt" in problem.message
    assert repr(keys[1]) in problem.message


def test_duplicate_year_in_a_toml_file(tmp_path: Path) -> None:
    text = TEXT.replace("[council_budget]\n", '[council_budget]\n"02021" = 1.00\n', 1)
    exc = load_error(tmp_path, text)
    assert "council_budget: Haushaltsjahr 2021 doppelt angegeben" in str(exc)


def test_duplicate_in_python_api_is_a_validation_error_naming_both() -> None:
    # Built in Python, the sub-models refuse duplicates themselves.
    phase = {
        "id": "A",
        "title": "a",
        "start": "2022-01-01",
        "end": "2022-12-31",
        "eligible_expenditure": "1.00",
    }
    with pytest.raises(ValidationError) as info:
        fm.Grant(
            id="G",
            funder="F",
            recipient="R",
            land="NW",
            decision_date=date(2022, 1, 1),
            financing_type=fm.FinancingType.VOLL,
            phases=(fm.Phase(**phase), fm.Phase(**phase)),
        )
    (error,) = info.value.errors()
    assert error["loc"] == ("phases", 1, "id")
    assert "zuerst bei phases[0].id" in error["msg"]


# --- 6. The file format is strict --------------------------------------------------------------

DEEP = 100_000
LONG = "9" * 5000

FORMAT_CASES: dict[str, tuple[str, str, str, str]] = {
    # name: (file name, text, expected field path ("" for the whole file), text in the message)
    "json-duplicate-key": ("fall.json", '{"title": "a", "title": "b"}', "title", "doppelt"),
    "json-duplicate-nested": (
        "fall.json",
        '{"grant": {"phases": [{"id": "A", "end": "2022-01-01", "end": "2023-01-01"}]}}',
        "grant.phases[0].end",
        "zuerst '2022-01-01', dann '2023-01-01'",
    ),
    "toml-schema-99": (
        "fall.toml",
        "schema_version = 99\n" + TEXT,
        "schema_version",
        "unterstützt: 1",
    ),
    "toml-schema-text": (
        "fall.toml",
        'schema_version = "1"\n' + TEXT,
        "schema_version",
        "ganze Zahl",
    ),
    "toml-schema-bool": (
        "fall.toml",
        "schema_version = true\n" + TEXT,
        "schema_version",
        "ganze Zahl",
    ),
    "toml-unix-date": (
        "fall.toml",
        TEXT.replace("decision_date = 2021-12-01", "decision_date = 1638316800", 1),
        "grant.decision_date",
        "Zahl statt Datum",
    ),
    "toml-float-date": (
        "fall.toml",
        TEXT.replace("decision_date = 2021-12-01", "decision_date = 20211201.0", 1),
        "grant.decision_date",
        "Zahl statt Datum",
    ),
    "toml-datetime": (
        "fall.toml",
        TEXT.replace("decision_date = 2021-12-01", "decision_date = 2021-12-01T00:00:00", 1),
        "grant.decision_date",
        "Datum mit Uhrzeit",
    ),
    "toml-timestamp-text": (
        "fall.toml",
        TEXT.replace("decision_date = 2021-12-01", 'decision_date = "1638316800"', 1),
        "grant.decision_date",
        "ist kein Datum",
    ),
    "toml-9999": (
        "fall.toml",
        TEXT.replace("end = 2026-09-30", "end = 9999-12-31", 1),
        "grant.phases[1].end",
        RANGE,
    ),
    "toml-1990": (
        "fall.toml",
        TEXT.replace("decision_date = 2021-12-01", "decision_date = 1990-12-31", 1),
        "grant.decision_date",
        RANGE,
    ),
    "toml-year-1": (
        "fall.toml",
        TEXT.replace("decision_date = 2021-12-01", "decision_date = 0001-01-01", 1),
        "grant.decision_date",
        RANGE,
    ),
    "toml-long-integer": ("fall.toml", f"schema_version = {LONG}\n" + TEXT, "", "5000 Stellen"),
    "toml-long-negative": ("fall.toml", f"x = -{LONG}\n", "", "Zeile 1, Schlüssel x"),
    "toml-deep-array": ("fall.toml", "x = " + "[" * DEEP + "]" * DEEP + "\n", "", "verschachtelt"),
    "toml-deep-table": (
        "fall.toml",
        "x = " + "{a=" * DEEP + "1" + "}" * DEEP + "\n",
        "",
        "verschachtelt",
    ),
    "json-long-integer": (
        "fall.json",
        f'{{"schema_version": {LONG}}}',
        "schema_version",
        "5000 Stellen",
    ),
    "json-long-nested": (
        "fall.json",
        f'{{"grant": {{"phases": [{{"units": -{LONG}}}]}}}}',
        "grant.phases[0].units",
        "5000 Stellen",
    ),
    "json-deep-array": ("fall.json", "[" * DEEP + "]" * DEEP, "", "verschachtelt"),
    "json-deep-object": ("fall.json", '{"a":' * DEEP + "1" + "}" * DEEP, "", "verschachtelt"),
    "json-unix-date": (
        "fall.json",
        '{"grant": {"decision_date": 1638316800}}',
        "grant.decision_date",
        "Zahl statt Datum",
    ),
    "json-9999": (
        "fall.json",
        '{"grant": {"decision_date": "9999-12-31"}}',
        "grant.decision_date",
        RANGE,
    ),
    "json-schema-99": ("fall.json", '{"schema_version": 99}', "schema_version", "unterstützt: 1"),
    "json-schema-float": ("fall.json", '{"schema_version": 1.0}', "schema_version", "ganze Zahl"),
}


@pytest.mark.parametrize("name", FORMAT_CASES)
def test_strict_format_is_refused_naming_field_and_value(tmp_path: Path, name: str) -> None:
    file_name, text, path, words = FORMAT_CASES[name]
    exc = load_error(tmp_path, text, file_name)
    matching = [p for p in exc.problems if p.path == path and words in p.render()]
    assert matching, exc.problems
    assert len(str(exc)) < 2000  # a 5,000-digit value is shown shortened


@pytest.mark.parametrize("name", FORMAT_CASES)
def test_loads_case_refuses_the_same(name: str) -> None:
    file_name, text, path, words = FORMAT_CASES[name]
    fmt = "json" if file_name.endswith(".json") else "toml"
    with pytest.raises(CaseError) as info:
        fm.loads_case(text, fmt=fmt, file=file_name)
    assert any(p.path == path and words in p.render() for p in info.value.problems)


@pytest.mark.parametrize(
    "name",
    [
        "json-duplicate-key",
        "toml-schema-99",
        "toml-unix-date",
        "toml-9999",
        "toml-deep-array",
        "json-long-integer",
    ],
)
def test_cli_refuses_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    file_name, text, _path, words = FORMAT_CASES[name]
    err = cli_refuses(write(tmp_path, text, file_name), capsys)
    assert words in err


@pytest.mark.parametrize("name", ["toml-long-integer", "json-deep-object", "toml-9999"])
def test_cli_in_a_process_exits_2_without_traceback(tmp_path: Path, name: str) -> None:
    file_name, text, _path, words = FORMAT_CASES[name]
    path = write(tmp_path, text, file_name)
    done = subprocess.run(
        [sys.executable, "-m", "foerdermittel", "report", str(path)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert words in done.stderr
    assert done.stdout == ""


def test_long_value_is_shown_shortened(tmp_path: Path) -> None:
    exc = load_error(tmp_path, f'{{"schema_version": {LONG}}}', "fall.json")
    (problem,) = exc.problems
    assert problem.value == "9" * 20 + "…" + "9" * 20
    assert "höchstens 4300 Stellen" in problem.message


def test_nesting_just_deeper_than_allowed_names_the_place() -> None:
    notes: Any = "x"
    for _ in range(MAX_DEPTH):
        notes = [notes]
    text = json_text({"title": "t", "notes": notes})
    with pytest.raises(CaseError) as info:
        fm.loads_case(text, fmt="json", file="fall.json")
    (problem,) = info.value.problems
    assert problem.path.startswith("notes[0]")
    assert f"höchstens {MAX_DEPTH} Ebenen" in problem.message


def test_json_round_trip_and_plain_example_still_load(tmp_path: Path) -> None:
    # The strict reading accepts what the library writes and the example as it is.
    case = fm.load_case(BOCHUM)
    target = tmp_path / "fall.json"
    fm.save_case(case, target)
    assert fm.load_case(target) == case
    assert fm.loads_case("schema_version = 1\n" + TEXT, fmt="toml").schema_version == 1
    assert fm.loads_case(
        TEXT.replace("decision_date = 2021-12-01", 'decision_date = "2021-12-01"', 1), fmt="toml"
    ).grant.decision_date == date(2021, 12, 1)


def _date_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, Any]]:
    """Every field of ``model`` and its sub-models whose type contains a date, with its type."""
    found: list[tuple[str, Any]] = []
    seen: set[type[BaseModel]] = set()

    def walk(annotation: Any, path: str) -> None:
        origin = get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            for name, field in annotation.model_fields.items():
                full = f"{path}.{name}" if path else name
                field_type: Any = field.annotation
                if field.metadata:
                    field_type = Annotated[(field_type, *field.metadata)]
                if _contains_date(field_type):
                    found.append((full, field_type))
                walk(field.annotation, full)
            return
        if origin is Annotated:
            walk(get_args(annotation)[0], path)
            return
        for arg in get_args(annotation):
            walk(arg, path)

    walk(model, prefix)
    return found


def _contains_date(annotation: Any) -> bool:
    if annotation is date:
        return True
    return any(_contains_date(a) for a in get_args(annotation) if not isinstance(a, str))


_CASE_DATE_CHECKS = get_args(CaseDate)[1:]


def _checked(annotation: Any) -> bool:
    """Whether every date in the annotation carries the checks of ``CaseDate``."""
    if annotation is date:
        return False
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        if base is date:
            return all(check in meta for check in _CASE_DATE_CHECKS)
        return _checked(base)
    return all(_checked(a) for a in get_args(annotation) if _contains_date(a))


def test_every_date_field_of_the_case_is_checked() -> None:
    fields = _date_fields(fm.Case)
    names = {name for name, _ in fields}
    # the walk finds the date fields (a sample of them), so the check below can fail
    assert {
        "grant.decision_date",
        "grant.phases.end",
        "payouts.paid_on",
        "settings.repaid_on",
    } <= names
    unchecked = [name for name, annotation in fields if not _checked(annotation)]
    # rows read from the Bundesbank file: checked against the shipped table, not the holidays;
    # the dates of a grant's own rulebook file: checked as the rulebook's (rules.files)
    assert unchecked == [
        "grant.loaded_rulebook.valid_from",
        "grant.loaded_rulebook.programme.call_date",
        "grant.loaded_rulebook.programme.extension_ceiling",
        "grant.loaded_rulebook.programme.milestones.due",
        "settings.base_rates.valid_from",
    ]


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (("grant", "phases", 0, "early_start"), "grant.phases[0].early_start"),
        (("grant", "phases", 0, "purpose_fulfilled_on"), "grant.phases[0].purpose_fulfilled_on"),
        (("grant", "phases", 1, "decision_date"), "grant.phases[1].decision_date"),
        (("payouts", 0, "requested_on"), "payouts[0].requested_on"),
        (("submissions", 0, "submitted_on"), "submissions[0].submitted_on"),
        (("amendments", 0, "decided_on"), "amendments[0].decided_on"),
        (("amendments", 0, "applied_on"), "amendments[0].applied_on"),
        (("amendments", 0, "phases", 0, "new_end"), "amendments[0].phases[0].new_end"),
        (("settings", "ledger_complete_until"), "settings.ledger_complete_until"),
        (("settings", "repaid_on"), "settings.repaid_on"),
        (("settings", "refund_interest_from"), "settings.refund_interest_from"),
    ],
)
@pytest.mark.parametrize("bad", [date(9999, 12, 31), date(1990, 12, 31), 1638316800, "2021-12-1"])
def test_every_date_field_refuses_numbers_and_far_dates(
    where: tuple[str | int, ...], path: str, bad: object
) -> None:
    data = bochum_data()
    parent: Any = data
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = bad
    found = problems_of(data)
    assert any(p.path == path and p.value == bad for p in found), found


def test_dates_at_the_edges_of_the_range_are_accepted() -> None:
    first, last = date_range()
    assert (first, last) == (date(1991, 1, 1), date(2100, 12, 31))
    data = bochum_data()
    data["settings"]["repaid_on"] = last
    data["settings"]["ledger_complete_until"] = first
    case = fm.Case.from_data(data)
    assert case.settings.repaid_on == last


def test_scenario_and_ledger_dates_are_checked_too(tmp_path: Path) -> None:
    data = bochum_data()
    data["scenarios"] = [
        {"name": "x", "steps": [{"kind": "extend_phase", "phase": "B", "new_end": "9999-12-31"}]}
    ]
    # the step's kind names which step it is
    assert only(data).path == "scenarios[0].steps[0].extend_phase.new_end"
    ledger = tmp_path / "belege.csv"
    ledger.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz\nB-1;31.12.9999;10,00;A-1\n",
        encoding="utf-8",
    )
    with pytest.raises(fm.FoerdermittelError) as info:
        fm.attach_ledger(fm.load_case(BOCHUM), ledger=ledger)
    assert "Traceback" not in str(info.value)


def test_a_date_or_a_keyword_field_gives_one_problem_with_a_clean_path() -> None:
    data = bochum_data()
    data["settings"]["refund_interest_from"] = 1638316800
    problem = only(data)
    assert problem.path == "settings.refund_interest_from"
    assert "'period_end' oder 'proof_submitted'" in problem.message
    assert "Zahl statt Datum" in problem.message


def test_scenario_steps_make_ids_of_their_own() -> None:
    # Two extensions of one phase, and third-party money beside a source named "S-3", give
    # amendments and sources with ids of their own, not duplicates.
    data = bochum_data()
    data["plan"]["sources"][1]["id"] = "S-3"
    data["scenarios"] = [
        {
            "name": "zweimal",
            "steps": [
                {"kind": "extend_phase", "phase": "B", "new_end": "2027-09-30"},
                {"kind": "extend_phase", "phase": "B", "new_end": "2028-03-31"},
                {"kind": "add_third_party", "phase": "B", "amount": "1000.00"},
            ],
        }
    ]
    case = fm.Case.from_data(data)
    changed = case.scenarios[0].apply(case)
    assert [a.id for a in changed.amendments][-2:] == [
        "Szenario: Verlängerung B bis 30.09.2027",
        "Szenario: Verlängerung B bis 31.03.2028",
    ]
    assert [s.id for s in changed.plan.sources] == ["E-A", "S-3", "S-4"]


@pytest.mark.parametrize(
    ("step", "field", "words"),
    [
        ({"kind": "shift_line", "line": "B-1.1", "months": 10**6}, "months", "höchstens 1200"),
        ({"kind": "shift_line", "line": "B-1.1", "months": -1201}, "months", "mindestens -1200"),
        ({"kind": "scale_line", "line": "B-1.1", "percent": 10**30}, "percent", "10000"),
        ({"kind": "scale_line", "line": "B-1.1", "percent": -101}, "percent", "-100"),
        (
            {"kind": "set_actual", "line": "B-1.1", "amounts": {"99999": "1.00"}},
            "amounts",
            "Haushaltsjahr 99999 liegt außerhalb des unterstützten Zeitraums",
        ),
    ],
)
def test_scenario_steps_outside_what_dates_can_hold_are_refused(
    step: dict[str, Any], field: str, words: str
) -> None:
    # Such steps ended in OverflowError, "year … is out of range" or decimal.InvalidOperation.
    data = bochum_data()
    data["scenarios"] = [{"name": "x", "steps": [step]}]
    problem = only(data)
    assert problem.path == f"scenarios[0].steps[0].{step['kind']}.{field}"
    assert words in problem.message


@pytest.mark.parametrize("huge", [10**4000, 10**5000, -(10**100)], ids=["4001", "5001", "-101"])
def test_huge_numbers_from_python_are_shown_shortened(huge: int) -> None:
    data = bochum_data()
    data["scenarios"] = [
        {"name": "x", "steps": [{"kind": "shift_line", "line": "B-1.1", "months": huge}]}
    ]
    problem = only(data)
    assert isinstance(problem.value, str)
    assert len(problem.render()) < 300
