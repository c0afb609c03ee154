"""Long files: speech chunks decoded on parallel model workers, one window ahead of the
driver (transcribe/chunked.py and the Whisper engine's read-ahead)."""

import threading
import time

import numpy as np
import pytest
from faster_whisper import BatchedInferencePipeline, WhisperModel

import seespeech
from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.errors import AudioError
from seespeech.speech.evaluate import normalise, read_dataset, score
from seespeech.models import load_whisper
from seespeech.speech import TranscribeOptions, chunked
from seespeech.speech.engines import whisper as whisper_engine
from seespeech.speech.engines.whisper import WhisperEngine
from seespeech.speech.options import default_of

GAP = np.zeros(int(0.4 * SAMPLE_RATE), dtype=np.float32)


@pytest.fixture(scope="module")
def long_speech(speech) -> tuple[np.ndarray, str]:
    """About 190 s of joined cathy_dev clips, and what was said."""
    clips = read_dataset(speech / "cathy_dev")[:56]
    audio = np.concatenate([x for c in clips for x in (load_audio(c.path), GAP)])
    return audio, " ".join(c.text for c in clips)


def test_chunks_are_decoded_as_faster_whispers_batched_pipeline_decodes_them(long_speech):
    """The schedule is ours, the decoding is faster-whisper's: on one window (80 s) the text
    is word for word what its BatchedInferencePipeline writes (markers kept on both sides)."""
    audio = long_speech[0][:80 * SAMPLE_RATE]
    ours = seespeech.transcribe(audio, model="tiny.en", language="en", keep_markers=True)
    peer, _ = BatchedInferencePipeline(load_whisper("tiny.en")).transcribe(
        audio, language="en", batch_size=default_of("batch_size"), without_timestamps=True, word_timestamps=True)
    assert normalise(ours.text) == normalise("".join(s.text for s in peer))
    assert len(ours.segments) >= 15   # split back into sentences, not one segment per 30 s chunk


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_every_window_after_a_long_one_goes_to_the_workers_and_the_whole_window_model_is_never_loaded(
        long_speech, monkeypatch):
    audio, reference = long_speech
    monkeypatch.setattr(whisper_engine, "WINDOW_SECONDS", 75.0)
    monkeypatch.setattr(whisper_engine, "CUT_SEARCH_SECONDS", 5.0)
    submitted = []
    real_submit = chunked.ChunkedDecoder.submit

    def spy(self, piece, language):
        submitted.append(piece.size / SAMPLE_RATE)
        return real_submit(self, piece, language)

    monkeypatch.setattr(chunked.ChunkedDecoder, "submit", spy)
    encodes = []   # (start, end, thread) of every encoder pass
    real_encode = WhisperModel.encode

    def timed_encode(self, features):
        start = time.perf_counter()
        try:
            return real_encode(self, features)
        finally:
            encodes.append((start, time.perf_counter(), threading.current_thread().name))

    monkeypatch.setattr(WhisperModel, "encode", timed_encode)
    engine = WhisperEngine("tiny.en")
    transcript = engine.transcribe(audio, TranscribeOptions(language="en"))
    assert len(submitted) == 3 and submitted[-1] < 60   # the short last window too
    # every worker decoded, never two encoder passes at once (each holds ~110 MB for a moment)
    assert len({thread for _, _, thread in encodes}) == chunked.worker_layout()[0]
    encodes.sort()
    assert all(end <= next_start for (_, end, _), (next_start, _, _) in zip(encodes, encodes[1:]))
    assert "model" not in vars(engine)                  # only the workers' model was loaded
    assert sum(submitted) == pytest.approx(audio.size / SAMPLE_RATE, abs=0.01)
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts) and transcript.segments[-1].end > 180
    assert score([reference], [transcript.text]).wer < 0.06


def test_a_stopped_long_transcription_leaves_no_decoding_behind(long_speech):
    """The server stops work whose client left by raising from the progress callback: the
    calls queued on the workers are dropped and the running ones finished before it returns."""

    from threadpoolctl import threadpool_info

    class Stop(Exception):
        pass

    def blas_threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before, during = blas_threads(), []

    def progress(done, total):
        if done > 0:   # the first window's segments: its chunks are on the workers
            during.append(blas_threads())
            raise Stop

    with pytest.raises(Stop):
        seespeech.transcribe(long_speech[0], model="tiny.en", language="en", progress=progress)
    assert not [t for t in threading.enumerate() if t.name.startswith("seespeech-chunk")]
    # numpy's BLAS ran on one thread beside the workers, and is given back as it was
    assert during == [[1] * len(before)]
    assert blas_threads() == before


def test_a_window_read_before_a_failure_is_still_decoded(long_speech, monkeypatch):
    """Reading ahead must not lose what was read: when the input fails after a long window,
    that window's segments come out before the error does."""
    audio = long_speech[0][:80 * SAMPLE_RATE]

    def failing_windows(*args, **kwargs):
        yield audio
        raise AudioError("talk.flac", "damaged after 80 s")

    monkeypatch.setattr(whisper_engine, "cut_windows", failing_windows)
    run = seespeech.stream(audio, model="tiny.en", language="en", first_window=False)
    seen = []
    with pytest.raises(AudioError, match="damaged"):
        for segment in run:
            seen.append(segment)
    assert len(seen) >= 15 and seen[-1].end > 70


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_the_multilingual_model_detects_the_language_of_a_long_file(long_speech):
    transcript = seespeech.transcribe(long_speech[0][:75 * SAMPLE_RATE], model="base")
    assert transcript.language == "en" and transcript.language_probability > 0.8
    assert score([long_speech[1]], [transcript.text]).wer < 0.6   # 75 of ~190 s: 40 % of the words


def test_worker_layout_splits_the_cores():
    assert chunked.worker_layout(1) == (1, 1)
    assert chunked.worker_layout(2) == (2, 1)
    assert chunked.worker_layout(8) == (2, 4)
