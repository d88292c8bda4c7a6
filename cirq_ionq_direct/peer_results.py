"""``SimulatorResult`` and ``QPUResult``: one circuit's results in cirq-ionq's shape.

cirq-ionq's ``Job.results()`` returns these (one for a one-circuit job, a list for a batch):
``probabilities()`` or ``counts()`` keyed by big-endian integers (qubit 0, or a key's first
qubit, is the most significant bit), ``repetitions()``, ``num_qubits()``,
``measurement_dict()`` and ``to_cirq_result()``.

Here they keep this package's meaning of results too. ``to_cirq_result()`` without a seed
gives the same records as :meth:`cirq_ionq_direct.CirqJob.cirq_results` (drawn with the seed
stored in the job's metadata, every repetition kept, ``invert_mask`` applied), so a job read back
by id gives equal results. QPU counts are largest-remainder counts that sum to the repetitions
(cirq-ionq's ``round(p * shots)`` can lose shots). The read-only views of a ``cirq.Result``
(``measurements``, ``records``, ``params``, ``data``, ``histogram``,
``multi_measurement_histogram``) work on the objects directly, and a one-circuit job's result
also reads as the one-element list this package's ``results()`` used to return (``[0]`` is the
object itself).

A dynamic circuit's result (an OpenQASM 3 job, which cirq-ionq cannot send) is over the
circuit's classical bits instead of its qubits: ``probabilities()``/``counts()`` without a key
are keyed by the big-endian value of every program bit (the first measurement's bit most
significant), and with a key by that key's bits, every measurement of it in order; its
``to_cirq_result()`` has one instance per measurement of a key, as ``cirq.Simulator`` does.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import cirq
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cirq_ionq_direct.results import Layout
from ionq_direct import options, results
from ionq_direct.errors import InvalidInputError

__all__ = ["QPUResult", "SimulatorResult", "from_job", "seed_of"]


def _layout_of(measurement_dict: Mapping[str, Sequence[int]], num_qubits: int) -> Layout:
    """The layout of cirq-ionq's ``measurement_dict`` (key -> qubit indices)."""
    registers = tuple((str(key), len(qubits)) for key, qubits in measurement_dict.items())
    mapping = tuple(int(q) for qubits in measurement_dict.values() for q in qubits)
    if any(not 0 <= q < num_qubits for q in mapping):
        raise InvalidInputError(
            f"measurement_dict names qubits outside 0..{num_qubits - 1}: {dict(measurement_dict)}"
        )
    return Layout(registers, mapping, (), num_qubits)


def _from_big_endian(values: Iterable[int], num_qubits: int) -> NDArray[Any]:
    """IonQ outcomes (bit ``q`` is qubit ``q``) of big-endian values over ``num_qubits``."""
    out = []
    for value in values:
        if not 0 <= int(value) < 2**num_qubits:
            raise InvalidInputError(f"outcome {value} does not fit in {num_qubits} qubits")
        bits = format(int(value), f"0{num_qubits}b") if num_qubits else ""
        out.append(int(bits[::-1], 2) if bits else 0)
    return np.array(out, dtype=np.int64) if out else np.zeros(0, dtype=np.int64)


def seed_of(seed: cirq.RANDOM_STATE_OR_SEED_LIKE) -> int | None:
    """An int seed from an int, a ``numpy`` random state or generator, or ``None``.

    Raises:
        InvalidInputError: a negative int, or something else (the core's seed check).
    """
    if seed is None:
        return None
    if isinstance(seed, np.random.RandomState):
        return int(seed.randint(0, 2**31 - 1))
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    return options.check_seed(seed)


