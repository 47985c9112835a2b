"""Rules as data: the registry of rulebook editions and programme calls.

The editions (ANBest-Gk, ANBest-P, Land variants) and the programme calls are TOML files
shipped in ``foerdermittel/rules/data/`` ([`foerdermittel.rules.files`][foerdermittel.rules.files]),
read and checked when one is first asked for, not when the package is imported.

Examples:
    >>> from foerdermittel import rules
    >>> rules.get("anbest-gk-2019").use_window.window.amount
    6
    >>> rules.get_programme("mpsc-2021").rates["standard"]
    Decimal('0.65')
    >>> rules.get("anbest-gk-2099")
    Traceback (most recent call last):
    ...
    foerdermittel.errors.UnknownRuleError: rulebook: unbekanntes Regelwerk; gültig sind: ...
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from foerdermittel.errors import (
    CaseError,
    NotFoundError,
    Problem,
    UnknownRuleError,
    german_message,
)
from foerdermittel.frozen import FrozenMap
from foerdermittel.rules.files import (
    load_programme_file,
    load_rule_file,
    load_rulebook_file,
    rulebook_json_schema,
)
from foerdermittel.rules.model import (
    CapBasis,
    DrawdownMode,
    DrawdownRule,
    InterestRule,
    InterimProofRule,
    LineToleranceRule,
    Milestone,
    PhaseLimit,
    ProcurementRule,
    ProgrammeRules,
    ProofOfUseRule,
    ReductionRule,
    RetentionRule,
    Rulebook,
    UseWindowRule,
)
from foerdermittel.rules.overrides import (
    AppliedOverride,
    RuleOverride,
    informational_paths,
    override_paths,
    target_type,
)

__all__ = [
    "AppliedOverride",
    "CapBasis",
    "DrawdownMode",
    "DrawdownRule",
    "InterestRule",
    "InterimProofRule",
    "LineToleranceRule",
    "Milestone",
    "PhaseLimit",
    "ProcurementRule",
    "ProgrammeRules",
    "ProofOfUseRule",
    "ReductionRule",
    "RetentionRule",
    "RuleOverride",
    "Rulebook",
    "UseWindowRule",
    "apply_overrides",
    "available",
    "available_programmes",
    "get",
    "get_programme",
    "informational_paths",
    "load_programme_file",
    "load_rule_file",
    "load_rulebook_file",
    "override_paths",
    "resolve",
    "rulebook_json_schema",
]


@functools.cache
def _editions() -> FrozenMap[str, Rulebook]:
    """Every shipped edition by id, read from its file on first use."""
    from foerdermittel.rules.files import shipped_rules

    return FrozenMap((r.id, r) for r in shipped_rules().editions)


@functools.cache
def _programmes() -> FrozenMap[str, ProgrammeRules]:
    """Every shipped programme call by id, read from its file on first use."""
    from foerdermittel.rules.files import shipped_rules

    return FrozenMap((p.id, p) for p in shipped_rules().programmes)


def __getattr__(name: str) -> Any:
    """The registry tables ``_EDITIONS`` and ``_PROGRAMMES`` by their former names (PEP 562)."""
    if name == "_EDITIONS":
        return _editions()
    if name == "_PROGRAMMES":
        return _programmes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def available() -> tuple[str, ...]:
    """Ids of every shipped rulebook edition (ANBest-Gk, ANBest-P, Land variants)."""
    return tuple(_editions())


def available_programmes() -> tuple[str, ...]:
    """Ids of every shipped programme call."""
    return tuple(_programmes())


def get(rulebook_id: str) -> Rulebook:
    """The rulebook edition ``rulebook_id`` (its file is read and checked on first use).

    Raises:
        UnknownRuleError: the id is not shipped; the message lists the valid ids.
    """
    from foerdermittel.rules.files import shipped_edition

    edition = shipped_edition(rulebook_id)
    if edition is None:
        raise UnknownRuleError(
            [
                Problem(
                    "rulebook",
                    rulebook_id,
                    "unbekanntes Regelwerk; gültig sind: " + ", ".join(available()),
                )
            ]
        )
    return edition


def get_programme(programme_id: str) -> ProgrammeRules:
    """The programme call ``programme_id`` (its file is read and checked on first use).

    Raises:
        UnknownRuleError: the id is not shipped; the message lists the valid ids.
    """
    from foerdermittel.rules.files import shipped_programme

    programme = shipped_programme(programme_id)
    if programme is None:
        raise UnknownRuleError(
            [
                Problem(
                    "programme",
                    programme_id,
                    "unbekanntes Förderprogramm; gültig sind: " + ", ".join(available_programmes()),
                )
            ]
        )
    return programme


def _lookup(data: Any, segments: list[str]) -> Any:
    for segment in segments:
        if not isinstance(data, dict) or segment not in data:
            raise NotFoundError("Regelwerkswert", segment)
        data = data[segment]
    return data


_PROGRAMME_REPLACES = ("drawdown", "limits")
"""Groups a programme's own rules replace: an override of the group changes the one in force."""


