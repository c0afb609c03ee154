"""``GET /metrics``: what operators scrape, in Prometheus' text format (``prometheus-client``).

Requests by route and status with their latency, the work queue (held tickets, capacity and
refusals), audio seconds transcribed and the real-time factor per model, live sessions open,
models loaded and their load times, and the process's own memory and CPU (the library's
process collector). Each app has its own registry, so several in one process (tests) do not
collide. Behind the API key when one is set, as every non-public path is (Prometheus sends it
with ``authorization: {credentials: KEY}``).
"""

from __future__ import annotations

import time
from typing import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import ProcessCollector
from prometheus_client.core import GaugeMetricFamily
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: seconds: short answers (health, models) to a long file's transcription
LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900)
#: processing time / audio time: below 1 is faster than real time
RTF_BUCKETS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5)

router = APIRouter(tags=["health"])


class Metrics:
    """One app's metrics, in its own registry."""

    def __init__(self, app_state) -> None:
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        self.requests = Counter("seespeech_requests", "HTTP requests answered, by route template and status",
                                ["method", "route", "status"], registry=registry)
        self.latency = Histogram("seespeech_request_duration_seconds", "Time to answer, by route template",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=registry)
        self.audio = Counter("seespeech_audio_seconds", "Seconds of audio transcribed, by model",
                             ["model"], registry=registry)
        self.rtf = Histogram("seespeech_real_time_factor", "Processing time over audio time, by model",
                             ["model"], buckets=RTF_BUCKETS, registry=registry)
        registry.register(_ModelLoads())
        self.refused = Counter("seespeech_queue_refusals", "Work requests refused with 503: the queue was full",
                               registry=registry)
        app_state.pool.on_refusal = self.refused.inc
        held = Gauge("seespeech_queue_held", "Work running or waiting (tickets out)", registry=registry)
        held.set_function(lambda: app_state.pool.held)
        capacity = Gauge("seespeech_queue_capacity", "Workers plus queue places", registry=registry)
        capacity.set_function(lambda: app_state.pool.capacity)
        live = Gauge("seespeech_live_sessions", "Realtime transcription sessions open", registry=registry)
        live.set_function(lambda: app_state.live_sessions["open"])
        loaded = Gauge("seespeech_models_loaded", "Speech models in memory", registry=registry)
        loaded.set_function(_models_in_memory)

    def transcribed(self, model: str, audio_seconds: float, seconds: float) -> None:
        if audio_seconds > 0:
            self.audio.labels(model).inc(audio_seconds)
            self.rtf.labels(model).observe(seconds / audio_seconds)


class _ModelLoads:
    """seespeech_model_load_seconds{model}: how long each model in memory took to load."""

    def collect(self):
        from seespeech.speech.registry import load_seconds

        family = GaugeMetricFamily("seespeech_model_load_seconds", "Seconds each loaded model took to load",
                                   labels=["model"])
        for label, seconds in sorted(load_seconds.items()):
            family.add_metric([label], seconds)
        yield family


def _models_in_memory() -> int:
    from seespeech.speech.registry import _engines

    return len(_engines)


class RequestMetrics:
    """ASGI layer: every HTTP request counted by its route's template (``/v1/jobs/{job_id}``,
    never the id itself: the label set stays small) and timed."""

    def __init__(self, app: ASGIApp, metrics: Callable[[], "Metrics | None"], routes: list):
        self.app, self.metrics_of, self.routes = app, metrics, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        metrics = self.metrics_of()   # made at start-up, with the work pool it watches
        if scope["type"] != "http" or metrics is None:
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), {"code": 500}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            metrics.requests.labels(scope["method"], self._template(scope), str(status["code"])).inc()
            metrics.latency.labels(scope["method"], self._template(scope)).observe(time.perf_counter() - start)

    def _template(self, scope: Scope) -> str:
        """The route's template; for a request answered before routing (401, 413, 503), the
        template of the route it would have reached."""
        template = getattr(scope.get("route"), "path", None)
        if template:
            return template
        for route in self.routes:
            if route.matches(scope)[0] == Match.FULL:
                return getattr(route, "path", "unmatched")
        return "unmatched"


@router.get("/metrics", summary="Prometheus metrics (text format)", response_class=Response,
            responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
