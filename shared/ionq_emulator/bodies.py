"""Request bodies as pydantic models of IonQ's OpenAPI schemas, answered with IonQ-shaped 400s.

Each model follows its schema in IonQ's v0.4 OpenAPI document: field names, types, which fields
are required, and ``additionalProperties: false``. A body that does not fit gets one 400 naming
the first offending key in a fixed order — the object itself, then its unknown keys in body
order, then its fields in declared order, depth first — with the message the field's table
gives, so the answers are the ones the emulator's checks always gave.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ionq_emulator import catalog
from ionq_emulator.errors import ApiError, bad_request

Model = TypeVar("Model", bound=BaseModel)
#: IonQ's OpenAPI types the session limits as int32 (larger ones once overflowed the expiry).
_INT32_MAX = 2**31 - 1
#: Where in a body -> the message for any error at or below it (``()`` is the body itself).
Messages = Mapping[tuple[str, ...], str]
_Rank = tuple[tuple[int, int], ...]


class _Strict(BaseModel):
    """JSON types as they are (no ``"1"`` for ``1``, no ``true`` for ``1``), no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True)


class SessionCostLimit(_Strict):
    """``SessionCostLimit``: a spending cap; any fault in it, unknown keys too, is the cap's."""

    unit: str
    value: float = Field(allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _only_unit_and_value(cls, value: object) -> object:
        if isinstance(value, dict) and set(value) - {"unit", "value"}:
            raise ValueError("only unit and value")
        return value


class SessionSettingsRequest(_Strict):
    """``SessionSettingsRequest``: every field optional, none nullable (an explicit null fails)."""

    job_count_limit: int | None = Field(None, ge=1, le=_INT32_MAX)
    duration_limit_min: int | None = Field(None, ge=1, le=_INT32_MAX)
    cost_limit: SessionCostLimit | None = None

    @field_validator("job_count_limit", "duration_limit_min", "cost_limit", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be left out but not null")
        return value


class CreateSessionRequest(_Strict):
    """``CreateSessionRequest``: ``POST /sessions`` (``settings: null`` means no settings)."""

    backend: str
    settings: SessionSettingsRequest | None = None

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value not in catalog.BACKENDS:
            raise ValueError("unknown backend")
        return value


class JobsBulkOperationRequest(BaseModel):
    """``JobsBulkOperationRequest``: ``DELETE /jobs`` and ``PUT /jobs/status/cancel``.

    Unlike the schema, other keys are ignored rather than refused, as the emulator always did.
    """

    model_config = ConfigDict(strict=True)

    ids: list[str]


SESSION_MESSAGES: Messages = {
    (): "The request body must be a JSON object.",
    ("backend",): '"backend" must name a known backend.',
    ("settings",): '"settings" must be an object.',
    ("settings", "job_count_limit"): (
        '"settings.job_count_limit" must be a positive integer (at most 2147483647).'
    ),
    ("settings", "duration_limit_min"): (
        '"settings.duration_limit_min" must be a positive integer (at most 2147483647).'
    ),
    ("settings", "cost_limit"): '"settings.cost_limit" must be {"unit": str, "value": number}.',
}
IDS_MESSAGES: Messages = {(): '"ids" must be a list of job ids.'}


def parse(model: type[Model], body: object, messages: Messages, *, root_key: str) -> Model:
    """Validate a decoded JSON ``body`` as ``model``.

    Args:
        model: the request model.
        body: the decoded body.
        messages: the message for each place in the body (see :data:`Messages`).
        root_key: the key a 400 names when the body itself is wrong.

    Raises:
        ApiError: a 400 naming the first offending key.
    """
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise _first_error(exc, model, body, messages, root_key) from None


def _first_error(
    exc: ValidationError,
    model: type[BaseModel],
    body: object,
    messages: Messages,
    root_key: str,
) -> ApiError:
    first = min(exc.errors(), key=lambda e: _rank(model, body, e["loc"], e["type"]))
    loc = tuple(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        key = ".".join(loc)
        return bad_request(key, f'"{key}" is not allowed.')
    place = max((p for p in messages if loc[: len(p)] == p), key=len)
    return bad_request(".".join(place) or root_key, messages[place])


def _rank(model: type[BaseModel], body: object, loc: tuple[Any, ...], kind: str) -> _Rank:
    """Where an error stands in checking order: object, then unknown keys, then fields."""
    rank: list[tuple[int, int]] = []
    current: type[BaseModel] | None = model
    for depth, part in enumerate(loc):
        keys = list(body) if isinstance(body, dict) else []
        if kind == "extra_forbidden" and depth == len(loc) - 1:
            return (*rank, (1, keys.index(part) if part in keys else len(keys)))
        fields = current.model_fields if current is not None else {}
        names = list(fields)
        rank.append((2, names.index(part) if part in names else len(names)))
        info = fields.get(part) if isinstance(part, str) else None
        current = _model_in(info.annotation) if info is not None else None
        body = body.get(part) if isinstance(body, dict) else None
    return (*rank, (0, 0))


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model a field holds (``Model`` or ``Model | None``), if it holds one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None
