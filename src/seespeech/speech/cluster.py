"""Transcribe a corpus on a Ray cluster (``seespeech transcribe ... --ray [ADDRESS]``).

A Ray Data pipeline, not a scheduler of our own::

    inputs (one row each) → decode on CPU tasks → transcribe on a pool of engine actors
                            (16 kHz PCM16)        (a model loaded once per actor; outputs
                                                   written atomically where they go)
                          → rows back to the driver → the results table (Parquet)

* **Resources.** Each actor runs the model on ``threads`` threads and asks Ray for a little
  less than that many CPUs (``ACTOR_CPU_SHARE``), so the decode tasks always find room beside a
  full pool; the pool grows to as many actors as the cluster's CPUs hold and shrinks when a
  node goes away.
* **Exactly once.** An input's outputs are written atomically under their final names, so an
  output exists complete or not at all. Ray retries the decode task or the actor call of a row
  whose worker or node died (at-least-once); a retry writes the same files again, so each
  output still exists once, and the table keeps one row per input. A rerun skips inputs whose
  outputs all exist (``plan_resume``).
* **Errors.** A file that cannot be read or transcribed gets a row with its error; the run goes
  on.
* **Long files.** Up to ``DECODE_MAX_SECONDS`` an input travels as decoded PCM16 (decoding
  overlaps transcription); a longer one travels as its path and the actor decodes it as it goes,
  so memory stays flat.

Inputs and the output folder must be paths every node can read and write (the same machine, or
a shared filesystem such as NFS); ``docs/ray.md`` says how to run one machine, a ``ray start``
cluster and KubeRay.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from seespeech.errors import NotInstalledError, SeespeechError, UnavailableError

if TYPE_CHECKING:
    from seespeech.speech.subtitles import SubtitleOptions
    from seespeech.speech import TranscribeOptions

#: the results table, in the output folder unless ``--results`` says where
RESULTS_FILE = "results.parquet"
RESULT_COLUMNS = ("path", "duration", "language", "text", "segments", "error", "warnings", "engine", "model",
                  "seconds", "node")
#: longer inputs are decoded by the actor that transcribes them, as a stream (flat memory)
DECODE_MAX_SECONDS = 1800.0
#: the CPUs a decode task asks Ray for, and the share of its threads an actor asks for: a pool
#: that fills the cluster still leaves room for the decode tasks that feed it
DECODE_CPUS = 0.25
ACTOR_CPU_SHARE = 0.75
#: how the command says "this machine"
LOCAL = "local"


@dataclass
class CorpusInput:
    """One input and the outputs it writes (absolute paths: the workers may run elsewhere)."""

    source: str
    outputs: dict[str, str]


@dataclass
class CorpusRun:
    """What every actor needs to know."""

    engine: str
    model: str | None
    options: "TranscribeOptions"
    subtitles: "SubtitleOptions"
    #: model threads per actor (0: one per CPU the actor asks for, at least 1)
    threads: int = 1
    engine_kwargs: dict = field(default_factory=dict)


@dataclass
class CorpusSummary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    results: Path | None = None
    rows: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- the pipeline's stages


def decode_row(row: dict) -> dict:
    """Ray task: the input as 16 kHz PCM16 bytes (empty: the actor reads the path itself, the
    input being long), or its error."""
    from seespeech.audio import load_audio, probe

    row = {**row, "pcm": b"", "error": None, "warnings": "[]", "exit_code": None}
    try:
        info = probe(row["path"])
        if info.duration is not None and info.duration <= DECODE_MAX_SECONDS:
            notes: list[str] = []
            audio = load_audio(row["path"], max_duration=None, notes=notes)
            row["pcm"] = np.round(audio * 32768.0).clip(-32768, 32767).astype("<i2").tobytes()
            row["warnings"] = json.dumps(notes)
    except SeespeechError as exc:
        row["error"], row["exit_code"] = str(exc), exc.exit_code
    return row


class Transcriber:
    """Ray actor: one loaded engine; each call transcribes one input and writes its outputs."""

    def __init__(self, run: CorpusRun):
        from seespeech.speech import load_engine

        self.run = run
        self.engine = load_engine(run.engine, run.model, **run.engine_kwargs)
        self.node = _node_id()

    def __call__(self, row: dict) -> dict:
        from seespeech.files import write_atomic
        from seespeech.speech.writers import WRITERS

        started = time.perf_counter()
        result = {"path": row["path"], "duration": None, "language": None, "text": None, "segments": None,
                  "error": row.get("error"), "warnings": row.get("warnings") or "[]", "engine": self.run.engine,
                  "model": self.engine.label, "seconds": 0.0, "exit_code": row.get("exit_code"), "node": self.node}
        if result["error"] is None:
            pcm = row.get("pcm") or b""
            audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0 if pcm else row["path"]
            try:
                transcript = self.engine.transcribe(audio, self.run.options)
                for fmt, path in json.loads(row["outputs"]).items():
                    write_atomic(Path(path), WRITERS[fmt].render(transcript, self.run.subtitles))
            except SeespeechError as exc:
                result["error"] = str(exc).replace("<array>", row["path"])
                result["exit_code"] = exc.exit_code
            except Exception as exc:  # a bug must not stop a corpus: it is recorded with the input
                result["error"] = f"{row['path']}: {type(exc).__name__}: {exc}"
            else:
                warnings = json.loads(result["warnings"]) + transcript.warnings
                result.update(duration=transcript.duration, language=transcript.language, text=transcript.text,
                              segments=json.dumps([asdict(s) for s in transcript.segments], ensure_ascii=False),
                              warnings=json.dumps(warnings, ensure_ascii=False))
        result["seconds"] = round(time.perf_counter() - started, 3)
        return result


def _node_id() -> str | None:
    try:
        import ray

        return ray.get_runtime_context().get_node_id()
    except Exception:   # outside Ray (tests of the actor's code)
        return None


def _actor_class(run: CorpusRun) -> type:
    """The actor class with the run built in: it travels with the class, so a restarted actor
    never depends on constructor arguments kept in the object store."""

    class RunTranscriber(Transcriber):
        def __init__(self):
            super().__init__(run)

    return RunTranscriber


# ---------------------------------------------------------------- the driver


def _import_ray():
    """Ray — never a module or folder named "ray" that an entry early on the path holds (the
    working directory under ``python -m``, a scripts folder): Python would import that instead."""
    import importlib
    import sys

    def shadows(entry: str) -> bool:
        place = Path(entry or ".")
        return (place / "ray.py").is_file() or ((place / "ray").is_dir() and not (place / "ray" / "__init__.py").is_file())

    try:
        ray = importlib.import_module("ray")
        if not hasattr(ray, "is_initialized"):
            for name in [m for m in sys.modules if m == "ray" or m.startswith("ray.")]:
                del sys.modules[name]
            saved = sys.path[:]
            sys.path[:] = [p for p in sys.path if not shadows(p)]
            try:
                ray = importlib.import_module("ray")
            finally:
                sys.path[:] = saved
    except ImportError:
        raise NotInstalledError("--ray needs Ray: pip install 'seespeech[ray]'") from None
    if not hasattr(ray, "is_initialized"):
        raise NotInstalledError("--ray needs Ray: pip install 'seespeech[ray]'")
    return ray


def connect(address: str) -> dict:
    """Start a Ray runtime on this machine (``local``) or join the cluster at ``address``;
    return its resources."""
    ray = _import_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")   # offline: nothing is sent anywhere
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")   # the driver core's notices about Ray Data internals
    for name in ("ray", "ray.data"):   # the command says what happens; Ray's notices are for Ray's users
        logging.getLogger(name).setLevel(logging.ERROR)
    if not ray.is_initialized():
        _check_reachable(address)
        try:
            with _without_ray_notice():
                ray.init(address=None if address == LOCAL else address, logging_level=logging.ERROR,
                         log_to_driver=False, include_dashboard=False if address == LOCAL else None)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise UnavailableError(f"cannot reach the Ray cluster at {address}: {str(exc).splitlines()[0]} "
                                 "(start one with `ray start --head`, or use --ray local)") from None
    return ray.cluster_resources()


#: what Ray's C++ core prints on standard error because RAY_BACKEND_LOG_LEVEL is set (whatever the level)
_RAY_NOTICE = "Set ray log level from environment variable"


@contextlib.contextmanager
def _without_ray_notice():
    """Hold back what ray.init writes on the process's standard error (file descriptor 2, where
    Ray's C++ core writes) and pass it on without Ray's "Set ray log level …" line, which -q or
    not is not for the user."""
    import tempfile

    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):   # no real standard error (an embedding): nothing to hold back
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            kept = [line for line in held.read().decode(errors="replace").splitlines(keepends=True)
                    if _RAY_NOTICE not in line]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail at once when nothing listens at a cluster's host:port (Ray itself would retry for
    minutes)."""
    import socket

    if address in (LOCAL, "auto"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout):
            return
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UnavailableError(f"cannot reach the Ray cluster at {address}: {reason} (start one with "
                             "`ray start --head`, or use --ray local)") from None


