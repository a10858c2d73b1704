"""Login and roles: hashed passwords in a users file, and confidentiality levels enforced inside the search."""

from __future__ import annotations

from pathlib import Path

import bcrypt
import pytest

from assistant.access import AccessDenied, AccessFileError, AccessPolicy, hash_password, load_users_file
from assistant.cli import main as cli_main
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings, WebSettings
from tests.web_support import PASSWORDS, scripted_model, write_users_file

CONFIDENTIAL_NOTE = "entretiens/ent-cno-03.md"
RENT_QUESTION = "De combien le loyer de la citoyenne de Sept-Îles a-t-il augmenté en 2013 ?"


def test_a_user_logs_in_with_the_password_whose_hash_is_in_the_file(tmp_path: Path) -> None:
    policy = load_users_file(write_users_file(tmp_path / "users.toml"), ("public",))
    assert policy.login_required
    assert policy.authenticate("marie", PASSWORDS["marie"])
    assert not policy.authenticate("marie", PASSWORDS["paul"])
    assert not policy.authenticate("inconnu", PASSWORDS["marie"])
    assert not policy.authenticate("marie", "x" * 100)
    assert policy.role_of("paul") == "partenaire"
    assert policy.levels_for("paul") == ("public", "interne")
    assert policy.levels_for("marie") == ("public", "interne", "confidentiel")


def test_the_file_never_holds_a_password_itself(tmp_path: Path) -> None:
    users = tmp_path / "users.toml"
    users.write_text('[roles]\nequipe = ["public"]\n[utilisateurs.marie]\nrole = "equipe"\nhachage = "secret"\n',
                     encoding="utf-8")
    with pytest.raises(AccessFileError, match="hachage bcrypt"):
        load_users_file(users, ("public",))


@pytest.mark.parametrize("content, message", [
    ('[roles]\nequipe = ["public", "secret"]\n', "niveau inconnu secret"),
    ('[roles]\nequipe = "public"\n', "liste de ses niveaux"),
    ('[roles]\nequipe = ["public"]\n[utilisateurs.marie]\nrole = "chef"\nhachage = "$2b$04$x"\n', "rôle « chef »"),
    ('[roles]\nequipe = ["public"]\n', "aucun utilisateur"),
    ("[roles\n", "mal formé"),
])
def test_a_mistake_in_the_users_file_is_named_in_french(tmp_path: Path, content: str, message: str) -> None:
    users = tmp_path / "users.toml"
    users.write_text(content, encoding="utf-8")
    with pytest.raises(AccessFileError, match=message):
        load_users_file(users, ("public",))


def test_without_login_the_settings_say_which_levels_are_served() -> None:
    policy = AccessPolicy.from_settings(WebSettings(open_levels=("public",)))
    assert not policy.login_required
    assert policy.levels_for(None) == ("public",)
    with pytest.raises(AccessFileError, match="niveau inconnu"):
        AccessPolicy.from_settings(WebSettings(open_levels=("public", "tout")))


def test_an_unknown_user_gets_no_level_at_all(tmp_path: Path) -> None:
    policy = load_users_file(write_users_file(tmp_path / "users.toml"), ("public", "interne"))
    with pytest.raises(AccessDenied):
        policy.levels_for(None)
    with pytest.raises(AccessDenied):
        policy.levels_for("intrus")


def test_hash_password_refuses_what_bcrypt_would_cut() -> None:
    with pytest.raises(ValueError, match="72 octets"):
        hash_password("é" * 40)
    with pytest.raises(ValueError, match="vide"):
        hash_password("")


def test_the_role_decides_what_the_search_can_return(settings: Settings, e5: E5Embeddings, tmp_path: Path) -> None:
    settings.web.users_file = write_users_file(tmp_path / "users.toml")
    assistant = Assistant(settings, embeddings=e5, chat_model=scripted_model())
    assistant.index()

    partner = assistant.search(RENT_QUESTION, assistant.filters_for("paul"))
    team = assistant.search(RENT_QUESTION, assistant.filters_for("marie"))

    assert partner and CONFIDENTIAL_NOTE not in {s.passage.info.path for s in partner}
    assert team[0].passage.info.path == CONFIDENTIAL_NOTE
    assert CONFIDENTIAL_NOTE not in assistant.indexed_documents(assistant.access.levels_for("paul"))
    assert CONFIDENTIAL_NOTE in assistant.indexed_documents(assistant.access.levels_for("marie"))


def test_the_cli_hashes_a_password_typed_twice(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    typed = iter(["longue phrase secrète", "longue phrase secrète", "une", "autre"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert cli_main(["mot-de-passe"]) == 0
    hashed = capsys.readouterr().out.strip()
    assert hashed.startswith("$2b$12$") and bcrypt.checkpw("longue phrase secrète".encode(), hashed.encode())
    assert cli_main(["mot-de-passe"]) == 2
    assert "diffèrent" in capsys.readouterr().err
