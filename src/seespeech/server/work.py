"""A bounded pool for model work, and what each piece of work holds while it runs.

Requests wait in a queue of fixed length; beyond it the server answers 503 with
``Retry-After`` instead of piling up memory and latency. The place in the queue is taken
before the request body is read (``Admission`` in app.py), as a ``Ticket``: the ticket
also owns the request's saved upload, and both are given back only when the work has
really stopped — not when the client goes away. A client that disconnects cancels its
work at the next segment (``cancel_point``). The event loop never runs model code: it
awaits the pool's futures.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, TypeVar

from fastapi import Request, UploadFile

from seespeech.server.errors import ApiError

T = TypeVar("T")
UPLOAD_BLOCK = 1024 * 1024
#: how often a request waiting for its work looks whether its client is still there
DISCONNECT_POLL = 0.5
log = logging.getLogger("seespeech.server")


class WorkCancelled(Exception):
    """Raised inside the work when its client has gone away (not a user error)."""


_current = threading.local()


def cancel_point(*_args) -> None:
    """Stop the work running in this pool thread if its client has gone away.

    Takes any arguments, so it can be given as an engine's progress callback, which the
    engines call after every segment (or batch of segments)."""
    cancel = getattr(_current, "cancel", None)
    if cancel is not None and cancel.is_set():
        raise WorkCancelled()


class WorkPool:
    def __init__(self, workers: int, queue_size: int):
        self.workers = workers
        self.capacity = workers + queue_size
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="seespeech-work")
        self._held = 0
        self._lock = threading.Lock()
        #: seconds one job ran, recently (not counting its wait): the Retry-After hint
        self._recent = 1.0
        #: called for each request refused because the queue is full (the metrics count them)
        self.on_refusal: Callable[[], None] = lambda: None

    @property
    def held(self) -> int:
        """Tickets out: work running or waiting (a request takes one once its upload is in)."""
        return self._held

    @property
    def full(self) -> bool:
        return self._held >= self.capacity

    def check(self) -> None:
        """503 with Retry-After when the queue is full (asked before any of a body is read)."""
        with self._lock:
            self._refuse_if_full()

    def admit(self) -> "Ticket":
        """A place in the queue (taken once a request's body is in), or 503 with Retry-After."""
        with self._lock:
            self._refuse_if_full()
            self._held += 1
        return Ticket(self)

    def _refuse_if_full(self) -> None:
        if self._held >= self.capacity:
            # the place a retry would take, if it came back when one job ahead of it finished
            wait = max(1, round(self._recent * (self._held - self.capacity + 1) / self.workers))
            self.on_refusal()
            raise ApiError(503, f"the server is busy ({self._held} jobs running or queued); retry in {wait} s",
                           type="server_error", code="queue_full", headers={"Retry-After": str(wait)})

    def _give_back(self) -> None:
        with self._lock:
            self._held -= 1

    def submit(self, func: Callable[..., T], *args, cancel: threading.Event | None = None) -> Future:
        return self._executor.submit(self._timed, cancel, func, *args)

    def _timed(self, cancel: threading.Event | None, func: Callable[..., T], *args) -> T:
        start = time.perf_counter()
        _current.cancel = cancel
        try:
            return func(*args)
        finally:
            _current.cancel = None
            self._recent = 0.8 * self._recent + 0.2 * (time.perf_counter() - start)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Ticket:
    """A request's place in the pool and the files it saved; closed once, when the work stops."""

    def __init__(self, pool: WorkPool):
        self.pool = pool
        self.paths: list[Path] = []
        #: set when the ticket's lifetime passed from the request to a piece of work
        self.kept = False
        self._closed = False
        self._lock = threading.Lock()

    def add(self, path: Path) -> Path:
        self.paths.append(path)
        return path

    def keep_until(self, future: Future) -> None:
        """Close when ``future`` is done rather than when the request ends."""
        self.kept = True
        future.add_done_callback(lambda _: self.close())

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for path in self.paths:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        self.pool._give_back()


def ticket_of(request: Request) -> Ticket:
    """The ticket Admission took for this request (work routes always have one)."""
    ticket = getattr(request.state, "ticket", None)
    if ticket is None:  # a route that takes work but is not marked as one: a bug, say so plainly
        raise RuntimeError(f"{request.url.path} runs model work but Admission gave it no ticket")
    return ticket


async def run(request: Request, func: Callable[..., T], *args) -> T:
    """Run ``func`` in the pool for this request. The work is cancelled (at its next
    ``cancel_point``) if the client disconnects; the ticket is closed when it stops."""
    ticket = ticket_of(request)
    cancel = threading.Event()
    future = ticket.pool.submit(func, *args, cancel=cancel)
    ticket.keep_until(future)
    waiting = asyncio.wrap_future(future)
    while True:
        done, _ = await asyncio.wait({waiting}, timeout=DISCONNECT_POLL)
        if done:
            break
        if not cancel.is_set() and await request.is_disconnected():
            log.info("client of %s went away: cancelling its work", request.url.path)
            cancel.set()
    try:
        return waiting.result()
    except WorkCancelled:
        raise ApiError(499, "the client closed the request; its work was cancelled", code="cancelled") from None


def start(request: Request, func: Callable[..., T], *args, cancel: threading.Event | None = None) -> Future:
    """Start ``func`` in the pool and return at once (streams and jobs); the ticket is
    closed when it stops."""
    ticket = ticket_of(request)
    future = ticket.pool.submit(func, *args, cancel=cancel)
    ticket.keep_until(future)
    return future


async def save_upload(upload: UploadFile, limit: int, folder: Path) -> Path:
    """Stream an upload to a file of our naming in ``folder``, refusing it past ``limit`` bytes.

    The client's file name is never part of a path: it is only echoed back in messages.
    The caller's ticket removes the file when the work stops; a server killed before that
    leaves it in the data folder's uploads/, which the next start empties.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="upload-", dir=folder)
    path = Path(name)
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while block := await upload.read(UPLOAD_BLOCK):
                size += len(block)
                if size > limit:
                    raise ApiError(413, f"the upload is larger than the limit of {limit / 1024 / 1024:g} MB",
                                   param="file", code="file_too_large")
                out.write(block)
        if size == 0:
            raise ApiError(400, "the uploaded file is empty", param="file", code="empty_file")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def takes_work(endpoint: Callable[..., T]) -> Callable[..., T]:
    """Mark a POST endpoint that runs model work: Admission gives its requests a ticket
    (a place in the queue) before their body is read, and refuses them when the queue is full."""
    endpoint.takes_work = True  # type: ignore[attr-defined]
    return endpoint
