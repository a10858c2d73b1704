"""Synthesis questions (« Quelles tensions entre acteurs le rapport relève-t-il ? », « Quels sont les principaux
constats ? », « What does the report conclude about… ? »): the answer is two to four key points, each its own
sentence of the corpus, copied word for word and cited.

Such a question is short and abstract: its points seldom repeat its words, so its passages are searched wider
(``retrieval.synthesis_top_k``, ``synthesis_per_document``) and a point needs no share of its words: the ranking
decides. What
makes a point: a sentence or a list item that states something — not a heading, a question, a fragment cut by the
passage's edge, a quotation from an interview (an anecdote: « « On a écrit trois demandes… » (organisme) »), or
what a report says of itself in its introduction or method. Which points: the best by relevance plus cosine, with
a bonus when the passage's section title shares the question's words (« Difficultés et tensions », « Leçons »,
« Les limites de l'étude »: a report says where it speaks of a theme) and one for the sentence that opens a section
(a report states its finding, then elaborates it); each point taken from a passage lowers its other sentences'
scores (but each item of a list, and each sentence of a section that names the theme, is a point of its own). A
unit that announces a list (« … selon trois critères : ») is answered by the items under it, in their order.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import takewhile

from assistant.answer.constraints import EvidenceUnit, Item, regions_named, regions_placed
from assistant.answer.context import QuestionTerms
from assistant.answer.evidence import RankedUnit
from assistant.french import fold
from assistant.models import Passage

# A point needs this share of the relevance floor: none (docs/answers.md); its ranking decides.
SYNTHESIS_FLOOR_SHARE = 0.0
# What a section title that shares the question's words adds to a point's score (a score in about [0, 2]).
SECTION_BONUS = 0.5
# What opening a section adds to a point's score: a report states its finding first, then elaborates it.
OPENING_BONUS = 0.2
# What each point already taken from a passage takes off another of its sentences' score.
PASSAGE_PENALTY = 0.1
# A section whose title holds this share of the theme's words is about it (« Difficultés et tensions »).
THEME_SECTION = 0.5
# A passage of the question's document is read for its points when a title over it or in it holds this share of
# the theme's words (« Difficultés », « 6. Constats pour le plan d'action régional »; leave-one-set-out:
# docs/answers.md).
THEME_TITLE = 0.75
# Points of an answer: at least two are looked for, at most this many are shown.
MAX_POINTS = 4
# A point has at least this many words (« R7 », left of « Alléger la reddition de comptes R7 », is none).
MIN_POINT_WORDS = 4

# The nouns of a question that asks for several points: findings, problems, lessons, recommendations…
_POINT_NOUNS = (
    "tensions|enjeux|constats|conclusions|difficultes|defis|obstacles|problemes|lecons|enseignements|critiques"
    "|reproches|limites|forces|faiblesses|points|conditions|recommandations|propositions|mesures|pistes|effets"
    "|retombees|changements|desaccords|conflits|risques|avantages|inconvenients|apprentissages|resultats"
    "|facteurs|raisons|causes|modeles|preoccupations|attentes|besoins|frictions|objections"
    # What a report or a document lists: its criteria, objectives, questions, requirements, priorities, steps…
    "|criteres|objectifs|questions|exigences|obligations|orientations|axes|etapes|principes|engagements"
    "|roles|responsabilites|taches|arguments|motifs|moyens|strategies|leviers|groupes|categories|caracteristiques"
    "|elements|aspects|dimensions|lacunes|tendances"
    # What was gained or guarded against (« Quels gains… reconnaît-elle ? », « Quelles précautions… ? »).
    "|gains|acquis|benefices|progres|reussites|ameliorations|precautions|garanties|craintes|espoirs|inquietudes")
_EN_POINT_NOUNS = (
    "tensions|challenges|lessons|issues|findings|difficulties|obstacles|conclusions|recommendations|problems"
    "|criticisms|limits|limitations|effects|conditions|takeaways")
# A verb of a report or a person that sums up (« retient », « conclut », « recommande », « reproche »).
_SUMS_UP = ("retien(?:t|nent)|conclu(?:t|ent)|recommand(?:e|ent)|reproch(?:e|ent)|ressort|montr(?:e|ent)"
            "|revel(?:e|ent)|demontr(?:e|ent)|enseign(?:e|ent)|illustr(?:e|ent)|exig(?:e|ent)|impos(?:e|ent)")
# What makes things hard, as a question asks it (« Qu'est-ce qui complique… », « De quoi… se plaint-il ? »).
_HINDERS = r"complique|freine|nuit|gene|bloque|entrave|ralentit|pese|accroche|coince|empeche"
# What a question calls hard (« Qu'est-ce qui rend la participation si ardue ? »).
_HARD = r"difficiles?|ardue?s?|compliquee?s?|penibles?|lourde?s?"
_COMPLAINS = r"se plai(?:n|gn)\w*|deplor\w*|denonc\w*|critiqu(?:e|ent)"
# An open question (« Comment… », « Que… », « Quelles… »), after a preamble if any, that asks no figure.
_OPEN = (r"^(?![^?]*\b(?:combien|montants?|sommes?|dates?|nombres?|pourcentages?|budgets?)\b)(?:[^?]*?[,:] )?"
         r"(?:comment (?!s'appel)|que |qu'|sous quelles |de quelles |quels |quelles )")
# Several members the question goes over, one point each: « d'une région à l'autre », « les différents acteurs »,
# « entre les territoires », « selon le rapport et les organisatrices… ».
_SEVERAL = (r"\bd'une? [^?]{1,30}? a l'autre\b|\b(?:les|des) differente?s \w+|\bles acteurs\b|\bentre les \w+s\b"
            r"|\bselon (?:le|la|les) [^?,]+ et (?:le|la|les|des) ")
# What a person wants or fears for what comes next (« Que souhaite… pour la suite… », « pour l'avenir »,
# « Pour l'après-2015, que réclamaient… »): the wishes an interview or a report lists.
_WANTS = r"(?:souhait|reclam|esper|crai[gn]|attend|demand|voudrai|aimerai|plaid)\w*"
_NEXT = r"pour (?:la suite|l'avenir|l'apres|(?:la|le) prochaine?)"
_SYNTHESIS = re.compile("|".join((
    rf"(?={_OPEN})(?=[^?]*(?:{_SEVERAL}|\b{_WANTS}\b[^?]*\b{_NEXT}\b|\b{_NEXT}\b[^?]*\b{_WANTS}\b))",
    # « Quels sont les principaux constats… », « Quelles tensions… », « Quels problèmes… »
    rf"\bquel(?:le)?s (?:sont |furent |etaient )?(?:les )?(?:(?:principa(?:les|ux)|grand(?:e)?s|ma[ij]eur(?:e)?s"
    rf"|deux|trois|quatre) )?(?:{_POINT_NOUNS})\b",
    # « Qu'est-ce que le rapport retient sur… », « Que retient le rapport… », « Que recommande… »
    rf"^(?:qu'est-ce (?:que|qu')|que |qu')[^?]{{0,80}}?\b(?:{_SUMS_UP})\b",
    rf"\bqu'est-ce qui (?:ressort|se degage|{_HINDERS})\b|\bresume(?:z|r)?\b|\bsynthese\b|\ben bref\b",
    rf"\bqu'est-ce qui rend\b[^?]{{0,60}}?\b(?:{_HARD})\b",
    # « Comment les rapports… ont-ils évolué ? », « Comment le comité s'y est-il pris pour… ? »: a course of
    # events or a way of doing, told in several steps.
    r"^(?:[^?]*?[,:] )?comment\b[^?]*\b(?:evolue|change|s'y (?:est|sont)-(?:il|elle|ils|elles) pris)\b",
    rf"^(?:de quoi|qu'est-ce (?:que|qu')|que |qu')[^?]{{0,60}}?\b(?:{_COMPLAINS})\b",
    # « Quelles conceptions de l'équité… traduisent-elles, selon le rapport ? »: several things the report holds.
    r"^(?:\w+ )?quel(?:le)?s (?:sont |furent )?(?:les )?\w{4,}[sx]\b[^?]*\b(?:le|du|dans le|selon le|ce) rapport\b"
    r"(?! annuel)",
    # « What are the main challenges… », « What lessons… », « What does the report conclude about… »
    rf"\bwhat (?:are |were )?(?:the )?(?:main |key |major )?(?:{_EN_POINT_NOUNS})\b",
    r"\bwhat does (?:the|this) (?:report|study|interview|research) (?:conclude|say|find|recommend|retain|show)\b",
    r"\bsummari[sz]e\b|\bkey (?:points|findings)\b",
)))

# A quotation of an interview: a sentence that opens a quote, or closes one before its attribution
# (« … » (élu municipal, Lanaudière, ENT-LAN-01)).
_QUOTE = re.compile(r"^\s*«|»\s*\([^)]*\)\s*$|^\s*»")
_ATTRIBUTION = re.compile(r"^\s*»?\s*\([^)]*\)\s*")
# A sentence about the document itself, not a finding (« Le chapitre 10 propose… », « ce rapport »).
_ABOUT_ITSELF = re.compile(r"\b(?:ce|le present) rapport\b|^le rapport\b|\bchapitres? (?:suivants?|\d+)\b"
                           r"|\bnotre (?:etude|enquete)\b")
# The sections where a report speaks of itself — its introduction, its plan, its method, its table of contents:
# what they hold is no finding, unless the question asks about them (« Quelles sont les limites de l'étude ? »).
_ABOUT_ITSELF_SECTION = re.compile(r"\b(?:introduction|plan du rapport|objet de l'etude|methodologie|methode"
                                   r"|table des matieres|sommaire)\b")
# A question about the research itself — the LESR, its team, its researchers (« Quelles précautions l'équipe du LESR
# a-t-elle prises… ? ») — is answered where the report speaks of itself, on folded text (« les personnes
# interrogées » is no such word: they are asked about their critiques too).
_ABOUT_THE_STUDY = re.compile(r"\blesr\b|\bequipe (?:de recherche|de l'etude)\b|\bchercheu(?:r|rs|se|ses)\b"
                              r"|\bresearch team\b")
# The start of a list item: a bullet, or a number (« 2. », « R5. »).
_ITEM = re.compile(r"\s*(?:[•\-–*]|[A-Z]?\d{1,2}[.)]\s)")
# A heading starts with a capital, after its number if it has one (« Leçons », « 6. Constats pour le plan d'action
# régional »).
_HEADING_START = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[A-ZÀ-ÖØ-Þ]")
# The marks of a Markdown heading (« ## Perspectives »).
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
# A sentence's end, as the passage's edge may cut it off.
_END = re.compile(r"[.!?:;»)]\s*$")
# The full stop of a sentence, before a title the layout glued after it.
_STOP = re.compile(r"[.!?]\s*$")


def is_synthesis(question: str) -> bool:
    """Whether the question asks for several points (« Quelles tensions entre acteurs le rapport relève-t-il ? »,
    « Qu'est-ce que le rapport retient sur… », « What does the report conclude about… »)."""
    return bool(_SYNTHESIS.search(fold(question).replace("\u2019", "'")))


def point_text(unit: EvidenceUnit, text: str) -> str:
    """A point as shown: the sentence without what the layout glued to it — the attribution of the quotation
    before it (« » (citoyen, Côte-Nord) »), the titles of the sections that open before it (« Leçons ») or after
    it."""
    text = _ATTRIBUTION.sub("", text)
    titles = _titles(unit)
    while glued := next((t for t in titles if text.startswith(t + " ") and text[len(t) + 1:][:1].isupper()), ""):
        text = text[len(glued) + 1:]
    # The next section's title glued after the sentence's end (« … en 2014-2015. Budget par exercice financier »).
    while glued := next((t for t in titles if text.endswith(" " + t) and _STOP.search(text[:-len(t) - 1])), ""):
        text = text[:-len(glued) - 1]
    return _whole_items(unit, text)


# A list announced and given inside one sentence: « … lui reprochent trois choses : de désigner…; d'oublier… ».
_INLINE_LIST = re.compile(r" : [^;]+; ")
LAST_CLAUSE = re.compile(r"[;,] [^;,]*$")  # a sentence's last clause, after its last « ; » or « , »
CUT = " …"  # what stands for the end of a sentence the passage's edge cut


def _whole_items(unit: EvidenceUnit, text: str) -> str:
    """A sentence that gives a list's items and that the passage's end cuts off (« … lui reprochent trois choses :
    de désigner…; d'oublier les personnes pauvres qui vivent hors des secteurs ciblés, nombreuses dans les banlieues
    de »), up to its last whole clause, then « … »; any other text as it is."""
    passage_end = " ".join(unit.source.passage.text.split())[-40:]
    if _END.search(text) or not _INLINE_LIST.search(text) or not " ".join(text.split()).endswith(passage_end):
        return text
    return LAST_CLAUSE.sub("", text) + CUT


def _headings(text: str) -> list[str]:
    """The headings a passage's text holds as lines of their own: short, starting with a capital, ending no
    sentence, after a line that ends one or another heading (« Leçons », « Territoires urbains et ruraux »)."""
    headings: list[str] = []
    after_end = True  # the line before ended a sentence, or was a heading itself
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()]  # blank lines apart
    for line, after in zip(lines, lines[1:] + [""]):
        marked = _MARKDOWN_HEADING.match(line)  # « ## Perspectives »: a heading as Markdown writes it
        line = line[marked.end():] if marked else line
        # A short line over a list is its heading, whatever stands above it (« Objectifs » then « 1. Offrir… »).
        heading = bool(marked and line) or (
            (after_end or _ITEM.match(after) is not None) and 0 < len(line) <= 60
            and _HEADING_START.match(line) is not None and not _END.search(line))
        if heading:
            headings.append(line)
        after_end = heading or bool(_END.search(line))
    return headings


