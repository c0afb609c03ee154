"""Errors in OpenAI's shape: ``{"error": {"message", "type", "param", "code"}}``.

Every error the server answers with goes through here, so clients (the official
``openai`` package among them) get the same JSON for a bad upload, a bad field, a
missing model, a full queue or a wrong key, and never a bare 500 page.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from seespeech.errors import (
    AudioError, AudioTooLongError, ImageError, ModelNotFoundError, NotInstalledError, OptionError, SeespeechError,
)

log = logging.getLogger("seespeech.server")


class ApiError(Exception):
    def __init__(self, status: int, message: str, type: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        # a message may quote what the client sent, lone surrogates included: escape them, or the
        # answer cannot be encoded as UTF-8 and the client gets a 500 instead of this error
        body = {"error": {"message": _utf8(self.message), "type": self.type, "param": _utf8(self.param),
                          "code": self.code}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def _utf8(text: str | None) -> str | None:
    return text if text is None else text.encode("utf-8", "backslashreplace").decode("utf-8")


#: our option names → the request fields OpenAI's API (and ours) call them
API_PARAMS = {"count": "n", "width": "size", "height": "size", "initial_prompt": "prompt",
              "word_timestamps": "timestamp_granularities[]"}


class RetryableError(SeespeechError):
    """The work could not be done now, through no fault of the request (``serve --ray``: the
    replica doing it died with its node, twice): 503 with Retry-After, worth sending again."""

    def __init__(self, message: str, retry_after: int = 2):
        super().__init__(message)
        self.retry_after = retry_after


def from_seespeech(exc: SeespeechError, param: str | None = None) -> ApiError:
    """Our own errors → the status a client can act on."""
    if isinstance(exc, RetryableError):
        return ApiError(503, str(exc), type="server_error", code="replica_unavailable",
                        headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, ModelNotFoundError):
        return ApiError(404, str(exc), param=param or "model", code="model_not_found")
    if isinstance(exc, AudioTooLongError):
        return ApiError(413, str(exc), param=param or "file", code="audio_too_long")
    if isinstance(exc, AudioError):
        return ApiError(400, str(exc), param=param or "file", code="invalid_audio")
    if isinstance(exc, ImageError):
        return ApiError(400, str(exc), param=param or "file", code="invalid_image")
    if isinstance(exc, NotInstalledError):
        # what this server has not got is, to a client, a model it does not serve (as OpenAI answers)
        return ApiError(404, str(exc), param=param or "model", code="model_not_found")
    if isinstance(exc, OptionError):
        return ApiError(400, str(exc), param=param or API_PARAMS.get(exc.param, exc.param), code="invalid_value")
    return ApiError(400, str(exc), param=param)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError):
        return exc.response()

    @app.exception_handler(SeespeechError)
    async def seespeech_error(_: Request, exc: SeespeechError):
        return from_seespeech(exc).response()

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        location = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "form")]
        param = ".".join(location) or None
        message = first.get("msg", "invalid request")
        if "Expected UploadFile" in message:
            # a part without a file name (filename="" too) reaches us as a text field
            return ApiError(400, f"'{param}' must be a file: send it as a multipart part with a file name "
                                 "(filename=\"…\"); this one came as a text field (no or an empty file name)",
                            param=param, code="invalid_file").response()
        if first.get("type") == "missing":
            message = f"'{param}' is required" if param else "a required field is missing"
        elif param:
            message = f"{param}: {message}"
        return ApiError(400, message, param=param, code="invalid_value").response()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        multipart = multipart_error(exc)
        if multipart is not None:
            return multipart.response()
        kind = {401: "authentication_error", 404: "not_found_error", 405: "invalid_request_error"}
        return ApiError(exc.status_code, str(exc.detail), type=kind.get(exc.status_code, "invalid_request_error"),
                        headers=getattr(exc, "headers", None)).response()


#: python-multipart's reasons for refusing a body → what the client can do about them
MULTIPART_REASONS = {
    "Maximum header size exceeded": "a part's header is longer than {size:,} bytes (a file name that long?): "
                                    "send a shorter file name",
    "Maximum header count exceeded": "a part has more than {count} header lines",
}


def multipart_error(exc: StarletteHTTPException) -> ApiError | None:
    """A multipart body Starlette could not parse (it raises a bare 400 while reading the form):
    the reason python-multipart gave, said plainly, with a code; None for any other HTTP error."""
    from starlette.formparsers import MultiPartException

    cause = exc.__context__
    if exc.status_code != 400 or not isinstance(cause, MultiPartException):
        return None
    reason = cause.__cause__
    if reason is None:  # Starlette's own words (no boundary, too many files, a part too large) are clear
        message = str(exc.detail)
    else:
        try:
            from python_multipart.multipart import DEFAULT_MAX_HEADER_COUNT as count, DEFAULT_MAX_HEADER_SIZE as size
        except ImportError:  # older python-multipart
            count, size = 8, 4224
        said = str(reason)
        message = MULTIPART_REASONS[said].format(size=size, count=count) if said in MULTIPART_REASONS else \
            f"{said}: send the fields as multipart/form-data (as curl -F and the openai package do)"
        message = f"the multipart body could not be read: {message}"
    return ApiError(400, message, code="invalid_multipart")


def internal_error(request, exc: Exception) -> JSONResponse:
    """A bug: log the traceback, answer in shape. Called by the app's middleware rather than
    registered as a handler, because Starlette re-raises after such handlers and uvicorn then
    drops the connection, failing the client's next request too."""
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return ApiError(500, f"internal error ({type(exc).__name__}); see the server log",
                    type="server_error").response()
