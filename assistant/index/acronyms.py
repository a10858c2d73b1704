"""The corpus's own acronyms (« CRÉ » → « Conférence régionale des élus »), read from its passages at indexing.

Two ways a document spells one out: a line that starts with the acronym, then the words it abbreviates (a report's
list of acronyms), or the words followed by the acronym in parentheses. Either counts only when the initials of
those words (small words such as « de », « la », « l' » skipped) spell the acronym. The retriever adds the long form
to a question's vector search: the embedder does not know Québec's acronyms (docs/retrieval.md, section 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.french import STOP_WORDS, fold

_CAPITAL = "A-ZÀ-ÖØ-Þ"
ACRONYM = rf"[{_CAPITAL}][{_CAPITAL}0-9]*[{_CAPITAL}]"
_LISTED = re.compile(rf"^[ \t]*({ACRONYM})[ \t]+(\S.*?)[ \t]*$", re.MULTILINE)  # « CRÉ Conférence régionale des élus »
MOST_WORDS = 12  # words before a parenthesis read as a long form
_IN_PARENTHESES = re.compile(rf"((?:[\w'’-]+[ \t]+){{1,{MOST_WORDS}}})\(({ACRONYM})\)")  # « … des élus (CRÉ) »
_IN_QUESTION = re.compile(rf"\b{ACRONYM}\b")


def _small(word: str) -> bool:
    """A word an acronym skips (« de », « la », « l' »…)."""
    return fold(word) in STOP_WORDS or fold(word) == "a"


def _base(word: str) -> str:
    """The word without an elided article (« l'approche » → « approche »)."""
    return re.split(r"['’]", word)[-1]


def _spelled(acronym: str, words: list[str]) -> tuple[list[str], int] | None:
    """The first words whose initials, small words skipped, spell the acronym (from the first word that counts,
    its elided article dropped), and how many of ``words`` they take; None if they do not spell it."""
    letters, found, spelled = fold(acronym), 0, []
    for taken, word in enumerate(words, start=1):
        if not _base(word) or _small(_base(word)):
            if spelled:
                spelled.append(word)
            continue
        if fold(_base(word))[0] != letters[found]:
            return None
        spelled.append(word if spelled else _base(word))
        found += 1
        if found == len(letters):
            return spelled, taken
    return None


def find_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Each acronym the texts spell out, with its long form (the first one found)."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _LISTED.finditer(text):
            if (spelled := _spelled(match[1], match[2].split())) and len(spelled[0]) > 1:
                found.setdefault(match[1], " ".join(spelled[0]))
        for match in _IN_PARENTHESES.finditer(text):
            words = match[1].split()
            for start in range(len(words) - 1, -1, -1):  # the shortest run of words just before the parenthesis
                spelled = _spelled(match[2], words[start:])
                if spelled and spelled[1] == len(words) - start and len(spelled[0]) > 1:
                    found.setdefault(match[2], " ".join(spelled[0]))
                    break
    return found


def spelled_out(question: str, acronyms: dict[str, str]) -> str:
    """The question with the long form of each acronym it uses and does not spell out itself, in parentheses."""
    folded = fold(question)
    added = [acronyms[name] for name in dict.fromkeys(_IN_QUESTION.findall(question))
             if name in acronyms and fold(acronyms[name]) not in folded]
    return f"{question} ({' ; '.join(added)})" if added else question
