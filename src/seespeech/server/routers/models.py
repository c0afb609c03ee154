"""/v1/models: what this server can run (OpenAI's list shape)."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi import APIRouter, Request

from seespeech.pictures import IMAGE_ENGINES
from seespeech.models import PACKAGED, task_models
from seespeech.speech import DEFAULT_ENGINE, ENGINES
from seespeech.speech.registry import load_seconds, loaded_engines, unload_engine
from seespeech.server import service
from seespeech.server.errors import ApiError

router = APIRouter(prefix="/v1/models", tags=["models"])
_STARTED = int(time.time())


def _entries(settings) -> list[dict]:
    rows = []
    for name in service.whisper_models(settings):
        engine, model = service.engine_key(settings, name)
        entry = ENGINES[engine]
        target = model or entry.default_model
        packaged = PACKAGED.get(target) if engine == DEFAULT_ENGINE else None
        rows.append({
            "id": name, "object": "model", "created": _STARTED, "owned_by": "seespeech", "kind": "speech-to-text",
            "engine": engine, "weights": target if engine == DEFAULT_ENGINE else f"{engine}:{target} ({entry.summary})",
            "installed": packaged.installed() if packaged else None,
        })
    for engine in IMAGE_ENGINES:
        # "unavailable": why a choice cannot run here, for the web page to show beside it
        unavailable = service.image_engine_available(engine, settings)
        rows.append({"id": engine, "object": "model", "created": _STARTED, "owned_by": "seespeech",
                     "kind": "text-to-image",
                     "weights": "packaged clip-art" if engine == "compose" else (settings.image_model or
                                                                                 "stabilityai/sd-turbo"),
                     "installed": unavailable is None, "unavailable": unavailable})
    from seespeech.server.routers.vlm import vlm_models

    vlm = vlm_models(settings)[0]
    unavailable = service.vlm_available(vlm)
    rows.append({"id": vlm, "object": "model", "created": _STARTED, "owned_by": "seespeech",
                 "kind": "speech-picture-to-text", "engine": "vlm", "weights": vlm,
                 "installed": unavailable is None, "unavailable": unavailable})
    for row in task_models(settings.caption_model):
        rows.append({"id": row.pop("id"), "object": "model", "created": _STARTED, "owned_by": "seespeech", **row})
    return rows


@router.get("", summary="List models (OpenAI-compatible)")
async def list_models(request: Request):
    return {"object": "list", "data": _entries(request.app.state.settings)}


@router.get("/loaded", summary="Speech models in memory (speaches' /api/ps)")
async def loaded_models() -> dict:
    return {"object": "list", "data": [_loaded_entry(key, engine) for key, engine in loaded_engines()]}


def _loaded_entry(key: tuple, engine) -> dict:
    now = time.monotonic()
    return {"id": engine.label, "object": "model", "engine": key[0], "model": key[1],
            "loaded_at": round(engine.loaded_at), "load_seconds": load_seconds.get(engine.label),
            "idle_seconds": round(now - engine.last_used, 1), "busy": engine.busy,
            "size_bytes": _size(engine)}


def _size(engine) -> int | None:
    """The weights' size on disk (what loading them costs, near enough)."""
    folder = getattr(engine, "model_path", None) or getattr(engine, "folder", None)
    if folder is None or not Path(folder).exists():
        return None
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())


@router.post("/{model_id}", summary="Load a speech model now (speaches' preload)")
async def load_model(request: Request, model_id: str) -> dict:
    settings = request.app.state.settings
    engine = await service.speech_engine(settings, model_id)
    if getattr(engine, "remote", False):   # serve --ray: loaded in its deployment's replicas
        return {"id": engine.label, "object": "model", "engine": service.engine_key(settings, model_id)[0],
                "model": engine.label.split(":", 1)[-1], "deployment": engine.handle.deployment_name}
    return next(_loaded_entry(key, loaded) for key, loaded in loaded_engines() if loaded is engine)


@router.delete("/{model_id}", summary="Unload a speech model (work using it finishes first)")
async def unload_model(request: Request, model_id: str) -> dict:
    engine, model = service.engine_key(request.app.state.settings, model_id)
    if not unload_engine(engine, model):
        raise ApiError(404, f"model '{model_id}' is not loaded", param="model", code="model_not_loaded")
    return {"id": model_id, "object": "model", "unloaded": True}


@router.get("/{model_id}", summary="One model")
async def get_model(request: Request, model_id: str):
    for entry in _entries(request.app.state.settings):
        if entry["id"] == model_id:
            return entry
    raise ApiError(404, f"model '{model_id}' is not served here", param="model", code="model_not_found")
