"""cirq_ionq_direct: run Cirq circuits on IonQ through the v0.4 REST API."""

from importlib.metadata import version as _version

from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate, json_resolver
from cirq_ionq_direct.gatesets import AriaNativeGateset, ForteNativeGateset, IonQTargetGateset
from cirq_ionq_direct.job import CirqJob
from cirq_ionq_direct.sampler import Sampler
from cirq_ionq_direct.service import Service
from cirq_ionq_direct.translate import INVERTED_BITS_KEY, inverted_bits, to_ionq

__version__ = _version("ionq-direct")

__all__ = [
    "INVERTED_BITS_KEY",
    "AriaNativeGateset",
    "CirqJob",
    "ForteNativeGateset",
    "GPI2Gate",
    "GPIGate",
    "IonQTargetGateset",
    "MSGate",
    "Sampler",
    "Service",
    "ZZGate",
    "__version__",
    "inverted_bits",
    "json_resolver",
    "to_ionq",
]
