"""qiskit_ionq_direct: run Qiskit circuits on IonQ through the v0.4 REST API."""

from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from qiskit_ionq_direct.translate import to_ionq, to_ionq_many

__all__ = ["GPI2Gate", "GPIGate", "MSGate", "ZZGate", "to_ionq", "to_ionq_many"]
