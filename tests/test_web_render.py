"""What the chat shows, without a browser: citation links, highlighted support, the export, the documents tab."""

from __future__ import annotations

from assistant.index.manifest import FileRecord, IndexedDocument, Manifest
from assistant.models import (OCR_LABEL, Answer, DocumentInfo, Exchange, Passage, PassageScores, SearchFilters,
                              SentenceCheck, Source)
from assistant.web.conversation import Conversation, Turn
from assistant.web.documents import document_rows, failed_rows, index_summary
from assistant.web.files import LinkSigner
from assistant.web.sources import describe_filters, format_date, linked_markers, sources_panel
from assistant.web.viewer import viewer_html

LINKS = LinkSigner(hours=1, secret=b"cle de test")
AGREEMENT = DocumentInfo("ententes/entente-mauricie.pdf", "Entente – Mauricie", doc_type="entente",
                         regions=("Mauricie",), date="2012-04-17", confidentiality="public")
NOTE = DocumentInfo("entretiens/ent-lan-02.md", "Entretien <Matawinie>", doc_type="entretien",
                    regions=("Lanaudière",), date="2013-09", confidentiality="interne")
PAYMENT = "Article 6. La ministre verse à la CRÉ de la Mauricie 1 505 000 $ pour l'exercice 2013-2014."
SOURCES = [Source(1, Passage("p-1", PAYMENT, AGREEMENT, 2, "2", 0, len(PAYMENT)), PassageScores(0.9)),
           Source(2, Passage("n-1", "Le camion fait neuf villages.", NOTE, None, "", 0, 29), PassageScores(0.5))]


def test_each_marker_links_to_its_passage_and_names_it_on_hover() -> None:
    html = linked_markers("La ministre verse 1 505 000 $ [1]. Le camion passe [2, 7].", SOURCES, LINKS)
    assert 'href="sources/p-1?jeton=' in html and 'title="Entente – Mauricie, page 2"' in html
    assert 'href="sources/n-1?jeton=' in html and 'title="Entretien &lt;Matawinie&gt;"' in html
    assert "[7]" in html and "sources/7" not in html


def test_the_panel_lists_cited_sources_with_their_facts_and_the_filters() -> None:
    answer = Answer("Combien ?", "La ministre verse 1 505 000 $ [1].", SOURCES)
    filters = SearchFilters(("public", "interne"), ("entente",), ("Mauricie",), 2012, None)
    panel = sources_panel(answer, filters, LINKS)
    assert "Sources citées (1)" in panel and "Entretien" not in panel
    for fact in ("Entente – Mauricie", "Mauricie", "17 avril 2012", "<dt>Page</dt><dd>2</dd>",
                 '<mark class="term">1 505 000 $</mark>', "documents/ententes/entente-mauricie.pdf?jeton=", "#page=2"):
        assert fact in panel
    assert "Filtres appliqués — types : Entente; régions : Mauricie; années : 2012 à …" in panel
    assert "Niveaux consultés : public, interne" in panel


def test_an_answer_that_cites_nothing_shows_the_closest_passages() -> None:
    panel = sources_panel(Answer("Et alors ?", "Je ne sais pas.", SOURCES), SearchFilters(), LINKS)
    assert "ne cite aucune source" in panel and "Entente – Mauricie" in panel and "Entretien" in panel


def test_dates_and_filters_read_in_french() -> None:
    assert [format_date(d) for d in ("2012-04-17", "2013-09", "2014", "")] == ["17 avril 2012", "septembre 2013",
                                                                              "2014", ""]
    assert describe_filters(SearchFilters()) == ""


