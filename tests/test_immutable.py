"""Immutable all the way: rulebooks, the registry and the case model refuse every change.

A rulebook from the registry is shared by every caller; a case is shared by every scenario run
on it. Their tables are read-only mappings, and a scenario step works on a private copy.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel import rules
from foerdermittel.frozen import FrozenMap, ReadOnlyMap
from foerdermittel.io.case_file import dump_case, loads_case
from foerdermittel.scenarios import progress

from .common import BOCHUM


def _bochum() -> fm.Case:
    return fm.load_case(BOCHUM)


def test_a_programme_rate_cannot_be_changed_for_later_callers() -> None:
    programme = rules.get_programme("mpsc-2021")
    with pytest.raises(TypeError):
        programme.rates["standard"] = Decimal("0.9")  # type: ignore[index]
    with pytest.raises(TypeError):
        del programme.phases["A"]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        programme.rates.clear()  # type: ignore[attr-defined]
    assert rules.get_programme("mpsc-2021").rates["standard"] == Decimal("0.65")
    assert set(rules.get_programme("mpsc-2021").phases) == {"A", "B"}


def test_the_registry_tables_cannot_be_changed() -> None:
    edition = rules.get("anbest-gk-2019")
    with pytest.raises(TypeError):
        rules._EDITIONS["anbest-gk-2019"] = edition.model_copy(update={"title": "x"})  # type: ignore[index]
    assert rules.get("anbest-gk-2019") is edition


def test_a_frozen_map_reads_like_a_dict_and_keeps_nothing_open() -> None:
    items = {"a": 1, "b": 2}
    frozen = FrozenMap(items)
    items["a"] = 99  # the map copied its items
    assert frozen == {"a": 1, "b": 2}
    assert repr(frozen) == "{'a': 1, 'b': 2}"
    assert list(frozen) == ["a", "b"]
    assert len(frozen) == 2
    assert "a" in frozen
    assert frozen | {"c": 3} == {"a": 1, "b": 2, "c": 3}
    assert frozen == {"a": 1, "b": 2}
    with pytest.raises(AttributeError):
        frozen._items = {}  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    assert type(copy.deepcopy(frozen)) is FrozenMap


def test_a_read_only_map_dumps_and_validates_as_a_dict() -> None:
    programme = rules.get_programme("mpsc-2021")
    dumped = programme.model_dump()
    assert type(dumped["rates"]) is dict
    assert type(dumped["phases"]["A"]) is dict
    assert type(programme).model_validate(dumped) == programme
    assert type(programme).model_validate_json(programme.model_dump_json()) == programme
    schema = type(programme).model_json_schema()["properties"]["rates"]
    assert schema["type"] == "object"
    assert {"type": "string"} in schema["additionalProperties"]["anyOf"]


def test_overrides_still_apply_and_leave_the_registry_alone() -> None:
    rulebook, applied = rules.resolve(
        "anbest-gk-2019",
        "mpsc-2021",
        [
            rules.RuleOverride(path="programme.rates.standard", value="0.7", reason="Nr. 1"),
            rules.RuleOverride(path="programme.phases.A.cap", value="10.00", reason="Nr. 2"),
        ],
    )
    assert rulebook.programme is not None
    assert rulebook.programme.rates["standard"] == Decimal("0.70")
    assert rulebook.programme.phases["A"].cap == Decimal("10.00")
    assert isinstance(rulebook.programme.rates, FrozenMap)
    assert [a.original for a in applied] == [
        Decimal("0.65"),
        rules.get_programme("mpsc-2021").phases["A"].cap,
    ]
    assert rules.get_programme("mpsc-2021").rates["standard"] == Decimal("0.65")


def test_a_whole_table_override_dumps_as_a_dict() -> None:
    override = rules.RuleOverride(path="programme.rates", value={"standard": "0.5"}, reason="Nr. 3")
    assert isinstance(override.value, FrozenMap)
    assert override.model_dump()["value"] == {"standard": Decimal("0.5")}
    _, applied = rules.resolve("anbest-gk-2019", "mpsc-2021", [override])
    assert (
        '"original":{"standard":"0.65","haushaltsnotlage":"0.90"}' in applied[0].model_dump_json()
    )


CASE_TABLES: list[tuple[str, Callable[[fm.Case], Any]]] = [
    ("plan line amounts", lambda c: c.plan.lines[0].amounts),
    ("council budget", lambda c: c.council_budget),
    ("profiles", lambda c: c.profiles),
    ("plan ineligible", lambda c: c.plan.ineligible),
]


@pytest.mark.parametrize(("name", "table"), CASE_TABLES, ids=[n for n, _ in CASE_TABLES])
def test_the_case_tables_cannot_be_changed(name: str, table: Callable[[fm.Case], Any]) -> None:
    case = _bochum()
    before = dump_case(case)
    with pytest.raises(TypeError):
        table(case)[2022] = Decimal("1.00")
    assert dump_case(case) == before


def test_a_case_saved_and_loaded_is_the_same_and_pickles() -> None:
    case = _bochum()
    text = dump_case(case)
    again = loads_case(text, fmt="json")
    assert again == case
    assert dump_case(again) == text
    assert type(case.model_dump()["council_budget"]) is dict
    assert pickle.loads(pickle.dumps(case)) == case
    assert copy.deepcopy(case) == case


def test_a_read_only_map_keeps_its_annotations() -> None:
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(ReadOnlyMap[int, Decimal])
    assert adapter.validate_python({"2024": "1.5"}) == {2024: Decimal("1.5")}
    assert adapter.dump_json(FrozenMap({2024: Decimal("1.5")})) == b'{"2024":"1.5"}'


@pytest.mark.parametrize("with_progress", [False, True], ids=["plan", "key-date"])
def test_scenarios_leave_their_case_alone_and_repeat(with_progress: bool) -> None:
    case = _bochum()
    before = dump_case(case)
    state = progress(case, date(2024, 6, 30)) if with_progress else None
    state_before = state.model_dump_json() if state is not None else None
    assert case.scenarios
    for scenario in case.scenarios:
        first = scenario.applied(case, progress=state)
        second = scenario.applied(case, progress=state)
        assert first == second
        assert dump_case(case) == before
        if state is not None:
            assert state.model_dump_json() == state_before


def test_the_progress_of_a_key_date_cannot_be_changed() -> None:
    state = progress(_bochum(), date(2024, 6, 30))
    line = next(iter(state.remaining))
    with pytest.raises(TypeError):
        state.remaining[line][date(2024, 7, 1)] = Decimal("1")  # type: ignore[index]
    with pytest.raises(TypeError):
        state.phase_ends["A"] = date(2030, 1, 1)  # type: ignore[index]


def _open_tables(value: Any, path: str = "") -> list[str]:
    """Paths of every ``dict`` reachable through a model's fields (none should be)."""
    from pydantic import BaseModel

    if isinstance(value, dict):
        return [path]
    if isinstance(value, BaseModel):
        return [
            found
            for name in type(value).model_fields
            for found in _open_tables(getattr(value, name), f"{path}.{name}")
        ]
    if isinstance(value, FrozenMap):
        return [found for k, v in value.items() for found in _open_tables(v, f"{path}[{k!r}]")]
    if isinstance(value, tuple):
        return [found for i, v in enumerate(value) for found in _open_tables(v, f"{path}[{i}]")]
    return []


def test_no_table_of_the_case_or_its_rulebook_is_left_open() -> None:
    case = _bochum()
    rulebook, _ = case.rulebook()
    state = progress(case, date(2024, 6, 30))
    changed = [s.apply(case, progress=state) for s in case.scenarios]
    assert _open_tables((case, rulebook, state, *changed)) == []
