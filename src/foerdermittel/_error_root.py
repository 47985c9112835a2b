"""The root of the library's errors, in a module of its own that imports nothing.

[`FoerdermittelError`][foerdermittel.errors.FoerdermittelError] belongs to
[`foerdermittel.errors`][foerdermittel.errors], which imports pydantic for the findings; the
registry of views ([`foerdermittel.views`][foerdermittel.views]) derives its error from it and
is imported with the package, so the class lives here and ``foerdermittel.errors`` re-exports
it (its ``__module__`` names that module, where it is documented and found).
"""

__all__ = ["FoerdermittelError"]


class FoerdermittelError(Exception):
    """Root of every error this library raises on purpose."""

    __module__ = "foerdermittel.errors"
