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

#: Jobs asked for per page when looking a client token up after an ambiguous submission.
RECONCILE_PAGE_SIZE = 100
#: Pages scanned at most per lookup (a bound on a service that ignores the time order).
RECONCILE_MAX_PAGES = 50
#: After an ambiguous POST, seconds the token is looked for before the payload may be resent.
RECONCILE_SETTLE_MIN = 10.0
#: The same window as a multiple of how long the failed POST took; the longer one applies.
RECONCILE_SETTLE_FACTOR = 4.0
#: Seconds of clock disagreement allowed when judging that listed jobs predate a submission.
RECONCILE_CLOCK_SKEW = 300.0
#: A polling pause is this fraction of the time waited so far (the most a job is seen late).
POLL_RATIO = 0.1
#: Shortest pause between status checks, in seconds (the check's own round trip adds to it).
POLL_FLOOR = 0.002
#: Longest polling interval for simulator jobs, in seconds.
POLL_MAX_SIMULATOR = 5.0
#: Longest polling interval for QPU jobs, in seconds.
POLL_MAX_QPU = 30.0
