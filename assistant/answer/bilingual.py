"""English questions read in French: the domain's English terms given their French words, so that an English
question chooses its evidence (and finds its passages) by what it asks, as a French one does, not by meaning alone.

The corpus is French; an English question shares only its names and figures with it. The lexicon is small
and general — the vocabulary of agreements, funding, projects, committees, work, housing and social research — not
fitted to any question (``english_lexicon.tsv``; a term's regular plural is known with it, a lowercase compound
« night-shift » is read word by word). Names, acronyms and figures pass unchanged; a word the lexicon lacks is
dropped. What the question asks is read from the head of its noun phrase, as French reads « quel salaire » or
« combien de propriétaires »: « What hourly wage… » asks an amount, « How many rural elderly homeowners had… »
counts « propriétaires », « the first instalment » ranks « premier versement » (``_head``).
"""

from __future__ import annotations

import re
from pathlib import Path

import Stemmer

from assistant.french import analyse, fold, name_key, names, split_sentences


def _lexicon() -> dict[str, str]:
    """English term (folded; several words allowed, longest matched first) → its French words in the corpus, from
    ``english_lexicon.tsv`` (a term, a tab, its French words; ``#`` starts a comment line); a term's plural (or third
    person) is its own French words too, unless the file gives it others (« homeowners », « wages »)."""
    text = (Path(__file__).parent / "english_lexicon.tsv").read_text(encoding="utf-8")
    written = dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {plural: french for term, french in written.items() if (plural := _plural(term))} | written


def _plural(term: str) -> str:
    """The regular plural of a term's last word (« steering committee » → « steering committees »; « family » →
    « families »), or its third person; empty for a short word, a figure or a word already ending in « s »."""
    head, _, last = term.rpartition(" ")
    if len(last) < 3 or not last.isalpha() or last.endswith("s"):
        return ""
    if last.endswith(("x", "ch", "sh")):
        plural = f"{last}es"
    elif last.endswith("y") and last[-2] not in "aeiou":
        plural = f"{last[:-1]}ies"
    else:
        plural = f"{last}s"
    return f"{head} {plural}".strip()


LEXICON = _lexicon()
# Passages added to an English question's by a lexical search of its French terms alone (``Assistant.stream``).
FRENCH_TERMS_PASSAGES = 2
_TERMS = sorted(LEXICON, key=lambda term: -len(term))
# The hyphenated words a term starts with or is (« follow-up » of « follow-up committee »): read as written, whole.
_HYPHENED = frozenset(term.split()[0] for term in LEXICON if "-" in term.split()[0])
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
# « How much » with no noun before its verb (« how much was set aside », « how much does the network put in »)
# asks a sum of money: a duration or a distance has its own words (« how long », « how far », « how much time »).
_AUXILIARY = (r"(is|are|was|were|does|do|did|has|have|had|will|would|can|could|should|must|may|might)\b")
# Money, in an English question asking « how much »: the question wants an amount, not a count.
_MONEY = (r"\b(money|funds?|funding|funded|grants?|granted|receiv\w*|gets?|got|pa(y|ys|id|yment|yments)|costs?"
          r"|spen[dt]s?|contribut\w*|provid\w*|giv(e|es|en)|gave|invest\w*|allocat\w*|budget|envelope|amount|sum"
          r"|dollars|instal?lments?|fees)\b|\$")
