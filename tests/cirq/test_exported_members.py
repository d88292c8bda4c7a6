"""The Cirq adapter's public surface, and that its exceptions live in one module."""

from __future__ import annotations

import importlib
import pkgutil
import types

import cirq_ionq_direct

PUBLIC = [
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


def test_all_is_the_intended_surface_and_every_name_resolves() -> None:
    assert sorted(cirq_ionq_direct.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert hasattr(cirq_ionq_direct, name), name
    assert cirq_ionq_direct.Job is cirq_ionq_direct.CirqJob  # cirq-ionq's name for ours


def test_nothing_public_is_left_out_of_all() -> None:
    held = {
        name
        for name, value in vars(cirq_ionq_direct).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", "").startswith("cirq_ionq_direct")
    }
    assert held <= set(PUBLIC)


def test_every_public_exception_lives_in_exceptions() -> None:
    home = importlib.import_module("cirq_ionq_direct.exceptions")
    for info in pkgutil.iter_modules(cirq_ionq_direct.__path__):
        if info.name.startswith("_"):  # private helpers keep their control-flow signals
            continue
        module = importlib.import_module(f"cirq_ionq_direct.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                assert module is home, f"{value.__name__} is defined in {module.__name__}"
