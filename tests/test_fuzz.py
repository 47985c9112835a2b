"""Hostile input, generated: a result or a FoerdermittelError, never anything else.

Mutated case data (the Bochum example, changed along paths the data and the JSON schema name:
wrong types, extreme values, far dates, removed fields, duplicated records, random text) goes
through ``loads_case`` → ``attach_ledger`` → ``evaluate``; mangled ledgers (lines cut,
columns swapped, random bytes, other encodings) through ``read_ledger`` and the same way; a
few of each through the CLI, which must exit 0, 1 or 2 and never print a traceback.

The examples are derandomized (same examples on every run) so that CI does not flake.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from tests.common import ROOT, bochum_data

AS_OF = date(2025, 6, 30)
LEDGER_ROWS = 40  # the Bochum ledger's header and first rows: enough variety, fast to read

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --------------------------------------------------------------------------- base data


def _plain(value: Any) -> Any:
    """TOML data as JSON data: dates as ISO text, Decimals as text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _ledger_lines() -> list[bytes]:
    raw = (ROOT / "examples" / "bochum-ledger.csv").read_bytes()
    return raw.splitlines(keepends=True)[: LEDGER_ROWS + 1]


BASE = _plain(bochum_data())
BASE["ledger"] = {"file": "ledger.csv"}
LEDGER = b"".join(_ledger_lines())
SCHEMA = fm.case_json_schema()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into the data: keys of tables, indexes of lists."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    for variant in node.get("anyOf", []):
        if variant.get("type") != "null":
            return _resolve(variant)
    return node


def _schema_fields(
    value: Any, node: dict[str, Any], prefix: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path of a table, field name) for every field the schema allows there, set or not."""
    node = _resolve(node)
    if isinstance(value, dict):
        properties = node.get("properties", {})
        for name in properties:
            yield prefix, name
        for key, item in value.items():
            if key in properties:
                yield from _schema_fields(item, properties[key], (*prefix, key))
    elif isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            yield from _schema_fields(item, node["items"], (*prefix, index))


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
PATHS = [p for p in _paths(BASE) if p]
FIELDS = list(_schema_fields(BASE, SCHEMA))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


LISTS = [p for p in PATHS if isinstance(_get(BASE, p), list) and _get(BASE, p)]
DATES = [p for p in PATHS if isinstance(v := _get(BASE, p), str) and _ISO.fullmatch(v)]
AMOUNTS = [p for p in PATHS if isinstance(v := _get(BASE, p), str) and _NUMBER.fullmatch(v)]

# --------------------------------------------------------------------------- hostile values

FAR_DATES = ["9999-12-31", "9999-01-01", "0001-01-01", "1900-02-28", "2100-12-31", "2999-01-01"]
EXTREME_AMOUNTS = [
    "0",
    "0.01",
    "-0.01",
    "-1000000.00",
    "999999999999999.99",
    "-999999999999999.99",
    "100000000000000",
    "1.23",
]


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


hostile_values = st.one_of(
    st.none(),
    st.sampled_from([_nested(3), _nested(40)]),  # deeper than the reader's limit of 32
    st.sampled_from([10**40, -(10**40), 10**300]),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -1, 10**15, 10**18, 2**63, -(2**63)]),
    st.sampled_from(["1e400", "-1e400", "NaN", "Infinity", "0.001", "1.000", "1.000,00"]),
    st.sampled_from(["99999", "-100", "0", "65 %", "0.65", "1.5", "-0.01", "999999999999999.99"]),
    st.sampled_from([*FAR_DATES, "2025-02-30", "31.12.2025", "2025-13-01", "1735689600"]),
    st.text(max_size=30),
    st.text(alphabet="\x00\x1b[]{}\"'\\;\n\r\t ,.%€", max_size=15),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def mutated_case(draw: st.DrawFn) -> dict[str, Any]:
    """The Bochum data with one to four hostile changes."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(
            st.sampled_from(
                ["replace", "remove", "add", "duplicate", "far date", "amount", "amount", "date"]
            )
        )
        if kind in ("far date", "date", "amount"):
            path = draw(st.sampled_from(AMOUNTS if kind == "amount" else DATES))
            try:
                parent = _get(data, path[:-1])
                parent[path[-1]]  # still there after earlier changes?
            except (KeyError, IndexError, TypeError):
                continue
            if kind == "amount":
                parent[path[-1]] = draw(st.sampled_from(EXTREME_AMOUNTS))
            elif kind == "far date":
                parent[path[-1]] = draw(st.sampled_from(FAR_DATES))
            else:
                day = draw(st.dates(min_value=date(1991, 1, 1), max_value=date(2100, 12, 31)))
                parent[path[-1]] = day.isoformat()
            continue
        if kind == "add":
            path, name = draw(st.sampled_from(FIELDS))
            try:
                target = _get(data, path)
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(target, dict):
                target[name] = draw(hostile_values)
            continue
        if kind == "duplicate":
            path = draw(st.sampled_from(LISTS))
            try:
                target = _get(data, path)
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(target, list) and target:
                target.append(copy.deepcopy(target[draw(st.integers(0, len(target) - 1))]))
            continue
        path = draw(st.sampled_from(PATHS))
        try:
            parent = _get(data, path[:-1])
            parent[path[-1]]  # still there after earlier changes?
        except (KeyError, IndexError, TypeError):
            continue
        if kind == "remove":
            if isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent.pop(path[-1])
        else:
            parent[path[-1]] = draw(hostile_values)
    return data


