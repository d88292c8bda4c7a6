"""qiskit-ionq's exception names, as the classes this package raises for the same cases.

Code written for qiskit-ionq catches ``qiskit_ionq.exceptions.X``; with the import changed it
catches ``qiskit_ionq_direct.exceptions.X``, which is (or is a base of) what is raised here:

- ``IonQError``: the base of every error this package and its core raise;
- ``IonQJobError``: a Qiskit ``JobError`` from a job method (bad use, no memory, dry run);
- ``IonQJobFailureError``: the job failed on IonQ (``code`` and ``message`` are IonQ's);
- ``IonQJobStateError``: the job was canceled, so it has no results;
- ``IonQJobTimeoutError``: ``result(timeout=...)`` gave up (a Qiskit ``JobTimeoutError``);
- ``IonQCredentialsError``, ``IonQGateError``, ``IonQMidCircuitMeasurementError``,
  ``IonQBackendError``: bad input refused before any request, all ``InvalidInputError``
  (a ``ValueError``), since this package raises that one type for every input it refuses;
- ``IonQAPIError``, ``IonQClientError``, ``IonQRetriableError``: answers and failures of the
  REST layer (``ionq_direct.APIError``, ``APIConnectionError``).
"""

from __future__ import annotations

from ionq_direct.errors import (
    APIConnectionError,
    APIError,
    GateError,
    InvalidInputError,
    IonQError,
)
from qiskit_ionq_direct.job import (
    IonQJobError,
    IonQJobFailedError,
    IonQJobStateError,
    IonQJobTimeoutError,
)

__all__ = [
    "IonQAPIError",
    "IonQBackendError",
    "IonQClientError",
    "IonQCredentialsError",
    "IonQError",
    "IonQGateError",
    "IonQJobError",
    "IonQJobFailureError",
    "IonQJobStateError",
    "IonQJobTimeoutError",
    "IonQMidCircuitMeasurementError",
    "IonQRetriableError",
    "IonQTranspileLevelWarning",
]

#: The job failed on IonQ.
IonQJobFailureError = IonQJobFailedError
#: An error answer from the API (``status_code``, ``body``, ``request_id``).
IonQAPIError = APIError
#: No answer from the API (connection refused, reset, timeout); retried where safe.
IonQClientError = APIConnectionError
IonQRetriableError = APIConnectionError
#: A missing or malformed API key or URL, refused before any request.
IonQCredentialsError = InvalidInputError
#: A backend option or circuit the backend cannot take, refused before any request.
IonQBackendError = InvalidInputError
#: A gate IonQ cannot run (its name, index and the fix are in the message).
IonQGateError = GateError
#: Mid-circuit measurement refused where the circuit format cannot express it.
IonQMidCircuitMeasurementError = InvalidInputError


class IonQTranspileLevelWarning(UserWarning):
    """Kept for imports only: this package never warns about the optimization level.

    qiskit-ionq warns at every backend construction unless the configured transpile level is 0
    or 1; here every level gives an exact circuit, so there is nothing to warn about.
    """
