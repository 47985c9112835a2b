"""Deprecated: this module is now [`foerdermittel.proof`][foerdermittel.proof].

Importing it warns with a ``DeprecationWarning``; its names are those of the new module, and
the module can be called like [`foerdermittel.proof_of_use`][foerdermittel.proof.proof_of_use].
"""

from foerdermittel._moved import moved
from foerdermittel.proof import (
    PROOF_FINDING_CODES as PROOF_FINDING_CODES,
)
from foerdermittel.proof import (
    FormAmounts as FormAmounts,
)
from foerdermittel.proof import (
    FormDecision as FormDecision,
)
from foerdermittel.proof import (
    FormExpenditure as FormExpenditure,
)
from foerdermittel.proof import (
    FormGroup as FormGroup,
)
from foerdermittel.proof import (
    FormHeader as FormHeader,
)
from foerdermittel.proof import (
    FormIncomeRow as FormIncomeRow,
)
from foerdermittel.proof import (
    FormLine as FormLine,
)
from foerdermittel.proof import (
    FormPeriod as FormPeriod,
)
from foerdermittel.proof import (
    FormPhase as FormPhase,
)
from foerdermittel.proof import (
    IncomeRow as IncomeRow,
)
from foerdermittel.proof import (
    InterimProof as InterimProof,
)
from foerdermittel.proof import (
    InterimRow as InterimRow,
)
from foerdermittel.proof import (
    LineResult as LineResult,
)
from foerdermittel.proof import (
    PhaseResult as PhaseResult,
)
from foerdermittel.proof import (
    ProofForm as ProofForm,
)
from foerdermittel.proof import (
    ProofOfUse as ProofOfUse,
)
from foerdermittel.proof import (
    Step as Step,
)
from foerdermittel.proof import (
    VoucherTotals as VoucherTotals,
)
from foerdermittel.proof import (
    proof_kind as proof_kind,
)
from foerdermittel.proof import (
    proof_of_use as proof_of_use,
)
from foerdermittel.proof import (
    voucher_totals as voucher_totals,
)

__all__ = [
    "PROOF_FINDING_CODES",
    "IncomeRow",
    "InterimProof",
    "InterimRow",
    "LineResult",
    "PhaseResult",
    "ProofOfUse",
    "Step",
    "VoucherTotals",
    "proof_of_use",
    "voucher_totals",
]

moved(__name__, "foerdermittel.proof", proof_of_use)
