"""CTC decoding in numpy: greedy and prefix beam search (with or without a word language
model), a second pass that respells words the language model does not know, and word times
from the alignment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seespeech.speech.ctc import ALPHABET, BLANK

SPACE = ALPHABET.index(" ")
#: correct_unknown_words: how many known spellings to score for each unknown word, and the
#: weight of the CTC likelihood against the word model's scores (below 1: the network is
#: overconfident about the letters it heard). Chosen on the 40 held-out training clips.
CORRECTION_CANDIDATES = 200
CORRECTION_ACOUSTIC_SCALE = 0.6
_SPELLABLE = frozenset(ALPHABET[1:]) - {" "}


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
    """Word scores for the beam search: a word language model (:class:`~seespeech.speech.ctc.lm.NgramLM`)
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
        self._vocabulary: list[str] | None = None

    @classmethod
    def english(cls, size: int = 100_000, extra_words: list[str] | tuple[str, ...] = (), **kwargs) -> "WordLM":
        from seespeech.speech.ctc.lm import NgramLM, english_frequencies

        return cls(NgramLM.build((), english_frequencies(size), extra_words=extra_words), end=False, **kwargs)

    def word_score(self, word: str, history: tuple[str, ...] = ()) -> float:
        return self.alpha * self.model.logp(word, history) + self.beta

    def end_score(self, history: tuple[str, ...]) -> float:
        """The sentence ends here: how likely is that after these words (trigram models only)."""
        from seespeech.speech.ctc.lm import EOS

        return self.alpha * self.model.logp(EOS, history) if self.end else 0.0

    def letter_score(self, partial: str) -> float:
        """Penalty for a spelling that starts no known word (applied once, when it first happens)."""
        return 0.0 if partial in self.prefixes else self.prefix_penalty

    def similar_words(self, word: str, limit: int) -> list[str]:
        """The known words closest to ``word`` in spelling (fewest letter edits)."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        if self._vocabulary is None:  # only what the network can spell
            self._vocabulary = sorted(w for w in self.model.vocabulary if _SPELLABLE.issuperset(w))
        found = process.extract(word, self._vocabulary, scorer=Levenshtein.distance,
                                score_cutoff=max(2, len(word) // 2 + 1), limit=limit)
        return [w for w, _, _ in found]


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


def lm_decode(log_probs: np.ndarray, lm: WordLM, beam: int = 24) -> list[tuple[int, int]]:
    """The lm decoder as the engine runs it: beam search with word scores, then unknown words
    respelled (``correct_unknown_words``)."""
    return correct_unknown_words(lm_beam_search(log_probs, lm, beam), log_probs, lm)


def ctc_score(log_probs: np.ndarray, labels: list[int], filler: np.ndarray) -> float:
    """log P(labels | frames) under CTC (the forward algorithm), with ``filler`` (per frame)
    in the blank's place."""
    emissions, skip = _states(log_probs, labels, filler)
    if emissions is None:
        return -np.inf
    alpha = np.full(emissions.shape[1], -np.inf)
    alpha[:2] = emissions[0, :2]
    for row in emissions[1:]:
        step = alpha.copy()
        step[1:] = np.logaddexp(step[1:], alpha[:-1])
        step[2:] = np.where(skip, np.logaddexp(step[2:], alpha[:-2]), step[2:])
        alpha = step + row
    return float(np.logaddexp(alpha[-1], alpha[-2]))