def test_the_export_holds_each_question_answer_filters_and_sources() -> None:
    conversation = Conversation(user="marie")
    filters = SearchFilters(regions=("Mauricie",))
    conversation.turns.append(Turn(Answer("Combien ?", "La ministre verse 1 505 000 $ [1].", SOURCES), filters,
                                   done=True))
    conversation.turns.append(Turn(Answer("Et ensuite ?", "La CRÉ remet", SOURCES), SearchFilters(), done=True,
                                   stopped=True))
    text = conversation.markdown("equipe")
    assert "par marie (equipe)" in text
    assert "## Question 1\n\nCombien ?" in text and "*Filtres appliqués — régions : Mauricie*" in text
    assert "1. **Entente – Mauricie** — Entente · Mauricie · 17 avril 2012, page 2 — `ententes/entente-mauricie.pdf`" \
        in text
    assert "La ministre verse 1 505 000 \\$ \\[1\\]." in text
    assert "   > Article 6." in text
    assert "## Question 2" in text and "*Réponse interrompue.*" in text


def test_the_chat_shows_one_message_per_question_and_answer() -> None:
    conversation = Conversation()
    conversation.turns.append(Turn(Answer("Combien ?", "Un montant [1].", SOURCES), SearchFilters(("public",),
                                                                                                  ("entente",))))
    messages = conversation.messages(LINKS)
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert 'class="cite"' in messages[1]["content"] and "types : Entente" in messages[1]["content"]
    assert conversation.answering


def test_the_documents_tab_shows_only_what_the_role_may_see() -> None:
    manifest = Manifest(documents={
        AGREEMENT.path: IndexedDocument("h1", AGREEMENT.title, "entente", ["a", "b", "c"], 3),
        NOTE.path: IndexedDocument("h2", NOTE.title, "entretien", ["d"], 1),
        "entretiens/secret.md": IndexedDocument("h3", "Secret", "entretien", ["e"], 1),
    }, last_run="2026-11-26T08:15:02")
    rows = document_rows(manifest, {AGREEMENT.path: AGREEMENT, NOTE.path: NOTE}, LINKS)
    assert [row[-1] for row in rows] == [AGREEMENT.path, NOTE.path]
    assert rows[0][0].startswith('<a href="documents/ententes/entente-mauricie.pdf?jeton=')
    assert rows[0][0].endswith('target="_blank">Entente – Mauricie</a>')
    assert rows[0][1:6] == ["Entente", "Mauricie", "17 avril 2012", 3, 3]
    assert rows[1][0].endswith(">Entretien &lt;Matawinie&gt;</a>")
    summary = index_summary(manifest, 2, ("public", "interne"))
    assert "**2 documents**" in summary and "2026-11-26 08:15" in summary


def test_failed_files_are_named_only_to_roles_that_see_every_level() -> None:
    manifest = Manifest(files={"entretiens/scan.pdf": FileRecord(failures={
        "entretiens/scan.pdf": "PDF sans couche texte (document numérisé ?)"})}, last_run="2026-11-26T08:15:02",
        documents={AGREEMENT.path: IndexedDocument("h1", AGREEMENT.title, "entente", ["a"], 3)})
    assert failed_rows(manifest, ("public", "interne", "confidentiel")) == [
        ["entretiens/scan.pdf", "PDF sans couche texte (document numérisé ?)"]]
    assert failed_rows(manifest, ("public", "interne")) == []
    assert "1 fichier(s) en échec" in index_summary(manifest, 1, ("public", "interne"))
    assert "scan.pdf" not in index_summary(manifest, 1, ("public", "interne"))


def test_a_document_of_a_jsonl_corpus_is_listed_without_serving_the_whole_file() -> None:
    line = DocumentInfo("corpus.jsonl", "Fiche 12", doc_id="fiche-12", doc_type="fiche-projet")
    manifest = Manifest(documents={"corpus.jsonl#fiche-12": IndexedDocument(
        "h", line.title, "fiche-projet", ["x"], 1, path="corpus.jsonl", doc_id="fiche-12")})
    [row] = document_rows(manifest, {"fiche-12": line}, LINKS)
    assert row[0] == "Fiche 12" and row[-1] == "corpus.jsonl (fiche-12)"


