"""/v1/models: what this server can run (OpenAI's list shape)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request

from seespeech.pictures import IMAGE_ENGINES
from seespeech.models import PACKAGED, task_models
from seespeech.speech import DEFAULT_ENGINE, ENGINES
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


@router.get("/{model_id}", summary="One model")
async def get_model(request: Request, model_id: str):
    for entry in _entries(request.app.state.settings):
        if entry["id"] == model_id:
            return entry
    raise ApiError(404, f"model '{model_id}' is not served here", param="model", code="model_not_found")
