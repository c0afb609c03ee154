"""Speech → picture jobs, kept in SQLite next to their files.

A job is a row (state, progress, result or error as JSON) and a folder holding its
upload while it runs and its pictures and subtitles afterwards. States: ``queued`` →
``running`` → ``succeeded`` | ``failed`` | ``cancelled`` (``POST /v1/jobs/{id}/cancel``). A server that dies (even by SIGKILL) leaves rows
in ``queued`` or ``running``; the next start marks them failed with a message saying so,
so no job is lost or stuck. Finished results stay until ``keep_jobs_hours``; a failed job
keeps no folder.

One server per data folder: the folder is locked (``DataDirLock``) for as long as a server
uses it, because start-up takes everything it finds unfinished there as left by a dead server.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seespeech.errors import OptionError

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    params TEXT NOT NULL,
    progress TEXT NOT NULL DEFAULT '{}',
    result TEXT,
    error TEXT
)
"""
STATES = ("queued", "running", "succeeded", "failed", "cancelled")
#: states a job ends in
FINISHED = ("succeeded", "failed", "cancelled")
INTERRUPTED = "the server stopped while this job was {state}; submit it again"
#: progress is written at most this often (plus every stage change)
PROGRESS_INTERVAL = 0.25


class DataDirLock:
    """An exclusive lock on a data folder, held by one process (re-entrant within it).

    The kernel drops it when the process dies, even by SIGKILL, so a crashed server never
    blocks the next one."""

    _held: dict[Path, list] = {}  # folder → [file descriptor, holders in this process]
    _guard = threading.Lock()

    def __init__(self, folder: Path):
        self.folder = Path(folder).resolve()
        self.path = self.folder / "server.lock"
        self._acquired = False

    def acquire(self) -> "DataDirLock":
        with self._guard:
            held = self._held.get(self.folder)
            if held is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    other = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                    os.close(fd)
                    raise OptionError(
                        f"data folder {self.folder} is in use by another seespeech server (pid {other}); "
                        "give each server its own --data-dir (or SEESPEECH_DATA_DIR)") from None
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
                held = self._held[self.folder] = [fd, 0]
            held[1] += 1
            self._acquired = True
        return self

    def release(self) -> None:
        with self._guard:
            if not self._acquired:
                return
            self._acquired = False
            held = self._held[self.folder]
            held[1] -= 1
            if held[1] == 0:
                del self._held[self.folder]
                os.close(held[0])  # closing the descriptor drops the lock


@dataclass
class Job:
    id: str
    state: str
    created: float
    updated: float
    params: dict[str, Any]
    progress: dict[str, Any]
    result: dict[str, Any] | None
    error: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "object": "job", "state": self.state, "created": int(self.created),
            "updated": round(self.updated, 3), "params": self.params, "progress": self.progress,
            "result": self.result, "error": self.error,
        }


