"""Each role asks for a document of each confidentiality level, through the service, the CLI and the web chat over
HTTP: it gets the documents of its levels, and nothing of the others (no passage, no fact, no title, no link)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.access import hash_password
from assistant.cli import EXIT_ERROR, EXIT_OK
from assistant.cli import main as cli_main
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings
from assistant.web.app import serving
from bench.web_load import ChatSession
from tests.conftest import build_tiny_corpus

ROLES = {"equipe": ("public", "interne", "confidentiel"), "partenaire": ("public", "interne"),
         "citoyen": ("public",)}
USERS = {"marie": "equipe", "paul": "partenaire", "lea": "citoyen"}
PASSWORD = "phrase de passe 2014"
# By level: a question only that level's document answers, the document, a fact of its answer, its title.
DOCUMENTS = {
    "public": ("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?",
               "ententes/entente-mauricie.pdf", "1 505 000", "Entente Alliance pour la solidarité – Mauricie"),
    "interne": ("Quand le camion des Marchés solidaires de Matawinie a-t-il fait sa première tournée ?",
                "entretiens/ent-lan-02.md", "15 octobre 2012", "Entretien avec une intervenante"),
    "confidentiel": ("De combien le loyer de la citoyenne de Sept-Îles a-t-il augmenté en 2013 ?",
                     "entretiens/ent-cno-03.md", "975 $", "Entretien avec une citoyenne de Sept-Îles"),
}
MATRIX = [(user, level) for user in USERS for level in DOCUMENTS]


def users_file(path: Path) -> Path:
    roles = "\n".join(f"{role} = {list(levels)!r}".replace("'", '"') for role, levels in ROLES.items())
    accounts = "\n".join(f'[utilisateurs.{user}]\nrole = "{role}"\nhachage = "{hash_password(PASSWORD, rounds=4)}"'
                         for user, role in USERS.items())
    path.write_text(f"[roles]\n{roles}\n\n{accounts}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def with_roles(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Assistant:
    """The tiny corpus indexed once for the module, three roles, extractive answers."""
    base = tmp_path_factory.mktemp("acces")
    corpus = build_tiny_corpus(base)
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", llm=LLMSettings(backend="extractive"))
    settings.web.users_file = users_file(base / "utilisateurs.toml")
    settings.web.feedback_db = base / "retours.sqlite3"
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    return assistant


def allowed(user: str, level: str) -> bool:
    return level in ROLES[USERS[user]]


def check(shown: str, paths: set[str], user: str, level: str) -> None:
    """What came back for this user and this level's question: the document and its fact, or nothing of it."""
    _, path, fact, title = DOCUMENTS[level]
    if allowed(user, level):
        assert path in paths and fact in shown, (user, level)
    else:
        assert path not in paths and fact not in shown and title not in shown, (user, level)
    for other_level, (_, other_path, other_fact, other_title) in DOCUMENTS.items():
        if not allowed(user, other_level):
            assert other_path not in paths and other_fact not in shown and other_title not in shown


@pytest.mark.parametrize("user, level", MATRIX)
def test_through_the_service(with_roles: Assistant, user: str, level: str) -> None:
    answer = with_roles.ask(DOCUMENTS[level][0], with_roles.filters_for(user))
    shown = answer.text + " ".join(s.passage.text + s.passage.info.title for s in answer.sources)
    check(shown, {source.passage.info.path for source in answer.sources}, user, level)


@pytest.mark.slow
def test_through_the_cli(with_roles: Assistant, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    settings = with_roles.settings
    monkeypatch.setattr("assistant.index.embeddings.make_embeddings", lambda _: e5)  # the same model, loaded once
    for name, value in (("CORPUS_DIR", settings.corpus_dir), ("INDEX_DIR", settings.index_dir),
                        ("LLM__BACKEND", "extractive"), ("WEB__USERS_FILE", settings.web.users_file)):
        monkeypatch.setenv(f"ASSISTANT_{name}", str(value))
    for user, level in MATRIX:
        assert cli_main(["ask", DOCUMENTS[level][0], "--role", USERS[user]]) == EXIT_OK
        shown = capsys.readouterr().out
        check(shown, {path for _, path, _, _ in DOCUMENTS.values() if path in shown}, user, level)
    assert cli_main(["ask", DOCUMENTS["public"][0], "--role", "intrus"]) == EXIT_ERROR
    assert "rôle inconnu « intrus »; rôles du fichier des utilisateurs : equipe, partenaire, citoyen" in \
        capsys.readouterr().err


@pytest.fixture(scope="module")
def server(with_roles: Assistant) -> Iterator[str]:
    with serving(with_roles) as url:
        yield url


@pytest.mark.slow
def test_through_the_web_chat_over_http(server: str) -> None:
    for user in USERS:
        chat = ChatSession(server, timeout=120)
        try:
            chat.login(user, PASSWORD)
            for level in DOCUMENTS:
                chat.new_conversation()
                reply = chat.ask(DOCUMENTS[level][0])
                shown = reply.answer + reply.panel
                check(shown, {path for _, path, _, _ in DOCUMENTS.values() if path in reply.panel}, user, level)
            summary, table, _ = chat.call("documents_view", [])
            listed = str(table)
            for level, (_, path, _, title) in DOCUMENTS.items():
                assert (path in listed) == allowed(user, level), (user, level)
        finally:
            chat.close()


@pytest.mark.slow
def test_the_web_chat_refuses_a_visitor_who_is_not_logged_in(server: str) -> None:
    chat = ChatSession(server, timeout=30)
    try:
        with pytest.raises(Exception, match="401|403|connexion|Not authenticated"):
            chat.ask(DOCUMENTS["public"][0])
        with pytest.raises(Exception, match="connexion refusée"):
            chat.login("paul", "mauvais mot de passe")
    finally:
        chat.close()
