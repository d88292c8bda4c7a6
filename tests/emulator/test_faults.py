"""Fault injection: seeded 429/503 rates, Retry-After, delays, and drops after the job is stored."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import requests
from emulator_support import Api, circuit_job

from ionq_emulator import Emulator
from ionq_emulator.faults import FaultSpec

REQUESTS = 400


def _statuses(faults: str, seed: int) -> tuple[list[int], dict[str, int]]:
    with Emulator(faults=faults, fault_seed=seed) as emu:
        session = requests.Session()
        statuses = [
            session.get(emu.url + "/backends", timeout=10).status_code for _ in range(REQUESTS)
        ]
        assert emu.faults is not None
        return statuses, dict(emu.faults.counts)


def test_status_faults_follow_the_configured_rates_and_seed() -> None:
    statuses, counts = _statuses("429=0.1,503=0.05", seed=11)
    tally = Counter(statuses)
    assert tally[429] == counts["429"] and tally[503] == counts["503"]
    assert tally[200] == REQUESTS - tally[429] - tally[503]
    # Binomial(400, p): allow about four standard deviations.
    assert 16 <= tally[429] <= 64
    assert 4 <= tally[503] <= 38
    again, _ = _statuses("429=0.1,503=0.05", seed=11)
    assert again == statuses
    other, _ = _statuses("429=0.1,503=0.05", seed=12)
    assert other != statuses


def test_fault_answers_have_ionq_bodies_and_retry_after() -> None:
    with Emulator(faults="429=0.5,503=0.5", fault_seed=1) as emu:
        seen = set()
        for _ in range(20):
            response = requests.get(emu.url + "/jobs", timeout=10)
            body = response.json()
            assert response.status_code in (429, 503)
            assert body["statusCode"] == response.status_code
            assert set(body) == {"error", "message", "statusCode"}
            assert response.headers["Retry-After"] == "1"
            seen.add(response.status_code)
        assert seen == {429, 503}


def test_delay_fault_slows_requests_down() -> None:
    with Emulator(faults="delay=1.0,delay_s=0.3") as emu:
        start = time.monotonic()
        assert requests.get(emu.url + "/backends", timeout=10).status_code == 200
        assert time.monotonic() - start >= 0.3


def test_dropped_submission_is_stored_but_unanswered() -> None:
    with Emulator(faults="drop=0.5", fault_seed=3) as emu:
        api = Api(emu)
        dropped = answered = 0
        names = [f"drop test {i}" for i in range(20)]
        for name in names:
            try:
                response = api.post(
                    "/jobs", json=circuit_job([{"gate": "x", "targets": [0]}], name=name)
                )
            except requests.ConnectionError:
                dropped += 1
                api.session = requests.Session()
                api.session.headers["Authorization"] = f"apiKey {emu.api_key}"
                continue
            assert response.status_code == 201
            answered += 1
        assert dropped >= 3 and answered >= 3
        assert emu.faults is not None and emu.faults.counts["drop"] >= dropped
        for _ in range(50):  # the listing itself may be dropped; retry until it answers
            try:
                listing = api.get("/jobs", params={"limit": 100})
                break
            except requests.ConnectionError:
                continue
        stored = sorted(j["name"] for j in listing.json()["jobs"])
        assert stored == sorted(names)


@pytest.mark.parametrize(
    "spec", ["429", "429=x", "teapot=0.1", "429=0.8,503=0.3", "drop=-1", "429=0.1,429=0.2"]
)
def test_bad_fault_specs_raise_value_error(spec: str) -> None:
    with pytest.raises(ValueError):
        FaultSpec.parse(spec)
    with pytest.raises(ValueError):
        Emulator(faults=spec)


def test_empty_spec_means_no_faults() -> None:
    assert not FaultSpec.parse("")
    assert not FaultSpec.parse(None)
    assert FaultSpec.parse(" 429 = 0.25 , delay_s=1 ").fractions == {"429": 0.25}
