"""Decode any audio FFmpeg reads to 16 kHz mono float32, as a stream.

PyAV (FFmpeg's libraries) does the decoding, so wav, flac, mp3, m4a/aac, ogg/opus,
webm, aiff and the rest all work, at any sample rate and channel count. Audio is
yielded in blocks, so a long file never sits in memory whole unless the caller joins
it. Every way input can be wrong ends in one ``AudioError`` naming the source and the
problem.
"""

from __future__ import annotations

import io
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Union

import numpy as np

from seespeech.errors import AudioError, AudioTooLongError, OptionError

AUDIO_EXTENSIONS = frozenset(
    ".wav .wave .flac .mp3 .m4a .mp4 .aac .ogg .oga .opus .webm .weba .aif .aiff .aifc "
    ".wma .mka .mkv .amr .3gp .caf .au .snd .ac3 .mov .w64 .wv .spx".split()
)
#: for messages and the server's audio specs
AUDIO_EXTENSIONS_HINT = sorted(AUDIO_EXTENSIONS)

SAMPLE_RATE = 16000
#: default guard against small files that decode to hours (seconds)
#: the longest audio accepted unless asked otherwise (SEESPEECH_MAX_DURATION, read when used)
DEFAULT_MAX_DURATION = 4 * 3600.0


def max_duration_default() -> float:
    """SEESPEECH_MAX_DURATION when set, else ``DEFAULT_MAX_DURATION`` (read when called)."""
    raw = os.environ.get("SEESPEECH_MAX_DURATION", "").strip()
    if not raw:
        return DEFAULT_MAX_DURATION
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise OptionError(f"SEESPEECH_MAX_DURATION must be a positive number of seconds, not '{raw}'", "max_duration")
    return value
BLOCK_SECONDS = 30.0
#: decoding less than this share of the declared duration (less 0.1 s) means a cut-off file
TRUNCATED_SHARE = 0.9
#: where a WAV file's chunks before its audio are looked for
WAV_HEADER_BYTES = 4096


class TruncatedAudioWarning(UserWarning):
    """The audio ended before the length its container declares: what was there was used."""

AudioInput = Union[str, os.PathLike, bytes, BinaryIO, np.ndarray]


@dataclass(frozen=True)
class AudioInfo:
    """What the container says before decoding (``duration`` may be None)."""

    source: str
    codec: str
    sample_rate: int
    channels: int
    duration: float | None


def source_name(audio: AudioInput) -> str:
    if isinstance(audio, (str, os.PathLike)):
        return "<stdin>" if str(audio) == "-" else str(audio)
    if isinstance(audio, np.ndarray):
        return "<array>"
    return getattr(audio, "name", None) or "<bytes>"


def reopenable(audio: AudioInput) -> AudioInput:
    """Standard input and bytes become a named in-memory file, which can be read twice
    (probed, then decoded); anything else is returned as it is."""
    if isinstance(audio, (str, os.PathLike)) and str(audio) == "-":
        audio = io.BytesIO(sys.stdin.buffer.read())
        audio.name = "<stdin>"
    elif isinstance(audio, bytes):
        audio = io.BytesIO(audio)
    return audio


def _open_input(audio: AudioInput) -> tuple[str, object]:
    """Check what can be checked without FFmpeg; return a name and what av.open takes."""
    audio = reopenable(audio)
    name = source_name(audio)
    if isinstance(audio, (str, os.PathLike)):
        path = Path(audio)
        if not path.exists():
            raise AudioError(name, "no such file")
        if path.is_dir():
            raise AudioError(name, "is a folder, not an audio file")
        if path.stat().st_size == 0:
            raise AudioError(name, "empty file (0 bytes)")
        return name, str(path)
    if hasattr(audio, "seek"):  # a file object may be read twice: probe, then decode
        audio.seek(0, io.SEEK_END)
        if audio.tell() == 0:
            raise AudioError(name, "empty input (0 bytes)")
        audio.seek(0)
    return name, audio


def _open_container(name: str, handle: object):
    import av

    try:
        container = av.open(handle, mode="r", metadata_errors="ignore")
    except av.FFmpegError as exc:
        raise AudioError(name, f"not an audio file FFmpeg can read ({_ffmpeg_reason(exc)})") from None
    if not container.streams.audio:
        container.close()
        kind = "a video or image file without sound" if container.streams.video else "no audio stream"
        raise AudioError(name, f"has {kind}" if kind.startswith("no") else f"is {kind}")
    return container


