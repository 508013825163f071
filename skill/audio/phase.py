"""Breathing in step on the wall clock: every Silent Sync breath begins at a whole
multiple of its breath cycle counted from one fixed epoch, so two devices in two
rooms (or two homes) that start within the same minute breathe together with no
coordination between them.

Pure stdlib, no I/O: the running skill imports it on every sync.

The plan for one response, from what the skill knows when it answers:

    heard_at  = request timestamp + RESPONSE_START_MS   (Alexa starts speaking)
    ready_at  = heard_at + speech before the first inhale (the intro, the chime)
    inhale_at = the first multiple of the cycle at or after ready_at + MIN_SETTLE_MS
    lead-in   = inhale_at - ready_at                     (silence, SSML breaks)

The lead-in is the only free number: it sits between the intro and the breathing,
so the breathing starts on the grid and then runs whole cycles (hosted tracks are
exact by construction; spoken cues are paced from the same estimate).

What the estimate cannot know, and the error it gives (docs/audio.md, "Breathing in
step, apart", has the measurements):

- Alexa writes request timestamps in whole seconds (truncated): the request was made
  0 to 1 s after it. RESPONSE_START_MS counts the mean (0.5 s) plus the round trip
  and the start of speech (about 1 s); either may be off by half a second.
- The spoken intro's length comes from a word-count estimate (`skill.screens.timing`,
  155 words a minute); against a real synthesiser at that rate it was off by up to
  SPEECH_RATE_ERROR of the speech's length.
- A sound-library chime has no published length; it counts as 1.5 s, +-0.5 s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

# The fixed epoch the grid counts from: the Unix epoch, the same on every device.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# From the request timestamp to the first sound of the answer: half a second of
# timestamp truncation on average, plus the round trip and the start of speech.
RESPONSE_START_MS = 1_500
# At least this much quiet between the last word of the intro and the first inhale.
MIN_SETTLE_MS = 2_000
# The error of the estimate, each part as a bound (see the module docstring).
TIMESTAMP_ERROR_MS = 500
LATENCY_ERROR_MS = 500
SPEECH_RATE_ERROR = 0.10
CHIME_ERROR_MS = 500


@dataclass(frozen=True)
class Lock:
    """Where one response's breathing sits on the clock (milliseconds since EPOCH)."""

    cycle_ms: int
    heard_at_ms: int
    ready_at_ms: int
    first_inhale_ms: int

    @property
    def lead_in_ms(self) -> int:
        """Silence between the last sound before the breathing and the first inhale."""
        return self.first_inhale_ms - self.ready_at_ms

    @property
    def start_delay_ms(self) -> int:
        """From the first sound of the answer to the first inhale (a screen's delay)."""
        return self.first_inhale_ms - self.heard_at_ms

    def inhale_ms(self, breath: int) -> int:
        """When breath number `breath` (0 is the first) begins."""
        return self.first_inhale_ms + breath * self.cycle_ms


def epoch_ms(moment: datetime) -> int:
    """`moment` as whole milliseconds since EPOCH (naive times are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return math.floor((moment - EPOCH).total_seconds() * 1000)


def next_on_grid(at_ms: int, cycle_ms: int) -> int:
    """The first whole multiple of `cycle_ms` at or after `at_ms`."""
    if cycle_ms <= 0:
        raise ValueError("a breath cycle must be positive")
    return -(-at_ms // cycle_ms) * cycle_ms


def lock(requested_at: datetime, spoken_before_ms: int, cycle_ms: int) -> Lock:
    """The plan for a response to a request made at `requested_at` whose speech
    before the first inhale takes `spoken_before_ms` (the lead-in not counted)."""
    heard = epoch_ms(requested_at) + RESPONSE_START_MS
    ready = heard + max(spoken_before_ms, 0)
    return Lock(cycle_ms, heard, ready, next_on_grid(ready + MIN_SETTLE_MS, cycle_ms))


def phase_of(at_ms: int, cycle_ms: int) -> int:
    """Milliseconds since the last breath of the grid began at `at_ms`."""
    return at_ms % cycle_ms


def phase_gap_ms(one_ms: int, other_ms: int, cycle_ms: int) -> int:
    """How far apart two moments are in the breath: 0 when both begin a breath, at
    most half a cycle."""
    gap = (one_ms - other_ms) % cycle_ms
    return min(gap, cycle_ms - gap)


def estimate_error_ms(spoken_before_ms: int, *, chime: bool) -> int:
    """The bound on how far the first inhale may be from its place on the grid, for
    `spoken_before_ms` of estimated speech (with a sound-library chime or not)."""
    speech = round(SPEECH_RATE_ERROR * max(spoken_before_ms, 0))
    return TIMESTAMP_ERROR_MS + LATENCY_ERROR_MS + speech + (CHIME_ERROR_MS if chime else 0)
