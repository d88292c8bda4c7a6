"""ionq_direct: the framework-neutral core of ionq-direct.

It speaks IonQ's v0.4 REST API (``Client``, ``Job``), owns the IonQ gate vocabulary and JSON
circuit format, decodes results, and ships a local emulator of the service
(``ionq_direct.emulator``).
"""

from __future__ import annotations

__version__ = "0.1.0"
