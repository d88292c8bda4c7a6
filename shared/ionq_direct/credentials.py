"""Where the API key and base URL come from when the caller does not pass them.

Each front-end names its own environment variables in its own order of precedence (the
qiskit-ionq and cirq-ionq conventions differ); this module resolves such a list once, the
same way for all of them, and never reports the values it read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from ionq_direct._constants import API_KEY_ENV, API_URL_ENV

__all__ = ["API_KEY_ENV", "API_URL_ENV", "first_set"]


def first_set(names: Sequence[str], environ: Mapping[str, str] | None = None) -> str | None:
    """The value of the first variable in ``names`` that is set and not blank, else ``None``.

    Args:
        names: environment variable names, highest precedence first.
        environ: the environment to read; ``os.environ`` when omitted.
    """
    env = os.environ if environ is None else environ
    for name in names:
        value = env.get(name)
        if value is not None and value.strip():
            return value.strip()
    return None
