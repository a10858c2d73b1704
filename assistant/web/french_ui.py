"""Gradio's own strings in French whatever the browser's language: its French locale completed (``gr.I18n``: the
keys its ``fr`` file lacks, and Québec wording where it differs), the page served with ``lang="fr-CA"`` and the
locale pinned before Gradio's scripts read the browser's, and the few labels Gradio hard-codes in English put in
French as they appear."""

from __future__ import annotations

import json

import gradio as gr
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Keys of Gradio's English locale (6.x) that its French one lacks, and a few it words otherwise than Québec does.
GRADIO_FRENCH = {
    "audio.recording_error": "Impossible de démarrer l'enregistrement au microphone.",
    "chatbot.complete": "Terminé",
    "chatbot.copy_message": "Copier le message",
    "chatbot.copied_message": "Message copié",
    "chatbot.clear": "Effacer la conversation",
    "chat_interface.new_chat": "Nouvelle conversation",
    "chat_interface.message_placeholder": "Écrivez un message…",
    "chat_interface.additional_inputs": "Autres paramètres",
    "chat_interface.chatbot": "Clavardage",
    "chat_interface.conversation": "Conversation",
    "common.download_all": "Tout télécharger",
    "common.runs": "Exécutions",
    "common.runs_description": "Voir les exécutions gardées dans ce navigateur",
    "common.back_to_app": "Application",
    "common.back_to_app_description": "Revenir à l'application",
    "common.progress": "Progression",
    "common.record": "Enregistrer",
    "common.stop_recording": "Arrêter l'enregistrement",
    "common.screen_studio": "Studio d'écran",
    "common.share_gradio_tab": "[Partage] Onglet Gradio",
    "dataframe.import_empty_file": "Le fichier déposé est vide.",
    "dataframe.import_no_column_names": "Le fichier déposé n'a pas de noms de colonnes.",
    "dataframe.import_ragged_row": "La ligne {line} du fichier a {fields} champs, l'en-tête en a {columns}.",
    "dataframe.import_static_columns": "Impossible d'importer dans un tableau aux colonnes en lecture seule.",
    "dataframe.import_fixed_columns": "Ce tableau prend exactement {expected} colonnes, le fichier en a {actual}.",
    "dataframe.import_fixed_rows": "Ce tableau prend exactement {expected} lignes, le fichier en a {actual}.",
    "dataframe.filter": "Filtrer",
    "dataframe.clear_filter": "Effacer les filtres",
    "file.uploading": "Téléversement…",
    "image_editor.add_layer": "Ajouter un calque",
    "image_editor.brush": "Pinceau",
    "image_editor.brush_size": "Taille du pinceau",
    "image_editor.clear_canvas": "Effacer le canevas",
    "image_editor.color": "Couleur",
    "image_editor.confirm_crop": "Confirmer le recadrage",
    "image_editor.crop": "Recadrer",
    "image_editor.erase": "Effacer",
    "image_editor.eraser_size": "Taille de la gomme",
    "image_editor.fit_to_screen": "Ajuster à l'écran",
    "image_editor.layer": "Calque",
    "image_editor.layers": "Calques",
    "image_editor.pan": "Déplacer",
    "image_editor.paste": "Coller",
    "image_editor.redo": "Rétablir",
    "image_editor.resize": "Redimensionner",
    "image_editor.save_changes": "Enregistrer les modifications",
    "image_editor.select_draw_tool": "choisissez l'outil de dessin pour commencer",
    "image_editor.show_layers": "Afficher les calques",
    "image_editor.upload": "Téléverser",
    "image_editor.upload_image": "Téléverser une image",
    "image_editor.webcam": "Webcam",
    "image_editor.zoom_in": "Zoom avant",
    "image_editor.zoom_out": "Zoom arrière",
    "status.queue_position": "En file d'attente : {position} sur {size}",
    "upload_text.click_to_upload": "Cliquez pour téléverser",
}
FRENCH = gr.I18n(fr=GRADIO_FRENCH)
# Labels Gradio writes in English whatever the locale (not in its locale files), for assistive technologies and
# tooltips: the page puts them in French as they appear.
HARD_CODED = {
    "chatbot conversation": "Conversation",
    "File upload": "Téléverser un fichier",
    "More tabs": "Autres onglets",
    "Open cell menu": "Ouvrir le menu de la cellule",
    "Table actions": "Actions du tableau",
    "Liked": "Vous aimez cette réponse",
    "Disliked": "Vous n'aimez pas cette réponse",
    "Close": "Fermer",
    "Close popup": "Fermer",
    "Connection Lost": "Connexion perdue",
    "Click to upload or drop files": "Cliquez pour téléverser ou déposez des fichiers",
}
HARD_CODED_PREFIXES = {"bot's message: ": "Réponse : ", "user's message: ": "Question : "}
# A toast's heading is its kind, capitalised in English (« Error »), whatever title the server gave it.
TOAST_KINDS = {"Error": "Erreur", "Warning": "Avertissement", "Info": "Information", "Success": "Succès"}
# Runs before Gradio's scripts (a classic script in <head> runs before deferred modules): Gradio picks its locale
# from ``navigator.language``, so the page is French for every browser; then every English label above is put in
# French as it is added, so is a toast's heading, and a chip's remove button, which Gradio titles « Supprimer 6 »
# after the choice's index, is titled with the choice's name.
PIN_LOCALE = """<script>
for (const name of ['language', 'languages'])
  Object.defineProperty(navigator, name, {get: () => name === 'language' ? 'fr' : ['fr-CA', 'fr']});
(() => {
  const exact = %s, prefixes = Object.entries(%s), kinds = %s, names = ['aria-label', 'title', 'placeholder'];
  const toast = (element) => {
    for (const title of element.querySelectorAll('.toast-title'))
      for (const text of title.childNodes)
        if (text.nodeType === 3 && kinds[text.data.trim()]) text.data = kinds[text.data.trim()] + ' ';
  };
  const french = (element) => {
    for (const name of names) {
      const value = element.getAttribute(name);
      if (!value) continue;
      let wanted = exact[value];
      for (const [english, replacement] of prefixes)
        if (value.startsWith(english)) wanted = replacement + value.slice(english.length);
      if (name === 'title' && element.classList.contains('token-remove') && !element.classList.contains('remove-all')
          && element.parentElement) wanted = 'Retirer ' + element.parentElement.textContent.trim();
      if (wanted !== undefined && wanted !== value) element.setAttribute(name, wanted);
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === 'attributes') french(change.target);
      const parent = change.target.parentElement;
      if (change.type === 'characterData' && parent && parent.parentElement) toast(parent.parentElement);
      for (const node of change.addedNodes)
        if (node.nodeType === 1) {
          french(node);
          node.querySelectorAll('[aria-label], [title], [placeholder]').forEach(french);
          toast(node.parentElement || node);
        }
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,
                                         attributeFilter: names});
})();
</script>""" % tuple(json.dumps(table, ensure_ascii=False) for table in (HARD_CODED, HARD_CODED_PREFIXES, TOAST_KINDS))


class FrenchPage:
    """Serves Gradio's HTML page in French: ``lang="fr-CA"`` and the locale pinned (``PIN_LOCALE``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = b""

        async def rewrite(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:  # e.g. a test client's debug message
                await send(message)
                return
            body += message.get("body", b"")
            if message.get("more_body"):
                return
            headers = MutableHeaders(scope=start)
            if headers.get("content-type", "").startswith("text/html"):
                body = french_page(body.decode("utf-8")).encode("utf-8")
                headers["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


def french_page(page: str) -> str:
    """Gradio's page with ``lang="fr-CA"`` and the locale pinned first thing in its head."""
    return page.replace('lang="en"', 'lang="fr-CA"', 1).replace("<head>", "<head>" + PIN_LOCALE, 1)
