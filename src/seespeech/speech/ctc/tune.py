"""The lm decoder's weights for one model, tuned on that model's validation clips.

The lm decoder adds ``alpha · log P(word | two words before) + beta`` for every word and
``prefix_penalty`` once for a spelling no known word begins (``decode.WordLM``). The
defaults were tuned for the packaged model and its trigram text; a model trained on other
recordings decodes with another language model (wordfreq + its own sentences, perhaps mixed
with the packaged text), whose best weights may differ. ``train-ctc --tune-decoder`` ends by
trying other weights on its validation clips and writes what it found to ``decoder.json``
beside the model; the engine reads it. (``--resume --tune-decoder`` on a finished run tunes
it without training more.)

A validation set is often a few hundred words, so the search is small (one weight at a time
over a short list, at most twice round) and new weights are adopted only when they fix at
least ``MIN_GAIN_WORDS`` words and ``MIN_GAIN`` of the validation WER; otherwise the defaults
stay (and decoder.json says so). It is off by default: on our one measurement (a model
trained on cathy_train, tuned on its 40 validation clips) it bought the same voice little
(cathy_dev 17.5 → 17.2 %) and cost other voices more (formats 30.7 → 36.7 %): a smaller
word bonus drops the words the network is unsure of. See docs/ctc.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from seespeech.speech.ctc.weights import DECODER_FILE, DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_PREFIX_PENALTY, DecoderWeights  # noqa: F401

#: the values tried for each weight, one weight at a time (the others held), in this order
GRID = {
    "beta": (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0),
    "alpha": (0.5, 0.7, 0.9, 1.2, 1.5),
    "prefix_penalty": (-6.0, -9.0, -12.0, -16.0, -20.0),
}
ROUNDS = 2
#: the least improvement over the defaults that replaces them: words and WER points
MIN_GAIN_WORDS = 3
MIN_GAIN = 0.01
#: fewer validation clips than this and nothing is tuned (the defaults are kept)
MIN_CLIPS = 10


@dataclass
class TuneReport:
    weights: DecoderWeights
    default_wer: float
    best_wer: float
    #: the weights that scored best_wer (adopted or not)
    best: DecoderWeights
    adopted: bool
    clips: int
    reference_words: int
    tried: list[dict] = field(default_factory=list)

    def save(self, folder: Path) -> None:
        data = {"weights": asdict(self.weights), "adopted": self.adopted,
                "validation": {"clips": self.clips, "words": self.reference_words,
                               "wer_with_defaults": self.default_wer, "best_wer": self.best_wer,
                               "best_weights": asdict(self.best)},
                "rule": f"adopted only if at least {MIN_GAIN_WORDS} words and {MIN_GAIN:.1%} better than the defaults",
                "tried": self.tried}
        tmp = Path(folder) / (DECODER_FILE + ".tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(Path(folder) / DECODER_FILE)

    def summary(self) -> str:
        if self.adopted:
            return (f"decoder weights tuned on {self.clips} validation clips: WER {self.default_wer:.1%} with the "
                    f"defaults → {self.best_wer:.1%} with {self.weights.describe()}")
        kept = f"decoder weights: kept the defaults ({self.default_wer:.1%} on {self.clips} validation clips; "
        if self.best == self.weights:
            return kept + "no other weights tried did better)"
        return kept + (f"the best other weights, {self.best.describe()}, reached {self.best_wer:.1%}, "
                       f"under the bar of {MIN_GAIN_WORDS} words and {MIN_GAIN:.1%})")


def tune_decoder(log_probs: list[np.ndarray], texts: list[str], lm, start: DecoderWeights | None = None,
                 beam: int = 24, on_try: Callable[[int, int], None] | None = None) -> TuneReport:
    """Search the decoder weights on validation clips (the network's log-probabilities and
    their reference texts). ``lm``: the model's ``WordLM``; its weights are changed during the
    search and left at the adopted ones."""
    from seespeech.speech.evaluate import score
    from seespeech.speech.ctc.decode import lm_decode, to_text

    start = start or DecoderWeights()
    scores: dict[DecoderWeights, tuple[int, float]] = {}
    words = 0
    total = 1 + ROUNDS * sum(len(v) for v in GRID.values())  # an upper bound: repeats are not decoded again
    tried: list[dict] = []

    def errors(weights: DecoderWeights) -> tuple[int, float]:
        nonlocal words
        if weights not in scores:
            lm.alpha, lm.beta, lm.prefix_penalty = weights.alpha, weights.beta, weights.prefix_penalty
            hypotheses = [to_text(lm_decode(lp, lm, beam)) for lp in log_probs]
            result = score(texts, hypotheses)
            wrong = result.substitutions + result.deletions + result.insertions
            scores[weights], words = (wrong, result.wer), result.reference_words
            tried.append({**asdict(weights), "wer": result.wer})
            if on_try:
                on_try(min(len(scores), total), total)
        return scores[weights]

    current = start
    for _ in range(ROUNDS):
        moved = False
        for name, values in GRID.items():
            best = current
            for value in values:
                candidate = replace(current, **{name: value})
                if errors(candidate)[0] < errors(best)[0]:  # ties keep the current weights
                    best = candidate
            moved |= best != current
            current = best
        if not moved:
            break
    default_wrong, default_wer = errors(start)
    best_wrong, best_wer = errors(current)
    adopted = default_wrong - best_wrong >= MIN_GAIN_WORDS and default_wer - best_wer >= MIN_GAIN
    weights = current if adopted else start
    lm.alpha, lm.beta, lm.prefix_penalty = weights.alpha, weights.beta, weights.prefix_penalty
    if on_try:
        on_try(total, total)
    return TuneReport(weights=weights, default_wer=default_wer, best_wer=best_wer, best=current, adopted=adopted,
                      clips=len(log_probs), reference_words=words, tried=tried)


def tune_folder(folder: Path, features: list[np.ndarray], texts: list[str],
                on_try: Callable[[int, int], None] | None = None) -> TuneReport | None:
    """Tune the decoder of the model train-ctc wrote in ``folder`` on validation features and
    texts, and write ``decoder.json``. None (nothing written) when there are fewer than
    ``MIN_CLIPS`` clips or no word language model (wordfreq missing)."""
    from seespeech.speech.ctc.model import load_checkpoint, load_word_lm, run_network

    if len(features) < MIN_CLIPS:
        return None
    lm = load_word_lm(folder, required=False)
    if lm is None:
        return None
    network, _ = load_checkpoint(folder)  # the best epoch's, as saved (train() holds the last one)
    report = tune_decoder([run_network(network, x) for x in features], texts, lm, on_try=on_try)
    report.save(folder)
    return report
