"""Who gives messages their words: the renderer that ``message_types.words`` calls.

[`foerdermittel.messages`][foerdermittel.messages] registers its ``render`` here when it is
imported; the package registers a stand-in at its own import that imports the catalogues on
the first call (which then register themselves). The registry lives apart from
[`foerdermittel.message_types`][foerdermittel.message_types], which imports pydantic, so that
``import foerdermittel`` can name the renderer without importing pydantic or the catalogues.
"""

from collections.abc import Callable
from typing import Any

__all__ = ["register_renderer", "renderer"]

_renderer: list[Callable[[Any, str], str]] = []


def register_renderer(renderer: Callable[[Any, str], str]) -> None:
    """Name the function that gives messages their words (``foerdermittel.messages`` does)."""
    _renderer[:] = [renderer]


def renderer() -> Callable[[Any, str], str]:
    """The function registered last.

    Raises:
        IndexError: none is registered yet (``import foerdermittel`` registers one).
    """
    return _renderer[0]
