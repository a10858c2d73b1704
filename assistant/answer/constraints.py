"""What a question pins down — fiscal year, year, region, item asked — and whether a piece of evidence satisfies it.

A figure given for the year, region or item asked must be the one the evidence gives *for that* year, region or
item: « 903 000 $ » (a 2012-2013 payment) or « 30 100 $ » (the 2 % cap) must never answer « Quel montant est prévu
pour 2013-2014 ? ». The question's constraints are read here, exactly (« 2013-2014 » is one token, and « 2013 » does
not match inside « 2012-2013 »), and checked against one evidence unit (a sentence, a table row or a clause) and
its passage. Measurements: ``docs/answers.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.french import figures_and_number_words, fold, name_key, names
from assistant.models import Source

# « 2013-2014 », « 2013–2014 », « 2013-14 »: a fiscal year when the second year follows the first.
_YEAR_SPAN = re.compile(r"(?<![\d-])((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)(?![\d-])")
_YEAR = re.compile(r"(?<![\d\-–—/])((?:19|20)\d\d)(?![\d\-–—/]|\s*[-–—]\s*\d)")
# « l'année suivante », « the next year »: the previous turn's year, plus one.
_NEXT_YEAR = re.compile(r"\b(annee|exercice) (suivante?|d'apres)\b|\bnext (year|fiscal year)\b|\bfollowing year\b")

# The 17 administrative regions of Québec with the adjectives the corpus and its readers use for them
# (« l'entente nord-côtière », « l'Alliance bas-laurentienne »). Folded, longest first when matched.
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "Bas-Saint-Laurent": ("bas-saint-laurent", "bas-laurentien", "bas-laurentienne", "bas-laurentiens",
                          "bas-laurentiennes"),
    "Saguenay–Lac-Saint-Jean": ("saguenay-lac-saint-jean", "saguenay", "lac-saint-jean", "saguenéen", "saguenéenne",
                                "jeannois", "jeannoise"),
    "Capitale-Nationale": ("capitale-nationale",),
    "Mauricie": ("mauricie", "mauricien", "mauricienne", "mauriciens", "mauriciennes"),
    "Estrie": ("estrie", "estrien", "estrienne", "estriens", "estriennes"),
    "Montréal": ("montréal", "montréalais", "montréalaise"),
    "Outaouais": ("outaouais", "outaouaise"),
    "Abitibi-Témiscamingue": ("abitibi-témiscamingue", "abitibi", "témiscamingue", "abitibien", "abitibienne"),
    "Côte-Nord": ("côte-nord", "nord-côtier", "nord-côtière", "nord-côtiers", "nord-côtières", "north shore"),
    "Nord-du-Québec": ("nord-du-québec",),
    "Gaspésie–Îles-de-la-Madeleine": ("gaspésie", "îles-de-la-madeleine", "gaspésien", "gaspésienne"),
    "Chaudière-Appalaches": ("chaudière-appalaches",),
    "Laval": ("laval", "lavallois", "lavalloise"),
    "Lanaudière": ("lanaudière", "lanaudois", "lanaudoise", "lanaudois", "lanaudoises"),
    "Laurentides": ("laurentides", "laurentien", "laurentienne"),
    "Montérégie": ("montérégie", "montérégien", "montérégienne"),
    "Centre-du-Québec": ("centre-du-québec", "centricois", "centricoise"),
}


def _words_key(text: str) -> str:
    """Folded words joined by single spaces, dashes and apostrophes as spaces, for whole-word matching."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "


# A region word preceded by « bas- » or « nord- » is another region's (« bas-laurentienne » is not the Laurentides).
_REGION_PATTERNS = sorted(((_words_key(word).strip(), region) for region, words in REGION_WORDS.items()
                           for word in words), key=lambda pair: -len(pair[0]))


def regions_named(text: str) -> tuple[str, ...]:
    """The regions a text names, by their canonical names, in the order of the table (longest words win)."""
    key = _words_key(text)
    found: list[str] = []
    for words, region in _REGION_PATTERNS:
        if f" {words} " in key:
            found.append(region)
            key = key.replace(f" {words} ", " # ")  # « bas saint laurent » does not also count as « laurent… »
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Item:
    """A kind of fact a question asks for, how a question names it and how the evidence for it reads."""

    name: str  # in French, for refusal reasons: « frais d'administration »
    asked: re.Pattern[str]  # on the folded question
    evidence: re.Pattern[str] | None  # on the folded unit (and its table header): it must match
    excluded: re.Pattern[str] | None = None  # on the folded unit: it must not match (another item's figure)