class JobStore:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.lock = DataDirLock(self.folder).acquire()
        self.path = self.folder / "jobs.sqlite3"
        #: every upload being worked on (jobs and plain requests); each is removed when its
        #: work ends, and whatever a killed server left here is removed at the next start
        self.uploads = self.folder / "uploads"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(SCHEMA)
        self._last_progress: dict[str, tuple[float, str]] = {}

    def files(self, job_id: str) -> Path:
        return self.folder / "jobs" / job_id

    def recover(self) -> int:
        """Mark jobs a previous server left unfinished as failed; remove their uploads.

        Call once at start-up, before any job of this process exists."""
        now = time.time()
        with self._lock:
            rows = self._db.execute("SELECT id, state FROM jobs WHERE state IN ('queued', 'running')").fetchall()
            for job_id, state in rows:
                error = {"message": INTERRUPTED.format(state=state), "type": "server_error", "code": "interrupted"}
                self._db.execute("UPDATE jobs SET state='failed', updated=?, error=? WHERE id=?",
                                 (now, json.dumps(error), job_id))
        # the folder is locked to this server: whatever is still here belonged to one that died
        if self.uploads.is_dir():
            shutil.rmtree(self.uploads, ignore_errors=True)
        for job_id, _ in rows:
            shutil.rmtree(self.files(job_id), ignore_errors=True)
        return len(rows)

    def expire(self, hours: float) -> int:
        cutoff = time.time() - hours * 3600
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') AND updated < ?", (cutoff,)
            ).fetchall()
            self._db.execute("DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') AND updated < ?",
                             (cutoff,))
        for (job_id,) in rows:
            shutil.rmtree(self.files(job_id), ignore_errors=True)
        return len(rows)

    def create(self, params: dict[str, Any]) -> Job:
        job_id = "job_" + uuid.uuid4().hex[:20]
        now = time.time()
        with self._lock:
            self._db.execute(
                "INSERT INTO jobs (id, state, created, updated, params, progress) VALUES (?, 'queued', ?, ?, ?, ?)",
                (job_id, now, now, json.dumps(params), json.dumps({"stage": "queued", "fraction": 0.0})),
            )
        self.files(job_id).mkdir(parents=True, exist_ok=True)
        return self.get(job_id)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, state, created, updated, params, progress, result, error FROM jobs WHERE id=?", (job_id,)
            ).fetchone()
        if row is None:
            return None
        return Job(row[0], row[1], row[2], row[3], json.loads(row[4]), json.loads(row[5]),
                   json.loads(row[6]) if row[6] else None, json.loads(row[7]) if row[7] else None)

    def start(self, job_id: str) -> None:
        self._set(job_id, "running", progress={"stage": "starting", "fraction": 0.0})

    def progress(self, job_id: str, stage: str, done: float, total: float | None, fraction: float) -> None:
        now = time.time()
        last = self._last_progress.get(job_id)
        if last and last[1] == stage and now - last[0] < PROGRESS_INTERVAL and fraction < 1:
            return
        self._last_progress[job_id] = (now, stage)
        progress = {"stage": stage, "done": round(done, 2), "total": round(total, 2) if total else None,
                    "fraction": round(min(max(fraction, 0.0), 1.0), 3)}
        with self._lock:
            self._db.execute("UPDATE jobs SET progress=?, updated=? WHERE id=? AND state='running'",
                             (json.dumps(progress), now, job_id))

    def succeed(self, job_id: str, result: dict[str, Any]) -> None:
        self._last_progress.pop(job_id, None)
        self._set(job_id, "succeeded", progress={"stage": "done", "fraction": 1.0}, result=result)

    def fail(self, job_id: str, error: dict[str, Any]) -> None:
        """A failed job keeps its error, not its folder (nothing in it is worth keeping)."""
        self._last_progress.pop(job_id, None)
        self._set(job_id, "failed", error=error)
        shutil.rmtree(self.files(job_id), ignore_errors=True)

    def cancel(self, job_id: str) -> bool:
        """Mark a job that has not ended as cancelled (its folder goes); False if it had ended."""
        self._last_progress.pop(job_id, None)
        error = {"message": "the job was cancelled", "type": "invalid_request_error", "code": "cancelled"}
        with self._lock:
            changed = self._db.execute(
                "UPDATE jobs SET state='cancelled', updated=?, error=? WHERE id=? AND state IN ('queued', 'running')",
                (time.time(), json.dumps(error), job_id)).rowcount
        if changed:
            shutil.rmtree(self.files(job_id), ignore_errors=True)
        return bool(changed)

    def ahead(self, job_id: str) -> list[Job]:
        """The unfinished jobs created before this one (running first): what a queued job waits for."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM jobs WHERE state IN ('queued', 'running') AND created < "
                "(SELECT created FROM jobs WHERE id=?) ORDER BY state='queued', created", (job_id,)).fetchall()
        return [j for j in (self.get(r[0]) for r in rows) if j]

    def _set(self, job_id: str, state: str, progress=None, result=None, error=None) -> None:
        assignments, values = ["state=?", "updated=?"], [state, time.time()]
        for column, value in (("progress", progress), ("result", result), ("error", error)):
            if value is not None:
                assignments.append(f"{column}=?")
                values.append(json.dumps(value))
        with self._lock:
            # an ended job stays as it ended (a cancelled job that was finishing its last step)
            self._db.execute(f"UPDATE jobs SET {', '.join(assignments)} WHERE id=? AND state IN ('queued', 'running')",
                             (*values, job_id))

    def list(self, limit: int = 20) -> list[Job]:
        with self._lock:
            ids = [r[0] for r in self._db.execute("SELECT id FROM jobs ORDER BY created DESC LIMIT ?", (limit,))]
        return [j for j in (self.get(i) for i in ids) if j]

    def close(self) -> None:
        with self._lock:
            self._db.close()
        self.lock.release()
