"""Turn validated circuits into ``POST /jobs`` request bodies, split at the API's batch limits.

One circuit becomes an ``ionq.circuit.v1`` job; several become ``ionq.multi-circuit.v1`` jobs,
as few as fit within the circuit, gate and body-size limits, in input order. OpenQASM 3 programs
(dynamic circuits) become ``ionq.qasm3.v1`` jobs, one per program (:func:`build_qasm3_jobs`).
Every option is checked before anything is serialised. Each body carries a fresh client token in
its metadata so that a retried submission can be recognised.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ionq_direct import _json
from ionq_direct.circuit import Circuit, check_metadata, check_name
from ionq_direct.errors import InvalidInputError
from ionq_direct.limits import (
    MAX_BODY_BYTES,
    MAX_CIRCUITS_PER_JOB,
    MAX_GATES_PER_JOB,
    MIN_DEBIASING_SHOTS,
)
from ionq_direct.metadata import CLIENT_TOKEN_KEY, RESERVED_KEYS, check_reserved
from ionq_direct.options import check_flag, check_noise, check_shots
from ionq_direct.qasm3 import QASM3_TYPE, DynamicCircuit, check_program
from ionq_direct.records import CIRCUIT_TYPE, MULTI_CIRCUIT_TYPE, is_simulator

SINGLE_CIRCUIT = CIRCUIT_TYPE
MULTI_CIRCUIT = MULTI_CIRCUIT_TYPE
QASM3 = QASM3_TYPE
#: The compilation service version IonQ's OpenQASM 3 jobs need to answer with register-named
#: (v2) results; pinned in ``settings.compilation.service_version`` unless the caller sets one.
QASM3_SERVICE_VERSION = "v0.4"

_TOKEN_LENGTH = len(uuid.uuid4().hex)


@dataclass(frozen=True)
class PreparedJob:
    """One ready-to-send job.

    Attributes:
        body: the JSON request body for ``POST /jobs``.
        client_token: the job's idempotency token, also in the body as
            ``metadata[CLIENT_TOKEN_KEY]``; ``Client.submit(prepared)`` takes it from here,
            so the body is never searched for it.
        circuits: which of the input circuits this job carries, in order.
        type: ``"ionq.circuit.v1"``, ``"ionq.multi-circuit.v1"`` or ``"ionq.qasm3.v1"``.
    """

    body: bytes
    client_token: str
    circuits: range
    type: str


def _dumps(value: object) -> bytes:
    # Bodies are built from trees we validated (numbers finite), so the fast encoder is safe.
    return _json.dumps(value)


def _check_settings(
    extra_settings: Mapping[str, Any] | None,
    debiasing: bool | None,
    *,
    backend: str,
    shots: int | None,
) -> dict[str, Any] | None:
    settings: dict[str, Any] = {}
    if extra_settings is not None:
        if not isinstance(extra_settings, Mapping):
            raise InvalidInputError(
                f"extra_settings must be a mapping, got {type(extra_settings).__name__}"
            )
        try:
            # A JSON round trip both checks the values and gives a private deep copy.
            settings = json.loads(json.dumps(dict(extra_settings), allow_nan=False))
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"extra_settings must hold JSON values only (strings, numbers, booleans, lists, "
                f"mappings): {exc}"
            ) from None
        if any(not isinstance(key, str) for key in extra_settings):
            raise InvalidInputError("extra_settings keys must be strings")
    mitigation = settings.get("error_mitigation")
    if mitigation is not None and not isinstance(mitigation, dict):
        raise InvalidInputError(
            f"extra_settings['error_mitigation'] must be a mapping, got {mitigation!r}"
        )
    if debiasing is not None:
        if mitigation is not None and "debiasing" in mitigation:
            raise InvalidInputError(
                "debiasing is given both as debiasing= and in "
                "extra_settings['error_mitigation']; give it once"
            )
        mitigation = settings.setdefault("error_mitigation", {})
        mitigation["debiasing"] = debiasing
    effective = mitigation.get("debiasing") if mitigation else None
    if effective is not None and effective is not False:
        if is_simulator(backend):
            raise InvalidInputError(
                f"debiasing is not available on the {backend!r} backend; drop debiasing= or "
                "choose a QPU backend"
            )
        if shots is None or shots < MIN_DEBIASING_SHOTS:
            got = "the default of 100" if shots is None else shots
            raise InvalidInputError(
                f"debiasing needs at least {MIN_DEBIASING_SHOTS} shots, got {got}; pass "
                f"shots>={MIN_DEBIASING_SHOTS} or debiasing=False"
            )
    return settings or None


def _envelope(
    *,
    backend: str,
    shots: int | None,
    name: str | None,
    metadata: Mapping[str, str] | None,
    noise_model: str | None,
    noise_seed: int | None,
    debiasing: bool | None,
    dry_run: bool | None,
    session_id: str | None,
    extra_settings: Mapping[str, Any] | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check every option; return the job fields other than type/metadata/input, and metadata."""
    if not isinstance(backend, str) or not backend.strip():
        raise InvalidInputError(
            f"backend must be a non-empty string such as 'simulator' or 'qpu.forte-1', "
            f"got {backend!r}"
        )
    fields: dict[str, Any] = {"backend": backend}
    if shots is not None:
        shots = fields["shots"] = check_shots(shots)
    if name is not None:
        fields["name"] = check_name(name, "job name")
    user_metadata = {} if metadata is None else check_metadata(metadata, "metadata")
    check_reserved(user_metadata, "metadata", _TOKEN_ONLY)
    noise = check_noise(backend, noise_model, noise_seed)
    if noise is not None:
        fields["noise"] = noise
    settings = _check_settings(
        extra_settings, check_flag(debiasing, "debiasing"), backend=backend, shots=shots
    )
    if settings is not None:
        fields["settings"] = settings
    if check_flag(dry_run, "dry_run") is not None:
        fields["dry_run"] = dry_run
    if session_id is not None:
        if not isinstance(session_id, str) or not session_id:
            raise InvalidInputError(f"session_id must be a non-empty string, got {session_id!r}")
        fields["session_id"] = session_id
    return fields, user_metadata