def _titles(unit: EvidenceUnit) -> list[str]:
    """The section titles that may stand at the start of a unit, longest first: its passage's own (chapter,
    section) and the headings its passage holds."""
    passage = unit.source.passage
    return sorted({*passage.section.split(" — "), *_headings(passage.text)} - {""}, key=len, reverse=True)


def unit_section(unit: EvidenceUnit) -> str:
    """The title of the section a unit stands in: the last heading of its passage before it, else the passage's
    section (where the passage starts)."""
    passage = unit.source.passage
    flat = " ".join(passage.text.split())
    at = flat.find(" ".join(unit.text.split())[:60])
    before = [h for h in _headings(passage.text) if 0 <= flat.find(h) < at] if at > 0 else []
    return before[-1] if before else passage.section.split(" — ")[-1]


def opens_section(unit: EvidenceUnit) -> bool:
    """Whether a unit is the first sentence under a heading (« Le poids de la reddition de comptes » then « Enfin,
    la reddition de comptes est la critique la plus unanime… »): where a report states a finding, before its
    elaborations and examples."""
    flat = " ".join(unit.source.passage.text.split())
    text = _ATTRIBUTION.sub("", " ".join(unit.text.split()))
    if any(text.startswith(title + " ") for title in _titles(unit)):
        return True  # the layout glued the heading to the sentence
    at = flat.find(text[:60])
    before = flat[:at].rstrip() if at > 0 else ""
    return bool(before) and any(before.endswith(heading) for heading in _headings(unit.source.passage.text))


