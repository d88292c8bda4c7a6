"""The IonQ v0.4 API's limits, written down once (spec digest section 11).

The payload builder, both adapters and the emulator check against these same numbers.
"""

from __future__ import annotations

#: Shots per job or circuit.
MAX_SHOTS = 1_000_000
MIN_DEBIASING_SHOTS = 500
MAX_CIRCUITS_PER_JOB = 5_000
MAX_GATES_PER_JOB = 150_000
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_CONTROLS = 7
#: Largest circuit the ideal simulator accepts.
MAX_SIMULATOR_QUBITS = 29
#: The widest circuit each simulator noise model simulates (``noise.model`` -> qubits); these
#: are every model IonQ's v0.4 schema lists.
NOISE_MODEL_QUBITS = {
    "ideal": 29,
    "harmony": 11,
    "harmony-1": 11,
    "harmony-2": 11,
    "aria-1": 25,
    "aria-2": 25,
    "forte-1": 29,
    "forte-enterprise-1": 29,
}
