"""Deprecated: this module is now [`foerdermittel.own_share_plan`][foerdermittel.own_share_plan].

Importing it warns with a ``DeprecationWarning``; its names are those of the new module, and
the module can be called like [`foerdermittel.own_share`][foerdermittel.own_share_plan.own_share].
"""

from foerdermittel._moved import moved
from foerdermittel.own_share_plan import (
    OwnShareMonth as OwnShareMonth,
)
from foerdermittel.own_share_plan import (
    OwnSharePlan as OwnSharePlan,
)
from foerdermittel.own_share_plan import (
    OwnShareYear as OwnShareYear,
)
from foerdermittel.own_share_plan import (
    check_own_share as check_own_share,
)
from foerdermittel.own_share_plan import (
    own_share as own_share,
)

__all__ = ["OwnShareMonth", "OwnSharePlan", "OwnShareYear", "check_own_share", "own_share"]

moved(__name__, "foerdermittel.own_share_plan", own_share)
