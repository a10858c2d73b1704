"""Start the web chat on the configured corpus, indexing it first if the index is empty."""

from __future__ import annotations

import logging
import sys

import uvicorn

from assistant.access import AccessFileError
from assistant.errors import IndexBusy
from assistant.index.indexer import IndexProgress
from assistant.service import Assistant
from assistant.web.app import create_server


def main() -> int:
    """Check the users file, index if needed, load the models once, then serve the chat."""
    # Every login attempt is logged (name, address, outcome), accepted ones included.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logging.getLogger("assistant.connexions").setLevel(logging.INFO)
    assistant = Assistant()
    try:
        policy = assistant.access
    except AccessFileError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    if not assistant.manifest().documents:
        print("Index vide : indexation du corpus…", flush=True)
        try:
            report = assistant.index(IndexProgress(document=lambda path: print(f"  {path}", flush=True),
                                                   cost=lambda cost: print(cost.announcement(), flush=True)))
            print(f"{len(report.added)} documents indexés, {len(report.failed)} en échec.", flush=True)
        except IndexBusy as error:  # another run fills the index: the chat answers from it once it is saved
            print(f"{error} Le clavardage démarre quand même.", flush=True)
    print("Chargement des modèles…", flush=True)
    assistant.load_models()
    host, port = assistant.settings.host, assistant.settings.port
    access = "avec connexion" if policy.login_required else "sans connexion (niveaux : " + \
        ", ".join(policy.open_levels) + ")"
    print(f"Clavardage sur http://{host}:{port} — accès {access}.", flush=True)
    uvicorn.run(create_server(assistant), host=host, port=port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
