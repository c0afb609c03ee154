"""The numpy MiniLM embedder: the same vectors as the reference implementation, and useful."""

import numpy as np
import pytest

from seespeech.pictures.embedder import embedder_dir, load_embedder

WORDS = ["dog", "car", "cat", "boat", "a red bird sitting on a branch", "puppy", "automobile"]


def test_vectors_are_unit_length_and_synonyms_are_close():
    vectors = load_embedder().embed(WORDS)
    assert vectors.shape == (len(WORDS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    dog, car, cat, boat, _, puppy, automobile = vectors
    assert puppy @ dog > max(puppy @ car, puppy @ boat, puppy @ cat)
    assert automobile @ car > max(automobile @ dog, automobile @ boat)


def test_batching_and_order_do_not_change_vectors():
    embedder = load_embedder()
    together = embedder.embed(WORDS)
    one_by_one = np.concatenate([embedder.embed([w]) for w in WORDS])
    assert np.allclose(together, one_by_one, atol=1e-5)


def test_matches_the_transformers_reference():
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    folder = embedder_dir()
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModel.from_pretrained(folder).eval()
    batch = tokenizer(WORDS, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    reference = (hidden * mask).sum(1) / mask.sum(1)
    reference = torch.nn.functional.normalize(reference, dim=1).numpy()
    ours = load_embedder().embed(WORDS)
    assert np.min(np.sum(ours * reference, axis=1)) > 0.9999
