"""Only files inside the corpus folder are ever served, and only through links the server signed for the browser
session that asks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.app import create_server
from assistant.web.files import LinkSigner, OutsideCorpus, Reader, document_subject, resolve_corpus_file
from assistant.web.marks import marks_query
from assistant.web.sessions import SESSION_COOKIE
from tests.web_support import scripted_model

AGREEMENT = "ententes/entente-mauricie.pdf"


SERVER_LINKS = LinkSigner(hours=1, secret=b"cle de test")


@pytest.fixture
def client(settings: Settings, e5: E5Embeddings, tmp_path: Path) -> Iterator[TestClient]:
    """The server's routes on the tiny corpus, with a secret outside the corpus folder beside it; the client has
    opened the page once, so it holds its browser session cookie."""
    (tmp_path / "secret.txt").write_text("mot de passe de la base", encoding="utf-8")
    assistant = Assistant(settings, embeddings=e5, chat_model=scripted_model())
    assistant.index()
    with TestClient(create_server(assistant, SERVER_LINKS)) as test_client:
        test_client.get("/")
        yield test_client


@pytest.fixture
def links(client: TestClient) -> LinkSigner:
    """Links as the server signs them for this client's browser session."""
    return SERVER_LINKS.for_reader(Reader(client.cookies[SESSION_COOKIE]))


def signed(links: LinkSigner, path: str) -> str:
    return f"/documents/{path}?jeton={links.token(document_subject(path))}"


@pytest.mark.parametrize("relative", [
    "../secret.txt", "ententes/../../secret.txt", "/etc/passwd", "ententes\\..\\..\\secret.txt", "",
    "entretiens/ent-lan-02.md\x00.pdf", ".cache/x", "ententes/absent.pdf", "ententes",
])
def test_paths_that_leave_the_corpus_or_name_no_file_are_refused(tiny_corpus: Path, relative: str) -> None:
    with pytest.raises(OutsideCorpus):
        resolve_corpus_file(tiny_corpus, relative)