@dataclass(frozen=True)
class JobPart:
    """One job of a batch, as the ``part_metadata`` function of :func:`build_jobs` sees it.

    Attributes:
        number: the job's position among the batch's jobs (0 for the first).
        circuits: which of the input circuits it carries.
    """

    number: int
    circuits: range


#: Gives a job's own metadata entries (seed, result layouts, ...) from the part it carries.
PartMetadata = Callable[[JobPart], Mapping[str, str]]

_TOKEN_ONLY = {CLIENT_TOKEN_KEY: RESERVED_KEYS[CLIENT_TOKEN_KEY]}


class _Metadata:
    """Each job's metadata: the caller's, the part's own entries, and the circuits' entries."""

    def __init__(
        self,
        user: Mapping[str, str],
        circuits: Sequence[Circuit],
        part_metadata: PartMetadata | None,
    ) -> None:
        self._user = user
        self._circuits = circuits
        self._part_metadata = part_metadata

    def of(self, number: int, indices: range) -> dict[str, str]:
        """The metadata of job ``number`` carrying ``indices``; conflicts are an error."""
        base: Mapping[str, str] = self._user
        if self._part_metadata is not None:
            own = check_metadata(self._part_metadata(JobPart(number, indices)), "part metadata")
            base = {**self._user, **own}
        return _merge_metadata(base, self._circuits, indices)


def _merge_metadata(
    base: Mapping[str, str], circuits: Sequence[Circuit], indices: range
) -> dict[str, str]:
    """Job metadata plus every carried circuit's metadata; conflicting values are an error."""
    merged = dict(base)
    source = dict.fromkeys(base, "metadata")
    for index in indices:
        circuit_metadata = circuits[index].metadata
        if not circuit_metadata:
            continue
        check_reserved(circuit_metadata, f"circuit {index} metadata", _TOKEN_ONLY)
        for key, value in circuit_metadata.items():
            if key in merged and merged[key] != value:
                raise InvalidInputError(
                    f"circuit {index} metadata[{key!r}] = {value!r} conflicts with "
                    f"{merged[key]!r} from {source[key]}; a job has one metadata mapping, so "
                    "give per-circuit entries distinct keys (e.g. add the circuit index)"
                )
            merged[key] = value
            source.setdefault(key, f"circuit {index}")
    return merged


def _head(
    fields: Mapping[str, Any], job_type: str, metadata: Mapping[str, str], token: str
) -> bytes:
    """The body up to (not including) the ``input`` value: ``{"type":...,"input":``."""
    head = {"type": job_type, **fields, "metadata": {**metadata, CLIENT_TOKEN_KEY: token}}
    return _dumps(head)[:-1] + b',"input":'


