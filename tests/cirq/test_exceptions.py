"""cirq-ionq's exception names: caught by their peer name and by the core class alike."""

from __future__ import annotations

import pytest

from cirq_ionq_direct.exceptions import (
    IonQException,
    IonQNotFoundException,
    IonQSerializerMixedGatesetsException,
    IonQUnsuccessfulJobException,
    peer_error,
)
from ionq_direct import Client
from ionq_direct.emulator import Emulator
from ionq_direct.errors import (
    APIError,
    AuthenticationError,
    InvalidInputError,
    IonQError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    RateLimitError,
)


def test_ionq_exception_carries_status_code() -> None:
    exc = IonQException("Not authorized", 401)
    assert exc.status_code == 401 and exc.message == "Not authorized"
    assert "401" in str(exc) and isinstance(exc, IonQError)
    assert IonQException("no status").status_code is None


def test_not_found_is_both_names() -> None:
    exc = IonQNotFoundException("no such job")
    assert isinstance(exc, IonQException) and isinstance(exc, NotFoundError)
    assert isinstance(exc, APIError) and exc.status_code == 404


def test_unsuccessful_job_is_a_job_failure() -> None:
    exc = IonQUnsuccessfulJobException("abc", "canceled")
    assert isinstance(exc, JobFailedError) and isinstance(exc, IonQException)
    assert exc.job_id == "abc" and exc.status == "canceled"
    assert str(exc) == "job abc was canceled"


def test_mixed_gatesets_is_bad_input() -> None:
    exc = IonQSerializerMixedGatesetsException("qis and native in one batch")
    assert isinstance(exc, InvalidInputError) and isinstance(exc, ValueError)


def test_peer_error_of_real_404() -> None:
    with Emulator() as emu, Client(emu.api_key, emu.url) as client:
        with pytest.raises(NotFoundError) as info:
            client.get_job("00000000-0000-0000-0000-000000000000")
        peer = peer_error(info.value)
    assert isinstance(peer, IonQNotFoundException) and isinstance(peer, NotFoundError)
    assert peer.message == info.value.message and peer.body == info.value.body


def test_peer_error_of_real_401_keeps_class_and_hides_key() -> None:
    secret = "sk-wrong-" + "7" * 24
    with Emulator() as emu, Client(secret, emu.url) as client:
        with pytest.raises(AuthenticationError) as info:
            list(client.list_jobs())
        peer = peer_error(info.value)
    assert isinstance(peer, IonQException) and isinstance(peer, AuthenticationError)
    assert peer.status_code == 401
    assert secret not in str(peer) and secret not in repr(peer)
    assert type(peer) is type(peer_error(AuthenticationError("x", status_code=401)))


def test_peer_error_keeps_extra_attributes() -> None:
    peer = peer_error(RateLimitError("slow down", status_code=429, retry_after=3.0))
    assert isinstance(peer, RateLimitError) and peer.retry_after == 3.0
    assert peer.status_code == 429


def test_peer_error_of_job_failure_and_cancel() -> None:
    failed = peer_error(JobFailedError("j1", "CompilationError", "bad circuit"))
    assert isinstance(failed, IonQUnsuccessfulJobException) and failed.status == "failed"
    assert "CompilationError" in str(failed) and "bad circuit" in str(failed)
    canceled = peer_error(JobFailedError("j2", "Canceled", None))
    assert isinstance(canceled, IonQUnsuccessfulJobException) and canceled.status == "canceled"


def test_peer_error_of_local_errors() -> None:
    timeout = peer_error(JobTimeoutError("still running after 5 s"))
    assert isinstance(timeout, TimeoutError) and isinstance(timeout, IonQException)
    assert str(timeout) == "still running after 5 s" and timeout.status_code is None
    bad = peer_error(InvalidInputError("shots must be positive"))
    assert isinstance(bad, ValueError) and isinstance(bad, IonQException)
    same = IonQException("already peer")
    assert peer_error(same) is same