class _IonQResult:
    """What both result kinds share: the distribution, its layout and how to draw records."""

    def __init__(
        self,
        outcomes: NDArray[Any],
        weights: NDArray[np.float64],
        layout: Layout,
        repetitions: int,
        *,
        exact: bool,
        seed: int | None,
        params: cirq.ParamResolver | None,
    ) -> None:
        self._outcomes = outcomes
        self._weights = weights
        self._layout = layout
        self._repetitions = options.check_shots(repetitions, "repetitions")
        self._exact = exact
        self._seed = seed
        self._params = params or cirq.ParamResolver({})
        self._cached: cirq.ResultDict | None = None

    # cirq-ionq's accessors ----------------------------------------------------------------

    def num_qubits(self) -> int:
        """The number of qubits of the circuit."""
        return self._layout.width

    def repetitions(self) -> int:
        """The number of repetitions (shots) of the circuit."""
        return self._repetitions

    def measurement_dict(self) -> dict[str, list[int]]:
        """Each measurement key's qubit indices, in the order given to ``cirq.measure``."""
        return self._layout.measurement_dict

    def _keyed(self, key: str | None) -> NDArray[Any]:
        """Each outcome as a big-endian value: over every qubit, or over ``key``'s bits."""
        qubits: Sequence[int] = range(self._layout.outcome_bits)
        flips: Sequence[int] = ()
        if key is not None:
            qubits, flips = self._layout.columns(key)
        width = len(qubits)
        if not width:
            return np.zeros(len(self._outcomes), dtype=np.int64)
        kind: type = np.int64 if width < 63 else object
        bits: NDArray[Any] = results.qubit_bits(self._outcomes, qubits).astype(kind)
        if flips:
            bits[:, list(flips)] ^= 1
        weights: NDArray[Any] = np.array([1 << (width - 1 - j) for j in range(width)], dtype=kind)
        keyed: NDArray[Any] = bits @ weights
        return keyed

    def to_cirq_result(
        self,
        params: cirq.ParamResolver | None = None,
        seed: cirq.RANDOM_STATE_OR_SEED_LIKE = None,
        override_repetitions: int | None = None,
    ) -> cirq.ResultDict:
        """The records as a ``cirq.Result``.

        Args:
            params: the resolver to attach (default: the one the circuit was run with).
            seed: draw the records with this seed; by default the job's stored seed, so the
                records equal those of ``CirqJob.cirq_results()`` (and of a later read by id).
            override_repetitions: draw this many records instead of ``repetitions()``.
        """
        repetitions = (
            self._repetitions
            if override_repetitions is None
            else options.check_shots(override_repetitions, "override_repetitions")
        )
        default = seed is None and override_repetitions is None
        if default and self._cached is not None and params is None:
            return self._cached
        drawn = self._layout.to_result(
            (self._outcomes, self._weights),
            repetitions,
            exact=self._exact,
            seed=self._seed if seed is None else seed_of(seed),
            params=self._params if params is None else cirq.ParamResolver(params),
        )
        if default and params is None and self._seed is not None:
            self._cached = drawn
        return drawn

    # The read-only views of a cirq.Result ----------------------------------------------

    @property
    def params(self) -> cirq.ParamResolver:
        """The resolver the circuit was run with."""
        return self._params

    @property
    def records(self) -> Mapping[str, NDArray[Any]]:
        """``cirq.Result.records`` of :meth:`to_cirq_result`."""
        return self.to_cirq_result().records

    @property
    def measurements(self) -> Mapping[str, NDArray[Any]]:
        """``cirq.Result.measurements`` of :meth:`to_cirq_result`."""
        return self.to_cirq_result().measurements

    @property
    def data(self) -> pd.DataFrame:
        """``cirq.Result.data`` of :meth:`to_cirq_result`."""
        return self.to_cirq_result().data

    def histogram(self, *, key: str, fold_func: Any = None) -> collections.Counter[Any]:
        """``cirq.Result.histogram`` of :meth:`to_cirq_result`."""
        result = self.to_cirq_result()
        if fold_func is None:
            return result.histogram(key=key)
        return result.histogram(key=key, fold_func=fold_func)

    def multi_measurement_histogram(
        self, *, keys: Iterable[str], fold_func: Any = None
    ) -> collections.Counter[Any]:
        """``cirq.Result.multi_measurement_histogram`` of :meth:`to_cirq_result`."""
        result = self.to_cirq_result()
        if fold_func is None:
            return result.multi_measurement_histogram(keys=keys)
        return result.multi_measurement_histogram(keys=keys, fold_func=fold_func)

    # Python protocols -------------------------------------------------------------------

    def __len__(self) -> int:
        return 1

    def __getitem__(self, index: int) -> _IonQResult:
        # A one-circuit job's results() is this one object (cirq-ionq's shape); this
        # package's earlier results() was a one-element list, so [0] still reads it.
        if index in (0, -1):
            return self
        raise IndexError(f"a one-circuit result has only index 0, got {index!r}")

    def __iter__(self) -> Iterator[_IonQResult]:
        return iter((self,))

    def _key(self) -> tuple[Any, ...]:
        return (
            type(self),
            self._repetitions,
            self._layout,
            self._exact,
            tuple(self._outcomes.tolist()),
            tuple(self._weights.tolist()),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _IonQResult) and other._key() == self._key()

    __hash__ = None  # type: ignore[assignment]


