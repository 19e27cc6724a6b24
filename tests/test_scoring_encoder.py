"""The sentence encoder (app/scoring/encoder.py): sentence-transformers' figures for all-MiniLM-L6-v2, and clear
errors for a broken model."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from app.errors import ModelError
from app.modelstore import load_manifest
from app.scoring.encoder import HIDDEN, MODEL_NAME, SentenceEncoder, default_encoder, read_safetensors

pytestmark = pytest.mark.models


def test_matches_the_model_cards_similarities() -> None:
    """sentence-transformers' quick-start prints these cosine similarities for all-MiniLM-L6-v2 (0.6660, 0.1046,
    0.1411): a mistake anywhere in the forward pass (a transposed weight, the wrong GELU or pooling) moves them."""
    e = default_encoder().encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    assert e.shape == (3, HIDDEN)
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    sims = e @ e.T
    assert sims[0, 1] == pytest.approx(0.6660, abs=2e-3)
    assert sims[0, 2] == pytest.approx(0.1046, abs=2e-3)
    assert sims[1, 2] == pytest.approx(0.1411, abs=2e-3)


def test_same_text_same_vector_wherever_it_is_batched() -> None:
    """Padding in a batch does not leak into a sentence's vector (the attention mask and the pooling ignore it),
    and order and repeats are kept."""
    enc = default_encoder()
    short, long = "We shipped it.", "I rewrote the feature pipeline so that it batches requests to the store."
    alone = np.array([enc._forward([t])[0] for t in (short, long)])
    together = enc._forward([short, long])
    assert np.allclose(alone, together, atol=1e-5)
    out = enc.encode([long, short, long])
    assert np.allclose(out[0], out[2]) and np.allclose(out[1], alone[0], atol=1e-5)


def test_broken_weights_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    with pytest.raises(ModelError) as e:
        read_safetensors(tmp_path / "model.safetensors")
    assert "\n" not in str(e.value) and "model.safetensors" in str(e.value)
    header = json.dumps({"w": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 64]}}).encode()
    (tmp_path / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + b"\x00" * 10)
    with pytest.raises(ModelError, match="runs past the file"):
        read_safetensors(tmp_path / "model.safetensors")
    (tmp_path / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + b"\x00" * 64)
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelError) as e:
        SentenceEncoder(tmp_path)
    assert "\n" not in str(e.value)
    # a readable file and tokenizer, but not this model's tensors
    (tmp_path / "tokenizer.json").write_bytes((load_manifest()[MODEL_NAME].directory / "tokenizer.json").read_bytes())
    with pytest.raises(ModelError, match="is not all-MiniLM-L6-v2 .*tensors missing"):
        SentenceEncoder(tmp_path)


def test_concepts_gate_reads_how_close_the_encoder_puts_question_and_answer() -> None:
    """Concept's gate has the encoder's cosine as a feature ("rel:minilm", app/scoring/model.featurize): the data-
    leakage answer is closer to its own question than to another concept's, and design's gate does not run it."""
    from app.scoring.encoder import passage_relevance
    from app.scoring.model import default_model, featurize, uses_encoder
    from app.scoring.rubrics import default_rubrics
    from app.scoring.sentences import split_text
    from tests.sample_answers import LEAKAGE

    sentences = split_text(LEAKAGE)[0]
    texts = [s.text for s in sentences]
    own = passage_relevance("What is data leakage?", texts)
    other = passage_relevance("What is the curse of dimensionality?", texts)
    assert own > other + 0.2
    assert uses_encoder("concept") and not uses_encoder("design") and not uses_encoder("star")
    model = default_model()
    assert model.gates["concept"].weights.get("rel:minilm", 0.0) > 0
    feats = [f for f in featurize(default_rubrics()["concept"], "What is data leakage?", sentences, model.idf,
                                  model.idf_default, model.topic) if f is not None]
    assert feats and all(f["rel:minilm"] == pytest.approx(own, abs=1e-5) for f in feats)
    design = [f for f in featurize(default_rubrics()["design"], "Design a fraud system.", sentences, model.idf,
                                   model.idf_default, model.topic) if f is not None]
    assert all("rel:minilm" not in f for f in design)
