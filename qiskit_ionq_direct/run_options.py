"""Run options under other names: qiskit-ionq's, and Qiskit's standard ones tools send.

The backend has one set of options (``shots``, ``seed_simulator``, ``extra_settings``, ...,
see :meth:`IonQBackend._default_options`). Everything here only renames onto them, so each
value is checked once, where the option itself is checked (``ionq_direct.options`` and the
payload builder):

- qiskit-ionq's names: ``sampler_seed`` is ``seed_simulator``, ``job_settings`` is
  ``extra_settings``, ``extra_metadata`` is ``metadata``, ``name`` is ``job_name``,
  ``error_mitigation=ErrorMitigation.DEBIASING`` is ``debiasing=True``, and
  ``extra_query_params`` (fields qiskit-ionq merges into the request body) is each field's own
  option;
- Qiskit's standard options: ``meas_level=2`` (classified: IonQ's only kind of result),
  ``meas_return`` with it, ``init_qubits=True`` (IonQ always starts from ``|0...0>``) and
  ``rep_delay=None`` are accepted and change nothing; any other value is refused, naming what
  IonQ does instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ionq_direct.errors import InvalidInputError
from qiskit_ionq_direct.constants import ErrorMitigation

__all__ = ["ALIASES", "QISKIT_STANDARD", "normalize"]

#: qiskit-ionq's option name -> ours.
ALIASES = {
    "sampler_seed": "seed_simulator",
    "job_settings": "extra_settings",
    "extra_metadata": "metadata",
    "name": "job_name",
}
#: Qiskit's standard run options this backend understands (and drops once checked).
QISKIT_STANDARD = ("meas_level", "meas_return", "init_qubits", "rep_delay")
#: Body fields ``extra_query_params`` may carry -> the option that sets each.
_BODY_FIELDS = {
    "name": "job_name",
    "shots": "shots",
    "metadata": "metadata",
    "settings": "extra_settings",
    "dry_run": "dry_run",
    "session_id": "session_id",
}
_CLASSIFIED = 2
_MEAS_RETURNS = ("single", "avg")


def normalize(options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` with every alias renamed to this backend's option, and standard ones checked.

    Unknown names are passed through unchanged (the backend refuses them).

    Raises:
        InvalidInputError: an option given under two names, a bad ``error_mitigation`` or
            ``extra_query_params``, or a Qiskit standard option asking for what IonQ does not do.
    """
    out: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    mitigation: dict[str, Any] = {}
    for key, value in options.items():
        if key in QISKIT_STANDARD:
            _check_standard(key, value, options)
            continue
        if key == "error_mitigation":
            settings = _error_mitigation(value)
            if "debiasing" in settings:
                _put(out, given_as, "debiasing", settings.pop("debiasing"), key)
            mitigation = settings
            continue
        pairs = _body_fields(value) if key == "extra_query_params" else [(key, value, key)]
        for name, setting, label in pairs:
            _put(out, given_as, ALIASES.get(name, name), setting, label)
    if mitigation:
        extra = out.get("extra_settings")
        if extra is not None and not isinstance(extra, Mapping):
            return out  # the settings check names the bad value
        merged = dict(extra or {})
        block = merged.get("error_mitigation")
        merged["error_mitigation"] = {**(block if isinstance(block, Mapping) else {}), **mitigation}
        out["extra_settings"] = merged
    return out


def _put(out: dict[str, Any], given_as: dict[str, str], name: str, value: Any, label: str) -> None:
    if name in given_as and out[name] != value:
        raise InvalidInputError(
            f"{label} sets {name}, which is also given as {given_as[name]}; give it once"
        )
    out[name] = value
    given_as.setdefault(name, label)


def _error_mitigation(value: Any) -> dict[str, Any]:
    """The ``settings.error_mitigation`` entries ``error_mitigation=`` asks for."""
    if value is None:
        return {}
    setting = value.value if isinstance(value, ErrorMitigation) else value
    if not isinstance(setting, Mapping) or not all(isinstance(k, str) for k in setting):
        raise InvalidInputError(
            "error_mitigation must be ErrorMitigation.DEBIASING, ErrorMitigation.NO_DEBIASING "
            f"or a mapping such as {{'debiasing': True}}, got {value!r}"
        )
    return dict(setting)


def _body_fields(value: Any) -> list[tuple[str, Any, str]]:
    """``(option, value, label)`` for each request-body field ``extra_query_params`` holds."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise InvalidInputError(
            f"extra_query_params must be a mapping of job fields, got {type(value).__name__}"
        )
    out: list[tuple[str, Any, str]] = []
    for field, setting in value.items():
        label = f"extra_query_params[{field!r}]"
        if field == "noise":
            if not isinstance(setting, Mapping) or set(setting) - {"model", "seed"}:
                raise InvalidInputError(
                    f"{label} must be a mapping with 'model' and optionally 'seed', got {setting!r}"
                )
            out.append(("noise_model", setting.get("model"), label))
            if "seed" in setting:
                out.append(("noise_seed", setting["seed"], label))
        elif field in _BODY_FIELDS:
            out.append((_BODY_FIELDS[field], setting, label))
        else:
            allowed = ", ".join(sorted([*_BODY_FIELDS, "noise"]))
            raise InvalidInputError(
                f"extra_query_params cannot set {field!r}: the job fields it may set are "
                f"{allowed} (the circuits, type and backend come from run() itself)"
            )
    return out


def _check_standard(key: str, value: Any, options: Mapping[str, Any]) -> None:
    """Accept a Qiskit standard option only where it asks for what IonQ does."""
    if key == "meas_level":
        if value is not None and _as_level(value) != _CLASSIFIED:
            raise InvalidInputError(
                f"meas_level={value!r} is not available: IonQ returns classified results only "
                "(meas_level=2, counts and memory of bits)"
            )
    elif key == "meas_return":
        level = options.get("meas_level")
        named = getattr(value, "value", value)
        if value is not None and named not in _MEAS_RETURNS:
            raise InvalidInputError(f"meas_return must be 'single' or 'avg', got {value!r}")
        if level is not None and _as_level(level) != _CLASSIFIED:
            raise InvalidInputError(f"meas_level={level!r} is not available")
    elif key == "init_qubits":
        if value is not True and value is not None:
            raise InvalidInputError(
                f"init_qubits={value!r} is not available: IonQ prepares every qubit in |0> "
                "before each shot (init_qubits=True)"
            )
    elif key == "rep_delay" and value is not None:
        raise InvalidInputError(
            f"rep_delay={value!r} is not available: IonQ does not let a job set the delay "
            "between shots (drop rep_delay)"
        )


def _as_level(value: Any) -> Any:
    """``meas_level`` as a plain number (Qiskit's ``MeasLevel`` is an ``IntEnum``)."""
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else value