def pool_shape(cpus: float, threads: int) -> tuple[int, float]:
    """(most actors, CPUs each asks for) for a cluster of ``cpus`` CPUs and model threads per actor."""
    threads = max(1, threads)
    per_actor = round(threads * ACTOR_CPU_SHARE, 3)
    # as many as leave room for a decode task, and never more model threads than cores
    most = min(int((cpus - DECODE_CPUS) // per_actor), int(cpus // threads))
    return max(1, most), per_actor


def run_corpus(inputs: list[CorpusInput], run: CorpusRun, address: str,
               on_row: Callable[[dict], None] | None = None) -> list[dict]:
    """Transcribe ``inputs`` on Ray; ``on_row`` is called with each result row as it comes."""
    import ray
    import ray.data

    resources = connect(address)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False   # the command shows its own
    context.print_on_execution_start = False
    actors, actor_cpus = pool_shape(resources.get("CPU", 1.0), run.threads)
    rows = [{"path": item.source, "outputs": json.dumps(item.outputs)} for item in inputs]
    dataset = ray.data.from_items(rows, override_num_blocks=max(1, len(rows)))
    # Ray Data retries tasks (max_retries=-1) and restarts actors and retries their calls
    # (max_restarts=-1, max_task_retries=-1) by default: what exactly-once outputs rely on
    dataset = dataset.map(decode_row, num_cpus=DECODE_CPUS)
    dataset = dataset.map(_actor_class(run), compute=ray.data.ActorPoolStrategy(min_size=1, max_size=actors),
                          num_cpus=actor_cpus)
    results: dict[str, dict] = {}
    for row in dataset.iter_rows():
        row = dict(row)
        if row["path"] not in results and on_row:
            on_row(row)
        results[row["path"]] = row   # a retried row replaces its first copy
    return list(results.values())


def shutdown() -> None:
    try:
        import ray
    except ImportError:
        return
    if ray.is_initialized():
        ray.shutdown()


# ---------------------------------------------------------------- resuming and the table


def complete(outputs: dict[str, str]) -> bool:
    """Whether every output exists (they are written atomically: existing means complete)."""
    return bool(outputs) and all(Path(p).is_file() for p in outputs.values())


def previous_rows(table: Path) -> dict[str, dict]:
    """The rows of an earlier run's results table, by path (none when there is no table)."""
    if not table.is_file():
        return {}
    import pyarrow.parquet as pq

    try:
        return {row["path"]: row for row in pq.read_table(table).to_pylist()}
    except Exception:   # a table from an interrupted write or another tool: rebuilt from the outputs
        return {}


def row_from_outputs(item: CorpusInput) -> dict:
    """A results row for an input done in an earlier run, read back from its outputs."""
    row = {column: None for column in RESULT_COLUMNS}
    row["path"], row["warnings"] = item.source, "[]"
    verbose = item.outputs.get("verbose_json")
    if verbose and Path(verbose).is_file():
        data = json.loads(Path(verbose).read_text(encoding="utf-8"))
        row.update(duration=data.get("duration"), language=data.get("language"), text=data.get("text"),
                   segments=json.dumps(data.get("segments", []), ensure_ascii=False), model=data.get("model"),
                   warnings=json.dumps(data.get("warnings", []), ensure_ascii=False))
    elif "txt" in item.outputs and Path(item.outputs["txt"]).is_file():
        row["text"] = Path(item.outputs["txt"]).read_text(encoding="utf-8").strip()
    return row


def write_results(path: Path, rows: list[dict]) -> None:
    """The results table, one row per input, written atomically (Parquet)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("path", pa.string()), ("duration", pa.float64()), ("language", pa.string()),
                        ("text", pa.string()), ("segments", pa.string()), ("error", pa.string()),
                        ("warnings", pa.string()), ("engine", pa.string()), ("model", pa.string()),
                        ("seconds", pa.float64()), ("node", pa.string())])
    table = pa.Table.from_pylist([{c: row.get(c) for c in RESULT_COLUMNS} for row in rows], schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    pq.write_table(table, partial)
    os.replace(partial, path)
