"""One settings object for the server (pydantic-settings): flags override ``SEESPEECH_*``
environment variables, which override the defaults here. Read when the server starts,
never at import."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from seespeech.audio import DEFAULT_MAX_DURATION
from seespeech.errors import OptionError
from seespeech.models import DEFAULT_MODEL, cache_dir


def _default_workers() -> int:
    # one Whisper job already uses every core (CTranslate2 threads); two would only
    # take turns, so the pool is sized by cores per job, not by requests
    return max(1, (os.cpu_count() or 1) // 4)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SEESPEECH_", env_ignore_empty=True, extra="forbid",
                                      validate_assignment=True)

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    #: the model behind "whisper-1" and requests without a model
    model: str = DEFAULT_MODEL
    #: the diffusion engine's model (folder or hub id) when a request picks "diffusion"
    image_model: str | None = None
    #: the vlm engine's model (folder or hub id) for /audio/transcriptions/vlm and compare
    vlm_model: str | None = None
    #: a BLIP captioning model folder for /v1/images/describe (none is packaged)
    caption_model: str | None = None
    #: jobs running at once
    workers: int = Field(default_factory=_default_workers, ge=1)
    #: jobs waiting beyond the running ones; more are refused with 503 + Retry-After
    queue_size: int = Field(32, ge=0)
    max_upload_mb: float = Field(100.0, gt=0)
    #: an upload slower than this on average after its first ``upload_grace_s`` is cut off with
    #: 408 (0: never); a request takes its place in the queue only once its upload is in
    min_upload_kb_per_s: float = Field(16.0, ge=0)
    upload_grace_s: float = Field(10.0, ge=0)
    #: seconds of audio per request (uploads are probed before decoding); the library's default
    max_duration: float = Field(DEFAULT_MAX_DURATION, gt=0)
    #: live transcription sessions (GET /v1/realtime) open at once; more are refused
    max_live_sessions: int = Field(4, ge=0)
    #: when set, every /v1 and legacy request needs "Authorization: Bearer <key>"
    api_key: str | None = None
    #: comma-separated origins allowed by CORS; empty: CORS off
    cors_origins: str = ""
    #: jobs database and job results
    data_dir: Path = Field(default_factory=lambda: cache_dir() / "server")
    #: also append request log lines here
    log_file: Path | None = None
    #: finished jobs older than this many hours are deleted at start-up
    keep_jobs_hours: float = Field(24 * 7, ge=0)
    #: load the default model in the background at start-up (``seespeech serve`` loads it
    #: before it listens); /health/ready says when it is there
    preload: bool = True
    #: also serve Home Assistant's Wyoming protocol at this URI (tcp://HOST:PORT, unix://PATH)
    wyoming: str | None = None
    #: log lines: "text" (time, logger, message) or "json" (one object per line, a request's fields)
    log_format: Literal["text", "json"] = "text"
    #: GET /metrics in Prometheus' text format (behind the API key when one is set)
    metrics: bool = True
    #: seconds a speech model may sit unused before it is unloaded (-1: never; 0: right after
    #: use); the server's own model (``model``) stays while it is preloaded
    model_ttl: float = Field(300.0, ge=-1)

    # ---- serve --ray (docs/ray.md): the same app as a Ray Serve ingress; model work in deployments
    #: the Ray cluster to serve on ("local": start one on this machine); None: the single-process server
    ray_address: str | None = Field(None, description="Serve on Ray: 'local' starts a cluster on this machine, "
                                                      "HOST:6379 joins one [default: off, one process]")
    #: replicas of each speech deployment (one per served model) when not autoscaling
    replicas: int = Field(1, ge=1, le=256, description="Replicas of each speech deployment (fixed count; "
                                                       "--min/--max-replicas autoscale instead)")
    #: autoscaling on queue length: both bounds set → Serve adds replicas while each has more than
    #: ``target_ongoing_requests`` requests, and removes them when idle
    min_replicas: int | None = Field(None, ge=0, le=256, description="Autoscaling: fewest speech replicas")
    max_replicas: int | None = Field(None, ge=1, le=256, description="Autoscaling: most speech replicas")
    target_ongoing_requests: float = Field(1.0, gt=0, le=1000, description="Autoscaling: requests per replica "
                                                                           "(running + queued) Serve aims for")
    #: replicas of the HTTP ingress (the FastAPI app: uploads, checks, answers; no model work)
    #: where Serve's HTTP proxies run: every node (a load balancer in front spreads clients over them),
    #: or the head node only (one address; also what several nodes on one machine need)
    proxy_location: Literal["EveryNode", "HeadOnly"] = Field("EveryNode", description="Serve's HTTP proxies "
                                                             "on every node, or on the head node only")
    #: the ingress replicas on the head node, beside the proxy and the job board: a worker node's
    #: loss then never cuts a request mid-answer (its model work is retried on another replica)
    ingress_on_head: bool = Field(True, description="Keep the HTTP ingress on the head node (off: on any "
                                                    "node; a node lost cuts the requests it was answering)")
    ingress_replicas: int = Field(1, ge=1, le=64, description="Replicas of the HTTP ingress (the API itself)")
    ingress_num_cpus: float = Field(0.25, ge=0, le=64, description="CPUs Ray reserves for each ingress replica")
    speech_num_cpus: float = Field(1.0, ge=0, le=64, description="CPUs Ray reserves for each speech replica "
                                                                 "(one loaded model each)")
    #: text → picture (/v1/images/generations) in a deployment of its own (0: in the ingress replicas)
    picture_replicas: int = Field(0, ge=0, le=64, description="Replicas of the picture engine's deployment "
                                                             "for /v1/images/generations (0: it runs in the "
                                                             "ingress replicas)")
    picture_num_cpus: float = Field(0.5, ge=0, le=64, description="CPUs Ray reserves for each picture replica")
    jobs_num_cpus: float = Field(0.5, ge=0, le=64, description="CPUs Ray reserves for each speech → picture job")
    #: the side jobs (server/ray_serve.py SIDE_JOBS) in deployments of their own (0: in the ingress
    #: replicas, as in one process — the default: docs/ray.md says why)
    ocr_replicas: int = Field(0, ge=0, le=64, description="Replicas of the OCR deployment for /v1/images/read "
                                                         "(0: it runs in the ingress replicas)")
    ocr_num_cpus: float = Field(0.5, ge=0, le=64, description="CPUs Ray reserves for each OCR replica")
    translate_replicas: int = Field(0, ge=0, le=64, description="Replicas of the translation deployment for "
                                                               "/v1/text/translations (0: it runs in the ingress "
                                                               "replicas)")
    translate_num_cpus: float = Field(0.5, ge=0, le=64, description="CPUs Ray reserves for each translation replica")
    tts_replicas: int = Field(0, ge=0, le=64, description="Replicas of the text → speech deployment for "
                                                         "/v1/audio/speech (0: it runs in the ingress replicas)")
    tts_num_cpus: float = Field(0.5, ge=0, le=64, description="CPUs Ray reserves for each text → speech replica")

    @field_validator("max_replicas")
    @classmethod
    def _bounds_in_order(cls, value, info):
        low = info.data.get("min_replicas")
        if value is not None and low is not None and value < low:
            raise ValueError(f"must be at least min_replicas ({low})")
        return value

    @field_validator("data_dir", "log_file")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return Path(value).expanduser() if value is not None else None

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults ← SEESPEECH_<NAME> environment variables ← ``overrides`` (those not None).
        A bad value is an OptionError naming the setting."""
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]) if first.get("loc") else "settings"
            raise OptionError(f"{name} (SEESPEECH_{name.upper()}): {first['msg']}, not {first.get('input')!r}",
                              name) from None

    @property
    def autoscaling(self) -> dict | None:
        """Serve's autoscaling_config when both replica bounds are set, else None (fixed ``replicas``)."""
        if self.min_replicas is None and self.max_replicas is None:
            return None
        low = self.min_replicas if self.min_replicas is not None else 1
        high = self.max_replicas if self.max_replicas is not None else max(low, self.replicas)
        return {"min_replicas": low, "max_replicas": max(high, low, 1), "initial_replicas": max(low, 1),
                "target_ongoing_requests": self.target_ongoing_requests}

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
