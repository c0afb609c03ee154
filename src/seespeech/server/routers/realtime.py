"""``GET /v1/realtime?intent=transcription``: live transcription over a WebSocket, in the
events of OpenAI's Realtime API (transcription sessions, beta and GA dialects).

The client appends base64 PCM16 mono audio (24 kHz, OpenAI's rate, or 16 kHz when the
session says so); Silero VAD finds the turns (``server_vad``) or the client commits them
(``turn_detection: null``); each turn's words arrive as ``...input_audio_transcription.delta``
events while the speaker talks and as ``...completed`` once the turn is over. The work is done
by ``seespeech.live.LiveTranscriber``; this module speaks the protocol. Bad events get an
``error`` event and the session goes on.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import secrets
import string
import time
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from ...errors import OptionError, SeespeechError
from ...live import (
    Committed, Completed, Delta, Failed, LiveTranscriber, Resampler, SpeechStarted, SpeechStopped, TurnDetection,
)
from ...transcribe import TranscribeOptions, warm_engine
from .. import service

router = APIRouter(tags=["realtime"])
log = logging.getLogger("seespeech.server")

#: input rates a session may declare; 24 kHz is OpenAI's (and the default)
RATES = (24000, 16000)
DEFAULT_RATE = 24000
#: the largest audio one append may carry (OpenAI's limit), decoded
MAX_APPEND_BYTES = 15 * 1024 * 1024
#: audio may run ahead of the wall clock by this factor, plus a burst of this many seconds
MAX_SPEED, BURST_SECONDS = 2.0, 30.0
#: OpenAI's transcription models: a client that names one gets the server's model
OPENAI_TRANSCRIPTION_MODELS = ("gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-live-transcribe",
                               "gpt-4o-transcribe-latest", "gpt-realtime-whisper")
LOGPROBS = "item.input_audio_transcription.logprobs"
_ALPHABET = string.ascii_letters + string.digits


def _id(prefix: str) -> str:
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(21))


class ProtocolError(Exception):
    """A bad client event: answered with an ``error`` event, the session goes on."""

    def __init__(self, message: str, code: str = "invalid_value", param: str | None = None,
                 type: str = "invalid_request_error"):
        super().__init__(message)
        self.message, self.code, self.param, self.type = message, code, param, type


class Session:
    """One connection's transcription session, in the dialect its client speaks."""

    def __init__(self, beta: bool, settings):
        self.id = _id("sess")
        self.beta = beta
        self.settings = settings
        self.model: str | None = None   # as the client named it
        self.language: str | None = None
        self.prompt: str | None = None
        self.rate = DEFAULT_RATE
        self.turn_detection: TurnDetection | None = TurnDetection()
        self.include: list[str] | None = None

    # -- reading updates ------------------------------------------------------------------

    def update(self, event: dict, ga: bool) -> None:
        """Apply a ``session.update`` (GA) or ``transcription_session.update`` (beta)."""
        session = event.get("session", event) if not ga else event.get("session")
        if not isinstance(session, dict):
            raise ProtocolError("'session' must be an object", param="session")
        if ga:
            kind = session.get("type", "transcription")
            if kind != "transcription":
                raise ProtocolError(f"this is a transcription session: session.type must be 'transcription', "
                                    f"not {kind!r}", param="session.type")
            audio = session.get("audio") or {}
            source = audio.get("input") or {} if isinstance(audio, dict) else {}
            if "format" in source:
                self._format_ga(source["format"])
            transcription = source.get("transcription", ...)
            turn = source.get("turn_detection", ...)
            prefix = "session.audio.input."
        else:
            if "input_audio_format" in session:
                fmt = session["input_audio_format"]
                if fmt != "pcm16":
                    raise ProtocolError(f"input_audio_format {fmt!r} is not supported: send pcm16",
                                        param="session.input_audio_format")
                self.rate = DEFAULT_RATE
            transcription = session.get("input_audio_transcription", ...)
            turn = session.get("turn_detection", ...)
            prefix = "session."
        if transcription is not ...:
            self._transcription(transcription or {}, prefix + ("transcription" if ga else "input_audio_transcription"))
        if turn is not ...:
            self._turn(turn, prefix + "turn_detection")
        if "include" in session:
            include = session["include"] or []
            if not isinstance(include, list):
                raise ProtocolError("include must be a list", param="session.include")
            self.include = include

    def _format_ga(self, fmt: Any) -> None:
        if not isinstance(fmt, dict) or fmt.get("type", "audio/pcm") != "audio/pcm":
            raise ProtocolError("only audio/pcm (16-bit mono) input is supported",
                                param="session.audio.input.format.type")
        rate = fmt.get("rate", DEFAULT_RATE)
        if rate not in RATES:
            raise ProtocolError(f"audio/pcm rate must be 24000 or 16000, not {rate!r}",
                                param="session.audio.input.format.rate")
        self.rate = int(rate)

    def _transcription(self, value: Any, param: str) -> None:
        if not isinstance(value, dict):
            raise ProtocolError(f"{param} must be an object", param=param)
        if "model" in value and value["model"]:
            model = str(value["model"])
            if model not in OPENAI_TRANSCRIPTION_MODELS:
                served = service.whisper_models(self.settings)
                if model not in served:
                    raise ProtocolError(f"model '{model}' is not served here; choose one of {', '.join(served)}",
                                        code="model_not_found", param=param + ".model")
            self.model = model
        if "language" in value:
            language = value["language"] or None
            if language:
                try:
                    from ...languages import resolve_language

                    language = resolve_language(language)
                except OptionError as exc:
                    raise ProtocolError(str(exc), param=param + ".language") from None
            self.language = language
        if "prompt" in value:
            self.prompt = value["prompt"] or None

    def _turn(self, value: Any, param: str) -> None:
        if value is None:
            self.turn_detection = None
            return
        if not isinstance(value, dict):
            raise ProtocolError(f"{param} must be an object or null", param=param)
        kind = value.get("type", "server_vad")
        if kind not in ("server_vad", "semantic_vad"):
            raise ProtocolError(f"turn detection {kind!r} is not supported: use server_vad or null",
                                param=param + ".type")
        current = self.turn_detection or TurnDetection()
        try:
            self.turn_detection = TurnDetection(
                threshold=float(value.get("threshold", current.threshold)),
                prefix_padding_ms=int(value.get("prefix_padding_ms", current.prefix_padding_ms)),
                silence_duration_ms=int(value.get("silence_duration_ms", current.silence_duration_ms)),
            ).validated()
        except (TypeError, ValueError):
            raise ProtocolError(f"{param}: threshold and the times must be numbers", param=param) from None
        except OptionError as exc:
            raise ProtocolError(str(exc), param=f"{param}.{exc.param}") from None

    # -- describing itself -----------------------------------------------------------------

    def engine_key(self) -> tuple[str, str | None]:
        model = None if self.model in OPENAI_TRANSCRIPTION_MODELS else self.model
        return service.engine_key(self.settings, model)

    def describe(self, ga: bool) -> dict:
        turn = None if self.turn_detection is None else {
            "type": "server_vad", "threshold": self.turn_detection.threshold,
            "prefix_padding_ms": self.turn_detection.prefix_padding_ms,
            "silence_duration_ms": self.turn_detection.silence_duration_ms,
        }
        transcription = {"model": self.model or service.WHISPER_ALIAS, "language": self.language,
                         "prompt": self.prompt or ""}
        if ga:
            return {"id": self.id, "object": "realtime.transcription_session", "type": "transcription",
                    "audio": {"input": {"format": {"type": "audio/pcm", "rate": self.rate}, "noise_reduction": None,
                                        "transcription": transcription, "turn_detection": turn}},
                    "include": self.include}
        return {"id": self.id, "object": "realtime.transcription_session", "modalities": ["text"],
                "input_audio_format": "pcm16", "input_audio_transcription": transcription,
                "turn_detection": turn, "input_audio_noise_reduction": None, "include": self.include,
                "client_secret": None}


