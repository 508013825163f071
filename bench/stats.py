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


def spread(values: Sequence[float], digits: int = 3) -> dict[str, Any]:
    """Median, quartiles and range of per-round values (e.g. ratios), with the values."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    q1, q3 = (
        statistics.quantiles(ordered, n=4, method="inclusive")[::2]
        if len(ordered) > 1
        else (ordered[0], ordered[0])
    )
    return {
        "n": len(ordered),
        "median": round(statistics.median(ordered), digits),
        "q1": round(q1, digits),
        "q3": round(q3, digits),
        "min": round(ordered[0], digits),
        "max": round(ordered[-1], digits),
        "values": [round(v, digits) for v in values],
    }


def describe(found: dict[str, Any], unit: str = "×") -> str:
    """'1.02× (IQR 1.00–1.04, range 0.98–1.07, 5 rounds)'."""
    if not found.get("n"):
        return "not measured"
    return (
        f"{found['median']}{unit} (IQR {found['q1']}–{found['q3']}, "
        f"range {found['min']}–{found['max']}, {found['n']} rounds)"
    )