def _json_text(data: Any) -> str:
    def default(value: object) -> object:
        return str(value)

    return json.dumps(data, ensure_ascii=False, default=default)


# --------------------------------------------------------------------------- ledger bytes


@st.composite
def mangled_ledger(draw: st.DrawFn) -> bytes:
    """The small Bochum ledger with one to three kinds of damage."""
    lines = list(LEDGER.splitlines(keepends=True))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(
            st.sampled_from(
                ["cut", "drop line", "swap columns", "random bytes", "cell", "encoding", "dup"]
            )
        )
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        if kind == "cut":
            blob = b"".join(lines)
            lines = [blob[: draw(st.integers(0, len(blob)))]]
        elif kind == "drop line":
            del lines[index]
        elif kind == "dup":
            lines.insert(index, lines[index])
        elif kind == "swap columns":
            a, b = draw(st.integers(0, 8)), draw(st.integers(0, 8))
            swapped = []
            for line in lines:
                cells = line.rstrip(b"\r\n").split(b";")
                if max(a, b) < len(cells):
                    cells[a], cells[b] = cells[b], cells[a]
                swapped.append(b";".join(cells) + b"\n")
            lines = swapped
        elif kind == "random bytes":
            lines[index] = draw(st.binary(max_size=40)) + lines[index]
        elif kind == "cell":
            cells = lines[index].rstrip(b"\r\n").split(b";")
            column = draw(st.integers(0, max(0, len(cells) - 1)))
            text = draw(
                st.one_of(
                    st.text(max_size=20),
                    st.sampled_from(
                        ["1.000", "-5,00", "1e400", "NaN", "31.02.2025", "9999-12-31", "=1+1", ""]
                    ),
                )
            )
            cells[column] = text.encode("utf-8", "surrogatepass")
            lines[index] = b";".join(cells) + b"\n"
        else:
            text = b"".join(lines).decode("utf-8", "replace")
            encoding = draw(st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-8-sig", "cp850"]))
            lines = [text.encode(encoding, "replace")]
    return b"".join(lines)


# --------------------------------------------------------------------------- the pipeline


def _pipeline(text: str, ledger: bytes, folder: Path) -> None:
    """Load, attach the ledger, evaluate: a result, or a FoerdermittelError."""
    (folder / "ledger.csv").write_bytes(ledger)
    try:
        case = fm.loads_case(text, fmt="json", file="fuzz.json")
        case = fm.attach_ledger(case, base_dir=folder)
        report = fm.evaluate(case, AS_OF)
    except fm.FoerdermittelError:
        return
    assert isinstance(report, fm.Report)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_the_unchanged_base_evaluates(folder: Path) -> None:
    (folder / "ledger.csv").write_bytes(LEDGER)
    case = fm.attach_ledger(fm.loads_case(_json_text(BASE), fmt="json"), base_dir=folder)
    assert len(case.expenditures) >= LEDGER_ROWS - 5
    assert fm.evaluate(case, AS_OF).financing.grant == Decimal("9880000.00")


@FUZZ
@given(data=mutated_case())
def test_mutated_case_gives_a_result_or_a_foerdermittel_error(
    folder: Path, data: dict[str, Any]
) -> None:
    _pipeline(_json_text(data), LEDGER, folder)


@FUZZ
@given(ledger=mangled_ledger())
def test_mangled_ledger_gives_a_result_or_a_foerdermittel_error(
    folder: Path, ledger: bytes
) -> None:
    path = folder / "mangled.csv"
    path.write_bytes(ledger)
    with contextlib.suppress(fm.FoerdermittelError):
        fm.read_ledger(path, line_ids=[line["id"] for line in BASE["plan"]["lines"]])
    _pipeline(_json_text(BASE), ledger, folder)


# --------------------------------------------------------------------------- through the CLI


def _cli(case: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "foerdermittel",
            "report",
            str(case),
            "--as-of",
            "30.06.2025",
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    _get(data, path[:-1])[path[-1]] = value
    return data


CLI_CASES = {
    "base": (BASE, LEDGER),
    "rate as text": (_with(("grant", "phases", 0, "rate"), "sechzig"), LEDGER),
    "negative eligible": (_with(("grant", "phases", 1, "eligible_expenditure"), "-1"), LEDGER),
    "phase without end": ({**BASE, "grant": {**BASE["grant"], "phases": [{"id": "A"}]}}, LEDGER),
    "ledger cut mid-line": (BASE, LEDGER[: len(LEDGER) // 2 + 7]),
    "ledger random bytes": (BASE, b"\xff\xfe\x00garbage;\x1b[31m\n" + LEDGER[:200]),
    "ledger in UTF-16": (BASE, LEDGER.decode("utf-8-sig").encode("utf-16")),
    "ledger empty": (BASE, b""),
}


UNUSABLE = {"rate as text", "negative eligible", "phase without end", "ledger in UTF-16"}
UNUSABLE |= {"ledger empty"}


@pytest.mark.parametrize("name", list(CLI_CASES))
def test_cli_exits_0_1_or_2_without_traceback(tmp_path: Path, name: str) -> None:
    data, ledger = CLI_CASES[name]
    (tmp_path / "ledger.csv").write_bytes(ledger)
    case = tmp_path / "fall.json"
    case.write_text(_json_text(data), encoding="utf-8")
    result = _cli(case)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr)
    if name == "base":
        assert result.returncode in (0, 1)
    elif name in UNUSABLE:
        assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr)


# ------------------------------------------------------------------ deep numbers and nesting
# The case-file parser refuses integers beyond Python's digit limit and deep nesting with a
# CaseError; these inputs crashed it once.

HUGE_INTEGER = "9" * 5000
DEEP_INPUTS = {
    "5000-digit integer in JSON": (
        '{"schema_version": ' + HUGE_INTEGER + ", " + _json_text(BASE)[1:],
        "json",
    ),
    "5000-digit integer in TOML": ("schema_version = " + HUGE_INTEGER + "\n", "toml"),
    "100000 nested brackets in JSON": ('{"title": ' + "[" * 100_000 + "]" * 100_000 + "}", "json"),
}


@pytest.mark.parametrize("name", list(DEEP_INPUTS))
def test_deep_numbers_and_nesting_are_refused(name: str) -> None:
    text, kind = DEEP_INPUTS[name]
    with pytest.raises(fm.FoerdermittelError):
        fm.loads_case(text, fmt="json" if kind == "json" else "toml")
