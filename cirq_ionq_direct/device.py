"""``IonQAPIDevice``: a ``cirq.Device`` for IonQ's all-to-all QPUs, as cirq-ionq names it.

An operation is valid when every qubit it acts on belongs to the device (cirq-ionq checks only
that one of them does) and the translator can send its gate: the gates of
:class:`~cirq_ionq_direct.IonQTargetGateset`, and any other gate
:func:`cirq_ionq_direct.to_ionq` lowers exactly.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import cirq
import networkx as nx

from cirq_ionq_direct.gatesets import IonQTargetGateset
from cirq_ionq_direct.translate import to_ionq
from ionq_direct.errors import InvalidInputError

__all__ = ["IonQAPIDevice"]


class IonQAPIDevice(cirq.Device):
    """IonQ's QPUs as a Cirq device: all-to-all connected ``LineQubit``s.

    Args:
        qubits: the number of qubits (``LineQubit(0)`` upwards) or the qubits themselves.
        atol: tolerance of :meth:`decompose_to_device`'s decompositions.
    """

    def __init__(self, qubits: int | Collection[cirq.LineQubit], atol: float = 1e-8) -> None:
        if isinstance(qubits, int):
            self.qubits: frozenset[cirq.LineQubit] = frozenset(cirq.LineQubit.range(qubits))
        else:
            self.qubits = frozenset(qubits)
        self.atol = atol
        self.gateset = IonQTargetGateset(atol=atol)
        graph = nx.complete_graph(sorted(self.qubits))
        self._metadata = cirq.DeviceMetadata(sorted(self.qubits), graph)

    def __repr__(self) -> str:
        return f"cirq_ionq_direct.IonQAPIDevice(qubits={sorted(self.qubits)!r})"

    @property
    def metadata(self) -> cirq.DeviceMetadata:
        """The qubits and their (complete) connectivity graph."""
        return self._metadata

    def validate_operation(self, operation: cirq.Operation) -> None:
        """Raise ``ValueError`` unless the device can run ``operation``."""
        if not isinstance(operation, cirq.GateOperation):
            raise ValueError(f"{operation!r} is not a gate operation")
        outside = [q for q in operation.qubits if q not in self.qubits]
        if outside:
            raise ValueError(f"{operation!r} acts on qubits outside the device: {outside}")
        if operation in self.gateset:
            return
        try:
            to_ionq(cirq.Circuit(operation))
        except InvalidInputError as exc:
            raise ValueError(f"the device cannot run {operation!r}: {exc}") from exc

    def decompose_to_device(self, operation: cirq.Operation) -> Any:
        """``operation`` rewritten into the device's gateset."""
        circuit = cirq.optimize_for_target_gateset(cirq.Circuit(operation), gateset=self.gateset)
        return list(circuit.all_operations())
