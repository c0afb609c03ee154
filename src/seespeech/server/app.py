"""The FastAPI application: settings, middleware, routers, start-up and shut-down."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from . import errors
from .errors import ApiError
from .jobs import JobStore
from .settings import Settings
from .work import WorkPool

access_log = logging.getLogger("seespeech.access")
log = logging.getLogger("seespeech.server")

#: paths anyone may read without the API key: the web page and the API description
OPEN_PATHS = ("/web", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/favicon.ico")
#: room for the multipart envelope around an upload of the maximum size
MULTIPART_SLACK = 1024 * 1024


class BodyLimit:
    """Refuse request bodies over the upload limit while they arrive, not after.

    A Content-Length over the limit is answered at once; a body without one is counted
    as it streams and cut off with 413 when it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = ApiError(413, f"the request is larger than the upload limit of {self.limit / 1024 / 1024:g} MB",
                           param="file", code="file_too_large")
        if length is not None and length.isdigit() and int(length) > self.limit + MULTIPART_SLACK:
            return await too_big.response()(scope, receive, send)
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit + MULTIPART_SLACK:
                    raise too_big
            return message

        await self.app(scope, counting_receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    _configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store = JobStore(settings.data_dir)
        interrupted = store.recover()
        expired = store.expire(settings.keep_jobs_hours)
        if interrupted or expired:
            log.info("jobs: %d interrupted by the last shutdown marked failed, %d expired removed",
                     interrupted, expired)
        app.state.jobs = store
        app.state.pool = WorkPool(settings.workers, settings.queue_size)
        yield
        app.state.pool.shutdown()
        store.close()

    app = FastAPI(
        title="seespeech", version=__version__, lifespan=lifespan,
        description="Speech → text and pictures, offline. OpenAI-compatible audio and image endpoints, "
                    "speech → picture jobs with progress events, and the legacy endpoints of the "
                    "speech-to-text API it replaces.",
    )
    app.state.settings = settings
    errors.install(app)

    from .routers import audio, images, jobs, legacy, models, vlm

    for router in (audio.router, images.router, models.router, jobs.router, vlm.router, legacy.router):
        app.include_router(router)
    legacy.mount_web(app)

    @app.middleware("http")
    async def request_log_and_key(request, call_next):
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        request.state.request_id = request_id
        start = time.perf_counter()
        response = None
        try:
            if settings.api_key and _needs_key(request.url.path, request.method, request.headers):
                given = request.headers.get("authorization", "")
                if given != f"Bearer {settings.api_key}":
                    response = ApiError(401, "missing or wrong API key: send 'Authorization: Bearer <key>'",
                                        type="authentication_error", code="invalid_api_key").response()
            if response is None:
                try:
                    response = await call_next(request)
                except Exception as exc:
                    response = errors.internal_error(request, exc)
            return response
        finally:
            status = response.status_code if response is not None else 500
            if response is not None:
                response.headers["X-Request-ID"] = request_id
            access_log.info("%s %s %d %.1fms id=%s", request.method, request.url.path, status,
                            (time.perf_counter() - start) * 1000, request_id)

    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    if settings.origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.origins, allow_methods=["*"],
                           allow_headers=["*"], expose_headers=["X-Request-ID", "Retry-After"])
    return app


def _needs_key(path: str, method: str, headers) -> bool:
    if path.startswith(OPEN_PATHS) or method == "OPTIONS":
        return False
    if path == "/":  # the status line and the web page are public; the work is not
        return False
    return True


def _configure_logging(settings: Settings) -> None:
    for name in ("seespeech.access", "seespeech.server"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
            logger.addHandler(handler)
        if settings.log_file and not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
            settings.log_file.parent.mkdir(parents=True, exist_ok=True)
            file_handler = logging.FileHandler(settings.log_file)
            file_handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
            logger.addHandler(file_handler)
