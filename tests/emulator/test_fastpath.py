"""The fast path answers job and result reads exactly as the application does, and only those."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from emulator_support import GHZ_INPUT, MULTI_JOB, Api, circuit_job

from ionq_emulator import Emulator, fastpath
from ionq_emulator.app import create_app
from ionq_emulator.fastpath import FastReads


@pytest.fixture(scope="module")
def served() -> Any:
    with Emulator(qpu_delay=0) as emu:
        api = Api(emu)
        ideal = api.run(circuit_job(GHZ_INPUT["circuit"], qubits=3))["id"]
        noisy = api.run(
            circuit_job(GHZ_INPUT["circuit"], qubits=3, shots=50, noise={"model": "aria-1"})
        )["id"]
        multi = api.run(MULTI_JOB)["id"]
        yield emu, api, ideal, noisy, multi


def _paths(ideal: str, noisy: str, multi: str) -> list[str]:
    return [
        f"/jobs/{ideal}",
        f"/jobs/{ideal}/results/probabilities",
        f"/jobs/{ideal}/results/probabilities/aggregated",
        f"/jobs/{multi}",
        f"/jobs/{multi}/results/probabilities",
        f"/jobs/{multi}/results/probabilities/aggregated",
        f"/jobs/{multi}/results/probabilities/aggregated?sharpen=false",
        f"/jobs/{noisy}/results/probabilities/aggregated",
        f"/jobs/{noisy}",
        f"/jobs/{noisy}/results/histogram",
        f"/jobs/{noisy}/results/shots",
        f"/jobs/{ideal}/results/shots",  # an ideal job has none: 404
        "/jobs/00000000-0000-0000-0000-000000000000",  # unknown: 404
        f"/jobs/{ideal}/results/probabilities?sharpen=true",
    ]


def test_every_answer_is_the_applications(served: Any) -> None:
    emu, api, ideal, noisy, multi = served
    assert emu._service is not None
    plain = create_app(emu._service)  # the same service, no fast path
    for key in (emu.api_key, "wrong-key", None):
        headers = {"Authorization": f"apiKey {key}"} if key else {}
        raw = [(b"authorization", f"apiKey {key}".encode())] if key else []
        for path in _paths(ideal, noisy, multi):
            fast = api.request("GET", path, headers=headers) if key else _anonymous(emu, path)
            route, _, query = path.partition("?")
            status, sent_headers, body = _exchange(plain, route, raw, query.encode())
            assert (fast.status_code, fast.content) == (status, body), path
            for name in ("content-type", "content-length"):
                assert fast.headers.get(name) == sent_headers.get(name), (path, name)


def _anonymous(emu: Emulator, path: str) -> Any:
    import requests

    return requests.get(emu.url + path, timeout=10)


def _call(app: Any, path: str, headers: list[tuple[bytes, bytes]], query: bytes = b"") -> int:
    return _exchange(app, path, headers, query)[0]


def _exchange(
    app: Any, path: str, headers: list[tuple[bytes, bytes]], query: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One GET sent straight to an ASGI app: status, headers, body."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/v0.4" + path,
        "query_string": query,
        "headers": headers,
    }
    asyncio.run(app(scope, receive, send))
    answer_headers = {k.decode(): v.decode() for k, v in sent[0].get("headers", [])}
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return int(sent[0]["status"]), answer_headers, body


def test_only_successful_reads_skip_the_application(served: Any) -> None:
    emu, _, ideal, _, multi = served
    assert emu._service is not None
    handed_on: list[str] = []

    async def application(scope: Any, receive: Any, send: Any) -> None:
        handed_on.append(scope["path"] + "?" + scope["query_string"].decode())
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    fast = FastReads(application, emu._service)
    key = [(b"authorization", f"apiKey {emu.api_key}".encode())]
    assert _call(fast, f"/jobs/{ideal}", key) == 200
    assert _call(fast, f"/jobs/{ideal}/results/probabilities", key) == 200
    assert _call(fast, f"/jobs/{multi}/results/probabilities/aggregated", key) == 200
    assert handed_on == []
    assert _call(fast, f"/jobs/{ideal}", []) == 299  # no key
    assert _call(fast, f"/jobs/{ideal}", [(b"authorization", b"apiKey nope")]) == 299
    assert _call(fast, f"/jobs/{ideal}/results/shots", key) == 299  # no shots: an error
    assert _call(fast, f"/jobs/{ideal}/results/probabilities", key, b"sharpen=true") == 299
    assert _call(fast, f"/jobs/{ideal}/cost", key) == 299  # not a read it answers
    assert len(handed_on) == 5


def _recording_threadpool(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of each read the fast path hands to a thread."""
    handed: list[str] = []
    original = fastpath.run_in_threadpool

    async def recording(read: Any, *args: Any) -> Any:
        handed.append(getattr(read, "func", read).__name__)
        return await original(read, *args)

    monkeypatch.setattr(fastpath, "run_in_threadpool", recording)
    return handed


def test_small_reads_stay_on_the_event_loop_and_large_results_go_to_a_thread(
    served: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, api, ideal, noisy, multi = served
    handed = _recording_threadpool(monkeypatch)
    small = [api.get(p) for p in (f"/jobs/{ideal}", f"/jobs/{ideal}/results/probabilities")]
    assert handed == []
    monkeypatch.setattr(fastpath, "INLINE_RESULT_CHARS", 10)  # every result is now "large"
    large = [api.get(p) for p in (f"/jobs/{ideal}", f"/jobs/{ideal}/results/probabilities")]
    aggregated = api.get(f"/jobs/{multi}/results/probabilities/aggregated")
    histogram = api.get(f"/jobs/{noisy}/results/histogram")
    assert handed == ["result", "aggregated", "result"]  # the job record itself stays inline
    assert [r.content for r in small] == [r.content for r in large]
    assert aggregated.status_code == histogram.status_code == 200
    assert set(aggregated.json()) == set(api.get(f"/jobs/{multi}").json()["child_job_ids"])


def test_a_read_never_waits_for_the_store_on_the_event_loop(served: Any) -> None:
    """While another thread holds the store, reads wait on a thread and HTTP stays up."""
    emu, api, ideal, _, _ = served
    assert emu._service is not None
    store = emu._service.store
    answers: list[int] = []
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.uncontended() as got:
            assert got
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    reader = threading.Thread(target=lambda: answers.append(api.get(f"/jobs/{ideal}").status_code))
    reader.start()
    try:
        reader.join(0.3)
        assert reader.is_alive()  # its read waits for the store...
        assert api.get("/backends").status_code == 200  # ...and the server answers meanwhile
        assert answers == []
    finally:
        release.set()
        holder.join(10)
    reader.join(30)
    assert answers == [200]
