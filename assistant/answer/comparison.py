"""Questions comparing two values or asking yes or no of them: the relation computed from the values the answer cites.

« Les deux ententes prévoient-elles le même… ? », « A-t-elle adopté sa formule dans le délai que fixait l'entente ? »,
« L'entente de l'Estrie a-t-elle été signée avant ou après ? »: the answer's units give each value, each cited to its
passage; no passage states the relation between them. After those units, one short sentence states it, computed from
the two values as the units write them (« Comparaison des dates citées : le 19 juin 2012 [2] est avant la date
limite du 30 juin 2012 [1] : oui, dans le délai. »), citing the passage of each. Nothing is said when the units shown
do not give two values of one kind from two documents (an amount and a share, a unit with several amounts, one value
only): the units alone answer, or the usual refusal does.

The sentence has a fixed form (``render``), so that the citation check reads it back (``checked_relation``): each
value must stand in the passage its marker cites, and the relation must be the one the two values give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.french import content_stems, fold, words_of

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
SPACE = "[\u00a0\u202f ]"
FIGURE = (rf"(?<![\w,.\-–/])(?:\d{{1,3}}(?:{SPACE}\d{{3}})+|\d+)(?:,\d+)?(?![\w\-–/]|,\d|{SPACE}\d{{3}}(?!\d))")
# The values a relation compares, by kind: a full date (day, month, year), an amount, a share.
VALUES = {
    "date": re.compile(rf"\b\d{{1,2}}(?:er)? (?:{'|'.join(_MONTHS)}) (?:19|20)\d\d\b"),
    "montant": re.compile(rf"{FIGURE}{SPACE}?\$"),
    "part": re.compile(rf"{FIGURE}{SPACE}?%"),
}
# A day and month, with or without a year.
_DAYS = re.compile(rf"\b\d{{1,2}}(?:er)? (?:{'|'.join(_MONTHS)})\b")
# The kinds compared when the question's kind of answer says none (« le même », « plus que »): those whose words
# the question uses (« le plafond… correspond-il », « le même taux »), in this order, on folded text. A question
# naming none compares nothing: two values of any kind the answer happens to show are no answer to it.
COMPARED_KINDS = {
    "montant": re.compile(r"\$|\bmontants?\b|\bsommes?\b|\benveloppes?\b|\bcontributions?\b|\bplafonds?\b|\bsoldes?\b"
                          r"|\bversements?\b|\bbudgets?\b|\bfinancements?\b|\bsubventions?\b|\bfrais\b|\bamounts?\b"
                          r"|\bprix\b|\btarifs?\b|\bloyers?\b"
                          r"|\bcaps?\b|\bceilings?\b|\benvelopes?\b|\bfunding\b|\bpayments?\b|\bbalance\b"),
    "part": re.compile(r"\bpourcentages?\b|\btaux\b|\bproportions?\b|\bpercentages?\b|\brates?\b"),
    "date": re.compile(r"\bdates?\b|\bjour\b|\bday\b"),
}
# What a question asks of two values, on folded text: whether they are the same (« le même nombre », « correspond-il
# à celui de l'entente », « est-il bien celui »), whether an event came within a deadline (« dans le délai »,
# « avant la date limite »), which came first (« en premier », « avant ou après »), which is larger (« plus que »).
# « La même année » is a time, not an equality; « de combien… dépasse-t-il » asks a difference, which this step
# does not compute (``_DIFFERENCE``).
_ASKED = (
    ("same", re.compile(r"\b(?:le|la|les) memes?\b(?! (?:annee|exercice|periode|mois|semaine)s?\b)|\bcorrespond"
                        r"|\best-(?:il|elle|ce) (?:bien )?(?:celui|celle)\b|\bconcord|\bidentiques?\b|\bthe same\b"
                        r"|\bmatch(?:es)?\b")),
    ("deadline", re.compile(r"\bdans (?:le|les) delais?\b|\bavant (?:la|sa|leur) date limite\b|\ba l'echeance\b"
                            r"|\b(?:before|within) the deadline\b|\bon time\b|\bin time\b")),
    ("order", re.compile(r"\ben premier\b|\b(?:le|la) premiere?\s*[:?]|\bavant ou apres\b|\bapres ou avant\b"
                         r"|\bplus tot\b|\bbefore or after\b|\bfirst\s*[:?]")),
    ("size", re.compile(r"\b(?:plus|moins) (?:\w+ )?que\b|\bplus ou moins\b|\bdepasse|\bsuperieure?s? a\b"
                        r"|\binferieure?s? a\b|\b(?:more|less|higher|lower|larger|smaller) than\b")),
)
# A date a unit gives as a deadline: « au plus tard le 30 juin 2012 », « d'ici le… », « avant le… », « jusqu'au… ».
_DEADLINE = re.compile(r"(?:au plus tard|d'ici|avant|jusqu'|date limite|échéance|no later than|by)\b\W*"
                       r"(?:\w+\W+){0,2}$", re.IGNORECASE)
# Where a yes/no question asks of an event whether it came within a deadline: « … a-t-elle adopté sa formule | dans le
# délai que lui fixait l'entente ? », « … a-t-il été lancé | avant la date limite prévue par l'entente ? »; not « dans
# le délai de commentaire », a length of time (« 45 jours »), not a date.
_WITHIN = re.compile(r"\s*,?\s*\b(?:dans (?:le|les) délais?(?! d[eu]s?\b)|avant (?:la|sa|leur) date limite"
                     r"|within the deadline|before the deadline)\b", re.IGNORECASE)
_HEADS = {("fr", True): "Comparaison des dates citées : ", ("fr", False): "Comparaison des valeurs citées : ",
          ("en", True): "Comparison of the cited dates: ", ("en", False): "Comparison of the cited values: "}


@dataclass(frozen=True)
class Compared:
    """One value compared: as the answer's sentence writes it, its kind, the number of the source it is cited to,
    and whether its sentence gives it as a deadline (« au plus tard le 30 juin 2012 »)."""

    text: str
    kind: str
    number: int
    deadline: bool = False

    @property
    def key(self) -> tuple[float, ...]:
        """What orders it: a date by year, month and day; a figure by its value."""
        if self.kind == "date":
            day, month, year = self.text.split()
            return int(year), _MONTHS.index(month) + 1, int(day.removesuffix("er"))
        return (float(re.sub(r"[^\d,]", "", self.text).replace(",", ".")),)

    @property
    def cited(self) -> str:
        """The value with its marker."""
        return f"{self.text} [{self.number}]"


_DIFFERENCE = re.compile(r"\bde combien\b|\bby how much\b")


def asked_relation(question: str) -> str:
    """What a question asks of two values: ``same``, ``deadline``, ``order``, ``size``; "" when it compares
    nothing, or asks their difference."""
    folded = fold(question)
    if _DIFFERENCE.search(folded):
        return ""
    return next((relation for relation, pattern in _ASKED if pattern.search(folded)), "")


# The question's inverted verb (« demandent-elles », « a-t-il »): what comes before it is its subject.
_INVERTED = re.compile(r"\b[\w'’]+-(?:t-)?(?:il|elle|ils|elles)\b")


def compared_sides(question: str) -> tuple[str, str] | None:
    """A question comparing two subjects joined by « et » before its inverted verb, as one question per subject
    (« La navette de la MRC de Joliette et Solidarité Transport au Centre-du-Québec demandent-elles le même prix
    par trajet ? » → « La navette de la MRC de Joliette demandent-elles le même prix par trajet ? », « Solidarité
    Transport au Centre-du-Québec demandent-elles… ? »): each subject's value is in its own document; None for any
    other question."""
    verb = _INVERTED.search(question)
    if asked_relation(question) not in ("same", "size") or not verb:
        return None
    subject = question[:verb.start()].strip()
    pieces = re.split(r"\s+et\s+", subject)
    if len(pieces) != 2 or any(len(words_of(piece)) < 2 for piece in pieces) or re.search(r"[,;:.?!]", subject):
        return None
    rest = question[verb.start():]
    return f"{pieces[0]} {rest}", f"{pieces[1][:1].upper()}{pieces[1][1:]} {rest}"


def relation_sentence(question: str, answer_kind: str, shown: list[tuple[int, str, str]], language: str) -> str:
    """The sentence stating the relation the question asks between the values of the first two sentences shown
    (``shown``: source number, document, sentence) that each give one value of a kind and come from two documents,
    cited to both; "" when the question compares nothing or no two such sentences are shown."""
    relation = asked_relation(question)
    if not relation:
        return ""
    for kind in compared_kinds(relation, question, answer_kind):
        pair = _two_values(kind, shown, content_stems(question))
        if pair:
            return render(relation, *pair, language)
    return ""


def deadline_sides(question: str) -> tuple[str, str] | None:
    """A question asking whether an event came within a deadline, as its two sides: the event, asked alone
    (« La Table a-t-elle adopté sa formule ? »), and the deadline, asked by the whole question (« dans le délai que
    lui fixait l'entente » says little without the event it bounds); None for any other question."""
    found = _WITHIN.search(question)
    if asked_relation(question) != "deadline" or not found or not question.rstrip().endswith("?"):
        return None
    return question[:found.start()].rstrip(" ,") + " ?", question


def plays(role: str, text: str) -> bool:
    """Whether a sentence can give the date of one side of a deadline question: the deadline's side a date it
    gives as a deadline (« au plus tard le 30 juin 2012 »), the event's a date it does not."""
    text = " ".join(text.split())
    dates = list(VALUES["date"].finditer(text))
    deadlines = [bool(_DEADLINE.search(text[:match.start()])) for match in dates]
    return any(deadlines) if role == "deadline" else bool(dates) and not all(deadlines)


def compared_kinds(relation: str, question: str, answer_kind: str) -> tuple[str, ...]:
    """The kinds of value a relation compares: dates for an order or a deadline; else the question's kind of
    answer, or, when it asks none (« correspond-il… ? »), the kinds its words name (``COMPARED_KINDS``)."""
    if relation in ("deadline", "order"):
        return ("date",)
    if answer_kind in COMPARED_KINDS:
        return (answer_kind,)
    folded = fold(question)
    return tuple(kind for kind, words in COMPARED_KINDS.items() if answer_kind in ("", "chiffre")
                 and words.search(folded))


def _two_values(kind: str, shown: list[tuple[int, str, str]], asked: set[str]) -> tuple[Compared, Compared] | None:
    """The value of the first sentence that gives one value of the kind, and that of the next such sentence from
    another document; None when there are not two. A sentence giving several (« la réunion du 19 juin 2013, où la
    Table a révisé la formule adoptée le 19 juin 2012 ») gives the one written after a word of the question
    (``asked``: its content stems, « adopté »), if only one is."""
    found: dict[str, Compared] = {}
    for number, document, sentence in shown:
        text = " ".join(sentence.split())
        # A day with no year (« du 17 septembre au 2 novembre 2012 ») is a value too, one that cannot be compared.
        values = [(match.start(), VALUES[kind].match(text, match.start()))
                  for match in (_DAYS if kind == "date" else VALUES[kind]).finditer(text)]
        if len({written_value(value.group()) if value else start for start, value in values}) > 1:
            values = [(start, value) for start, value in values if _said_of(asked, text[:start])]
        if len({written_value(value.group()) if value else start for start, value in values}) != 1 or not values[0][1] \
                or document in found:
            continue
        start, value = values[0]
        found[document] = Compared(written_value(value.group()), kind, number, bool(_DEADLINE.search(text[:start])))
        if len(found) == 2:
            first, second = found.values()
            return first, second
    return None


# How far before a value the word that says what it is stands (« adoptée le 19 juin 2012 », « signée le… »).
_VERB_REACH = 3


def _said_of(asked: set[str], before: str) -> bool:
    """Whether one of the few words before a value shares a stem with the question (« adoptée » and « adopté »:
    the stemmer gives « adopte » and « adopt », so one stem of four letters or more starting the other)."""
    near = content_stems(" ".join(before.split()[-_VERB_REACH:]))
    return any(len(short) >= 4 and long.startswith(short) for word in near for stem in asked
               for short, long in (sorted((word, stem), key=len),))


def written_value(value: str) -> str:
    """A value as the relation's sentence writes it: as the sentence shown does, its spaces plain."""
    return " ".join(value.split())


def render(relation: str, first: Compared, second: Compared, language: str) -> str:
    """The relation's sentence, in the question's language (French or English), for two values in the order
    shown; for a deadline, the event's date first (two deadlines or none: their order). Dates and figures are
    written as the sentences shown write them."""
    if relation == "deadline" and first.deadline == second.deadline:
        relation = "order"
    elif relation == "deadline" and first.deadline:
        first, second = second, first
    sign = (first.key > second.key) - (first.key < second.key)
    dated = first.kind == "date"
    english = language != "fr"
    head = _HEADS["en" if english else "fr", dated]
    a, b = (first.cited, second.cited) if english or not dated else (f"le {first.cited}", f"le {second.cited}")
    if relation == "same":
        if english:
            return head + f"{a} and {b}, " + ("the same: yes." if sign == 0 else "not the same: no.")
        return head + f"{a} et {b}, " + ("la même " + ("date" if dated else "valeur") + " : oui." if sign == 0
                                          else "pas la même : non.")
    if relation == "deadline":
        if english:
            return head + (f"{a} is on or before the deadline of {b}: yes, on time." if sign <= 0
                           else f"{a} is after the deadline of {b}: no, late.")
        return head + (f"{a} est avant la date limite du {second.cited} : oui, dans le délai." if sign < 0 else
                       f"{a} est le jour même de la date limite : oui, dans le délai." if sign == 0 else
                       f"{a} est après la date limite du {second.cited} : non, hors délai.")
    if sign == 0:
        return head + (f"{a} and {b}, the same." if english else
                       f"{a} et {b}, la même " + ("date." if dated else "valeur."))
    if english:
        return head + f"{a} is " + (("before" if sign < 0 else "after") if dated else
                                    ("less than" if sign < 0 else "more than")) + f" {b}."
    if dated:
        return head + f"{a} est " + ("avant" if sign < 0 else "après") + f" {b}."
    return head + f"{a}, c'est " + ("moins" if sign < 0 else "plus") + f" que {b}."


_MARKED = re.compile(r"([^\[\]]*?) \[(\d+)\]")


def checked_relation(sentence: str, passages: dict[int, str]) -> tuple[tuple[int, int, int], ...] | None:
    """Where the two values of a relation's sentence stand in the passages their markers cite, as (source number,
    start, end), when the sentence has the form ``render`` writes and states the relation those two values give;
    None for any other sentence, a relation the values do not give, or a value its passage does not hold."""
    text = " ".join(sentence.split())
    head = next((head for head in _HEADS.values() if text.startswith(head)), "")
    if not head:
        return None
    language, dated = next(key for key, value in _HEADS.items() if value == head)
    kinds = ("date",) if dated else ("montant", "part")
    pieces = _MARKED.findall(text[len(head):])
    for kind in kinds:
        values = [Compared(written_value(found[-1]), kind, int(number))
                  for piece, number in pieces if (found := VALUES[kind].findall(piece))]
        if len(values) != 2 or len(pieces) != 2:
            continue
        first, second = values
        forms = {render(relation, first, second, language) for relation in ("same", "order", "size")}
        forms |= {render("deadline", replace(first, deadline=late), replace(second, deadline=not late), language)
                  for late in (False, True)}
        spans = [found_in(value.text, passages.get(value.number, "")) for value in values]
        if text in forms and all(span is not None for span in spans):
            return tuple((value.number, *span) for value, span in zip(values, spans, strict=True) if span)
    return None


def found_in(value: str, passage: str) -> tuple[int, int] | None:
    """Where a value stands in a passage as a whole value (its spacing aside), or None."""
    pieces = [re.escape(piece) for piece in value.split()]
    pattern = r"(?<![\d,.])" + r"[\s\u00a0\u202f]+".join(pieces) + (r"(?![\d])" if value[-1].isdigit() else "")
    found = re.search(pattern, passage)
    return found.span() if found else None
