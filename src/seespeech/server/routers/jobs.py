"""/v1/jobs: speech → picture as a job with progress (polling or server-sent events)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse

from seespeech.errors import SeespeechError
from seespeech.files import save_image, write_atomic
from seespeech.speech import TASKS, TranscribeOptions
from seespeech.speech.writers import WRITERS
from seespeech.server import service, work
from seespeech.server.errors import ApiError, from_seespeech
from seespeech.server.jobs import FINISHED
from seespeech.server.service import AudioUpload

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])
log = logging.getLogger("seespeech.server")

FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
#: share of the progress bar each stage takes
STAGE_SPAN = {"transcribe": (0.0, 0.85), "imagine": (0.85, 1.0)}
EVENT_POLL = 0.2
#: a job's files are served as the transcription endpoint serves the same formats
FILE_TYPES = {".png": "image/png", **{"." + w.extension.rsplit(".", 1)[-1]: w.media_type for w in WRITERS.values()}}
HEARTBEAT = 10.0
#: how long a cancel request waits for a running job to reach its next step before it answers
CANCEL_WAIT = 5.0
#: the work of each unfinished job of this process: its future (a queued one can be dropped)
#: and the event its cancel sets (a running one stops at its next segment or step)
_work: dict[str, tuple[Future, threading.Event]] = {}
_work_lock = threading.Lock()


def _job_or_404(request: Request, job_id: str):
    job = request.app.state.jobs.get(job_id) if re.fullmatch(r"job_[0-9a-f]{20}", job_id) else None
    if job is None:
        raise ApiError(404, f"job '{job_id}' does not exist (or has expired)", param="job_id", code="job_not_found")
    return job


def run_job(app, job_id: str, upload: Path, params: dict) -> None:
    """In the pool: transcribe, translate, draw; keep pictures, spectrogram and subtitles."""
    from seespeech.speech.spectrogram import render
    from seespeech.pipeline import speech_to_image

    store, settings = app.state.jobs, app.state.settings
    try:
        work.cancel_point()   # cancelled while it waited
    except work.WorkCancelled:
        store.cancel(job_id)
        upload.unlink(missing_ok=True)
        return
    store.start(job_id)
    folder = store.files(job_id)

    def progress(stage, done, total):
        work.cancel_point()   # every segment and step: a cancelled job stops here
        low, high = STAGE_SPAN.get(stage, (0.0, 1.0))
        part = done / total if total else 0.0
        store.progress(job_id, stage, done, total, low + (high - low) * min(part, 1.0))

    try:
        engine_name, whisper = service.engine_key(settings, params["model"])
        model = "ctc" if engine_name == "ctc" else whisper
        result = speech_to_image(
            upload, engine=params["engine"], image_model=settings.image_model if params["engine"] == "diffusion"
            else None, model=model, language=params["language"], translate=True, progress=progress,
            seed=params["seed"], width=params["width"], height=params["height"], count=params["n"],
            diarize=params.get("diarize", False),
        )
        base = f"/v1/jobs/{job_id}/files"
        images = []
        for i, image in enumerate(result.images):
            save_image(image, folder / f"picture-{i}.png")
            images.append(f"{base}/picture-{i}.png")
        shown = result.translation if params["task"] == "translate" and result.translation else result.transcript
        files = {}
        for fmt, writer in WRITERS.items():
            name = f"transcript{writer.extension}"
            write_atomic(folder / name, writer.render(shown))
            files[fmt] = f"{base}/{name}"
        spectrogram = None
        if result.transcript.duration <= 60:  # a longer figure would be unreadable
            save_image(render(upload, kind="spectrogram", style="figure", title=params.get("filename")),
                       folder / "spectrogram.png")
            spectrogram = f"{base}/spectrogram.png"
        data = result.to_dict()
        data.update(images=images, spectrogram=spectrogram, files=files, shown=shown.to_dict())
        store.succeed(job_id, data)
    except work.WorkCancelled:
        store.cancel(job_id)
        log.info("job %s cancelled", job_id)
    except SeespeechError as exc:
        if store.get(job_id).state == "cancelled":
            return
        error = from_seespeech(exc)
        store.fail(job_id, {"message": error.message.replace(str(upload), params.get("filename", "upload")),
                            "type": error.type, "code": error.code, "status": error.status})
    except Exception as exc:  # a bug: keep the job truthful, log the details
        if store.get(job_id).state == "cancelled":   # its folder went while it wrote its files
            return
        log.exception("job %s failed", job_id)
        store.fail(job_id, {"message": f"internal error ({type(exc).__name__})", "type": "server_error",
                            "code": "internal_error", "status": 500})
    finally:
        upload.unlink(missing_ok=True)


@router.post("", status_code=202, summary="Start a speech → picture job")
@work.takes_work
async def create_job(
    request: Request,
    upload: AudioUpload,
    model: Annotated[str, Form()] = service.WHISPER_ALIAS,
    language: Annotated[str | None, Form()] = None,
    task: Annotated[Literal[TASKS], Form(description="which text the job shows")] = "transcribe",
    engine: Annotated[str, Form(description="compose | diffusion")] = "compose",
    n: Annotated[int, Form()] = 1,
    size: Annotated[str | None, Form()] = None,
    seed: Annotated[int, Form()] = 0,
    diarize: Annotated[bool, Form(description="the transcript says who spoke each part (the diarize extra)")] = False,
):
    app = request.app
    settings, store = app.state.settings, app.state.jobs
    options = service.image_options(n, size, seed)
    language = service.spoken_language(language)
    # an English-only model asked for the translation, or speakers without their extra: refused
    # now, not when the job runs
    service.checked_options(settings, model, TranscribeOptions(language=language, task=task, diarize=diarize))
    await service.speech_engine(settings, model)
    await service.image_engine(engine, settings)
    params = {"model": model, "language": language, "task": task, "engine": engine, "n": options.count,
              "width": options.width, "height": options.height, "seed": options.seed, "filename": upload.name,
              "diarize": diarize}
    if getattr(store, "runs_jobs", False):   # serve --ray: the job board runs it, on any node (jobboard.py)
        job = store.create(params, await asyncio.to_thread(upload.path.read_bytes))
        return JSONResponse(_described(request, job), status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})
    job = store.create(params)
    # the job outlives the request: its ticket (queue place and upload) goes when the job ends
    cancel = threading.Event()
    future = work.start(request, run_job, app, job.id, upload.path, params, cancel=cancel)
    with _work_lock:
        _work[job.id] = (future, cancel)
    future.add_done_callback(lambda _: _forget(job.id))
    return JSONResponse(_described(request, job), status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})


def _forget(job_id: str) -> None:
    with _work_lock:
        _work.pop(job_id, None)


def _described(request: Request, job) -> dict:
    """A job as JSON; a queued one says what it waits for (``queue``: the jobs ahead of it, and
    how many other requests the server is working on)."""
    data = job.to_dict()
    if job.state == "queued":
        store, pool = request.app.state.jobs, request.app.state.pool
        ahead = store.ahead(job.id)
        unfinished = sum(1 for j in store.list(100) if j.state in ("queued", "running"))
        data["queue"] = {
            "position": len(ahead) + 1,
            "jobs_ahead": [{"id": j.id, "state": j.state, "stage": j.progress.get("stage"),
                            "fraction": j.progress.get("fraction")} for j in ahead],
            # transcriptions, comparisons, speech … share the same workers
            "other_requests": max(0, pool.held - unfinished),
            "workers": pool.workers,
        }
    return data



@router.get("", summary="Recent jobs")
async def list_jobs(request: Request, limit: int = 20):
    limit = max(1, min(limit, 100))
    return {"object": "list", "data": [j.to_dict() for j in request.app.state.jobs.list(limit)]}


@router.get("/{job_id}", summary="A job's state, progress and result")
async def get_job(request: Request, job_id: str):
    return _described(request, _job_or_404(request, job_id))


@router.post("/{job_id}/cancel", summary="Cancel a queued or running job",
             description="A queued job is dropped at once; a running one stops at its next segment or picture "
                         "step (the answer waits up to 5 s for that; until then the job's stage is 'cancelling'). Its place in the queue and its upload are "
                         "given back. A job that has ended: 409.")
async def cancel_job(request: Request, job_id: str):
    store = request.app.state.jobs
    job = _job_or_404(request, job_id)
    if job.state == "cancelled":
        return job.to_dict()
    if job.state not in ("queued", "running"):
        raise ApiError(409, f"job '{job_id}' has already {job.state}: there is nothing to cancel", param="job_id",
                       code="job_finished")
    with _work_lock:
        future, cancel = _work.get(job_id, (None, None))
    if cancel is not None:
        cancel.set()
    if job.state == "running":   # until its next segment or step: Whisper decodes 30 s at a time
        store.progress(job_id, "cancelling", 0, None, job.progress.get("fraction", 0.0))
    if future is None or future.cancel():   # still waiting for a worker: it never starts
        store.cancel(job_id)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CANCEL_WAIT
    while store.get(job_id).state in ("queued", "running") and loop.time() < deadline:
        await asyncio.sleep(0.05)
    return _described(request, store.get(job_id))


@router.get("/{job_id}/events", summary="Progress as server-sent events until the job ends",
            response_class=StreamingResponse, responses={200: {"content": {"text/event-stream": {}}}})
async def job_events(request: Request, job_id: str):
    _job_or_404(request, job_id)
    store = request.app.state.jobs

    async def events():
        last, quiet = None, 0.0
        while True:
            job = store.get(job_id)
            if job is None:
                return
            described = _described(request, job)
            snapshot = (job.state, json.dumps(job.progress, sort_keys=True), json.dumps(described.get("queue")))
            if snapshot != last:
                last, quiet = snapshot, 0.0
                kind = "progress" if job.state in ("queued", "running") else job.state
                yield f"event: {kind}\ndata: {json.dumps(described, ensure_ascii=False)}\n\n"
                if job.state in FINISHED:
                    return
            elif quiet >= HEARTBEAT:
                quiet = 0.0
                yield ": keep-alive\n\n"
            if await request.is_disconnected():
                return
            await asyncio.sleep(EVENT_POLL)
            quiet += EVENT_POLL

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/{job_id}/files/{name}", summary="A picture, the spectrogram or a subtitle file of a finished job")
async def job_file(request: Request, job_id: str, name: str):
    job = _job_or_404(request, job_id)
    path = request.app.state.jobs.files(job_id) / name
    if not FILE_NAME.match(name) or not path.is_file():
        raise ApiError(404, f"job '{job_id}' has no file '{name}'", param="name", code="file_not_found")
    media = FILE_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media, filename=download_name(job.params.get("filename"), name))


def download_name(upload: str | None, name: str) -> str:
    """What a job's file is saved as: named after the uploaded file, as the CLI names its outputs
    (talk.flac → talk.srt, talk-picture-1.png, talk-spectrogram.png)."""
    stem = re.sub(r"[\x00-\x1f/\\\x7f]+", "_", Path(upload or "").stem).strip(" .") or "job"
    if name.startswith("transcript."):
        return stem + name[len("transcript"):]
    picture = re.fullmatch(r"picture-(\d+)\.png", name)
    if picture:
        return f"{stem}-picture-{int(picture.group(1)) + 1}.png"
    return f"{stem}-{name}"
