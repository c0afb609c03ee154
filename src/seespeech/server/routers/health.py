"""Health checks for load balancers and orchestrators (Kubernetes probes, KubeRay, Docker's
HEALTHCHECK). Both are open when an API key is set, do no work, and read no request body.

* ``GET /health`` — liveness: the process answers. Always 200 while it runs.
* ``GET /health/ready`` — readiness: 200 when the default model is loaded and the queue has
  room, else 503 with what is missing (a probe that fails takes the server out of rotation
  until it is ready again). Under serve --ray it also shows each deployment of the application
  (``deployments``: its state and its replicas by state), so one look shows the whole cluster;
  the answer's code stays this replica's own.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from seespeech.speech import engine_loaded, split_model

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", summary="Liveness: the server is up")
async def health() -> dict:
    return {"status": "ok"}


@router.get("/ready", summary="Readiness: the default model is loaded and the queue has room",
            responses={503: {"description": "not ready: the model is still loading or the queue is full"}})
async def ready(request: Request) -> JSONResponse:
    settings, pool = request.app.state.settings, request.app.state.pool
    loaded = engine_loaded(*split_model(settings.model))
    room = not pool.full
    body = {
        "status": "ready" if loaded and room else "not ready",
        "model": settings.model, "model_loaded": loaded,
        "queue": {"held": pool.held, "capacity": pool.capacity, "workers": pool.workers, "has_room": room},
    }
    deployments = getattr(request.app.state, "deployments", None)
    if deployments is not None:   # serve --ray: a call to Serve's controller, off the event loop
        body["deployments"] = await asyncio.to_thread(deployments)
    return JSONResponse(body, status_code=200 if loaded and room else 503)