def test_the_panel_shows_the_support_check_and_the_sentences_it_removed() -> None:
    answer = Answer("Combien ?", "La ministre verse 1 505 000 $ [1].", SOURCES, checks=[
        SentenceCheck("La ministre verse 1 505 000 $ [1].", (1,), (2,), "recited", 0.9),
        SentenceCheck("Les licornes financent le projet.", (), (1,), "unsupported", 0.1)])
    panel = sources_panel(answer, SearchFilters(), LINKS)
    assert "<dt>Vérification</dt><dd>citation corrigée par la vérification</dd>" in panel
    assert "Phrases retirées par la vérification" in panel and "<li>Les licornes financent le projet.</li>" in panel
    conversation = Conversation()
    conversation.turns.append(Turn(answer, SearchFilters(), done=True))
    exported = conversation.markdown("")
    assert "   Vérification : citation corrigée par la vérification" in exported
    assert "- Les licornes financent le projet." in exported


def test_a_refusal_says_why_and_shows_the_closest_passages() -> None:
    answer = Answer("Et la Lune ?", "Je ne trouve pas cette information dans le corpus.", SOURCES, refused=True,
                    refusal_reason="« Lune » : absent des passages trouvés.", search_query="Et la Lune ?")
    panel = sources_panel(answer, SearchFilters(), LINKS)
    assert "Pas de réponse dans le corpus" in panel and "« Lune » : absent des passages trouvés." in panel
    assert panel.count('class="source-card"') == 2
    assert "Passages consultés (2)" in panel and "Source" not in panel.replace("source-", "")
    conversation = Conversation()
    conversation.turns.append(Turn(answer, SearchFilters(), done=True))
    exported = conversation.markdown("")
    assert "### Passages consultés" in exported and "### Sources" not in exported


def test_a_follow_up_is_asked_with_the_finished_exchanges_and_shows_how_it_was_searched() -> None:
    conversation = Conversation()
    conversation.turns.append(Turn(Answer("Combien en Mauricie ?", "1 505 000 $ [1].", SOURCES), SearchFilters(),
                                   done=True))
    conversation.turns.append(Turn(Answer("Et en 2014-2015 ?", ""), SearchFilters()))
    assert conversation.history() == [Exchange("Combien en Mauricie ?", "1 505 000 $ [1].")]
    answer = Answer("Et en 2014-2015 ?", "Aussi 1 505 000 $ [1].", SOURCES,
                    search_query="Combien en Mauricie ? 1 505 000 $. Et en 2014-2015 ?")
    assert "recherche faite avec : « Combien en Mauricie ? 1 505 000 $. Et en 2014-2015 ? »" in sources_panel(
        answer, SearchFilters(), LINKS)


def test_markup_in_an_answer_or_a_question_is_shown_as_text_and_never_becomes_a_link() -> None:
    text = "Le [formulaire](javascript:alert(1)) <img src=x onerror=alert(1)> coûte 5 $ & plus [1]."
    html = linked_markers(text, SOURCES, LINKS)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "\\[formulaire\\](javascript:alert(1))" in html and "&amp; plus" in html
    assert html.endswith('title="Entente – Mauricie, page 2">[1]</a>.')
    conversation = Conversation()
    conversation.turns.append(Turn(Answer("<script>x</script> [lien](http://a)", ""), SearchFilters()))
    assert conversation.messages(LINKS)[0]["content"] == "&lt;script&gt;x&lt;/script&gt; \\[lien\\](http://a)"


HOSTILE_TITLE = "Bilan 2013 ![](http://127.0.0.2:9/beacon.png) $$x^2$$ <b>gras</b> [lien](javascript:alert(1))"


