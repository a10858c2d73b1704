"""Questions comparing two values or asking yes or no of them: the relation computed from the values the answer cites.

« Les deux ententes prévoient-elles le même… ? », « A-t-elle adopté sa formule dans le délai que fixait l'entente ? »,
« L'entente de l'Estrie a-t-elle été signée avant ou après ? »: the answer's units give each value, each cited to its
passage; no passage states the relation between them. After those units, one short sentence states it, computed from
the two values as the units write them (« Comparaison des dates citées : le 19 juin 2012 [2] est avant la date
limite du 30 juin 2012 [1] : oui, dans le délai. »), citing the passage of each. Nothing is said when the units shown
do not give two values of one kind from two documents (an amount and a share, a unit with several amounts, one value
only): the units alone answer, or the usual refusal does.

A question comparing two named subjects (« Qui est maire depuis le plus longtemps : l'élu de Joliette ou celui
d'Antoine-Labelle ? », « L'entretien avec A a-t-il duré plus longtemps que celui avec B ? ») is asked once per subject
(``compared_sides``), each side answered by its own document's unit giving the kind of value compared (``side_kind``:
a year, a date, a length of time, a figure), then the relation of the two cited values.

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
# The values a relation compares, by kind: a full date (day, month, year), a year alone (« maire depuis 2005 »), an
# amount, a share, a length of time (« 1 h 20 », « 55 minutes »), a figure of anything else (« 236 000 habitants »,
# « 200 km »: no year, amount, share nor time).
_YEAR = r"(?<![\w,.\-–/])(?:19|20)\d\d(?![\w\-–/]|,\d)"
VALUES = {
    # A day is optional: « en mars 2012 » dates a meeting to its month (compared only with another month).
    "date": re.compile(rf"(?:\b\d{{1,2}}(?:er)? |(?<!\d )(?<!\der ))\b(?:{'|'.join(_MONTHS)}) (?:19|20)\d\d\b"),
    "annee": re.compile(_YEAR),
    "montant": re.compile(rf"{FIGURE}{SPACE}?\$"),
    "part": re.compile(rf"{FIGURE}{SPACE}?%"),
    "duree": re.compile(rf"\b\d{{1,2}}{SPACE}?h(?:{SPACE}?\d\d)?(?!\w)|\b\d+{SPACE}(?:minutes|heures?)\b"),
    "chiffre": re.compile(rf"(?!{_YEAR}){FIGURE}(?!{SPACE}?(?:\$|%|h\b|minutes|heures|er\b"
                          rf"|(?:{'|'.join(_MONTHS)})\b))"),
}
# The word that names a kind of value where a record card gives it (« Durée : 1 h 35 (enregistrement de 1 h 22) »,
# « Date : le 20 février 2014 »): of several values in one sentence, the one after it is that kind's. Amounts and
# shares are named by what they are of (« Montant 2012-2015 », « Contribution des usagers »), which the question's
# own words tell: « Montant » is no « prix par trajet ».
_KIND_WORDS = {"date": "date", "duree": "durée"}
# A day and month, with or without a year, or a month and year without a day: where a date starts.
_DAYS = re.compile(rf"\b\d{{1,2}}(?:er)? (?:{'|'.join(_MONTHS)})\b|\b(?:{'|'.join(_MONTHS)}) (?:19|20)\d\d\b")
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
_HEADS = {("fr", "date"): "Comparaison des dates citées : ", ("fr", "valeur"): "Comparaison des valeurs citées : ",
          ("en", "date"): "Comparison of the cited dates: ", ("en", "valeur"): "Comparison of the cited values: ",
          ("fr", "annee"): "Comparaison des années citées : ", ("en", "annee"): "Comparison of the cited years: "}
# The kinds of value each head's sentence compares.
_HEAD_KINDS = {"date": ("date",), "annee": ("annee",), "valeur": ("montant", "part", "duree", "chiffre")}


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
        if self.kind == "date":  # a month without its day: year and month only
            *day, month, year = self.text.split()
            month_of_year = (int(year), _MONTHS.index(month) + 1)
            return (*month_of_year, int(day[0].removesuffix("er"))) if day else month_of_year
        if self.kind == "duree":
            hours = re.fullmatch(r"(\d+) ?h ?(\d\d)?", self.text)
            if hours:
                return (int(hours.group(1)) * 60 + int(hours.group(2) or 0),)
            count, unit = self.text.split()
            return (int(count) * (60 if unit.startswith("heure") else 1),)
        return (float(re.sub(r"[^\d,]", "", self.text).replace(",", ".")),)

    @property
    def cited(self) -> str:
        """The value with its marker."""
        return f"{self.text} [{self.number}]"


_DIFFERENCE = re.compile(r"\bde combien\b|\bby how much\b")


def asked_relation(question: str) -> str:
    """What a question asks of two values: ``same``, ``deadline``, ``order``, ``size``; "" when it compares
    nothing, or asks their difference. Two subjects offered to choose from (« Qui est maire depuis le plus longtemps
    : A ou B ? ») ask which is first when their values are dates or years, else which is larger."""
    folded = fold(question)
    if _DIFFERENCE.search(folded):
        return ""
    relation = next((relation for relation, pattern in _ASKED if pattern.search(folded)), "")
    if not relation and (_offered_sides(question) or _than_sides(question)):  # « plus d'habitants que »
        return "order" if side_kind(question) in ("date", "annee") else "size"
    return relation


# What the values of two compared subjects are, on folded text: since when (« depuis le plus longtemps »: a year),
# how long (« a-t-il duré plus longtemps », « le plus court »), how many of something (« plus d'habitants », « le
# plus de route »).
_SINCE = re.compile(r"\bdepuis\b")
_LASTED = re.compile(r"\bdure(?:e|r|ra|rait)?\b|\b(?:plus|moins) (?:long|longue|court|courte)s?\b|\blongtemps\b")
_FIRST = re.compile(r"\ben premier\b|\b(?:le|la) premiere?\b|\bplus tot\b|\bavant ou apres\b|\bapres ou avant\b"
                    r"|\ben dernier\b|\b(?:le|la) derniere?\b|\bplus tard\b")
# What was paid, received or granted (« coûte le moins cher », « a reçu le plus du FQIS », « a-t-il obtenu plus »):
# an amount.
_PAID = re.compile(r"\bcher\b|\bcout(?:e|ent|ait|s)?\b|\brecu\b|\bobtenu\b|\bverse\b|\bfinance\b|\bfqis\b")
_EACH_COUNTED = re.compile(r"\bcombien d(?:e |')\w[^?]*\bchacune?s?\b")  # « combien de déplacements chacun »
_HOW_MANY = re.compile(r"\b(?:plus|moins) (?:de |d')(?!temps\b)\w")


def side_kind(question: str) -> str:
    """The kind of value each side of a comparison of two subjects gives: ``annee`` since when, ``date`` which came
    first, ``duree`` how long, an amount or a share its words name (``COMPARED_KINDS``), ``chiffre`` how many of
    something; "" when it says none."""
    folded = fold(question)
    if _SINCE.search(folded) and not _ORDER_WORDS.search(question):  # « avant ou après » asks dates, « depuis » aside
        return "annee"
    if _FIRST.search(folded):
        return "date"
    named = next((kind for kind, words in COMPARED_KINDS.items() if words.search(folded)), "")
    if named in ("montant", "part") or _PAID.search(folded):  # « le plus de frais… sur toute sa durée »: an amount
        return named or "montant"
    if _LASTED.search(folded):
        return "duree"
    return named or ("chiffre" if _HOW_MANY.search(folded) or _EACH_COUNTED.search(folded) else "")


# The question's inverted verb (« demandent-elles », « a-t-il »): what comes before it is its subject.
_INVERTED = re.compile(r"\b[\w'’]+-(?:t-)?(?:il|elle|ils|elles)\b")
# Two subjects offered to choose from, after a colon (« Qui est maire depuis le plus longtemps : l'élu de la MRC de
# Joliette ou celui d'Antoine-Labelle ? ») or set apart by commas (« Laquelle des deux coordonnatrices, celle de la
# Matawinie ou celle de L'Érable, dirige… ? »); an ending clause after a comma stays the question's (« …, avant avril
# 2013 ? »).
_EITHER_AFTER_COLON = re.compile(r"\s:\s+(?P<a>[^,:?]+?)\s+ou\s+(?P<b>[^,:?]+?)(?P<tail>\s*,[^:?]*)?\s*\?\s*$")
_EITHER_BETWEEN_COMMAS = re.compile(r",\s+(?P<a>(?:celui|celle|ceux|celles|le|la|les|l'|l’)\b[^,:?]*?)\s+ou\s+"
                                    r"(?P<b>(?:celui|celle|ceux|celles|le|la|les|l'|l’)\b[^,:?]*?),\s+")
# Two subjects joined by « et » before the pronoun that asks to choose one (« Entre A et B, lequel… ? », « Des
# ententes du Saguenay–Lac-Saint-Jean et de la Côte-Nord, laquelle… ? », « A et celui de B : lequel… ? »): the
# second subject up to the pronoun, the first from where a subject of its form starts (``_joined_first``).
_EITHER_JOINED = re.compile(r"\s+et\s+(?P<b>[^,:?]+?)\s*[,:]\s+(?=(?:lequel|laquelle|lesquels|lesquelles)\b)",
                            re.IGNORECASE)
# Two subjects joined by « et » whose value is asked of each, before « : combien… chacun » (« La navette de Joliette
# et le minibus des Hautes-Laurentides : combien de déplacements chacun a-t-il faits ? »).
_EACH_AFTER = re.compile(r"\s+et\s+(?P<b>[^,:?]+?)\s*:\s+(?=combien\b[^?]*\bchacune?s?\b)", re.IGNORECASE)
# A preposition that opens a subject (« du Saguenay–Lac-Saint-Jean », « avec la citoyenne des Basques »); the
# forms of « de » are one.
_OPENING = re.compile(r"(?:de la|de l['’]|du|des|de|d['’]|avec|à|au|aux|en)(?=\s|(?<=['’]))", re.IGNORECASE)
_OF = {"de la", "de l'", "de l’", "du", "des", "de", "d'", "d’"}
# What a question offering two subjects compares, on folded text: the most or the least of something (« le plus
# longtemps », « le plus court », « le plus de route ») or which came first or last.
_CHOSEN = re.compile(r"\b(?:le|la|les) (?:plus|moins)\b|\ben premier\b|\b(?:le|la) premiere?\b|\bplus tot\b"
                     r"|\ben dernier\b|\b(?:le|la) derniere?\b")
# The other subject after « que » (« …a-t-il duré plus longtemps que celui avec la citoyenne de Shawinigan ? ») or
# after « avant ou après » (« …a-t-il eu lieu avant ou après celui avec l'agent de Baie-Comeau ? »), up to the
# question's end or a comma.
_THAN = re.compile(r"\b(?:(?:plus|moins)\s+(?:[\w'’]+\s+){0,2}?que|avant ou après|après ou avant)\s+"
                   r"(?P<b>(?!(?:le|la|les|ce|cette|ces|son|sa|ses) (?:minimum|maximum|plafond|seuil|délai|date limite)"
                   r"\b)[^,?]+?)(?=\s*[,?])", re.IGNORECASE)
# A subject named by capitalised words, with its article (« la Mauricie », « le Saguenay–Lac-Saint-Jean »).
# Lower-case words after its capitalised ones are its name's too, up to a preposition (« Tremplin emploi jeunes
# adultes | au deuxième appel »).
_NAMED_SUBJECT = re.compile(r"(?:(?:le|la|les)\s+|l['’])?[A-ZÀ-Ý][\w'’–-]*(?:\s+[A-ZÀ-Ý][\w'’–-]*)*"
                            r"(?:\s+(?!(?:au|aux|à|pour|en|dans|de|du|des|sur|par|avec|selon|et|ou|le|la|les|que|qui)"
                            r"\b|[dl]['’])[a-zà-ÿ][\w–-]*)*")
_ORDER_WORDS = re.compile(r"\b(?:avant ou après|après ou avant)\b", re.IGNORECASE)
# A pronoun standing for the first subject's noun (« celui avec la citoyenne » for « l'entretien avec… »).
_PRONOUN = re.compile(r"^(?:celui|celle|ceux|celles)\b", re.IGNORECASE)


def compared_sides(question: str) -> tuple[str, str] | None:
    """A question comparing two subjects, as one question per subject, each subject's value being in its own
    document; None for any other question. Four forms: two subjects joined by « et » before the inverted verb of a
    « le même… / plus… que » question (« La navette de Joliette et Solidarité Transport demandent-elles le même prix
    ? »); two offered after a colon or between commas (« Qui est maire depuis le plus longtemps : A ou B ? »); the
    subject of the verb against the one after « plus… que » or « avant ou après » (« A a-t-il duré plus longtemps
    que celui avec B ? »); two joined by « et » whose value is asked of each (« A et B : combien… chacun ? »)."""
    return _joined_sides(question) or _offered_sides(question) or _than_sides(question) or _each_sides(question)


def _joined_sides(question: str) -> tuple[str, str] | None:
    """« A et B <verbe inversé> le même… / plus… que… ? »: « A <verbe>… ? », « B <verbe>… ? »."""
    verb = _INVERTED.search(question)
    if asked_relation(question) not in ("same", "size") or not verb:
        return None
    subject = question[:verb.start()].strip()
    pieces = re.split(r"\s+et\s+", subject)
    if len(pieces) != 2 or any(len(words_of(piece)) < 2 for piece in pieces) or re.search(r"[,;:.?!]", subject):
        return None
    rest = question[verb.start():]
    return f"{pieces[0]} {rest}", f"{_capital(pieces[1])} {rest}"


def _offered_sides(question: str) -> tuple[str, str] | None:
    """« <cadre> : A ou B ? » or « <cadre>, A ou B, <suite> ? » asking the most, the least or the first: the
    question once with each subject in place of the two (« Qui est maire depuis le plus longtemps : l'élu de la MRC
    de Joliette ? »)."""
    if not _CHOSEN.search(fold(question)):
        return None
    found = _EITHER_AFTER_COLON.search(question)
    if found:
        frame, tail = question[:found.start()], (found.group("tail") or "").rstrip()
        sides = (found.group("a"), found.group("b"))
        if all(len(words_of(side)) >= 2 for side in sides):
            return tuple(f"{frame} : {side}{tail} ?" for side in (sides[0], _named(sides[1], sides[0])))  # type: ignore[return-value]
        return None
    found = _EITHER_BETWEEN_COMMAS.search(question)
    if found and all(len(words_of(found.group(side))) >= 2 for side in "ab"):
        before, after = question[:found.start()], question[found.end():]
        return tuple(f"{before}, {found.group(side)}, {after}" for side in "ab")  # type: ignore[return-value]
    return _joined_then_chosen(question)


def _each_sides(question: str) -> tuple[str, str] | None:
    """« A et B : combien… chacun ? »: the question once with each subject."""
    return _joined_then_chosen(question, _EACH_AFTER)


def _joined_then_chosen(question: str, joined: re.Pattern[str] = _EITHER_JOINED) -> tuple[str, str] | None:
    """« Entre A et B, lequel… ? », « Des N A et B, laquelle… ? », « A et B : lequel… ? »: the question once with
    each subject in place of the two (« Des ententes de la Côte-Nord, laquelle… ? »), the second's pronoun read as
    the first's noun (« le deuxième appel de projets du Centre-du-Québec et celui de la Mauricie »: « le deuxième
    appel de la Mauricie »)."""
    found = joined.search(question)
    if not found:
        return None
    second = found.group("b")
    start = _joined_first(question[:found.start()], second)
    first = question[start:found.start()]
    if any(len(words_of(side)) < 2 for side in (first, second)):
        return None
    before, after = question[:start], question[found.end("b"):]
    return tuple(f"{before}{side if before else _capital(side)}{after}"  # type: ignore[return-value]
                 for side in (first, _named(second, first)))


def _joined_first(before: str, second: str) -> int:
    """Where the first of two joined subjects starts in the text before « et »: at the last preposition of the
    second's (« du Saguenay–Lac-Saint-Jean et de la Côte-Nord », « avec l'agente… et avec la citoyenne… »), else
    after « Entre », the last comma, or at the start."""
    starts = _openings_like(second, before)
    if starts:
        return starts[-1].start()
    return max(before.rfind(", ") + 2 if ", " in before else 0,
               found.end() if (found := re.match(r"\s*entre\s+", before, re.IGNORECASE)) else 0)


def _openings_like(subject: str, text: str, start: int = 0) -> list[re.Match[str]]:
    """The prepositions of ``text`` (from ``start``, each opening a word) of the family of the one ``subject`` opens
    with (``_OPENING``: the forms of « de » are one); none when it opens with none."""
    opening = _OPENING.match(subject)
    if opening is None:
        return []
    family = _OF if opening.group().lower() in _OF else {opening.group().lower()}
    return [match for match in _OPENING.finditer(text, start) if match.group().lower() in family
            and (match.start() == 0 or text[match.start() - 1].isspace())]


def _than_sides(question: str) -> tuple[str, str] | None:
    """« A <verbe inversé>… plus… que B ? », « A <verbe inversé>… avant ou après B ? »: the question without
    « que B » for A, and the same with B, its pronoun (« celui avec… ») read as A's noun, for A's subject."""
    verb = _INVERTED.search(question)
    than = _THAN.search(question)
    if not verb or not than or than.start() < verb.end() or len(words_of(than.group("b"))) < 2:
        return None
    subject = question[:verb.start()].strip()
    scene, _, own = subject.rpartition(", ")  # « Parmi les personnes…, la part sans voiture »: its own subject
    # A named subject ends with its name; what follows is said of both (« plus ou moins que la Mauricie pour
    # l'ensemble de son entente »).
    named = _NAMED_SUBJECT.match(than.group("b"))
    end = than.start("b") + named.end() if named and not _PRONOUN.match(than.group("b")) else than.end("b")
    other = _named(question[than.start("b"):end], own)
    kept = question[:than.start("b")].rstrip()
    kept = re.sub(r"\s+(?:que|avant ou après|après ou avant)$", "", kept, flags=re.IGNORECASE)
    rest = kept[verb.start():] + question[end:]
    first = f"{subject} {rest}"
    if _ORDER_WORDS.search(than.group()) and not _PRONOUN.match(than.group("b")) and not named:
        # « avant ou après la signature de l'entente bas-laurentienne »: an event, whose date is its side.
        second = f"Quelle est la date de {other} ?"
        second = re.sub(r"\bde (?:les|Les) ", "des ", re.sub(r"\bde (?:le|Le) ", "du ", second))
    else:
        second = f"{scene}, {other} {rest}" if scene else f"{_capital(other)} {rest}"
    return " ".join(first.split()), " ".join(second.split())


def _named(side: str, first: str) -> str:
    """The second subject with its pronoun read as the first's noun (« celui avec l'agent » after « l'entretien
    avec la citoyenne »: « l'entretien avec l'agent »; « celui de la Mauricie » after « le deuxième appel de projets
    du Centre-du-Québec »: « le deuxième appel de la Mauricie », the first up to its own preposition of that kind);
    as written when it has none, or the first is one too."""
    pronoun = _PRONOUN.match(side)
    head = re.match(r"(?:l'|l’)\S+|(?:le|la|les|un|une)\s+\S+", first, re.IGNORECASE)
    if not pronoun or not head or _PRONOUN.match(first):
        return side
    own = _openings_like(side[pronoun.end():].lstrip(), first, head.end())
    head = own and re.match(r".+\S", first[:own[0].start()]) or head
    noun = head.group()
    return f"{noun[:1].lower()}{noun[1:]}{side[pronoun.end():]}"


def _capital(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


def relation_sentence(question: str, answer_kind: str, shown: list[tuple[int, str, str]], language: str) -> str:
    """The sentence stating the relation the question asks between the values of the first two sentences shown
    (``shown``: source number, document, sentence) that each give one value of a kind and come from two documents,
    cited to both; "" when the question compares nothing or no two such sentences are shown."""
    relation = asked_relation(question)
    if not relation:
        return ""
    for kind in compared_kinds(relation, question, answer_kind):
        pair = _two_values(kind, shown, question)
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
    if compared_sides(question) and (kind := side_kind(question)):
        return (kind,)
    if relation in ("deadline", "order"):
        return ("date",)
    if answer_kind in COMPARED_KINDS:
        return (answer_kind,)
    folded = fold(question)
    return tuple(kind for kind, words in COMPARED_KINDS.items() if answer_kind in ("", "chiffre")
                 and words.search(folded))


def _two_values(kind: str, shown: list[tuple[int, str, str]], question: str) -> tuple[Compared, Compared] | None:
    """The value of the first sentence that gives one value of the kind, and that of the next such sentence from
    another document; None when there are not two. A sentence giving several (« la réunion du 19 juin 2013, où la
    Table a révisé la formule adoptée le 19 juin 2012 ») gives the one written after a word of the question
    (its content stems: « adopté »), or, for a figure, before the question's noun (« 95 600 habitants
    répartis le long d'un littoral de quelque 1 100 kilomètres »), if only one is."""
    found: dict[str, Compared] = {}
    asked = content_stems(question) | content_stems(_KIND_WORDS.get(kind, ""))
    for number, document, sentence in shown:
        text = " ".join(sentence.split())
        # A day with no year (« du 17 septembre au 2 novembre 2012 ») is a value too, one that cannot be compared.
        values = [(match.start(), VALUES[kind].match(text, match.start()))
                  for match in (_DAYS if kind == "date" else VALUES[kind]).finditer(text)
                  if not _other_event(kind, question, text, match)]  # « ouvert le… » of « lequel a fermé »
        if len({written_value(value.group()) if value else start for start, value in values}) > 1:
            values = [(start, value) for start, value in values if _said_of(asked, text[:start]) or (
                kind == "chiffre" and value and _said_of(asked, " ".join(words_of(text[value.end():])[:1])))]
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