def _multi_prefix(gateset: str) -> bytes:
    return b'{"gateset":' + _dumps(gateset) + b',"circuits":['


_MULTI_SUFFIX = b"]}}"


def _entry_dict(circuit: Circuit) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "circuit": circuit.gates,
        "qubits": circuit.qubits,
        "gateset": circuit.gateset,
    }
    if circuit.name is not None:
        entry["name"] = circuit.name
    return entry


def _serialise(value: object, what: str) -> bytes:
    try:
        return _dumps(value)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidInputError(f"{what} cannot be written as JSON: {exc}") from None


#: Items encoded per ``orjson.dumps`` call when a list is written in pieces. orjson's output buffer
#: is several times larger than what it writes and stays allocated as long as the bytes live, so
#: a long list is encoded in chunks, each trimmed to its exact size, and joined once.
_CHUNK_ITEMS = 4096


def _encode_items(items: Sequence[Any], what: str) -> list[bytes | memoryview]:
    """The JSON of ``items`` without the enclosing brackets, as pieces to join in order."""
    if len(items) <= _CHUNK_ITEMS:
        # A memoryview, so the one copy is the final join (which sizes the body exactly).
        return [memoryview(_serialise(items, what))[1:-1]]
    pieces: list[bytes | memoryview] = []
    for start in range(0, len(items), _CHUNK_ITEMS):
        if pieces:
            pieces.append(b",")
        chunk = _serialise(items[start : start + _CHUNK_ITEMS], what)
        pieces.append(chunk[1:-1])  # an exact-size copy; the oversized buffer is freed here
    return pieces


def _input_prefix(circuit: Circuit) -> bytes:
    """``{"qubits":...,"gateset":...,"circuit":[``, the start of :meth:`Circuit.to_input`."""
    return b'{"qubits":%d,"gateset":%s,"circuit":[' % (circuit.qubits, _dumps(circuit.gateset))


def _check_circuits(circuits: Sequence[Circuit]) -> None:
    if isinstance(circuits, Circuit) or not isinstance(circuits, Sequence):
        raise InvalidInputError("circuits must be a list of Circuit objects (wrap one in [ ])")
    if not circuits:
        raise InvalidInputError("circuits is empty; give at least one Circuit")
    for index, circuit in enumerate(circuits):
        if not isinstance(circuit, Circuit):
            raise InvalidInputError(
                f"circuits[{index}] must be an ionq_direct.circuit.Circuit, "
                f"got {type(circuit).__name__}"
            )


def _too_big(size: int, index: int) -> InvalidInputError:
    return InvalidInputError(
        f"circuit {index} makes a {size:,}-byte request; IonQ accepts at most "
        f"{MAX_BODY_BYTES:,} bytes per job, so shorten the circuit"
    )


def _single_jobs(
    circuits: Sequence[Circuit], fields: Mapping[str, Any], metadata: _Metadata
) -> list[PreparedJob]:
    merged = [metadata.of(i, range(i, i + 1)) for i in range(len(circuits))]
    jobs = []
    for index, circuit in enumerate(circuits):
        token = uuid.uuid4().hex
        pieces = [
            _head(fields, SINGLE_CIRCUIT, merged[index], token),
            _input_prefix(circuit),
            *_encode_items(circuit.gates, f"circuit {index}"),
            b"]}}",
        ]
        body = b"".join(pieces)
        if len(body) > MAX_BODY_BYTES:
            raise _too_big(len(body), index)
        jobs.append(PreparedJob(body, token, range(index, index + 1), SINGLE_CIRCUIT))
    return jobs