def test_a_hostile_title_is_plain_text_in_the_documents_tab_the_cards_the_viewer_and_the_export() -> None:
    hostile = DocumentInfo("rapports/bilan `2013`.md", HOSTILE_TITLE, doc_type="rapport", regions=("Estrie <i>",),
                           date="2013", confidentiality="public")
    passage = Passage("b-1", "Le bilan ![x](http://127.0.0.2:9/x.png) compte $$y$$.", hostile, None, "", 0, 52)
    answer = Answer("Et le bilan ?", "Le bilan compte [1].", [Source(1, passage, 0.9)])

    [row] = document_rows(Manifest(documents={hostile.path: IndexedDocument("h", hostile.title, "rapport", ["b-1"],
                                                                            1)}), {hostile.path: hostile}, LINKS)
    shown = row[0].split('target="_blank">')[1]
    assert shown == "Bilan 2013 ![](http://127.0.0.2:9/beacon.png) $$x^2$$ &lt;b&gt;gras&lt;/b&gt; " \
        "[lien](javascript:alert(1))</a>"
    panel = sources_panel(answer, SearchFilters(), LINKS)
    assert "&lt;b&gt;gras&lt;/b&gt;" in panel and "<b>" not in panel and "<img" not in panel
    assert "Estrie &lt;i&gt;" in panel
    page = viewer_html(passage, None, "", "")
    assert "<h1>Bilan 2013 ![](http://127.0.0.2:9/beacon.png) $$x^2$$ &lt;b&gt;gras" in page
    assert "<img" not in page and "<script" not in page

    conversation = Conversation()
    conversation.turns.append(Turn(answer, SearchFilters(), done=True))
    exported = conversation.markdown("")
    assert "**Bilan 2013 \\!\\[\\](http://127.0.0.2:9/beacon.png) \\$\\$x^2\\$\\$ \\<b\\>gras\\</b\\> " \
        "\\[lien\\](javascript:alert(1))**" in exported
    assert "Estrie \\<i\\>" in exported and "``rapports/bilan `2013`.md``" in exported
    assert "> Le bilan \\!\\[x\\](http://127.0.0.2:9/x.png) compte \\$\\$y\\$\\$." in exported
    assert "](http" not in exported.replace("\\](http", "")  # no unescaped link or image anywhere


def test_a_passage_read_by_ocr_says_so_on_its_card() -> None:
    scanned = Passage("s-1", PAYMENT, AGREEMENT, 2, "2", 0, len(PAYMENT), ocr=True)
    answer = Answer("Combien ?", "La ministre verse 1 505 000 $ [1].", [Source(1, scanned, PassageScores(0.9))])
    assert f"<dt>Texte</dt><dd>{OCR_LABEL}</dd>" in sources_panel(answer, SearchFilters(), LINKS)
    typed = Answer("Combien ?", "La ministre verse 1 505 000 $ [1].", SOURCES)
    assert OCR_LABEL not in sources_panel(typed, SearchFilters(), LINKS)


def test_the_side_viewer_opens_only_a_source_this_conversation_shows_with_the_marks_of_its_answer() -> None:
    import gradio as gr

    from assistant.web.side_viewer import GONE, SideViewer, cited_source

    conversation = Conversation()
    conversation.turns.append(Turn(Answer("Combien ?", "La ministre verse 1 505 000 $ [1].", SOURCES), SearchFilters(),
                                   done=True))
    assert cited_source(conversation, "p-1") == (conversation.turns[0].answer, SOURCES[0])
    assert cited_source(conversation, "n-1") is None  # found by the search, but the answer shows only [1]
    viewer = SideViewer(None, LINKS)  # type: ignore[arg-type] # never reached: the link names no shown source
    shown = viewer.open(conversation, None, gr.EventData(None, {"link": "sources/n-1?jeton=1.abc"}))  # type: ignore
    assert GONE.replace("'", "&#x27;") in shown

    rendered = viewer.render(conversation.turns[0].answer, SOURCES[0], LINKS, None)
    assert "[1] Entente – Mauricie" in rendered and "Ouvrir en pleine page" in rendered
    assert '<mark class="passage term">1 505 000 $</mark>' in rendered and 'id="passage"' in rendered
    assert "<img" not in rendered  # the document could not be read again: no page image, the passage as indexed
    assert "le passage cité est montré tel qu'il a été indexé" in rendered
