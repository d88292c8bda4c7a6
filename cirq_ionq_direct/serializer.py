"""``Serializer``: a circuit as the ``input`` of an IonQ job, under cirq-ionq's names.

``Serializer().serialize_single_circuit(circuit)`` and ``serialize_many_circuits(circuits)``
return a :class:`SerializedProgram` whose ``input`` is what this package sends as the job's
``input`` (the translation of :func:`cirq_ionq_direct.to_ionq` and the core payload builder),
``metadata`` the measurement layout it stores, and ``settings`` the job settings given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import cirq

from cirq_ionq_direct.exceptions import IonQSerializerMixedGatesetsException
from cirq_ionq_direct.results import LAYOUT_METADATA_KEY, Layout, encode_layouts
from cirq_ionq_direct.translate import to_ionq
from ionq_direct.errors import InvalidInputError
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.payload import build_jobs

__all__ = ["SerializedProgram", "Serializer"]


@dataclass(frozen=True)
class SerializedProgram:
    """A serialized circuit (or batch).

    Attributes:
        input: the job's ``input`` object (``gateset``, ``qubits``, ``circuit`` or
            ``circuits``).
        settings: the job ``settings`` given to the serializer.
        metadata: what this package stores with the job to read its results back.
        error_mitigation: the ``settings.error_mitigation`` given, if any.
    """

    input: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    error_mitigation: dict[str, Any] | None = None


class Serializer:
    """Serializes Cirq circuits into IonQ's JSON circuit format.

    Args:
        atol: accepted for cirq-ionq code; the translation is exact (no tolerance applies).
    """

    def __init__(self, atol: float = 1e-8) -> None:
        self.atol = atol

    def serialize_single_circuit(
        self,
        circuit: cirq.AbstractCircuit,
        job_settings: Mapping[str, Any] | None = None,
        error_mitigation: Mapping[str, Any] | None = None,
    ) -> SerializedProgram:
        """One circuit as a job ``input``.

        Raises:
            InvalidInputError: the circuit cannot be translated.
        """
        return self._serialize([circuit], job_settings, error_mitigation, multi=False)

    def serialize_many_circuits(
        self,
        circuits: Sequence[cirq.AbstractCircuit],
        job_settings: Mapping[str, Any] | None = None,
        error_mitigation: Mapping[str, Any] | None = None,
    ) -> SerializedProgram:
        """Several circuits as one multi-circuit job ``input``.

        Raises:
            IonQSerializerMixedGatesetsException: the circuits mix the qis and native gatesets.
            InvalidInputError: a circuit cannot be translated.
        """
        return self._serialize(list(circuits), job_settings, error_mitigation, multi=True)

    def _serialize(
        self,
        circuits: list[cirq.AbstractCircuit],
        job_settings: Mapping[str, Any] | None,
        error_mitigation: Mapping[str, Any] | None,
        *,
        multi: bool,
    ) -> SerializedProgram:
        if not circuits:
            raise InvalidInputError("no circuits to serialize")
        translated = [to_ionq(circuit) for circuit in circuits]
        if len({c.gateset for c in translated}) > 1:
            raise IonQSerializerMixedGatesetsException(
                "the circuits mix the qis and native gatesets; one job runs one gateset"
            )
        settings = dict(job_settings or {})
        if error_mitigation is not None:
            settings["error_mitigation"] = dict(error_mitigation)
        [prepared] = build_jobs(translated, backend="simulator", multi_circuit=multi)
        body = json.loads(prepared.body)
        metadata = {
            key: value for key, value in body.get("metadata", {}).items() if key != CLIENT_TOKEN_KEY
        }
        metadata[LAYOUT_METADATA_KEY] = encode_layouts([Layout.of(c) for c in translated])
        return SerializedProgram(
            body["input"],
            settings,
            metadata,
            None if error_mitigation is None else dict(error_mitigation),
        )
