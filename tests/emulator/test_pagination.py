"""Cursor pagination and filters of GET /jobs; page pagination of characterizations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from emulator_support import Api, circuit_job

from ionq_emulator import Emulator


@pytest.fixture(scope="module")
def fresh() -> Iterator[tuple[Api, list[str]]]:
    with Emulator() as emu:
        api = Api(emu)
        ids = []
        for i in range(7):
            backend = "qpu.aria-1" if i % 3 == 0 else "simulator"
            ids.append(
                api.submit(circuit_job([{"gate": "x", "targets": [0]}], backend=backend, shots=10))
            )
        for job_id in ids:
            api.wait(job_id)
        yield api, ids


def test_cursor_pages_cover_every_job_newest_first(fresh: tuple[Api, list[str]]) -> None:
    api, ids = fresh
    seen: list[str] = []
    cursor = None
    sizes = []
    while True:
        params: dict[str, object] = {"limit": 3}
        if cursor:
            params["next"] = cursor
        page = api.get("/jobs", params=params).json()
        sizes.append(len(page["jobs"]))
        seen.extend(j["id"] for j in page["jobs"])
        cursor = page["next"]
        if cursor is None:
            break
    assert sizes == [3, 3, 1]
    assert seen == list(reversed(ids))


def test_filters(fresh: tuple[Api, list[str]]) -> None:
    api, ids = fresh
    qpu = api.get("/jobs", params={"target": "qpu.aria-1"}).json()["jobs"]
    assert {j["id"] for j in qpu} == {ids[0], ids[3], ids[6]}
    both = api.get("/jobs", params={"target": "qpu.aria-1,simulator"}).json()["jobs"]
    assert len(both) == 7
    picked = api.get("/jobs", params=[("ids", ids[1]), ("ids", ids[2])]).json()["jobs"]
    assert {j["id"] for j in picked} == {ids[1], ids[2]}
    assert len(api.get("/jobs", params={"status": "completed"}).json()["jobs"]) == 7
    assert api.get("/jobs", params={"status": "canceled"}).json() == {"jobs": [], "next": None}
    assert api.get("/jobs", params={"session_id": "none"}).json()["jobs"] == []


def test_unknown_cursor_is_a_400(fresh: tuple[Api, list[str]]) -> None:
    api, _ = fresh
    response = api.get("/jobs", params={"next": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["validation"] == {"keys": ["next"], "source": "query"}


def test_characterization_pages(fresh: tuple[Api, list[str]]) -> None:
    api, _ = fresh
    url = api.base + "/backends/qpu.forte-1/characterizations"
    everything = requests.get(url, timeout=10).json()
    total = len(everything["characterizations"])
    assert total >= 2 and everything["pages"] == 0
    dates = [c["date"] for c in everything["characterizations"]]
    assert dates == sorted(dates, reverse=True)
    collected = []
    for page in range(1, total + 1):
        body = requests.get(url, params={"limit": 1, "page": page}, timeout=10).json()
        assert body["pages"] == total - page
        collected.extend(body["characterizations"])
    assert collected == everything["characterizations"]
    beyond = requests.get(url, params={"limit": 1, "page": total + 1}, timeout=10).json()
    assert beyond == {"characterizations": [], "pages": 0}
    newest = dates[0][:10]
    recent = requests.get(url, params={"start": newest}, timeout=10).json()["characterizations"]
    assert [c["date"] for c in recent] == [dates[0]]
    older = requests.get(url, params={"end": newest}, timeout=10).json()["characterizations"]
    assert [c["date"] for c in older] == dates[1:]
    bad = requests.get(url, params={"start": "yesterday"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["validation"]["keys"] == ["start"]
