"""/v1/images/generations: text → picture (OpenAI-compatible, with seed and engine extensions)."""

from __future__ import annotations

import time
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from seespeech.errors import SeespeechError
from seespeech.pictures.options import PictureSchema
from seespeech.server import service, work
from seespeech.server.errors import ApiError, from_seespeech

router = APIRouter(prefix="/v1/images", tags=["images"])


class ImageRequest(BaseModel):
    prompt: str = Field(min_length=1, max_length=4000)
    #: "compose" or "diffusion"; OpenAI's model names are not served
    model: str | None = None
    n: int = PictureSchema.field("count")
    size: str | None = Field(None, description="WxH, e.g. 512x512")
    response_format: Literal["b64_json", "url"] = "b64_json"
    # extensions
    seed: int = PictureSchema.field("seed")
    engine: str | None = Field(None, description="compose | diffusion (overrides model)")
    steps: int | None = PictureSchema.field("steps")
    guidance: float | None = PictureSchema.field("guidance")
    negative_prompt: str | None = Field(None, max_length=4000)


@router.post("/generations", summary="Draw a picture from text (OpenAI-compatible)")
@work.takes_work
async def generations(request: Request, body: ImageRequest):
    settings = request.app.state.settings
    if body.response_format != "b64_json":
        raise ApiError(400, "only response_format b64_json is supported: this server keeps no image URLs",
                       param="response_format", code="invalid_value")
    name = body.engine or body.model or "compose"
    options = service.image_options(body.n, body.size, body.seed, body.steps, body.guidance, body.negative_prompt)
    if not body.prompt.strip():
        raise ApiError(400, "the prompt is empty", param="prompt", code="invalid_value")
    engine = await service.image_engine(name, settings)
    try:
        generation = await work.run(request, engine.generate, body.prompt.strip(), options, work.cancel_point)
    except SeespeechError as exc:
        raise from_seespeech(exc) from None
    plans = generation.plans or [{} for _ in generation.images]
    return {
        "created": int(time.time()),
        "data": [
            {"b64_json": service.png_base64(image), "revised_prompt": body.prompt.strip(), "plan": plan}
            for image, plan in zip(generation.images, plans)
        ],
        "engine": generation.engine, "model": generation.model, "credits": generation.credits,
    }
