"""Small statistics helpers: percentiles and summaries, in milliseconds."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation): a value that was observed."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float], scale: float = 1000.0) -> Summary:
        """Seconds in, milliseconds out (by default)."""
        scaled = [value * scale for value in values]
        return cls(
            n=len(scaled),
            mean=statistics.fmean(scaled) if scaled else float("nan"),
            p50=percentile(scaled, 0.50),
            p95=percentile(scaled, 0.95),
            p99=percentile(scaled, 0.99),
            max=max(scaled) if scaled else float("nan"),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            key: round(value, 4) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }


def ratio(ours: float, baseline: float) -> float:
    return round(ours / baseline, 3) if baseline else float("nan")
