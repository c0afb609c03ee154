"""Word n-gram language model for the CTC beam search.

Character CTC trained on minutes of speech spells most words nearly right but one word in
four a letter or two off ("tomorow", "fere", "with in"). Scoring each completed word by how
likely it is after the two before it fixes most of those. The model here is a trigram model
with Witten-Bell interpolation (no discount to tune, robust on small corpora), whose
unigram level mixes the corpus counts with English word frequencies (``wordfreq``) so that
words the corpus never saw still get a sensible probability.

It is stored like an ARPA file, in numpy arrays (``lm.npz``): for every kept n-gram its
interpolated log probability, for every history its back-off weight ``log(1 - λ)``;
``P(w | u v)`` is the stored trigram if kept, else ``bow(u v) + P(w | v)``, and so on down.
Keys are integers (``(u·V + v)·V + w``) in sorted arrays, looked up with ``searchsorted``.
``scripts/build_ctc_lm.py`` builds the packaged one; :meth:`NgramLM.build` builds any.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

BOS, EOS = "<s>", "</s>"
#: in a fine-tuned model's folder: the language model of the model it started from
INIT_LM = "init-lm.npz"
#: the share of that model in the mixture with one of the new training sentences
INIT_LM_WEIGHT = 0.5
#: log probability of a word the model has never seen (natural log)
OOV_LOGP = -16.0


class NgramLM:
    def __init__(self, words: list[str], unigram: np.ndarray, bi_keys: np.ndarray, bi_logp: np.ndarray,
                 bi_bow: np.ndarray, tri_keys: np.ndarray, tri_logp: np.ndarray, tri_bow_keys: np.ndarray,
                 tri_bow: np.ndarray):
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}
        self.size = len(self.words)
        self.unigram, self.bi_bow = unigram, bi_bow
        self.bi_keys, self.bi_logp = bi_keys, bi_logp
        self.tri_keys, self.tri_logp = tri_keys, tri_logp
        self.tri_bow_keys, self.tri_bow = tri_bow_keys, tri_bow
        self.prefixes = {w[:i] for w in self.words if w not in (BOS, EOS) for i in range(1, len(w) + 1)}
        self._cache: dict[tuple[str, str, str], float] = {}

    def __contains__(self, word: str) -> bool:
        return word in self.index

    @property
    def vocabulary(self) -> list[str]:
        return [w for w in self.words if w not in (BOS, EOS)]

    @staticmethod
    def _find(keys: np.ndarray, key: int) -> int:
        i = int(np.searchsorted(keys, key))
        return i if i < keys.size and keys[i] == key else -1

    def logp(self, word: str, history: tuple[str, ...] = ()) -> float:
        """Natural-log probability of ``word`` after ``history`` (its last two words count)."""
        u, v = ((BOS, BOS) + tuple(history))[-2:]
        cached = self._cache.get((u, v, word))
        if cached is not None:
            return cached
        w = self.index.get(word)
        if w is None:
            value = OOV_LOGP
        else:
            value = self._logp_ids(self.index.get(u), self.index.get(v), w)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[(u, v, word)] = value
        return value

    def _logp_ids(self, u: int | None, v: int | None, w: int) -> float:
        n = self.size
        backoff = 0.0
        if u is not None and v is not None:
            i = self._find(self.tri_keys, (u * n + v) * n + w)
            if i >= 0:
                return float(self.tri_logp[i])
            j = self._find(self.tri_bow_keys, u * n + v)
            if j >= 0:
                backoff += float(self.tri_bow[j])
        if v is not None:
            i = self._find(self.bi_keys, v * n + w)
            if i >= 0:
                return backoff + float(self.bi_logp[i])
            backoff += float(self.bi_bow[v])
        return backoff + float(self.unigram[w])

    # -- building and storing ------------------------------------------------------------

    @classmethod
    def build(cls, sentences: Iterable[str], frequencies: dict[str, float] | None = None,
              extra_words: Iterable[str] = (), min_word_count: int = 2, min_bigram_count: int = 1,
              min_trigram_count: int = 2, frequency_weight: float = 1.0) -> "NgramLM":
        """Count n-grams over normalised sentences (words separated by spaces).

        ``frequencies`` (word → relative frequency, e.g. from wordfreq) joins the unigram level
        with ``frequency_weight`` times the corpus's own weight; ``extra_words`` (e.g. the
        training vocabulary) get at least the smallest unigram probability.
        """
        uni: Counter = Counter()
        bi: Counter = Counter()
        tri: Counter = Counter()
        for sentence in sentences:
            tokens = [BOS, BOS, *sentence.split(), EOS]
            if len(tokens) < 4:
                continue
            uni.update(tokens[2:])
            bi.update(zip(tokens[1:-1], tokens[2:]))
            tri.update(zip(tokens[:-2], tokens[1:-1], tokens[2:]))
        frequencies = frequencies or {}
        extra = [w for w in extra_words if w]
        vocabulary = {w for w, c in uni.items() if c >= min_word_count} | set(frequencies) | set(extra)
        words = [BOS, EOS, *sorted(vocabulary - {BOS, EOS})]
        index = {w: i for i, w in enumerate(words)}
        n = len(words)

        # unigrams: corpus counts mixed with the frequency list, a floor for extra words
        corpus_total = sum(c for w, c in uni.items() if w in index) or 1
        freq_total = sum(frequencies.values()) or 1.0
        unigram = np.zeros(n, np.float64)
        for w, c in uni.items():
            if w in index:
                unigram[index[w]] += c / corpus_total
        if frequencies:
            for w, f in frequencies.items():
                unigram[index[w]] += frequency_weight * f / freq_total
        unigram /= unigram.sum()
        positive = unigram[unigram > 0]
        floor = positive.min() if positive.size else 1.0 / n
        unigram[unigram == 0] = floor
        unigram[index[BOS]] = 1e-12
        unigram /= unigram.sum()
        uni_logp = np.log(unigram)

        # Witten-Bell: λ(h) = c(h) / (c(h) + distinct followers of h)
        def lambdas(counts: Counter, order: int):
            history_count: Counter = Counter()
            followers: Counter = Counter()
            for gram, c in counts.items():
                h = gram[:order - 1]
                history_count[h] += c
                followers[h] += 1
            return {h: history_count[h] / (history_count[h] + followers[h]) for h in history_count}, history_count

        bi_lambda, bi_hist = lambdas(bi, 2)
        bi_entries: dict[int, float] = {}
        bi_bow = np.zeros(n, np.float32)
        for (v,), lam in bi_lambda.items():
            if v in index:
                bi_bow[index[v]] = math.log(1.0 - lam)
        for (v, w), c in bi.items():
            if c < min_bigram_count or v not in index or w not in index:
                continue
            lam = bi_lambda[(v,)]
            p = lam * c / bi_hist[(v,)] + (1 - lam) * unigram[index[w]]
            bi_entries[index[v] * n + index[w]] = math.log(p)

        def bigram_logp(vi: int, wi: int) -> float:
            value = bi_entries.get(vi * n + wi)
            return value if value is not None else float(bi_bow[vi]) + float(uni_logp[wi])

        tri_lambda, tri_hist = lambdas(tri, 3)
        tri_entries: dict[int, float] = {}
        tri_bow: dict[int, float] = {}
        for (u, v, w), c in tri.items():
            if c < min_trigram_count or u not in index or v not in index or w not in index:
                continue
            lam = tri_lambda[(u, v)]
            lower = math.exp(bigram_logp(index[v], index[w]))
            p = lam * c / tri_hist[(u, v)] + (1 - lam) * lower
            key = index[u] * n + index[v]
            tri_entries[key * n + index[w]] = math.log(p)
            tri_bow[key] = math.log(1.0 - lam)

        def arrays(entries: dict[int, float]):
            keys = np.array(sorted(entries), dtype=np.int64)
            return keys, np.array([entries[k] for k in keys.tolist()], dtype=np.float32)

        bi_keys, bi_values = arrays(bi_entries)
        tri_keys, tri_values = arrays(tri_entries)
        bow_keys, bow_values = arrays(tri_bow)
        return cls(words, uni_logp.astype(np.float32), bi_keys, bi_values, bi_bow, tri_keys, tri_values,
                   bow_keys, bow_values)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, words=np.array("\n".join(self.words)), unigram=self.unigram.astype(np.float16),
            bi_keys=self.bi_keys, bi_logp=self.bi_logp.astype(np.float16), bi_bow=self.bi_bow.astype(np.float16),
            tri_keys=self.tri_keys, tri_logp=self.tri_logp.astype(np.float16),
            tri_bow_keys=self.tri_bow_keys, tri_bow=self.tri_bow.astype(np.float16),
        )

    @classmethod
    def load(cls, path: Path) -> "NgramLM":
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files}
        f32 = {k: v.astype(np.float32) for k, v in arrays.items() if v.dtype == np.float16}
        return cls(str(arrays["words"]).split("\n"), f32["unigram"], arrays["bi_keys"], f32["bi_logp"],
                   f32["bi_bow"], arrays["tri_keys"], f32["tri_logp"], arrays["tri_bow_keys"], f32["tri_bow"])

    def perplexity(self, sentences: Iterable[str]) -> float:
        total, count = 0.0, 0
        for sentence in sentences:
            history: tuple[str, ...] = ()
            for word in [*sentence.split(), EOS]:
                total += self.logp(word, history)
                history = (*history[-1:], word)
                count += 1
        return math.exp(-total / max(count, 1))


class MixedLM:
    """Linear interpolation of word models, ``P(w | h) = Σ λᵢ Pᵢ(w | h)``: a model fine-tuned
    from another (``train-ctc --init``) decodes with its own sentences' model mixed with the
    one its starting model shipped, so a user's names and words join the big text rather than
    replace it."""

    def __init__(self, models: list[NgramLM], weights: list[float]):
        if len(models) != len(weights) or not models or min(weights) <= 0:
            raise ValueError("MixedLM needs one positive weight per model")
        total = sum(weights)
        self.models = models
        self.log_weights = [math.log(w / total) for w in weights]
        self.prefixes = set().union(*(m.prefixes for m in models))
        self._cache: dict[tuple[tuple[str, ...], str], float] = {}

    def __contains__(self, word: str) -> bool:
        return any(word in m for m in self.models)

    @property
    def vocabulary(self) -> list[str]:
        return sorted(set().union(*(m.vocabulary for m in self.models)))

    def logp(self, word: str, history: tuple[str, ...] = ()) -> float:
        key = (tuple(history[-2:]), word)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            cached = self._cache[key] = float(np.logaddexp.reduce(
                [lw + m.logp(word, history) for lw, m in zip(self.log_weights, self.models)]))
        return cached

    def perplexity(self, sentences: Iterable[str]) -> float:
        return NgramLM.perplexity(self, sentences)  # type: ignore[arg-type]


def english_frequencies(size: int = 100_000) -> dict[str, float]:
    """wordfreq's top English words, normalised the way the model writes them."""
    import wordfreq

    from seespeech.speech.ctc import normalise_text

    frequencies: dict[str, float] = {}
    for word in wordfreq.top_n_list("en", size):
        clean = normalise_text(word)
        if clean and " " not in clean:
            frequencies[clean] = frequencies.get(clean, 0.0) + wordfreq.word_frequency(word, "en")
    return frequencies
