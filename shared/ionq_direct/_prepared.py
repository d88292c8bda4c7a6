"""Send a request through a ``requests.Session`` without its per-call merging.

``Session.request`` rebuilds every request from scratch: it merges the session's headers,
params, auth, cookies and hooks through generic ``Mapping`` checks, re-parses and re-quotes the
URL, and (when it trusts the environment) reads ``.netrc``. On loopback that was about 90 us a
request, a fifth of the emulator's answer. A transport talks to one base URL with fixed
headers, so this builds the ``PreparedRequest`` directly: the URL and its query are encoded
once per distinct pair, the session's headers are copied, and the body and cookies are
prepared by ``requests`` itself. It is then sent with ``Session.send``, so adapters, hooks,
cookies, redirects and ``requests-mock`` all apply as before, and proxies and CA bundles are
still read from the environment on each request when the session trusts it.

One difference is deliberate: ``.netrc`` credentials are never applied. ``requests`` would let
them replace the ``Authorization: apiKey`` header with HTTP basic auth, which IonQ refuses. The
session's own ``params`` and ``auth`` are not applied either: the transport sets neither.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import cast

import requests
from requests.cookies import RequestsCookieJar
from requests.models import PreparedRequest
from requests.structures import CaseInsensitiveDict

__all__ = ["prepare", "send"]


@functools.lru_cache(maxsize=512)
def _encoded_url(url: str, query: tuple[tuple[str, str], ...]) -> str:
    """``url`` with ``query`` appended, quoted exactly as ``requests`` quotes it."""
    prepared = PreparedRequest()
    prepared.prepare_url(url, list(query))
    return str(prepared.url)


def prepare(
    session: requests.Session,
    method: str,
    url: str,
    *,
    query: Sequence[tuple[str, str]] = (),
    data: bytes | None = None,
    headers: Mapping[str, str | None] | None = None,
) -> PreparedRequest:
    """The request ``session.request`` would prepare, minus ``.netrc`` auth.

    Args:
        session: supplies the default headers and cookies.
        method: the HTTP method, upper case.
        url: an absolute URL without a query.
        query: query pairs, in order.
        data: the body, already serialized.
        headers: this request's headers over the session's; ``None`` removes one.
    """
    prepared = PreparedRequest()
    prepared.method = method
    prepared.url = _encoded_url(url, tuple(query))
    # The transport's session headers are all text.
    merged = CaseInsensitiveDict(cast("Mapping[str, str]", session.headers))
    for name, value in (headers or {}).items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    prepared.headers = merged
    prepared.prepare_body(data, None)
    prepared.prepare_hooks(session.hooks)
    cookies = RequestsCookieJar()
    if session.cookies:
        cookies.update(session.cookies)  # copies of the session's, as requests merges them
    prepared.prepare_cookies(cookies)
    return prepared


def send(
    session: requests.Session, prepared: PreparedRequest, *, timeout: tuple[float, float]
) -> requests.Response:
    """Send a request from :func:`prepare` with ``session.send``, as ``session.request`` would.

    Proxies and CA bundles come from the environment on each call when the session trusts it.
    """
    if session.trust_env:
        settings = session.merge_environment_settings(prepared.url, {}, None, None, None)
    else:
        settings = {
            "proxies": session.proxies,
            "stream": session.stream,
            "verify": session.verify,
            "cert": session.cert,
        }
    return session.send(prepared, timeout=timeout, allow_redirects=True, **settings)
