"""Message catalogues: every language has the same keys with the same fields; words render."""

from __future__ import annotations

import string
import tomllib
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from foerdermittel.errors import NotFoundError
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.messages import LANGUAGES, catalogue, render


def _fields(template: object) -> set[tuple[str, str]]:
    texts = template.values() if isinstance(template, dict | type(catalogue())) else [template]
    found = set()
    for text in texts:
        assert isinstance(text, str)
        for _, name, spec, _ in string.Formatter().parse(text):
            if name is not None:
                found.add((name, spec or ""))
    return found


def _files(lang: str) -> dict[str, dict[str, object]]:
    folder = resources.files("foerdermittel.messages").joinpath(lang)
    return {
        item.name: tomllib.loads(item.read_text(encoding="utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".toml")
    }


def test_every_language_has_the_same_keys_and_fields() -> None:
    german = catalogue("de")
    for lang in LANGUAGES[1:]:
        other = catalogue(lang)
        assert set(other) == set(german), set(other) ^ set(german)
        for key, template in german.items():
            assert _fields(template) == _fields(other[key]), key


def test_no_key_is_written_twice_across_files() -> None:
    for lang in LANGUAGES:
        seen: dict[str, str] = {}
        for name, table in _files(lang).items():
            table.pop("language", None)
            stack = [("", table)]
            while stack:
                prefix, node = stack.pop()
                for key, value in node.items():
                    full = f"{prefix}{key}"
                    if isinstance(value, dict) and not set(value) <= {"one", "other"}:
                        stack.append((f"{full}.", value))
                        continue
                    assert full not in seen, f"{lang}: {full} in {seen.get(full)} und {name}"
                    seen[full] = name


def test_every_template_formats_with_its_fields() -> None:
    """No stray brace, no unknown format: each entry renders with made-up values."""
    samples = {
        "money": Decimal("1234.5"),
        "date": date(2025, 6, 30),
        "weekday": date(2025, 6, 30),
        "percent": Decimal("0.2"),
        "number": 3,
        "list": ("a", "b"),
        "": "x",
    }
    for lang in LANGUAGES:
        for key, template in catalogue(lang).items():
            params = {name: samples[spec] for name, spec in _fields(template)}
            params["count"] = params.get("count", 2)
            assert render(Message(key, params), lang), key


def test_figures_follow_the_language() -> None:
    msg = Message.of("finding.final-instalment-due", projected=NOTHING, amount=Decimal("1234.5"))
    assert render(msg) == "nach Abrechnung noch auszuzahlen 1.234,50\xa0€"
    assert render(msg, "en") == "still to be paid after the final account: €1,234.50"
    assert render(Subject("phase", "A"), "en") == "Phase A"
    assert render(NOTHING, "en") == ""


def test_an_unknown_language_or_key_is_named() -> None:
    with pytest.raises(NotFoundError, match="fr"):
        render(Subject("phase", "A"), "fr")
    with pytest.raises(NotFoundError, match=r"finding\.nonsense"):
        render(Message.of("finding.nonsense"))
