"""CTC decoding in numpy: greedy and prefix beam search, and word times from the alignment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ALPHABET, BLANK

SPACE = ALPHABET.index(" ")


@dataclass
class DecodedWord:
    word: str
    start: float
    end: float
    probability: float


def greedy(log_probs: np.ndarray) -> list[tuple[int, int]]:
    """Best label per frame, repeats merged, blanks dropped: [(label, frame), …]."""
    best = log_probs.argmax(axis=1)
    out, previous = [], BLANK
    for frame, label in enumerate(best):
        if label != previous and label != BLANK:
            out.append((int(label), frame))
        previous = label
    return out


def beam_search(log_probs: np.ndarray, beam: int = 16, prune: float = -12.0) -> list[tuple[int, int]]:
    """CTC prefix beam search (no language model); returns the best path with the frame
    at which each label was first emitted."""
    # each prefix: (labels tuple) → [log p ending in blank, log p ending in non-blank, frames]
    beams: dict[tuple, list] = {(): [0.0, -np.inf, ()]}
    for t, row in enumerate(log_probs):
        candidates = np.where(row > prune)[0]
        nxt: dict[tuple, list] = {}

        def add(prefix, blank, nonblank, frames):
            entry = nxt.get(prefix)
            if entry is None:
                nxt[prefix] = [blank, nonblank, frames]
            else:
                entry[0] = np.logaddexp(entry[0], blank)
                entry[1] = np.logaddexp(entry[1], nonblank)

        for prefix, (p_b, p_nb, frames) in beams.items():
            total = np.logaddexp(p_b, p_nb)
            for label in candidates:
                p = row[label]
                if label == BLANK:
                    add(prefix, total + p, -np.inf, frames)
                    continue
                extended = prefix + (int(label),)
                if prefix and prefix[-1] == label:
                    # a repeat needs a blank between; without one it stays the same prefix
                    add(extended, -np.inf, p_b + p, frames + (t,))
                    add(prefix, -np.inf, p_nb + p, frames)
                else:
                    add(extended, -np.inf, total + p, frames + (t,))
        ranked = sorted(nxt.items(), key=lambda kv: -np.logaddexp(kv[1][0], kv[1][1]))[:beam]
        beams = dict(ranked)
    best_prefix, (_, _, frames) = max(beams.items(), key=lambda kv: np.logaddexp(kv[1][0], kv[1][1]))
    return list(zip(best_prefix, frames))


def to_text(path: list[tuple[int, int]]) -> str:
    return " ".join("".join(ALPHABET[label] for label, _ in path).split())


def words(path: list[tuple[int, int]], log_probs: np.ndarray, rate: float, offset: float = 0.0) -> list[DecodedWord]:
    """Words with times: a word starts at its first letter's frame and ends one frame after its last."""
    found, letters, frames = [], [], []

    def flush():
        if letters:
            probability = float(np.exp(np.mean([log_probs[f, lab] for lab, f in zip(letters, frames)])))
            found.append(DecodedWord("".join(ALPHABET[x] for x in letters), offset + frames[0] / rate,
                                     offset + (frames[-1] + 1) / rate, round(probability, 4)))
        letters.clear()
        frames.clear()

    for label, frame in path:
        if label == SPACE:
            flush()
        else:
            letters.append(label)
            frames.append(frame)
    flush()
    return found


class WordLM:
    """Word scores for the beam search: a word language model (:class:`~seespeech.ctc.lm.NgramLM`)
    and the weights that mix it with the acoustic scores.

    Character CTC without a language model spells well (CER) but gets many words a letter
    wrong (WER); each completed word adds ``alpha · log P(word | two words before) + beta``,
    and a spelling that begins no known word costs ``prefix_penalty`` once. The packaged
    model ships a trigram model (``lm.npz``); without one, English word frequencies from
    ``wordfreq`` (the ``ctc`` extra) plus the training vocabulary serve as unigrams.
    """

    def __init__(self, model, alpha: float = 0.5, beta: float = 1.5, prefix_penalty: float = -3.0,
                 end: bool = True):
        self.model = model
        self.prefixes = model.prefixes
        self.alpha, self.beta, self.prefix_penalty, self.end = alpha, beta, prefix_penalty, end

    @classmethod
    def english(cls, size: int = 100_000, extra_words: list[str] | tuple[str, ...] = (), **kwargs) -> "WordLM":
        from .lm import NgramLM, english_frequencies

        return cls(NgramLM.build((), english_frequencies(size), extra_words=extra_words), end=False, **kwargs)

    def word_score(self, word: str, history: tuple[str, ...] = ()) -> float:
        return self.alpha * self.model.logp(word, history) + self.beta

    def end_score(self, history: tuple[str, ...]) -> float:
        """The sentence ends here: how likely is that after these words (trigram models only)."""
        from .lm import EOS

        return self.alpha * self.model.logp(EOS, history) if self.end else 0.0

    def letter_score(self, partial: str) -> float:
        """Penalty for a spelling that starts no known word (applied once, when it first happens)."""
        return 0.0 if partial in self.prefixes else self.prefix_penalty


def lm_beam_search(log_probs: np.ndarray, lm: WordLM, beam: int = 24, prune: float = -10.0) -> list[tuple[int, int]]:
    """Prefix beam search with word scores at every space and at the end."""
    # prefix → [p_blank, p_nonblank, frames, lm score, partial word, last two words]
    beams: dict[tuple, list] = {(): [0.0, -np.inf, (), 0.0, "", ()]}
    for t, row in enumerate(log_probs):
        candidates = np.where(row > prune)[0]
        nxt: dict[tuple, list] = {}

        def add(prefix, blank, nonblank, frames, lm_score, partial, history):
            entry = nxt.get(prefix)
            if entry is None:
                nxt[prefix] = [blank, nonblank, frames, lm_score, partial, history]
            else:
                entry[0] = np.logaddexp(entry[0], blank)
                entry[1] = np.logaddexp(entry[1], nonblank)

        for prefix, (p_b, p_nb, frames, lm_score, partial, history) in beams.items():
            total = np.logaddexp(p_b, p_nb)
            for label in candidates:
                p = row[label]
                if label == BLANK:
                    add(prefix, total + p, -np.inf, frames, lm_score, partial, history)
                    continue
                if prefix and prefix[-1] == label:
                    add(prefix, -np.inf, p_nb + p, frames, lm_score, partial, history)
                    source = p_b  # the same letter again needs a blank between
                else:
                    source = total
                if label == SPACE:
                    if not partial:  # no empty words
                        add(prefix, -np.inf, source + p, frames, lm_score, partial, history)
                        continue
                    score = lm_score + lm.word_score(partial, history)
                    add(prefix + (int(label),), -np.inf, source + p, frames + (t,), score, "",
                        (*history[-1:], partial))
                else:
                    word = partial + ALPHABET[label]
                    score = lm_score + (lm.letter_score(word) if partial in lm.prefixes or not partial else 0.0)
                    add(prefix + (int(label),), -np.inf, source + p, frames + (t,), score, word, history)
        ranked = sorted(nxt.items(), key=lambda kv: -(np.logaddexp(kv[1][0], kv[1][1]) + kv[1][3]))[:beam]
        beams = dict(ranked)

    def final(entry):
        p_b, p_nb, _, lm_score, partial, history = entry
        if partial:
            lm_score += lm.word_score(partial, history)
            history = (*history[-1:], partial)
        return np.logaddexp(p_b, p_nb) + lm_score + lm.end_score(history)

    best_prefix, best = max(beams.items(), key=lambda kv: final(kv[1]))
    return list(zip(best_prefix, best[2]))
