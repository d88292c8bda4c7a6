"""qiskit_ionq_direct: run Qiskit circuits on IonQ through the v0.4 REST API."""

from importlib.metadata import version as _version

from qiskit_ionq_direct.backend import IonQBackend
from qiskit_ionq_direct.calibration import Characterization
from qiskit_ionq_direct.constants import ErrorMitigation
from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from qiskit_ionq_direct.job import (
    IonQJob,
    IonQJobError,
    IonQJobFailedError,
    IonQJobStateError,
    IonQJobTimeoutError,
)
from qiskit_ionq_direct.provider import IonQProvider
from qiskit_ionq_direct.result import IonQResult
from qiskit_ionq_direct.session import Session
from qiskit_ionq_direct.translate import to_ionq, to_ionq_many
from qiskit_ionq_direct.transpiler import TrappedIonOptimizerPlugin, add_equivalences
from qiskit_ionq_direct.waiting import wait_for_all

__version__ = _version("ionq-direct")

__all__ = [
    "Characterization",
    "ErrorMitigation",
    "GPI2Gate",
    "GPIGate",
    "IonQBackend",
    "IonQJob",
    "IonQJobError",
    "IonQJobFailedError",
    "IonQJobStateError",
    "IonQJobTimeoutError",
    "IonQProvider",
    "IonQResult",
    "MSGate",
    "Session",
    "TrappedIonOptimizerPlugin",
    "ZZGate",
    "__version__",
    "add_equivalences",
    "to_ionq",
    "to_ionq_many",
    "wait_for_all",
]