def is_point(unit: EvidenceUnit, text: str) -> bool:
    """Whether a unit can be a point: a sentence or list item that states something, whole (a sentence cut by the
    passage's edge or the layout ends with no stop), not a quotation."""
    if (unit.kind != "sentence" or text.rstrip().endswith(("?", ":")) or _QUOTE.search(text) or "*" in text[:2]
            or "**" in text or _ABOUT_ITSELF.search(fold(text))):
        return False
    # A list item may go on its introduction's sentence (« Il relève trois difficultés : » then « - le décalage
    # des calendriers : … »): it starts in lower case — but one with no bullet at its passage's very start is
    # the end of an item the passage's edge cut (« coexistent banlieues en croissance… »).
    return ((text[:1].isupper() or ((list_item(unit) or (_continues_list(unit) and not _opens_passage(unit)))
                                    and text[:1].isalpha()))
            and (bool(_END.search(text)) or text.endswith(CUT))
            and len(text.split()) >= MIN_POINT_WORDS and not _inside_quotation(unit))


def _opens_passage(unit: EvidenceUnit) -> bool:
    """Whether a unit is the very start of its passage's text."""
    return unit.source.passage.text.lstrip().startswith(unit.text.lstrip()[:40])


def _continues_list(unit: EvidenceUnit) -> bool:
    """Whether a unit is an item of a list whose bullets the layout lost (« Difficultés » then « le roulement : deux
    animatrices…; », « l'hiver, qui fait annuler… »): an item that ends with « ; », or a line of its own after a
    heading or a line that ends with « ; » or « : »."""
    if unit.text.rstrip().endswith(";"):
        return True  # an item of a list in sentences, the passage's edge may cut it from the item before it
    text = unit.source.passage.text
    at = text.find(unit.text[:40])
    before = text[:at].rstrip(" ") if at > 0 else ""
    if not before.endswith("\n"):
        return False
    previous = before.rstrip().rsplit("\n", 1)[-1].strip()
    return previous.endswith((";", ":")) or previous in _headings(text)


