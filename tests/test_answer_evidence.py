"""Right figure or no figure: a researcher asks for the Mauricie amount of 2013-2014 and gets 1 505 000 $ — never a
payment of 2012-2013, the 2011-2012 row or the 2 % cap — or a refusal that says what is missing; in English too;
and every figure, date and name of an answer stands in the passage it cites."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from assistant.french import figures, missing_names, split_sentences, strip_markers
from assistant.index.embeddings import E5Embeddings
from assistant.models import Answer
from assistant.service import Assistant
from assistant.settings import ChunkingSettings, LLMSettings, Settings
from tests.conftest import fake_chat_model

SAMPLE = Path(__file__).resolve().parent.parent / "corpus"
ASKED = "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?"


@pytest.fixture(scope="module")
def agreement_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus's real Mauricie agreement (PDF and sidecar): its table, payments clause and 2 % cap."""
    corpus = tmp_path_factory.mktemp("mauricie") / "corpus"
    (corpus / "ententes").mkdir(parents=True)
    for name in ("entente-mauricie.pdf", "entente-mauricie.pdf.meta.yaml"):
        shutil.copy(SAMPLE / "ententes" / name, corpus / "ententes" / name)
    return corpus


@pytest.fixture(scope="module")
def index_dir(agreement_corpus: Path, e5: E5Embeddings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("index")
    Assistant(Settings(corpus_dir=agreement_corpus, index_dir=index), embeddings=e5).index()
    return index


def assistant_on(agreement_corpus: Path, index_dir: Path, e5: E5Embeddings, model: GenericFakeChatModel | None,
                 **llm: object) -> Assistant:
    # A scripted model writes (answer_from="model"); without one, the default: answers made from the evidence.
    llm_settings = LLMSettings(answer_from="model", **llm) if model is not None else LLMSettings(**llm)
    settings = Settings(corpus_dir=agreement_corpus, index_dir=index_dir, chunking=ChunkingSettings(), llm=llm_settings)
    return Assistant(settings, embeddings=e5, chat_model=model)


def cited_passages_hold_every_figure_and_name(answer: Answer) -> list[str]:
    """The sentences of an answer with a figure, date or name that the passages they cite do not hold."""
    if answer.refused:
        return []
    by_number = {source.number: source.passage for source in answer.sources}
    wrong = []
    for sentence in split_sentences(answer.text):
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        # A table row's citation stands for its cells under their column headers (``Passage.cited_text``).
        passages = " ".join(f"{by_number[n].info.title} {' '.join(by_number[n].info.regions)} "
                            f"{by_number[n].cited_text}" for n in numbers if n in by_number)
        claim = strip_markers(sentence)
        if not numbers or figures(claim) - figures(passages) or missing_names(claim, passages):
            wrong.append(sentence)
    return wrong


@pytest.mark.parametrize("wrong", ["903 000 $", "860 000 $", "30 100 $"])
def test_a_model_writing_a_neighbouring_figure_ends_in_the_right_one_or_a_refusal(
        wrong: str, agreement_corpus: Path, index_dir: Path, e5: E5Embeddings) -> None:
    model = fake_chat_model(*[f"Le montant prévu pour 2013-2014 est de {wrong} [{n}]." for n in range(1, 6)])
    answer = assistant_on(agreement_corpus, index_dir, e5, model).ask(ASKED)
    assert wrong not in answer.text
    assert answer.refused or "1 505 000 $" in answer.text
    if not answer.refused:
        assert not cited_passages_hold_every_figure_and_name(answer)


def test_the_evidence_answer_gives_the_2013_2014_row(agreement_corpus: Path, index_dir: Path,
                                                     e5: E5Embeddings) -> None:
    answer = assistant_on(agreement_corpus, index_dir, e5, None).ask(ASKED)
    assert not answer.refused and "1 505 000 $" in answer.text
    for wrong in ("903 000 $", "860 000 $", "30 100 $"):
        assert wrong not in answer.text
    assert answer.checks[0].label != "appuyée par sa source"  # says what was checked
    assert "même ligne" in answer.checks[0].label


def test_a_year_the_agreement_does_not_cover_is_refused_naming_it(agreement_corpus: Path, index_dir: Path,
                                                                  e5: E5Embeddings) -> None:
    never = GenericFakeChatModel(messages=iter([]))  # raises if it is ever called
    answer = assistant_on(agreement_corpus, index_dir, e5, never).ask(
        "Quel montant l'entente de la Mauricie prévoit-elle pour 2016-2017 ?")
    assert answer.refused and answer.checks == []
    assert "2016-2017" in answer.refusal_reason


def test_an_english_question_gets_an_english_answer_from_the_evidence(agreement_corpus: Path, index_dir: Path,
                                                                      e5: E5Embeddings) -> None:
    answer = assistant_on(agreement_corpus, index_dir, e5, None).ask(
        "How much does the Mauricie agreement provide for 2013-2014?")
    assert answer.language == "en" and not answer.refused
    assert answer.text.startswith("The source gives 1 505 000 $")
    assert not cited_passages_hold_every_figure_and_name(answer)


def test_every_figure_and_name_of_an_evidence_answer_is_in_its_cited_passage(
        agreement_corpus: Path, index_dir: Path, e5: E5Embeddings) -> None:
    assistant = assistant_on(agreement_corpus, index_dir, e5, None)
    for question in ("Quand l'entente de la Mauricie a-t-elle été signée ?",
                     "Qui représente la CRÉ de la Mauricie dans l'entente ?",
                     "Combien la CRÉ peut-elle consacrer à ses frais d'administration en 2012-2013 ?",
                     "Quelles sont les priorités de l'Alliance mauricienne ?",
                     "What is the deadline for the first call for projects in Mauricie?"):
        answer = assistant.ask(question)
        assert not cited_passages_hold_every_figure_and_name(answer), question


RECORDED = Path(__file__).resolve().parent.parent / "eval" / "recorded"


@pytest.mark.parametrize("name", ["gold-answers.jsonl", "gold-2-answers.jsonl", "gold-3-answers.jsonl",
                                  "gold-4-answers.jsonl", "gold-5-answers.jsonl", "gold-6-answers.jsonl",
                                  "gold-7-answers.jsonl", "gold-8-answers.jsonl", "gold-9-answers.jsonl",
                                  "gold-10-answers.jsonl", "gold-11-answers.jsonl", "gold-12-answers.jsonl",
                                  "gold-13-answers.jsonl", "gold-14-answers.jsonl", "gold-15-answers.jsonl",
                                  "gold-16-answers.jsonl"])
def test_every_figure_date_and_name_of_the_recorded_answers_is_in_the_passage_each_sentence_cites(name: str) -> None:
    """The final default's answers to the sixteen question sets (``assistant eval FILE --answers``), sentence by
    sentence: every figure, date and name stands in the passages that sentence cites."""
    rows = [json.loads(line) for line in (RECORDED / name).read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 100
    wrong = []
    for row in rows:
        if row["refused"]:
            continue
        passages = {str(source["number"]): source["text"] for source in row["cited"]}
        for sentence in split_sentences(row["answer"]):
            numbers = re.findall(r"\[(\d+)\]", sentence)
            cited = " ".join(passages.get(n, "") for n in numbers)
            claim = strip_markers(sentence)
            if not numbers or figures(claim) - figures(cited) or missing_names(claim, cited):
                wrong.append((row["qid"], sentence))
    assert wrong == []