def ctc_align(log_probs: np.ndarray, labels: list[int], filler: np.ndarray) -> list[int]:
    """The best (Viterbi) CTC alignment of ``labels`` to the frames: each label's first frame."""
    emissions, skip = _states(log_probs, labels, filler)
    if emissions is None:
        raise ValueError("fewer frames than labels")
    frames, states = emissions.shape
    score = np.full(states, -np.inf)
    score[:2] = emissions[0, :2]
    back = np.zeros((frames, states), dtype=np.int64)
    index = np.arange(states)
    for t in range(1, frames):
        options = np.stack([score, np.r_[-np.inf, score[:-1]],
                            np.r_[-np.inf, -np.inf, np.where(skip, score[:-2], -np.inf)]])
        choice = options.argmax(axis=0)
        back[t] = index - choice
        score = options[choice, index] + emissions[t]
    state = states - 1 if score[-1] >= score[-2] else states - 2
    path = [state]
    for t in range(frames - 1, 0, -1):
        state = back[t, state]
        path.append(state)
    path.reverse()
    first: dict[int, int] = {}
    for t, state in enumerate(path):
        if state % 2:
            first.setdefault(state // 2, t)
    return [first[k] for k in range(len(labels))]


def _states(log_probs: np.ndarray, labels: list[int], filler: np.ndarray):
    """Per frame, the log probability of each CTC state (filler, label 1, filler, label 2, …,
    filler), and where a state may be reached skipping the filler before it."""
    if not labels or len(labels) > len(log_probs):
        return None, None
    ext = np.zeros(2 * len(labels) + 1, dtype=np.int64)
    ext[1::2] = labels
    emissions = log_probs[:, ext]
    emissions[:, ::2] = filler[:, None]
    skip = np.zeros(ext.size - 2, dtype=bool)
    skip[1::2] = ext[3::2] != ext[1:-2:2]
    return emissions, skip


def correct_unknown_words(path: list[tuple[int, int]], log_probs: np.ndarray, lm: WordLM,
                          candidates: int = CORRECTION_CANDIDATES,
                          acoustic_scale: float = CORRECTION_ACOUSTIC_SCALE) -> list[tuple[int, int]]:
    """Second pass over an lm beam search's path: each word the language model does not know
    (mostly a near-miss spelling, "atmsr" for "atmosphere") is compared with the known words
    spelled most like it, each scored by the CTC likelihood over the frames between its
    neighbours plus the word model's score of it and of the next word; the best replaces it.

    The beam search cannot find these itself: the letters the model missed have per-frame
    probabilities below its pruning threshold, so no prefix containing them survives."""
    # the path as words: (letters, frames, the space after it or None)
    groups: list[tuple[list[int], list[int], tuple[int, int] | None]] = []
    letters: list[int] = []
    frames: list[int] = []
    for label, frame in path:
        if label == SPACE:
            if letters:
                groups.append((letters, frames, (label, frame)))
                letters, frames = [], []
        else:
            letters.append(label)
            frames.append(frame)
    if letters:
        groups.append((letters, frames, None))
    texts = ["".join(ALPHABET[x] for x in g[0]) for g in groups]
    filler = np.logaddexp(log_probs[:, BLANK], log_probs[:, SPACE])
    for i, (letters, frames, space) in enumerate(groups):
        word = texts[i]
        if word in lm.model:
            continue
        lo = groups[i - 1][1][-1] + 1 if i else 0
        hi = groups[i + 1][1][0] if i + 1 < len(groups) else len(log_probs)
        while i and lo < hi and log_probs[lo].argmax() == groups[i - 1][0][-1]:
            lo += 1  # the frames still emitting the previous word's last letter are not this word's
        history = tuple(texts[max(0, i - 2):i])
        following = texts[i + 1] if i + 1 < len(texts) else None

        def total(spelling: str) -> float:
            labels = [ALPHABET.index(c) for c in spelling]
            score = acoustic_scale * ctc_score(log_probs[lo:hi], labels, filler[lo:hi])
            score += lm.word_score(spelling, history)
            score += lm.letter_score(spelling)  # the unknown spelling's penalty, as the beam paid it
            context = (*history[-1:], spelling)
            return score + (lm.word_score(following, context) if following else lm.end_score(context))

        best, best_score = word, total(word)
        for spelling in lm.similar_words(word, candidates):
            score = total(spelling)
            if score > best_score:
                best, best_score = spelling, score
        if best != word:
            labels = [ALPHABET.index(c) for c in best]
            texts[i] = best
            groups[i] = (labels, [lo + f for f in ctc_align(log_probs[lo:hi], labels, filler[lo:hi])], space)
    out: list[tuple[int, int]] = []
    for letters, frames, space in groups:
        out.extend(zip(letters, frames))
        if space:
            out.append(space)
    return out