def about_itself(question: str, unit: EvidenceUnit) -> bool:
    """Whether a unit stands where a report speaks of itself (its introduction, plan or method: « Les chapitres 4
    à 9 sont consacrés… », « Elle s'intéresse plutôt à… ») and the question does not ask about that section."""
    passage = unit.source.passage
    titles = fold(f"{passage.section} {unit_section(unit)}")
    return (bool(_ABOUT_ITSELF_SECTION.search(titles)) and not section_match(question, unit)
            and not _ABOUT_THE_STUDY.search(fold(question)))


def _inside_quotation(unit: EvidenceUnit) -> bool:
    """Whether a unit stands inside a quotation of several sentences (« On a pris six mois de plus, mais c'était
    le prix pour que ça tienne. » after « « Avec Pessamit, on a appris… »): more « than » before it."""
    flat = " ".join(unit.source.passage.text.split())
    before = flat[:max(flat.find(" ".join(unit.text.split())[:60]), 0)]
    return before.count("«") > before.count("»")


# The words a report's section titles use for what a synthesis question asks (« Quels problèmes… » is answered
# under « Difficultés et tensions »): a small general lexicon of how reports are laid out.
_SECTION_WORDS = (
    (rf"tensions|difficultes|defis|obstacles|problemes|critiques|reproches|desaccords|conflits|frictions|limites"
     rf"|{_HINDERS}|{_HARD}|{_COMPLAINS}|challenges|difficulties|problems|issues|criticisms",
     "difficultes tensions limites"),
    (r"lecons|enseignements|retien|conclu|apprentissages|montr|revel|demontr|enseign|illustr|lessons|conclude",
     "lecons conclusion"),
    (r"recommand|propos|mesures|pistes|recommend", "recommandations"),
    (r"constats|resultats|findings|resume|synthese|summar", "resume constats conclusion"),
    # What comes next, as an interview or a report titles it (« Perspectives », « L'incertitude sur l'après-2015 »).
    (rf"{_NEXT}|souhait|esper|crai[gn]|attentes|avenir|perspectives|wish|hope", "perspectives suite avenir apres"),
)