def said_score(kind: str, text: str, question: str) -> int:
    """How closely a text gives a value of a compared kind (``side_kind``) as what the question asks: 0 when it
    gives none next to what the question says of it; else, of its best value, the words of the question among the
    few before it (« est maire depuis 2005 »: two; « …des maires…, depuis avril 2012 »: one) or right after it
    (« 236 000 habitants », « 3 $ le trajet », « le 31 octobre 2012, un plan d'action »), and ``NAMED`` more when the kind's own name stands
    there (« Durée : 1 h 35 », « Date : le 20 février 2014 »: a record card's field), one more for a word saying
    the same thing in other words (``_SAID_ALIKE``: « se termine », « la fin »)."""
    # The words that ask the comparison (« le plus », « la première ») and the question's figures say nothing of
    # either side's value.
    asked = {stem for stem in content_stems(question) if stem.isalpha()} - _COMPARING
    named = fold(_KIND_WORDS.get(kind, "")) or "\0"
    text = " ".join(text.split())
    best = 0
    for match in VALUES[kind].finditer(text):
        near = [" ".join(text[:match.start()].split()[-_VERB_REACH:])]
        # A value opening its sentence (« En mars 2012, la direction régionale l'a désignée… ») is said of the
        # clause after it.
        fronted = len(text[:match.start()].split()) <= 1 and text[match.end():].lstrip().startswith(",")
        near.append(" ".join(words_of(text[match.end():])[:_FRONT_REACH if fronted else _AFTER_REACH]))
        shared = sum(_said_of({stem}, words) for stem in asked for words in near)
        if _other_event(kind, question, text, match):
            continue
        clause = fold(" ".join(text[:match.start()].split()[-_ALIKE_REACH:]))  # « reporte la fin de l'entente au »
        alike = sum(bool(words.search(fold(question)) and words.search(clause)) for words in _SAID_ALIKE)
        best = max(best, shared + alike + NAMED * any(named in words_of(fold(words)) for words in near))
    return best


