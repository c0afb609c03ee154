"""``GET /v1/realtime?intent=transcription``: live transcription over a WebSocket, in the
events of OpenAI's Realtime API (transcription sessions, beta and GA dialects).

The client appends base64 PCM16 mono audio (24 kHz, OpenAI's rate, or 16 kHz when the
session says so); Silero VAD finds the turns (``server_vad``) or the client commits them
(``turn_detection: null``); each turn's words arrive as ``...input_audio_transcription.delta``
events while the speaker talks and as ``...completed`` once the turn is over. The work is done
by ``seespeech.speech.live.LiveTranscriber``; this module speaks the protocol. Bad events get an
``error`` event and the session goes on.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import math
import secrets
import string
import time
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from seespeech.errors import OptionError, SeespeechError
from seespeech.speech.live import (
    EAGERNESS, Committed, Completed, Delta, Failed, LiveTranscriber, Resampler, SpeechStarted, SpeechStopped,
    TurnDetection,
)
from seespeech.speech import ENGINES, TranscribeOptions, warm_engine
from seespeech.server import service

router = APIRouter(tags=["realtime"])
log = logging.getLogger("seespeech.server")

#: input rates a session may declare; 24 kHz is OpenAI's (and the default)
RATES = (24000, 16000)
DEFAULT_RATE = 24000
#: the largest audio one append may carry (OpenAI's limit), decoded, and as base64
MAX_APPEND_BYTES = 15 * 1024 * 1024
MAX_APPEND_BASE64 = 4 * -(-MAX_APPEND_BYTES // 3)
#: the largest WebSocket frame the server reads (uvicorn's ``ws_max_size``): an append of the
#: largest audio and its JSON, with room to spare so that an append somewhat over the limit is
#: answered with an ``error`` event; a larger frame is closed with 1009 (message too big)
MAX_FRAME_BYTES = MAX_APPEND_BASE64 + 1024 * 1024
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


def _decode_event(text: str) -> dict:
    """A client frame → its event object, or a ``ProtocolError`` for anything JSON cannot read
    (including nesting deeper than the parser's recursion limit and over-long integers)."""
    try:
        event = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"the event is not valid JSON ({exc.msg} at character {exc.pos})",
                            code="invalid_json") from None
    except RecursionError:
        raise ProtocolError("the event is nested too deeply to read", code="invalid_json") from None
    except ValueError as exc:   # e.g. an integer over Python's digit limit
        raise ProtocolError(f"the event cannot be read: {exc}", code="invalid_json") from None
    if not isinstance(event, dict):
        raise ProtocolError("an event is a JSON object", code="invalid_event")
    return event


@dataclass(frozen=True)
class SessionState:
    """What a session's client has set; a ``session.update`` builds a new one whole (or is
    refused whole: a refused update changes nothing)."""

    model: str | None = None   # as the client named it
    language: str | None = None
    prompt: str | None = None
    rate: int = DEFAULT_RATE
    turn_detection: TurnDetection | None = field(default_factory=TurnDetection)
    include: tuple[str, ...] | None = None


def _shown(value: Any, limit: int = 60) -> str:
    """A client's value in a message: repr (so odd characters are escaped), cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _object(value: Any, param: str, nullable: bool = False) -> dict | None:
    if value is None and nullable:
        return None
    if not isinstance(value, dict):
        raise ProtocolError(f"{param} must be an object{' or null' if nullable else ''}, not {_shown(value)}",
                            param=param)
    return value


def _text(value: Any, param: str, what: str) -> str | None:
    """A string field that may be null (or empty: the same)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ProtocolError(f"{param} must be {what} or null, not {_shown(value)}", param=param)
    return value