# A question that names the research report as its source (« le rapport relève », « selon l'étude », « the
# report »): its points come from documents of type « rapport » when the search found any.
_NAMES_REPORT = re.compile(r"\b(?:le|du|au|ce|dans le|selon le) rapport\b(?! annuel)|\b(?:l'|cette )etude\b"
                           r"|\bla recherche\b|\bles (?:auteurs|chercheurs)\b|\b(?:the|this) (?:report|study)\b")
# « rapport » itself is no theme word: it would find « le rapport annuel ».
_REPORT_WORD = re.compile(r"\b(?:le|du|au|ce|dans le|selon le) rapport\b(?! annuel)|\b(?:the|this) report\b")
REPORT_TYPE = "rapport"


def section_words(question: str) -> str:
    """The question's theme words (the document it names as its source left out), and the words a section title
    would use for what it asks."""
    asked = fold(question).replace("\u2019", "'")
    theme = _REPORT_WORD.sub(" ", asked)
    return " ".join([theme, *(words for pattern, words in _SECTION_WORDS if re.search(pattern, asked))])


def section_match(question: str, unit: EvidenceUnit) -> float:
    """The share of its section title's words that the question (or the section words for what it asks) holds:
    « Difficultés et tensions » for « Quels problèmes… ? »."""
    section = unit_section(unit)
    return QuestionTerms.of(section).share(section_words(question)) if section else 0.0


def names_theme(question: str, passage: Passage) -> bool:
    """Whether a passage stands under, or holds, a section title that names what the question asks (« Difficultés »
    for « Qu'est-ce qui complique… ? », « 6. Constats pour le plan d'action régional » for « Quels constats… ? »): a
    passage of the question's document worth reading for its points."""
    asked = section_words(question)
    titles = [*passage.section.split(" — "), *_headings(passage.text)]
    return any(QuestionTerms.of(title).share(asked) >= THEME_TITLE for title in titles if title)


