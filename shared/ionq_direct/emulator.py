"""The local emulator, under its historical name: a thin re-export of :mod:`ionq_emulator`.

``from ionq_direct.emulator import Emulator, serve`` keeps working; the emulator itself lives in
the ``ionq_emulator`` package (it needs the ``emulator`` extra). The core never imports this
module: only a user who asks for the emulator by this name loads it.
"""

from __future__ import annotations

from ionq_emulator import Emulator, default_db_path, serve

__all__ = ["Emulator", "default_db_path", "serve"]
