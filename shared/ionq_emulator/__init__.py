"""A local emulator of IonQ's v0.4 REST API (needs the ``emulator`` extra).

``Emulator`` runs it embedded, on a free loopback port, for tests and demos; ``serve`` runs it
in the foreground for ``ionq-direct serve``. Both are imported on first use, so importing a
submodule (the catalog, the simulator) does not pull in the web stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ionq_emulator.server import Emulator, default_db_path, serve

__all__ = ["Emulator", "default_db_path", "serve"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from ionq_emulator import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
