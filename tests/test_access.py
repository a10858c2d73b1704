"""Login and roles: hashed passwords in a users file, and confidentiality levels enforced inside the search."""

from __future__ import annotations

from pathlib import Path

import bcrypt
import pytest

from assistant.access import (AccessDenied, AccessFileError, AccessPolicy, LoginLimits, LoginThrottle, hash_password,
                              load_users_file)
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


def test_wrong_passwords_make_the_next_attempts_wait_then_lock_until_the_admin_unlocks(tmp_path: Path) -> None:
    now = [1000.0]
    throttle = LoginThrottle(tmp_path / "connexions.sqlite3", LoginLimits(5, 10, 900.0), clock=lambda: now[0])
    for _ in range(5):
        assert throttle.wait_before("marie", "10.0.0.1") == 0
        throttle.record("marie", "10.0.0.1", success=False)
    # After 5 failures, each next attempt waits: the name from any address, and the address for any name.
    assert throttle.wait_before("marie", "10.0.0.2") == 1.0
    assert throttle.wait_before("paul", "10.0.0.1") == 1.0
    assert throttle.wait_before("paul", "10.0.0.2") == 0
    waits = []
    for _ in range(5):
        now[0] += throttle.wait_before("marie", "10.0.0.1")
        throttle.record("marie", "10.0.0.1", success=False)
        waits.append(throttle.wait_before("marie", "10.0.0.1"))
    assert waits == [2.0, 4.0, 8.0, 16.0, 900.0]  # doubling, then the lockout window
    now[0] += 899
    assert throttle.wait_before("marie", "10.0.0.7") == pytest.approx(1.0)
    assert throttle.unlock(name="marie") == 1
    assert throttle.wait_before("marie", "10.0.0.7") == 0
    assert throttle.wait_before("marie", "10.0.0.1") > 0  # the address stays locked until it is unlocked too
    assert throttle.unlock(address="10.0.0.1") == 1 and throttle.wait_before("marie", "10.0.0.1") == 0


def test_a_right_password_clears_the_names_count_and_old_failures_are_forgotten(tmp_path: Path) -> None:
    now = [1000.0]
    throttle = LoginThrottle(tmp_path / "connexions.sqlite3", LoginLimits(2, 4, 60.0), clock=lambda: now[0])
    for _ in range(2):
        throttle.record("marie", "10.0.0.1", success=False)
    throttle.record("marie", "10.0.0.1", success=True)
    assert throttle.wait_before("marie", "10.0.0.9") == 0
    assert throttle.wait_before("paul", "10.0.0.1") == 1.0  # a valid login never resets a guesser's address
    throttle.record("paul", "10.0.0.3", success=False)
    now[0] += 61
    throttle.record("paul", "10.0.0.3", success=False)
    assert throttle.wait_before("paul", "10.0.0.3") == 0  # one failure counted: the first is over a window old


def test_the_admin_unlocks_a_name_with_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "connexions.sqlite3"
    monkeypatch.setenv("ASSISTANT_WEB__LOGIN_DB", str(database))
    throttle = LoginThrottle(database, LoginLimits(1, 2, 900.0))
    throttle.record("marie", "10.0.0.1", success=False)
    throttle.record("marie", "10.0.0.1", success=False)
    assert throttle.wait_before("marie", "10.0.0.2") > 800
    assert cli_main(["deverrouiller", "marie"]) == 0
    assert "« marie » : déverrouillé." in capsys.readouterr().out
    assert throttle.wait_before("marie", "10.0.0.2") == 0
    assert cli_main(["deverrouiller", "marie"]) == 0
    assert "rien à déverrouiller" in capsys.readouterr().out
    assert cli_main(["deverrouiller"]) == 2
    assert "donnez le nom" in capsys.readouterr().err
