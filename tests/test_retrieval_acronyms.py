"""A staff member asks with the corpus's acronyms (« les CRÉ »); the vector search reads the long form the corpus
gives them (« Conférence régionale des élus »), which the embedder knows better than the acronym."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from assistant.index.acronyms import find_acronyms, spelled_out
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import write_note


def test_a_list_of_acronyms_and_an_acronym_in_parentheses_are_read_when_their_initials_match() -> None:
    report_annex = "Annexe D – Liste des sigles\nSigle Signification\nCRÉ Conférence régionale des élus\n" \
                   "CRSA Comité régional de suivi de l'Alliance (Lanaudière)\nMRC Les Moulins compte 160 000 habitants"
    interview = "Elle siège au nom de l'approche territoriale intégrée (ATI) et de la Table (TABLE) depuis 2012 (ADM)."
    assert find_acronyms([report_annex, interview]) == {
        "CRÉ": "Conférence régionale des élus",
        "CRSA": "Comité régional de suivi de l'Alliance",
        "ATI": "approche territoriale intégrée",
    }


def test_a_question_gets_the_long_form_of_its_acronyms_unless_it_spells_them_out_itself() -> None:
    acronyms = {"CRÉ": "Conférence régionale des élus", "FQIS": "Fonds québécois d'initiatives sociales"}
    assert spelled_out("Depuis quand les CRÉ existent-elles ?", acronyms) == \
        "Depuis quand les CRÉ existent-elles ? (Conférence régionale des élus)"
    assert spelled_out("La conférence régionale des élus (CRÉ) a-t-elle signé ?", acronyms) == \
        "La conférence régionale des élus (CRÉ) a-t-elle signé ?"
    assert spelled_out("Que verse le MESS ?", acronyms) == "Que verse le MESS ?"


class RecordingEmbeddings(Embeddings):
    """The real embedder, remembering the questions it was asked to embed."""

    def __init__(self, inner: E5Embeddings) -> None:
        self.inner, self.queries = inner, []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return self.inner.embed_query(text)


def test_the_vector_search_reads_an_acronym_with_the_long_form_the_corpus_gives_it(settings: Settings,
                                                                                  e5: E5Embeddings) -> None:
    write_note(settings.corpus_dir / "entretiens" / "ent-cdq-09.md", """
        title: Entretien – Fonds régional
        doc_type: entretien
        regions: [Centre-du-Québec]
        year: 2013
        confidentiality: public
        """, "Le Fonds québécois d'initiatives sociales (FQIS) finance la navette de L'Érable depuis 2012.")
    embeddings = RecordingEmbeddings(e5)
    assistant = Assistant(settings, embeddings=embeddings)
    assistant.index()
    assert assistant.lexical.acronyms()["FQIS"] == "Fonds québécois d'initiatives sociales"
    assistant.search("Depuis quand le FQIS finance-t-il la navette ?")
    assert embeddings.queries[-1] == "Depuis quand le FQIS finance-t-il la navette ? " \
                                     "(Fonds québécois d'initiatives sociales)"
    assistant.settings.retrieval.spell_out_acronyms = False
    assistant.search("Depuis quand le FQIS finance-t-il la navette ?")
    assert embeddings.queries[-1] == "Depuis quand le FQIS finance-t-il la navette ?"
