"""Modellprojekte Smart Cities (MPSC) — the programme's rules for its three calls.

Federal programme of the BMI (since December 2021 BMWSB), run by KfW as grant product 436.
The calls are data: one TOML file each in ``foerdermittel/rules/data/`` (``mpsc-2019``,
``mpsc-2020``, ``mpsc-2021``), every group of values with its source and the documents they
were read from; see [`foerdermittel.rules.files`][foerdermittel.rules.files]. ``PROGRAMMES``
is read from them on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foerdermittel.rules.model import ProgrammeRules

    PROGRAMMES: tuple[ProgrammeRules, ...]
    """Every shipped MPSC call."""

__all__ = ["PROGRAMMES"]


def __getattr__(name: str) -> Any:
    """``PROGRAMMES``, read from the shipped files on first use (PEP 562)."""
    if name == "PROGRAMMES":
        from foerdermittel.rules.files import shipped_rules

        return tuple(p for p in shipped_rules().programmes if p.id.startswith("mpsc-"))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