_OTHER_AMOUNTS = re.compile(r"versement|tranche|administration|\b2 %|mandataire|\b6 %")
ITEMS: tuple[Item, ...] = (
    Item("frais d'administration", re.compile(r"administration|administrative"), re.compile(r"administration")),
    # « tranche » the noun, never the verb (« Comment la Table tranche-t-elle… ? »).
    Item("versement", re.compile(r"versement|\btranches?\b(?!-t-)|instal?lment|payment"),
         re.compile(r"versement|tranche|vers")),
    Item("nombre de projets", re.compile(r"(combien|nombre|how many) (de |d')?(projets?|projects?)"),
         re.compile(r"projet")),
    Item("date de signature", re.compile(r"\bsign"), re.compile(r"sign")),
    # An amount for a fiscal year (« Quel montant est prévu pour 2013-2014 ? ») is the contribution itself, not
    # a payment of it nor a cap: only read when the question also names a fiscal year (see ``read_constraints``).
    Item("montant prévu", re.compile(r"montant|combien|somme|enveloppe|contribution|prevo|prevu|recoi|verse"
                                     r"|how much|amount|fund"), None, _OTHER_AMOUNTS),
)


# What kind of answer a question wants, read on the folded question: a figure, a date or a name. The evidence unit
# must hold one that the question does not already give (« Qui présidait la Table ? » is not answered by a sentence
# about the Table that names nobody).
ANSWER_KINDS: dict[str, re.Pattern[str]] = {
    "date": re.compile(r"\bquand\b|quelle date|a quel moment|en quelle annee|depuis quelle annee|\bwhen\b"
                       r"|what date|by what date|what year|which year|since when"),
    "chiffre": re.compile(r"\bcombien\b|\bhow (much|many|long|far)\b|quel(le)? (est |etait )?(le |la )?(montant|somme"
                          r"|nombre|pourcentage|proportion|taux|enveloppe|plafond|budget|cout|salaire)\b"
                          r"|what (amount|percentage|proportion|share|rate|number)"),
    "nom": re.compile(r"^qui\b|^(et |selon )?qui (est|etait|a|preside|presidait|coordonne|represente|dirige)"
                      r"|\bwho\b|quel(le)? (organisme|ministre|personne|prefet)\b"),
}
_DAY_MONTH = re.compile(r"\b\d{1,2}(er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre"
                        r"|decembre)\b|\b(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre"
                        r"|novembre|decembre|printemps|ete|automne|hiver) \d{4}\b")


@dataclass(frozen=True)
class Constraints:
    """What a question pins down. Empty fields constrain nothing."""

    fiscal_years: tuple[str, ...] = ()  # « 2013-2014 », normalised
    years: tuple[str, ...] = ()  # years written alone (« en 2016 »), never read inside a fiscal year
    regions: tuple[str, ...] = ()  # canonical names
    item: Item | None = None
    answer_kind: str = ""  # "date", "chiffre" or "nom" (see ANSWER_KINDS); empty: any
    asked: str = field(default="", compare=False)  # the question, whose own figures, dates and names answer nothing

    def __bool__(self) -> bool:
        return bool(self.pins or self.answer_kind)

    @property
    def pins(self) -> bool:
        """Whether the question pins down a year, a region or an item, for which a figure must be the right one."""
        return bool(self.fiscal_years or self.years or self.regions or self.item)

    def described(self) -> str:
        """The constraints in a few French words: « montant prévu, 2016-2017, Lanaudière »."""
        return ", ".join(([self.item.name] if self.item else [self.answer_kind] if self.answer_kind else [])
                         + list(self.fiscal_years + self.years + self.regions))

    def parts(self) -> list[tuple[str, Constraints]]:
        """Each constraint alone, with how it is written: to name the one no evidence satisfies."""
        return ([(year, Constraints(fiscal_years=(year,))) for year in self.fiscal_years]
                + [(year, Constraints(years=(year,))) for year in self.years]
                + [(region, Constraints(regions=(region,))) for region in self.regions]
                + ([(self.item.name, Constraints(item=self.item))] if self.item else [])
                + ([(self.answer_kind, Constraints(answer_kind=self.answer_kind, asked=self.asked))]
                   if self.answer_kind else []))


