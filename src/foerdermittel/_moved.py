"""What moved or is deprecated: old module paths, and a warning for deprecated names.

[`deprecated`][foerdermittel._moved.deprecated] warns once per call site that a name is
deprecated and names what to use instead (the German labels of enums and results gave way to
the message catalogues).

Four modules carried the names of the functions the package exports (``foerdermittel.forecast``
was a module and, after ``import foerdermittel``, the function ``forecast``), so
``import foerdermittel.forecast as fc`` gave the function, and importing the module replaced
the function on the package. They are now named for what they hold (``forecasting``,
``own_share_plan``, ``proof``, ``evaluation``). The old paths stay importable for a while: each
is a small module that re-exports the new one's names, warns once with a
``DeprecationWarning`` naming the new path, and can be called like the function it used to be
confused with — so ``foerdermittel.forecast(case, as_of)`` works even after someone imported
the old module path.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from enum import StrEnum
from types import ModuleType
from typing import Any

from foerdermittel.message_types import Message, words

__all__ = ["deprecated", "german_label", "moved"]


def deprecated(what: str, instead: str, *, stacklevel: int = 3) -> None:
    """Warn that ``what`` is deprecated, naming what to use ``instead`` (for the caller's line)."""
    warnings.warn(
        f"{what} ist veraltet; stattdessen {instead}", DeprecationWarning, stacklevel=stacklevel
    )


def german_label(member: StrEnum, key: str) -> str:
    """The deprecated ``.german`` of an enum: warn, then the catalogue's ``<key>.<value>``.

    Examples:
        >>> import warnings
        >>> from foerdermittel.errors import Severity
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     german_label(Severity.WARNING, "severity")
        'Warnung'
    """
    deprecated(f"{type(member).__name__}.german", f'Message.of("{key}.<Wert>")', stacklevel=4)
    return words(Message.of(f"{key}.{member.value}"))


class _CallableModule(ModuleType):
    """A module that calls its ``_function`` when called (the old path of a moved module)."""

    _function: Callable[..., Any]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._function(*args, **kwargs)


def moved(old: str, new: str, function: Callable[..., Any]) -> None:
    """Mark module ``old`` as moved to ``new``: warn, and let the module call ``function``."""
    warnings.warn(
        f"das Modul {old} heißt jetzt {new}; bitte von dort importieren "
        f"(die Funktion bleibt foerdermittel.{function.__name__})",
        DeprecationWarning,
        stacklevel=3,
    )
    module = sys.modules[old]
    module.__class__ = _CallableModule
    module._function = function  # type: ignore[attr-defined]
