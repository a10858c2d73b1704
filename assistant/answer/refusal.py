"""When to refuse without asking the model: nothing found, nothing close, or the question names what no passage has.

The cosine and BM25 scores of hard out-of-corpus questions (a region, a year or a person the corpus does not
have) overlap those of answerable ones, so the strongest cheap signal is a key term of the question (a name, a year,
a figure) that appears in none of the passages found, nor in their documents' titles and regions. Calibration on
the gold questions: ``docs/answers.md``.
"""

from __future__ import annotations

from assistant.french import figures, figures_and_number_words, name_key, names
from assistant.models import Source
from assistant.settings import LLMSettings


def key_terms(question: str, language: str) -> dict[str, str]:
    """Names, years and figures of a question, by their comparison key, as written in it.

    In an English question, a capitalised English word (« Indigenous ») is no name of the corpus: only acronyms,
    hyphenated names and names with accents count there.
    """
    found = names(question)
    if language != "fr":
        found = {key: word for key, word in found.items() if word.isupper() or "-" in word or not word.isascii()}
    return found | {figure: figure for figure in sorted(figures(question))}


def missing_terms(question: str, sources: list[Source], language: str) -> list[str]:
    """Key terms of the question (as written) found in none of the sources (passage, title, regions, code)."""
    haystack = " ".join(f"{s.passage.info.title} {' '.join(s.passage.info.regions)} {s.passage.info.code} "
                        f"{s.passage.text}" for s in sources)
    words, numbers = f" {name_key(haystack)} ", figures_and_number_words(haystack)
    return [written for key, written in key_terms(question, language).items()
            if (key not in numbers if key.isdigit() else f" {key} " not in words)]


def retrieval_refusal(question: str, sources: list[Source], language: str, settings: LLMSettings) -> str:
    """Why the model should not be asked (in French, for the reader), or an empty string."""
    if not sources:
        return "Aucun passage du corpus ne correspond à la question (avec ces filtres)."
    if max(s.dense_score for s in sources) < settings.min_dense_score and not any(s.lexical_score for s in sources):
        return "Les passages trouvés sont trop éloignés de la question."
    missing = missing_terms(question, sources, language) if settings.check_names else []
    if missing:
        listed = ", ".join(f"« {term} »" for term in missing)
        return f"{listed} : absent des passages trouvés."
    return ""
