"""Policy numbers for the REST layer, polling and API limits, written down once.

Every default the client uses lives here so it can be read, tested and changed in one place.
"""

from __future__ import annotations

#: Where the IonQ v0.4 API lives unless ``IONQ_API_URL`` or ``base_url`` says otherwise.
DEFAULT_BASE_URL = "https://api.ionq.co/v0.4"
#: Environment variable holding the API key.
API_KEY_ENV = "IONQ_API_KEY"
#: Environment variable holding the base URL.
API_URL_ENV = "IONQ_API_URL"

#: Seconds allowed to open a connection.
CONNECT_TIMEOUT = 5.0
#: Seconds allowed between bytes of a response.
READ_TIMEOUT = 60.0

#: Retries after the first attempt for retryable failures.
MAX_RETRIES = 3
#: First backoff delay in seconds; each retry doubles it.
BACKOFF_INITIAL = 0.5
#: Longest backoff delay in seconds, before jitter.
BACKOFF_MAX = 8.0
#: Fraction of the delay added or removed at random so clients do not retry in step.
BACKOFF_JITTER = 0.25
#: Longest ``Retry-After`` the client will honour, in seconds.
RETRY_AFTER_MAX = 120.0
#: Statuses that a GET, PUT or DELETE retries.
RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, *range(520, 530)})

#: Jobs scanned per page, and pages scanned, when reconciling an ambiguous submission.
RECONCILE_PAGE_SIZE = 100
RECONCILE_MAX_PAGES = 3
#: First status check after submission, in seconds.
POLL_INITIAL = 0.05
#: Growth factor of the polling interval.
POLL_FACTOR = 1.5
#: Longest polling interval for simulator jobs, in seconds.
POLL_MAX_SIMULATOR = 5.0
#: Longest polling interval for QPU jobs, in seconds.
POLL_MAX_QPU = 30.0
