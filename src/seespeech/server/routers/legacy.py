"""The endpoints of the speech-to-text API seespeech replaces, and the web page.

``GET /`` answers API clients with a status object and browsers with the web page;
``POST /upload/`` answers ``{"transcryption": ...}`` — spelled as the old API spelled it,
so its clients keep working.
"""

from __future__ import annotations

from pathlib import Path
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from seespeech import __version__
from seespeech.errors import SeespeechError
from seespeech.speech import TranscribeOptions
from seespeech.server import service, work
from seespeech.server.service import AudioUpload

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
@work.takes_work
async def upload(request: Request, upload: AudioUpload):
    settings = request.app.state.settings
    engine = await service.speech_engine(settings, service.WHISPER_ALIAS)
    try:
        transcript = await work.run(request, engine.transcribe, upload.path,
                                    TranscribeOptions(max_duration=settings.max_duration), work.cancel_point)
    except SeespeechError as exc:
        raise upload.error(exc) from None
    # the old API had no warnings field: a cut-off file is said in the header, as on /v1/audio/transcriptions
    return JSONResponse({"transcryption": transcript.text},
                        headers=service.encode_warning(upload.warnings(transcript.warnings)))


def mount_web(app: FastAPI) -> None:
    app.mount("/web", StaticFiles(directory=WEB, html=True), name="web")
