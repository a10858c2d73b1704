"""The admin indexes the corpus; a staff member's French question finds the right passage and page."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.index.embeddings import E5Embeddings
from assistant.models import DocumentInfo, Passage, SearchFilters
from assistant.passage_layout import record_card
from assistant.retrieve.retriever import whole_sentences
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import write_note


def test_a_french_question_retrieves_the_agreement_page_with_the_amount(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    report = assistant.index()
    assert sorted(report.added) == ["ententes/entente-mauricie.pdf", "entretiens/ent-cno-03.md",
                                    "entretiens/ent-lan-02.md"]
    assert report.failed == {}
    best = assistant.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")[0]
    assert best.number == 1
    assert best.passage.info.path == "ententes/entente-mauricie.pdf"
    assert best.passage.page == 2
    assert "1 505 000 $" in best.passage.text


def test_the_retriever_is_a_langchain_retriever_with_scores(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    documents = assistant.retriever().invoke("Quand le camion des Marchés solidaires a-t-il fait sa première tournée ?")
    assert documents[0].metadata["path"] == "entretiens/ent-lan-02.md"
    assert documents[0].metadata["score"] >= documents[-1].metadata["score"]


def test_confidential_notes_are_not_searched_unless_the_level_is_allowed(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    question = "Combien coûte le loyer de la citoyenne de Sept-Îles ?"
    default_paths = {s.passage.info.path for s in assistant.search(question)}
    assert "entretiens/ent-cno-03.md" not in default_paths
    allowed = SearchFilters(confidentiality=("public", "interne", "confidentiel"))
    assert assistant.search(question, allowed)[0].passage.info.path == "entretiens/ent-cno-03.md"


def test_a_second_run_redoes_nothing_and_a_removed_file_leaves_the_index(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    before = assistant.store.count()
    second = assistant.index()
    assert (second.added, second.updated, second.passages_embedded) == ([], [], 0)
    assert len(second.unchanged) == 3
    (settings.corpus_dir / "entretiens" / "ent-lan-02.md").unlink()
    third = assistant.index()
    assert third.removed == ["entretiens/ent-lan-02.md"]
    assert assistant.store.count() < before
    paths = {s.passage.info.path for s in assistant.search("Marchés solidaires de Matawinie")}
    assert "entretiens/ent-lan-02.md" not in paths


def test_an_edited_file_is_reembedded_and_its_old_passages_are_gone(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    note = settings.corpus_dir / "entretiens" / "ent-lan-02.md"
    note.write_text(note.read_text(encoding="utf-8").replace("15 octobre 2012", "22 octobre 2012"), encoding="utf-8")
    report = assistant.index()
    assert report.updated == ["entretiens/ent-lan-02.md"]
    texts = [s.passage.text for s in assistant.search("première tournée du camion des Marchés solidaires")]
    assert any("22 octobre 2012" in t for t in texts)
    assert not any("15 octobre 2012" in t for t in texts)


def test_a_broken_file_is_reported_and_the_rest_is_indexed(settings: Settings, e5: E5Embeddings) -> None:
    (settings.corpus_dir / "ententes" / "abimee.pdf").write_bytes(b"%PDF-1.7 tronque")
    report = Assistant(settings, embeddings=e5).index()
    assert list(report.failed) == ["ententes/abimee.pdf"]
    assert len(report.added) == 3


def test_index_folder_and_corpus_folder_come_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "autre-corpus"))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "autre-index"))
    monkeypatch.setenv("ASSISTANT_LLM__BACKEND", "openai")
    settings = Settings()
    assert settings.corpus_dir == tmp_path / "autre-corpus"
    assert settings.chroma_dir == tmp_path / "autre-index" / "chroma"
    assert settings.llm.backend == "openai"


def test_a_toml_config_file_is_read_and_the_environment_wins(monkeypatch, tmp_path: Path) -> None:
    config = tmp_path / "assistant.toml"
    config.write_text('corpus_dir = "/srv/corpus"\nport = 8080\n[retrieval]\ntop_k = 8\n', encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG_FILE", str(config))
    monkeypatch.setenv("ASSISTANT_PORT", "9000")
    settings = Settings()
    assert (settings.corpus_dir, settings.retrieval.top_k, settings.port) == (Path("/srv/corpus"), 8, 9000)


def test_each_side_alone_and_the_fusion_find_the_passage(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    for mode in ("dense", "lexical", "hybrid"):
        assistant.settings.retrieval.mode = mode
        best = assistant.search("Quand le camion des Marchés solidaires a-t-il fait sa première tournée ?")[0]
        assert best.passage.info.path == "entretiens/ent-lan-02.md", mode


def test_the_lexical_side_folds_accents_and_elisions(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    assistant.settings.retrieval.mode = "lexical"
    best = assistant.search("l'epicerie des villages")[0]  # typed without accents
    assert best.passage.info.path == "entretiens/ent-lan-02.md"


def test_confidentiality_is_enforced_inside_the_lexical_search_too(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    assistant.settings.retrieval.mode = "lexical"
    paths = {s.passage.info.path for s in assistant.search("loyer 975 $ propriétaire Sept-Îles")}
    assert "entretiens/ent-cno-03.md" not in paths
    allowed = SearchFilters(confidentiality=("public", "interne", "confidentiel"))
    assert assistant.search("loyer 975 $ propriétaire Sept-Îles", allowed)[0].passage.info.path == \
        "entretiens/ent-cno-03.md"


def test_the_lexical_index_follows_removals(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    (settings.corpus_dir / "entretiens" / "ent-lan-02.md").unlink()
    assistant.index()
    assistant.settings.retrieval.mode = "lexical"
    assert all(s.passage.info.path != "entretiens/ent-lan-02.md" for s in assistant.search("Marchés solidaires"))


def test_reciprocal_rank_fusion_rewards_agreement_and_weights() -> None:
    from assistant.retrieve.retriever import reciprocal_rank_fusion

    fused = reciprocal_rank_fusion([(1.0, ["a", "b", "c"]), (1.0, ["b", "d"])], k=60)
    assert [item for item, _ in fused] == ["b", "a", "d", "c"]
    weighted = reciprocal_rank_fusion([(1.0, ["a"]), (3.0, ["d"])], k=60)
    assert weighted[0][0] == "d"


def test_bm25_keeps_its_weight_for_a_question_in_the_documents_words_and_loses_it_for_a_paraphrase(
        settings: Settings, e5: E5Embeddings) -> None:
    from assistant.retrieve.retriever import lexical_weight

    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    lexical = assistant.lexical

    def weight_for(question: str) -> float:
        best = lexical.search(question, 1, lambda _: True, "tout")[0][0]
        return lexical_weight(settings.retrieval, lexical.matched_share(question, [best])[0])

    # Rare words of the interview note, as a staff member who read it would type them: BM25 is sure of itself.
    assert weight_for("camion des Marchés solidaires de Matawinie") == pytest.approx(settings.retrieval.lexical_weight)
    # The same fact asked from memory: BM25's best passage only shares a common word with it, the vectors lead.
    paraphrase = "Combien de hameaux sans commerce d'alimentation le camion dessert-il ?"
    assert weight_for(paraphrase) < 0.35 * settings.retrieval.lexical_weight
    settings.retrieval.lexical_match_power = 0  # the fixed weight of the earlier fusion
    assert weight_for(paraphrase) == settings.retrieval.lexical_weight


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_region_type_and_year_filters_apply_inside_each_search(settings: Settings, e5: E5Embeddings,
                                                               mode: str) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    assistant.settings.retrieval.mode = mode
    everything = ("public", "interne", "confidentiel")
    question = "Marchés solidaires et montant versé par la ministre"

    def paths(**filters) -> set[str]:
        return {s.passage.info.path for s in assistant.search(question, SearchFilters(everything, **filters))}

    assert paths(regions=("Mauricie",)) == {"ententes/entente-mauricie.pdf"}
    assert paths(regions=("Lanaudière", "Côte-Nord")) <= {"entretiens/ent-lan-02.md", "entretiens/ent-cno-03.md"}
    assert paths(doc_types=("entretien",)) <= {"entretiens/ent-lan-02.md", "entretiens/ent-cno-03.md"}
    assert paths(year_from=2013) <= {"entretiens/ent-lan-02.md", "entretiens/ent-cno-03.md"}
    assert paths(year_to=2012) == {"ententes/entente-mauricie.pdf"}
    assert paths(regions=("Gaspésie",)) == set()


def test_one_document_cannot_fill_every_slot(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    assistant.settings.retrieval.max_per_document = 1
    paths = [s.passage.info.path for s in assistant.search("entente Mauricie ministre CRÉ contribution rapport")]
    assert len(paths) == len(set(paths)) == 2  # two documents allowed by default levels, one passage each


def test_a_search_shows_first_the_passages_the_answer_step_reads_first(settings: Settings, e5: E5Embeddings) -> None:
    # The answer step reads 8 passages, 4 of a document: a search's first 5 are its first 5, not another
    # ranking with fewer of the best document's passages (docs/retrieval.md, section 10).
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    question = "entente Mauricie ministre CRÉ contribution rapport"
    shown = [s.passage.id for s in assistant.search(question)]
    read = [s.passage.id for s in assistant.search(question, wide=True)]
    assert shown == read[:len(shown)] and len(shown) == min(5, len(read))


def test_a_cross_encoder_reorders_the_fused_passages(settings: Settings, e5: E5Embeddings) -> None:
    class PrefersMatawinie:
        """Stands in for a CrossEncoder: scores a (question, passage) pair."""

        def predict(self, pairs: list[tuple[str, str]]) -> list[float]:
            return [float("Matawinie" in passage) for _, passage in pairs]

    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    question = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
    assert assistant.search(question)[0].passage.info.path == "ententes/entente-mauricie.pdf"
    assistant.__dict__["reranker"] = PrefersMatawinie()
    assert assistant.search(question)[0].passage.info.path == "entretiens/ent-lan-02.md"


@pytest.mark.parametrize("title_in_search", [True, False])
def test_a_word_only_in_the_title_finds_the_passages_when_titles_are_indexed(settings: Settings, e5: E5Embeddings,
                                                                            title_in_search: bool) -> None:
    settings.chunking.title_in_search = title_in_search
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    assistant.settings.retrieval.mode = "lexical"
    found = [s.passage for s in assistant.search("intervenante")]  # only in the note's title
    assert bool(found) == title_in_search
    assert all(p.info.path == "entretiens/ent-lan-02.md" and "intervenante" not in p.text for p in found)


def test_a_narrow_filter_finds_its_passage_even_when_the_nearest_ones_are_elsewhere(settings: Settings,
                                                                                    e5: E5Embeddings) -> None:
    # The vector side first fetches the nearest passages unfiltered; when too few pass, it searches the allowed ones.
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    assistant.settings.retrieval.mode = "dense"
    assistant.settings.retrieval.candidates = 1
    question = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie ?"
    assert assistant.search(question)[0].passage.info.path == "ententes/entente-mauricie.pdf"
    on_the_north_shore = SearchFilters(("public", "interne", "confidentiel"), regions=("Côte-Nord",))
    assert [s.passage.info.path for s in assistant.search(question, on_the_north_shore)] == \
        ["entretiens/ent-cno-03.md"]


EVERY_LEVEL = ("public", "interne", "confidentiel")
FILTER_COMBINATIONS = [
    SearchFilters(),  # the default levels: public and internal
    SearchFilters(("public",)),
    SearchFilters(EVERY_LEVEL, regions=("Mauricie",)),
    SearchFilters(("public", "interne"), regions=("Lanaudière", "Côte-Nord")),
    SearchFilters(EVERY_LEVEL, doc_types=("entretien",)),
    SearchFilters(("interne", "confidentiel"), doc_types=("entretien", "entente"), year_from=2013),
    SearchFilters(EVERY_LEVEL, year_to=2013),
    SearchFilters(EVERY_LEVEL, doc_types=("entente",), regions=("Mauricie",), year_from=2012, year_to=2012),
    SearchFilters(EVERY_LEVEL, regions=("Gaspésie",)),
    SearchFilters(("confidentiel",), regions=("Mauricie",)),
]


@pytest.mark.parametrize("max_unfiltered_fetch", [0, 2000], ids=["among-allowed-ids", "nearest-then-filtered"])
def test_the_vector_side_filtered_in_memory_finds_exactly_what_chromas_where_would(
        settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch, max_unfiltered_fetch: int) -> None:
    # Chroma is never given the filters: they are applied to its ids with the metadata the index keeps in memory,
    # either after fetching more neighbours than needed or by searching among the allowed ids alone.
    monkeypatch.setattr("assistant.retrieve.retriever.MAX_UNFILTERED_FETCH", max_unfiltered_fetch)
    write_note(settings.corpus_dir / "entretiens" / "ent-lan-03.md", """
        titre: Entretien confidentiel avec un élu de Matawinie
        type: entretien
        regions: [Lanaudière]
        date: 2013-10-02
        confidentialite: confidentiel
        """, "L'élu dit que la ministre a promis 40 000 $ au camion des Marchés solidaires, sans écrit.")
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    collection = assistant.store.collection
    for question in ("Combien la ministre verse-t-elle à la CRÉ ?", "loyer d'une citoyenne de Sept-Îles"):
        vector = e5.embed_query(question)
        for filters in FILTER_COMBINATIONS:
            for wanted in (1, 2, 50):
                assistant.settings.retrieval.candidates = wanted
                ours = assistant.retriever(filters)._nearest_allowed(vector)
                chroma = collection.query(query_embeddings=[vector], n_results=wanted, where=filters.to_where(),
                                          include=["distances"])
                assert [pid for pid, _ in ours] == chroma["ids"][0], (filters, wanted)
                assert [score for _, score in ours] == pytest.approx([1 - d for d in chroma["distances"][0]])


def test_a_sentence_window_found_brings_its_whole_passage_and_says_where_it_is(settings: Settings,
                                                                              e5: E5Embeddings) -> None:
    settings.chunking.window_size = 120
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    assistant.settings.retrieval.mode = "lexical"
    found = assistant.search("gabarit de reddition de comptes imposé par la CRÉ")
    best = found[0]
    assert best.passage.info.path == "entretiens/ent-lan-02.md" and not best.passage.parent
    assert best.focus is not None
    start, end = best.focus
    assert best.passage.start <= start < end <= best.passage.end
    window = best.passage.text[start - best.passage.start:end - best.passage.start]
    assert "gabarit" in window and len(window) < len(best.passage.text)
    assert len({s.passage.id for s in found}) == len(found)  # a passage once, however many of its windows matched


def test_a_search_reads_from_the_store_only_the_passages_it_needs(settings: Settings, e5: E5Embeddings,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Reading every fused candidate from Chroma cost about 11 ms a question; the first few in rank order suffice.
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    read: list[int] = []
    store_get = type(assistant.store).get
    monkeypatch.setattr(type(assistant.store), "get", lambda store, ids: read.append(len(ids)) or store_get(store, ids))
    question = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
    everything = SearchFilters(EVERY_LEVEL)
    monkeypatch.setattr("assistant.retrieve.retriever.FETCH_STEP", 1000)  # every candidate read at once
    at_once = [s.passage.id for s in assistant.search(question, everything, top_k=1)]
    candidates, read[:] = sum(read), []
    monkeypatch.setattr("assistant.retrieve.retriever.FETCH_STEP", 1)
    assert [s.passage.id for s in assistant.search(question, everything, top_k=1)] == at_once
    assert sum(read) < candidates
    for top_k in (2, 3, 50):  # read a few at a time, the passages and their order stay those of reading them all
        monkeypatch.setattr("assistant.retrieve.retriever.FETCH_STEP", 1000)
        expected = [s.passage.id for s in assistant.search(question, everything, top_k=top_k)]
        monkeypatch.setattr("assistant.retrieve.retriever.FETCH_STEP", 1)
        assert [s.passage.id for s in assistant.search(question, everything, top_k=top_k)] == expected


def test_a_search_restricted_to_one_document_or_actor_finds_it_beside_its_twins(settings: Settings,
                                                                                 e5: E5Embeddings) -> None:
    # Two more interviews of the same level, type, region and year as ENT-LAN-02: the filters tell them apart
    # by their document and their actors, on both sides of the search.
    for code, actors, text in (("04", "organisme communautaire", "Le comptoir a perdu deux bénévoles cet hiver."),
                               ("05", "élu", "Le maire juge que le camion coûte trop cher à la MRC.")):
        write_note(settings.corpus_dir / "entretiens" / f"ent-lan-{code}.md", f"""
            titre: Entretien ENT-LAN-{code}
            type: entretien
            regions: [Lanaudière]
            date: 2013-09-19
            acteurs: [{actors}]
            confidentialite: interne
            """, text)
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    question = "Qu'est-ce que la répondante dit du camion et du comptoir ?"
    for mode in ("dense", "lexical", "hybrid"):
        assistant.settings.retrieval.mode = mode
        for path in ("entretiens/ent-lan-02.md", "entretiens/ent-lan-04.md"):
            found = {s.passage.info.path for s in assistant.search(question, SearchFilters(documents=(path,)))}
            assert found == {path}, mode
        elected = assistant.search(question, SearchFilters(actors=("élu",)))
        assert {s.passage.info.path for s in elected} == {"entretiens/ent-lan-05.md"}, mode


def test_a_passage_found_carries_the_paragraph_before_it_which_names_its_subject(settings: Settings,
                                                                                   e5: E5Embeddings) -> None:
    write_note(settings.corpus_dir / "entretiens" / "ent-lau-01.md", """
        titre: Entretien avec le directeur d'un organisme en itinérance de Saint-Jérôme
        type: entretien
        regions: [Laurentides]
        date: 2013-11-05
        confidentialite: interne
        """, """
        # Notes d'entretien ENT-LAU-01

        ## Projets

        Logis-Relais Laurentides offre 16 places d'hébergement de transition à Saint-Jérôme : 12 studios, où l'on
        peut rester de trois à douze mois, et 4 chambres de court séjour. Le FQIS y consacre 425 000 $ sur trois
        ans, ce qui paie deux intervenants et la coordination. Le budget total du projet avoisine 1,1 M$.

        Les premiers résidents sont entrés le 1er juillet 2013. Depuis l'ouverture, 23 personnes ont été
        accueillies; 8 ont déjà emménagé dans un logement permanent. La liste d'attente comptait 61 noms.

        ## Perspectives

        Le directeur craint l'après-2015 et compte demander une reconnaissance à la mission.
        """)
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    found = [s.passage for s in assistant.search("premiers résidents entrés le 1er juillet liste d'attente")]
    later = next(p for p in found if "23 personnes" in p.text)
    assert "Logis-Relais" not in later.text and "Logis-Relais Laurentides offre 16 places" in later.lead
    answer = assistant.ask("Combien de personnes Logis-Relais a-t-il accueillies depuis son ouverture ?",
                           answer_settings=settings.llm.model_copy(update={"answer_from": "evidence"}))
    assert "23 personnes" in answer.text


# A page of a report as a PDF gives it: prose wrapped at a short width, so that a passage of the test's size (400
# characters) ends in the middle of the sentence that answers (« …selon le seul nombre de ménages » / « locataires
# sans voiture, … »), as gold-14 o021's did.
WRAPPED_PAGE = textwrap.fill(
    "Le partage de l'enveloppe a occupé la Table régionale pendant près de quatre mois, de décembre 2011 à la fin "
    "de mars 2012, au rythme d'une réunion toutes les deux semaines. Plusieurs formules ont circulé entre les MRC. "
    "La première proposition, présentée en mars 2012 par l'équipe de la CRÉ, répartissait l'enveloppe territoriale "
    "selon le seul nombre de ménages locataires sans voiture, un critère que les MRC du nord ont jugé injuste. La "
    "seconde, adoptée en juin 2012, ajoutait une part égale par MRC et un facteur de dispersion.", 48)


def test_a_sentence_cut_by_its_passage_s_end_is_found_whole_and_cited_where_the_page_holds_it(
        settings: Settings, e5: E5Embeddings) -> None:
    write_note(settings.corpus_dir / "entretiens" / "partage.md", """
        titre: Le partage de l'enveloppe dans les Laurentides
        type: rapport
        regions: [Laurentides]
        date: 2014-06-01
        confidentialite: public
        """, WRAPPED_PAGE)
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    question = "Selon quel critère la première proposition de la CRÉ répartissait-elle l'enveloppe territoriale ?"
    found = [s.passage for s in assistant.search(question) if s.passage.info.path == "entretiens/partage.md"]
    first = min(found, key=lambda passage: passage.start)
    assert first.start == 0
    # The passage ends with the sentence it cut, read in the passage after it; its offsets still frame its text.
    assert " ".join(first.text.split()).endswith("selon le seul nombre de ménages locataires sans voiture, un critère "
                                                 "que les MRC du nord ont jugé injuste.")
    page = assistant.read_document(first.info).pages[0].text
    assert page[first.start:first.end] == first.text
    # The viewer a citation opens shows the same text.
    assert assistant.passage(first.id) == replace(first, lead="", card="")
    answer = assistant.ask(question, answer_settings=settings.llm.model_copy(update={"answer_from": "evidence"}))
    assert "ménages locataires sans voiture" in answer.text
    cited = {number for check in answer.checks for number in check.cited}
    assert any("locataires sans voiture" in source.passage.text for source in answer.sources if source.number in cited)


def _page_passages(text: str, cut: int, overlap: int) -> tuple[Passage, Passage]:
    """Two passages of one page, the first ending at ``cut``, the second starting ``overlap`` characters before."""
    info = DocumentInfo(path="rapports/r.pdf", title="Rapport")
    first = text[:cut].rstrip()
    second_start = len(first) - overlap
    return (Passage("r-00000", first, info, 3, "3", 0, len(first)),
            Passage("r-00001", text[second_start:], info, 3, "3", second_start, len(text)))


def test_a_passage_ending_on_a_title_or_a_table_row_is_left_as_it_is_and_a_cut_start_is_completed() -> None:
    # A sentence cut at a line break that goes on (lowercase next line) is completed; a title line, or a table's
    # row, before an uppercase line is no cut sentence.
    prose = "Le comité a retenu la formule\nà la majorité des deux tiers. Il l'a publiée."
    first, second = _page_passages(prose, prose.index("\nà la"), 10)
    assert whole_sentences(first, {"r-00001": second}).text == "Le comité a retenu la formule\nà la majorité des deux tiers."
    titled = "Le comité a retenu la formule.\nGouvernance et répartition\nLa Table a siégé quatre mois."
    first, second = _page_passages(titled, titled.index("\nLa Table"), 10)
    assert whole_sentences(first, {"r-00001": second}) == first
    table = "MRC Part Enveloppe\nLes Moulins 23,6 1 240 300 $\nJoliette 16,7 878 200 $\nTotal 143. Fin."
    first, second = _page_passages(table, table.index("\nJoliette"), 10)
    assert whole_sentences(first, {"r-00001": second}) == first
    # The passage after starts in the middle of the sentence: its start is read in the passage before.
    first, second = _page_passages(prose, prose.index("\nà la"), 10)
    completed = whole_sentences(second, {"r-00000": first})
    assert completed.text.startswith("Le comité a retenu la formule\nà la majorité") and completed.start == 0


def test_an_interview_passage_found_carries_its_record_card_which_names_its_town(settings: Settings,
                                                                                  e5: E5Embeddings) -> None:
    write_note(settings.corpus_dir / "entretiens" / "ent-cdq-09.md", """
        titre: Entretien avec la coordonnatrice d'un organisme en sécurité alimentaire
        type: entretien
        regions: [Centre-du-Québec]
        date: 2014-01-15
        confidentialite: interne
        """, """
        # Notes d'entretien ENT-CDQ-09

        Code : ENT-CDQ-09
        Date : le 15 janvier 2014
        Lieu : cuisine communautaire de l'organisme, à Plessisville
        Participante : Répondante E, coordonnatrice d'un comptoir alimentaire

        ## Parcours

        Répondante E coordonne l'organisme depuis 2006. Elle a d'abord été travailleuse sociale dans un centre de
        santé, puis agente de développement dans une corporation de développement communautaire. Elle siège aussi
        à la table régionale des organismes communautaires, où elle suit les dossiers de sécurité alimentaire et
        de transport. Elle décrit une région rurale où les distances pèsent sur tout : l'épicerie, les services,
        l'emploi. Plusieurs familles n'ont pas de voiture et dépendent des voisins pour leurs courses.

        ## Financement

        L'organisme compte trois employées et une quarantaine de bénévoles. Son financement de base vient du
        programme de soutien à la mission globale, environ 71 000 $ par année, une somme qui a peu bougé depuis
        2008. Le reste vient de dons, d'une campagne annuelle et de projets ponctuels, dont un projet de cuisines
        collectives retenu au deuxième appel de l'Alliance régionale.
        """)
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    found = [s.passage for s in assistant.search("financement de base mission globale 71 000 $ par année")]
    funding = next(p for p in found if "71 000 $" in p.text)
    assert "Plessisville" not in funding.text and "à Plessisville" in funding.card
    answer = assistant.ask("De quel montant annuel le comptoir alimentaire de Plessisville dispose-t-il pour sa "
                           "mission de base ?",
                           answer_settings=settings.llm.model_copy(update={"answer_from": "evidence"}))
    assert "71 000 $" in answer.text


def test_a_record_card_is_read_in_its_colon_or_table_form_and_a_text_without_one_has_none() -> None:
    notes = "NOTES D'ENTRETIEN\n\nCode : ENT-BSL-02\nLieu : bureau du CLE, Rivière-du-Loup\nDurée : 1 h 25\n\nPARCOURS"
    table = "Élément | Détail\n\nCode | ENT-CDQ-02\n\nLieu | cuisine de l'organisme, à Plessisville\n\nDurée | 1 h 30\n"
    assert record_card(notes).splitlines() == ["ENT-BSL-02", "bureau du CLE, Rivière-du-Loup", "1 h 25"]
    assert "cuisine de l'organisme, à Plessisville" in record_card(table).splitlines()
    assert record_card("Objet : un seul champ.\nDate : le 3 mai 2013\n\nUne phrase qui suit.") == ""


def test_a_record_card_that_opens_the_second_passage_is_still_carried(settings: Settings, e5: E5Embeddings) -> None:
    # As ENT-CNO-03's: the card is too long to share the first passage with the title and the note.
    write_note(settings.corpus_dir / "entretiens" / "ent-cno-09.md", """
        titre: Entretien avec une citoyenne
        type: entretien
        regions: [Côte-Nord]
        date: 2014-02-20
        confidentialite: interne
        """, """
        # Notes d'entretien ENT-CNO-09 – Citoyenne

        *Document d'exemple fictif, produit pour les tests. Les personnes, les propos et les montants sont inventés.*

        - **Code :** ENT-CNO-09
        - **Projet :** Les Alliances pour la solidarité à l'épreuve du terrain, une recherche sur six régions du Québec
        - **Date :** le 20 février 2014, de 18 h 45 à 19 h 40, en soirée après le travail de la participante
        - **Lieu :** salle de réunion d'un organisme communautaire de Sept-Îles, prêtée gracieusement pour l'occasion
        - **Durée :** 55 minutes (écourté à la demande de la participante, qui devait aller chercher ses enfants)
        - **Participante :** Répondante J, femme dans la trentaine, mère seule de deux enfants, travailleuse à temps
          partiel, locataire à Sept-Îles; usagère de Paniers nordiques et du projet Logement accompagné
        - **Consentement :** formulaire signé; enregistrement autorisé; compensation remise selon le protocole
        - **Confidentialité :** confidentiel. La note décrit la situation financière et familiale de la participante
          et un litige avec son propriétaire, qu'elle nomme, ainsi que des propos critiques sur sa gestion.

        ## Situation

        J. travaille environ 25 heures par semaine comme caissière, au salaire minimum, surtout le soir.
        """)
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    found = [s.passage for s in assistant.search("caissière 25 heures par semaine salaire minimum")]
    work = next(p for p in found if "caissière" in p.text)
    assert "mère seule" not in work.text
    assert "mère seule de deux enfants" in work.card


def test_a_paraphrase_is_searched_by_bm25_again_with_the_words_of_the_passages_found_first(
        settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Asked from memory, the question shares one common word with its note: BM25 borrows the rarest words of the
    # passages found first, and searches again with them.
    from assistant.index.lexical import LexicalIndex, terms

    settings.retrieval.feedback_below_share = 0.4  # off by default (docs/answers.md, session 14)
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    searched: list[tuple[str, ...]] = []
    search = LexicalIndex.search
    monkeypatch.setattr(LexicalIndex, "search", lambda index, query, k, allowed, key, added_terms=():
                        searched.append(tuple(added_terms)) or search(index, query, k, allowed, key, added_terms))
    paraphrase = "Combien de hameaux sans commerce d'alimentation le camion dessert-il ?"
    found = assistant.search(paraphrase)
    assert found[0].passage.info.path == "entretiens/ent-lan-02.md"
    assert len(searched) == 2 and not searched[0]
    borrowed = set(searched[1])
    assert len(borrowed) == settings.retrieval.feedback_terms
    read = {term for source in found for term in terms(source.passage.text)}
    assert borrowed <= read and not borrowed & set(terms(paraphrase))
    # BM25's scores shown with the passages (which the refusal reads) stay those of the question's own words.
    own = dict(search(assistant.lexical, paraphrase, 50, lambda _: True, "tout"))
    assert all(source.scores.lexical == pytest.approx(own.get(source.passage.id, 0.0)) for source in found)

    searched.clear()  # the documents' own words: BM25 is sure of itself and searches once
    assistant.search("camion des Marchés solidaires de Matawinie")
    assert searched == [()]
    for off in ({"feedback_terms": 0}, {"feedback_below_share": 0.0}):  # either setting turns it off
        searched.clear()
        assistant.settings.retrieval = settings.retrieval.model_copy(update={"feedback_below_share": 0.4, **off})
        assistant.search(paraphrase)
        assert searched == [()]


def test_the_words_borrowed_for_a_paraphrase_are_the_rarest_of_the_first_passages_not_the_questions(
        settings: Settings, e5: E5Embeddings) -> None:
    from assistant.index.lexical import terms

    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    question = "Quand le camion est-il passé la première fois ?"
    first = "Le camion des Marchés solidaires de Matawinie a fait sa première tournée le 15 octobre 2012."
    later = "La répondante juge la reddition de comptes trop lourde : le gabarit imposé par la CRÉ compte 14 pages."
    borrowed = assistant.lexical.feedback_terms(question, [first, later], 4)
    assert len(borrowed) == 4 and not set(borrowed) & set(terms(question))
    assert borrowed[0] in terms(first) and terms("Matawinie")[0] in borrowed  # the first passage's rare words lead
    assert assistant.lexical.feedback_terms(question, [first], 0) == []
