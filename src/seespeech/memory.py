"""How the C heap (glibc's malloc) serves the models' large buffers.

CTranslate2 allocates and frees the buffers of each encoder pass and beam-search step: the
attention scores of a Whisper pass come in blocks of 50–70 MB. By default glibc serves a block
that large with a fresh ``mmap`` and unmaps it when it is freed, so every page of the next one is
faulted in and zeroed again by the kernel — on base's 10-minute bench file 7.5 million page
faults and 15 s of kernel time, a quarter of the workers' CPU. What we ask instead:

* ``share_one_heap`` (at ``import seespeech``, before other threads start): every thread
  allocates from the one main heap. A thread's own heap cannot hold a block over 64 MB, so a
  worker thread's blocks would be mapped afresh whatever the thresholds. Many Python services
  cap glibc's heaps for their memory anyway (``MALLOC_ARENA_MAX``). The one heap's lock costs
  two replicas' beam searches ~6 % (base: 1.04 s a chunk against 0.97 s with two heaps), far
  less than the page faults it saves (docs/benchmarks.md).
* ``reuse_freed_memory`` (when a long file's workers start): blocks up to 1 GB come from the
  heap and freed ones stay there for the next, with no trimming while the file is decoded.
  Base's 10 minutes: 0.5 s of kernel time, 26.9 → 22.3 s; the peak does not grow (a freed block
  is reused, not added to).
* ``release_free_memory``: the free pages handed back to the system, after a long file, an
  unloaded model or a large image read.

Nothing is changed on a C library other than glibc, or when the process has set glibc's own
``MALLOC_*`` variables or ``GLIBC_TUNABLES`` (its settings win).
"""

from __future__ import annotations

import ctypes
import functools
import os

#: glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8
#: blocks up to this size come from the heap, and this much free memory at its top is kept
KEEP_BYTES = 1 << 30


@functools.cache
def _glibc():
    """glibc's functions (None on another C library)."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def _libc():
    """glibc, to change its settings: None too when the user set glibc's own malloc settings."""
    if any(name.startswith(("MALLOC_", "GLIBC_TUNABLES")) for name in os.environ):
        return None
    return _glibc()


def share_one_heap() -> None:
    """Every thread started from now on allocates from the main heap."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, 1)


@functools.cache
def reuse_freed_memory() -> None:
    """Large blocks from the heap, and freed memory kept in it for the next allocation."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, KEEP_BYTES)
        libc.mallopt(M_TRIM_THRESHOLD, KEEP_BYTES)


def release_free_memory() -> None:
    """Hand the heap's free pages back to the system."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
