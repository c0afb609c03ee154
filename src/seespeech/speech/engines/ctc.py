"""The ``ctc`` engine: our own DeepSpeech2-style model (``seespeech.speech.ctc``), served like any engine.

The packaged model (``cathy``, in ``seespeech/data/ctc-cathy``) was trained here on one
speaker's 809 recordings (``../shared/speech/cathy_train``) on the frozen encoder of the
packaged Whisper base model; any folder written by ``seespeech train-ctc`` works too. It
writes lower-case English words without punctuation, and knows no other language.
"""

from __future__ import annotations

import threading
from typing import Iterator

import numpy as np

from seespeech.speech.ctc.model import DEFAULT_CTC_MODEL, PACKAGED_CTC, load_word_lm, resolve_ctc_model
from seespeech.errors import ModelNotFoundError, OptionError
from seespeech.transcript import Segment, Word
from seespeech.speech.options import TranscribeOptions
from seespeech.speech.driver import DecodeState, SpeechEngine, Window

EXTRA_HINT = "the ctc engine needs the optional extra: pip install 'seespeech[ctc]'"
#: greedy: best label per frame; beam: prefix beam search; lm: beam search with a word
#: language model (the model's lm.npz, or wordfreq + its training sentences), then unknown
#: words respelled as known ones where the audio allows — much better WER; auto: lm when the
#: model has an lm.npz or wordfreq is installed
DECODERS = ("auto", "lm", "beam", "greedy")
WINDOW_SECONDS = 20.0  # the encoder front end reads at most 30 s at once; cut at a quiet frame before
CUT_SEARCH_SECONDS = 4.0
#: a pause this long between words starts a new segment (readable subtitles)
SEGMENT_PAUSE = 0.6


class CTCEngine(SpeechEngine):
    """Our own model: English only, no prompt, its own beam search (``decoder``, ``beam``)."""

    name = "ctc"
    honours = frozenset({"language", "task", "word_timestamps"})
    english_only = True
    default_model = DEFAULT_CTC_MODEL
    window_seconds = WINDOW_SECONDS
    cut_search_seconds = CUT_SEARCH_SECONDS

    @classmethod
    def served_models(cls) -> list[str]:
        return list(PACKAGED_CTC)

    def __init__(self, model: str | None = None, decoder: str = "auto", beam: int = 24):
        try:
            import torch  # noqa: F401  (the network needs the ctc extra)
        except ImportError:
            raise ModelNotFoundError(EXTRA_HINT) from None
        from seespeech.speech.ctc.frontends import make_frontend
        from seespeech.speech.ctc.model import load_checkpoint

        if decoder not in DECODERS:
            raise OptionError(f"decoder must be one of {', '.join(DECODERS)}")
        self.model_name, self.folder = resolve_ctc_model(model)
        self.network, self.config = load_checkpoint(self.folder)
        self.frontend = make_frontend(self.config.frontend, self.config.whisper_model)
        self.lm = None
        if decoder in ("auto", "lm"):
            self.lm = load_word_lm(self.folder, required=decoder == "lm")
            decoder = "lm" if self.lm is not None else "greedy"
        self.decoder, self.beam = decoder, beam
        self._lock = threading.Lock()


    def begin(self, options: TranscribeOptions, name: str) -> DecodeState:
        return DecodeState(language="en", language_probability=1.0)

    def _log_probs(self, audio: np.ndarray) -> np.ndarray:
        from seespeech.speech.ctc.model import run_network

        features = self.frontend(audio)
        with self._lock:
            return run_network(self.network, features)

    def decode(self, window: Window, options: TranscribeOptions, state: DecodeState) -> Iterator[Segment]:
        from seespeech.speech.ctc.decode import beam_search, greedy, lm_decode, words

        log_probs = self._log_probs(window.audio)
        if self.decoder == "lm":
            path = lm_decode(log_probs, self.lm, self.beam)
        elif self.decoder == "beam":
            path = beam_search(log_probs, self.beam)
        else:
            path = greedy(log_probs)
        yield from _segments(words(path, log_probs, self.config.output_rate, window.start), options.word_timestamps)


def _segments(found, keep_words: bool) -> list[Segment]:
    """Group decoded words into segments at pauses."""
    groups, current = [], []
    for w in found:
        if current and w.start - current[-1].end > SEGMENT_PAUSE:
            groups.append(current)
            current = []
        current.append(w)
    if current:
        groups.append(current)
    out = []
    for group in groups:
        probability = float(np.mean([w.probability for w in group]))
        out.append(Segment(
            id=0, start=round(group[0].start, 3), end=round(group[-1].end, 3),
            text=" " + " ".join(w.word for w in group),
            words=[Word(round(w.start, 3), round(w.end, 3), " " + w.word, w.probability) for w in group]
            if keep_words else None,
            avg_logprob=round(float(np.log(max(probability, 1e-9))), 4), compression_ratio=1.0,
            no_speech_prob=0.0, temperature=0.0, seek=int(round(group[0].start * 100)),
        ))
    return out
