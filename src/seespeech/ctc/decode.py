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
    """A unigram word model with its spelling prefixes, for beam search.

    Character CTC without a language model spells well (CER) but gets many words a
    letter wrong (WER); scoring each completed word by how common it is in English, and
    discouraging spellings that begin no known word, fixes most of those. The counts come
    from ``wordfreq`` (the ``ctc`` extra); words the user trains on are added to it.
    """

    def __init__(self, frequencies: dict[str, float], alpha: float = 0.5, beta: float = 1.5,
                 oov: float = -12.0, prefix_penalty: float = -3.0):
        total = sum(frequencies.values()) or 1.0
        self.logp = {w: float(np.log(f / total)) for w, f in frequencies.items() if f > 0}
        self.prefixes = {w[:i] for w in self.logp for i in range(1, len(w) + 1)}
        self.alpha, self.beta, self.oov, self.prefix_penalty = alpha, beta, oov, prefix_penalty

    @classmethod
    def english(cls, size: int = 100_000, extra_words: list[str] | tuple[str, ...] = (), **kwargs) -> "WordLM":
        import wordfreq

        from . import normalise_text

        frequencies: dict[str, float] = {}
        for word in wordfreq.top_n_list("en", size):
            clean = normalise_text(word)
            if clean and " " not in clean:
                frequencies[clean] = frequencies.get(clean, 0.0) + wordfreq.word_frequency(word, "en")
        floor = min(frequencies.values())
        for word in extra_words:
            frequencies.setdefault(word, floor)
        return cls(frequencies, **kwargs)

    def word_score(self, word: str) -> float:
        return self.alpha * self.logp.get(word, self.oov) + self.beta

    def letter_score(self, partial: str) -> float:
        """Penalty for a spelling that starts no known word (applied once, when it first happens)."""
        return 0.0 if partial in self.prefixes else self.prefix_penalty


def lm_beam_search(log_probs: np.ndarray, lm: WordLM, beam: int = 24, prune: float = -10.0) -> list[tuple[int, int]]:
    """Prefix beam search with word scores at every space and at the end."""
    # prefix → [p_blank, p_nonblank, frames, lm score, partial word]
    beams: dict[tuple, list] = {(): [0.0, -np.inf, (), 0.0, ""]}
    for t, row in enumerate(log_probs):
        candidates = np.where(row > prune)[0]
        nxt: dict[tuple, list] = {}

        def add(prefix, blank, nonblank, frames, lm_score, partial):
            entry = nxt.get(prefix)
            if entry is None:
                nxt[prefix] = [blank, nonblank, frames, lm_score, partial]
            else:
                entry[0] = np.logaddexp(entry[0], blank)
                entry[1] = np.logaddexp(entry[1], nonblank)

        for prefix, (p_b, p_nb, frames, lm_score, partial) in beams.items():
            total = np.logaddexp(p_b, p_nb)
            for label in candidates:
                p = row[label]
                if label == BLANK:
                    add(prefix, total + p, -np.inf, frames, lm_score, partial)
                    continue
                if prefix and prefix[-1] == label:
                    add(prefix, -np.inf, p_nb + p, frames, lm_score, partial)
                    source = p_b  # the same letter again needs a blank between
                else:
                    source = total
                if label == SPACE:
                    if not partial:  # no empty words
                        add(prefix, -np.inf, source + p, frames, lm_score, partial)
                        continue
                    score = lm_score + lm.word_score(partial)
                    add(prefix + (int(label),), -np.inf, source + p, frames + (t,), score, "")
                else:
                    word = partial + ALPHABET[label]
                    score = lm_score + (lm.letter_score(word) if partial in lm.prefixes or not partial else 0.0)
                    add(prefix + (int(label),), -np.inf, source + p, frames + (t,), score, word)
        ranked = sorted(nxt.items(), key=lambda kv: -(np.logaddexp(kv[1][0], kv[1][1]) + kv[1][3]))[:beam]
        beams = dict(ranked)

    def final(entry):
        p_b, p_nb, _, lm_score, partial = entry
        return np.logaddexp(p_b, p_nb) + lm_score + (lm.word_score(partial) if partial else 0.0)

    best_prefix, best = max(beams.items(), key=lambda kv: final(kv[1]))
    return list(zip(best_prefix, best[2]))
