"""French text processing shared by every stage: folding, words, stems (the BM25 analyser), figures, names and
sentences, and the lexical support between a sentence of an answer and a passage."""

from __future__ import annotations

import re
import unicodedata

import Stemmer

_STEMMER = Stemmer.Stemmer("french")

# Words too common in French to show that a passage supports a sentence.
STOP_WORDS = frozenset("""
au aux avec ce ces cette dans de des du elle elles en est et etre ete il ils la le les leur leurs lui mais
meme ne ni nos notre nous on ont ou par pas plus pour qu que qui sa sans se ses son sont sur ta te tes ton
tu un une vos votre vous ete etait avait a y d l n s c j m qu cela comme entre fait faire aussi alors dont
tres tout tous toute toutes autre autres ainsi selon lors chaque peut
combien quel quelle quels quelles quand comment pourquoi lequel laquelle lesquels lesquelles quoi
""".split())
# Capitalised words that start or frame a question or a sentence without naming anything (French and English).
_NOT_NAMES = frozenset("""
quel quelle quels quelles qui que quoi quand comment combien pourquoi ou est-ce et puis du coup donc selon
parmi depuis apres avant pendant en au aux le la les un une des dans pour par sur chez c il elle ils elles on
what which who whom whose when where why how is are was were does did do the a an in on of for to by at
according from and or with during since january february march april may june july august september
october november december
""".split())
# The last word of an inverted verb (« a-t-elle », « Qu'est-ce », « Donne-moi »), which is no name.
_PRONOUNS = frozenset("ce moi toi il ils elle elles on nous vous lui leur je tu".split())
# Written-out numbers that answers and passages use for small counts (« sept personnes », « seven members »).
NUMBER_WORDS = {
    "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7", "huit": "8", "neuf": "9",
    "dix": "10", "onze": "11", "douze": "12", "treize": "13", "quatorze": "14", "quinze": "15", "seize": "16",
    "vingt": "20", "trente": "30", "quarante": "40", "cinquante": "50", "cent": "100",
    "two": "2", "three": "3", "four": "4", "five": "5", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
    "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "hundred": "100",
}
# A sentence ends after « . », « ! », « ? » (not after an initial: « M. Denis Ouellet ») and its markers, before an
# uppercase start; a cited sentence ends at « [2]. », whatever starts the next (« 7.2 À titre d'exemple… »).
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?<!\b[A-ZÀ-ÖØ-Þ]\.)(?:\s*(?:\[\d+(?:\s*,\s*\d+)*\])+)?\s+"
                           r"(?=[A-ZÀ-ÖØ-Þ«\"(])|(?<=\]\.)\s+(?=\S)")
