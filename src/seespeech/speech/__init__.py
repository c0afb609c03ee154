"""Speech → text engines behind one small protocol.

An engine takes audio (a path, bytes, a file object or a 16 kHz array) and options,
and returns a ``Transcript``. ``transcribe()`` is the one call most users need::

    import seespeech
    t = seespeech.transcribe("talk.m4a", language="en")
    print(t.text, t.language, t.segments[0].start)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seespeech.audio import AudioInput
from seespeech.errors import options_from
from seespeech.transcript import Transcript
from seespeech.speech.options import (  # noqa: F401  (the package's face)
    DEFAULT_ENGINE, TASKS, Engine, ProgressFn, SegmentFn, TranscribeOptions, temperature_schedule,
)
from seespeech.speech.registry import (  # noqa: F401
    ENGINES, EngineEntry, _engines, engine_entry, engine_loaded, load_engine, split_model, warm_engine,
)

if TYPE_CHECKING:
    from seespeech.speech.driver import Transcription


def transcribe(
    audio: AudioInput,
    *,
    model: str | None = None,
    engine: str = DEFAULT_ENGINE,
    progress: ProgressFn | None = None,
    **options,
) -> Transcript:
    """Transcribe ``audio`` (path, bytes, file object or 16 kHz float array).

    Keyword options are the fields of ``TranscribeOptions`` (language, task,
    word_timestamps, vad, keep_markers, beam_size, ...).
    """
    return load_engine(engine, model).transcribe(audio, _options(options, "transcribe"), progress)


def stream(
    audio: AudioInput,
    *,
    model: str | None = None,
    engine: str = DEFAULT_ENGINE,
    progress: ProgressFn | None = None,
    first_window: bool = True,
    **options,
) -> "Transcription":
    """Transcribe lazily: segments leave as they are decoded::

        run = seespeech.stream("talk.m4a", language="en")
        for segment in run:
            print(f"[{segment.start:.1f}s] {segment.text}")
        run.result().text      # the whole transcript, once the audio is done

    ``first_window`` (on by default here) decodes the first 30 seconds on their own, so the
    first words come within seconds even on a long file (whose later windows are decoded chunk by
    chunk on parallel workers).
    """
    return load_engine(engine, model).segments(audio, _options(options, "stream"), progress, first_window)


def _options(options: dict, caller: str) -> TranscribeOptions:
    return options_from(TranscribeOptions, caller, **options).validated()
