"""serve: the HTTP server and web page."""

from __future__ import annotations

import contextlib
import errno
import socket
from pathlib import Path

import click

from seespeech.cli.app import err_console, main


# ---------------------------------------------------------------- serve


def settings_option(name: str, *decls: str):
    """A ``serve`` flag declared once, in ``Settings``: its bounds, help and default come from the
    field (``--name-with-dashes``; SEESPEECH_NAME names the same setting)."""
    import typing

    import annotated_types

    from seespeech.server.settings import Settings

    field = Settings.model_fields[name]
    if field.annotation is bool:
        flag = name.replace("_", "-")
        return click.option(f"--{flag}/--no-{flag}", name, default=None,
                            help=f"{field.description} [default: {'on' if field.default else 'off'}; "
                                 f"SEESPEECH_{name.upper()}]")
    kind = next((t for t in (int, float, str) if t is field.annotation or t in typing.get_args(field.annotation)),
                str)
    literal = [t for t in typing.get_args(field.annotation) or () if isinstance(t, str)]
    bounds: dict = {}
    for item in field.metadata:
        if isinstance(item, annotated_types.Ge):
            bounds["min"] = item.ge
        elif isinstance(item, annotated_types.Gt):
            bounds.update(min=item.gt, min_open=True)
        elif isinstance(item, annotated_types.Le):
            bounds["max"] = item.le
    if literal:
        click_type = click.Choice(literal)
    elif kind is int:
        click_type = click.IntRange(**{k: v for k, v in bounds.items() if k != "min_open"})
    elif kind is float:
        click_type = click.FloatRange(**bounds)
    else:
        click_type = str
    default = "none" if field.default is None else f"{field.default:g}" if isinstance(field.default, float) \
        else field.default
    help_text = f"{field.description} [default: {default}; SEESPEECH_{name.upper()}]"
    return click.option(*(decls or (f"--{name.replace('_', '-')}",)), name, type=click_type, default=None,
                        help=help_text)


@main.command()
@click.option("--host", default=None, help="Address to listen on [default: 127.0.0.1; SEESPEECH_HOST].")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="[default: 8000; SEESPEECH_PORT]")
@click.option("--model", "-m", default=None, metavar="NAME|DIR",
              help="Whisper model behind 'whisper-1' [default: base; SEESPEECH_MODEL].")
@click.option("--image-model", default=None, metavar="DIR|HUB_ID",
              help="Model of the diffusion picture engine [SEESPEECH_IMAGE_MODEL].")
@click.option("--vlm-model", default=None, metavar="DIR|HUB_ID",
              help="Model of the experimental vlm engine [SEESPEECH_VLM_MODEL].")
@click.option("--caption-model", default=None, metavar="DIR",
              help="A BLIP captioning model folder for /v1/images/describe [SEESPEECH_CAPTION_MODEL].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Jobs running at once [default: cores ÷ 4, at least 1; SEESPEECH_WORKERS].")
@click.option("--queue-size", type=click.IntRange(min=0), default=None,
              help="Jobs waiting beyond those; more get 503 + Retry-After [default: 32].")
@click.option("--max-upload-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Largest upload [default: 100].")
@click.option("--max-duration", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Longest audio in seconds [default: 14400, 4 hours, as for transcribe].")
@click.option("--max-live-sessions", type=click.IntRange(min=0), default=None,
              help="Live transcription sessions (/v1/realtime) open at once [default: 4].")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Jobs database and results [default: ~/.cache/seespeech/server].")
@click.option("--cors-origins", default=None, help="Comma-separated origins allowed by CORS [default: none].")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also append request log lines here.")
@click.option("--wyoming", "wyoming_uri", default=None, metavar="URI",
              help="Also speak Home Assistant's Wyoming protocol here, e.g. tcp://0.0.0.0:10300 "
                   "[default: off; SEESPEECH_WYOMING].")
@click.option("--log-format", type=click.Choice(["text", "json"]), default=None,
              help="Log lines as text or one JSON object per line (request id, route, status, ms) "
                   "[default: text; SEESPEECH_LOG_FORMAT].")
@click.option("--model-ttl", type=click.FloatRange(min=-1), default=None,
              help="Unload a speech model unused this many seconds (-1: never; 0: right after use; the "
                   "server's own --model stays) [default: 300; SEESPEECH_MODEL_TTL].")
@click.option("--metrics/--no-metrics", default=None,
              help="GET /metrics for Prometheus (behind the API key when one is set) [default: on; SEESPEECH_METRICS].")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Serve on Ray Serve: replicas across the nodes of a Ray cluster (--ray alone: a cluster on "
                   "this machine; --ray HOST:6379 joins one). See docs/ray.md [SEESPEECH_RAY_ADDRESS].")
@settings_option("replicas")
@settings_option("min_replicas")
@settings_option("max_replicas")
@settings_option("target_ongoing_requests")
@settings_option("ingress_replicas")
@settings_option("ingress_on_head")
@settings_option("ingress_num_cpus")
@settings_option("speech_num_cpus")
@settings_option("picture_replicas")
@settings_option("picture_num_cpus")
@settings_option("jobs_num_cpus")
@settings_option("ocr_replicas")
@settings_option("ocr_num_cpus")
@settings_option("translate_replicas")
@settings_option("translate_num_cpus")
@settings_option("tts_replicas")
@settings_option("tts_num_cpus")
@settings_option("proxy_location")
def serve(host, port, model, image_model, vlm_model, caption_model, workers, queue_size, max_upload_mb, max_duration,
          max_live_sessions, data_dir, cors_origins, log_file, wyoming_uri, log_format, model_ttl, metrics,
          ray_address=None, **ray_options):
    """Run the HTTP server: OpenAI-compatible API, speech → picture jobs, web page.

    Set SEESPEECH_API_KEY to require 'Authorization: Bearer <key>' on every API call.
    """
    import uvicorn

    from seespeech.server import Settings, create_app
    from seespeech.server.jobs import DataDirLock
    from seespeech.speech import load_engine, split_model

    settings = Settings.from_env(
        host=host, port=port, model=model, image_model=image_model, vlm_model=vlm_model,
        caption_model=caption_model, workers=workers,
        queue_size=queue_size, max_upload_mb=max_upload_mb, max_duration=max_duration,
        max_live_sessions=max_live_sessions, data_dir=data_dir, cors_origins=cors_origins, log_file=log_file,
        metrics=metrics, model_ttl=model_ttl, log_format=log_format, wyoming=wyoming_uri,
        ray_address=ray_address, **ray_options,
    )
    if settings.ray_address:
        _serve_on_ray(settings)
        return
    if settings.wyoming:
        wyoming_address(settings.wyoming)
    check_port_free(settings.host, settings.port)  # before anything says "serving"
    DataDirLock(settings.data_dir).acquire()  # held until the process ends: one server per data folder
    with err_console.status(f"loading model {settings.model}…") if err_console.is_terminal else contextlib.nullcontext():
        load_engine(*split_model(settings.model))  # fail now, not on the first request
    err_console.print(f"seespeech: serving on http://{settings.host}:{settings.port}/ "
                      f"(model {settings.model}, {settings.workers} worker(s), queue {settings.queue_size}"
                      f"{', API key required' if settings.api_key else ''}"
                      f"{', Wyoming on ' + settings.wyoming if settings.wyoming else ''})", highlight=False)
    from seespeech.server.routers.realtime import MAX_FRAME_BYTES

    # ws_max_size: a realtime append of the documented 15 MiB of audio (base64, in JSON) fits in a frame
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                access_log=False, timeout_graceful_shutdown=5, ws_max_size=MAX_FRAME_BYTES)


