"""Home Assistant's Wyoming protocol: speech → text and text → speech for voice assistants.

Built on the ``wyoming`` package's own events and server (MIT). A client (Home Assistant's
Wyoming integration) asks ``describe`` and gets ``info``: our speech models with their
languages, and the Piper voice when the tts extra is installed. Then:

* **speech → text**: ``transcribe`` (optional model name and language), ``audio-start``,
  ``audio-chunk``… (any rate, width and channels: converted to 16 kHz 16-bit mono as they
  arrive), ``audio-stop`` → ``transcript-start``, a ``transcript-chunk`` per segment, and
  ``transcript-stop`` (protocol 1.7's streaming), then ``transcript`` with the whole text;
* **text → speech**: ``synthesize`` → ``audio-start``, ``audio-chunk``… (a sentence at a time,
  16-bit mono at the voice's rate), ``audio-stop``.

What cannot be done is an ``error`` event (text and code); the connection stays open.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

import numpy as np
from wyoming.asr import Transcribe, Transcript, TranscriptChunk, TranscriptStart, TranscriptStop
from wyoming.audio import AudioChunk, AudioChunkConverter, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import AsrModel, AsrProgram, Attribution, Describe, Info, TtsProgram, TtsVoice
from wyoming.server import AsyncEventHandler, AsyncServer
from wyoming.tts import Synthesize

from seespeech import __version__
from seespeech.errors import SeespeechError
from seespeech.languages import NAMES
from seespeech.speech import ENGINES, TranscribeOptions, split_model, warm_engine
from seespeech.speech.registry import served_names

log = logging.getLogger("seespeech.server")

#: what the models hear: 16 kHz, 16-bit, mono
RATE, WIDTH, CHANNELS = 16000, 2, 1
#: samples per audio-chunk sent back (Piper and wyoming-piper use 1024)
SAMPLES_PER_CHUNK = 1024
#: a request's audio is cut off past this many seconds (a voice command is a few)
MAX_SECONDS = 300
ATTRIBUTION = Attribution(name="seespeech", url="https://github.com/seespeech")


def describe(models: list[str], default: str) -> Info:
    """The programs and models a client may choose from."""
    asr_models = []
    for name in dict.fromkeys([default, *models]):
        engine, model = split_model(name)
        english_only = engine != "whisper" or (model or "").endswith(".en")
        asr_models.append(AsrModel(
            name=name, description=f"{ENGINES[engine].summary}: {model or ENGINES[engine].default_model}",
            attribution=ATTRIBUTION, installed=True, version=__version__,
            languages=["en"] if english_only else sorted(NAMES)))
    info = Info(asr=[AsrProgram(name="seespeech", description="seespeech speech to text (offline)",
                                attribution=ATTRIBUTION, installed=True, version=__version__,
                                models=asr_models, supports_transcript_streaming=True)])
    from seespeech.jobs.tts import DEFAULT_VOICE, tts_installed

    if tts_installed():
        info.tts = [TtsProgram(name="seespeech-piper", description="Piper voices (offline)",
                               attribution=Attribution(name="Piper", url="https://github.com/OHF-Voice/piper1-gpl"),
                               installed=True, version=__version__,
                               voices=[TtsVoice(name=DEFAULT_VOICE, description="en_US joe (CC0)",
                                                attribution=ATTRIBUTION, installed=True, version=None,
                                                languages=["en_US"])])]
    return info


class SpeechHandler(AsyncEventHandler):
    """One client's connection: its events, in order."""

    def __init__(self, info: Info, default_model: str, reader, writer) -> None:
        super().__init__(reader, writer)
        self.info, self.default_model = info, default_model
        self.names = {m.name for program in info.asr for m in program.models}
        self._reset()

    async def _refuse_format(self, audio) -> bool:
        """An error event for audio that cannot be converted (the connection goes on)."""
        width_ok, channels_ok = audio.width in (1, 2, 3, 4), audio.channels in (1, 2)
        rate_ok = 1000 <= audio.rate <= 384000
        whole = audio.width * audio.channels
        if width_ok and channels_ok and rate_ok and (not isinstance(audio, AudioChunk) or len(audio.audio) % whole == 0):
            return False
        await self.write_event(Error(text=f"audio of {audio.rate} Hz, {audio.width}-byte samples and {audio.channels} "
                                     "channel(s) cannot be read: send 1-4 byte samples, 1 or 2 channels, "
                                     "1000-384000 Hz, whole frames", code="unsupported_audio_format").event())
        return True

    def _reset(self) -> None:
        self.refused = False
        self.model, self.language = self.default_model, None
        self.audio: list[bytes] = []
        self.converter = AudioChunkConverter(rate=RATE, width=WIDTH, channels=CHANNELS)

    async def handle_event(self, event: Event) -> bool:
        try:
            await self._handle(event)
        except SeespeechError as exc:
            await self.write_event(Error(text=str(exc), code=type(exc).__name__).event())
            self._reset()
        return True

    async def _handle(self, event: Event) -> None:
        if Describe.is_type(event.type):
            await self.write_event(self.info.event())
        elif Transcribe.is_type(event.type):
            asked = Transcribe.from_event(event)
            if asked.name and asked.name not in self.names:
                await self.write_event(Error(text=f"model '{asked.name}' is not served here; choose one of "
                                             f"{', '.join(sorted(self.names))}", code="model_not_found").event())
                return
            self.model, self.language = asked.name or self.default_model, asked.language or None
        elif AudioStart.is_type(event.type):
            self.audio = []
            self.converter = AudioChunkConverter(rate=RATE, width=WIDTH, channels=CHANNELS)
            self.refused = await self._refuse_format(AudioStart.from_event(event))
        elif AudioChunk.is_type(event.type):
            chunk = AudioChunk.from_event(event)
            if self.refused or await self._refuse_format(chunk):
                self.refused = True   # said once; the rest of this audio is dropped
                return
            if sum(map(len, self.audio)) < MAX_SECONDS * RATE * WIDTH:
                self.audio.append(self.converter.convert(chunk).audio)
        elif AudioStop.is_type(event.type):
            if self.refused:
                self._reset()
                return
            await self._transcribe()
        elif Synthesize.is_type(event.type):
            await self._synthesize(Synthesize.from_event(event))

    async def _transcribe(self) -> None:
        samples = np.frombuffer(b"".join(self.audio), np.int16).astype(np.float32) / 32768.0
        language = self.language.split("_")[0].split("-")[0] if self.language else None
        engine, model = split_model(self.model)
        options = ENGINES[engine].check(TranscribeOptions(language=language, max_duration=None), model)
        loaded = await asyncio.to_thread(warm_engine, engine, model)
        await self.write_event(TranscriptStart(language=language).event())
        loop, said = asyncio.get_running_loop(), []

        def segment(s) -> None:   # each segment as it is decoded, from the worker thread
            said.append(s)
            asyncio.run_coroutine_threadsafe(self.write_event(TranscriptChunk(text=s.text).event()), loop)

        if samples.size:
            transcript = await asyncio.to_thread(partial(loaded.transcribe, on_segment=segment), samples, options)
            text, language = transcript.text, transcript.language
        else:
            text = ""
        await self.write_event(TranscriptStop().event())
        await self.write_event(Transcript(text=text, language=language).event())
        log.info("wyoming: %.1f s of audio → %d characters (%s)", samples.size / RATE, len(text), loaded.label)
        self._reset()

    async def _synthesize(self, request: Synthesize) -> None:
        from seespeech.jobs.tts import DEFAULT_VOICE, check_request, load_voice, sentences

        name = check_request(request.text, (request.voice.name if request.voice else None) or DEFAULT_VOICE)
        voice = await asyncio.to_thread(load_voice, name)
        await self.write_event(AudioStart(rate=voice.rate, width=WIDTH, channels=CHANNELS).event())
        for sentence in sentences(request.text):
            audio = await asyncio.to_thread(voice.synthesize, sentence)
            pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
            step = SAMPLES_PER_CHUNK * WIDTH
            for start in range(0, len(pcm), step):
                await self.write_event(AudioChunk(rate=voice.rate, width=WIDTH, channels=CHANNELS,
                                                  audio=pcm[start:start + step]).event())
        await self.write_event(AudioStop().event())


async def serve_wyoming(uri: str, default_model: str) -> None:
    """Run the Wyoming server at ``uri`` (tcp://HOST:PORT, unix://PATH) until cancelled; the
    models offered are the HTTP API's (``registry.served_names``)."""
    info = describe(served_names(default_model), default_model)
    server = AsyncServer.from_uri(uri)
    log.info("wyoming: serving %s on %s", ", ".join(m.name for p in info.asr for m in p.models), uri)
    await server.run(partial(SpeechHandler, info, default_model))