# A figure: digits grouped by thousands with (narrow) spaces, or digits with decimal or thousands separators.
_NUMBER = re.compile(r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)*")
_MARKERS = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")
_WORD = re.compile(r"[a-z0-9]+")
_ELISION = re.compile(r"(?:[LDJMNSTC]|Qu|Jusqu|Lorsqu|Puisqu)['’]", re.IGNORECASE)
# A name: a capitalised word (accents, inner hyphens and apostrophes allowed) or an acronym.
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\wÀ-ÿ]*(?:[-–'’][\wÀ-ÿ]+)*")


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer, each keeping the ``[n]`` markers written right after its final period."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def strip_markers(text: str) -> str:
    """The text without its ``[n]`` markers."""
    return _MARKERS.sub("", text)


def fold(text: str) -> str:
    """Lower case without accents, so that « Québec » and « quebec » match."""
    return strip_accents(text.lower())


def strip_accents(text: str) -> str:
    """The text without its accents, case kept."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def analyse(words: list[str]) -> list[str]:
    """Stem French words, then drop accents, so that « région », « regions » and « Régions » meet (the BM25
    analyser, also used to compare an answer's words with its passages')."""
    return [strip_accents(stem) for stem in _STEMMER.stemWords(words)]


def words_of(text: str) -> list[str]:
    """Folded words in order, apostrophes and dashes as separators (« Saguenay–Lac-Saint-Jean » → four words)."""
    return _WORD.findall(fold(text))


def content_words(text: str) -> set[str]:
    """Words that carry meaning (no stop words, no one- or two-letter words)."""
    return {w for w in words_of(text) if len(w) > 2 and w not in STOP_WORDS}


def content_stems(text: str) -> set[str]:
    """Content words reduced to their French stems, so that « signée » meets « signé » and « ententes »."""
    return set(analyse(sorted(content_words(text))))


def stem_pairs(text: str) -> set[tuple[str, str]]:
    """Consecutive content stems, stop words skipped: « comité de suivi » → (comit, suivi), which « frais
    d'administration » and « conseil d'administration » do not share."""
    stems = analyse([w for w in words_of(text) if len(w) > 2 and w not in STOP_WORDS])
    return set(zip(stems, stems[1:]))


def figures(text: str) -> set[str]:
    """Numbers written in the text, spaces and separators removed (« 1 505 000 » → « 1505000 »)."""
    return {re.sub(r"[^\d]", "", n) for n in _NUMBER.findall(strip_markers(text))}


def figures_and_number_words(text: str) -> set[str]:
    """Figures, plus the small numbers written out in words (« sept » → « 7 »)."""
    return figures(text) | {NUMBER_WORDS[w] for w in words_of(text) if w in NUMBER_WORDS}


def names(text: str) -> dict[str, str]:
    """Proper names and acronyms of a text, by their ``name_key`` (« cote nord » → « Côte-Nord »); the first word
    of the text is left out unless it is an acronym or a hyphenated name, and so are inverted verbs (« Qu'est-ce ») and
    elisions (« C'est »)."""
    found, text = {}, strip_markers(text)
    for match in _NAME.finditer(text):
        word = match.group()
        first = not text[:match.start()].strip(" «\"(")
        elided = _ELISION.match(word)
        if elided:  # « L'Alliance », « D'Autray »: the capital after the apostrophe is meant
            word, first = word[elided.end():], False
            if not word[:1].isupper():
                continue
        parts = words_of(word)
        # A text's first word is a name if it is an acronym or, hyphenated, has a capital after its hyphen
        # (« Côte-Nord », « Sept-Îles »; not « Au-delà », « Peut-on »).
        named_first = word.isupper() or bool(re.search(r"[-–][A-ZÀ-Þ]", word))
        if (fold(word) in _NOT_NAMES or (first and not named_first) or len(word) < 3
                or parts[-1] in _PRONOUNS or all(part in STOP_WORDS for part in parts)):
            continue
        found[name_key(word)] = word
    return found


def name_key(text: str) -> str:
    """Folded words joined by spaces, a final plural « s » and feminine « e » dropped, so that names compare as
    whole words in their other forms (« les Innus », « la communauté innue »)."""
    return " ".join(map(_name_word, words_of(text)))


def _name_word(word: str) -> str:
    """A word without its final plural « s », then its final feminine « e » (a word of five letters or more)."""
    word = word[:-1] if len(word) > 3 and word.endswith("s") else word
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def missing_names(sentence: str, passage: str) -> set[str]:
    """Names of the sentence that the passage does not contain."""
    haystack = f" {name_key(passage)} "
    return {written for key, written in names(sentence).items() if f" {key} " not in haystack}


def missing_figures(sentence: str, passage: str) -> set[str]:
    """Figures of the sentence that the passage gives neither in digits nor in words."""
    return figures(sentence) - figures_and_number_words(passage)


def lexical_support(sentence: str, passage: str) -> float:
    """Share of the sentence's content words (French stems) that the passage contains, its names left out: they
    are checked on their own, and they would let a sentence that merely repeats the question's subject
    (« l'Alliance de la Mauricie a été fondée en 2015 ») pass on them alone. Markers are ignored."""
    sentence = strip_markers(sentence)
    name_words = {word for written in names(sentence).values() for word in words_of(written)}
    stems = set(analyse(sorted(w for w in content_words(sentence) - name_words if not w.isdigit())))
    return len(stems & content_stems(passage)) / len(stems) if stems else 0.0