def _offered(websocket: WebSocket) -> list[str]:
    raw = websocket.headers.get("sec-websocket-protocol", "")
    return [p.strip() for p in raw.split(",") if p.strip()]


@router.websocket("/v1/realtime")
async def realtime(websocket: WebSocket):
    """Live transcription (OpenAI Realtime API, transcription mode)."""
    app = websocket.app
    settings = app.state.settings
    offered = _offered(websocket)
    beta = websocket.headers.get("openai-beta", "").startswith("realtime") or "openai-beta.realtime-v1" in offered
    subprotocol = "realtime" if "realtime" in offered else None
    await websocket.accept(subprotocol=subprotocol)
    connection = Connection(websocket, Session(beta, settings))
    sessions = app.state.live_sessions
    if sessions["open"] >= settings.max_live_sessions:
        await connection.error(f"the server already runs {settings.max_live_sessions} live sessions, its limit: "
                               "try again later", code="session_limit_reached", type="server_error")
        await websocket.close(code=1013, reason="too many live sessions")
        return
    if websocket.query_params.get("intent", "transcription") != "transcription":
        await connection.error("this server runs transcription sessions only: connect with ?intent=transcription",
                               code="unsupported_intent", param="intent")
        await websocket.close(code=1008, reason="transcription only")
        return
    sessions["open"] += 1
    log.info("realtime session %s opened (%s dialect)", connection.session.id, "beta" if beta else "GA")
    try:
        await connection.run()
    finally:
        sessions["open"] -= 1
        connection.stop()
        log.info("realtime session %s closed after %.1f s of audio", connection.session.id, connection.seconds)


