"""The command ``foerdermittel rules``: the shipped rulebooks, one with its sources, a file checked.

``rules`` lists the editions, Land variants and programme calls with their dates; ``rules show
ID`` prints one, each group of values with its legal basis and where it was read; ``rules
check DATEI`` reads a user's rulebook file as a case would and says what is wrong with it;
``rules schema`` prints the JSON schema of a rulebook file. The output is German.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Mapping
from datetime import date
from enum import Enum

from pydantic import BaseModel

from foerdermittel import fmt, rules
from foerdermittel.errors import Problem, UnknownRuleError
from foerdermittel.periods import Span
from foerdermittel.rules.files import RuleFile, load_rule_file, rulebook_json_schema

__all__ = ["rules_text"]

_GROUPS = {
    "drawdown": "Mittelabruf",
    "use_window": "Verwendung „alsbald“",
    "proof_of_use": "Verwendungsnachweis",
    "proof_contents": "Inhalt des Verwendungsnachweises",
    "declarations": "Bestätigung",
    "interim_proof": "Zwischennachweis",
    "reduction": "Ermäßigung der Zuwendung",
    "line_tolerance": "Überschreitung von Einzelansätzen",
    "retention": "Aufbewahrung",
    "interest": "Verzinsung",
    "procurement": "Vergabe",
    "limits": "Grenzen über die ANBest hinaus",
    "category_caps": "Kostenartenbegrenzung",
    "tiers": "Förderquotenstufe",
    "flat_rates": "Pauschale",
    "phases": "Phase",
    "milestones": "Meilenstein",
}
"""German names of the groups of values, as a grant manager knows them."""

_SOURCES = {
    "source": "Grundlage",
    "read_in": "gelesen in",
    "proof_of_use_source": "Grundlage der Nachweisfrist",
    "proof_of_use_read_in": "Nachweisfrist gelesen in",
}


def _kind(item: RuleFile) -> str:
    if isinstance(item, rules.ProgrammeRules):
        return "Förderaufruf"
    return f"Landesvariante {item.land}" if item.land else "Ausgabe"


def _day(item: RuleFile) -> date:
    return item.call_date if isinstance(item, rules.ProgrammeRules) else item.valid_from


def _listing() -> str:
    items: list[RuleFile] = [
        *(rules.get(i) for i in rules.available()),
        *(rules.get_programme(i) for i in rules.available_programmes()),
    ]
    rows = [("Kennung", "Art", "Datum", "Titel")]
    rows += [(i.id, _kind(i), fmt.date(_day(i)), i.title) for i in items]
    widths = [max(len(row[c]) for row in rows) for c in range(3)]
    lines = ["  ".join([*(r[c].ljust(widths[c]) for c in range(3)), r[3]]) for r in rows]
    return (
        "Regelwerke und Förderprogramme (mitgeliefert)\n\n"
        + "\n".join(lines)
        + "\n\nDatum: gilt ab (Ausgabe, Landesvariante) oder Tag des Aufrufs (Förderaufruf).\n"
        "Werte mit Quellen: foerdermittel rules show KENNUNG\n"
    )


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return fmt.date(value)
    return str(value)


def _unset(group: BaseModel) -> bool:
    """Whether a group sets nothing (``limits`` without a cap): it is left out of the listing."""
    return all(
        getattr(group, name) in (None, ())
        for name in type(group).model_fields
        if name not in _SOURCES
    )


def _group_lines(model: BaseModel, indent: str) -> Iterator[str]:
    """The values of a group, then its sources, then the groups within it."""
    nested: list[tuple[str, BaseModel | tuple[BaseModel, ...] | Mapping[str, BaseModel]]] = []
    sources: list[str] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None or value == () or (not indent and name in {"id", "title"}):
            continue  # the heading names the rulebook
        if name in _SOURCES:
            sources.append(f"{indent}{_SOURCES[name]}: {value}")
        elif isinstance(value, Span) or not isinstance(value, BaseModel | tuple | Mapping):
            yield f"{indent}{name} = {_value(value)}"
        elif isinstance(value, tuple) and not any(isinstance(v, BaseModel) for v in value):
            yield f"{indent}{name} = " + ", ".join(_value(v) for v in value)
        elif isinstance(value, Mapping) and not any(
            isinstance(v, BaseModel) for v in value.values()
        ):
            for key, item in value.items():
                yield f"{indent}{name}.{key} = {_value(item)}"
        elif not (isinstance(value, BaseModel) and _unset(value)):
            nested.append((name, value))
    yield from sources
    for name, value in nested:
        if isinstance(value, BaseModel):
            parts: list[tuple[str, BaseModel]] = [(name, value)]
        elif isinstance(value, Mapping):
            parts = [(f"{name}.{key}", item) for key, item in value.items()]
        else:
            parts = [(f"{name}[{index}]", element) for index, element in enumerate(value)]
        for path, item in parts:
            label = _GROUPS.get(name, name)
            yield ""
            yield f"{indent}[{path}] {label}"
            yield from _group_lines(item, indent + "  ")


def _show(ident: str) -> str:
    if ident in rules.available():
        item: RuleFile = rules.get(ident)
    elif ident in rules.available_programmes():
        item = rules.get_programme(ident)
    else:
        valid = ", ".join([*rules.available(), *rules.available_programmes()])
        raise UnknownRuleError(
            [Problem("ID", ident, f"unbekanntes Regelwerk oder Programm; gültig sind: {valid}")]
        )
    head = f"{item.id} — {item.title} ({_kind(item)}, {fmt.date(_day(item))})"
    return head + "\n\n" + "\n".join(_group_lines(item, "")) + "\n"


def _check(path: str) -> str:
    item = load_rule_file(path)
    groups = sum(1 for _ in _sourced(item))
    return (
        f"{path}: in Ordnung — {_kind(item)} {item.id} „{item.title}“, "
        f"{groups} Wertegruppen, jede mit ihrer Grundlage\n"
    )


def _sourced(model: BaseModel) -> Iterator[BaseModel]:
    if "source" in type(model).model_fields:
        yield model
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value.values() if isinstance(value, Mapping) else value
        if isinstance(value, BaseModel):
            yield from _sourced(value)
        elif isinstance(value, tuple | Mapping):
            for item in items:
                if isinstance(item, BaseModel):
                    yield from _sourced(item)


def rules_text(args: argparse.Namespace) -> str:
    """The text ``foerdermittel rules …`` prints for its arguments.

    Raises:
        CaseError: ``show`` with an unknown id (``UnknownRuleError``), ``check`` with a file
            that is missing or invalid — the message names file, field path and value.
    """
    command = getattr(args, "rules_command", None)
    if command == "show":
        return _show(args.id)
    if command == "check":
        return _check(args.file)
    if command == "schema":
        return json.dumps(rulebook_json_schema(), indent=2, ensure_ascii=False) + "\n"
    return _listing()