def point_scores(question: str, ranked: list[RankedUnit]) -> dict[int, float]:
    """Each unit's score as a point, by ``id``: the question's words found in the unit read with its document's
    title and its section's titles (a point seldom repeats its subject, « La Tuque », « Centre-du-Québec », which
    its document or chapter names), plus its cosine, plus the bonus of a section title that names the theme, plus
    that of a sentence that opens its section."""
    asked = QuestionTerms.of(section_words(question))

    def score(unit: RankedUnit) -> float:
        passage = unit.unit.source.passage
        chapter = passage.section.split(" — ")[0]
        read = asked.share(f"{passage.info.title} {chapter} {unit_section(unit.unit)} {unit.unit.text}")
        return (read + unit.cosine + SECTION_BONUS * section_match(question, unit.unit)
                + OPENING_BONUS * opens_section(unit.unit))

    return {id(unit): score(unit) for unit in ranked}


def rank_points(question: str, ranked: list[RankedUnit]) -> list[RankedUnit]:
    """The units, best point first (``point_scores``)."""
    scores = point_scores(question, ranked)
    return sorted(ranked, key=lambda unit: -scores[id(unit)])


def passage_points(question: str, unit: EvidenceUnit, chosen: list[RankedUnit]) -> int:
    """How many points already come from the unit's passage — none counted for an item of a list, or for a
    sentence of a section whose title names the theme (« Difficultés et tensions »: its sentences are the
    points)."""
    if list_item(unit) or section_match(question, unit) >= THEME_SECTION:
        return 0
    return sum(c.unit.source.number == unit.source.number for c in chosen)


def list_item(unit: EvidenceUnit) -> bool:
    """Whether a unit is an item of a bulleted or numbered list (« • Il ne tient pas compte de la taille des
    territoires », « R5. Revoir le plafond de 2 % »)."""
    return unit.kind == "sentence" and bool(_ITEM.match(unit.text))


# A unit that announces a list: it ends with « : » (« … selon trois critères de diversification : »), or its first
# item is glued to it (« Le Cadre demande à chaque région : • de réaliser… »).
_ANNOUNCES = re.compile(r":\s*$|:\s*(?:[•\-–*]|\d{1,2}[.)])\s")
# Each item under an announcement scores at least the announcement's score less this much a rank: the items come
# in their order.
ITEM_STEP = 0.001
# Passage ids are ``<document prefix>-<n>`` in reading order (``ingest.chunking``).
_PASSAGE_NUMBER = re.compile(r"(.+)-(\d{5})")


def _passage_id(passage: Passage, step: int) -> str:
    """The id of the passage ``step`` passages after this one in its document (empty for a table row or a
    window)."""
    match = _PASSAGE_NUMBER.fullmatch(passage.id)
    return f"{match[1]}-{int(match[2]) + step:05d}" if match else ""


def _in_reading_order(units: list[RankedUnit]) -> dict[str, list[RankedUnit]]:
    """The sentences among the units, by passage id, each passage's in the order its text gives them."""
    by_passage: dict[str, list[tuple[int, RankedUnit]]] = {}
    for ranked in units:
        if ranked.unit.kind == "sentence":
            passage = ranked.unit.source.passage
            at = " ".join(passage.text.split()).find(" ".join(ranked.unit.text.split())[:60])
            by_passage.setdefault(passage.id, []).append((at, ranked))
    return {key: [ranked for _, ranked in sorted(pairs, key=lambda pair: pair[0])]
            for key, pairs in by_passage.items()}


def _is_item(unit: EvidenceUnit) -> bool:
    """Whether a unit is an item of a list: a bullet or number, a line of a list whose bullets the layout lost, or
    an item that goes on the one before it (it starts in lower case)."""
    return list_item(unit) or _continues_list(unit) or unit.text.lstrip()[:1].islower()


