"""qiskit_ionq_direct: run Qiskit circuits on IonQ through the v0.4 REST API."""

from qiskit_ionq_direct.backend import IonQBackend
from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from qiskit_ionq_direct.job import (
    IonQJob,
    IonQJobError,
    IonQJobFailedError,
    IonQJobTimeoutError,
)
from qiskit_ionq_direct.provider import IonQProvider
from qiskit_ionq_direct.translate import to_ionq, to_ionq_many
from qiskit_ionq_direct.transpiler import add_equivalences
from qiskit_ionq_direct.waiting import wait_for_all

__all__ = [
    "GPI2Gate",
    "GPIGate",
    "IonQBackend",
    "IonQJob",
    "IonQJobError",
    "IonQJobFailedError",
    "IonQJobTimeoutError",
    "IonQProvider",
    "MSGate",
    "ZZGate",
    "add_equivalences",
    "to_ionq",
    "to_ionq_many",
    "wait_for_all",
]