# The kind of answer, in the French words ``constraints.ANSWER_KINDS`` reads it from; first match wins, in the order
# of the French kinds (a date, a person, a share, an amount, a count, any figure, a name). « How often » asks none,
# as « à quelle fréquence » (« à chaque séance qui suit une réunion », « deux jours par semaine »: not a figure).
ENGLISH_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((french, re.compile(english)) for french, english in (
    ("à quelle heure", r"\bwhat time\b"),
    ("à quelle date", r"\b(what|which) (date|day|month)\b|\bby when\b"),
    ("en quelle année", r"\b(what|which) year\b"),
    ("quand", r"\bwhen\b"),
    ("qui siège", r"\bwho (sits|sat|holds|held|occupies|occupied)\b"),
    ("qui", r"\bwho(m|se)?\b|\b(what|which) (person|minister|mayor|prefect|officer|director|chair\w*|president"
            r"|coordinator)\b"),
    ("quel pourcentage", r"\b(what|which) (is |was )?(the )?(\w+ ){0,2}(percentage|proportion|share|rate)\b"
                         r"|\bwhat per ?cent"),
    ("quel montant", rf"\b(what|which) (is |was |are |were )?(the )?(\w+ ){{0,2}}(amount|sum|budget|envelope"
                     rf"|contribution|grant|cost|price|value|salary|rent|funding|payment)s?\b"
                     rf"|\bhow much\b(?=.*({_MONEY}))|\bhow much (?={_AUXILIARY})"),
    ("combien de fois", r"\bhow often\b|\bhow many times\b"),
    ("combien de", r"\bhow many (?!times\b)(?=[a-z])"),
    ("combien d'habitants", r"\b(what|which) (is |was )?(the )?(\w+ )?population\b"),
    ("combien", r"\bhow (much|long|far|old|big|large)\b|\b(what|which) (is |was )?(the )?(\w+ )?(number|cap"
                r"|ceiling|limit|maximum|distance|length)\b"),
    ("quel organisme", r"\b(what|which) (organi[sz]ations?|bod(y|ies)|group|agency|association|corporation)\b"
                       r"|\bname of (the |a |an |this |that )?(organi[sz]ation|body|group|agency|association"
                       r"|project)\b"),
))
# Capitalised English words that name nothing of the corpus (beside the lexicon's terms and the question words).
_ENGLISH_CAPITALS = frozenset("""
english french province provincial social conference council action mr mrs ms dr st lower upper north south east
west northern southern eastern western greater i
""".split())


_ENGLISH_WORDS = _ENGLISH_CAPITALS | {word for term in LEXICON for word in term.split()} | set(_MONTHS)
# The French bodies' acronyms the lexicon gives (« MRC », « CRÉ »), by their letters: English writes a body's acronym
# in its own word order (« RCM », regional county municipality, is the « MRC »; « RCE » the « CRÉ »).
_ACRONYMS = {"".join(sorted(fold(word))): word for french in LEXICON.values() for word in french.split()
             if len(word) >= 3 and word.isupper()}


def _french_acronyms(text: str) -> str:
    """A text with the acronyms English writes in its own word order given as French writes them (« the Joliette
    RCM » → « the Joliette MRC »); an acronym the lexicon's French words do not hold stays as written."""
    return re.sub(r"\b[A-Z]{3,5}\b", lambda match: _ACRONYMS.get("".join(sorted(fold(match.group()))),
                                                                 match.group()), text)


def is_english(question: str) -> bool:
    """Whether a question is written in English (its question words and articles; none is a French word)."""
    return bool(_ENGLISH.search(question.lower()))


