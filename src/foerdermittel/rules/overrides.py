"""Per-grant overrides of rulebook values: the decision governs.

A grant decision may deviate from the general conditions or the programme text (a longer
proof-of-use deadline, another cap basis). The case file records each deviation as a
[`RuleOverride`][foerdermittel.rules.RuleOverride] — a dotted path into the rulebook, the new
value and the reason — and the report lists them with the value they replaced.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping
from typing import Annotated, Any, Self, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    ValidationError,
    field_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from foerdermittel.errors import NotFoundError, german_message, shown
from foerdermittel.frozen import FrozenMap
from foerdermittel.periods import Span
from foerdermittel.rules.model import INFORMS_ONLY, Rulebook

__all__ = [
    "AppliedOverride",
    "RuleOverride",
    "informational_paths",
    "override_paths",
    "target_type",
]


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional`` and metadata from an annotation (``X | None`` -> ``X``)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_mapping(annotation: Any) -> bool:
    return get_origin(annotation) in (dict, Mapping)


def target_type(path: str) -> Any:
    """The type a rulebook value at ``path`` must have, e.g. ``use_window.window`` -> ``Span``.

    Dictionary levels (programme rates and phase limits) take their key as a path segment:
    ``programme.phases.A.cap``.

    Raises:
        NotFoundError: a ``KeyError`` with the segment that does not exist.
    """
    current: Any = Rulebook
    for segment in path.split("."):
        current = _unwrap(current)
        if _is_model(current):
            fields = current.model_fields
            if segment not in fields:
                raise NotFoundError("Teil des Regelwerkspfads", segment)
            field = fields[segment]
            current = field.annotation
            if field.metadata:
                current = Annotated[(current, *field.metadata)]
        elif _is_mapping(current):
            current = get_args(current)[1]
        else:
            raise NotFoundError("Teil des Regelwerkspfads", segment)
    return current


def override_paths() -> tuple[str, ...]:
    """Every overridable path; dictionary keys (phase kinds, rate tiers) shown as ``<key>``.

    Examples:
        >>> "programme.phases.<key>.cap_basis" in override_paths()
        True
    """
    return tuple(_walk_fields())


def informational_paths() -> dict[str, str]:
    """The overridable paths whose value informs only, each with the reason it changes no figure.

    Every other path of [`override_paths`][foerdermittel.rules.overrides.override_paths] is read
    by the calculation it governs.

    Examples:
        >>> "budget_act_proviso" in informational_paths()
        True
        >>> "use_window.window" in informational_paths()
        False
    """
    return {path: reason for path, reason in _walk_fields().items() if reason is not None}


_DOCUMENTATION = frozenset(
    {"id", "source", "title", "read_in", "proof_of_use_source", "proof_of_use_read_in"}
)
"""Fields that document a rule (its name, legal basis, where it was read): not values."""


def _walk_fields() -> dict[str, str | None]:
    """Every overridable path, with the reason where the value informs only."""
    paths: dict[str, str | None] = {}

    def walk(annotation: Any, prefix: str, reason: str | None) -> None:
        annotation = _unwrap(annotation)
        if _is_model(annotation) and annotation is not Span:
            for name, field in annotation.model_fields.items():
                if name in _DOCUMENTATION:
                    continue
                extra = field.json_schema_extra
                why = extra.get(INFORMS_ONLY) if isinstance(extra, dict) else None
                walk(
                    field.annotation,
                    f"{prefix}.{name}" if prefix else name,
                    str(why) if why is not None else None,
                )
        elif _is_mapping(annotation):
            walk(get_args(annotation)[1], f"{prefix}.<key>", reason)
        else:
            paths[prefix] = reason

    walk(Rulebook, "", None)
    return paths


def _near_paths(path: str) -> str:
    """The valid paths that look like ``path`` (a typo), else every valid path."""
    paths = override_paths()
    near = difflib.get_close_matches(path, paths, n=5, cutoff=0.6)
    if near:
        return "meinten Sie: " + ", ".join(near)
    return "gültig sind: " + ", ".join(paths)


def _thawed(value: Any, serialize: SerializerFunctionWrapHandler) -> Any:
    """A whole table as a value (``programme.rates``) dumps as the ``dict`` it was read from."""
    return serialize(dict(value) if isinstance(value, FrozenMap) else value)


class RuleOverride(BaseModel):
    """Abweichung im Bescheid — a rulebook value the grant decision sets differently.

    Attributes:
        path: dotted path into the rulebook, e.g. ``use_window.window`` or
            ``programme.phases.A.cap_basis``.
        value: the value the decision sets, in the same form as the rulebook's value.
        reason: where the decision says so, e.g. "Zuwendungsbescheid Nr. 4.2".

    Examples:
        >>> o = RuleOverride(path="use_window.window", value={"amount": 2, "unit": "months"},
        ...                  reason="Bescheid Nr. 5")
        >>> str(o.value)
        '2 Monate'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(description="Pfad des Regelwerkswerts, z. B. use_window.window")
    value: Any = Field(description="Wert laut Zuwendungsbescheid")
    reason: str = Field(description="Fundstelle im Bescheid, z. B. 'Zuwendungsbescheid Nr. 4.2'")

    _dump_value = field_serializer("value", mode="wrap")(_thawed)

    @model_validator(mode="before")
    @classmethod
    def _typed_value(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "path" not in data or "value" not in data:
            return data
        path = data["path"]
        if not isinstance(path, str):
            return data
        try:
            wanted = target_type(path)
        except KeyError as exc:
            raise PydanticCustomError(
                "foerdermittel_override_path",
                "unbekannter Regelwerkspfad '{path}' (Teil '{segment}'); {examples}",
                {"path": path, "segment": str(exc.args[0]), "examples": _near_paths(path)},
            ) from exc
        try:
            typed = TypeAdapter(wanted).validate_python(data["value"])
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            raise PydanticCustomError(
                "foerdermittel_override_value",
                "Wert {value} passt nicht zu {path}: {message}",
                {
                    "path": path,
                    "value": shown(data["value"]),
                    "message": german_message(first["type"], first["msg"], first.get("ctx")),
                },
            ) from exc
        return {**data, "value": typed}

    @model_validator(mode="after")
    def _reason_given(self) -> Self:
        if not self.reason.strip():
            raise PydanticCustomError(
                "foerdermittel_override_reason",
                "Abweichung von {path} ohne Fundstelle im Bescheid (reason ist leer)",
                {"path": self.path},
            )
        return self


class AppliedOverride(BaseModel):
    """An override as the report shows it: the path, the value it replaced, the new value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    original: Any
    value: Any
    reason: str

    _dump_values = field_serializer("original", "value", mode="wrap")(_thawed)
