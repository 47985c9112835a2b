"""The modules that carried a function's name moved; their old paths warn and still work."""

from __future__ import annotations

import importlib
import sys
from datetime import date

import pytest

import foerdermittel as fm

from .common import BOCHUM

MOVED = {
    "forecast": ("forecasting", "forecast"),
    "own_share": ("own_share_plan", "own_share"),
    "proof_of_use": ("proof", "proof_of_use"),
    "evaluate": ("evaluation", "evaluate"),
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_the_new_module_is_not_shadowed(old: str) -> None:
    new, function = MOVED[old]
    module = importlib.import_module(f"foerdermittel.{new}")
    assert getattr(fm, new) is module
    assert callable(getattr(fm, function))


@pytest.mark.parametrize("old", sorted(MOVED))
def test_the_old_path_warns_and_keeps_its_names(old: str, monkeypatch: pytest.MonkeyPatch) -> None:
    new, _ = MOVED[old]
    monkeypatch.setattr(fm, old, getattr(fm, old))  # importing the old path rebinds it
    monkeypatch.delitem(sys.modules, f"foerdermittel.{old}", raising=False)
    sys.modules.pop(f"foerdermittel.{old}", None)
    with pytest.warns(DeprecationWarning, match=f"foerdermittel.{new}"):
        module = importlib.import_module(f"foerdermittel.{old}")
    target = importlib.import_module(f"foerdermittel.{new}")
    for name in target.__all__:
        assert getattr(module, name) is getattr(target, name)


def test_the_old_path_still_calls_like_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    """``import foerdermittel.evaluate`` puts the module on the package; it still evaluates."""
    monkeypatch.setattr(fm, "evaluate", fm.evaluate)
    monkeypatch.delitem(sys.modules, "foerdermittel.evaluate", raising=False)
    sys.modules.pop("foerdermittel.evaluate", None)
    with pytest.warns(DeprecationWarning, match="foerdermittel.evaluation"):
        import foerdermittel.evaluate as old
    case = fm.load_case(BOCHUM)
    assert (
        old(case, date(2025, 6, 30)).financing.grant
        == fm.evaluation.evaluate(case, date(2025, 6, 30)).financing.grant
    )
    assert isinstance(fm.evaluate, type(old))
    assert fm.evaluate(case, date(2025, 6, 30)).has_errors is False
