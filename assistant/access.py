"""Who may log in, and which confidentiality levels each role may search: a TOML users file, bcrypt hashes.

The file (named by ``web.users_file``) looks like this; a hash comes from ``assistant mot-de-passe``::

    [roles]
    equipe = ["public", "interne", "confidentiel"]
    partenaire = ["public", "interne"]

    [utilisateurs.marie]
    role = "equipe"
    hachage = "$2b$12$..."
"""

from __future__ import annotations

import sqlite3
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

from assistant.errors import AccessDenied, AccessFileError
from assistant.models import CONFIDENTIALITY_LEVELS, DEFAULT_LEVELS
from assistant.settings import WebSettings

# bcrypt reads at most 72 bytes of a password; longer ones are refused rather than silently cut.
MAX_PASSWORD_BYTES = 72


@dataclass(frozen=True)
class User:
    """One account: its role and its bcrypt hash."""

    name: str
    role: str
    password_hash: bytes


@dataclass(frozen=True)
class AccessPolicy:
    """Users, roles and the levels served; with no users, nobody logs in and ``open_levels`` are served."""

    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    open_levels: tuple[str, ...] = DEFAULT_LEVELS

    @classmethod
    def from_settings(cls, web: WebSettings) -> AccessPolicy:
        """The policy the settings describe: the users file if one is named, otherwise open access."""
        _check_levels(web.open_levels, "web.open_levels")
        if web.users_file is None:
            return cls(open_levels=tuple(web.open_levels))
        return load_users_file(web.users_file, tuple(web.open_levels))

    @property
    def login_required(self) -> bool:
        """Whether the web chat asks for a name and a password."""
        return bool(self.users)

    def authenticate(self, name: str, password: str) -> bool:
        """Whether the password is the user's; unknown names cost the same time as wrong passwords."""
        user = self.users.get(name)
        secret = password.encode("utf-8")
        if not self.users or len(secret) > MAX_PASSWORD_BYTES:
            return False
        # An unknown name is checked against another user's hash, so that it takes as long as a wrong password.
        reference = user or next(iter(self.users.values()))
        return bcrypt.checkpw(secret, reference.password_hash) and user is not None

    def role_of(self, name: str | None) -> str:
        """The user's role ("" when login is off)."""
        if not self.login_required:
            return ""
        return self._user(name).role

    def levels_for(self, name: str | None) -> tuple[str, ...]:
        """The confidentiality levels this user may search and see."""
        if not self.login_required:
            return self.open_levels
        return self.roles[self._user(name).role]

    def levels_of_role(self, role: str) -> tuple[str, ...]:
        """The confidentiality levels of a role of the users file; ``AccessFileError`` for an unknown role."""
        if role not in self.roles:
            known = ", ".join(self.roles) or "aucun (pas de fichier des utilisateurs : ASSISTANT_WEB__USERS_FILE)"
            raise AccessFileError(f"rôle inconnu « {role} »; rôles du fichier des utilisateurs : {known}")
        return self.roles[role]

    def _user(self, name: str | None) -> User:
        user = self.users.get(name or "")
        if user is None:
            raise AccessDenied(f"utilisateur inconnu : « {name or ''} »")
        return user


