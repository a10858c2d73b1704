"""English questions read in French: the domain's English terms given their French words, so that an English
question chooses its evidence (and finds its passages) by what it asks, as a French one does, not by meaning alone.

The corpus is French; an English question shares only its names and figures with it. The lexicon is small
and general — the vocabulary of agreements, funding, projects, committees and social research — not fitted to any
question (``english_lexicon.tsv``). Names, acronyms and figures pass unchanged; a word the lexicon lacks is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.french import fold, name_key, names, split_sentences


def _lexicon() -> dict[str, str]:
    """English term (folded; several words allowed, longest matched first) → its French words in the corpus, from
    ``english_lexicon.tsv`` (a term, a tab, its French words; ``#`` starts a comment line)."""
    text = (Path(__file__).parent / "english_lexicon.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))


LEXICON = _lexicon()
_TERMS = sorted(LEXICON, key=lambda term: -len(term))
# A term is a whole word, never a piece of a hyphenated name (« cap » is not in « Cap-de-la-Madeleine »).
_TERM = re.compile(r"(?<![\w-])(" + "|".join(re.escape(term) for term in _TERMS) + r")(?![\w-])")


# An English question is read as a French one: its kind of answer, dates, regions, item and names rewritten in the
# French words the question's constraints are read from (``constraints.read_constraints``), so that the same gate
# and the same choice of units apply. Words that mark an English question (none is a French word).
_ENGLISH = re.compile(r"\b(the|what|which|who|how|when|where|does|did|is|are|was|were)\b")
# Regions as English writes them, folded words → the canonical French name (``constraints.REGION_WORDS``).
ENGLISH_REGIONS: dict[str, str] = {
    "north shore": "Côte-Nord", "lower st lawrence": "Bas-Saint-Laurent",
    "lower saint lawrence": "Bas-Saint-Laurent", "eastern townships": "Estrie", "laurentians": "Laurentides",
    "central quebec": "Centre-du-Québec", "centre of quebec": "Centre-du-Québec", "northern quebec": "Nord-du-Québec",
    "national capital region": "Capitale-Nationale", "quebec city region": "Capitale-Nationale",
    "gaspe peninsula": "Gaspésie–Îles-de-la-Madeleine", "gaspe": "Gaspésie–Îles-de-la-Madeleine",
    "magdalen islands": "Gaspésie–Îles-de-la-Madeleine", "montreal": "Montréal",
}
_REGION = re.compile(r"(?i)\b(" + "|".join(r"\.?\s+".join(map(re.escape, words.split()))
                                           for words in sorted(ENGLISH_REGIONS, key=len, reverse=True)) + r")\b")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(" + "|".join(month.capitalize() for month in _MONTHS) + r")"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_SPAN = re.compile(r"\b(?:19|20)\d\d\s*[-–—/]\s*\d\d(?:\d\d)?\b")  # « 2013-2014 », « 2013-14 »
# « October 22, 2013 », « 22 October 2013 », « October 22 », « March 2012 » (« may » alone is a verb).
_DATES = (re.compile(rf"\b{_MONTH}\s+{_ORDINAL},?\s+(\d{{4}})\b"),
          re.compile(rf"\b{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b"),
          re.compile(rf"\b{_MONTH}\s+{_ORDINAL}\b(?!\s*\d)"), re.compile(rf"\b{_MONTH},?\s+(\d{{4}})\b"))
# Money, in an English question asking « how much »: the question wants an amount, not a count.
_MONEY = (r"\b(money|funds?|funding|funded|grants?|granted|receiv\w*|gets?|got|pa(y|ys|id|yment|yments)|costs?"
          r"|spen[dt]s?|contribut\w*|provid\w*|giv(e|es|en)|gave|invest\w*|allocat\w*|budget|envelope|amount|sum"
          r"|dollars|instal?lments?|fees)\b|\$")
# The kind of answer, in the French words ``constraints.ANSWER_KINDS`` reads it from; first match wins, in the order
# of the French kinds (a date, a person, a share, an amount, a count, any figure, a name).
ENGLISH_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((french, re.compile(english)) for french, english in (
    ("à quelle date", r"\b(what|which) (date|day)\b|\bby when\b"),
    ("en quelle année", r"\b(what|which) year\b"),
    ("quand", r"\bwhen\b"),
    ("qui", r"\bwho(m|se)?\b|\b(what|which) (person|minister|mayor|prefect|officer|director|chair\w*|president"
            r"|coordinator)\b"),
    ("quel pourcentage", r"\b(what|which) (is |was )?(the )?(\w+ ){0,2}(percentage|proportion|share|rate)\b"
                         r"|\bwhat per ?cent"),
    ("quel montant", rf"\b(what|which) (is |was |are |were )?(the )?(\w+ ){{0,2}}(amount|sum|budget|envelope"
                     rf"|contribution|grant|cost|price|value|salary|rent|funding|payment)s?\b"
                     rf"|\bhow much\b(?=.*({_MONEY}))"),
    ("combien de", r"\bhow many (?!times\b)(?=[a-z])"),
    ("combien", r"\bhow (much|long|far|old|big|large|often)\b|\b(what|which) (is |was )?(the )?(\w+ )?(number|cap"
                r"|ceiling|limit|maximum|distance|length|population)\b"),
    ("quel organisme", r"\b(what|which) (organi[sz]ations?|bod(y|ies)|group|agency|association|corporation)\b"),
))
# Capitalised English words that name nothing of the corpus (beside the lexicon's terms and the question words).
_ENGLISH_CAPITALS = frozenset("""
english french province provincial social conference council action mr mrs ms dr st lower upper north south east
west northern southern eastern western greater i
""".split())


_ENGLISH_WORDS = _ENGLISH_CAPITALS | {word for term in LEXICON for word in term.split()} | set(_MONTHS)


def is_english(question: str) -> bool:
    """Whether a question is written in English (its question words and articles; none is a French word)."""
    return bool(_ENGLISH.search(question.lower()))


def french_terms(question: str) -> str:
    """The French words of an English question's constraints and terms — its terms, dates, figures, regions and,
    from its last sentence, its names —: « Who chaired the Mauricie steering committee meeting held on October 22,
    2013? » → « présidé présidait président comité directeur réunion tenu tenue 22 octobre 2013 Mauricie »."""
    regions = [ENGLISH_REGIONS[" ".join(re.findall(r"[a-z]+", fold(found)))] for found in _REGION.findall(question)]
    text = _REGION.sub(" ", question)
    dates = []
    for pattern in _DATES:
        dates += [_french_date(match.groups()) for match in pattern.finditer(text)]
        text = pattern.sub(" ", text)
    spans = _SPAN.findall(text)
    numbers = re.findall(r"\b[A-Z]+\d+\b|\d+(?:[.,]\d+)?", _SPAN.sub(" ", text))  # « R9 », a recommendation
    sentence = split_sentences(text)[-1] if text.strip() else text  # a preamble sets the scene: no names pinned
    parts = [_french_words(text), *dates, *spans, *numbers, *regions, _names_written(sentence)]
    return " ".join(part for part in parts if part).replace(". ", " ")


def french_reading(question: str) -> str:
    """The French words an English question's constraints are read from: the kind of answer it asks, then its
    terms (``french_terms``): « Who chaired…? » → « qui présidé présidait président comité directeur… ». A French
    question is returned as it is."""
    return f"{_kind(fold(question))} {french_terms(question)}" if is_english(question) else question


def searched(query: str) -> str:
    """What a question is searched for: an English one with its terms, dates and regions in French after it (the
    lexical index analyses French; the names, figures and meaning are the question's own), a French one as it is."""
    return f"{query} {french_terms(query)}" if is_english(query) else query


def _kind(folded: str) -> str:
    """The French words of the kind of answer an English question asks, by its first question word (« Who
    chaired the CRÉ when… » asks for a person); « question : » when it asks for none."""
    found = [(match.start(), order, french) for order, (french, pattern) in enumerate(ENGLISH_KINDS)
             if (match := pattern.search(folded))]
    if not found:
        return "question :"
    kind = min(found)[2]
    if kind == "combien de" and (counted := re.search(r"\bhow many ([a-z-]+(?: [a-z-]+)?)", folded)):
        french = _french_words(counted.group(1)).split()
        return f"combien de {french[0] if french else counted.group(1)}"
    return kind


def _french_date(groups: tuple[str | None, ...]) -> str:
    """« 22 octobre 2013 », « mars 2012 », « 22 octobre » from a date's month, day and year, in any order."""
    month = next(LEXICON[g.lower()] for g in groups if g and g.lower() in _MONTHS)
    day = next((g for g in groups if g and g.isdigit() and len(g) <= 2), "")
    year = next((g for g in groups if g and len(g) == 4), "")
    return " ".join(part for part in ("1er" if day == "1" else day, month, year) if part)


def _french_words(text: str) -> str:
    """The lexicon's French words for the English terms of a text, each once, in their order."""
    return " ".join(dict.fromkeys(LEXICON[match] for match in _TERM.findall(fold(text).replace("’", "'"))))


def english_names(text: str) -> dict[str, str]:
    """The names of an English text by their ``name_key``, as written (``french.names``), less its capitalised
    English words (a term of the lexicon, a question word, a month: « Indigenous », « Who », « October ») and
    possessive « 's » (« CRÉ's » is « CRÉ »)."""
    found = {}
    for written in names(_REGION.sub(" ", text)).values():  # « North Shore » is a region, checked as one
        written = re.sub(r"['’]s$", "", written)
        if not all(word in _ENGLISH_WORDS for word in re.findall(r"[a-z]+", fold(written))):
            found[name_key(written)] = written
    return found


def _names_written(sentence: str) -> str:
    """The sentence's names as written (``english_names``), consecutive ones kept together (« Claude Grenier »),
    others apart."""
    kept = set(english_names(sentence).values())
    words = [re.sub(r"['’]s$", "", word.strip(",;:?!.()«»\"")) for word in sentence.split()]  # « CRÉ's »
    words = [re.sub(r"^(?:[LDJMNSTC]|Qu)['’]", "", word) for word in words]
    runs = " ".join(word if word in kept else "," for word in words)
    return re.sub(r"(?:\s*,)+", ",", runs).strip(", ")
