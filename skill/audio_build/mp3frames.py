"""Read MP3 frame headers (stdlib only) to check a file against Alexa's format:
MPEG-2 Layer III, 48 kbps, 24000 Hz, mono.

ffmpeg starts the stream with an "Info" frame (a valid Layer III frame that carries
the LAME gapless header, no audio). It needs more room than a 48 kbps frame has, so
ffmpeg gives that one frame a higher bitrate; the audio frames are 48 kbps CBR.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MPEG_VERSIONS = {0b00: "2.5", 0b10: "2", 0b11: "1"}
LAYERS = {0b01: 3, 0b10: 2, 0b11: 1}
SAMPLE_RATES = {
    "1": (44_100, 48_000, 32_000),
    "2": (22_050, 24_000, 16_000),
    "2.5": (11_025, 12_000, 8_000),
}
# Layer III bitrates in kbps by index 1..14 (0 is "free", 15 is invalid).
LAYER3_KBPS = {
    "1": (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    "2": (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
LAYER3_KBPS["2.5"] = LAYER3_KBPS["2"]
CHANNEL_MODES = ("stereo", "joint stereo", "dual channel", "mono")
HEADER_BYTES = 4
ID3V2_HEADER_BYTES = 10


@dataclass(frozen=True)
class FrameHeader:
    mpeg_version: str  # "1", "2" or "2.5"
    layer: int
    bitrate_kbps: int
    sample_rate_hz: int
    channel_mode: str
    padded: bool
    protected: bool  # a 16-bit CRC follows the header

    @property
    def samples_per_frame(self) -> int:
        return 1152 if self.mpeg_version == "1" else 576

    @property
    def frame_bytes(self) -> int:
        slot_factor = 144 if self.mpeg_version == "1" else 72
        return slot_factor * self.bitrate_kbps * 1000 // self.sample_rate_hz + int(self.padded)


def parse_frame_header(header: bytes) -> FrameHeader:
    """Decode the 4 header bytes of a Layer III frame; ValueError if they are not one."""
    if len(header) < HEADER_BYTES:
        raise ValueError("need 4 bytes")
    b1, b2, b3 = header[1], header[2], header[3]
    if header[0] != 0xFF or b1 & 0xE0 != 0xE0:
        raise ValueError("no frame sync")
    version = MPEG_VERSIONS.get((b1 >> 3) & 0b11)
    layer = LAYERS.get((b1 >> 1) & 0b11)
    if version is None or layer is None:
        raise ValueError("reserved MPEG version or layer")
    if layer != 3:
        raise ValueError(f"Layer {layer}, not Layer III")
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 0b11
    if not 1 <= bitrate_index <= 14 or rate_index == 3:
        raise ValueError("free, invalid or reserved bitrate or sample rate")
    return FrameHeader(
        mpeg_version=version,
        layer=layer,
        bitrate_kbps=LAYER3_KBPS[version][bitrate_index - 1],
        sample_rate_hz=SAMPLE_RATES[version][rate_index],
        channel_mode=CHANNEL_MODES[b3 >> 6],
        padded=bool((b2 >> 1) & 1),
        protected=not b1 & 1,
    )


def audio_start(data: bytes) -> int:
    """Offset of the first frame: just past an ID3v2 tag if there is one."""
    if data[:3] != b"ID3" or len(data) < ID3V2_HEADER_BYTES:
        return 0
    size = 0
    for byte in data[6:10]:  # syncsafe integer: 7 bits per byte
        size = (size << 7) | (byte & 0x7F)
    footer = ID3V2_HEADER_BYTES if data[5] & 0x10 else 0
    return ID3V2_HEADER_BYTES + size + footer


def _side_info_bytes(header: FrameHeader) -> int:
    mono = header.channel_mode == "mono"
    if header.mpeg_version == "1":
        return 17 if mono else 32
    return 9 if mono else 17


def is_info_frame(data: bytes, offset: int, header: FrameHeader) -> bool:
    """True for a Xing/Info (LAME) header frame, which carries no audio."""
    start = offset + HEADER_BYTES + (2 if header.protected else 0) + _side_info_bytes(header)
    return data[start : start + 4] in (b"Xing", b"Info")


@dataclass(frozen=True)
class Frame:
    offset: int
    header: FrameHeader
    info: bool


def iter_frames(data: bytes) -> Iterator[Frame]:
    """Every frame from the start of the audio to the end (or an ID3v1 "TAG")."""
    offset = audio_start(data)
    while offset + HEADER_BYTES <= len(data):
        if data[offset : offset + 3] == b"TAG" and len(data) - offset == 128:
            return
        header = parse_frame_header(data[offset : offset + HEADER_BYTES])
        if offset + header.frame_bytes > len(data):
            raise ValueError(f"truncated frame at byte {offset}")
        yield Frame(offset, header, is_info_frame(data, offset, header))
        offset += header.frame_bytes


@dataclass(frozen=True)
class AlexaFormat:
    mpeg_version: str = "2"
    layer: int = 3
    bitrate_kbps: int = 48
    sample_rate_hz: int = 24_000
    channel_mode: str = "mono"

    @property
    def shape(self) -> tuple[str, int, int, str]:
        """Everything but the bitrate: what every frame, Info frame included, must match."""
        return (self.mpeg_version, self.layer, self.sample_rate_hz, self.channel_mode)


ALEXA_FORMAT = AlexaFormat()


def format_problems(data: bytes, expected: AlexaFormat = ALEXA_FORMAT) -> list[str]:
    """Everything in an MP3 file that does not match `expected` (empty when it all
    does). The Info header frame may have any bitrate; every audio frame must not."""
    problems: list[str] = []
    audio_frames = 0
    try:
        for frame in iter_frames(data):
            h = frame.header
            shape = (h.mpeg_version, h.layer, h.sample_rate_hz, h.channel_mode)
            if shape != expected.shape:
                problems.append(f"frame at byte {frame.offset}: {h}")
            elif not frame.info:
                audio_frames += 1
                if h.bitrate_kbps != expected.bitrate_kbps:
                    problems.append(f"frame at byte {frame.offset}: {h.bitrate_kbps} kbps")
    except ValueError as error:
        problems.append(str(error))
    if audio_frames == 0:
        problems.append("no audio frames")
    return problems
