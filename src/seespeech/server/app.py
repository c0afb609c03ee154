"""The FastAPI application: settings, the ASGI layers in front of the routers, start-up and
shut-down.

Every request passes, outermost first:

1. ``AccessLog`` — a request id, one log line, and a JSON 500 (never a traceback) for a bug;
2. ``ApiKeyGate`` — 401 without the key when one is set (the web page, the API description
   and the health checks stay open);
3. ``Admission`` — for routes that run model work: 413 for a ``Content-Length`` over the
   upload limit and 503 + ``Retry-After`` when the queue is full, both before a byte of the
   body is read; then a running count of the body, cut off with 413 when it passes the limit
   (chunked uploads too) and with 408 when it arrives slower than the minimum rate; and a
   ``Ticket`` — a place in the queue — only once the whole body is in (503 if the queue
   filled meanwhile), so a client that trickles its upload holds no place.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seespeech import __version__
from seespeech.server import errors
from seespeech.server.errors import ApiError
from seespeech.server import metrics
from seespeech.server.jobs import JobStore
from seespeech.server.metrics import Metrics, RequestMetrics
from seespeech.server.settings import Settings
from seespeech.server.work import WorkPool

access_log = logging.getLogger("seespeech.access")
log = logging.getLogger("seespeech.server")

#: paths anyone may read without the API key: the web page, the API description, health checks
OPEN_PATHS = ("/web", "/openapi.json", "/docs", "/redoc", "/favicon.ico", "/health")
#: room for the multipart envelope around an upload of the maximum size
MULTIPART_SLACK = 1024 * 1024
#: seconds an upload may take before its average rate is held to the minimum
UPLOAD_GRACE = 10.0
#: the API key as OpenAPI declares it, so the docs page's "Authorize" sends it
BEARER = HTTPBearer(auto_error=False, scheme_name="apiKey",
                    description="Needed when the server runs with SEESPEECH_API_KEY set: 'Bearer <key>'.")


class AccessLog:
    """Request id, a log line per request, and a JSON 500 for anything unexpected."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        start = time.perf_counter()
        status = {"code": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.update(code=message["status"], started=True)
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"x-request-id", request_id.encode("latin-1"))]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # a bug: log the traceback, answer in shape if we still can
            log.error("internal error on %s %s", scope["method"], scope["path"], exc_info=exc)
            if not status["started"]:
                response = ApiError(500, f"internal error ({type(exc).__name__}); see the server log",
                                    type="server_error").response()
                await response(scope, receive, send_with_id)
        finally:
            ms = round((time.perf_counter() - start) * 1000, 1)
            client = scope.get("client")
            access_log.info("%s %s %d %.1fms id=%s", scope["method"], scope["path"], status["code"], ms, request_id,
                            extra={"fields": {"request_id": request_id, "method": scope["method"],
                                              "path": scope["path"],
                                              "route": getattr(scope.get("route"), "path", None),
                                              "status": status["code"], "ms": ms,
                                              "client": client[0] if client else None}})


class ApiKeyGate:
    def __init__(self, app: ASGIApp, key: str | None):
        self.app, self.key = app, key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.key and _needs_key(scope["path"], scope["method"]):
            given = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
            if given != f"Bearer {self.key}":
                error = ApiError(401, "missing or wrong API key: send 'Authorization: Bearer <key>'",
                                 type="authentication_error", code="invalid_api_key")
                return await error.response()(scope, receive, send)
        if scope["type"] == "websocket" and self.key and not self._websocket_key_ok(scope):
            # refused before the upgrade: the client sees HTTP 403 (browsers cannot read a body)
            await receive()   # websocket.connect
            return await send({"type": "websocket.close", "code": 1008, "reason": "missing or wrong API key"})
        await self.app(scope, receive, send)

    def _websocket_key_ok(self, scope: Scope) -> bool:
        """A WebSocket client sends the key as a header, or (a browser, which cannot) as the
        subprotocol ``openai-insecure-api-key.<key>``, as OpenAI's realtime clients do."""
        headers = dict(scope.get("headers") or [])
        if headers.get(b"authorization", b"").decode("latin-1") == f"Bearer {self.key}":
            return True
        offered = headers.get(b"sec-websocket-protocol", b"").decode("latin-1").split(",")
        return f"openai-insecure-api-key.{self.key}" in [p.strip() for p in offered]


