"""The core's public surface: what ``ionq_direct`` exports, and which modules are public."""

from __future__ import annotations

import importlib
import pkgutil
import types

import ionq_direct

PUBLIC = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncJob",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "InvalidInputError",
    "IonQError",
    "Job",
    "JobFailedError",
    "JobNotDoneError",
    "JobTimeoutError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "__version__",
]
#: The modules users and the adapters may import; every other core module starts with "_".
PUBLIC_MODULES = {
    "artifacts",
    "async_client",
    "async_jobs",
    "circuit",
    "client",
    "credentials",
    "emulator",
    "errors",
    "gates",
    "jobs",
    "limits",
    "lowering",
    "metadata",
    "native",
    "options",
    "payload",
    "policy",
    "qasm3",
    "records",
    "redaction",
    "results",
    "simulate",
}


def test_all_is_the_intended_surface_and_every_name_resolves() -> None:
    assert sorted(ionq_direct.__all__) == sorted(PUBLIC)
    for name in ionq_direct.__all__:
        assert hasattr(ionq_direct, name), name


def test_nothing_public_is_left_out_of_all() -> None:
    held = {
        name
        for name, value in vars(ionq_direct).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", "").startswith("ionq_direct")
    }
    assert held <= set(PUBLIC)


def test_every_core_module_is_either_public_and_listed_or_private() -> None:
    names = {info.name for info in pkgutil.iter_modules(ionq_direct.__path__)}
    public = {name for name in names if not name.startswith("_")}
    assert public == PUBLIC_MODULES


def test_every_public_exception_lives_in_errors() -> None:
    # Private control-flow signals (a leading underscore) may stay beside the code they steer.
    errors = importlib.import_module("ionq_direct.errors")
    for info in pkgutil.iter_modules(ionq_direct.__path__):
        if info.name == "emulator":  # the re-export loads the web stack; it defines nothing
            continue
        module = importlib.import_module(f"ionq_direct.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and not value.__name__.startswith("_")
                and value.__module__ == module.__name__
            ):
                assert module is errors, f"{value.__name__} is defined in {module.__name__}"