def fiscal_years(text: str) -> tuple[str, ...]:
    """Fiscal years written in a text (« 2013-2014 », « 2013-14 » → « 2013-2014 »); spans over several years
    (« 2011-2015 ») are not fiscal years."""
    found = []
    for first, second in _YEAR_SPAN.findall(text):
        end = int(second) if len(second) == 4 else int(first[:2] + second)
        if end == int(first) + 1:
            found.append(f"{first}-{end}")
    return tuple(dict.fromkeys(found))


def lone_years(text: str) -> tuple[str, ...]:
    """Years written alone (« en 2016 », « juin 2012 »), never those inside « 2012-2013 » or « 2011-2015 »."""
    return tuple(dict.fromkeys(_YEAR.findall(text)))


# Amounts and counts a sentence gives: figures of three digits or more (« 1 505 000 », « 980 »), years left out.
_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?(?![\d.])|(?<![\d.,])\d{3,}(?![\d.,])")


def amounts(text: str) -> set[str]:
    """The amounts and counts of a text, digits only (« 1 505 000 $ » → « 1505000 »): what a sentence must take
    from the evidence for the year, region and item asked. Years (« 2013 ») and section numbers (« 8.1 ») are
    not amounts."""
    found = {re.sub(r"\D", "", match) for match in _AMOUNT.findall(text)}
    return {figure for figure in found if not re.fullmatch(r"(19|20)\d\d", figure)}


def next_fiscal_year(year: str) -> str:
    """« 2013-2014 » → « 2014-2015 »."""
    first = int(year[:4]) + 1
    return f"{first}-{first + 1}"


def read_constraints(question: str, previous: Constraints | None = None) -> Constraints:
    """The constraints of a question; a follow-up (``previous`` given) keeps those of the earlier question that it
    does not replace (« Et en Mauricie ? » keeps the year, « Et l'année suivante ? » moves it by one)."""
    folded = fold(question)
    years_fiscal = fiscal_years(question)
    years = lone_years(question)
    regions = regions_named(question)
    item = next((item for item in ITEMS if item.asked.search(folded)), None)
    if item is not None and item.evidence is None and not years_fiscal and not (previous and previous.fiscal_years):
        item = None  # « combien » alone pins nothing down; an amount *for a fiscal year* does
    kind = next((name for name, pattern in ANSWER_KINDS.items() if pattern.search(folded)), "")
    if previous is None:
        return Constraints(years_fiscal, years, regions, item, kind, question)
    if not years_fiscal and not years and _NEXT_YEAR.search(folded):
        years_fiscal = tuple(next_fiscal_year(y) for y in previous.fiscal_years)
        years = tuple(str(int(y) + 1) for y in previous.years)
    elif not years_fiscal and not years:
        years_fiscal, years = previous.fiscal_years, previous.years
    return Constraints(years_fiscal, years, regions or previous.regions, item or previous.item,
                       kind or previous.answer_kind, question)


# The words that open a follow-up without asking anything (« Et en Mauricie ? »).
_OPENING = re.compile(r"^(?:et|puis|pis|mais|alors|and|so|what about|how about)\b\s*")


def is_elliptical(question: str) -> bool:
    """Whether a follow-up only replaces something of the previous question (« Et en Mauricie ? », « Et celle des
    Laurentides ? », « Et l'année suivante ? ») rather than asking a fact of its own."""
    words = re.findall(r"[a-z0-9'-]+", _OPENING.sub("", fold(question).strip()))
    return len(words) <= 4


def conversation_constraints(question: str, asked: str) -> Constraints:
    """The constraints of a question as the answer step reads it: ``asked`` is the question itself, or, for a
    follow-up, the previous question followed by it, or the model's standalone rewriting. An elliptical follow-up
    keeps the previous question's constraints it does not replace; one that asks a fact of its own (« Et le comité
    a demandé qu'on le monte à combien ? ») keeps only its regions: the year and the item were the previous fact's."""
    if asked != question and asked.endswith(question):
        previous = read_constraints(asked[:-len(question)])
        if not is_elliptical(question):
            previous = Constraints(regions=previous.regions)
        return read_constraints(question, previous)
    return read_constraints(asked)


