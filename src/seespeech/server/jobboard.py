"""``serve --ray``: the job board — where every replica on every node sees the speech → picture
jobs, and what happens to a job whose node died.

One detached, named Ray actor (``seespeech-jobs``, pinned to the head node) owns the jobs. It
keeps them in the same SQLite ``JobStore`` as the single-process server, in the head node's
data folder, so a job's state, progress, result and files outlive any worker node; it also
keeps each unfinished job's audio, because nodes share no disk and a re-run needs it.

A job runs as a Ray task (any node with a free CPU) that the board starts and awaits; the task
reads nothing but what it is given (params and audio bytes) and returns its outcome — result
and files as bytes — to the board, which alone writes the job's final state. So:

- a job whose node (or worker process) died is **re-run once** on another node, and its state
  says so (``attempt``: 2); a second loss fails it with ``code: node_lost``, truthfully;
- it is **never done twice**: only the outcome of the job's current attempt is taken, once; an
  attempt the board gave up on cannot finish it later;
- progress and cancellation go through the board too (a cancelled job's task stops at its next
  segment or picture step, as in one process).

The head node itself is the one place whose loss this does not survive on its own: Ray's GCS
keeps the cluster's state there. On Kubernetes, KubeRay's GCS fault tolerance (an external
Redis) restarts the head and this actor; the SQLite file on a persistent volume keeps the jobs,
and jobs that were unfinished are then marked failed (``interrupted``), as after a restart of
the single-process server. ``docs/ray.md`` says more.

``Board`` is the logic, with no Ray in it (tests drive it with a fake runner); ``JobBoard`` is
the actor around it; ``RayJobStore`` is what the ingress replicas use in place of ``JobStore``;
``run_attempt`` is the task.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

from seespeech.server.jobs import FINISHED, Job, JobStore

log = logging.getLogger("seespeech.server")

BOARD_NAME = "seespeech-jobs"
NAMESPACE = "seespeech"
#: a job is run at most this many times (the first run and one re-run after a lost node)
MAX_ATTEMPTS = 2
NODE_LOST = ("the node running this job stopped {count} times ({reason}); it was not finished — "
             "submit it again")


class Board:
    """The job board's logic: a JobStore for state and files, plus attempts and audio.

    ``launch(job_id, attempt, audio, params)`` starts an attempt somewhere (a Ray task, or a
    test's fake); its end is reported with ``finished`` (the task's outcome) or ``lost``
    (the task never came back: its node or worker died)."""

    def __init__(self, store: JobStore, launch: Callable[[str, int, bytes, dict], None]):
        self.store = store
        self.launch = launch
        self.attempts: dict[str, int] = {}
        self.audio: dict[str, bytes] = {}
        self.nodes: dict[str, str] = {}
        #: jobs that ran more than once: how many times (kept after they end, for their description)
        self.reruns: dict[str, int] = {}
        self._lock = threading.RLock()

    # ---- what the ingress replicas ask
    def create(self, params: dict, audio: bytes) -> dict:
        with self._lock:
            job = self.store.create(params)
            self.audio[job.id] = audio
            self.attempts[job.id] = 1
        self.launch(job.id, 1, audio, params)
        return self.describe(job.id)

    def describe(self, job_id: str) -> dict | None:
        job = self.store.get(job_id)
        if job is None:
            return None
        data = job.to_dict()
        if job_id in self.reruns:
            data["attempt"] = self.reruns[job_id]
        return data

    def list(self, limit: int) -> list[dict]:
        return [self.describe(j.id) or j.to_dict() for j in self.store.list(limit)]

    def ahead(self, job_id: str) -> list[dict]:
        return [j.to_dict() for j in self.store.ahead(job_id)]

    def cancel(self, job_id: str) -> bool:
        with self._lock:
            changed = self.store.cancel(job_id)
            if changed:
                self._forget(job_id)
        return changed

    def file(self, job_id: str, name: str) -> bytes | None:
        path = self.store.files(job_id) / name
        return path.read_bytes() if "/" not in name and path.is_file() else None

    # ---- what a job's attempt reports
    def _current(self, job_id: str, attempt: int) -> bool:
        return self.attempts.get(job_id) == attempt

    def start(self, job_id: str, attempt: int, node: str) -> bool:
        """An attempt began on ``node``; False: it must not run (cancelled, or superseded)."""
        with self._lock:
            job = self.store.get(job_id)
            if not self._current(job_id, attempt) or job is None or job.state in FINISHED:
                return False
            self.nodes[job_id] = node
            self.store.start(job_id)
            return True

    def progress(self, job_id: str, attempt: int, stage: str, done: float, total: float | None,
                 fraction: float) -> bool:
        """Record progress; False tells the attempt to stop (the job was cancelled or given up)."""
        with self._lock:
            if not self._current(job_id, attempt):
                return False
            job = self.store.get(job_id)
            if job is None or job.state != "running":
                return False
            self.store.progress(job_id, stage, done, total, fraction)
            return True

    def state(self, job_id: str) -> str | None:
        job = self.store.get(job_id)
        return job.state if job else None

    def finished(self, job_id: str, attempt: int, outcome: dict) -> bool:
        """The attempt's outcome: {"state": "succeeded", "result", "files": {name: bytes}} or
        {"state": "failed", "error"} or {"state": "cancelled"}. Taken once, from the current
        attempt only; True when it was taken."""
        with self._lock:
            if not self._current(job_id, attempt):
                return False
            job = self.store.get(job_id)
            if job is None or job.state in FINISHED:
                self._forget(job_id)
                return False
            state = outcome["state"]
            if state == "succeeded":
                folder = self.store.files(job_id)
                folder.mkdir(parents=True, exist_ok=True)
                for name, data in outcome.get("files", {}).items():
                    if "/" not in name and not name.startswith("."):
                        (folder / name).write_bytes(data)
                self.store.succeed(job_id, outcome["result"])
            elif state == "failed":
                self.store.fail(job_id, outcome["error"])
            else:
                self.store.cancel(job_id)
            self._forget(job_id)
            return True

    def lost(self, job_id: str, attempt: int, reason: str) -> str:
        """The attempt never came back (its node or worker process died): run the job again on
        another node, once; after that, fail it saying why. Returns "rerun", "failed" or
        "ignored" (not the current attempt, or the job had ended)."""
        with self._lock:
            if not self._current(job_id, attempt):
                return "ignored"
            job = self.store.get(job_id)
            if job is None or job.state in FINISHED:
                self._forget(job_id)
                return "ignored"
            if attempt >= MAX_ATTEMPTS:
                self.store.fail(job_id, {"message": NODE_LOST.format(count=attempt, reason=reason),
                                         "type": "server_error", "code": "node_lost", "status": 503})
                self._forget(job_id)
                return "failed"
            self.attempts[job_id] = self.reruns[job_id] = attempt + 1
            # back in the queue: what a client sees is the truth — waiting for a node again
            self.store._set(job_id, "queued", progress={"stage": "queued", "fraction": 0.0,
                                                        "rerun": f"attempt {attempt + 1}: {reason}"})
            audio, params = self.audio[job_id], job.params
        log.warning("job %s: attempt %d lost (%s); running it again", job_id, attempt, reason)
        self.launch(job_id, attempt + 1, audio, params)
        return "rerun"

    def _forget(self, job_id: str) -> None:
        self.audio.pop(job_id, None)
        self.attempts.pop(job_id, None)
        self.nodes.pop(job_id, None)


# ---------------------------------------------------------------- the task (runs on any node)


class _TaskStore:
    """What ``routers.jobs.run_job`` writes to, inside a job's task: progress goes to the board,
    files to a temporary folder, and the outcome is returned to the board (not written)."""

    def __init__(self, board, job_id: str, attempt: int, cancel: threading.Event):
        self.board, self.job_id, self.attempt, self.cancel_event = board, job_id, attempt, cancel
        self.folder = Path(tempfile.mkdtemp(prefix="seespeech-job-"))
        self.outcome: dict = {"state": "failed", "error": {"message": "the job stopped without a result",
                                                           "type": "server_error", "code": "internal_error"}}
        self._last = 0.0

    def _call(self, method: str, *args):
        import ray

        return ray.get(getattr(self.board, method).remote(self.job_id, *args))

    def files(self, job_id: str) -> Path:
        return self.folder

    def start(self, job_id: str) -> None:
        pass   # the task already said so (``run_attempt``)

    def progress(self, job_id: str, stage: str, done: float, total: float | None, fraction: float) -> None:
        now = time.monotonic()
        if now - self._last < 0.25 and fraction < 1:
            return
        self._last = now
        if not self._call("progress", self.attempt, stage, done, total, fraction):
            self.cancel_event.set()   # the next cancel_point stops the work

    def get(self, job_id: str):
        from types import SimpleNamespace

        return SimpleNamespace(state=self._call("state"))

    def succeed(self, job_id: str, result: dict) -> None:
        files = {p.name: p.read_bytes() for p in self.folder.iterdir() if p.is_file()}
        self.outcome = {"state": "succeeded", "result": result, "files": files}

    def fail(self, job_id: str, error: dict) -> None:
        self.outcome = {"state": "failed", "error": error}

    def cancel(self, job_id: str) -> None:
        self.outcome = {"state": "cancelled"}


def run_attempt(board, job_id: str, attempt: int, audio: bytes, params: dict, settings_data: dict) -> dict:
    """A job's attempt, as a Ray task on any node: the single-process server's ``run_job`` with
    a store that reports to the board. Returns the outcome (the board writes it)."""
    import ray

    from seespeech.server import work
    from seespeech.server.routers.jobs import run_job
    from seespeech.server.settings import Settings

    node = ray.get_runtime_context().get_node_id()
    if not ray.get(board.start.remote(job_id, attempt, node)):
        return {"state": "superseded"}
    cancel = threading.Event()
    store = _TaskStore(board, job_id, attempt, cancel)
    upload = store.folder.parent / f"{store.folder.name}.audio"
    upload.write_bytes(audio)

    class _App:
        class state:
            jobs = store
            settings = Settings(**settings_data)

    work._current.cancel = cancel
    try:
        run_job(_App, job_id, upload, params)
        return store.outcome
    finally:
        work._current.cancel = None
        upload.unlink(missing_ok=True)
        shutil.rmtree(store.folder, ignore_errors=True)


# ---------------------------------------------------------------- the actor (on the head node)


def board_actor_class():
    """The Ray actor class (built on demand: Ray is an extra)."""
    import ray

    @ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0, max_concurrency=64)
    class JobBoard:
        def __init__(self, data_dir: str, settings_data: dict, num_cpus: float):
            from seespeech.server.settings import Settings

            store = JobStore(Path(data_dir))
            interrupted = store.recover()   # a board that restarted: what it ran is gone with it
            expired = store.expire(Settings(**settings_data).keep_jobs_hours)
            if interrupted or expired:
                log.info("job board: %d jobs interrupted by the last stop marked failed, %d expired removed",
                         interrupted, expired)
            self.settings_data, self.num_cpus = settings_data, num_cpus
            self.me = ray.get_runtime_context().current_actor
            self.task = ray.remote(run_attempt).options(num_cpus=num_cpus, max_retries=0)
            self.board = Board(store, self._launch)
            self.refs: dict[str, Any] = {}

        def _launch(self, job_id: str, attempt: int, audio: bytes, params: dict) -> None:
            ref = self.task.remote(self.me, job_id, attempt, audio, params, self.settings_data)
            threading.Thread(target=self._await, args=(job_id, attempt, ref), daemon=True).start()

        def _await(self, job_id: str, attempt: int, ref) -> None:
            from ray import exceptions as rx

            try:
                outcome = ray.get(ref)
            except rx.RayTaskError as exc:   # the task's own exception: a bug, handled below
                error = exc
                outcome = None
            except rx.RayError as exc:   # the cluster's: a dead worker process or node
                error = None
                node = self.board.nodes.get(job_id, "?")
                reason = f"{type(exc).__name__} on node {node[:13]}"
                self.board.lost(job_id, attempt, reason)
                return
            if outcome is None:   # a bug in the task: the job says so, never stays running
                log.error("job %s: attempt %d raised %s", job_id, attempt, error)
                outcome = {"state": "failed", "error": {"message": "internal error (see the server log)",
                                                        "type": "server_error", "code": "internal_error",
                                                        "status": 500}}
            if outcome.get("state") != "superseded":
                self.board.finished(job_id, attempt, outcome)

        def ping(self) -> str:
            return ray.get_runtime_context().get_node_id()

        # the board's methods, as the actor's (Ray calls them by name)
        def create(self, params, audio):
            return self.board.create(params, audio)

        def describe(self, job_id):
            return self.board.describe(job_id)

        def list(self, limit):
            return self.board.list(limit)

        def ahead(self, job_id):
            return self.board.ahead(job_id)

        def cancel(self, job_id):
            return self.board.cancel(job_id)

        def file(self, job_id, name):
            return self.board.file(job_id, name)

        def start(self, job_id, attempt, node):
            return self.board.start(job_id, attempt, node)

        def progress(self, job_id, attempt, stage, done, total, fraction):
            return self.board.progress(job_id, attempt, stage, done, total, fraction)

        def state(self, job_id):
            return self.board.state(job_id)

    return JobBoard


def board_handle(settings=None, create: bool = False):
    """The job board of this cluster; ``create``: start it (on the head node) when it is not there."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    try:
        return ray.get_actor(BOARD_NAME, namespace=NAMESPACE)
    except ValueError:
        if not create:
            raise
    head = next(n["NodeID"] for n in ray.nodes() if n["Alive"] and n.get("Resources", {}).get(
        "node:__internal_head__"))
    data = settings.model_dump(mode="json")
    return board_actor_class().options(
        name=BOARD_NAME, namespace=NAMESPACE, lifetime="detached", get_if_exists=True,
        scheduling_strategy=NodeAffinitySchedulingStrategy(head, soft=False),
    ).remote(str(settings.data_dir), data, settings.jobs_num_cpus)


