"""The answer chain (LCEL): the compact context and the question go in, a cited answer streams out."""

from __future__ import annotations

from pathlib import Path

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from assistant.answer.context import Excerpt, is_instruction
from assistant.answer.language import LANGUAGES
from assistant.answer.prompts import answer_prompt, load_prompt_text
from assistant.models import Passage, Source

# Shown to the model instead of a title that gives it orders.
UNTRUSTED_TITLE = "titre omis"


def build_answer_chain(prompts_dir: Path, chat_model: BaseChatModel) -> Runnable[dict[str, str], str]:
    """``{"context", "question", "language"}`` → answer text, streamable token by token."""
    return answer_prompt(prompts_dir) | chat_model | StrOutputParser()


def warm_up(prompts_dir: Path, chat_model: BaseChatModel) -> None:
    """Have the model read the system prompt once (one token written), so that the first question skips it."""
    (answer_prompt(prompts_dir) | chat_model.bind(max_tokens=1)).invoke(
        {"context": "", "question": "", "language": LANGUAGES["fr"]})


def chain_inputs(question: str, excerpts: list[Excerpt], language: str, prompts_dir: Path) -> dict[str, str]:
    """The chain's inputs for one question."""
    return {"context": format_context(excerpts, prompts_dir), "question": question, "language": LANGUAGES[language]}


def number_sources(documents: list[Document]) -> list[Source]:
    """Give retrieved passages the numbers ``[1]``, ``[2]``… under which the answer may cite them."""
    return [Source(number, Passage.from_document(document), float(document.metadata.get("score", 0.0)),
                   document.metadata.get("context_before", ""), document.metadata.get("context_after", ""),
                   float(document.metadata.get("dense_score", 0.0)), float(document.metadata.get("lexical_score", 0.0)),
                   focus_of(document.metadata))
            for number, document in enumerate(documents, start=1)]


def focus_of(metadata: dict) -> tuple[int, int] | None:
    """The page offsets of the sentence window that found a passage, if a window did."""
    return (metadata["focus_start"], metadata["focus_end"]) if "focus_start" in metadata else None


def format_context(excerpts: list[Excerpt], prompts_dir: Path) -> str:
    """The excerpts as the prompt shows them to the model, under their sources' numbers."""
    template = load_prompt_text(prompts_dir, "source_passage")
    return "\n\n".join(
        template.format(number=e.source.number, title=short_title(e.source.passage.info.title),
                        reference=source_reference(e.source.passage), text=e.text)
        for e in excerpts)


def source_reference(passage: Passage) -> str:
    """Where a passage comes from, as the model needs it and briefly (every token delays the first word): type,
    region when there is one or two, year."""
    parts = [passage.info.doc_type.replace("-", " ")]
    if 0 < len(passage.info.regions) <= 2:
        parts.append(", ".join(passage.info.regions))
    if passage.info.year:
        parts.append(str(passage.info.year))
    return ", ".join(parts)


def short_title(title: str) -> str:
    """A long title cut at its colon or at about 70 characters; a title that gives orders to the assistant (in a
    PDF's properties or a file name) is not shown to the model."""
    if is_instruction(title):
        return UNTRUSTED_TITLE
    title = title.split(" : ")[0]
    return title if len(title) <= 70 else title[:70].rsplit(" ", 1)[0] + " …"

