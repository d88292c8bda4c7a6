"""cirq-ionq's run options mapped onto this package's, in one place.

cirq-ionq's ``Service.run``/``create_job`` take ``error_mitigation={"debiasing": ...}``,
``noise={"model": ..., "seed": ...}``, ``compilation={...}``, ``dry_run`` and
``extra_query_params``, plus the service-wide ``job_settings``. :func:`sampler_options` turns
them into the :class:`~cirq_ionq_direct.Sampler` options they mean (``extra_settings``,
``noise_model``, ``noise_seed``, ``dry_run``); the values themselves are checked by the core
(``ionq_direct.options`` and the payload builder), before any network call, the same way
whichever name was used.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ionq_direct import options
from ionq_direct.errors import InvalidInputError

__all__ = ["check_job_settings", "sampler_options"]

#: The cirq-ionq documentation page spells the debiasing key ``debias``; the API ``debiasing``.
_DEBIAS_SPELLINGS = ("debias", "debiasing")
_NOISE_KEYS = frozenset({"model", "seed"})


def _mapping(value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{name} must be a dict, got {type(value).__name__}")
    if any(not isinstance(key, str) for key in value):
        raise InvalidInputError(f"{name} keys must be strings")
    return copy.deepcopy(dict(value))


def check_job_settings(job_settings: object) -> dict[str, Any] | None:
    """A private copy of ``Service(job_settings=...)`` (never mutated by later calls).

    Raises:
        InvalidInputError: not a dict with string keys.
    """
    return None if job_settings is None else _mapping(job_settings, "job_settings")


def _error_mitigation(value: object) -> dict[str, Any]:
    mitigation = _mapping(value, "error_mitigation")
    spelled = [key for key in _DEBIAS_SPELLINGS if key in mitigation]
    if len(spelled) > 1:
        raise InvalidInputError(
            "error_mitigation gives both 'debias' and 'debiasing'; give 'debiasing' once"
        )
    if spelled == ["debias"]:
        mitigation["debiasing"] = mitigation.pop("debias")
    if "debiasing" in mitigation:
        options.check_flag(mitigation["debiasing"], "error_mitigation['debiasing']")
    return mitigation


def _noise(value: object) -> tuple[Any, Any]:
    noise = _mapping(value, "noise")
    unknown = sorted(set(noise) - _NOISE_KEYS)
    if unknown:
        raise InvalidInputError(
            f"noise takes the keys 'model' and 'seed', got {unknown}; e.g. "
            "noise={'model': 'aria-1', 'seed': 1}"
        )
    if "model" not in noise:
        raise InvalidInputError("noise needs a 'model', e.g. noise={'model': 'aria-1'}")
    return noise["model"], noise.get("seed")


def sampler_options(
    *,
    job_settings: Mapping[str, Any] | None = None,
    error_mitigation: Mapping[str, Any] | None = None,
    noise: Mapping[str, Any] | None = None,
    compilation: Mapping[str, Any] | None = None,
    extra_query_params: Mapping[str, Any] | None = None,
    **ours: Any,
) -> dict[str, Any]:
    """The :class:`~cirq_ionq_direct.Sampler` options for cirq-ionq's and our run options.

    Args:
        job_settings: the service-wide ``settings`` (copied, never changed).
        error_mitigation: cirq-ionq's ``settings.error_mitigation`` dict (``debias`` is read
            as ``debiasing``).
        noise: cirq-ionq's ``{"model": ..., "seed": ...}``.
        compilation: cirq-ionq's ``settings.compilation`` dict.
        extra_query_params: accepted only empty: requests carry only fields this package
            checks.
        **ours: this package's own options (``extra_settings``, ``debiasing``,
            ``noise_model``, ...), passed through.

    Raises:
        InvalidInputError: a malformed dict, or the same setting given two ways.
    """
    settings: dict[str, Any] = dict(check_job_settings(job_settings) or {})
    extra = ours.pop("extra_settings", None)
    if extra is not None:
        settings.update(_mapping(extra, "extra_settings"))
    if compilation is not None:
        if "compilation" in (extra or {}):
            raise InvalidInputError(
                "compilation is given both as compilation= and in extra_settings; give it once"
            )
        settings["compilation"] = _mapping(compilation, "compilation")
    if error_mitigation is not None:
        if "error_mitigation" in (extra or {}):
            raise InvalidInputError(
                "error_mitigation is given both as error_mitigation= and in extra_settings; "
                "give it once"
            )
        mitigation = _error_mitigation(error_mitigation)
        if "debiasing" in mitigation and ours.get("debiasing") is not None:
            raise InvalidInputError(
                "debiasing is given both as debiasing= and in error_mitigation; give it once"
            )
        settings["error_mitigation"] = {**settings.get("error_mitigation", {}), **mitigation}
    if noise is not None:
        if ours.get("noise_model") is not None or ours.get("noise_seed") is not None:
            raise InvalidInputError(
                "the noise model is given both as noise= and as noise_model=/noise_seed=; "
                "give it once"
            )
        ours["noise_model"], ours["noise_seed"] = _noise(noise)
    if extra_query_params:
        raise InvalidInputError(
            "extra_query_params is not supported: requests carry only the fields this package "
            f"checks (got {sorted(map(str, extra_query_params))}); use extra_settings= for job "
            "settings"
        )
    if settings:
        ours["extra_settings"] = settings
    return ours
