"""The local model's cache of prompt states, bounded by the memory the states really hold.

llama-cpp-python's ``LlamaRAMCache`` counts only the llama.cpp state of each entry, not the logits array saved beside
it (evaluated tokens × vocabulary × 4 bytes: about 200 MB for a 350-token prompt with Qwen's 151,936-token
vocabulary). A 512 MB cap then let a serving process grow by gigabytes; this cache counts every byte it keeps.
"""

from __future__ import annotations

from llama_cpp import LlamaRAMCache
from llama_cpp.llama import LlamaState


def state_bytes(state: LlamaState) -> int:
    """Memory one saved prompt state holds: llama.cpp's state, the logits and the token ids."""
    return state.llama_state_size + state.scores.nbytes + state.input_ids.nbytes


class PromptStateCache(LlamaRAMCache):
    """A least-recently-used cache of prompt states whose capacity bounds the memory they really take."""

    @property
    def cache_size(self) -> int:
        return sum(state_bytes(state) for state in self.cache_state.values())