def announced_items(units: list[RankedUnit]) -> list[tuple[RankedUnit, list[RankedUnit]]]:
    """Each unit that announces a list (``_ANNOUNCES``), with the items under it: the units after it in its passage
    that are items (``_is_item``), and, when the list runs to the passage's end, those that open the passage that
    follows it (found too): « … selon trois critères de diversification : » is answered by « la structure
    territoriale… », « le moment de la signature… », « le dispositif de gouvernance… »."""
    ordered = _in_reading_order(units)
    announced = []
    for passage_units in ordered.values():
        for at, ranked in enumerate(passage_units):
            if not _ANNOUNCES.search(ranked.unit.text):
                continue
            items: list[RankedUnit] = []
            following = passage_units[at + 1:]
            while following:
                taken = list(takewhile(lambda r: _is_item(r.unit), following))
                items += taken
                if len(taken) < len(following):
                    break  # the list ends within this passage
                following = ordered.get(_passage_id(following[-1].unit.source.passage, 1), [])
            announced.append((ranked, items))
    return announced


def about_item(item: Item | None, unit: EvidenceUnit, found: dict[str, Passage] | None = None) -> bool:
    """Whether a unit's passage (its section's titles and its text), or the passage before it in its document when
    that one was ``found`` too (by id: a section's opening there sets the scene), names the item the question asks
    about (« le calendrier des versements »): a point need not repeat it, but stands where it is spoken of."""
    if item is None or item.evidence is None:
        return True
    passage = unit.source.passage
    before = (found or {}).get(_passage_id(passage, -1))
    return any(item.evidence.search(fold(f"{read.section} {read.text}")) for read in (passage, before) if read)


def naming_documents(names: tuple[str, ...], units: list[RankedUnit]) -> set[str]:
    """The documents (by id) that name all the question's ``names`` in one of their passages found: an interview
    names its organisation once (« Logis-Relais »), its « Difficultés » do not repeat it."""
    read: dict[str, str] = {}
    for ranked in units:
        passage = ranked.unit.source.passage
        text = f"{passage.info.title} {passage.section} {passage.text}"
        read[passage.info.doc_id] = f"{read.get(passage.info.doc_id, '')} {text}"
    return {doc for doc, text in read.items() if all(fold(name) in fold(text) for name in names)}


INTERVIEW_TYPE = "entretien"
# An interview is the one the question asks about when its title and card hold at least this share of the
# question's words, and this much more than any other document's (leave-one-set-out: docs/answers.md).
ASKED_INTERVIEW_SHARE = 0.5
ASKED_INTERVIEW_LEAD = 0.25


def asked_interview(question: str, passages: list[Passage]) -> str:
    """The id of the interview the question asks about, among those of the passages found: the one whose title
    and record card (« Entretien avec un maire de la MRC de Nicolet-Yamaska… », « … mère seule de deux enfants »)
    hold clearly more of the question's words than any other document's title and card; "" when none stands out,
    or when the question names the report as its source. « Que souhaite l'organisatrice communautaire de
    Sept-Îles… » is about her interview, not the citizen's of the same town."""
    if _NAMES_REPORT.search(fold(question).replace("\u2019", "'")):
        return ""
    asked = QuestionTerms.of(question)
    described: dict[str, tuple[str, str]] = {}
    for passage in passages:
        title, card = described.get(passage.info.doc_id, (passage.info.title, ""))
        described[passage.info.doc_id] = (title, card or passage.card)
    shares = sorted(((asked.share(f"{title} {card}"), doc) for doc, (title, card) in described.items()),
                    reverse=True)
    if not shares:
        return ""
    (share, doc), runner_up = shares[0], shares[1][0] if len(shares) > 1 else 0.0
    interview = next(p for p in passages if p.info.doc_id == doc).info.doc_type == INTERVIEW_TYPE
    return doc if interview and share >= ASKED_INTERVIEW_SHARE and share - runner_up >= ASKED_INTERVIEW_LEAD else ""


def chapter_region(passage: Passage) -> str:
    """The one region the chapter of a passage is about, in a document about several regions (« Chapitre 5 –
    Mauricie : une Alliance confiée au Consortium… » of the report on six regions); "" for any other chapter (the
    introduction, the cross-regional analysis, the conclusion) or document."""
    named = regions_named(passage.section.split(" — ")[0]) if len(passage.info.regions) > 1 else ()
    return named[0] if len(named) == 1 else ""


