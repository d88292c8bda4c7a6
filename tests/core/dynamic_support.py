"""Statistics shared by the dynamic-circuit tests: two samples agree within shot noise.

Each outcome's frequency in the emulated sample and in the reference sample differ by a binomial
amount whose standard deviation is ``sqrt(p (1 - p) (1/n + 1/m))``; the check allows ``SIGMAS``
of it (``p`` is the pooled frequency, at least ``1 / (n + m)``, so outcomes seen only once on
one side still get a non-zero allowance). Runs are seeded, so a passing test always passes.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

#: Standard deviations allowed per outcome.
SIGMAS = 5.0


def assert_same_distribution(
    emulated: Mapping[Hashable, int], reference: Mapping[Hashable, int], what: str = ""
) -> None:
    """Fail when some outcome's frequency differs by more than ``SIGMAS`` shot-noise sigmas."""
    n = sum(emulated.values())
    m = sum(reference.values())
    assert n > 0 and m > 0, f"{what}: empty sample"
    for key in set(emulated) | set(reference):
        a = emulated.get(key, 0) / n
        b = reference.get(key, 0) / m
        pooled = max((emulated.get(key, 0) + reference.get(key, 0)) / (n + m), 1 / (n + m))
        sigma = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
        assert abs(a - b) <= SIGMAS * sigma + 1e-12, (
            f"{what}: outcome {key!r} has frequency {a:.4f} emulated vs {b:.4f} reference "
            f"(allowed {SIGMAS * sigma:.4f}); emulated {dict(emulated)}, "
            f"reference {dict(reference)}"
        )


def assert_probabilities_match(
    exact: Mapping[Hashable, float], reference: Mapping[Hashable, int], what: str = ""
) -> None:
    """Fail when an exact distribution is outside ``SIGMAS`` sigmas of a reference sample."""
    m = sum(reference.values())
    for key in set(exact) | set(reference):
        p = exact.get(key, 0.0)
        b = reference.get(key, 0) / m
        sigma = math.sqrt(max(p * (1 - p), 1 / m) / m)
        assert abs(p - b) <= SIGMAS * sigma + 1e-9, (
            f"{what}: outcome {key!r} has probability {p:.4f} vs reference frequency {b:.4f}"
        )


def total_variation(a: Mapping[Hashable, int], b: Mapping[Hashable, int]) -> float:
    """Total variation distance between two samples' frequencies."""
    n, m = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / n - b.get(k, 0) / m) for k in set(a) | set(b))


#: Total variation two samples of a few thousand shots of the same few-outcome distribution
#: stay within (several times the ~0.01 they typically differ by).
SHOT_NOISE_TVD = 0.04


def assert_within_noise(
    noisy: Mapping[Hashable, int],
    ideal: Mapping[Hashable, int],
    channels: Mapping[float, int],
    what: str = "",
) -> None:
    """A noisy run is no further from the ideal one than its noise channels can push it.

    Each depolarizing channel of rate ``r`` leaves the state alone with probability at least
    ``1 - r``, so the outcome distribution moves by at most the sum of the rates (union bound);
    ``channels`` maps each rate to how many channels of it the run applies.
    """
    budget = sum(rate * count for rate, count in channels.items()) + SHOT_NOISE_TVD
    distance = total_variation(noisy, ideal)
    assert distance <= budget, f"{what}: total variation {distance:.4f} exceeds {budget:.4f}"
