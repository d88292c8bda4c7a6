"""``AsyncClient`` and ``AsyncJob``: what the shared behaviour tests cannot show.

The retry, error-mapping, redaction and exactly-once tests run against both clients
(``test_transport``, ``test_submission`` with the ``api`` fixture). Here: the asyncio client's
own construction and import, deadlines against real sockets that never (or barely) answer,
the emulator with its fault injection, results read through ``AsyncJob``, and jobs that really
overlap on one event loop. No assertion depends on how long anything took.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from core_support import API_KEY, BASE, LoopbackServer, json_response, read_request

from ionq_direct import (
    AsyncClient,
    AsyncJob,
    Client,
    InvalidInputError,
    Job,
    JobTimeoutError,
    NotFoundError,
    __version__,
)
from ionq_direct.async_jobs import wait_all
from ionq_direct.emulator import Emulator
from ionq_direct.errors import APITimeoutError
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.policy import Policy

pytestmark = pytest.mark.timeout(120)

BELL = [{"gate": "h", "target": 0}, {"gate": "cnot", "control": 0, "target": 1}]
SINGLE = {
    "type": "ionq.circuit.v1",
    "backend": "simulator",
    "shots": 300,
    "metadata": {"ionq_direct_seed": "7"},
    "input": {"qubits": 2, "gateset": "qis", "circuit": BELL},
}
MULTI = {
    "type": "ionq.multi-circuit.v1",
    "backend": "simulator",
    "shots": 200,
    "noise": {"model": "aria-1", "seed": 3},
    "input": {
        "qubits": 2,
        "gateset": "qis",
        "circuits": [
            {"circuit": [{"gate": "x", "target": 0}]},
            {"circuit": [{"gate": "x", "target": 1}]},
        ],
    },
}
QPU = {**SINGLE, "backend": "qpu.aria-1", "shots": 100}


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def assert_keyless(error: BaseException) -> None:
    for item in chain(error):
        assert API_KEY not in str(item)
        assert API_KEY not in repr(item)
        request = getattr(item, "request", None)
        assert request is None or API_KEY not in str(getattr(request, "headers", ""))


# Construction and import ----------------------------------------------------------------


def test_importing_the_core_does_not_import_httpx() -> None:
    code = "import sys, ionq_direct, ionq_direct.async_client; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((API_KEY, "http://api.ionq.co/v0.4"), "https"),
        (("", BASE), "IONQ_API_KEY"),
        ((API_KEY + "\u2026", BASE), "API key"),
        (("https://api.ionq.co/v0.4", API_KEY), "looks like a URL"),
    ],
)
def test_bad_arguments_fail_at_construction_as_in_the_sync_client(
    args: tuple[str, str], match: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IONQ_API_KEY", raising=False)
    for cls in (Client, AsyncClient):
        with pytest.raises(InvalidInputError, match=match) as info:
            cls(*args)
        assert API_KEY not in str(info.value)


def test_bad_timeouts_headers_and_policy_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="timeout"):
        AsyncClient(API_KEY, BASE, timeout=0)
    with pytest.raises(InvalidInputError, match="Authorization"):
        AsyncClient(API_KEY, BASE, headers={"authorization": "x"})
    with pytest.raises(InvalidInputError, match="Policy"):
        AsyncClient(API_KEY, BASE, policy="fast")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="async_sleep"):
        Policy(async_sleep=None)  # type: ignore[arg-type]


def test_headers_user_agent_and_public_endpoints() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"backends": []} if request.url.path.endswith("/backends") else {}
        return httpx.Response(200, json=body)

    async def main() -> None:
        async with AsyncClient(
            API_KEY, BASE, headers={"X-Team": "qc"}, http_transport=httpx.MockTransport(handler)
        ) as client:
            await client.whoami()
            await client.list_backends()

    run(main())
    whoami, backends = seen
    assert whoami.headers["Authorization"] == f"apiKey {API_KEY}"
    assert whoami.headers["X-Team"] == "qc"
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert whoami.headers["User-Agent"] == (
        f"ionq-direct/{__version__} python/{py} httpx/{httpx.__version__}"
    )
    assert "Authorization" not in backends.headers  # public: the key is not sent
    assert API_KEY not in repr(AsyncClient(API_KEY, BASE))


def test_from_client_carries_key_url_timeouts_retries_headers_and_policy() -> None:
    policy = Policy(max_retries=1)
    sync = Client(API_KEY, BASE, timeout=(2, 7), headers={"X-Team": "qc"}, policy=policy)
    made = AsyncClient.from_client(sync)
    transport = made._transport
    assert (transport.base_url, transport.timeout, transport.max_retries) == (BASE, (2, 7), 1)
    assert transport.policy is policy
    assert transport._headers == {"X-Team": "qc"}
    assert transport._key == API_KEY


def test_list_jobs_is_an_async_iterator_that_follows_cursors() -> None:
    pages = {
        None: {"jobs": [{"id": "a"}, {"id": "b"}], "next": "c1"},
        "c1": {"jobs": [{"id": "c"}], "next": "c1"},  # a repeated cursor ends the listing
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("next")])

    async def main() -> list[str]:
        async with AsyncClient(
            API_KEY, BASE, http_transport=httpx.MockTransport(handler)
        ) as client:
            return [job["id"] async for job in client.list_jobs(status="completed")]

    assert run(main()) == ["a", "b", "c"]


def test_bad_input_fails_before_any_request() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={})

    async def main() -> None:
        client = AsyncClient(API_KEY, BASE, http_transport=httpx.MockTransport(handler))
        with pytest.raises(InvalidInputError, match="job_id"):
            await client.get_job("")
        with pytest.raises(InvalidInputError, match="not one string"):
            await client.cancel_jobs("j1")
        with pytest.raises(InvalidInputError, match="end_date"):
            await client.get_usage("org", start_date="2026-02-01", end_date="2026-01-01")
        with pytest.raises(InvalidInputError, match="shots"):
            await client.clone_job("j1", shots=0, metadata={})
        with pytest.raises(InvalidInputError, match="timeout"):
            await client.create_job(SINGLE, timeout=-1)
        with pytest.raises(InvalidInputError, match="timeout"):
            await AsyncJob(client, "j1", {"id": "j1", "status": "ready"}).wait(timeout=-1)

    run(main())
    assert calls == []


# Deadlines against real sockets -----------------------------------------------------------


@pytest.fixture
def black_hole() -> Iterator[LoopbackServer]:
    """Accepts every connection and never answers."""
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket) -> None:
        holder[0].stopping.wait()

    server = LoopbackServer(handle)
    holder.append(server)
    yield server
    server.stop()


@pytest.fixture
def trickler() -> Iterator[LoopbackServer]:
    """Answers correctly, one byte every half second (faster than any read timeout here)."""
    holder: list[LoopbackServer] = []
    answer = json_response(b'{"id": "j1", "status": "completed", "backend": "simulator"}')

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        for i in range(len(answer)):
            if holder[0].stopping.wait(0.5):
                return
            conn.sendall(answer[i : i + 1])

    server = LoopbackServer(handle)
    holder.append(server)
    yield server
    server.stop()


def test_wait_against_a_black_hole_ends_with_its_timeout(black_hole: LoopbackServer) -> None:
    # Default per-request timeouts (5 s, 60 s) and three retries would take minutes; the
    # wait's own timeout ends it (the test's 120 s limit would catch it not doing so).
    async def main() -> None:
        async with AsyncClient(API_KEY, black_hole.url) as client:
            job = AsyncJob(client, "j1", {"id": "j1", "status": "submitted"})
            with pytest.raises(JobTimeoutError, match="j1") as info:
                await job.wait(timeout=1.0)
        assert_keyless(info.value)

    run(main())
    assert black_hole.connections >= 1


def test_a_trickled_answer_is_cut_at_the_attempt_budget(trickler: LoopbackServer) -> None:
    async def main() -> None:
        async with AsyncClient(API_KEY, trickler.url, timeout=(1.0, 2.0), max_retries=0) as client:
            with pytest.raises(APITimeoutError, match="time allowed") as info:
                await client.get_job("j1")
        assert_keyless(info.value)

    run(main())


def test_submit_against_a_black_hole_ends_at_its_timeout_naming_the_token(
    black_hole: LoopbackServer,
) -> None:
    async def main() -> None:
        async with AsyncClient(API_KEY, black_hole.url) as client:
            with pytest.raises(APITimeoutError, match="may or may not have been created") as info:
                await client.submit(SINGLE, client_token="tok-123", timeout=1.5)
        assert "tok-123" in str(info.value)
        assert CLIENT_TOKEN_KEY in str(info.value)
        assert_keyless(info.value)

    run(main())


def test_a_refused_connection_holds_no_request_in_its_chain() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()

    async def main() -> BaseException:
        async with AsyncClient(API_KEY, f"http://127.0.0.1:{port}/v0.4", max_retries=0) as client:
            with pytest.raises(Exception) as info:
                await client.whoami()
        return info.value

    error = run(main())
    assert len(chain(error)) >= 2  # the key-free cause is kept
    assert_keyless(error)


# Against the emulator ---------------------------------------------------------------------


def test_submissions_under_faults_make_one_job_each_with_right_results() -> None:
    # As the sync client's test: retries cut to a millisecond; drops run the request and cut
    # the answer, so POSTs must reconcile, not resubmit. The submissions run concurrently.
    quick = Policy(
        backoff_initial=0.001, backoff_max=0.001, retry_after_max=0.0, reconcile_settle_min=0.2
    )

    async def main(emu: Emulator) -> None:
        async with AsyncClient(emu.api_key, emu.url, max_retries=10, policy=quick) as client:
            jobs = await asyncio.gather(*(client.submit(p) for p in (SINGLE, MULTI) * 2))
            await wait_all(jobs, timeout=60)
            assert [job.status for job in jobs] == ["completed"] * 4
            listed = [job async for job in client.list_jobs()]
            top = [j for j in listed if not j.get("parent_job_id")]
            assert sorted(j["id"] for j in top) == sorted(job.id for job in jobs)
            assert Counter(j["type"] for j in top) == {
                "ionq.circuit.v1": 2,
                "ionq.multi-circuit.v1": 2,
            }
            assert len(listed) == 2 + 2 * 3

            single, multi = jobs[0], jobs[1]
            assert await single.probabilities() == pytest.approx({0: 0.5, 3: 0.5})
            counts = await single.counts()
            assert sum(counts.values()) == 300
            assert Counter(await single.memory()) == counts
            children = await multi.children()
            assert [c.id for c in children] == multi.record["child_job_ids"]
            firsts = [max(c, key=c.get) for c in [await ch.counts() for ch in children]]
            assert firsts == [1, 2]
            aggregated = await multi.aggregated_probabilities()
            assert [max(p, key=p.get) for p in aggregated] == [1, 2]

    with Emulator(faults="429=0.1,503=0.1,drop=0.15", fault_seed=1) as emu:
        run(main(emu))
        assert emu.faults is not None
        assert emu.faults.counts["drop"] > 0


def test_async_results_equal_the_sync_clients() -> None:
    with Emulator(qpu_delay=0.2) as emu:
        sync = Client(emu.api_key, emu.url)

        async def main() -> tuple[AsyncJob, AsyncJob]:
            async with AsyncClient.from_client(sync) as client:
                jobs = [await client.submit(p) for p in (SINGLE, QPU)]
                await wait_all(jobs, timeout=60)
                for job in jobs:
                    await job.distribution()
                    await job.memory()
                return jobs[0], jobs[1]

        ideal, qpu = run(main())
        for made in (ideal, qpu):
            again = sync.job(made.id)
            assert again.probabilities() == pytest.approx(
                dict(zip(*(a.tolist() for a in made._distributions[None]), strict=True))
            )
            adopted = Job.from_async(sync, made)
            assert adopted.counts() == again.counts()
            assert adopted.memory() == again.memory()
            assert adopted.status == "completed"


def test_clone_move_schema_and_usage_through_the_async_client() -> None:
    with Emulator(qpu_delay=5.0) as emu:

        async def main() -> None:
            async with AsyncClient(emu.api_key, emu.url) as client:
                source = await client.submit({**SINGLE, "metadata": {"team": "qc"}})
                await source.wait(timeout=60)
                cloned = await client.clone_job(source.id, shots=50)
                clone = await client.job(cloned["id"])
                assert clone.info.metadata["team"] == "qc"  # inherited with a fresh token
                assert clone.info.metadata[CLIENT_TOKEN_KEY] != source.info.metadata.get(
                    CLIENT_TOKEN_KEY
                )
                queued = await client.submit(QPU)
                moved = await client.move_job(queued.id, name="moved")
                assert moved["id"] != queued.id
                assert (await queued.refresh()).status == "canceled"
                with pytest.raises(Exception, match="409"):
                    await client.move_job(queued.id)
                schema = await client.get_format_schema("ionq.result.probabilities.json.v1")
                assert schema.get("type") == "object"
                with pytest.raises(NotFoundError):
                    await client.get_format_schema("no.such.format")

        run(main())


def test_gathered_jobs_overlap_on_one_event_loop() -> None:
    # Three QPU jobs that each spend a while queued and running: every job's first status
    # check comes before any job is seen done, so they were waited for together, not in turn.
    events: list[tuple[str, str]] = []

    def seen(job: AsyncJob) -> None:
        events.append((job.id, job.status))

    with Emulator(qpu_delay=0.5, workers=3) as emu:

        async def main() -> list[AsyncJob]:
            async with AsyncClient(emu.api_key, emu.url) as client:
                jobs = await asyncio.gather(*(client.submit(QPU) for _ in range(3)))
                await wait_all(jobs, timeout=60, callback=seen)
                return list(jobs)

        jobs = run(main())
    first_done = next(i for i, (_, status) in enumerate(events) if status == "completed")
    checked_before = {job_id for job_id, _ in events[:first_done]}
    assert checked_before == {job.id for job in jobs}
    assert all(job.status == "completed" for job in jobs)


def test_wait_all_names_the_job_that_ran_out_of_time() -> None:
    async def main() -> None:
        policy = Policy(poll_floor=0.01)
        with Emulator(qpu_delay=30.0) as emu:
            async with AsyncClient(emu.api_key, emu.url, policy=policy) as client:
                slow = await client.submit(QPU)
                with pytest.raises(JobTimeoutError, match=slow.id):
                    await wait_all([slow], timeout=0.3)

    run(main())


def test_policy_async_sleep_is_what_the_async_client_pauses_with() -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    def handler(request: httpx.Request) -> httpx.Response:
        if len(calls) < 2:
            calls.append(1)
            return httpx.Response(503, json={})
        return httpx.Response(200, json={"ok": True})

    calls: list[int] = []
    policy = dataclasses.replace(Policy(jitter=lambda: 0.5), async_sleep=fake_sleep)

    async def main() -> Any:
        async with AsyncClient(
            API_KEY, BASE, policy=policy, http_transport=httpx.MockTransport(handler)
        ) as client:
            return await client.whoami()

    assert run(main()) == {"ok": True}
    assert slept == [0.5, 1.0]