def in_asked_chapters(question: str, candidates: list[tuple[RankedUnit, str]]) -> list[tuple[RankedUnit, str]]:
    """The candidates of the chapters that may speak of what the question places: in a document with a chapter per
    region, no other region's chapter than one the question names (or whose town or MRC it names), and for a
    question that names none, only the chapters about no one region (« Quelles tensions entre acteurs le rapport
    relève-t-il ? » is answered by the report's cross-regional analysis, not by one region's « Difficultés et
    tensions »). A chapter about no one region may speak of the region asked (the recommendations name « celle du
    Centre-du-Québec »): it stays. A document with no candidate in such a chapter keeps all of its own."""
    asked = set(regions_placed(question))

    def placed(ranked: RankedUnit) -> bool:
        region = chapter_region(ranked.unit.source.passage)
        return not region or region in asked

    documents_placed = {ranked.unit.source.passage.info.doc_id for ranked, _ in candidates if placed(ranked)}
    return [(ranked, text) for ranked, text in candidates
            if placed(ranked) or ranked.unit.source.passage.info.doc_id not in documents_placed]


def choose_points(question: str, candidates: list[tuple[RankedUnit, str]], item: Item | None = None,
                  names: tuple[str, ...] = ()) -> list[RankedUnit]:
    """Up to ``MAX_POINTS`` points among the candidates (units that satisfy the question's constraints, each with
    its text as shown), best first, a passage's further sentences after the other passages' points (see
    ``passage_points``), none repeating another, each in a passage that names the question's ``item`` (if any);
    each unit's text without the headings and attribution glued before it."""
    if names:  # a point need not repeat them: its document names them (``naming_documents``)
        named = naming_documents(names, [r for r, _ in candidates])
        candidates = [(r, text) for r, text in candidates if r.unit.source.passage.info.doc_id in named]
    found = {r.unit.source.passage.id: r.unit.source.passage for r, _ in candidates}
    candidates = [(r, text) for r, text in candidates if about_item(item, r.unit, found)]
    interview = asked_interview(question, list({id(r.unit.source.passage): r.unit.source.passage
                                                 for r, _ in candidates}.values()))
    if interview:  # the points of the interview the question asks about, not another one's
        candidates = [(r, text) for r, text in candidates if r.unit.source.passage.info.doc_id == interview]
    elif _NAMES_REPORT.search(fold(question).replace("\u2019", "'")):
        from_report = [(r, text) for r, text in candidates if r.unit.source.passage.info.doc_type == REPORT_TYPE]
        candidates = from_report or candidates
    candidates = in_asked_chapters(question, candidates)
    # Each unit as its point reads: what the layout glued before it left out.
    stripped = [(replace(r, unit=replace(r.unit, text=point_text(r.unit, r.unit.text))), point_text(r.unit, text))
                for r, text in candidates]
    texts = {id(ranked): text for ranked, text in stripped}
    # … but scored as the layout gives it: the headings glued before a sentence say which section and sub-section
    # it opens (« Les tensions entre acteurs », « Organismes communautaires et institutions », « La tension la plus
    # fréquente… »), which the sentence alone, under its sub-heading, no longer says.
    as_laid_out = {id(ranked): original for (ranked, _), (original, _) in zip(stripped, candidates)}
    laid_out_scores = point_scores(question, list(as_laid_out.values()))
    scores = {key: laid_out_scores[id(original)] for key, original in as_laid_out.items()}
    # A unit that announces a list (« … selon trois critères : », « Le Cadre demande à chaque région : ») is
    # answered by its items: each scores at least what the announcement scores, and they come in their order.
    for announcement, items in announced_items([ranked for ranked, _ in stripped]):
        for rank, ranked in enumerate(items):
            scores[id(ranked)] = max(scores[id(ranked)], scores[id(announcement)] - ITEM_STEP * rank)
    left = [ranked for ranked, text in stripped
            if is_point(ranked.unit, text) and not about_itself(question, ranked.unit)]
    chosen: list[RankedUnit] = []
    shown: list[str] = []
    while left and len(chosen) < MAX_POINTS:
        # The best point left, each point already taken from its passage counting against it: a passage's
        # elaborations come after the other passages' points.
        ranked = max(left, key=lambda r: scores[id(r)]
                     - PASSAGE_PENALTY * passage_points(question, as_laid_out[id(r)].unit, chosen))
        left.remove(ranked)
        text = texts[id(ranked)]
        if not any(text in other or other in text for other in shown):
            chosen.append(ranked)
            shown.append(text)
    return chosen