def _split(
    circuits: Sequence[Circuit], entries: Sequence[int], overhead: dict[str, int]
) -> list[range]:
    """Greedy, order-preserving split into runs that fit every per-job limit.

    ``entries`` holds each circuit's serialised size; ``overhead`` the fixed body size of a
    job (everything but its circuit entries) by the gateset of the job's first circuit.
    """
    parts: list[range] = []
    start = 0
    count = gates = size = 0
    for index, circuit in enumerate(circuits):
        entry_gates = len(circuit.gates)
        if entry_gates > MAX_GATES_PER_JOB:
            raise InvalidInputError(
                f"circuit {index} has {entry_gates:,} gates; a multi-circuit job may carry at "
                f"most {MAX_GATES_PER_JOB:,} in total, so submit it alone (multi_circuit=False)"
            )
        alone = overhead[circuit.gateset] + entries[index]
        if alone > MAX_BODY_BYTES:
            raise _too_big(alone, index)
        if count and (
            count + 1 > MAX_CIRCUITS_PER_JOB
            or gates + entry_gates > MAX_GATES_PER_JOB
            or size + 1 + entries[index] > MAX_BODY_BYTES
        ):
            parts.append(range(start, index))
            start, count, gates, size = index, 0, 0, 0
        if not count:
            size = alone
        else:
            size += 1 + entries[index]
        count += 1
        gates += entry_gates
    parts.append(range(start, len(circuits)))
    return parts


def _entry_pieces(circuits: Sequence[Circuit], what: str) -> list[bytes | memoryview]:
    """The JSON of the circuits' job entries, comma-separated, as pieces to join in order.

    Small circuits are encoded many per ``orjson.dumps`` call; a long circuit's gates in chunks.
    """
    pieces: list[bytes | memoryview] = []
    group: list[dict[str, Any]] = []
    weight = 0

    def flush() -> None:
        nonlocal weight
        if group:
            if pieces:
                pieces.append(b",")
            pieces.extend(_encode_items(group, what))
            group.clear()
            weight = 0

    for circuit in circuits:
        size = len(circuit.gates)
        if size > _CHUNK_ITEMS:
            flush()
            if pieces:
                pieces.append(b",")
            tail = {"qubits": circuit.qubits, "gateset": circuit.gateset}
            if circuit.name is not None:
                tail["name"] = circuit.name
            pieces.append(b'{"circuit":[')
            pieces.extend(_encode_items(circuit.gates, what))
            pieces.append(b"]," + _serialise(tail, what)[1:])
            continue
        if weight + size > _CHUNK_ITEMS:
            flush()
        group.append(_entry_dict(circuit))
        weight += size + 1
    flush()
    if len(pieces) > 1:  # several encodings: keep exact-size copies, not orjson's buffers
        pieces = [bytes(piece) if isinstance(piece, memoryview) else piece for piece in pieces]
    return pieces


def _one_multi_job(
    circuits: Sequence[Circuit], fields: Mapping[str, Any], metadata: Mapping[str, str]
) -> PreparedJob | None:
    """The whole batch as one job, encoded in one go, or ``None`` when it must be split.

    Also ``None`` when a circuit cannot be encoded: the per-circuit path then names it.
    """
    if len(circuits) > MAX_CIRCUITS_PER_JOB:
        return None
    if sum(len(circuit.gates) for circuit in circuits) > MAX_GATES_PER_JOB:
        return None
    token = uuid.uuid4().hex
    try:
        entries = _entry_pieces(circuits, "a circuit")
    except InvalidInputError:
        return None
    body = b"".join(
        [
            _head(fields, MULTI_CIRCUIT, metadata, token),
            _multi_prefix(circuits[0].gateset),
            *entries,
            _MULTI_SUFFIX,
        ]
    )
    if len(body) > MAX_BODY_BYTES:
        return None
    return PreparedJob(body, token, range(len(circuits)), MULTI_CIRCUIT)


def _multi_jobs(
    circuits: Sequence[Circuit], fields: Mapping[str, Any], metadata: _Metadata
) -> list[PreparedJob]:
    # Metadata is checked across the whole batch first, so a conflict fails before any work.
    union = metadata.of(0, range(len(circuits)))
    single = _one_multi_job(circuits, fields, union)
    if single is not None:
        return [single]
    # Exact-size copies: orjson's buffers are several times what they hold.
    entries = [
        bytes(memoryview(_serialise(_entry_dict(circuit), f"circuit {index}")))
        for index, circuit in enumerate(circuits)
    ]
    sizes = [len(entry) for entry in entries]
    # Parts are sized with the whole batch's metadata, normally an upper bound for any part's;
    # a part whose own metadata turns out larger makes the split run again with its size.
    head_size = len(_head(fields, MULTI_CIRCUIT, union, "0" * _TOKEN_LENGTH))
    while True:
        overhead = {
            gateset: head_size + len(_multi_prefix(gateset)) + len(_MULTI_SUFFIX)
            for gateset in ("qis", "native")
        }
        jobs = []
        for number, part in enumerate(_split(circuits, sizes, overhead)):
            token = uuid.uuid4().hex
            head = _head(fields, MULTI_CIRCUIT, metadata.of(number, part), token)
            body = (
                head
                + _multi_prefix(circuits[part.start].gateset)
                + b",".join(entries[part.start : part.stop])
                + _MULTI_SUFFIX
            )
            if len(body) > MAX_BODY_BYTES:
                head_size = max(head_size + 1, len(head))
                break
            jobs.append(PreparedJob(body, token, part, MULTI_CIRCUIT))
        else:
            return jobs


