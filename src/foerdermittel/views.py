"""Views registered for result types, so that a result can show itself without a renderer.

A result class that derives from [`Viewable`][foerdermittel.views.Viewable] has
``_repr_html_`` (Jupyter asks for it); ``Report.to_frame``, ``Report.plot`` and
``ComparisonTable.render`` ask for their view by kind in the same way. The renderers in
``foerdermittel.export`` register themselves for the types they show, and
``import foerdermittel`` imports that package. So imports point down: a calculator knows this
module only, the export layer knows the calculators.

Registering needs the renderers and the result types imported, which takes a while; so the
export package hands over a function that registers them
([`defer_views`][foerdermittel.views.defer_views]), and it runs when a view is first looked
up — by then the result to show exists, and the import of the package stays light.

Kinds in use: ``html`` (Jupyter), ``text`` (terminal), ``frame`` (pandas), ``plot``
(matplotlib).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from foerdermittel._error_root import FoerdermittelError  # light: views load with the package

__all__ = ["ViewError", "Viewable", "defer_views", "register_view", "render_view", "view_for"]

_VIEWS: dict[tuple[str, type], Callable[..., Any]] = {}
_DEFERRED: list[Callable[[], None]] = []  # registrations not yet begun
_UNFINISHED: list[Callable[[], None]] = []  # not yet begun, or running in some thread
_DEFERRED_LOCK = threading.RLock()


class ViewError(FoerdermittelError, LookupError):
    """No view of that kind is registered for the type (nor for a base class of it)."""


def register_view(kind: str, cls: type, view: Callable[..., Any]) -> None:
    """Register ``view`` as the ``kind`` view of ``cls`` and its subclasses; the last one wins."""
    _VIEWS[(kind, cls)] = view


def defer_views(register: Callable[[], None]) -> None:
    """Have ``register`` called once, before the next view is looked up; it registers views.

    Examples:
        >>> class Note(Viewable):
        ...     text = "Hallo"
        >>> defer_views(lambda: register_view("html", Note, lambda note: f"<p>{note.text}</p>"))
        >>> Note()._repr_html_()
        '<p>Hallo</p>'
    """
    with _DEFERRED_LOCK:
        _DEFERRED.append(register)
        _UNFINISHED.append(register)


def _register_deferred() -> None:
    """Run the deferred registrations, each once.

    A lookup in another thread waits until they are done; a lookup from within a registration
    (same thread) goes on with what is registered so far.
    """
    with _DEFERRED_LOCK:
        while _DEFERRED:
            register = _DEFERRED.pop(0)
            try:
                register()
            except BaseException:
                _DEFERRED.insert(0, register)  # tried again at the next lookup
                raise
            _UNFINISHED.remove(register)


def view_for(kind: str, cls: type) -> Callable[..., Any] | None:
    """The ``kind`` view registered for ``cls`` or the nearest base class; ``None`` without."""
    if _UNFINISHED:
        _register_deferred()
    for klass in cls.__mro__:
        found = _VIEWS.get((kind, klass))
        if found is not None:
            return found
    return None


def render_view(kind: str, obj: object, *args: Any, **kwargs: Any) -> Any:
    """Show ``obj`` through its ``kind`` view, passing ``args`` and ``kwargs`` on.

    Raises:
        ViewError: no ``kind`` view is registered for the type of ``obj``.
    """
    view = view_for(kind, type(obj))
    if view is None:
        raise ViewError(
            f"keine Ansicht {kind!r} für {type(obj).__name__} registriert "
            "(die Ansichten registriert foerdermittel.export beim Import)"
        )
    return view(obj, *args, **kwargs)


class Viewable:
    """Mixin for result types: ``_repr_html_`` through the registered ``html`` view."""

    __slots__ = ()

    def _repr_html_(self) -> str | None:
        view = view_for("html", type(self))
        return None if view is None else str(view(self))
