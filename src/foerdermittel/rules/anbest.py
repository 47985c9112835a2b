"""Editions of the general conditions for federal project grants (ANBest), and the NRW variant.

The editions are data: one TOML file each in ``foerdermittel/rules/data/`` (``anbest-gk-*``,
``anbest-p-*``, ``anbest-g-nrw-2023``), every group of values with its source; see
[`foerdermittel.rules.files`][foerdermittel.rules.files]. ``EDITIONS`` is read from them on
first use.

The version table these values follow is in the project's domain notes (grant law §2.9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foerdermittel.rules.model import Rulebook

    EDITIONS: tuple[Rulebook, ...]
    """Every shipped edition of the general conditions."""

__all__ = ["EDITIONS"]


def __getattr__(name: str) -> Any:
    """``EDITIONS``, read from the shipped files on first use (PEP 562)."""
    if name == "EDITIONS":
        from foerdermittel.rules.files import shipped_rules

        return shipped_rules().editions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
