"""``seespeech serve --ray [ADDRESS]``: the same FastAPI app on Ray Serve, across nodes.

The application (docs/ray.md draws it):

- **Ingress** (``ingress_replicas``, ``ingress_num_cpus``): ``create_app(settings)`` itself, built
  in each replica (``__serve_build_asgi_app__``), so the API, its key, limits, errors, streams,
  the realtime WebSocket and the web page are the single-process server's, unchanged. Uploads
  are read and checked there; what each request asks of the speech model is sent, with the
  audio's bytes (nodes share no disk), to
- **Speech** (one deployment per served speech model; ``replicas`` or autoscaling between
  ``min_replicas`` and ``max_replicas`` on ``target_ongoing_requests``; ``speech_num_cpus``):
  a loaded engine that transcribes bytes, whole or segment by segment (a streaming method, for
  SSE). A replica lost with its node mid-request is retried once on another replica; if that
  fails too the client gets 503 + Retry-After (``code: replica_unavailable``).
- **Jobs** (``/v1/jobs``): a detached job board actor on the head node runs each job as a Ray
  task on any node and re-runs it once if its node dies (``jobboard.py``).

Text → picture may have a deployment too (``picture_replicas``: the compose engine), and so may
each side job (``SIDE_JOBS``: OCR, translation, speech synthesis; ``ocr_replicas`` …). With 0
replicas (the default) they run in the ingress replica that took the request (in its bounded
pool, as in one process), as speech → picture in one call always does.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import threading
import time
from pathlib import Path

from seespeech.errors import NotInstalledError, SeespeechError
from seespeech.server.errors import RetryableError
from seespeech.server.settings import Settings

log = logging.getLogger("seespeech.server")

APP_NAME = "seespeech"
#: a resource only the head node has (Ray's own), asked for in a tiny amount to place a replica there
HEAD_RESOURCE = "node:__internal_head__"
#: times a request is sent to a speech replica when the one doing it died (its node lost)
ATTEMPTS = 3
#: how often a request waiting for its replica looks whether its client went away
POLL = 0.5


def import_serve():
    """Ray and Ray Serve, or NotInstalledError (exit 5) saying what to install."""
    from seespeech.speech.cluster import _import_ray

    try:
        _import_ray()
    except NotInstalledError:
        raise NotInstalledError("serve --ray needs Ray Serve: pip install 'seespeech[ray]'") from None
    try:
        from ray import serve
    except ImportError as exc:
        raise NotInstalledError(f"serve --ray needs Ray Serve ({exc}): pip install 'seespeech[ray]'") from None
    return serve


# ---------------------------------------------------------------- the speech deployment


class SpeechReplica:
    """One loaded speech engine in a Serve replica. Errors of the request (bad audio, options)
    come back as values, so the ingress answers them as the single-process server does."""

    def __init__(self, engine: str, model: str | None):
        from seespeech.speech import warm_engine

        self.engine = warm_engine(engine, model)

    def transcribe(self, audio: bytes, options):
        try:
            return ("done", self.engine.transcribe(audio, options))
        except SeespeechError as exc:
            return ("error", exc)

    def transcribe_stream(self, audio: bytes, options, first_window: bool = True):
        """Each segment as it is decoded, then the transcript (or the error)."""
        try:
            run = self.engine.segments(audio, options, None, first_window)
            for segment in run:
                yield ("segment", segment)
            yield ("done", run.result())
        except SeespeechError as exc:
            yield ("error", exc)

    def node(self) -> str:
        import ray

        return ray.get_runtime_context().get_node_id()


class PictureReplica:
    """The picture engine (text → picture) in a Serve replica."""

    def __init__(self, engine: str, model: str | None):
        from seespeech.pictures import load_image_engine

        self.engine = load_image_engine(engine, model)

    def generate(self, prompt: str, options):
        try:
            return ("done", self.engine.generate(prompt, options))
        except SeespeechError as exc:
            return ("error", exc)


class RemotePictureEngine:
    """What /v1/images/generations takes for a picture engine: ``generate`` in the deployment."""

    def __init__(self, handle, name: str):
        self.handle, self.name = handle, name

    def generate(self, prompt: str, options, progress=None):
        return _retrying("drawing", lambda: _answer(self.handle.generate.remote(prompt, options), progress))


class RemoteEngine:
    """What the routers take for a loaded engine (``transcribe``, ``label``), in an ingress
    replica: the work goes to the model's Speech deployment. It runs in the ingress's pool
    thread, as a local engine would, and stops waiting when the client goes away."""

    #: the model is loaded in a deployment's replicas, not in this process
    remote = True

    def __init__(self, handle, label: str):
        self.handle, self.label = handle, label
        self.busy, self.last_used, self.loaded_at = False, time.monotonic(), time.time()

    def transcribe(self, audio, options, progress=None, on_segment=None, first_window: bool = False):
        data = Path(audio).read_bytes() if isinstance(audio, (str, Path)) else audio
        if on_segment is None:
            return _retrying("transcribing", lambda: _answer(self.handle.transcribe.remote(data, options), progress))
        return _retrying("transcribing", lambda: self._streamed(data, options, progress, on_segment, first_window))

    def _streamed(self, data: bytes, options, progress, on_segment, first_window):
        stream = self.handle.options(stream=True).transcribe_stream.remote(data, options, first_window)
        segments = _pieces(stream, progress)
        while True:
            try:
                on_segment(next(segments))
            except StopIteration as end:   # the transcript
                return end.value


# ---------------------------------------------------------------- the side jobs' deployments


#: the side jobs that may have a deployment of their own: name (its settings are
#: ``{name}_replicas`` and ``{name}_num_cpus``, its deployment is named so) → (module, the
#: function the router calls through ``service.side_job``, what its replica is doing, whether
#: the function yields its answer in pieces). Each loads its engine on first use and keeps it.
SIDE_JOBS = {
    "ocr": ("seespeech.jobs.ocr", "read_text", "reading", False),
    "translate": ("seespeech.jobs.translate", "translate_text", "translating", False),
    "tts": ("seespeech.jobs.tts", "speak_stream", "speaking", True),
}


def _job_function(name: str):
    import importlib

    module, function, _, _ = SIDE_JOBS[name]
    return getattr(importlib.import_module(module), function)


class JobReplica:
    """A side job in a Serve replica. Its engine loads lazily, on the first request, as in the
    single-process server: an engine this node cannot load (its extra, its voice not installed)
    does not stop the replica from starting; each request gets the error the plain server
    gives, as a value (as the speech replica's errors are)."""

    def __init__(self, name: str):
        self.name, self.function = name, _job_function(name)

    def run(self, *args):
        try:
            return ("done", self.function(*args))
        except SeespeechError as exc:
            return ("error", exc)

    def stream(self, *args):
        """Each piece as the job makes it (speech synthesis: a sentence's audio), then the end."""
        try:
            for piece in self.function(*args):
                yield ("piece", piece)
            yield ("done", None)
        except SeespeechError as exc:
            yield ("error", exc)


class RemoteJob:
    """What the router calls in place of a side job's function (``service.side_job``), in an
    ingress replica: the same arguments, the work done in the job's deployment, retried on
    another replica when one is lost (then 503) as speech is. It runs in the ingress's pool
    thread, whose cancel point (``work.cancel_point``) the wait polls, so a client gone away
    cancels the replica's work too. A callback among the arguments (translation's progress:
    that same cancel point) means nothing in another process: it is sent as None."""

    def __init__(self, handle, name: str):
        self.handle, self.name = handle, name
        _, _, self.doing, self.streams = SIDE_JOBS[name]

    def __call__(self, *args):
        from seespeech.server.work import cancel_point

        sent = tuple(None if callable(arg) else arg for arg in args)
        if self.streams:
            return self._streamed(sent, cancel_point)
        return _retrying(self.doing, lambda: _answer(self.handle.run.remote(*sent), cancel_point))

    def _streamed(self, args, progress):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                yield from _pieces(self.handle.options(stream=True).stream.remote(*args), progress)
                return
            except _ReplicaLost as lost:
                _lost_again(self.doing, lost, attempt)


# ---------------------------------------------------------------- waiting for a replica


def _retrying(doing: str, call):
    """``call()``, sent again (``ATTEMPTS`` in all) when the replica doing it was lost before it
    sent anything; then 503 + Retry-After."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call()
        except _ReplicaLost as lost:
            _lost_again(doing, lost, attempt)
    raise AssertionError("unreachable")


def _lost_again(doing: str, lost: "_ReplicaLost", attempt: int) -> None:
    """After a lost replica: return to send the request again, or raise the 503 when it had
    already sent part of its answer or this was the last attempt."""
    if lost.sent_segments or attempt == ATTEMPTS:
        raise RetryableError(f"the replica {doing} this request stopped ({lost.reason}); send it again") from None
    log.warning("replica %s a request lost (%s): sending it to another", doing, lost.reason)
    time.sleep(0.5 * attempt)   # Serve takes a moment to stop routing to a dead replica


def _pieces(stream, progress):
    """The pieces a streaming deployment call sends (segments, audio), as they come; returns its
    final value ("done"), raises its error. A replica lost midway is a _ReplicaLost saying how
    many pieces had gone out (none: it may be sent again); a stream the caller drops is cancelled."""
    sent = 0
    try:
        for kind, value in _iterate(stream):
            if kind == "error":
                raise value
            if kind == "done":
                return value
            _check(progress, stream)
            yield value
            sent += 1
    except _ReplicaLost as lost:
        lost.sent_segments = sent
        raise
    except GeneratorExit:   # the caller stopped reading (its client went away)
        stream.cancel()
        raise
    raise RetryableError("the replica ended its answer before the end; send it again")


def _answer(response, progress):
    """A deployment call's value ("done"), or its error raised; polls so a client gone away stops the wait."""
    while True:
        try:
            kind, value = _lost_as(lambda: response.result(timeout_s=POLL))
            break
        except TimeoutError:
            _check(progress, response)
    if kind == "error":
        raise value
    return value


class _ReplicaLost(Exception):
    def __init__(self, reason: str):
        self.reason, self.sent_segments = reason, 0


def _lost_as(call):
    """Ray's errors of the cluster (a dead actor, worker or node; not the work's own exception,
    which comes back as a value) → _ReplicaLost."""
    from ray import exceptions as rx

    try:
        return call()
    except (rx.RayTaskError, TimeoutError):   # the work's own bug; a wait that is not over yet
        raise
    except rx.RayError as exc:
        raise _ReplicaLost(type(exc).__name__) from None


def _iterate(stream):
    iterator = iter(stream)
    while True:
        try:
            yield _lost_as(lambda: next(iterator))
        except StopIteration:
            return


def _check(progress, response) -> None:
    """The request's cancel point: a client gone away cancels the replica's work too."""
    if progress is None:
        return
    try:
        progress()
    except BaseException:
        response.cancel()
        raise


# ---------------------------------------------------------------- the application


def ingress_settings(settings: Settings) -> Settings:
    """The ingress replicas' settings: their pool holds as many requests at once as the speech
    replicas take (its threads only wait for them), split over the ingress replicas."""
    most = settings.max_replicas or settings.replicas
    capacity = most * max(1, round(settings.target_ongoing_requests))
    workers = max(settings.workers, math.ceil(capacity / settings.ingress_replicas))
    return settings.model_copy(update={"workers": workers})


def build_application(settings: Settings):
    """The Serve application: the ingress bound to one Speech deployment per served model."""
    serve = import_serve()
    from seespeech.server import service
    from seespeech.speech import split_model

    key = split_model(settings.model)
    scaling = settings.autoscaling
    speech_options = dict(name=f"speech-{key[0]}-{(key[1] or 'default').replace('/', '_')}",
                          ray_actor_options={"num_cpus": settings.speech_num_cpus},
                          max_ongoing_requests=max(1, round(settings.target_ongoing_requests)),
                          health_check_period_s=2, health_check_timeout_s=10)
    if scaling:
        speech_options["autoscaling_config"] = {**scaling, "upscale_delay_s": 3, "downscale_delay_s": 60}
    else:
        speech_options["num_replicas"] = settings.replicas
    Speech = serve.deployment(**speech_options)(SpeechReplica)
    engines = {key: Speech.bind(*key)}
    for _, name, replicas, num_cpus, replica, key, args in _one_engine_deployments(settings):
        deployment = serve.deployment(name=name, num_replicas=replicas, ray_actor_options={"num_cpus": num_cpus},
                                      # each engine does one thing at a time (a lock): more would only wait there
                                      max_ongoing_requests=1, health_check_period_s=2,
                                      health_check_timeout_s=10)(replica)
        engines[key] = deployment.bind(*args)

    data = ingress_settings(settings).model_dump(mode="json")

    @serve.deployment(name="ingress", num_replicas=settings.ingress_replicas,
                      ray_actor_options={"num_cpus": settings.ingress_num_cpus,
                                         **({"resources": {HEAD_RESOURCE: 0.001}} if settings.ingress_on_head
                                            else {})},
                      max_ongoing_requests=max(100, 4 * (settings.queue_size + data["workers"])),
                      health_check_period_s=2, health_check_timeout_s=10)
    @serve.ingress()
    class Ingress:
        def __init__(self, settings_data: dict, engines: dict):
            self.settings = Settings(**settings_data)
            from seespeech.speech.registry import ENGINES  # noqa: F401  (the table, loaded once here)

            for (engine, model), handle in engines.items():
                if engine == "picture":
                    service.REMOTE_ENGINES[(engine, model)] = RemotePictureEngine(handle, model)
                    continue
                if engine == "job":
                    service.REMOTE_ENGINES[(engine, model)] = RemoteJob(handle, model)
                    continue
                label = f"{engine}:{model or ENGINES[engine].default_model}"
                service.REMOTE_ENGINES[(engine, model)] = RemoteEngine(handle, label)

        def __serve_build_asgi_app__(self):
            from seespeech.server.app import create_app

            app = create_app(self.settings)
            app.state.deployments = deployment_states   # /health/ready shows the whole application
            return app

    return Ingress.bind(data, engines)


def _one_engine_deployments(settings: Settings) -> list[tuple]:
    """The deployments besides speech and the ingress that were asked for (replicas > 0): the
    picture engine and the side jobs — (what its settings start with, the deployment's name,
    replicas, num_cpus, replica class, the key the ingress's stand-in is found by, the replica's
    arguments)."""
    found = []
    if settings.picture_replicas:
        found.append(("picture", "pictures-compose", settings.picture_replicas, settings.picture_num_cpus,
                      PictureReplica, ("picture", "compose"), ("compose", None)))
    for name in SIDE_JOBS:
        replicas = getattr(settings, f"{name}_replicas")
        if replicas:
            found.append((name, name, replicas, getattr(settings, f"{name}_num_cpus"), JobReplica, ("job", name),
                          (name,)))
    return found


def deployment_states() -> dict:
    """Each deployment of the application: its state and its replicas by state (serve.status()),
    or why they cannot be told."""
    from ray import serve

    try:
        application = serve.status().applications[APP_NAME]
    except Exception as exc:   # the controller is away (its node restarting): say so, do not fail the probe
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {name: {"status": str(getattr(d.status, "value", d.status)),
                   "replicas": {str(getattr(k, "value", k)): n for k, n in d.replica_states.items() if n}}
            for name, d in application.deployments.items()}


def app_builder(args: dict):
    """The application as a Serve config names it (``import_path:
    seespeech.server.ray_serve:app_builder``, ``args``: settings by name; SEESPEECH_* variables
    too) — how KubeRay's RayService starts it (deploy/kuberay/rayservice.yaml)."""
    from seespeech.server.jobboard import board_handle

    settings = Settings.from_env(**{k: v for k, v in (args or {}).items()}, ray_address="auto")
    board_handle(settings, create=True)
    return build_application(settings)


def serve_on_ray(settings: Settings, say=print) -> None:
    """Connect (or start a local cluster), start the job board and the application, say where
    it listens, and keep it running until Ctrl+C or SIGTERM."""
    serve = import_serve()
    from seespeech.server.jobboard import board_handle
    from seespeech.speech.cluster import LOCAL, connect

    started = time.perf_counter()
    address = settings.ray_address
    resources = connect(LOCAL if address in (None, "local", LOCAL) else address)
    import ray

    for name in ("ray.serve", "ray"):
        logging.getLogger(name).setLevel(logging.WARNING)
    scaling = settings.autoscaling
    fewest = scaling["initial_replicas"] if scaling else settings.replicas
    others = [(replicas, setting, num_cpus) for setting, _, replicas, num_cpus, *_ in _one_engine_deployments(settings)]
    asked = [(fewest, "speech", settings.speech_num_cpus),
             (settings.ingress_replicas, "ingress", settings.ingress_num_cpus), *others]
    need = sum(count * num_cpus for count, _, num_cpus in asked)
    if need > resources.get("CPU", 0):
        message = (", ".join(f"{count} {name} replica(s) × {num_cpus:g} CPU" for count, name, num_cpus in asked)
                   + f" need {need:g} CPUs; the cluster has {resources.get('CPU', 0):g}")
        if address in (None, "local", LOCAL):   # nothing will join: it would wait for ever
            from seespeech.errors import OptionError

            flags = ", ".join(f"--{name}-num-cpus" for _, name, _ in asked)
            raise OptionError(f"{message}: ask for fewer (--replicas, {flags})", "replicas")
        say(f"seespeech: {message}: Serve waits until nodes join")
    board = board_handle(settings, create=True)
    ray.get(board.ping.remote(), timeout=120)
    serve.start(http_options={"host": settings.host, "port": settings.port, "location": settings.proxy_location})
    serve.run(build_application(settings), name=APP_NAME, route_prefix="/", blocking=False)
    took = time.perf_counter() - started
    nodes = sum(1 for n in ray.nodes() if n["Alive"])
    replicas = (f"{scaling['min_replicas']}–{scaling['max_replicas']} speech replicas (autoscaling)" if scaling
                else f"{settings.replicas} speech replica(s)")
    say(f"seespeech: serving on http://{settings.host}:{settings.port}/ on Ray Serve "
        f"({nodes} node(s), {resources.get('CPU', 0):g} CPUs; model {settings.model}, {replicas}, "
        f"{settings.ingress_replicas} ingress replica(s)"
        f"{''.join(f', {count} {name} replica(s)' for count, name, _ in others)}"
        f"{', API key required' if settings.api_key else ''}; "
        f"started in {took:.1f} s)")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        say("seespeech: stopping the Serve application and the job board")

        def stop_all():
            try:
                serve.delete(APP_NAME)
                ray.kill(board)
                if address in (None, "local", LOCAL):
                    serve.shutdown()
            except Exception as exc:  # the cluster went first: nothing left to stop
                log.info("while stopping: %s", exc)

        stopper = threading.Thread(target=stop_all, daemon=True)
        stopper.start()
        stopper.join(timeout=30)   # a cluster that died first does not answer: do not wait for it
        os._exit(0)   # Ray's own threads would keep a plain exit waiting