def _in_force(rulebook: Rulebook, segments: list[str]) -> list[str]:
    """The path of the value in force: ``drawdown.x`` is the programme's where it sets one.

    A decision that deviates from the drawdown rule or the limits changes the rule that
    governs the grant; where the programme replaces the edition's group, that is the
    programme's.
    """
    group = segments[0]
    if (
        group in _PROGRAMME_REPLACES
        and rulebook.programme is not None
        and getattr(rulebook.programme, group) is not None
    ):
        return ["programme", *segments]
    return segments


def apply_overrides(
    rulebook: Rulebook, overrides: Iterable[RuleOverride]
) -> tuple[Rulebook, tuple[AppliedOverride, ...]]:
    """Apply a grant's overrides to a rulebook; return it with the list of what changed.

    Raises:
        UnknownRuleError: an override names a path the rulebook does not have (for
            example a programme value for a grant without a programme, or a phase kind the
            programme does not know).
    """
    data = rulebook.model_dump()
    applied: list[AppliedOverride] = []
    problems: list[Problem] = []
    for index, override in enumerate(overrides):
        segments = _in_force(rulebook, override.path.split("."))
        try:
            parent = _lookup(data, segments[:-1])
            if not isinstance(parent, dict) or segments[-1] not in parent:
                raise NotFoundError("Regelwerkswert", segments[-1])
        except KeyError as exc:
            problems.append(
                Problem(
                    f"overrides[{index}].path",
                    override.path,
                    f"das Regelwerk {rulebook.id} hat keinen Wert {exc.args[0]!r} an dieser Stelle",
                )
            )
            continue
        original = TypeAdapter(target_type(override.path)).validate_python(parent[segments[-1]])
        value = override.value
        parent[segments[-1]] = value.model_dump() if hasattr(value, "model_dump") else value
        if parent.get("source") == "—":  # a group the rulebook leaves unset: the decision's word
            parent["source"] = override.reason
        applied.append(
            AppliedOverride(
                path=override.path, original=original, value=value, reason=override.reason
            )
        )
    if problems:
        raise UnknownRuleError(problems)
    try:
        return Rulebook.model_validate(data), tuple(applied)
    except ValidationError as exc:
        reasons = "; ".join(
            ".".join(map(str, e["loc"])) + ": " + german_message(e["type"], e["msg"], e.get("ctx"))
            for e in exc.errors()
        )
        raise CaseError.single(
            "overrides",
            ", ".join(o.path for o in applied),
            f"die Abweichungen ergeben zusammen kein gültiges Regelwerk: {reasons}",
        ) from None


def resolve(
    rulebook_id: str,
    programme_id: str | None = None,
    overrides: Iterable[RuleOverride] = (),
) -> tuple[Rulebook, tuple[AppliedOverride, ...]]:
    """The rulebook in force for a grant: edition + programme + the decision's overrides."""
    rulebook = get(rulebook_id)
    if programme_id is not None:
        rulebook = rulebook.model_copy(update={"programme": get_programme(programme_id)})
    return apply_overrides(rulebook, overrides)
