"""Translate one parameterised circuit for many sweep points, walking it once.

A sweep runs the same circuit at many parameter values. :class:`SweepTemplate` walks the circuit
once, keeping the IonQ gates of every operation without parameters, and at each point
translates again only the parameterised operations, splicing their gates in. Each point's
circuit is the one :func:`cirq_ionq_direct.to_ionq` gives for that resolver: the parameterised
operations go through the same resolution and handlers, the rest is the same walk. Anything
the template does not cover (an error, a parameterised operation after a measurement, a mix of
gatesets) makes :meth:`SweepTemplate.bind` return ``None``, and the caller translates that
point in full, which gives its circuit or its error exactly as before.
"""

from __future__ import annotations

import gc
import json
from typing import Any

import cirq

from cirq_ionq_direct._decompose import Reject
from cirq_ionq_direct.translate import (
    _HANDLERS,
    INVERTED_BITS_KEY,
    Slot,
    _drop,
    _fallback,
    _layout,
    _qubit_index,
    _resolve,
    _walk,
)
from ionq_direct.circuit import Circuit, CircuitBuilder
from ionq_direct.errors import GateError, InvalidInputError

#: What a failed point raises; the caller then translates that point in full.
_UNBOUND = (InvalidInputError, GateError, Reject, TypeError, ValueError)


class SweepTemplate:
    """A circuit's parameter-free IonQ gates, and the operations to translate at each point.

    Build one with :meth:`of`; :meth:`bind` gives the circuit of one sweep point.
    """

    __slots__ = ("_index", "_map", "_metadata", "_native", "_one", "_qis", "_registers", "_slots")

    def __init__(
        self,
        index: dict[cirq.Qid, int],
        qis: list[dict[str, Any]],
        native: list[dict[str, Any]],
        one: int,
        keys: dict[str, Any],
        slots: list[Slot],
    ) -> None:
        self._index = index
        self._qis = qis
        self._native = native
        self._one = one
        self._slots = slots
        mapping, registers, inverted = _layout(keys)
        self._map = tuple(mapping)
        self._registers = tuple(registers)
        self._metadata = (
            {INVERTED_BITS_KEY: json.dumps(inverted, separators=(",", ":"))} if inverted else {}
        )

    @classmethod
    def of(cls, circuit: cirq.AbstractCircuit) -> SweepTemplate | None:
        """The template of ``circuit`` (default qubit order), or ``None`` if it has none.

        ``None`` means: translate each point in full (the circuit has no parameterised
        operation, or its walk fails without values, which a full translation reports).
        """
        slots: list[Slot] = []
        collecting = gc.isenabled()
        gc.disable()
        try:
            index = _qubit_index(circuit, cirq.QubitOrder.DEFAULT)
            qis, native, one, keys = _walk(circuit, index, None, slots)
        except _UNBOUND:
            return None
        finally:
            if collecting:
                gc.enable()
        if not slots:
            return None
        return cls(index, qis.gates, native.gates, one, keys, slots)

    def bind(self, resolver: cirq.ParamResolver) -> Circuit | None:
        """The circuit at ``resolver``'s values, or ``None`` to translate this point in full."""
        qis: list[dict[str, Any]] = []
        native: list[dict[str, Any]] = []
        qis_done = native_done = 0
        one = self._one
        index = self._index
        step_qis, step_native = CircuitBuilder("qis"), CircuitBuilder("native")
        try:
            for slot in self._slots:
                one += _translate_slot(slot, resolver, index, step_qis, step_native)
                if step_qis.gates:
                    qis.extend(self._qis[qis_done : slot.qis_at])
                    qis.extend(step_qis.gates)
                    qis_done = slot.qis_at
                    step_qis.gates = []
                if step_native.gates:
                    native.extend(self._native[native_done : slot.native_at])
                    native.extend(step_native.gates)
                    native_done = slot.native_at
                    step_native.gates = []
        except _UNBOUND:
            return None
        qis.extend(self._qis[qis_done:])
        native.extend(self._native[native_done:])
        if qis and native:
            return None  # a full translation names the operations that mix the gatesets
        builder = CircuitBuilder("native" if native else "qis")
        builder.gates = native or qis
        return builder.finish(
            len(index),
            one_qubit_gates=one,
            measurement_map=self._map,
            registers=self._registers,
            metadata=dict(self._metadata),
        )


def _translate_slot(
    slot: Slot,
    resolver: cirq.ParamResolver,
    index: dict[cirq.Qid, int],
    qis: CircuitBuilder,
    native: CircuitBuilder,
) -> int:
    """One parameterised operation at one point, as the full walk translates it."""
    op = slot.op
    handler = _HANDLERS.get(type(op.gate))
    if handler is _drop:
        return 0
    if handler is None:
        return _fallback(slot.moment, op, index, qis, native, set(), resolver)
    resolved, handler = _resolve(slot.moment, op, resolver)
    return handler(resolved.gate, resolved.qubits, index, qis, native)
