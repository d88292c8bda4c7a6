"""cirq_ionq_direct: run Cirq circuits on IonQ through the v0.4 REST API.

Code written for cirq-ionq runs after changing its import: cirq-ionq's names (``Service``,
``Sampler``, ``Job``, ``SimulatorResult``, ``QPUResult``, ``Calibration``, ``IonQAPIDevice``,
``Serializer``, the exceptions, the gates and gatesets) are exported here with the same meaning.
Importing the package registers its JSON resolver with Cirq, so ``cirq.read_json`` reads the
native gates back without extra arguments.
"""

from importlib.metadata import version as _version

import cirq as _cirq

from cirq_ionq_direct.calibration import Calibration
from cirq_ionq_direct.device import IonQAPIDevice
from cirq_ionq_direct.exceptions import (
    IonQException,
    IonQNotFoundException,
    IonQSerializerMixedGatesetsException,
    IonQUnsuccessfulJobException,
    MissingAPIKeyError,
)
from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate, json_resolver
from cirq_ionq_direct.gatesets import (
    AriaNativeGateset,
    ForteNativeGateset,
    IonQTargetGateset,
    decompose_all_to_all_connect_ccz_gate,
)
from cirq_ionq_direct.job import CirqJob
from cirq_ionq_direct.peer_results import QPUResult, SimulatorResult
from cirq_ionq_direct.sampler import Sampler
from cirq_ionq_direct.serializer import SerializedProgram, Serializer
from cirq_ionq_direct.service import Service
from cirq_ionq_direct.translate import INVERTED_BITS_KEY, inverted_bits, to_ionq

__version__ = _version("ionq-direct")

#: cirq-ionq's name for a job handle.
Job = CirqJob

if json_resolver not in _cirq.DEFAULT_RESOLVERS:
    _cirq.DEFAULT_RESOLVERS.append(json_resolver)

__all__ = [
    "INVERTED_BITS_KEY",
    "AriaNativeGateset",
    "Calibration",
    "CirqJob",
    "ForteNativeGateset",
    "GPI2Gate",
    "GPIGate",
    "IonQAPIDevice",
    "IonQException",
    "IonQNotFoundException",
    "IonQSerializerMixedGatesetsException",
    "IonQTargetGateset",
    "IonQUnsuccessfulJobException",
    "Job",
    "MSGate",
    "MissingAPIKeyError",
    "QPUResult",
    "Sampler",
    "SerializedProgram",
    "Serializer",
    "Service",
    "SimulatorResult",
    "ZZGate",
    "__version__",
    "decompose_all_to_all_connect_ccz_gate",
    "inverted_bits",
    "json_resolver",
    "to_ionq",
]