def build_jobs(
    circuits: Sequence[Circuit],
    *,
    backend: str,
    shots: int | None = None,
    name: str | None = None,
    metadata: Mapping[str, str] | None = None,
    noise_model: str | None = None,
    noise_seed: int | None = None,
    debiasing: bool | None = None,
    dry_run: bool | None = None,
    session_id: str | None = None,
    extra_settings: Mapping[str, Any] | None = None,
    multi_circuit: bool | None = None,
    part_metadata: PartMetadata | None = None,
) -> list[PreparedJob]:
    """Build the ``POST /jobs`` bodies for ``circuits``.

    Args:
        circuits: the validated circuits, in order.
        backend: ``"simulator"`` or a QPU such as ``"qpu.forte-1"``.
        shots: shots per circuit, 1..1,000,000 (``None``: the service default, 100).
        name: the job name, characters ``[A-Za-z0-9 _-]``; split parts share it.
        metadata: string-to-string entries stored with each job, merged with every carried
            circuit's own metadata. Their number and lengths are not limited here: IonQ's v0.3
            documentation mentions 10 keys of up to 40 characters, but v0.4's schema states no
            limit and the client adds keys of its own (the client token), so the service decides.
        noise_model: a simulator noise model such as ``"aria-1"`` (simulator only).
        noise_seed: the noise model's seed (needs ``noise_model``).
        debiasing: turn IonQ's debiasing on or off (QPU only; on needs at least 500 shots).
        dry_run: compile only, do not run.
        session_id: attach the job to an open session.
        extra_settings: further ``settings`` entries, such as ``{"compilation": {"opt": 1}}``.
        multi_circuit: ``None`` picks ``ionq.multi-circuit.v1`` for several circuits; ``True``
            uses it even for one; ``False`` sends each circuit as its own ``ionq.circuit.v1`` job.
        part_metadata: gives each job's own entries from the :class:`JobPart` it carries (its
            number and circuit range), such as a per-job seed and the carried circuits' result
            layouts, so each body is built once. For a multi-circuit batch it is called for
            the whole batch first (to size the split), then for every job. Its keys must differ
            from those of ``metadata`` and of the circuits.

    Returns:
        The jobs, in order; each names the range of ``circuits`` it carries. A batch over the
        API limits (5,000 circuits, 150,000 gates, 10 MB per job) is split into several.

    Raises:
        InvalidInputError: for any bad option or circuit, before anything is serialised.
    """
    fields, user_metadata = _envelope(
        backend=backend,
        shots=shots,
        name=name,
        metadata=metadata,
        noise_model=noise_model,
        noise_seed=noise_seed,
        debiasing=debiasing,
        dry_run=dry_run,
        session_id=session_id,
        extra_settings=extra_settings,
    )
    _check_circuits(circuits)
    multi = check_flag(multi_circuit, "multi_circuit")
    if multi is None:
        multi = len(circuits) > 1
    every = _Metadata(user_metadata, circuits, part_metadata)
    if multi:
        return _multi_jobs(circuits, fields, every)
    return _single_jobs(circuits, fields, every)


def _pin_service_version(fields: dict[str, Any]) -> None:
    settings = fields.setdefault("settings", {})
    compilation = settings.get("compilation")
    if compilation is None:
        compilation = settings["compilation"] = {}
    elif not isinstance(compilation, dict):
        raise InvalidInputError(
            f"extra_settings['compilation'] must be a mapping, got {compilation!r}"
        )
    version = compilation.setdefault("service_version", QASM3_SERVICE_VERSION)
    if not isinstance(version, str) or not version:
        raise InvalidInputError(
            f"extra_settings['compilation']['service_version'] must be a non-empty string, "
            f"got {version!r}"
        )