def _number(value: Any, param: str) -> float | int:
    """A finite JSON number (not a boolean); bounds are ``TurnDetection.validated``'s."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            (isinstance(value, float) and not math.isfinite(value)):
        raise ProtocolError(f"{param} must be a finite number, not {_shown(value)}", param=param)
    return value


class Session:
    """One connection's transcription session, in the dialect its client speaks."""

    def __init__(self, beta: bool, settings):
        self.id = _id("sess")
        self.beta = beta
        self.settings = settings
        self.state = SessionState()

    @property
    def rate(self) -> int:
        return self.state.rate

    # -- reading updates ------------------------------------------------------------------

    def read_update(self, event: dict, ga: bool) -> SessionState:
        """The state a ``session.update`` (GA) or ``transcription_session.update`` (beta) asks
        for, every field checked for type and bounds; nothing is applied here."""
        state = self.state
        if ga:
            session = _object(event.get("session"), "session")
            kind = session.get("type", "transcription")
            if kind != "transcription":
                raise ProtocolError(f"this is a transcription session: session.type must be 'transcription', "
                                    f"not {_shown(kind)}", param="session.type")
            audio = _object(session.get("audio"), "session.audio", nullable=True) or {}
            source = _object(audio.get("input"), "session.audio.input", nullable=True) or {}
            if "format" in source:
                state = replace(state, rate=self._format_ga(source["format"]))
            transcription = source.get("transcription", ...)
            turn = source.get("turn_detection", ...)
            prefix = "session.audio.input."
        else:
            session = _object(event.get("session", event), "session")
            if "input_audio_format" in session:
                fmt = session["input_audio_format"]
                if fmt != "pcm16":
                    raise ProtocolError(f"input_audio_format {_shown(fmt)} is not supported: send pcm16",
                                        param="session.input_audio_format")
                state = replace(state, rate=DEFAULT_RATE)
            transcription = session.get("input_audio_transcription", ...)
            turn = session.get("turn_detection", ...)
            prefix = "session."
        if transcription is not ...:
            state = self._transcription(state, transcription,
                                        prefix + ("transcription" if ga else "input_audio_transcription"))
        if turn is not ...:
            state = replace(state, turn_detection=self._turn(state, turn, prefix + "turn_detection"))
        if "include" in session:
            include = session["include"] or []
            if not isinstance(include, list) or not all(isinstance(i, str) for i in include):
                raise ProtocolError("session.include must be a list of strings", param="session.include")
            state = replace(state, include=tuple(include))
        return state

    def _format_ga(self, fmt: Any) -> int:
        param = "session.audio.input.format"
        fmt = _object(fmt, param)
        if fmt.get("type", "audio/pcm") != "audio/pcm":
            raise ProtocolError("only audio/pcm (16-bit mono) input is supported", param=param + ".type")
        rate = fmt.get("rate", DEFAULT_RATE)
        if isinstance(rate, bool) or rate not in RATES:
            raise ProtocolError(f"audio/pcm rate must be 24000 or 16000, not {_shown(rate)}", param=param + ".rate")
        return int(rate)

    def _transcription(self, state: SessionState, value: Any, param: str) -> SessionState:
        value = _object(value, param, nullable=True) or {}
        if "model" in value:
            model = _text(value["model"], param + ".model", "a model name")
            if model is not None and model not in OPENAI_TRANSCRIPTION_MODELS:
                served = service.whisper_models(self.settings)
                if model not in served:
                    raise ProtocolError(f"model {_shown(model)} is not served here; choose one of {', '.join(served)}",
                                        code="model_not_found", param=param + ".model")
            if model is not None:
                state = replace(state, model=model)
        if "language" in value:
            language = _text(value["language"], param + ".language", "a language code (such as en) or name")
            if language is not None:
                try:
                    from seespeech.languages import resolve_language

                    language = resolve_language(language)
                except OptionError as exc:
                    raise ProtocolError(str(exc), param=param + ".language") from None
            state = replace(state, language=language)
        if "prompt" in value:
            state = replace(state, prompt=_text(value["prompt"], param + ".prompt", "a string"))
        return state

    def _turn(self, state: SessionState, value: Any, param: str) -> TurnDetection | None:
        value = _object(value, param, nullable=True)
        if value is None:
            return None
        current = state.turn_detection or TurnDetection()
        kind = value.get("type", current.type)
        if kind not in ("server_vad", "semantic_vad"):
            raise ProtocolError(f"turn detection {_shown(kind)} is not supported: use server_vad, semantic_vad "
                                "or null", param=param + ".type")
        eagerness = value.get("eagerness", current.eagerness)
        if eagerness not in EAGERNESS:
            raise ProtocolError(f"{param}.eagerness must be one of {', '.join(EAGERNESS)}, not {_shown(eagerness)}",
                                param=param + ".eagerness")
        numbers = {name: _number(value.get(name, getattr(current, name)), f"{param}.{name}")
                   for name in ("threshold", "prefix_padding_ms", "silence_duration_ms")}
        try:
            return TurnDetection(threshold=float(numbers["threshold"]),
                                 prefix_padding_ms=int(numbers["prefix_padding_ms"]),
                                 silence_duration_ms=int(numbers["silence_duration_ms"]),
                                 type=kind, eagerness=eagerness).validated()
        except OptionError as exc:
            raise ProtocolError(str(exc), param=f"{param}.{exc.param}") from None

    # -- describing itself -----------------------------------------------------------------

    def engine_key(self, state: SessionState | None = None) -> tuple[str, str | None]:
        model = (state or self.state).model
        return service.engine_key(self.settings, None if model in OPENAI_TRANSCRIPTION_MODELS else model)

    def describe(self, ga: bool) -> dict:
        state = self.state
        td = state.turn_detection
        turn = None if td is None else {
            "type": td.type, "threshold": td.threshold, "prefix_padding_ms": td.prefix_padding_ms,
            **({"eagerness": td.eagerness} if td.type == "semantic_vad" else
               {"silence_duration_ms": td.silence_duration_ms}),
        }
        transcription = {"model": state.model or service.WHISPER_ALIAS, "language": state.language,
                         "prompt": state.prompt or ""}
        include = None if state.include is None else list(state.include)
        if ga:
            return {"id": self.id, "object": "realtime.transcription_session", "type": "transcription",
                    "audio": {"input": {"format": {"type": "audio/pcm", "rate": state.rate}, "noise_reduction": None,
                                        "transcription": transcription, "turn_detection": turn}},
                    "include": include}
        return {"id": self.id, "object": "realtime.transcription_session", "modalities": ["text"],
                "input_audio_format": "pcm16", "input_audio_transcription": transcription,
                "turn_detection": turn, "input_audio_noise_reduction": None, "include": include,
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
        #: the engine and options the session's settings mean (checked together when set)
        self.engine = None
        self.options: TranscribeOptions | None = None
        self.seconds = 0.0
        self.started = time.monotonic()
        self.item_audio: dict[str, float] = {}
        self.sender: asyncio.Task | None = None

    async def send(self, event: dict) -> None:
        text = json.dumps({"event_id": _id("event"), **event}, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:   # a lone surrogate the client sent, echoed: escape it
            text = json.dumps({"event_id": _id("event"), **event})
        await self.websocket.send_text(text)

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
                if not await self._dispatch(text):
                    return
        finally:
            if self.live is not None:
                self.live.abort()
            if self.sender is not None:
                self.sender.cancel()

    async def _dispatch(self, text: str) -> bool:
        """One client event, guarded: whatever goes wrong with it is an ``error`` event and the
        session goes on. False once the client has gone."""
        event_id = None
        try:
            event = _decode_event(text)
            event_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
            await self.handle(event)
        except ProtocolError as exc:
            await self.error(exc.message, exc.code, exc.param, exc.type, event_id)
        except SeespeechError as exc:
            await self.error(str(exc), code="invalid_value", event_id=event_id)
        except WebSocketDisconnect:
            return False
        except Exception as exc:
            if self.websocket.application_state != WebSocketState.CONNECTED \
                    or self.websocket.client_state != WebSocketState.CONNECTED:
                return False   # the client went away while we answered
            log.exception("realtime session %s: an event failed", self.session.id)
            try:
                await self.error(f"the server could not handle this event ({type(exc).__name__}); "
                                 "the session goes on", code="server_error", type="server_error", event_id=event_id)
            except Exception:
                return False
        return True

    def stop(self) -> None:
        if self.live is not None:
            self.live.abort()

    async def handle(self, event: dict) -> None:
        kind = event.get("type")
        if not isinstance(kind, str):
            raise ProtocolError("the event has no 'type'", code="invalid_event", param="type")
        if kind in ("session.update", "transcription_session.update"):
            ga = kind == "session.update"
            await self._update(event, ga)
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
            raise ProtocolError(f"unknown event type {_shown(kind)}", code="invalid_event", param="type")

    async def _update(self, event: dict, ga: bool) -> None:
        """Check an update whole (each field, then the model with the language and prompt), then
        apply it: the audio format to the audio sent after it, the rest from the next turn (the
        turn in progress ends with the settings it started with)."""
        state = self.session.read_update(event, ga)
        engine, options = await self._engine_for(state, ga)
        rate_changed = state.rate != self.session.state.rate
        self.session.state, self.engine, self.options = state, engine, options
        if rate_changed:
            self.resampler = None
        if self.live is not None:
            self.live.reconfigure(engine, options, state.turn_detection)

    async def _engine_for(self, state: SessionState, ga: bool = True):
        """The engine and options a state means; what the model cannot do is refused here, when
        it is set, not on every append after it."""
        param = "session.audio.input.transcription" if ga else "session.input_audio_transcription"
        engine_name, model = self.session.engine_key(state)
        try:
            options = ENGINES[engine_name].check(TranscribeOptions(language=state.language, initial_prompt=state.prompt,
                                                                   max_duration=None), model)
        except OptionError as exc:
            name = {"initial_prompt": "prompt", "language": "language"}.get(exc.param or "", "model")
            raise ProtocolError(str(exc), param=f"{param}.{name}") from None
        except SeespeechError as exc:
            raise ProtocolError(str(exc), code="model_not_found", param=param + ".model") from None
        try:
            engine = await asyncio.to_thread(warm_engine, engine_name, model)
        except SeespeechError as exc:
            raise ProtocolError(str(exc), code="model_not_found", param=param + ".model") from None
        return engine, options

    async def _live(self) -> LiveTranscriber:
        if self.live is None:
            if self.engine is None:
                self.engine, self.options = await self._engine_for(self.session.state, not self.session.beta)
            self.live = LiveTranscriber(self.engine, self.options, self._emit, self.session.state.turn_detection)
        return self.live

    async def _append(self, audio: Any) -> None:
        if not isinstance(audio, str):
            raise ProtocolError("input_audio_buffer.append needs 'audio': base64 PCM16 mono", param="audio")
        if len(audio) > MAX_APPEND_BASE64:
            raise ProtocolError(f"one append may carry at most {MAX_APPEND_BYTES // 1024 // 1024} MiB of audio "
                                f"({MAX_APPEND_BASE64} characters of base64)", code="audio_too_large", param="audio")
        try:
            pcm = base64.b64decode(audio, validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError("'audio' is not valid base64", code="invalid_base64", param="audio") from None
        if len(pcm) > MAX_APPEND_BYTES:
            raise ProtocolError(f"one append may carry at most {MAX_APPEND_BYTES // 1024 // 1024} MiB of audio",
                                code="audio_too_large", param="audio")
        if not pcm or len(pcm) % 2:
            raise ProtocolError(f"'audio' decodes to {len(pcm)} bytes: PCM16 audio is a whole number of 2-byte "
                                "samples, at least one (this chunk was dropped)", code="invalid_audio", param="audio")
        seconds = len(pcm) / 2 / self.session.rate
        elapsed = time.monotonic() - self.started
        if self.seconds + seconds > elapsed * MAX_SPEED + BURST_SECONDS:
            raise ProtocolError(f"audio is arriving faster than {MAX_SPEED:g}× real time: send it as it is "
                                "recorded (this chunk was dropped), or send files to /v1/audio/transcriptions",
                                code="audio_too_fast", param="audio")
        if self.seconds + seconds > self.session.settings.max_duration:
            raise ProtocolError(f"the session reached the limit of {self.session.settings.max_duration:.0f} s of "
                                "audio: open a new one", code="audio_too_long", param="audio")
        live = await self._live()
        if self.resampler is None:
            self.resampler = Resampler(self.session.rate)
        self.seconds += seconds
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
            except Exception:   # one event that cannot be said must not silence the rest
                log.exception("realtime session %s: an event could not be sent", self.session.id)

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