@dataclass(frozen=True)
class EvidenceUnit:
    """The smallest piece of a passage that can answer: a sentence, a table row (with its header) or a clause."""

    source: Source
    text: str
    context: str = ""  # a row's column headers, a clause's whole sentence: what its figures are
    kind: str = "sentence"  # "sentence", "row", "cell" (a figure of a row, with its row's label) or "clause"


def missing_in(constraints: Constraints, unit: EvidenceUnit) -> list[str]:
    """The constraints one evidence unit does not satisfy, each in a few French words (empty: it satisfies all).

    Fiscal years and the item are read in the unit itself (with its table header); years alone and regions in its
    passage, its section's titles, the document's title, regions and date (a passage rarely repeats its region or
    year).
    """
    missing = []
    info = unit.source.passage.info
    unit_years = set(fiscal_years(unit.text))
    for year in constraints.fiscal_years:
        # A sentence giving several years' figures pins none of them: its clauses do (« 30 100 $ pour 2013-2014 »).
        if year not in unit_years or (unit.kind == "sentence" and len(unit_years) > 1 and amounts(unit.text)):
            missing.append(year)
    # The chapter a passage is in names its region (« Chapitre 6 – Laurentides ») when the page does not.
    around = f"{info.title} {unit.source.passage.section} {unit.source.passage.text}"
    known_years = set(lone_years(around)) | ({str(info.year)} if info.year else set())
    missing += [year for year in constraints.years if year not in known_years]
    named, own = regions_named(around), regions_named(" ".join(info.regions))
    for region in constraints.regions:
        # A document on several regions (the research report) counts only where its passage names the region.
        if own != (region,) and region not in named:
            missing.append(region)
    if constraints.answer_kind and not gives(constraints.answer_kind, unit.text, constraints.asked):
        missing.append(constraints.answer_kind)
    item = constraints.item
    if item is not None:
        described = fold(f"{unit.context} {unit.text}")
        # A row's header names every column: only the row itself can show that its figure is another item's.
        own_words = fold(unit.text) if unit.kind in ("row", "cell") else described
        if (item.evidence is not None and not item.evidence.search(described)) or (
                item.excluded is not None and item.excluded.search(own_words)):
            missing.append(item.name)
    return missing


def gives(kind: str, text: str, question: str) -> bool:
    """Whether a text holds an answer of this kind that the question does not already give."""
    folded = fold(text)
    if kind == "chiffre":
        return bool(figures_and_number_words(text) - figures_and_number_words(question))
    if kind == "date":
        return bool(_DAY_MONTH.search(folded) or set(lone_years(text)) - set(lone_years(question)))
    asked = set(names(question)) | {name_key(r) for r in regions_named(text)}
    return bool(set(names(text)) - asked - {name_key(w) for w in _NOT_ANSWER_NAMES})


# Capitalised words that name no one: the corpus's bodies named in every sentence.
_NOT_ANSWER_NAMES = ("CRÉ", "FQIS", "Alliance", "Alliances", "MRC")


def satisfying(constraints: Constraints, units: list[EvidenceUnit]) -> list[EvidenceUnit]:
    """The units that satisfy every constraint, in their order."""
    return [unit for unit in units if not missing_in(constraints, unit)]


def unmet(constraints: Constraints, units: list[EvidenceUnit]) -> list[str]:
    """What no unit satisfies, as written (« 2016-2017 », « Outaouais », « nom »); every constraint when each is met
    somewhere but never together in one unit; empty when some unit satisfies them all."""
    if not constraints or satisfying(constraints, units):
        return []
    absent = [written for written, alone in constraints.parts() if not satisfying(alone, units)]
    return absent or [written for written, _ in constraints.parts()]


def without_item(constraints: Constraints) -> Constraints:
    """The same constraints, the item and the kind of answer left out (for the gate before the model, which needs
    only years and regions: the item is checked on the answer's figures)."""
    return replace(constraints, item=None, answer_kind="")