def _serve_on_ray(settings) -> None:
    """serve --ray: the same app on Ray Serve (server/ray_serve.py); Ray missing: exit 5, one line."""
    from seespeech.errors import OptionError
    from seespeech.server.ray_serve import import_serve, serve_on_ray

    if settings.wyoming:
        raise OptionError("--wyoming is not served on Ray: run `seespeech wyoming` beside the cluster", "wyoming")
    import_serve()   # before anything starts: the extra is there, or one line and exit 5
    check_port_free(settings.host, settings.port)
    serve_on_ray(settings, say=lambda line: err_console.print(line, highlight=False))


@main.command()
@click.option("--uri", default="tcp://127.0.0.1:10300", show_default=True,
              help="Where to listen: tcp://HOST:PORT (0.0.0.0 for other machines) or unix://PATH.")
@click.option("--model", "-m", default=None, help="The speech model a client gets unless it names another "
                                                  "[default: base].")
def wyoming(uri, model):
    """Serve Home Assistant's Wyoming protocol: speech to text, and text to speech with the tts extra.

    In Home Assistant: Settings → Devices & services → Add integration → Wyoming Protocol, host
    and port of this machine; then pick it in Settings → Voice assistants.
    """
    import asyncio

    from seespeech.models import DEFAULT_MODEL
    from seespeech.speech import load_engine, split_model

    default = model or DEFAULT_MODEL
    wyoming_address(uri)
    with err_console.status(f"loading model {default}…") if err_console.is_terminal else contextlib.nullcontext():
        load_engine(*split_model(default))  # fail now, not on the first request
    err_console.print(f"seespeech: Wyoming on {uri} (model {default})", highlight=False)
    from seespeech.server.wyoming import serve_wyoming

    try:
        asyncio.run(serve_wyoming(uri, default))
    except KeyboardInterrupt:
        pass


def wyoming_address(uri: str) -> None:
    """A Wyoming URI that can be listened on, or exit 2 saying why (before any model loads)."""
    from urllib.parse import urlparse

    from seespeech.errors import OptionError

    parsed = urlparse(uri)
    if parsed.scheme == "unix" and parsed.path:
        return
    try:
        port = parsed.port
    except ValueError:
        port = None
    if parsed.scheme != "tcp" or not parsed.hostname or port is None:
        raise OptionError(f"'{uri}' is no Wyoming address: give tcp://HOST:PORT (e.g. tcp://0.0.0.0:10300) "
                          "or unix://PATH", param="uri")
    check_port_free(parsed.hostname, port)


def check_port_free(host: str, port: int) -> None:
    """Bind ``host:port`` as uvicorn will (SO_REUSEADDR, so connections of a server that just
    stopped do not count) and let go: a port in use is a bad option (exit 2), said in one line
    before the model loads, not uvicorn's error after "serving on"."""
    from seespeech.errors import OptionError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise OptionError(f"port {port} on {host} is already in use: choose another with --port",
                              param="port") from None
        reason = exc.strerror or str(exc)
        raise OptionError(f"cannot listen on {host} port {port} ({reason}): choose another --host or --port",
                          param="host") from None
