"""Prompt templates are files in ``prompts/``, loaded by name."""

from __future__ import annotations

from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from assistant.answer.refusal import NOT_FOUND


def load_prompt_text(prompts_dir: Path, name: str) -> str:
    """The text of ``prompts/<name>.md``."""
    return (prompts_dir / f"{name}.md").read_text(encoding="utf-8").strip()


def answer_prompt(prompts_dir: Path) -> ChatPromptTemplate:
    """System rules plus the question with its numbered passages; the system rules receive the refusal sentence
    that ``refusal.is_refusal`` detects."""
    return ChatPromptTemplate.from_messages([
        ("system", load_prompt_text(prompts_dir, "answer_system")),
        ("human", load_prompt_text(prompts_dir, "answer_question")),
    ]).partial(refusal=NOT_FOUND["fr"])