def _ffmpeg_reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.split(":")[0].strip().rstrip(".").lower() or type(exc).__name__


def probe(audio: AudioInput) -> AudioInfo:
    """Read the container header only."""
    name, handle = _open_input(audio)
    with _open_container(name, handle) as container:
        return _info(name, container)


def _info(name: str, container) -> AudioInfo:
    stream = container.streams.audio[0]
    if stream.codec_context is None:  # a header FFmpeg parses but no decoder can read
        raise AudioError(name, "its audio stream has no codec FFmpeg can decode (a damaged or unusual header)")
    duration = None
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000
    return AudioInfo(
        name, stream.codec_context.name, stream.codec_context.sample_rate or 0,
        stream.codec_context.channels or 0, duration,
    )


def _check_length(name: str, seconds: float, max_duration: float | None) -> None:
    if max_duration is not None and seconds > max_duration:
        raise AudioTooLongError(name, seconds, max_duration,
                                " (raise it with --max-duration or SEESPEECH_MAX_DURATION)")


def decode_blocks(
    audio: AudioInput,
    block_seconds: float = BLOCK_SECONDS,
    max_duration: float | None = DEFAULT_MAX_DURATION,
    notes: list[str] | None = None,
    channels: int = 1,
) -> Iterator[np.ndarray]:
    """Yield 16 kHz mono float32 blocks of about ``block_seconds`` each (``channels`` 2:
    stereo, blocks of shape (samples, 2)).

    Samples go through FFmpeg's resampler as 16-bit integers and are scaled to
    [-1, 1) exactly like faster-whisper's own decoder, so the same file gives the
    same features (and the same transcript) as plain faster-whisper.

    A file that ends early (an interrupted upload or copy) is decoded as far as it goes,
    whatever its format; the shortfall is said in ``notes`` when given, else as a
    ``TruncatedAudioWarning``. (An MP3 without a length header declares a length guessed
    from its size, so its truncation cannot be seen.)
    """
    if isinstance(audio, np.ndarray):
        yield from _array_blocks(audio, block_seconds, max_duration)
        return
    import av

    name, handle = _open_input(audio)
    block = int(block_seconds * SAMPLE_RATE)
    with _open_container(name, handle) as container:
        info = _info(name, container)
        if info.duration is not None:
            _check_length(name, info.duration, max_duration)
        resampler = _Resampler(channels)
        pending: list[np.ndarray] = []
        pending_len = total = 0
        failed_packets = 0
        frames = container.decode(audio=0)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                frame = None
            except av.InvalidDataError:
                failed_packets += 1  # a damaged packet: skip it, as FFmpeg's CLI does
                if failed_packets > 50 and total == 0:
                    raise AudioError(name, "the audio data is damaged and could not be decoded") from None
                continue
            except av.FFmpegError as exc:
                raise AudioError(name, f"decoding failed ({_ffmpeg_reason(exc)})") from None
            for out in resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1) if channels == 1 else out.to_ndarray().reshape(-1, channels)
                pending.append(samples)
                pending_len += samples.shape[0]
                total += samples.shape[0]
            _check_length(name, total / SAMPLE_RATE, max_duration)
            while pending_len >= block or (frame is None and pending_len):
                joined = np.concatenate(pending)
                head, rest = joined[:block], joined[block:]
                yield head.astype(np.float32) / 32768.0
                pending, pending_len = ([rest], rest.shape[0]) if rest.size else ([], 0)
            if frame is None:
                break
    if total == 0:
        raise AudioError(name, "contains no audio samples")
    decoded = total / SAMPLE_RATE
    declared = max(info.duration or 0.0, _wav_declared_seconds(handle))
    if declared and decoded < TRUNCATED_SHARE * declared - 0.1:
        note = (f"{name}: the file seems truncated or damaged: it declares {declared:.2f} s but only "
                f"{decoded:.2f} s could be decoded; what was there was used")
        if notes is not None:
            notes.append(note)
        else:
            warnings.warn(note, TruncatedAudioWarning, stacklevel=2)


