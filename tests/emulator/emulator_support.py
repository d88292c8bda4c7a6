"""HTTP helpers for the emulator tests: a key-carrying client and job bodies."""

from __future__ import annotations

import socket
import time
import types
from typing import Any

import requests

from ionq_emulator import Emulator

TERMINAL = {"completed", "failed", "canceled"}

GHZ_INPUT: dict[str, Any] = {
    "qubits": 3,
    "gateset": "qis",
    "circuit": [
        {"gate": "h", "targets": [0]},
        {"gate": "cnot", "controls": [0], "targets": [1]},
        {"gate": "cnot", "controls": [0], "targets": [2]},
    ],
}


def public_names(module: types.ModuleType, *packages: str) -> list[str]:
    """Names without an underscore that ``module`` holds and that ``packages`` define."""
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", "").startswith(packages)
    )


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: A valid two-circuit simulator job (an H on qubit 0, an X on qubit 1).
MULTI_JOB: dict[str, Any] = {
    "type": "ionq.multi-circuit.v1",
    "backend": "simulator",
    "input": {
        "gateset": "qis",
        "qubits": 2,
        "circuits": [
            {"circuit": [{"gate": "h", "targets": [0]}]},
            {"circuit": [{"gate": "x", "targets": [1]}]},
        ],
    },
}


def circuit_job(circuit: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A valid single-circuit simulator job body."""
    qubits = extra.pop("qubits", None)
    body: dict[str, Any] = {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "input": {"gateset": extra.pop("gateset", "qis"), "circuit": circuit},
    }
    if qubits is not None:
        body["input"]["qubits"] = qubits
    body.update(extra)
    return body


class Api:
    """A ``requests`` session bound to an emulator's base URL and key."""

    def __init__(self, emulator: Emulator, key: str | None = None) -> None:
        self.emulator = emulator
        self.base = emulator.url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"apiKey {key or emulator.api_key}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def submit(self, body: dict[str, Any]) -> str:
        response = self.post("/jobs", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def wait(self, job_id: str, *, timeout: float = 30.0, until: set[str] = TERMINAL) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/jobs/{job_id}").json()
            if job["status"] in until:
                return job
            assert time.monotonic() < deadline, f"job {job_id} stuck in {job['status']}"
            time.sleep(0.02)

    def run(self, body: dict[str, Any], *, timeout: float = 30.0) -> Any:
        return self.wait(self.submit(body), timeout=timeout)


def run_spec(circuit: list[dict[str, Any]], qubits: int = 2, **extra: Any) -> dict[str, Any]:
    """A stored run spec (what a worker simulates): ideal, 100 shots, unless ``extra`` says."""
    spec: dict[str, Any] = {
        "circuit": circuit,
        "qubits": qubits,
        "gateset": "qis",
        "shots": 100,
        "noise_model": "ideal",
        "seed": None,
    }
    spec.update(extra)
    return spec
