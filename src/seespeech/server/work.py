"""A bounded pool for model work.

Requests wait in a queue of fixed length; beyond it the server answers 503 with
``Retry-After`` instead of piling up memory and latency. The event loop never runs
model code: it awaits the pool's futures.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from fastapi import UploadFile

from .errors import ApiError

T = TypeVar("T")
UPLOAD_BLOCK = 1024 * 1024


class WorkPool:
    def __init__(self, workers: int, queue_size: int):
        self.workers = workers
        self.capacity = workers + queue_size
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="seespeech-work")
        self._pending = 0
        self._lock = threading.Lock()
        #: seconds one job ran, recently (not counting its wait): the Retry-After hint
        self._recent = 1.0

    @property
    def pending(self) -> int:
        return self._pending

    def reserve(self) -> None:
        """Take a place in the queue or refuse with 503 (before reading a large upload)."""
        with self._lock:
            if self._pending >= self.capacity:
                # the place a retry would take, if it came back when one job ahead of it finished
                wait = max(1, round(self._recent * (self._pending - self.capacity + 1) / self.workers))
                raise ApiError(503, f"the server is busy ({self._pending} jobs running or queued); retry in {wait} s",
                               type="server_error", code="queue_full", headers={"Retry-After": str(wait)})
            self._pending += 1

    def release(self) -> None:
        with self._lock:
            self._pending -= 1

    @contextmanager
    def slot(self) -> Iterator[None]:
        self.reserve()
        try:
            yield
        finally:
            self.release()

    async def run(self, func: Callable[..., T], *args) -> T:
        """Run ``func`` in the pool (the caller holds a slot)."""
        return await asyncio.wrap_future(self.submit(func, *args))

    def submit(self, func: Callable[..., T], *args):
        return self._executor.submit(self._timed, func, *args)

    def _timed(self, func: Callable[..., T], *args) -> T:
        start = time.perf_counter()
        try:
            return func(*args)
        finally:
            self._recent = 0.8 * self._recent + 0.2 * (time.perf_counter() - start)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


async def save_upload(upload: UploadFile, limit: int, folder: Path | None = None) -> Path:
    """Stream an upload to a temporary file of our naming, refusing it past ``limit`` bytes.

    The client's file name is never part of a path: it is only echoed back in messages.
    The caller removes the file (``removing``).
    """
    folder = folder or Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="seespeech-upload-", dir=folder)
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


@contextmanager
def removing(*paths: Path | None) -> Iterator[None]:
    try:
        yield
    finally:
        for path in paths:
            if path is None:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
