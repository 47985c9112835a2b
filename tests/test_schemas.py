"""The JSON schemas accept the files the loaders accept, as an editor checking TOML sees them.

A schema-aware editor reads a TOML file as JSON values: amounts typed as numbers
(``cap = 2500000.00``) are numbers, dates are strings. The loaders read the same numbers as
``Decimal``; the schemas must not flag them.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import foerdermittel as fm
from foerdermittel import rules
from foerdermittel.rules.files import shipped_rule_dir

ROOT = Path(__file__).resolve().parent.parent


def _as_editor_reads(value: Any) -> Any:
    """TOML values as JSON values: dates become strings, tables objects, numbers stay numbers."""
    if isinstance(value, dict):
        return {k: _as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_reads(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _read(path: Path) -> Any:
    return _as_editor_reads(tomllib.loads(path.read_text(encoding="utf-8")))


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", sorted(shipped_rule_dir().glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_rulebook_file_fits_its_schema(path: Path) -> None:
    errors = list(_validator(rules.rulebook_json_schema()).iter_errors(_read(path)))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.toml")), ids=lambda p: p.name)
def test_every_example_case_fits_the_case_schema(path: Path) -> None:
    errors = list(_validator(fm.case_json_schema()).iter_errors(_read(path)))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


_PORTFOLIO_CASES = sorted(
    p for p in (ROOT / "examples" / "portfolio").glob("*.toml") if p.name != "portfolio.toml"
)


@pytest.mark.parametrize("path", _PORTFOLIO_CASES, ids=lambda p: p.name)
def test_every_case_of_the_example_portfolio_fits_the_case_schema(path: Path) -> None:
    errors = list(_validator(fm.case_json_schema()).iter_errors(_read(path)))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_the_example_portfolio_fits_the_portfolio_schema() -> None:
    schema = fm.portfolio_json_schema()
    path = ROOT / "examples" / "portfolio" / "portfolio.toml"
    errors = list(_validator(schema).iter_errors(_read(path)))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    wrong = _read(path)
    wrong["grants"][0]["budget"]["kind"] = "konsumtiv"
    assert list(_validator(schema).iter_errors(wrong))


def test_amounts_may_be_strings_or_numbers_but_not_words() -> None:
    path = shipped_rule_dir() / "mpsc-2021.toml"
    data = _read(path)
    validator = _validator(rules.rulebook_json_schema())
    assert isinstance(data["phases"]["A"]["cap"], float)
    data["phases"]["A"]["cap"] = "2500000.00"
    assert validator.is_valid(data)
    data["phases"]["A"]["cap"] = "zweieinhalb Millionen"
    assert not validator.is_valid(data)
    data["phases"]["A"]["cap"] = -1
    assert not validator.is_valid(data)


def test_a_rate_as_a_number_lies_in_its_range() -> None:
    data = _read(shipped_rule_dir() / "mpsc-2021.toml")
    validator = _validator(rules.rulebook_json_schema())
    data["rates"]["standard"] = 1.5
    assert not validator.is_valid(data)
    data["rates"]["standard"] = "65 %"
    assert validator.is_valid(data)


def test_the_schema_files_are_json() -> None:
    json.dumps(rules.rulebook_json_schema())
    json.dumps(fm.case_json_schema())