class _Resampler:
    """FFmpeg's resampler to 16 kHz 16-bit ``channels`` (1 or 2), or, for a layout it has no
    downmix for (9 or 32 channels of no known order: swresample refuses to build the graph,
    ``ArgumentError``), the channels averaged here first and the mono signal resampled. The
    layouts FFmpeg can mix (1–8 and 16 channels) keep its own mix, as faster-whisper's decoder
    does, so their transcripts stay the same."""

    def __init__(self, channels: int):
        self.layout = "mono" if channels == 1 else "stereo"
        self.resampler = self._new()
        self.averaging = False

    def _new(self):
        import av

        return av.AudioResampler(format="s16", layout=self.layout, rate=SAMPLE_RATE)

    def resample(self, frame) -> list:
        import av

        if frame is None or self.averaging:
            return self.resampler.resample(None if frame is None else _averaged(frame))
        try:
            return self.resampler.resample(frame)
        except av.ArgumentError:
            self.averaging = True
            try:
                tail = self.resampler.resample(None)  # what an earlier layout left in the resampler
            except av.FFmpegError:
                tail = []
            self.resampler = self._new()
            return [*tail, *self.resampler.resample(_averaged(frame))]


def _averaged(frame):
    """One frame of any sample format and channel count → a mono float frame: the mean of its
    channels."""
    import av

    data = frame.to_ndarray()
    channels = len(frame.layout.channels) or 1
    planes = data if frame.format.is_planar else data.reshape(-1, channels).T   # (channels, samples)
    if planes.dtype == np.uint8:
        planes = (planes.astype(np.float32) - 128.0) / 128.0
    elif np.issubdtype(planes.dtype, np.integer):
        planes = planes.astype(np.float32) / float(np.iinfo(planes.dtype).max + 1)
    mono = planes.mean(axis=0, dtype=np.float64).astype(np.float32)
    out = av.AudioFrame.from_ndarray(mono.reshape(1, -1), format="flt", layout="mono")
    out.sample_rate = frame.sample_rate
    return out


def _wav_declared_seconds(handle) -> float:
    """The length a WAV file's header declares (FFmpeg takes the length from the file's size,
    so a cut-off WAV looks whole to it); 0 for anything else or a header that says nothing."""
    try:
        if isinstance(handle, str):
            with open(handle, "rb") as f:
                head = f.read(WAV_HEADER_BYTES)
        elif hasattr(handle, "seek"):
            position = handle.tell()
            head = handle.read(WAV_HEADER_BYTES)
            handle.seek(position)
        else:
            return 0.0
    except OSError:
        return 0.0
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return 0.0
    byte_rate, at = 0, 12
    while at + 8 <= len(head):
        chunk, size = head[at:at + 4], int.from_bytes(head[at + 4:at + 8], "little")
        if chunk == b"fmt " and at + 16 <= len(head):
            byte_rate = int.from_bytes(head[at + 16:at + 20], "little")
        elif chunk == b"data":
            # 0 and 0xFFFFFFFF mean "unknown" (a stream written as it was recorded)
            return size / byte_rate if byte_rate and size not in (0, 0xFFFFFFFF) else 0.0
        at += 8 + size + (size & 1)
    return 0.0


def _array_blocks(array: np.ndarray, block_seconds: float, max_duration: float | None) -> Iterator[np.ndarray]:
    array = np.asarray(array)
    if array.ndim == 2:  # (samples, channels) or (channels, samples): mix down
        array = array.mean(axis=0 if array.shape[0] < array.shape[1] else 1)
    if array.ndim != 1:
        raise AudioError("<array>", f"expected a 1-D array of 16 kHz samples, got shape {array.shape}")
    if array.size == 0:
        raise AudioError("<array>", "contains no audio samples")
    if np.issubdtype(array.dtype, np.integer):
        array = array.astype(np.float32) / np.iinfo(array.dtype).max
    _check_length("<array>", array.size / SAMPLE_RATE, max_duration)
    block = int(block_seconds * SAMPLE_RATE)
    for start in range(0, array.size, block):
        yield np.ascontiguousarray(array[start:start + block], dtype=np.float32)


def load_audio(audio: AudioInput, max_duration: float | None = DEFAULT_MAX_DURATION,
               notes: list[str] | None = None) -> np.ndarray:
    """Decode the whole input to one 16 kHz mono float32 array (``notes``: as ``decode_blocks``)."""
    return np.concatenate(list(decode_blocks(audio, max_duration=max_duration, notes=notes)))
