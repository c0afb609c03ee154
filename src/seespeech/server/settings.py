"""One settings object for the server: flags override ``SEESPEECH_*`` environment variables,
which override the defaults here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..errors import OptionError
from ..models import DEFAULT_MODEL, cache_dir


def _default_workers() -> int:
    # one Whisper job already uses every core (CTranslate2 threads); two would only
    # take turns, so the pool is sized by cores per job, not by requests
    return max(1, (os.cpu_count() or 1) // 4)


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: the Whisper model behind "whisper-1" and requests without a model
    model: str = DEFAULT_MODEL
    #: the diffusion engine's model (folder or hub id) when a request picks "diffusion"
    image_model: str | None = None
    #: the vlm engine's model (folder or hub id) for /audio/transcriptions/vlm and compare
    vlm_model: str | None = None
    #: jobs running at once
    workers: int = field(default_factory=_default_workers)
    #: jobs waiting beyond the running ones; more are refused with 503 + Retry-After
    queue_size: int = 32
    max_upload_mb: float = 100.0
    #: seconds of audio per request (uploads are probed before decoding)
    max_duration: float = 3 * 3600.0
    #: when set, every /v1 and legacy request needs "Authorization: Bearer <key>"
    api_key: str | None = None
    #: comma-separated origins allowed by CORS; empty: CORS off
    cors_origins: str = ""
    #: jobs database and job results
    data_dir: Path = field(default_factory=lambda: cache_dir() / "server")
    #: also append request log lines here
    log_file: Path | None = None
    #: finished jobs older than this many hours are deleted at start-up
    keep_jobs_hours: float = 24 * 7
    #: load the default model in the background at start-up (``seespeech serve`` loads it
    #: before it listens); /health/ready says when it is there
    preload: bool = True

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults ← SEESPEECH_<NAME> environment variables ← ``overrides`` (not None)."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"SEESPEECH_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls()
        for f in fields(cls):
            if f.name in values:
                setattr(settings, f.name, _convert(f.name, values[f.name], getattr(settings, f.name)))
        return settings.validated()

    def validated(self) -> "Settings":
        if self.workers < 1:
            raise OptionError("workers must be at least 1")
        if self.queue_size < 0:
            raise OptionError("queue size must be 0 or more")
        if self.max_upload_mb <= 0 or self.max_duration <= 0:
            raise OptionError("upload and duration limits must be positive")
        if not 0 < self.port < 65536:
            raise OptionError(f"port must be between 1 and 65535, not {self.port}")
        self.data_dir = Path(self.data_dir).expanduser()
        return self

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


def _convert(name: str, value, current):
    if not isinstance(value, str):
        return value
    try:
        if name in ("port", "workers", "queue_size"):
            return int(value)
        if name in ("max_upload_mb", "max_duration", "keep_jobs_hours"):
            return float(value)
        if name in ("data_dir", "log_file"):
            return Path(value)
        if name == "preload":
            return value.strip().lower() not in ("0", "false", "no", "off")
    except ValueError:
        raise OptionError(f"SEESPEECH_{name.upper()}: '{value}' is not a number") from None
    return value
