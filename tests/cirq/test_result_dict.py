"""Our ResultDict: Cirq's histograms, counted with numpy, and Cirq's class in every other way."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import cirq
import numpy as np
import pytest

from cirq_ionq_direct import Sampler
from cirq_ionq_direct.result_dict import ResultDict
from ionq_direct import Client
from ionq_direct.emulator import Emulator


def _records(rng: np.random.Generator, reps: int, width: int, distinct: int) -> np.ndarray:
    """``reps`` rows drawn from ``distinct`` random bit rows (so values repeat and tie)."""
    rows = rng.integers(0, 2, size=(max(distinct, 1), width), dtype=np.int8)
    return rows[rng.integers(0, len(rows), size=reps)].reshape(reps, 1, width)


def _pair(records: dict[str, np.ndarray]) -> tuple[ResultDict, cirq.ResultDict]:
    params = cirq.ParamResolver({"t": 0.5})
    return ResultDict(params=params, records=records), cirq.ResultDict(
        params=params, records=records
    )


@pytest.mark.parametrize("width", [1, 2, 3, 8, 20, 62, 63, 70])
@pytest.mark.parametrize("reps", [0, 1, 7, 1000])
def test_histogram_is_cirqs_counter_in_cirqs_order(width: int, reps: int) -> None:
    rng = np.random.default_rng(width * 1000 + reps)
    for distinct in (1, 3, 40):
        ours, theirs = _pair({"m": _records(rng, reps, width, distinct)})
        mine, cirqs = ours.histogram(key="m"), theirs.histogram(key="m")
        assert list(mine.items()) == list(cirqs.items())
        assert repr(mine) == repr(cirqs)
        assert all(type(value) is int for value in mine)


def test_keys_folds_and_digits_other_than_bits_are_cirqs() -> None:
    rng = np.random.default_rng(7)
    records = {
        "a": _records(rng, 300, 4, 5),
        "b": _records(rng, 300, 2, 3),
        "q": rng.integers(0, 3, size=(300, 1, 3), dtype=np.int8),  # qutrit digits
    }
    ours, theirs = _pair(records)
    assert _outcome(ours, cirq.MeasurementKey("a")) == _outcome(theirs, cirq.MeasurementKey("a"))
    assert ours.histogram(key="q") == theirs.histogram(key="q")
    assert ours.histogram(key="q", fold_base=3) == theirs.histogram(key="q", fold_base=3)
    assert ours.histogram(key="a", fold_func=tuple) == theirs.histogram(key="a", fold_func=tuple)
    both = ours.multi_measurement_histogram(keys=["a", "b"])
    assert both == theirs.multi_measurement_histogram(keys=["a", "b"])
    with pytest.raises(KeyError):
        ours.histogram(key="missing")


def _outcome(result: cirq.ResultDict, key: object) -> object:
    """What ``histogram(key=key)`` gives: its items in order, or the type of its error."""
    try:
        return list(result.histogram(key=key).items())  # type: ignore[arg-type]
    except Exception as exc:
        return type(exc)


def test_a_key_measured_more_than_once_fails_as_in_cirq() -> None:
    records = {"m": np.array([[[0, 1], [1, 1]], [[1, 0], [0, 0]]], dtype=np.int8)}
    ours, theirs = _pair(records)
    assert _outcome(ours, "m") is _outcome(theirs, "m") is ValueError


def test_it_is_a_cirq_result_dict_to_equality_repr_json_and_pickle() -> None:
    ours, theirs = _pair({"m": _records(np.random.default_rng(3), 50, 3, 4)})
    assert isinstance(ours, cirq.ResultDict)
    assert ours == theirs and repr(ours) == repr(theirs) and str(ours) == str(theirs)
    text = cirq.to_json(ours)
    assert text == cirq.to_json(theirs)
    back = cirq.read_json(json_text=text)
    assert type(back) is cirq.ResultDict and back == ours
    assert pickle.loads(pickle.dumps(ours)) == ours
    assert ours + theirs == theirs + theirs


@pytest.fixture(scope="module")
def sampler() -> Iterator[Sampler]:
    with Emulator() as emu, Client(emu.api_key, emu.url) as client:
        yield Sampler(client, seed=5)


def test_the_sampler_returns_it(sampler: Sampler) -> None:
    q = cirq.LineQubit.range(3)
    circuit = cirq.Circuit(
        cirq.H.on_each(*q), cirq.CNOT(q[0], q[2]), cirq.measure(*q, key="m", invert_mask=(1,))
    )
    result = sampler.run(circuit, repetitions=500)
    assert type(result) is ResultDict
    plain = cirq.ResultDict(params=result.params, records=result.records)
    assert list(result.histogram(key="m").items()) == list(plain.histogram(key="m").items())
