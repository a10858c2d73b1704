"""Start the web chat on the configured corpus, indexing it first if the index is empty."""

from __future__ import annotations

from assistant.index.indexer import IndexProgress
from assistant.service import Assistant
from assistant.web.app import build_app


def main() -> None:
    """Index if needed, load the models once, then serve the chat."""
    assistant = Assistant()
    if not assistant.manifest().documents:
        print("Index vide : indexation du corpus…", flush=True)
        report = assistant.index(IndexProgress(document=lambda path: print(f"  {path}", flush=True)))
        print(f"{len(report.added)} documents indexés, {len(report.failed)} en échec.", flush=True)
    print("Chargement des modèles…", flush=True)
    assistant.load_models()
    build_app(assistant).queue(default_concurrency_limit=1).launch(
        server_name=assistant.settings.host, server_port=assistant.settings.port)


if __name__ == "__main__":
    main()