class RayJobStore:
    """``JobStore``'s interface for the ingress replicas, answered by the job board."""

    runs_jobs = True

    def __init__(self, settings):
        self.settings = settings
        self.folder = Path(settings.data_dir)
        #: this replica's uploads (removed when their request ends; nodes share no disk)
        self.uploads = self.folder / "uploads" / f"replica-{os.getpid()}"
        self.cache = self.folder / "ray-job-files" / f"replica-{os.getpid()}"
        self.board = board_handle(settings, create=True)   # there already, unless the builder was skipped

    def _ask(self, method: str, *args):
        import ray

        return ray.get(getattr(self.board, method).remote(*args), timeout=30)

    def recover(self) -> int:
        return 0

    def expire(self, hours: float) -> int:
        return 0

    def create(self, params: dict, audio: bytes) -> Job:
        return _job(self._ask("create", params, audio))

    def get(self, job_id: str) -> Job | None:
        data = self._ask("describe", job_id)
        return _job(data) if data else None

    def list(self, limit: int = 20) -> list[Job]:
        return [_job(d) for d in self._ask("list", limit)]

    def ahead(self, job_id: str) -> list[Job]:
        return [_job(d) for d in self._ask("ahead", job_id)]

    def cancel(self, job_id: str) -> bool:
        return self._ask("cancel", job_id)

    def progress(self, job_id: str, stage: str, done: float, total: float | None, fraction: float) -> None:
        pass   # "cancelling" is the board's to say; the job's own progress comes from its task

    def files(self, job_id: str) -> Path:
        """A finished job's files, fetched from the board into this replica's cache on first use."""
        folder = self.cache / job_id
        if not folder.is_dir():
            job = self.get(job_id)
            if job is None or job.state != "succeeded":
                return folder
            staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=self.cache.parent if self.cache.parent.exists()
                                            else _mkdir(self.cache.parent)))
            for url in [*job.result.get("images", []), job.result.get("spectrogram"),
                        *job.result.get("files", {}).values()]:
                if url:
                    name = url.rsplit("/", 1)[-1]
                    data = self._ask("file", job_id, name)
                    if data is not None:
                        (staging / name).write_bytes(data)
            _mkdir(self.cache)
            try:
                staging.rename(folder)
            except OSError:   # another request fetched them meanwhile
                shutil.rmtree(staging, ignore_errors=True)
        return folder

    def close(self) -> None:
        shutil.rmtree(self.uploads, ignore_errors=True)
        shutil.rmtree(self.cache, ignore_errors=True)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


class BoardJob(Job):
    """A job as the board describes it: with ``attempt`` when it ran more than once."""

    attempt: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if self.attempt:
            data["attempt"] = self.attempt
        return data


def _job(data: dict) -> Job:
    job = BoardJob(data["id"], data["state"], data["created"], data["updated"], data["params"], data["progress"],
                   data["result"], data["error"])
    job.attempt = data.get("attempt")
    return job
