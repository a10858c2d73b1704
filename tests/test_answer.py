"""The answer cites numbered sources that exist; with nothing found, it says so without asking the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from assistant.answer.citations import remove_unknown_markers
from assistant.answer.refusal import NOT_FOUND
from assistant.answer.llm import make_chat_model
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings
from tests.conftest import fake_chat_model

QUESTION = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"


def test_markers_map_to_the_sources_returned(settings: Settings, e5: E5Embeddings) -> None:
    model = fake_chat_model("La ministre verse 1 505 000 $ pour 2013-2014 [1]. L'entente est conclue entre la "
                            "ministre de l'Emploi et de la Solidarité sociale et la CRÉ de la Mauricie [2].")
    assistant = Assistant(settings, embeddings=e5, chat_model=model)
    assistant.index()
    answer = assistant.ask(QUESTION)
    by_number = {source.number: source.passage.text for source in answer.sources}
    assert answer.cited_numbers == [1, 2]
    assert "1 505 000 $" in by_number[1]
    assert "ministre de l'Emploi" in " ".join(by_number[2].split())
    assert [check.verdict for check in answer.checks] == ["supported", "supported"]
    assert answer.complete and not answer.refused


def test_a_marker_pointing_to_no_source_never_reaches_the_reader(settings: Settings, e5: E5Embeddings) -> None:
    model = fake_chat_model("Le montant versé par la ministre est de 1 505 000 $ pour 2013-2014 [1][9]. "
                            "Autre chose [12].")
    assistant = Assistant(settings, embeddings=e5, chat_model=model)
    assistant.index()
    streamed = [answer.text for answer in assistant.stream(QUESTION)]
    assert all("[9]" not in text and "[12]" not in text and not text.endswith("[1") for text in streamed)
    assert streamed[-1].startswith("Le montant versé par la ministre est de 1 505 000 $ pour 2013-2014 [")
    assert "Autre chose" not in streamed[-1]  # no source supports it: removed


def test_the_answer_streams_in_several_steps(settings: Settings, e5: E5Embeddings) -> None:
    model = fake_chat_model("La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour l'exercice 2013-2014 [1].")
    assistant = Assistant(settings, embeddings=e5, chat_model=model)
    assistant.index()
    steps = list(assistant.stream(QUESTION))
    assert len(steps) > 3
    assert [step.complete for step in steps].count(True) == 1 and steps[-1].complete


def test_nothing_retrieved_means_a_refusal_without_calling_the_model(settings: Settings, e5: E5Embeddings) -> None:
    never = GenericFakeChatModel(messages=iter([]))  # raises if it is ever called
    assistant = Assistant(settings, embeddings=e5, chat_model=never)
    answer = assistant.ask(QUESTION)  # the index is empty
    assert answer.text == NOT_FOUND["fr"] and answer.refused and answer.sources == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Un fait [1, 4].", "Un fait [1]."),
    ("Deux faits [2][3].", "Deux faits [2][3]."),
    ("Rien [0] ici [7] .", "Rien ici."),
])
def test_unknown_numbers_are_dropped_from_groups(text: str, expected: str) -> None:
    assert remove_unknown_markers(text, source_count=3) == expected


def test_prompts_are_loaded_from_the_prompts_folder(settings: Settings, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    for name in ("answer_system", "answer_question", "source_passage"):
        (prompts / f"{name}.md").write_text((settings.prompts_dir / f"{name}.md").read_text(encoding="utf-8"))
    (prompts / "answer_system.md").write_text("Consigne de test.", encoding="utf-8")
    from assistant.answer.prompts import answer_prompt

    messages = answer_prompt(prompts).format_messages(context="[1] x", question="q", language="français")
    assert messages[0].content == "Consigne de test."


@pytest.mark.slow
def test_the_local_gguf_model_streams_through_llama_cpp(smollm2_path: Path, settings: Settings,
                                                      e5: E5Embeddings) -> None:
    model = make_chat_model(LLMSettings(gguf_path=str(smollm2_path), max_tokens=24, context_window=2048))
    assert model.client.cache is not None  # prompt states are kept, so the system prompt is read once
    settings.llm.min_lexical_support = 0.0  # the 135M model's words need not hold: this test is about streaming
    assistant = Assistant(settings, embeddings=e5, chat_model=model)
    assistant.index()
    steps = list(assistant.stream(QUESTION))
    assert len(steps) > 2
    assert steps[-1].complete and steps[-1].text.strip()
    assert steps[-1].sources[0].passage.info.path == "ententes/entente-mauricie.pdf"


@pytest.mark.slow
def test_the_system_prompt_is_read_once_then_reused(smollm2_path: Path, settings: Settings) -> None:
    from assistant.answer.chain import warm_up

    model = make_chat_model(LLMSettings(gguf_path=str(smollm2_path), max_tokens=4, context_window=2048))
    warm_up(settings.prompts_dir, model)
    assert len(model.client.cache.cache_state) == 1  # the state after the system prompt is saved
    system_tokens = model.client.n_tokens
    assert system_tokens > 100


def test_the_prompt_cache_is_bounded_by_the_memory_its_states_really_hold() -> None:
    import numpy as np
    from llama_cpp import LlamaRAMCache
    from llama_cpp.llama import LlamaState

    from assistant.answer.prompt_cache import PromptStateCache

    def state(n: int) -> LlamaState:  # 1 KB of llama.cpp state, 4 MB of logits, as a 1.5B model saves them
        return LlamaState(np.arange(n, dtype=np.intc), np.zeros((1, 1 << 20), dtype=np.single), n, b"", 1024, 0)

    bounded, stock = PromptStateCache(capacity_bytes=10 << 20), LlamaRAMCache(capacity_bytes=10 << 20)
    for n in range(1, 6):
        bounded[list(range(n))] = stock[list(range(n))] = state(n)
    assert len(stock.cache_state) == 5  # counts 5 KB for 20 MB of states
    assert list(bounded.cache_state) == [tuple(range(4)), tuple(range(5))]  # the two most recent stay
    assert bounded.cache_size <= 10 << 20


def test_an_openai_compatible_server_is_chosen_by_settings() -> None:
    from langchain_openai import ChatOpenAI

    model = make_chat_model(LLMSettings(backend="openai", base_url="http://127.0.0.1:9/v1", model="qwen2.5"))
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "qwen2.5"
    assert str(model.openai_api_base) == "http://127.0.0.1:9/v1"


def test_an_uncited_sentence_gets_the_marker_of_the_passage_that_supports_it(settings: Settings,
                                                                              e5: E5Embeddings) -> None:
    model = fake_chat_model("La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour l'exercice 2013-2014. "
                            "Les Alliances ont été créées par des extraterrestres en 1987.")
    assistant = Assistant(settings, embeddings=e5, chat_model=model)
    assistant.index()
    answer = assistant.ask(QUESTION)
    holder = next(s.number for s in answer.sources if "1 505 000 $" in s.passage.text)
    assert answer.text == ("La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour l'exercice 2013-2014 "
                           f"[{holder}].")
    supported, invented = answer.checks
    assert (supported.verdict, supported.written, supported.cited) == ("recited", (), (holder,))
    assert invented.verdict == "unsupported" and "1987" in invented.missing
