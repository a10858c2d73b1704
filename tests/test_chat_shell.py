"""Around the chat, without a browser: conversations kept per owner in SQLite (reopened whole, deleted for good,
never another owner's), a conversation restricted to chosen documents within the role's levels, suggested
follow-up questions, and Gradio's page served in French."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest

from assistant.conversations import (ConversationStore, StoredConversation, StoredTurn, browser_owner,
                                     user_owner)
from assistant.index.embeddings import E5Embeddings
from assistant.models import (Answer, DocumentInfo, Passage, PassageScores, SearchFilters, SentenceCheck, Source,
                              Verdict)
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.browsers import BROWSER_COOKIE, owner_of
from assistant.web.events import ChatEvents
from assistant.web.files import LinkSigner
from assistant.web.french_ui import french_page
from assistant.web.sessions import BrowserSessions
from assistant.web.shell import NOT_YOURS, ShellEvents
from assistant.web.suggestions import follow_up_questions
from tests.web_support import scripted_model, write_users_file

AGREEMENT = DocumentInfo("ententes/entente-mauricie.pdf", "Entente Alliance pour la solidarité – Mauricie",
                         doc_type="entente", regions=("Mauricie",), date="2012-04-17", confidentiality="public")
REPORT = DocumentInfo("rapports/bilan.md", "Bilan régional", doc_type="rapport", regions=("Mauricie", "Lanaudière"),
                      date="2014-03-01", confidentiality="public")
QUESTION = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
PAYMENT = "La ministre verse à la CRÉ de la Mauricie 1 505 000 $ pour l'exercice 2013-2014."
CONFIDENTIAL_NOTE = "entretiens/ent-cno-03.md"


def answer(*infos: DocumentInfo, sections: tuple[str, ...] = (), question: str = QUESTION) -> Answer:
    sources = [Source(n, Passage(f"p-{n}", PAYMENT, info, 2, "2", 0, len(PAYMENT),
                                 section=sections[n - 1] if n <= len(sections) else ""), PassageScores(0.8, 0.7, 3.0),
                      focus=(0, 20))
               for n, info in enumerate(infos, start=1)]
    markers = "".join(f"[{n}]" for n in range(1, len(infos) + 1))
    checks = [SentenceCheck(f"La ministre verse 1 505 000 $ {markers}.", tuple(range(1, len(infos) + 1)),
                            tuple(range(1, len(infos) + 1)), Verdict.SUPPORTED, 0.9, basis="bound",
                            evidence=((1, 0, len(PAYMENT)),))]
    return Answer(question, f"La ministre verse 1 505 000 $ {markers}.", sources, checks, search_query=question,
                  complete=True)


def conversation(owner: str, conversation_id: str = "c-1") -> StoredConversation:
    filters = SearchFilters(("public", "interne"), doc_types=("entente",), year_from=2012,
                            documents=(AGREEMENT.doc_id,))
    return StoredConversation(conversation_id, owner, [StoredTurn(answer(AGREEMENT), filters, rating="positif")])


def test_a_conversation_is_reopened_whole_with_its_sources_checks_filters_and_rating(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    kept = conversation(user_owner("marie"))
    assert store.save(kept)

    reopened = ConversationStore(tmp_path / "conversations.sqlite3").load(user_owner("marie"), "c-1")

    assert reopened is not None and reopened.turns == kept.turns
    assert reopened.turns[0].answer.checks[0].label.startswith("chiffre trouvé dans la source")
    assert [s.title for s in store.summaries(user_owner("marie"))] == [QUESTION]


def test_an_owner_never_lists_opens_overwrites_or_deletes_another_owners_conversation(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    store.save(conversation(user_owner("marie")))

    assert store.summaries(user_owner("paul")) == []
    assert store.load(user_owner("paul"), "c-1") is None
    assert not store.save(conversation(user_owner("paul")))  # the same id, from someone else: nothing written
    assert not store.delete(user_owner("paul"), "c-1")
    assert store.load(user_owner("marie"), "c-1") is not None


def test_deleting_a_conversation_removes_its_row(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    store.save(conversation(user_owner("marie"), "c-1"))
    store.save(conversation(user_owner("marie"), "c-2"))

    assert store.delete(user_owner("marie"), "c-1")

    with closing(sqlite3.connect(tmp_path / "conversations.sqlite3")) as db:
        assert db.execute("SELECT id FROM conversations").fetchall() == [("c-2",)]


def test_a_browser_key_outlives_a_restart_and_a_made_up_one_is_refused(tmp_path: Path) -> None:
    key = ConversationStore(tmp_path / "conversations.sqlite3").new_browser_key()
    after_restart = ConversationStore(tmp_path / "conversations.sqlite3")

    assert after_restart.knows_browser(key)
    token, _, signature = key.partition(".")
    for forged in (token, f"{token}.", f"{token}.{'0' * len(signature)}", f"autre.{signature}", "", "."):
        assert not after_restart.knows_browser(forged)
    assert not ConversationStore(tmp_path / "autre.sqlite3").knows_browser(key)
    # The owner is derived from the key: the file never holds a key a cookie could be made from.
    assert key not in browser_owner(key)
    assert owner_of(None, f"x=1; {BROWSER_COOKIE}={key}") == browser_owner(key)
    assert owner_of("marie", f"{BROWSER_COOKIE}={key}") == user_owner("marie")
    assert owner_of(None, "") is None


def request_of(user: str | None, cookie: str = "") -> gr.Request:
    return SimpleNamespace(username=user, headers={"cookie": cookie})  # type: ignore[return-value]


def test_a_user_cannot_open_or_delete_another_users_conversation_through_the_page(
        settings: Settings, tmp_path: Path) -> None:
    settings.web.users_file = write_users_file(tmp_path / "users.toml")
    assistant = Assistant(settings, chat_model=scripted_model())
    assistant.conversations.save(conversation(user_owner("marie"), "de-marie"))
    shell = ShellEvents(assistant, ChatEvents(assistant, LinkSigner(1), BrowserSessions(idle_seconds=60)))

    for event in (shell.open, shell.delete):
        with pytest.raises(gr.Error, match=NOT_YOURS):
            event("de-marie", None, request_of("paul"))
    assert shell.listing(request_of("paul"))["choices"] == []
    assert assistant.conversations.load(user_owner("marie"), "de-marie") is not None


def test_a_partner_never_reaches_a_confidential_document_by_naming_it(settings: Settings, e5: E5Embeddings,
                                                                     tmp_path: Path) -> None:
    settings.web.users_file = write_users_file(tmp_path / "users.toml")
    assistant = Assistant(settings, embeddings=e5, chat_model=scripted_model())
    assistant.index()
    rent = "De combien le loyer de la citoyenne de Sept-Îles a-t-il augmenté en 2013 ?"

    partner = assistant.search(rent, assistant.filters_for("paul", documents=(CONFIDENTIAL_NOTE,)))
    team = assistant.search(rent, assistant.filters_for("marie", documents=(CONFIDENTIAL_NOTE,)))
    shell = ShellEvents(assistant, ChatEvents(assistant, LinkSigner(1), BrowserSessions(idle_seconds=60)))

    assert partner == []
    assert team and {s.passage.info.path for s in team} == {CONFIDENTIAL_NOTE}
    assert shell.only_visible([CONFIDENTIAL_NOTE, AGREEMENT.doc_id], request_of("paul")) == [AGREEMENT.doc_id]


def test_a_restriction_to_documents_is_one_more_clause_on_both_searches() -> None:
    restricted = SearchFilters(("public",), documents=("a.pdf", "b.md"))
    assert {"doc_id": {"$in": ["a.pdf", "b.md"]}} in restricted.to_where()["$and"]
    assert restricted.matches({"confidentiality": "public", "doc_id": "a.pdf"})
    assert not restricted.matches({"confidentiality": "public", "doc_id": "c.md"})
    assert not restricted.matches({"confidentiality": "confidentiel", "doc_id": "a.pdf"})


def test_follow_ups_come_from_the_cited_sections_the_next_year_the_other_regions_and_the_type() -> None:
    suggested = follow_up_questions(answer(AGREEMENT, REPORT, sections=("Article 6 – Contribution financière",)),
                                    limit=5)
    assert suggested == [
        "Que dit « Entente Alliance pour la solidarité – Mauricie » dans la section « Article 6 – Contribution "
        "financière » ?",
        "Et pour l'exercice 2014-2015 ?",
        "Qu'en est-il pour la région Lanaudière ?",
        "Que disent les autres ententes sur ce sujet ?",
        "Que disent les autres rapports sur ce sujet ?",
    ]
    assert len(follow_up_questions(answer(AGREEMENT, REPORT, sections=("Article 6",)))) == 3


def test_no_follow_up_repeats_the_question_and_none_follows_a_refusal() -> None:
    asked = "Que dit l'article 6 sur la contribution financière des ententes ?"
    section = "Chapitre 2 — Article 6 – Contribution financière"
    suggested = follow_up_questions(answer(AGREEMENT, sections=(section,), question=asked))
    assert suggested == []  # the section is the question's, no year to follow, one region, ententes named
    refused = answer(AGREEMENT)
    refused.refused = True
    assert follow_up_questions(refused) == []
    assert follow_up_questions(Answer(QUESTION, "Rien.", answer(AGREEMENT).sources)) == []  # cites nothing


def test_gradios_page_is_served_in_french_with_the_locale_pinned_before_its_scripts() -> None:
    page = french_page('<!doctype html><html lang="en"><head><script type="module" src="x.js"></script></head>')
    assert page.startswith('<!doctype html><html lang="fr-CA"><head><script>')
    assert page.index("navigator") < page.index('type="module"')
    assert "Liked" in page and "Vous aimez cette réponse" in page
