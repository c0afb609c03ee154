"""The endpoints of the speech-to-text API seespeech replaces, and the web page.

``GET /`` answers API clients with a status object and browsers with the web page;
``POST /upload/`` answers ``{"transcryption": ...}`` — spelled as the old API spelled it,
so its clients keep working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, File, Request, UploadFile
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from ... import __version__
from ...errors import SeespeechError
from ...transcribe import TranscribeOptions
from .. import service
from ..work import removing, save_upload

router = APIRouter(tags=["legacy"])
WEB = Path(__file__).resolve().parents[1] / "web"


@router.get("/", summary="Status and audio specs (browsers get the web page)")
async def root(request: Request):
    if "text/html" in request.headers.get("accept", ""):
        return FileResponse(WEB / "index.html", media_type="text/html")
    settings = request.app.state.settings
    return {"status": "ok", "message": f"seespeech {__version__}: speech to text and pictures",
            "audio_specs": service.audio_specs(settings)}


@router.get("/audio_specs/", summary="What audio the server accepts")
async def audio_specs(request: Request):
    return service.audio_specs(request.app.state.settings)


@router.post("/upload/", summary="Transcribe an upload (legacy): {\"transcryption\": text}")
async def upload(request: Request, file: Annotated[UploadFile, File()]):
    settings, pool = request.app.state.settings, request.app.state.pool
    engine = service.whisper_engine(settings, service.WHISPER_ALIAS)
    name = (file.filename or "upload")[-120:]
    with pool.slot():
        path = await save_upload(file, settings.max_upload_bytes)
        with removing(path):
            service.check_duration(path, settings, name)
            try:
                transcript = await pool.run(
                    engine.transcribe, path, TranscribeOptions(max_duration=settings.max_duration))
            except SeespeechError as exc:
                raise service.rename_errors(exc, path, name) from None
    return {"transcryption": transcript.text}


def mount_web(app: FastAPI) -> None:
    app.mount("/web", StaticFiles(directory=WEB, html=True), name="web")
