"""Where a :class:`~cirq_ionq_direct.Service` connects, with cirq-ionq's arguments and variables.

cirq-ionq takes ``remote_host`` (``scheme://host[:port]``; it appends ``/{api_version}``) and
``api_key``, else reads ``CIRQ_IONQ_REMOTE_HOST`` then ``IONQ_REMOTE_HOST``, and
``CIRQ_IONQ_API_KEY`` then ``IONQ_API_KEY``. This package's own ``IONQ_API_URL`` (a full API
root) comes after them. No message here ever repeats a value it was given: a misplaced API key
must not end up in an error or a log.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cirq_ionq_direct.exceptions import MissingAPIKeyError
from ionq_direct.credentials import API_URL_ENV, first_set
from ionq_direct.errors import InvalidInputError

__all__ = [
    "API_VERSION",
    "HOST_ENV",
    "KEY_ENV",
    "Connection",
    "api_root",
    "resolve",
]

#: The only API version this package speaks.
API_VERSION = "v0.4"
#: cirq-ionq's host variables, then this package's full-URL variable.
HOST_ENV = ("CIRQ_IONQ_REMOTE_HOST", "IONQ_REMOTE_HOST")
#: cirq-ionq's key variables, highest precedence first.
KEY_ENV = ("CIRQ_IONQ_API_KEY", "IONQ_API_KEY")
_ORDER_HINT = (
    "Service takes (remote_host, api_key) in that order, as cirq-ionq does; pass them by "
    "name to be sure"
)


@dataclass(frozen=True)
class Connection:
    """The API root and key a service uses (the key is never shown in ``repr``)."""

    base_url: str
    api_key: str

    def __repr__(self) -> str:
        return f"Connection(base_url={self.base_url!r})"


def _looks_like_url(value: object) -> bool:
    return isinstance(value, str) and "://" in value


def api_root(value: object, what: str, *, append_version: bool) -> str:
    """``value`` as an API root URL, refused without repeating it.

    Args:
        value: the URL given.
        what: the argument or variable it came from, for messages.
        append_version: cirq-ionq's ``remote_host`` rule: ``scheme://host[:port]`` gets
            ``/v0.4`` appended, and a version path (``/v0.3``) is replaced by it.

    Raises:
        InvalidInputError: not an ``http(s)://host`` URL (the message names what is wrong,
            never the value).
    """
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a URL string, got a {type(value).__name__}")
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInputError(
            f"{what} must be a URL such as https://api.ionq.co; the value given has no "
            f"http(s) scheme and host (is it the API key? {_ORDER_HINT})"
        )
    if parts.query or parts.fragment:
        raise InvalidInputError(f"{what} must not carry a query or fragment")
    if not append_version:
        return text.rstrip("/")
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if path and not (len(segments) == 2 and segments[1].startswith("v0.")):
        raise InvalidInputError(
            f"{what} is scheme://host[:port] (the API version is appended); for an API root "
            "with a longer path pass base_url= instead"
        )
    return f"{parts.scheme}://{parts.netloc}/{API_VERSION}"


def resolve(remote_host: str | None, api_key: str | None, base_url: str | None) -> Connection:
    """The service's URL and key from its arguments, else the environment (no network).

    Arguments accept both orders unambiguously: when ``remote_host`` is not a URL but
    ``api_key`` is, they were given in this package's earlier ``(api_key, base_url)`` order.

    Raises:
        MissingAPIKeyError: no key in the arguments or the environment.
        InvalidInputError: a bad URL, or both ``remote_host`` and ``base_url``.
    """
    if remote_host is not None and not _looks_like_url(remote_host) and _looks_like_url(api_key):
        remote_host, api_key = api_key, remote_host  # the (api_key, base_url) order
        if base_url is None:
            base_url, remote_host = remote_host, None
    if remote_host is not None and base_url is not None:
        raise InvalidInputError("pass remote_host= or base_url=, not both")
    if base_url is not None:
        url = api_root(base_url, "base_url", append_version=False)
    elif remote_host is not None:
        url = api_root(remote_host, "remote_host", append_version=True)
    else:
        host = first_set(HOST_ENV)
        if host is not None:
            url = api_root(host, "the IonQ host variable", append_version=True)
        else:
            root = first_set([API_URL_ENV])
            url = (
                api_root(root, API_URL_ENV, append_version=False)
                if root is not None
                else f"https://api.ionq.co/{API_VERSION}"
            )
    key = api_key if api_key is not None else first_set(KEY_ENV)
    if not isinstance(key, str) or not key.strip():
        raise MissingAPIKeyError(
            "no IonQ API key: pass api_key=... or set IONQ_API_KEY (or CIRQ_IONQ_API_KEY) in "
            "the environment"
        )
    if _looks_like_url(key):
        raise InvalidInputError(f"api_key looks like a URL, not a key; {_ORDER_HINT}")
    return Connection(url, key.strip())
