"""``python -m ionq_direct_cli``: the same as the ``ionq-direct`` command."""

from __future__ import annotations

import sys

from ionq_direct_cli.cli import main

sys.exit(main())
