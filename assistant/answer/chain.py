"""The answer chain (LCEL): numbered passages and the question go in, a cited French answer streams out."""

from __future__ import annotations

from pathlib import Path

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from assistant.answer.prompts import answer_prompt, load_prompt_text
from assistant.models import Passage, Source

NOT_FOUND = "Je ne trouve pas cette information dans le corpus."


def build_answer_chain(prompts_dir: Path, chat_model: BaseChatModel) -> Runnable[dict[str, str], str]:
    """``{"context", "question"}`` → answer text, streamable token by token."""
    return answer_prompt(prompts_dir) | chat_model | StrOutputParser()


def number_sources(documents: list[Document]) -> list[Source]:
    """Give retrieved passages the numbers ``[1]``, ``[2]``… under which the answer may cite them."""
    return [Source(number, Passage.from_document(document), float(document.metadata.get("score", 0.0)),
                   document.metadata.get("context_before", ""), document.metadata.get("context_after", ""))
            for number, document in enumerate(documents, start=1)]


def format_context(sources: list[Source], prompts_dir: Path) -> str:
    """The numbered passages as the prompt shows them to the model."""
    template = load_prompt_text(prompts_dir, "source_passage")
    return "\n\n".join(
        template.format(number=s.number, title=s.passage.info.title, reference=source_reference(s.passage),
                        text=f"{s.context_before}{s.passage.text}{s.context_after}".strip())
        for s in sources)


def source_reference(passage: Passage) -> str:
    """Where a passage comes from, as a reader cites it: type, regions, date, page."""
    parts = [passage.info.doc_type.replace("-", " ")]
    if passage.info.regions:
        parts.append(", ".join(passage.info.regions))
    if passage.info.date:
        parts.append(passage.info.date)
    if passage.page:
        parts.append(f"p. {passage.page_label or passage.page}")
    return ", ".join(parts)
