"""Unique ids: each kind of record names each of its entries once.

A case refers to its records by id (a payout by its id in the calendar, a line by its id in
vouchers and amendments), so two entries of one kind with the same id would make every such
reference a guess. A duplicate is refused: the error names the field path of the second
occurrence, the id, and where the first one is.

Budget years written as keys of a table (``amounts = { 2024 = … }``) are checked the same way:
``"2024"`` and ``"02024"`` are different keys in TOML and JSON but the same year.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from pydantic import BeforeValidator, TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["DUPLICATE", "DistinctYears", "duplicate_error", "known_version", "repeats"]

DUPLICATE = "foerdermittel_duplicate"
"""The pydantic error type of a duplicate id (its context holds the first occurrence)."""


def known_version(version: int, supported: Sequence[int]) -> int:
    """``version`` of a file format if it is one of ``supported``; else pydantic's error.

    Examples:
        >>> known_version(1, (1,))
        1
    """
    if version not in supported:
        raise PydanticCustomError(
            "foerdermittel_schema_version",
            "unbekannte Version des Dateiformats; unterstützt: {supported}",
            {"supported": ", ".join(str(v) for v in supported)},
        )
    return version


def repeats(keys: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Each repeated key as (its index, the index of its first occurrence).

    Examples:
        >>> repeats(["A", "B", "A", "A"])
        [(2, 0), (3, 0)]
    """
    first: dict[Hashable, int] = {}
    out: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if key in first:
            out.append((index, first[key]))
        else:
            first[key] = index
    return out


def duplicate_error(
    title: str,
    checks: Sequence[tuple[str, str, Sequence[str], str]],
    *,
    in_field: bool = False,
) -> ValidationError | None:
    """The error for duplicates in a model's lists, located at each second occurrence.

    Args:
        title: the model's name.
        checks: per list: its field, the key field of its entries, the keys in order, and what
            is duplicated in German (e.g. ``Kennung der Phase doppelt vergeben``).
        in_field: raised by a field validator, whose location already ends in the field.

    Returns:
        ``None`` without duplicates. Raised inside a validator, the error's locations are
        prefixed with the model's own, and ``case_error_from_validation`` names the first
        occurrence by its full path.
    """
    details: list[InitErrorDetails] = []
    for field, key_field, keys, phrase in checks:
        for second, first in repeats(keys):
            details.append(
                InitErrorDetails(
                    type=PydanticCustomError(
                        DUPLICATE,
                        "{phrase} ('{id}'); zuerst bei {first}",
                        {
                            "phrase": phrase,
                            "id": keys[second],
                            "first": f"{field}[{first}].{key_field}",
                            "first_index": first,
                        },
                    ),
                    loc=(second, key_field) if in_field else (field, second, key_field),
                    input=keys[second],
                )
            )
    if not details:
        return None
    return ValidationError.from_exception_data(title, details)


_YEAR: TypeAdapter[int] = TypeAdapter(int)


def _distinct_years(value: Any) -> Any:
    """Refuse two keys that name the same budget year (``"2024"`` and ``"02024"``)."""
    if not isinstance(value, Mapping):
        return value
    years: dict[int, object] = {}
    for key in value:
        try:
            year = _YEAR.validate_python(key)
        except ValidationError:
            continue  # reported by the dictionary's own validation
        if year in years:
            raise PydanticCustomError(
                "foerdermittel_year_twice",
                "Haushaltsjahr {year} doppelt angegeben (als {first} und {second})",
                {"year": year, "first": repr(years[year]), "second": repr(key)},
            )
        years[year] = key
    return value


DistinctYears = BeforeValidator(_distinct_years)
"""Annotate a ``dict[int, …]`` of budget years with it: two keys for one year are refused."""