# Words that say one thing of a value in different words, on folded text, within ``_ALIKE_REACH`` words before it:
# what was paid or received (« a reçu le plus du FQIS »: « financé à hauteur de 118 000 $ »), when something ended
# (« se termine le plus tard »: « reporte la fin de l'entente au 30 septembre 2015 »; « a fermé le premier »: « clos
# le 13 septembre 2013 »). Of a question asking when something ended, only a date said of an end is its value.
_ALIKE_REACH = 5
_ENDED = re.compile(r"\b(?:termine\w*|fin|clos|close|cloture|ferme|fermee|echeance)\b")
_SAID_ALIKE = (
    re.compile(r"\b(?:recu|obtenu|verse|versee|finance|financee|accorde|accordee|coute\w*|couts?|prix|tarif)\b"),
    _ENDED,
)


def _other_event(kind: str, question: str, text: str, value: re.Match[str]) -> bool:
    """Of a question asking when something ended (``_ENDED``: « se termine », « a fermé »), whether a date of a text
    is said of another event: no word of an end among the few before it (« ouvert le 6 mai 2013 », « signée le… »)
    nor, for a date opening its sentence, in the clause after it."""
    if kind != "date" or not _ENDED.search(fold(question)):
        return False
    before = " ".join(text[:value.start()].split()[-_ALIKE_REACH:])
    fronted = len(text[:value.start()].split()) <= 1 and text[value.end():].lstrip().startswith(",")
    after = " ".join(words_of(text[value.end():])[:_FRONT_REACH]) if fronted else ""
    return not _ENDED.search(fold(f"{before} {after}"))