class Admission:
    """Limits checked before a work request's body is read, and while it arrives."""

    def __init__(self, app: ASGIApp, limit: int, work_paths: frozenset[str], pool, min_rate: float = 0.0,
                 grace: float = UPLOAD_GRACE):
        self.app, self.limit, self.work_paths, self.pool = app, limit, work_paths, pool
        self.min_rate, self.grace = min_rate, grace

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_big = ApiError(413, f"the request is larger than the upload limit of {self.limit / 1024 / 1024:g} MB",
                           param="file", code="file_too_large")
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit + MULTIPART_SLACK:
            return await too_big.response()(scope, receive, send)
        admit = None
        if scope["method"] == "POST" and scope["path"] in self.work_paths:
            try:
                self.pool().check()   # full: 503 before a byte of the body is read
            except ApiError as busy:
                return await busy.response()(scope, receive, send)
            admit = self.pool().admit
        body = _CountedBody(scope, receive, send, self.limit + MULTIPART_SLACK, too_big, admit,
                            self.min_rate, self.grace)
        try:
            await self.app(scope, body.receive, body.send)
        except Exception:
            if not body.refused:
                raise  # after a refusal, the app's complaint about the cut-off body is expected
        finally:
            if body.ticket is not None and not body.ticket.kept:
                body.ticket.close()