@dataclass(frozen=True)
class LoginLimits:
    """How wrong passwords slow down the next attempts (``web.login_*`` settings)."""

    free_failures: int = 5
    lockout_failures: int = 10
    lockout_seconds: float = 900.0

    @classmethod
    def from_settings(cls, web: WebSettings) -> LoginLimits:
        """The limits the settings give."""
        return cls(web.login_free_failures, web.login_lockout_failures, web.login_lockout_minutes * 60.0)

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after the last of ``failures`` wrong passwords in a row: none for the first ones, then
        1 s, 2 s, 4 s… doubling, then the whole lockout window."""
        if failures >= self.lockout_failures:
            return self.lockout_seconds
        if failures >= self.free_failures:
            return min(2.0 ** (failures - self.free_failures), self.lockout_seconds)
        return 0.0


class LoginThrottle:
    """Wrong passwords in a row, per user name and per client address, in a SQLite file shared by the server and
    the CLI (``assistant deverrouiller``); an attempt is checked only once both have waited long enough."""

    def __init__(self, path: Path, limits: LoginLimits, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.limits = limits
        self.clock = clock

    def wait_before(self, name: str, address: str) -> float:
        """Seconds before this user name may try again from this address (0: now)."""
        now = self.clock()
        waits = [self.limits.wait_after(failures) - (now - last)
                 for failures, last in self._failures(_keys(name, address))]
        return max([0.0, *waits])

    def record(self, name: str, address: str, success: bool) -> None:
        """Count a wrong password against the name and the address; a right one clears the name's count (not
        the address's: one valid account must not reset a guesser's count on other names)."""
        keys = _keys(name, address)
        with self._connect() as db:
            if success:
                db.execute("DELETE FROM echecs WHERE cle = ?", (keys[0],))
                return
            now = self.clock()
            for key in keys:
                previous = db.execute("SELECT nombre, dernier FROM echecs WHERE cle = ?", (key,)).fetchone()
                # Failures older than the lockout window are forgotten.
                count = previous[0] if previous and now - previous[1] < self.limits.lockout_seconds else 0
                db.execute("INSERT OR REPLACE INTO echecs (cle, nombre, dernier) VALUES (?, ?, ?)",
                           (key, count + 1, now))

    def unlock(self, name: str | None = None, address: str | None = None) -> int:
        """Forget the failures of a user name and/or an address; how many counts were removed."""
        keys = [key for key in (name is not None and f"utilisateur:{name}",
                                address is not None and f"adresse:{address}") if key]
        with self._connect() as db:
            return sum(db.execute("DELETE FROM echecs WHERE cle = ?", (key,)).rowcount for key in keys)

    def _failures(self, keys: tuple[str, str]) -> list[tuple[int, float]]:
        with self._connect() as db:
            return db.execute("SELECT nombre, dernier FROM echecs WHERE cle IN (?, ?)", keys).fetchall()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One connection per call, in one transaction: the server's threads never share one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as connection, connection:
            connection.execute("CREATE TABLE IF NOT EXISTS echecs (cle TEXT PRIMARY KEY, nombre INTEGER NOT NULL, "
                               "dernier REAL NOT NULL)")
            yield connection


def _keys(name: str, address: str) -> tuple[str, str]:
    return f"utilisateur:{name}", f"adresse:{address}"


def hash_password(password: str, rounds: int = 12) -> str:
    """A bcrypt hash to put in the users file."""
    secret = password.encode("utf-8")
    if not secret:
        raise ValueError("le mot de passe est vide")
    if len(secret) > MAX_PASSWORD_BYTES:
        raise ValueError(f"le mot de passe dépasse {MAX_PASSWORD_BYTES} octets")
    return bcrypt.hashpw(secret, bcrypt.gensalt(rounds=rounds)).decode("ascii")


def load_users_file(path: Path, open_levels: tuple[str, ...]) -> AccessPolicy:
    """Read and check the users file; any mistake is refused with a French message naming the fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AccessFileError(f"fichier des utilisateurs illisible ({path}) : {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise AccessFileError(f"fichier des utilisateurs mal formé ({path}) : {error}") from error
    roles: dict[str, tuple[str, ...]] = {}
    for role, levels in data.get("roles", {}).items():
        if not isinstance(levels, list) or not levels:
            raise AccessFileError(f"rôle « {role} » : donnez la liste de ses niveaux, par exemple "
                                  '["public", "interne"]')
        roles[role] = _check_levels(tuple(levels), f"rôle « {role} »")
    users: dict[str, User] = {}
    for name, entry in data.get("utilisateurs", {}).items():
        role, hashed = (entry.get("role", ""), entry.get("hachage", "")) if isinstance(entry, dict) else ("", "")
        if not isinstance(role, str) or role not in roles:
            raise AccessFileError(f"utilisateur « {name} » : rôle « {role} » absent de la section [roles]")
        if not isinstance(hashed, str) or not hashed.startswith(("$2a$", "$2b$", "$2y$")):
            raise AccessFileError(f"utilisateur « {name} » : « hachage » doit être un hachage bcrypt, jamais le mot "
                                  "de passe lui-même (obtenez-le avec `assistant mot-de-passe`)")
        users[name] = User(name, role, hashed.encode("ascii"))
    if not users:
        raise AccessFileError(f"aucun utilisateur dans {path} : ajoutez une section [utilisateurs.NOM]")
    return AccessPolicy(roles, users, open_levels)


def _check_levels(levels: tuple[str, ...], where: str) -> tuple[str, ...]:
    unknown = [level for level in levels if level not in CONFIDENTIALITY_LEVELS]
    if unknown:
        raise AccessFileError(f"{where} : niveau inconnu {', '.join(unknown)}; niveaux possibles : "
                              f"{', '.join(CONFIDENTIALITY_LEVELS)}")
    return levels
