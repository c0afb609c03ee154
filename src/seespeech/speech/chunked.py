"""Long windows decoded as speech chunks on parallel model workers (the Whisper engine's
default for audio longer than a minute).

Silero VAD finds the speech in a window; the speech is packed into chunks of at most 30 s
(one Whisper pass each), and the chunks are decoded by ``workers`` CTranslate2 replicas with
``threads`` each, ``batch_size`` chunks per call, on a pool of threads: on 2 cores two
single-threaded workers decode base's 10 minutes ~1.15× faster than one two-threaded model in
this schedule (same run: 22.8–23.3 s against 26.3–27.0 s with 4 or 8 chunks per call;
docs/benchmarks.md also gives what each part of a chunk costs). Two chunks per
call (the default) share each beam-search step's reading of the decoder's weights (~11 % less
CPU than one); their encoder passes still run one chunk at a time, which keeps the peak memory
of a one-chunk call.

A chunk is decoded exactly as faster-whisper's batched pipeline decodes it (no timestamp
tokens; word timings from the cross-attention split it into sentences), so the text is the
same. What differs is the schedule: the Whisper engine reads one window ahead and submits its
chunks as soon as it is read, so the workers go on to the next window while the driver is
still handing out this one's segments, and the VAD of the next window runs while they decode.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from seespeech.audio import SAMPLE_RATE
from seespeech.memory import release_free_memory, reuse_freed_memory
from seespeech.speech.vad import run_in_sections

#: at most this many seconds of speech per chunk: one Whisper pass
CHUNK_SECONDS = 30
#: a pause this long may end a chunk (faster-whisper's batched mode uses the same)
VAD_MIN_SILENCE_MS = 160
#: more workers than this gave nothing measurable on 2 cores; each worker gets cores // workers threads
MAX_WORKERS = 2


def speech_chunks(audio: np.ndarray) -> tuple[list[dict], list[np.ndarray], list[dict]]:
    """The speech Silero VAD finds in ``audio`` and that speech packed into chunks of at most
    ``CHUNK_SECONDS``: (speech stretches, chunks, each chunk's metadata); no chunks without speech."""
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    speech = get_speech_timestamps(audio, VadOptions(max_speech_duration_s=CHUNK_SECONDS,
                                                     min_silence_duration_ms=VAD_MIN_SILENCE_MS))
    if not speech:
        return speech, [], []
    chunks, metadata = collect_chunks(audio, speech, max_duration=CHUNK_SECONDS)
    return speech, chunks, metadata


def worker_layout(cpu_threads: int = 0) -> tuple[int, int]:
    """(workers, threads per worker) for ``cpu_threads`` cores (0: every core of this machine)."""
    cores = cpu_threads or os.cpu_count() or 1
    workers = max(1, min(MAX_WORKERS, cores))
    return workers, max(1, cores // workers)


class OneBlasThread:
    """numpy's BLAS on one thread while any long file is decoded (a count of the files, so two
    transcriptions at once leave it as it was only when both are done). Each chunk's mel
    spectrogram is a numpy product, and OpenBLAS's second thread then spins, waiting for more
    work, on the core the other worker needs: 2–3 % of base's 10-minute run
    (``blas_thread_server`` in ``perf``), 41 → 40 s of CPU with it on one thread."""

    _lock = threading.Lock()
    _files = 0
    _limits = None

    @classmethod
    def enter(cls) -> None:
        with cls._lock:
            cls._files += 1
            if cls._files == 1:
                from threadpoolctl import threadpool_limits

                cls._limits = threadpool_limits(1, user_api="blas")

    @classmethod
    def leave(cls) -> None:
        with cls._lock:
            cls._files -= 1
            if cls._files == 0 and cls._limits is not None:
                cls._limits.restore_original_limits()
                cls._limits = None


class OneEncoderAtATime:
    """The model as the workers' batched pipelines see it, its ``encode`` taken by one worker at a
    time (with one worker, no lock), one chunk at a time. An encoder pass holds its attention scores for a moment (~110 MB for base and tiny.en
    alike at batch 1, measured alone); two workers encoding at once made the peak of a long file
    (base, 60 minutes: 736 MB, against 633 MB with both in beam search and 662 MB now). The
    price is the waits: the encoder is ~40 % of a call, and on a 12-minute file 5 of 26 calls
    waited, 1.5 s of the workers' 57 s (4 % slower in an A/B of 4 rounds, docs/benchmarks.md)."""

    def __init__(self, model, lock: bool = True):
        self._model = model
        self._lock = threading.Lock() if lock else contextlib.nullcontext()

    def __getattr__(self, name):
        return getattr(self._model, name)

    def encode(self, features):
        """The encoder's output for a batch of chunks, encoded one chunk at a time: the attention
        scores of one 30 s pass at a time, whatever the batch (the decoder is what gains from a
        batch; the encoder's products are large enough alone)."""
        if features.ndim == 2 or len(features) == 1:
            return self._encode(features)
        import ctranslate2

        return ctranslate2.StorageView.from_array(np.concatenate([np.asarray(self._encode(row[None]))
                                                                  for row in features]))

    def _encode(self, features):
        with self._lock:
            return self._model.encode(features)


@dataclass
class ChunkedWindow:
    """The work started on one window: one future per call, in order, each giving that call's
    chunks as faster-whisper segments with times in the window's own seconds."""

    calls: list[Future]
    #: the language it is decoded in (None: no speech, and none known yet), and how sure the
    #: detection was (1.0 when asked for)
    language: str | None
    language_probability: float

    def segments(self) -> Iterator:
        """The window's segments, call by call, as each call finishes."""
        for call in self.calls:
            yield from call.result()


class ChunkedDecoder:
    """Decodes the long windows of one transcription on a pool of ``workers`` threads, each
    running one call at a time on a model loaded with that many CTranslate2 replicas."""

    def __init__(self, model, workers: int, batch_size: int, decode_options: dict):
        self.model, self.batch_size, self.decode_options = model, batch_size, decode_options
        run_in_sections()   # a window's VAD a minute at a time: ~90 MB less at the peak
        reuse_freed_memory()   # their buffers reused, not mapped and zeroed afresh (seespeech/memory.py)
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="seespeech-chunk")
        #: what the workers' pipelines run: the model, one encoder pass at a time when there are several
        # (on a GPU the batch is encoded whole)
        self.pipeline_model = OneEncoderAtATime(model, lock=workers > 1) if model.model.device == "cpu" else model
        #: the language detected in the first window with speech (used for the windows after it)
        self.language: tuple[str, float] | None = None
        OneBlasThread.enter()   # last: nothing after it can fail before close() leaves
        self._one_blas_thread = True

    def submit(self, audio: np.ndarray, language: str | None) -> ChunkedWindow:
        """Find the speech in ``audio`` (a window), detect its language if ``language`` is None
        and none was detected before, and queue its chunks on the workers."""
        speech, chunks, metadata = speech_chunks(audio)
        probability = 1.0
        if language is None and self.language is not None:
            language, probability = self.language
        if not chunks:
            return ChunkedWindow([], language, probability)
        if language is None:
            language, probability = self._detect(chunks)
            self.language = (language, probability)
        options, tokenizer = self._options(language)
        calls = [self.pool.submit(self._decode, chunks[i:i + self.batch_size], metadata[i:i + self.batch_size],
                                  speech, options, tokenizer)
                 for i in range(0, len(chunks), self.batch_size)]
        return ChunkedWindow(calls, language, probability)

    def close(self) -> None:
        """Drop calls not yet started and wait for those running (at most one per worker), so
        the cores are free when the transcription has stopped."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self._one_blas_thread:
            self._one_blas_thread = False
            OneBlasThread.leave()
        release_free_memory()   # the buffers the workers kept for reuse

    def _detect(self, chunks: list[np.ndarray]) -> tuple[str, float]:
        """The language of the first 30 s of speech (as faster-whisper's batched mode does)."""
        model = self.model
        if not model.model.is_multilingual:
            return "en", 1.0
        features, frames, total = [], 0, model.feature_extractor.nb_max_frames
        for chunk in chunks:
            features.append(model.feature_extractor(chunk)[..., :-1])
            frames += features[-1].shape[-1]
            if frames >= total:
                break
        code, probability, _ = model.detect_language(features=np.concatenate(features, axis=1),
                                                     language_detection_segments=1)
        return code, float(probability)

    def _options(self, language: str):
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

        o = self.decode_options
        tokenizer = Tokenizer(self.model.hf_tokenizer, self.model.model.is_multilingual, task=o["task"],
                              language=language)
        temperature = o["temperature"]
        options = TranscriptionOptions(
            beam_size=o["beam_size"], best_of=o["best_of"], patience=o["patience"], length_penalty=1,
            repetition_penalty=1, no_repeat_ngram_size=0, log_prob_threshold=-1.0, no_speech_threshold=0.6,
            compression_ratio_threshold=2.4,
            # one temperature: a chunk is decoded once (no fallback), as in faster-whisper's batched mode
            temperatures=[temperature[0] if isinstance(temperature, (list, tuple)) else temperature],
            initial_prompt=o["initial_prompt"], prefix=None, suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, o["suppress_tokens"]),
            prepend_punctuations="\"'“¿([{-", append_punctuations="\"'.。,，!！?？:：”)]}、",
            max_new_tokens=None, hotwords=o["hotwords"], word_timestamps=True,
            hallucination_silence_threshold=None, condition_on_previous_text=False, clip_timestamps=[],
            prompt_reset_on_temperature=0.5, multilingual=False, max_initial_timestamp=0.0,
            # no timestamp tokens: with them, faster-whisper's batched decoding of tiny.en went from
            # 3.1 % to 10 % WER; the word timings split chunks into sentences instead
            without_timestamps=True,
        )
        return options, tokenizer

    def _decode(self, chunks: list[np.ndarray], metadata: list[dict], speech: list[dict], options, tokenizer) -> list:
        """One call on a worker: features, encoder, beam search and word timings for ``chunks``
        (≤ 30 s each), as segments with times in the window's seconds.

        When no other call is waiting (the file's last chunks, or a worker that caught up with
        the reading), the call's later chunks are offered to the pool first: a free worker takes
        them, or this one decodes them after its first if nobody did — so at the end of a file
        one worker does not decode two chunks while the other waits (base, 10 minutes: the
        workers had finished 2.1 s apart)."""
        if len(chunks) == 1 or not self.pool._work_queue.empty():
            return self._decode_now(chunks, metadata, speech, options, tokenizer)
        rest = (chunks[1:], metadata[1:], speech, options, tokenizer)
        offered = self.pool.submit(self._decode, *rest)
        segments = self._decode_now(chunks[:1], metadata[:1], speech, options, tokenizer)
        return segments + (self._decode(*rest) if offered.cancel() else offered.result())

    def _decode_now(self, chunks: list[np.ndarray], metadata: list[dict], speech: list[dict], options,
                    tokenizer) -> list:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.transcribe import BatchedInferencePipeline, Segment, Word, restore_speech_timestamps

        features = np.stack([pad_or_trim(self.model.feature_extractor(chunk)[..., :-1]) for chunk in chunks])
        pipeline = BatchedInferencePipeline(self.pipeline_model)
        # the word-timing heuristics look at where speech last ended: the chunk before this one
        pipeline.last_speech_timestamp = metadata[0]["offset"]
        decoded = pipeline.forward(features, tokenizer, metadata, options)
        segments = [
            Segment(id=0, seek=s["seek"], start=round(s["start"], 3), end=round(s["end"], 3), text=s["text"],
                    tokens=s["tokens"], avg_logprob=s["avg_logprob"], compression_ratio=s["compression_ratio"],
                    no_speech_prob=s["no_speech_prob"], words=[Word(**w) for w in s["words"]] if "words" in s else None,
                    temperature=options.temperatures[0])
            for chunk in decoded for s in chunk
        ]
        return list(restore_speech_timestamps(segments, speech, SAMPLE_RATE))