class _CountedBody:
    """A request body counted as it arrives: past the limit (413) or slower than the minimum
    rate (408), the refusal goes out at once and the app is told the client left (so it stops
    reading); whatever the app answers then is dropped. A work request's ticket is taken when
    the last of the body is in."""

    def __init__(self, scope: Scope, receive: Receive, send: Send, limit: int, refusal: ApiError, admit=None,
                 min_rate: float = 0.0, grace: float = UPLOAD_GRACE):
        self.scope, self._receive, self._send, self.limit, self.refusal = scope, receive, send, limit, refusal
        self.seen, self.refused, self.started = 0, False, False
        #: the whole body is in: later receives only wait for the client to leave (a stream's
        #: disconnect check), which no upload rate may cut off
        self.complete = False
        self.admit, self.ticket = admit, None
        self.min_rate, self.grace = min_rate, grace
        self.start = time.monotonic()

    async def _refuse(self, error: ApiError) -> Message:
        self.refused = True
        if not self.started:
            self.started = True
            await error.response()(self.scope, self._receive, self._send)
        return {"type": "http.disconnect"}

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        if self.min_rate > 0 and not self.complete and (self.admit is None or self.ticket is None):
            # the next bytes must come before the body's average rate falls under the minimum
            deadline = self.start + max(self.grace, (self.seen + 1) / self.min_rate)
            try:
                message = await asyncio.wait_for(self._receive(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                return await self._refuse(self._too_slow())
        else:
            message = await self._receive()
        if message["type"] == "http.request":
            self.complete = not message.get("more_body", False)
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                return await self._refuse(self.refusal)
            if not message.get("more_body", False) and self.admit is not None and self.ticket is None:
                try:   # the whole body is in: now it takes a place in the queue
                    self.ticket = self.admit()
                except ApiError as busy:
                    return await self._refuse(busy)
                self.scope.setdefault("state", {})["ticket"] = self.ticket
        return message

    def _too_slow(self) -> ApiError:
        took = time.monotonic() - self.start
        return ApiError(408, f"the upload arrived too slowly ({self.seen} bytes in {took:.0f} s); the server "
                             f"needs at least {self.min_rate / 1024:g} KB/s after the first {self.grace:g} s",
                        type="invalid_request_error", code="upload_too_slow")

    async def send(self, message: Message) -> None:
        if self.refused:
            return
        if message["type"] == "http.response.start":
            self.started = True
        last = message["type"] == "http.response.body" and not message.get("more_body", False)
        if last and self.ticket is not None and not self.ticket.kept:
            self.ticket.close()   # the upload is gone before the client has the answer
        await self._send(message)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    _configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.ray_address:   # serve --ray: the cluster's job board (server/jobboard.py)
            from seespeech.server.jobboard import RayJobStore

            store = RayJobStore(settings)
        else:
            store = JobStore(settings.data_dir)  # holds the data folder's lock until close()
        interrupted = store.recover()
        expired = store.expire(settings.keep_jobs_hours)
        if interrupted or expired:
            log.info("jobs: %d interrupted by the last shutdown marked failed, %d expired removed",
                     interrupted, expired)
        app.state.jobs = store
        app.state.pool = WorkPool(settings.workers, settings.queue_size)
        if settings.metrics:
            app.state.metrics = Metrics(app.state)
        preload = asyncio.create_task(_preload(settings)) if settings.preload else None
        sweeper = asyncio.create_task(_unload_idle(settings)) if settings.model_ttl >= 0 else None
        wyoming = asyncio.create_task(_wyoming(settings)) if settings.wyoming else None
        try:
            yield
        finally:
            for task in (preload, sweeper, wyoming):
                if task is not None:
                    task.cancel()
            app.state.pool.shutdown()
            store.close()

    app = FastAPI(
        title="seespeech", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Speech → text and pictures, offline. OpenAI-compatible audio and image endpoints, "
                    "speech → picture jobs with progress events, and the legacy endpoints of the "
                    "speech-to-text API it replaces.",
    )
    app.state.settings = settings
    errors.install(app)

    from seespeech.server.routers import audio, health, images, jobs, legacy, models, realtime, tools, vlm

    routers = (audio.router, tools.router, images.router, models.router, jobs.router, vlm.router, legacy.router)
    for router in routers:
        app.include_router(router, dependencies=[Depends(BEARER)])
    app.include_router(health.router)
    if settings.metrics:
        app.include_router(metrics.router)   # not open: behind the API key when one is set
    app.include_router(realtime.router)   # a WebSocket: ApiKeyGate checks its key (header or subprotocol)
    app.state.live_sessions = {"open": 0}
    legacy.mount_web(app)
    _mount_docs(app)

    # the routers carry their prefixes in their routes' paths
    work_paths = frozenset(route.path for router in routers for route in router.routes
                           if getattr(getattr(route, "endpoint", None), "takes_work", False))
    app.add_middleware(Admission, limit=settings.max_upload_bytes, work_paths=work_paths,
                       min_rate=settings.min_upload_kb_per_s * 1024, grace=settings.upload_grace_s,
                       pool=lambda: app.state.pool)
    app.add_middleware(ApiKeyGate, key=settings.api_key)
    if settings.metrics:
        # the routers' own routes (their paths carry the prefixes): templates for requests
        # answered before routing
        known = [route for router in (*routers, health.router, metrics.router) for route in router.routes]
        app.add_middleware(RequestMetrics, metrics=lambda: getattr(app.state, "metrics", None), routes=known)
    app.add_middleware(AccessLog)
    if settings.origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.origins, allow_methods=["*"],
                           allow_headers=["*"], expose_headers=["X-Request-ID", "Retry-After",
                                                                "X-Seespeech-Warning"])
    return app


async def _preload(settings: Settings) -> None:
    """Load the default model in a thread at start-up, so the first request does not wait
    for it and /health/ready can say when it is there."""
    from seespeech.speech import split_model, warm_engine

    try:
        await asyncio.to_thread(warm_engine, *split_model(settings.model))
    except Exception as exc:  # the first request that needs it will say what is wrong
        log.warning("could not preload model %s: %s", settings.model, exc)


async def _wyoming(settings: Settings) -> None:
    """Home Assistant's Wyoming protocol beside the HTTP API (``--wyoming URI``)."""
    from seespeech.server.wyoming import serve_wyoming

    try:
        await serve_wyoming(settings.wyoming, settings.model)
    except OSError as exc:
        log.error("wyoming: cannot listen on %s: %s", settings.wyoming, exc)


#: how often idle models are looked for (at most; a short TTL is checked more often)
SWEEP_SECONDS = 30.0


async def _unload_idle(settings: Settings) -> None:
    """Unload speech models idle for ``model_ttl`` seconds (the server's own model stays while
    it is preloaded: /health/ready depends on it)."""
    from seespeech.speech import split_model
    from seespeech.speech.registry import _key, unload_idle

    keep = {_key(*split_model(settings.model), {})[:2]} if settings.preload else set()
    while True:
        await asyncio.sleep(max(0.5, min(SWEEP_SECONDS, settings.model_ttl / 2)))
        gone = await asyncio.to_thread(unload_idle, settings.model_ttl, keep)
        for label in gone:
            log.info("model %s unloaded after %g s unused", label, settings.model_ttl)


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from files installed with the package (fastapi-offline's copies),
    so /docs works offline."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs/assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="seespeech API", oauth2_redirect_url="/docs/oauth2-redirect",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js", swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon.png", swagger_ui_parameters={"persistAuthorization": True},
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title="seespeech API",
                              redoc_js_url="/docs/assets/redoc.standalone.js",
                              redoc_favicon_url="/docs/assets/favicon.png", with_google_fonts=False)


def _needs_key(path: str, method: str) -> bool:
    if path.startswith(OPEN_PATHS) or method == "OPTIONS":
        return False
    if path == "/":  # the status line and the web page are public; the work is not
        return False
    return True


class JsonLines(logging.Formatter):
    """``--log-format json``: one JSON object per line — time, logger, level, message, and a
    request's fields (request_id, method, path, route, status, ms, client) on access lines."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                "logger": record.name, "level": record.levelname.lower(), "message": record.getMessage(),
                **getattr(record, "fields", {})}
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _configure_logging(settings: Settings) -> None:
    if settings.log_format == "json":
        formatter: logging.Formatter = JsonLines()
        formatter.converter = time.gmtime
    else:
        formatter = logging.Formatter("%(asctime)s %(name)s %(message)s")
    for name in ("seespeech.access", "seespeech.server"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        if not logger.handlers:
            logger.addHandler(logging.StreamHandler(sys.stderr))
        if settings.log_file and not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
            settings.log_file.parent.mkdir(parents=True, exist_ok=True)
            logger.addHandler(logging.FileHandler(settings.log_file))
        for handler in logger.handlers:
            handler.setFormatter(formatter)

