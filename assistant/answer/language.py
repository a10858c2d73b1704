"""The language of a question, so that the answer (or the refusal) comes back in it; French by default."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The languages the assistant answers in, with the words the prompt uses to ask for them.
LANGUAGES = {"fr": "français", "en": "anglais"}
DEFAULT_LANGUAGE = "fr"
# Below this probability (short or mixed questions: « CRÉ Mauricie 2013 ») the default language wins.
_MIN_PROBABILITY = 0.8


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def question_language(question: str) -> str:
    """``fr`` or ``en``: the language the question is written in, French when unsure."""
    language, probability = _identifier().classify(question)
    return language if probability >= _MIN_PROBABILITY else DEFAULT_LANGUAGE