def test_a_symbolic_link_out_of_the_corpus_is_refused_one_inside_is_followed(tiny_corpus: Path,
                                                                            tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (tiny_corpus / "fuite.txt").symlink_to(tmp_path / "secret.txt")
    (tiny_corpus / "raccourci.pdf").symlink_to(tiny_corpus / AGREEMENT)
    with pytest.raises(OutsideCorpus):
        resolve_corpus_file(tiny_corpus, "fuite.txt")
    assert resolve_corpus_file(tiny_corpus, "raccourci.pdf") == (tiny_corpus / AGREEMENT).resolve()


def test_a_signed_link_is_bound_to_its_subject_its_session_and_user_and_expires() -> None:
    marie = Reader("session-de-marie", "marie")
    links = SERVER_LINKS.for_reader(marie)
    token = links.token("document:a.pdf")
    assert links.verify("document:a.pdf", token, marie)
    assert not links.verify("document:b.pdf", token, marie)
    assert not links.verify("document:a.pdf", token, Reader("session-de-paul", "marie"))
    assert not links.verify("document:a.pdf", token, Reader("session-de-marie", "paul"))
    assert not links.verify("document:a.pdf", token[:-1] + ("0" if token[-1] != "0" else "1"), marie)
    assert not LinkSigner(hours=1).verify("document:a.pdf", token, marie)
    expired = LinkSigner(hours=-2, secret=b"cle de test", reader=marie).token("document:a.pdf")
    assert int(expired.split(".")[0]) < time.time() and not links.verify("document:a.pdf", expired, marie)
    assert not links.verify("document:a.pdf", "n'importe quoi", marie)
    # A link issued without a session is never valid.
    assert not SERVER_LINKS.verify("document:a.pdf", SERVER_LINKS.token("document:a.pdf"), Reader())
    assert int(token.split(".")[0]) - time.time() <= SERVER_LINKS.hours * 3600 + 600


def test_the_agreement_pdf_opens_inline_at_its_page_and_a_note_as_utf8_text(client: TestClient,
                                                                            links: LinkSigner) -> None:
    assert links.document_link(AGREEMENT, 2).endswith("#page=2")
    response = client.get(signed(links, AGREEMENT))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    note = client.get(signed(links, "entretiens/ent-lan-02.md"))
    assert note.status_code == 200 and note.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Marchés solidaires de Matawinie" in note.text


def test_unsigned_borrowed_or_escaping_links_are_refused(client: TestClient, links: LinkSigner) -> None:
    assert client.get(f"/documents/{AGREEMENT}").status_code == 403
    borrowed = links.token(document_subject("entretiens/ent-lan-02.md"))
    response = client.get(f"/documents/entretiens/ent-cno-03.md?jeton={borrowed}")
    assert response.status_code == 403 and "invalide ou a expiré" in response.text
    # Even a link the server signed cannot leave the corpus, nor reach a file that is not an indexed document.
    for path in ("../secret.txt", "%2e%2e/secret.txt", "ententes/%2e%2e/%2e%2e/secret.txt", "%2Fetc%2Fpasswd",
                 "..%5csecret.txt", "ententes/entente-mauricie.pdf.meta.yaml"):
        token = links.token(document_subject(unquote(path)))
        response = client.get(f"/documents/{path}?jeton={token}")
        assert response.status_code == 404, path
        assert "mot de passe de la base" not in response.text


def test_the_viewer_shows_the_cited_page_with_the_passage_highlighted(client: TestClient, links: LinkSigner,
                                                                      settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    source = assistant.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")[0]
    page = client.get("/" + links.passage_link(source.passage))

    assert page.status_code == 200
    assert "Page 2 (2 sur 3)" in page.text
    assert '<mark class="passage" id="passage">Article 6 – Contribution financière.' in page.text
    assert "Reddition de comptes" not in page.text  # page 3 is not shown
    assert f'href="../documents/{AGREEMENT}?jeton=' in page.text and "#page=2" in page.text
    image_link = page.text.split('<img src="')[1].split('"')[0].replace("&amp;", "&")
    image = client.get(f"/sources/{image_link}")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    gone = client.get("/" + links.passage_link(replace(source.passage, id="disparu-00001")))
    assert gone.status_code == 404 and "Posez la question de nouveau" in gone.text


def test_a_citation_s_link_marks_the_sentence_that_holds_the_answer_in_the_text_and_on_the_page_image(
        client: TestClient, links: LinkSigner, settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    source = assistant.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")[0]
    text = source.passage.text
    sentence = (text.index("La ministre"), text.index("2013-2014,") + len("2013-2014"))
    figure = (text.index("1 505 000 $"), text.index("1 505 000 $") + len("1 505 000 $"))
    marks = marks_query({"support": [sentence], "term": [figure]})

    page = client.get("/" + links.passage_link(source.passage, marks))

    assert page.status_code == 200
    assert '<mark class="support passage" id="passage">La ministre verse à la CRÉ de la Mauricie </mark>' in page.text
    assert '<mark class="support passage term">1 505 000 $</mark>' in page.text
    assert '<mark class="passage">Article 6 – Contribution financière. </mark>' in page.text
    marked_image = page.text.split('<img src="')[1].split('"')[0].replace("&amp;", "&")
    assert "phrases=" in marked_image
    whole = client.get("/" + links.passage_link(source.passage)).text.split('<img src="')[1].split('"')[0]
    assert client.get(f"/sources/{marked_image}").content != client.get(f"/sources/{whole}").content
    nonsense = client.get("/" + links.passage_link(source.passage, "&phrases=9-2.x-y.0-999999&termes=<b>"))
    assert nonsense.status_code == 200 and '<mark class="passage" id="passage">' in nonsense.text


def test_a_linked_folder_leading_out_of_the_corpus_and_doubly_encoded_or_lookalike_paths_are_refused(
        client: TestClient, links: LinkSigner, tiny_corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "secret.txt").write_text("mot de passe de la base", encoding="utf-8")
    (tiny_corpus / "dossier-lie").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutsideCorpus):
        resolve_corpus_file(tiny_corpus, "dossier-lie/secret.txt")
    # As the server receives them: doubly encoded dots and slashes, overlong UTF-8, full-width dots, an encoded NUL.
    for path in ("dossier-lie/secret.txt", "%252e%252e/secret.txt", "%252e%252e%252fsecret.txt",
                 "%c0%ae%c0%ae/secret.txt", "\uff0e\uff0e/secret.txt", "ententes/%2e%2e%2f%2e%2e%2fsecret.txt",
                 "entretiens/ent-lan-02.md%00.pdf", "..;/secret.txt"):
        token = links.token(document_subject(unquote(path)))
        response = client.get(f"/documents/{path}?jeton={token}")
        assert response.status_code in (403, 404), path
        assert "mot de passe de la base" not in response.text, path
    # A passage id that tries to climb is only ever a signed subject: refused before any file is touched.
    response = client.get(f"/sources/..%2f..%2fsecret.txt?jeton={links.token('passage:../../secret.txt')}")
    assert response.status_code == 404 and "mot de passe de la base" not in response.text


def test_without_login_a_link_copied_to_another_browser_is_refused(client: TestClient, links: LinkSigner) -> None:
    link = signed(links, "entretiens/ent-lan-02.md")
    assert client.get(link).status_code == 200
    other_browser = TestClient(client.app)
    response = other_browser.get(link)
    assert response.status_code == 403 and "hors de la session qui l&#x27;a reçu" in response.text
    assert SESSION_COOKIE in other_browser.cookies  # it got a session of its own, not the link's
    assert "Marchés solidaires" not in response.text
