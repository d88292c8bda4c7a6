"""The local emulator, under its historical name: a thin re-export of :mod:`ionq_emulator`.

``from ionq_direct.emulator import Emulator, serve`` keeps working; the emulator itself lives in
the ``ionq_emulator`` package (it needs the ``emulator`` extra). Nothing is imported until a name
is used, so the core never loads the web stack on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ionq_emulator import Emulator, default_db_path, serve

__all__ = ["Emulator", "default_db_path", "serve"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import ionq_emulator

        return getattr(ionq_emulator, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