def french_terms(question: str) -> str:
    """The French words of an English question's constraints and terms — its terms, dates, figures, regions and,
    from its last sentence, its names —: « Who chaired the Mauricie steering committee meeting held on October 22,
    2013? » → « présidé présidait président comité directeur réunion tenu tenue 22 octobre 2013 Mauricie »."""
    question = _french_acronyms(question)
    regions = [ENGLISH_REGIONS[" ".join(re.findall(r"[a-z]+", fold(found)))] for found in _REGION.findall(question)]
    text = _REGION.sub(" ", question)
    dates = []
    for pattern in _DATES:
        dates += [_french_date(match.groups()) for match in pattern.finditer(text)]
        text = pattern.sub(" ", text)
    spans = _SPAN.findall(text)
    numbers = re.findall(r"\b[A-Z]+\d+\b|\d+(?:[.,]\d+)?", _SPAN.sub(" ", text))  # « R9 », a recommendation
    sentence = split_sentences(text)[-1] if text.strip() else text  # a preamble sets the scene: no names pinned
    parts = [_french_words(text), *_ranked(text), *dates, *spans, *numbers, *regions, _names_written(sentence)]
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
    chaired the CRÉ when… » asks for a person); « question : » when it asks for none. « How many » asks a count of
    its noun phrase's head (``_head``: « how many rural elderly homeowners had… » → « combien de propriétaire »);
    « what » or « which » the kind its head asks in French (« What hourly wage… » → « quel salaire »: an amount)."""
    # After « what » or « where », « when » opens a clause of time (« What did the RCM lend the minibus when it
    # started? »): it sets the scene.
    folded = re.sub(r"^((?:what|where)\b.*?)\bwhen\b.*", r"\1", folded)
    # … and so does a clause before the question (« When an agreement is terminated, what does… »).
    folded = re.sub(r"^(?:when|once|if|after|before|while)\b[^,?]*,\s*(?=(?:what|which|who|how|where|why)\b)", "",
                    folded)
    found = [(match.start(), order, french) for order, (french, pattern) in enumerate(ENGLISH_KINDS)
             if (match := pattern.search(folded))]
    for match in _WHAT.finditer(folded):
        head = _head(folded[match.end():])
        if head and _asks_kind(f"quel {head}"):
            found.append((match.start(), -1, f"quel {head}"))
    # What is asked is read where the question asks it: a question word further on joins a clause (« What did the
    # RCM lend the minibus when it started? » asks a thing, not a date), as French reads « Qu'est-ce que… ».
    found = [kind for kind in found if kind[0] <= _asking_end(folded)]
    if not found:
        return "question :"
    kind = min(found)[2]
    if kind == "combien de" and (counted := re.search(r"\bhow many\b", folded)):
        head = _head(folded[counted.end():], plural=True)
        # A noun the lexicon does not know stays English: no French count of it can be checked, and the French terms
        # after it (« how many | séance … ») are not what is counted (« How many interruptions did the session
        # cause? »).
        return f"combien de {head}" if head else "how many :"
    return kind


_QUESTION_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b")
_ASKING_WORDS = 5  # the question word and the words of its phrase (« what is the agreement's FQIS contribution »)


def asking_phrase(question: str) -> str:
    """The folded words of an English question up to the end of its first question word's phrase, where what it
    asks is read (« what did the antoine-labelle rcm lend », not « … when it started »)."""
    folded = fold(question)
    return folded[:_asking_end(folded)]


def _asking_end(folded: str) -> int:
    """Where the phrase of a question's first question word ends (``_ASKING_WORDS`` words after it); the question's
    end when it has none (« Name the signatories… »)."""
    first = _QUESTION_WORD.search(folded)
    if not first:
        return len(folded)
    after = list(re.finditer(r"\S+", folded[first.end():]))
    return first.end() + after[_ASKING_WORDS - 1].end() if len(after) >= _ASKING_WORDS else len(folded)


# « what » or « which » and what may stand before the noun it asks about (« what is the », « which »).
_WHAT = re.compile(r"\b(?:what|which)\s+(?:(?:is|was|are|were)\s+)?(?:(?:the|a|an)\s+)?")
# Words that end an English noun phrase (« how many rural elderly homeowners | had … »): auxiliaries, prepositions,
# relatives and conjunctions.
_PHRASE_END = frozenset("""
is are was were be been being do does did has have had will would can could should may might must get gets got
who whom whose which that what of for in on at to from by under with within according during per into about since
between among as than and or but when where while after before over each across the a an its their his her this
these those
""".split())


def _head(words: str, plural: bool = False) -> str:
    """The first French word of the head of the noun phrase these folded words start with, empty when the lexicon
    knows none: its last words the lexicon knows (« work-training site » → « chantier-école »), never a past
    participle; of a count or a rank (« how many … », « the first … »), its last plural when it has one (« rural
    elderly homeowners had » → « propriétaire », « people live in » → « personnes »). The phrase ends at an
    auxiliary, a preposition, a relative or an article, or at a participle followed by one (« projects | funded
    by … »); a possessive belongs to it (« the agreement's FQIS contribution »)."""
    tokens = re.findall(r"[a-z][a-z'-]*", _unhyphened(words.replace("’", "'")))
    phrase: list[str] = []
    for number, word in enumerate(tokens[:6]):
        after = tokens[number + 1] if number + 1 < len(tokens) else ""
        if word in _PHRASE_END or (phrase and word.endswith(("ed", "ing")) and (not after or after in _PHRASE_END)):
            break
        phrase.append(re.sub(r"'s?$", "", word))
    if plural:  # what is counted is plural: the phrase ends at its last plural (a verb may follow it bare)
        plurals = [number for number, word in enumerate(phrase) if word.endswith("s") or word in _PLURALS]
        phrase = phrase[:plurals[-1] + 1] if plurals else phrase
    for end in range(len(phrase), 0, -1):
        if phrase[end - 1].endswith("ed"):
            continue  # « what project received … »: a verb, not the thing asked
        known = next((" ".join(phrase[start:end]) for start in range(end) if " ".join(phrase[start:end]) in LEXICON),
                     "")
        if known:  # its first French word, with what « de » joins to it (« taux de chômage », not « taux »)
            return re.match(r"\S+(?:\s+(?:de|du|des)\s+\S+|\s*d['’]\S+)*", LEXICON[known]).group()
    return ""


_PLURALS = frozenset("people children men women staff personnel".split())


def _asks_kind(french: str) -> bool:
    """Whether a French question's words ask a kind of answer (``constraints.answer_kind``: « quel salaire »)."""
    from assistant.answer.constraints import answer_kind  # constraints reads English through this module

    return bool(answer_kind(f"{french} ?"))


def _unhyphened(text: str) -> str:
    """A text with its lowercase hyphenated words the lexicon does not know as one term split into their words
    (« night-shift » → « night shift »); a name keeps its hyphens (« Sept-Îles », « Cap-de-la-Madeleine »)."""
    return re.sub(r"(?<![\w-])[a-z]+(?:-[a-z]+)+(?![\w-])",
                  lambda match: match.group() if match.group() in _HYPHENED else match.group().replace("-", " "), text)


# An ordinal and what follows it (« the first instalment », « the second call for projects »): read in French
# before the French word of that noun, as the rank of a series (``constraints.ordinal_asked``).
_ORDINALS = {"first": "premier", "second": "deuxième", "third": "troisième", "fourth": "quatrième",
             "fifth": "cinquième"}
_RANKED = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+(?=[a-z])")


def _ranked(text: str) -> list[str]:
    """Each ordinal of a text in French before the French word of the noun it ranks: « the first instalment » →
    « premier versement »."""
    folded = fold(text)
    return [f"{_ORDINALS[match.group(1)]} {head}" for match in _RANKED.finditer(folded)
            if (head := _head(folded[match.end():], plural=True))]


def _french_date(groups: tuple[str | None, ...]) -> str:
    """« 22 octobre 2013 », « mars 2012 », « 22 octobre » from a date's month, day and year, in any order."""
    month = next(LEXICON[g.lower()] for g in groups if g and g.lower() in _MONTHS)
    day = next((g for g in groups if g and g.isdigit() and len(g) <= 2), "")
    year = next((g for g in groups if g and g.isdigit() and len(g) == 4), "")  # not « June », « July »
    return " ".join(part for part in ("1er" if day == "1" else day, month, year) if part)


_ENGLISH_STEMMER = Stemmer.Stemmer("english")
_MIN_COGNATE = 5  # letters of a cognate's stem: shorter ones meet French words by chance (« time », « tim »)
_COGNATE_ENDING = 3  # letters a French ending may add to it (« result », « resultat »)


def cognates(question: str, present: set[str]) -> str:
    """The English words of a question that the lexicon lacks but the French of the passages found shares, by their
    stem (a cognate: « consolidation », « results » for « résultats », « adopting » for « adopté », « estimate »
    for « estimée »), as the words whose French stems are among ``present``; names and words of few letters left
    out."""
    text = _french_acronyms(_REGION.sub(" ", question))
    text = _TERM.sub(" ", fold(_unhyphened(" ".join(word for word in text.split() if not word[:1].isupper()))))
    found = []
    for word in re.findall(r"[a-z]+", text.replace("’", "'")):
        if word in _PHRASE_END or word in _ENGLISH_CAPITALS:
            continue
        stems = {stem for form in (word, _ENGLISH_STEMMER.stemWord(word))
                 if len(stem := analyse([form])[0]) >= _MIN_COGNATE}
        found += sorted(french for french in present if any(_cognate(stem, french) for stem in stems))
    return " ".join(dict.fromkeys(found))


def _cognate(english: str, french: str) -> bool:
    """Whether a French stem is an English stem's cognate: the same, or it with a French ending of a few letters
    (« result », « resultat »), and read back as itself (a stem that analyses again to another is not a word)."""
    return (french.startswith(english) and len(french) - len(english) <= _COGNATE_ENDING
            and analyse([french])[0] == french)


def _french_words(text: str) -> str:
    """The lexicon's French words for the English terms of a text, each once, in their order; a word the lexicon
    lacks that is a one-word term's inflection (``_inflected``: « worked », « seeing ») counts as that term."""
    return " ".join(french_groups(text))


def french_groups(text: str) -> list[str]:
    """The lexicon's French words of each English term of a text, each once, in their order: one string a term
    (« année exercice » for « year »), which a unit answers by giving one of its words (``QuestionTerms.alike``)."""
    folded = fold(_unhyphened(text)).replace("’", "'")
    terms = [match.group(1) or _inflected(match.group("word")) for match in _TERM_OR_WORD.finditer(folded)]
    return list(dict.fromkeys(LEXICON[term] for term in terms if term))


_TERM_OR_WORD = re.compile(_TERM.pattern + r"|(?<![\w'-])(?P<word>[a-z]+)(?![\w-])")
# One-word terms by their English stem (« work » by « work »): an inflected form (« worked ») is read as its term.
_BY_STEM = {_ENGLISH_STEMMER.stemWord(term): term for term in sorted(LEXICON, key=len, reverse=True)
            if term.isalpha()}


def _inflected(word: str) -> str:
    """The one-word term of the lexicon that a word inflects (« worked », « seeing », « meets », « delegated »: the
    term, then an inflection's ending, with the same English stem); empty for any other word, a derived one too
    (« organizer » is no « organization », « presentations » no « present », « yearly » no « year »)."""
    term = _BY_STEM.get(_ENGLISH_STEMMER.stemWord(word), "")
    root = term.rstrip("e")
    return term if (term and word not in _PHRASE_END and word.startswith(root)
                    and _INFLECTION.fullmatch(word, len(root))) else ""


# The endings of an English inflection after its stem's last letter (a final « e » dropped, a consonant doubled).
_INFLECTION = re.compile(r"(?:e?s|e?d|ing|([b-df-hj-np-tv-z])\1(?:ed|ing))")


def english_names(text: str) -> dict[str, str]:
    """The names of an English text by their ``name_key``, as written (``french.names``), less its capitalised
    English words (a term of the lexicon, a question word, a month: « Indigenous », « Who », « October ») and
    possessive « 's » (« CRÉ's » is « CRÉ »)."""
    found = {}
    # « North Shore » is a region, checked as one; « RCM » is the « MRC », no name.
    for written in names(_REGION.sub(" ", _french_acronyms(text))).values():
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