class Connection:
    """Reads client events, feeds the live transcriber, sends its events back."""

    def __init__(self, websocket: WebSocket, session: Session):
        self.websocket, self.session = websocket, session
        self.loop = asyncio.get_running_loop()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.live: LiveTranscriber | None = None
        self.resampler: Resampler | None = None
        self.seconds = 0.0
        self.started = time.monotonic()
        self.item_audio: dict[str, float] = {}
        self.sender: asyncio.Task | None = None

    async def send(self, event: dict) -> None:
        await self.websocket.send_text(json.dumps({"event_id": _id("event"), **event}, ensure_ascii=False))

    async def error(self, message: str, code: str = "invalid_value", param: str | None = None,
                    type: str = "invalid_request_error", event_id: str | None = None) -> None:
        await self.send({"type": "error", "error": {"type": type, "code": code, "message": message,
                                                    "param": param, "event_id": event_id}})

    async def run(self) -> None:
        session = self.session
        await self.send({"type": "transcription_session.created" if session.beta else "session.created",
                         "session": session.describe(not session.beta)})
        self.sender = asyncio.create_task(self._send_events())
        try:
            while True:
                try:
                    text = await self.websocket.receive_text()
                except WebSocketDisconnect:
                    return
                except KeyError:   # a binary frame: the protocol is JSON text
                    await self.error("send events as JSON text frames", code="invalid_event")
                    continue
                event_id = None
                try:
                    event = json.loads(text)
                    if not isinstance(event, dict):
                        raise ProtocolError("an event is a JSON object", code="invalid_event")
                    event_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
                    await self.handle(event)
                except json.JSONDecodeError as exc:
                    await self.error(f"the event is not valid JSON ({exc.msg} at character {exc.pos})",
                                     code="invalid_json")
                except ProtocolError as exc:
                    await self.error(exc.message, exc.code, exc.param, exc.type, event_id)
                except SeespeechError as exc:
                    await self.error(str(exc), code="invalid_value", event_id=event_id)
        finally:
            if self.live is not None:
                self.live.abort()
            if self.sender is not None:
                self.sender.cancel()

    def stop(self) -> None:
        if self.live is not None:
            self.live.abort()

    async def handle(self, event: dict) -> None:
        kind = event.get("type")
        if not isinstance(kind, str):
            raise ProtocolError("the event has no 'type'", code="invalid_event", param="type")
        if kind in ("session.update", "transcription_session.update"):
            ga = kind == "session.update"
            await self._restart_if_needed(lambda: self.session.update(event, ga))
            await self.send({"type": "session.updated" if ga else "transcription_session.updated",
                             "session": self.session.describe(ga)})
        elif kind == "input_audio_buffer.append":
            await self._append(event.get("audio"))
        elif kind == "input_audio_buffer.commit":
            live = await self._live()
            if live.turn is None or live.turn.samples < 0.1 * 16000:
                buffered = 0.0 if live.turn is None else live.turn.samples / 16
                raise ProtocolError("Error committing input audio buffer: buffer too small. Expected at least "
                                    f"100ms of audio, but buffer only has {buffered:.2f}ms of audio.",
                                    code="input_audio_buffer_commit_empty")
            live.commit()
        elif kind == "input_audio_buffer.clear":
            if self.live is not None:
                self.live.clear()
            await self.send({"type": "input_audio_buffer.cleared"})
        elif kind in ("response.create", "response.cancel", "conversation.item.create"):
            raise ProtocolError(f"{kind} is not available in a transcription session", code="invalid_event",
                                param="type")
        else:
            raise ProtocolError(f"unknown event type {kind!r}", code="invalid_event", param="type")

    async def _restart_if_needed(self, apply) -> None:
        """A new model, language, prompt or turn detection applies from the next turn: the turn
        in progress is finished with the settings it started with."""
        before = (self.session.engine_key(), self.session.language, self.session.prompt,
                  self.session.turn_detection, self.session.rate)
        apply()
        after = (self.session.engine_key(), self.session.language, self.session.prompt,
                 self.session.turn_detection, self.session.rate)
        if before != after and self.live is not None:
            live, self.live = self.live, None
            await asyncio.to_thread(live.close)
        if self.session.rate != before[4]:
            self.resampler = None

    async def _live(self) -> LiveTranscriber:
        if self.live is None:
            engine_name, model = self.session.engine_key()
            try:
                engine = await asyncio.to_thread(warm_engine, engine_name, model)
            except SeespeechError as exc:
                raise ProtocolError(str(exc), code="model_not_found",
                                    param="session.audio.input.transcription.model") from None
            options = TranscribeOptions(language=self.session.language, initial_prompt=self.session.prompt,
                                        max_duration=None).validated()
            try:
                engine.check(options)
            except OptionError as exc:
                raise ProtocolError(str(exc), param="session.audio.input.transcription.language") from None
            self.live = LiveTranscriber(engine, options, self._emit, self.session.turn_detection)
        return self.live

    async def _append(self, audio: Any) -> None:
        if not isinstance(audio, str):
            raise ProtocolError("input_audio_buffer.append needs 'audio': base64 PCM16 mono", param="audio")
        if len(audio) > MAX_APPEND_BYTES * 4 // 3 + 4:
            raise ProtocolError(f"one append may carry at most {MAX_APPEND_BYTES // 1024 // 1024} MiB of audio",
                                code="audio_too_large", param="audio")
        try:
            pcm = base64.b64decode(audio, validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError("'audio' is not valid base64", code="invalid_base64", param="audio") from None
        if len(pcm) % 2:
            pcm = pcm[:-1]
        seconds = len(pcm) / 2 / self.session.rate
        elapsed = time.monotonic() - self.started
        if self.seconds + seconds > elapsed * MAX_SPEED + BURST_SECONDS:
            raise ProtocolError(f"audio is arriving faster than {MAX_SPEED:g}× real time: send it as it is "
                                "recorded (this chunk was dropped), or send files to /v1/audio/transcriptions",
                                code="audio_too_fast", param="audio")
        if self.seconds + seconds > self.session.settings.max_duration:
            raise ProtocolError(f"the session reached the limit of {self.session.settings.max_duration:.0f} s of "
                                "audio: open a new one", code="audio_too_long", param="audio")
        self.seconds += seconds
        live = await self._live()
        if self.resampler is None:
            self.resampler = Resampler(self.session.rate)
        live.feed(self.resampler(pcm))

    def _emit(self, event) -> None:
        """From the transcriber (any thread) to the sender task."""
        self.loop.call_soon_threadsafe(self.outbox.put_nowait, event)

    async def _send_events(self) -> None:
        ga = not self.session.beta
        while True:
            event = await self.outbox.get()
            try:
                for message in self._messages(event, ga):
                    await self.send(message)
            except (WebSocketDisconnect, RuntimeError):
                return

    def _messages(self, event, ga: bool) -> list[dict]:
        item = {"object": "realtime.item", "type": "message", "role": "user"}
        if isinstance(event, SpeechStarted):
            return [{"type": "input_audio_buffer.speech_started", "audio_start_ms": event.audio_start_ms,
                     "item_id": event.item_id}]
        if isinstance(event, SpeechStopped):
            return [{"type": "input_audio_buffer.speech_stopped", "audio_end_ms": event.audio_end_ms,
                     "item_id": event.item_id}]
        if isinstance(event, Committed):
            created = {"type": "conversation.item.added" if ga else "conversation.item.created",
                       "previous_item_id": event.previous_item_id,
                       "item": {"id": event.item_id, **item, "status": "completed",
                                "content": [{"type": "input_audio", "transcript": None}]}}
            return [{"type": "input_audio_buffer.committed", "previous_item_id": event.previous_item_id,
                     "item_id": event.item_id}, created]
        if isinstance(event, Delta):
            return [{"type": "conversation.item.input_audio_transcription.delta", "item_id": event.item_id,
                     "content_index": 0, "delta": event.delta}]
        if isinstance(event, Completed):
            out = [{"type": "conversation.item.input_audio_transcription.completed", "item_id": event.item_id,
                    "content_index": 0, "transcript": event.transcript,
                    "usage": {"type": "duration", "seconds": round(event.end - event.start, 3)}}]
            if ga:
                out.append({"type": "conversation.item.done", "item": {
                    "id": event.item_id, **item, "status": "completed",
                    "content": [{"type": "input_audio", "transcript": event.transcript}]}})
            return out
        if isinstance(event, Failed):
            return [{"type": "conversation.item.input_audio_transcription.failed", "item_id": event.item_id,
                     "content_index": 0, "error": {"type": "transcription_error", "code": "transcription_failed",
                                                   "message": event.message, "param": None}}]
        return []
