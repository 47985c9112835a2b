"""Deprecated: this module is now [`foerdermittel.evaluation`][foerdermittel.evaluation].

Importing it warns with a ``DeprecationWarning``; its names are those of the new module, and
the module can be called like [`foerdermittel.evaluate`][foerdermittel.evaluation.evaluate].
"""

from foerdermittel._moved import moved
from foerdermittel.evaluation import (
    evaluate as evaluate,
)

__all__ = ["evaluate"]

moved(__name__, "foerdermittel.evaluation", evaluate)