# How many words after a value may say what it is of (« 236 000 habitants en 2012 », « 3 $ le trajet »); after a
# value opening its sentence, the clause it dates (« En mars 2012, la direction régionale d'Emploi-Québec l'a
# désignée »).
_AFTER_REACH = 2
_FRONT_REACH = 8
_COMPARING = content_stems("premier première premiers plus moins longtemps court courte long longue tôt tard avant "
                           "après dernier dernière cher lequel laquelle lesquels lesquelles")
# What the kind's own name before a value weighs against the question's words (``said_score``): more than all.
NAMED = 10


def kind_word(kind: str) -> str:
    """The word that names a kind of value where a text gives it (« durée », « date »), or ""."""
    return _KIND_WORDS.get(kind, "")


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
    shared = min(len(first.key), len(second.key))  # « mars 2012 » against « 22 mars 2012 »: their month
    sign = (first.key[:shared] > second.key[:shared]) - (first.key[:shared] < second.key[:shared])
    if sign == 0 and len(first.key) != len(second.key):
        return ""  # the same month, one of them without its day: neither before nor after is known
    dated = first.kind in ("date", "annee")
    english = language != "fr"
    head = _HEADS["en" if english else "fr", first.kind if dated else "valeur"]
    a, b = ((_dated(first, "en"), _dated(second, "")) if first.kind == "date" and not english
            else (first.cited, second.cited))
    if relation == "same":
        if english:
            return head + f"{a} and {b}, " + ("the same: yes." if sign == 0 else "not the same: no.")
        return head + f"{a} et {b}, " + ("la même " + _SAME[first.kind] + " : oui." if sign == 0
                                          else "pas la même : non.")
    if relation == "deadline":
        if english:
            return head + (f"{a} is on or before the deadline of {b}: yes, on time." if sign <= 0
                           else f"{a} is after the deadline of {b}: no, late.")
        return head + (f"{a} est avant la date limite du {second.cited} : oui, dans le délai." if sign < 0 else
                       f"{a} est le jour même de la date limite : oui, dans le délai." if sign == 0 else
                       f"{a} est après la date limite du {second.cited} : non, hors délai.")
    if sign == 0:
        return head + (f"{a} and {b}, the same." if english else f"{a} et {b}, la même {_SAME[first.kind]}.")
    if english:
        return head + f"{a} is " + (("before" if sign < 0 else "after") if dated else
                                    ("less than" if sign < 0 else "more than")) + f" {b}."
    if dated:
        return head + f"{a} est " + ("avant" if sign < 0 else "après") + f" {b}."
    return head + f"{a}, c'est " + ("moins" if sign < 0 else "plus") + f" que {b}."


def _dated(value: Compared, month: str) -> str:
    """A date as the relation's sentence writes it: a day with « le » (« le 22 mars 2012 [1] »), a month with
    ``month`` before it (« en mars 2012 [1] est après… », « …est après avril 2013 [2] »)."""
    return " ".join(filter(None, ("le" if value.text[0].isdigit() else month, value.cited)))


_SAME = {"date": "date", "annee": "année", "duree": "durée"} | dict.fromkeys(("montant", "part", "chiffre"), "valeur")
_MARKED = re.compile(r"([^\[\]]*?) \[(\d+)\]")


def checked_relation(sentence: str, passages: dict[int, str]) -> tuple[tuple[int, int, int], ...] | None:
    """Where the two values of a relation's sentence stand in the passages their markers cite, as (source number,
    start, end), when the sentence has the form ``render`` writes and states the relation those two values give;
    None for any other sentence, a relation the values do not give, or a value its passage does not hold."""
    text = " ".join(sentence.split())
    head = next((head for head in _HEADS.values() if text.startswith(head)), "")
    if not head:
        return None
    language, group = next(key for key, value in _HEADS.items() if value == head)
    kinds = _HEAD_KINDS[group]
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
