"""Named run-option values qiskit-ionq code uses, with the meaning they have there.

``ErrorMitigation.DEBIASING`` and ``ErrorMitigation.NO_DEBIASING`` are the values of the
``error_mitigation=`` run option; they set IonQ's ``settings.error_mitigation.debiasing``, which
this package's own ``debiasing=True``/``False`` option also sets.
"""

from __future__ import annotations

import enum

__all__ = ["ErrorMitigation"]


class ErrorMitigation(enum.Enum):
    """IonQ's error-mitigation settings as one run-option value (qiskit-ionq's names).

    Each member's value is the ``settings.error_mitigation`` object it sends.
    """

    DEBIASING = {"debiasing": True}
    NO_DEBIASING = {"debiasing": False}
