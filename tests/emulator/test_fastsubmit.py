"""The fast submit creates valid jobs as the application does, and hands every failure on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from emulator_support import GHZ_INPUT, MULTI_JOB, Api, circuit_job

from ionq_emulator import Emulator, fastsubmit
from ionq_emulator.app import create_app
from ionq_emulator.fastsubmit import FastSubmit

NESTED: Any = 0
for _ in range(70):
    NESTED = [NESTED]

BODIES: list[bytes] = [
    json.dumps(circuit_job(GHZ_INPUT["circuit"], qubits=3)).encode(),
    json.dumps(MULTI_JOB).encode(),
    json.dumps(circuit_job(GHZ_INPUT["circuit"], qubits=3, backend="qpu.aria-1")).encode(),
    b"{nope",
    b"",
    b"[1, 2]",
    json.dumps({"type": "ionq.circuit.v1", "backend": "simulator", "input": NESTED}).encode(),
    json.dumps(circuit_job([{"gate": "warp", "targets": [0]}], qubits=1)).encode(),
    json.dumps(circuit_job(GHZ_INPUT["circuit"], qubits=3, shots=0)).encode(),
    json.dumps(circuit_job(GHZ_INPUT["circuit"], qubits=3, backend="qpu.nowhere")).encode(),
    json.dumps(circuit_job(GHZ_INPUT["circuit"], qubits=3, session_id="no-such")).encode(),
]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Emulator, Api]]:
    with Emulator(qpu_delay=60) as emu:
        yield emu, Api(emu)


def _exchange(
    app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes], query: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One ``POST /jobs`` sent straight to an ASGI app, its body in ``chunks``."""
    sent: list[dict[str, Any]] = []
    pending = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks or [b""])
    ]

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v0.4/jobs",
        "query_string": query,
        "headers": [(b"content-type", b"application/json"), *headers],
    }
    asyncio.run(app(scope, receive, send))
    answer_headers = {k.decode(): v.decode() for k, v in sent[0].get("headers", [])}
    return int(sent[0]["status"]), answer_headers, b"".join(m.get("body", b"") for m in sent[1:])


def _job_count(api: Api) -> int:
    """Jobs submitted so far (a multi-circuit job's children not counted)."""
    jobs = api.get("/jobs", params={"limit": 1000}).json()["jobs"]
    return sum(1 for job in jobs if not job.get("parent_job_id"))


def _without_id(body: bytes) -> Any:
    answer = json.loads(body)
    if isinstance(answer, dict) and "id" in answer:
        answer["id"] = "<id>"
    return answer


def test_every_answer_is_the_applications_and_each_job_is_stored_once(
    served: tuple[Emulator, Api],
) -> None:
    emu, api = served
    assert emu._service is not None
    plain = create_app(emu._service)  # the same service, no fast paths
    for key in (emu.api_key, "wrong-key", None):
        raw = [(b"authorization", f"apiKey {key}".encode())] if key else []
        for body in BODIES:
            before = _job_count(api)
            fast = api.session.post(
                emu.url + "/jobs",
                data=body,
                headers={"Content-Type": "application/json", **_auth(key)},
                timeout=30,
            )
            made = _job_count(api) - before
            status, headers, content = _exchange(plain, raw, [body])
            assert _job_count(api) - before == 2 * made, body[:80]  # the application made one more
            assert fast.status_code == status, (key, body[:60])
            assert _without_id(fast.content) == _without_id(content), (key, body[:60])
            assert made == (1 if status == 201 else 0)
            for name in ("content-type", "connection"):
                assert fast.headers.get(name) == headers.get(name), (name, body[:60])


def _auth(key: str | None) -> dict[str, str | None]:
    """The Authorization header for ``key``; ``None`` drops the session's own."""
    return {"Authorization": f"apiKey {key}" if key is not None else None}


def _recording(emu: Emulator) -> tuple[FastSubmit, list[bytes], list[tuple[bytes, bytes]]]:
    """The fast submit over an application that records each body it is handed (and answers
    299), the list it records in, and the emulator's key as an ASGI header."""
    assert emu._service is not None
    bodies: list[bytes] = []

    async def application(scope: Any, receive: Any, send: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        bodies.append(b"".join(chunks))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    key = [(b"authorization", f"apiKey {emu.api_key}".encode())]
    return FastSubmit(application, emu._service), bodies, key


def test_only_valid_keyed_plain_submissions_skip_the_application(
    served: tuple[Emulator, Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, api = served
    fast, handed, key = _recording(emu)
    ghz = BODIES[0]
    before = _job_count(api)
    assert _exchange(fast, key, [ghz[:10], ghz[10:40], ghz[40:]])[0] == 201  # chunked
    assert _job_count(api) == before + 1
    assert handed == []
    bad = [b'{"type": "ionq.circuit.v1", ', b'"backend": "simulator", ', b'"input": 7}']
    assert _exchange(fast, key, bad)[0] == 299
    assert handed[-1] == b"".join(bad)  # the body is replayed whole
    assert _exchange(fast, [], [ghz])[0] == 299  # no key
    assert _exchange(fast, key, [ghz], query=b"x=1")[0] == 299
    too_long = [*key, (b"content-length", b"999999999999")]
    assert _exchange(fast, too_long, [ghz])[0] == 299
    monkeypatch.setattr(fastsubmit, "MAX_BODY_BYTES", 50)
    assert _exchange(fast, key, [ghz[:40], ghz[40:]])[0] == 299  # past the limit while read
    assert handed[-1] == ghz
    assert len(handed) == 5
    assert _job_count(api) == before + 1


def test_a_failure_while_storing_is_answered_not_handed_on(
    served: tuple[Emulator, Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, _ = served
    fast, handed, key = _recording(emu)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(emu._service, "submit", broken)
    status, headers, content = _exchange(fast, key, [BODIES[0]])
    assert (status, headers.get("connection")) == (500, "close")
    assert b"disk on fire" not in content
    assert handed == []