class SimulatorResult(_IonQResult):
    """A simulator's result: the outcome probabilities and the repetitions asked for.

    Args:
        probabilities: probability per outcome, keyed by the big-endian integer over all
            qubits (qubit 0 is the most significant bit), as cirq-ionq keys them.
        num_qubits: the circuit's width.
        measurement_dict: each measurement key's qubit indices.
        repetitions: how many records :meth:`to_cirq_result` draws.
    """

    def __init__(
        self,
        probabilities: Mapping[int, float],
        num_qubits: int,
        measurement_dict: Mapping[str, Sequence[int]],
        repetitions: int,
    ) -> None:
        layout = _layout_of(measurement_dict, num_qubits)
        outcomes = _from_big_endian(probabilities.keys(), num_qubits)
        weights = np.array([float(p) for p in probabilities.values()], dtype=np.float64)
        order = np.argsort(outcomes, kind="stable")
        super().__init__(
            outcomes[order], weights[order], layout, repetitions, exact=True, seed=None, params=None
        )

    def __repr__(self) -> str:
        return (
            f"cirq_ionq_direct.SimulatorResult(probabilities={self.probabilities()!r}, "
            f"num_qubits={self.num_qubits()}, measurement_dict={self.measurement_dict()!r}, "
            f"repetitions={self.repetitions()})"
        )

    def probabilities(self, key: str | None = None) -> dict[int, float]:
        """Probability per outcome: over all qubits (big-endian), or over ``key``'s bits.

        With ``key`` the bits follow the key's qubits (the first is the most significant) and
        its ``invert_mask`` is applied; outcomes of equal value are summed.
        """
        found: dict[int, float] = {}
        for value, p in zip(self._keyed(key).tolist(), self._weights.tolist(), strict=True):
            found[int(value)] = found.get(int(value), 0.0) + p
        return found


class QPUResult(_IonQResult):
    """A QPU's result: counts per outcome that sum to the repetitions.

    Args:
        counts: count per outcome, keyed by the big-endian integer over all qubits (qubit 0
            is the most significant bit), as cirq-ionq keys them.
        num_qubits: the circuit's width.
        measurement_dict: each measurement key's qubit indices.
    """

    def __init__(
        self,
        counts: Mapping[int, int],
        num_qubits: int,
        measurement_dict: Mapping[str, Sequence[int]],
    ) -> None:
        layout = _layout_of(measurement_dict, num_qubits)
        outcomes = _from_big_endian(counts.keys(), num_qubits)
        tally = np.array([options.check_shots(c, "count") for c in counts.values()], dtype=float)
        total = int(tally.sum())
        order = np.argsort(outcomes, kind="stable")
        super().__init__(
            outcomes[order],
            tally[order] / total,
            layout,
            total,
            exact=False,
            seed=None,
            params=None,
        )

    def __repr__(self) -> str:
        return (
            f"cirq_ionq_direct.QPUResult(counts={dict(self.counts())!r}, "
            f"num_qubits={self.num_qubits()}, measurement_dict={self.measurement_dict()!r})"
        )

    def counts(self, key: str | None = None) -> collections.Counter[int]:
        """Count per outcome: over all qubits (big-endian), or over ``key``'s bits.

        With ``key`` the bits follow the key's qubits (the first is the most significant) and
        its ``invert_mask`` is applied. The counts sum to :meth:`repetitions`.
        """
        tally = results.largest_remainder_counts(self._weights, self._repetitions)
        keyed = self._keyed(key)
        found: collections.Counter[int] = collections.Counter()
        for value, count in zip(keyed.tolist(), tally.tolist(), strict=True):
            if count:
                found[int(value)] += int(count)
        return found

    def ordered_results(self, key: str | None = None) -> list[int]:
        """One value per repetition, sorted by value (as cirq-ionq lists them)."""
        return sorted(self.counts(key).elements())


def from_job(
    distribution: tuple[NDArray[Any], NDArray[np.float64]],
    layout: Layout,
    repetitions: int,
    *,
    simulator: bool,
    exact: bool,
    seed: int | None,
    params: cirq.ParamResolver | None,
    records: cirq.ResultDict | None = None,
) -> SimulatorResult | QPUResult:
    """One circuit's result of a job: a :class:`SimulatorResult` on a simulator, else QPU.

    Args:
        distribution: ``(outcomes, probabilities)`` as ``ionq_direct.Job`` gives them.
        layout: the circuit's layout.
        repetitions: records per circuit.
        simulator: whether the job ran on a simulator.
        exact: whether the distribution is an ideal simulator's exact one.
        seed: the circuit's sampling seed (derived from the job's stored seed).
        params: the resolver the circuit was run with.
        records: the records ``to_cirq_result()`` gives by default, when they were read
            already (a dynamic circuit's recorded shots); else drawn from ``distribution``.
    """
    kind: type[SimulatorResult | QPUResult] = SimulatorResult if simulator else QPUResult
    made = kind.__new__(kind)
    outcomes, weights = distribution
    _IonQResult.__init__(
        made,
        np.asarray(outcomes),
        np.asarray(weights, dtype=np.float64),
        layout,
        repetitions,
        exact=exact,
        seed=seed,
        params=params,
    )
    made._cached = records
    return made
