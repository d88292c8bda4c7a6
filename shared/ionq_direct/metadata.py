"""Job metadata keys that ionq-direct reserves for itself.

They ride in each job's ``metadata`` so that a job fetched later, by any client, can be read the
same way it was submitted.
"""

from __future__ import annotations

#: Metadata key carrying the client token that makes job submission exactly-once.
CLIENT_TOKEN_KEY = "ionq_direct_token"
#: Metadata key recording the sampling seed, so a retrieved job reproduces the same counts.
SEED_METADATA_KEY = "ionq_direct_seed"