def build_qasm3_jobs(
    programs: Sequence[str | DynamicCircuit],
    *,
    backend: str,
    shots: int | None = None,
    name: str | None = None,
    metadata: Mapping[str, str] | None = None,
    noise_model: str | None = None,
    noise_seed: int | None = None,
    debiasing: bool | None = None,
    dry_run: bool | None = None,
    session_id: str | None = None,
    extra_settings: Mapping[str, Any] | None = None,
    multi_circuit: bool | None = None,
    part_metadata: PartMetadata | None = None,
) -> list[PreparedJob]:
    """Build one ``ionq.qasm3.v1`` body per OpenQASM 3 program (or dynamic circuit).

    ``input`` is ``{"data": <program>}`` (IonQ's ``Qasm3CircuitInput``), and
    ``settings.compilation.service_version`` is pinned to :data:`QASM3_SERVICE_VERSION` unless
    ``extra_settings`` sets it. The other arguments mean what they mean for :func:`build_jobs`.

    Args:
        programs: program texts (checked with :func:`ionq_direct.qasm3.check_program`) or
            :class:`~ionq_direct.qasm3.DynamicCircuit` objects (written with their
            ``to_qasm3()``; their metadata is merged into their job's).
        backend: as for :func:`build_jobs`.
        shots: as for :func:`build_jobs`.
        name: as for :func:`build_jobs`.
        metadata: as for :func:`build_jobs`.
        noise_model: as for :func:`build_jobs` (every model runs dynamic circuits).
        noise_seed: as for :func:`build_jobs`.
        debiasing: as for :func:`build_jobs`.
        dry_run: as for :func:`build_jobs`.
        session_id: as for :func:`build_jobs`.
        extra_settings: as for :func:`build_jobs`; may set its own
            ``compilation.service_version``.
        multi_circuit: ``None`` or ``False``; ``True`` is refused, since IonQ's multi-circuit
            jobs carry JSON circuits only.
        part_metadata: gives each job's own entries from the :class:`JobPart` (one program).

    Raises:
        InvalidInputError: for any bad option or program, before anything is serialised.
    """
    fields, user_metadata = _envelope(
        backend=backend,
        shots=shots,
        name=name,
        metadata=metadata,
        noise_model=noise_model,
        noise_seed=noise_seed,
        debiasing=debiasing,
        dry_run=dry_run,
        session_id=session_id,
        extra_settings=extra_settings,
    )
    if check_flag(multi_circuit, "multi_circuit"):
        raise InvalidInputError(
            "OpenQASM 3 programs (mid-circuit measurement, reset) cannot share a job: IonQ's "
            "ionq.multi-circuit.v1 jobs carry JSON circuits only, so each program is sent as "
            "its own ionq.qasm3.v1 job (pass multi_circuit=None or False)"
        )
    if isinstance(programs, (str, DynamicCircuit)) or not isinstance(programs, Sequence):
        raise InvalidInputError("programs must be a list of OpenQASM 3 programs (wrap one in [ ])")
    if not programs:
        raise InvalidInputError("programs is empty; give at least one OpenQASM 3 program")
    _pin_service_version(fields)
    texts: list[str] = []
    extras: list[Mapping[str, str]] = []
    for index, program in enumerate(programs):
        if isinstance(program, DynamicCircuit):
            texts.append(program.to_qasm3())
            extras.append(program.metadata)
        else:
            try:
                texts.append(check_program(program))
            except InvalidInputError as exc:
                raise InvalidInputError(f"program {index}: {exc}") from None
            extras.append({})
    jobs = []
    for index, (text, extra) in enumerate(zip(texts, extras, strict=True)):
        merged = dict(user_metadata)
        if part_metadata is not None:
            own = check_metadata(part_metadata(JobPart(index, range(index, index + 1))), "part")
            merged.update(own)
        check_reserved(extra, f"circuit {index} metadata", _TOKEN_ONLY)
        for key, value in extra.items():
            if key in merged and merged[key] != value:
                raise InvalidInputError(
                    f"circuit {index} metadata[{key!r}] = {value!r} conflicts with "
                    f"{merged[key]!r}; give it a distinct key"
                )
            merged[key] = value
        token = uuid.uuid4().hex
        body = _head(fields, QASM3, merged, token) + _serialise({"data": text}, "program") + b"}"
        if len(body) > MAX_BODY_BYTES:
            raise _too_big(len(body), index)
        jobs.append(PreparedJob(body, token, range(index, index + 1), QASM3))
    return jobs
