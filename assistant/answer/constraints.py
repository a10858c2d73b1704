"""What a question pins down — fiscal year, year, region, item asked — and whether a piece of evidence satisfies it.

A figure given for the year, region or item asked must be the one the evidence gives *for that* year, region or
item: « 903 000 $ » (a 2012-2013 payment) or « 30 100 $ » (the 2 % cap) must never answer « Quel montant est prévu
pour 2013-2014 ? ». The question's constraints are read here, exactly (« 2013-2014 » is one token, and « 2013 » does
not match inside « 2012-2013 »), and checked against one evidence unit (a sentence, a table row or a clause) and
its passage. Measurements: ``docs/answers.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.answer.bilingual import french_reading
from assistant.answer.comparison import asked_relation, compared_kinds, compared_sides, side_kind
from assistant.answer.premise import referred_kind, scene_regions, scene_years
from assistant.french import NUMBER_WORDS, STOP_WORDS, analyse, figures_and_number_words, fold, name_key, names, split_sentences, words_of
from assistant.models import Source

# « 2013-2014 », « 2013–2014 », « 2013-14 »: a fiscal year when the second year follows the first.
_YEAR_SPAN = re.compile(r"(?<![\d-])((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)(?![\d-])")
_YEAR = re.compile(r"(?<![\d\-–—/])((?:19|20)\d\d)(?![\d\-–—/]|\s*[-–—]\s*\d)")
# « l'année suivante », « the next year »: the previous turn's year, plus one.
_NEXT_YEAR = re.compile(r"\b(annee|exercice) (suivante?|d'apres)\b|\bnext (year|fiscal year)\b|\bfollowing year\b")
_PREVIOUS_YEAR = re.compile(r"\b(annee|exercice) (precedente?|d'avant|anterieure?)\b|\b(previous|prior) (year|fiscal year)\b"
                            r"|\byear before\b")

# The 17 administrative regions of Québec with the adjectives the corpus and its readers use for them
# (« l'entente nord-côtière », « l'Alliance bas-laurentienne »). Folded, longest first when matched.
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "Bas-Saint-Laurent": ("bas-saint-laurent", "bas-laurentien", "bas-laurentienne", "bas-laurentiens",
                          "bas-laurentiennes"),
    "Saguenay–Lac-Saint-Jean": ("saguenay-lac-saint-jean", "saguenay", "lac-saint-jean", "saguenéen", "saguenéenne",
                                "saguenéens", "saguenéennes", "jeannois", "jeannoise", "jeannoises"),
    "Capitale-Nationale": ("capitale-nationale",),
    "Mauricie": ("mauricie", "mauricien", "mauricienne", "mauriciens", "mauriciennes"),
    "Estrie": ("estrie", "estrien", "estrienne", "estriens", "estriennes"),
    "Montréal": ("montréal", "montréalais", "montréalaise", "montréalaises"),
    "Outaouais": ("outaouais", "outaouaise", "outaouaises"),
    "Abitibi-Témiscamingue": ("abitibi-témiscamingue", "abitibi", "témiscamingue", "abitibien", "abitibienne",
                              "abitibiens", "abitibiennes"),
    "Côte-Nord": ("côte-nord", "nord-côtier", "nord-côtière", "nord-côtiers", "nord-côtières", "north shore"),
    "Nord-du-Québec": ("nord-du-québec",),
    "Gaspésie–Îles-de-la-Madeleine": ("gaspésie", "îles-de-la-madeleine", "gaspésien", "gaspésienne",
                                      "gaspésiens", "gaspésiennes"),
    "Chaudière-Appalaches": ("chaudière-appalaches",),
    "Laval": ("laval", "lavallois", "lavalloise", "lavalloises"),
    "Lanaudière": ("lanaudière", "lanaudois", "lanaudoise", "lanaudoises"),
    "Laurentides": ("laurentides", "laurentien", "laurentienne", "laurentiens", "laurentiennes"),
    "Montérégie": ("montérégie", "montérégien", "montérégienne", "montérégiens",
                   "montérégiennes"),
    "Centre-du-Québec": ("centre-du-québec", "centricois", "centricoise", "centricoises"),
}


def _words_key(text: str) -> str:
    """Folded words joined by single spaces, dashes and apostrophes as spaces, for whole-word matching."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "


# A region word preceded by « bas- » or « nord- » is another region's (« bas-laurentienne » is not the Laurentides).
_REGION_PATTERNS = sorted(((_words_key(word).strip(), region) for region, words in REGION_WORDS.items()
                           for word in words), key=lambda pair: -len(pair[0]))


@lru_cache(maxsize=4096)  # asked of a passage once per evidence unit it holds: a third of a comparison's CPU time
def regions_named(text: str) -> tuple[str, ...]:
    """The regions a text names, by their canonical names, in the order of the table (longest words win)."""
    return _matched(_words_key(text), _REGION_PATTERNS)


def _matched(key: str, patterns: list[tuple[str, str]]) -> tuple[str, ...]:
    """The regions of the patterns (whole-word keys, longest first) found in a text's key, each match taken out
    of the key (« bas saint laurent » does not also count as « laurent… »)."""
    found: list[str] = []
    for words, region in patterns:
        if f" {words} " in key:
            found.append(region)
            key = key.replace(f" {words} ", " # ")
    return tuple(dict.fromkeys(found))


def _place_patterns() -> list[tuple[str, str]]:
    """``places.tsv``'s places as whole-word keys with their regions, longest first."""
    rows = [line.split("\t") for line in _place_rows()]
    return sorted(((_words_key(row[0]).strip(), row[1]) for row in rows), key=lambda pair: -len(pair[0]))


def _place_rows() -> list[str]:
    """``places.tsv``'s lines of places (a place, its region, perhaps its MRC)."""
    lines = (Path(__file__).parent / "places.tsv").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _mrcs_of_towns() -> dict[str, str]:
    """The MRC of each town of ``places.tsv`` that gives one, by the town's whole-word key."""
    return {_place_key(row[0]): row[2] for line in _place_rows() if len(row := line.split("\t")) == 3}


def mrc_names() -> frozenset[str]:
    """The MRCs ``places.tsv`` names, as it writes them (those its towns lie in)."""
    return frozenset(row[2] for line in _place_rows() if len(row := line.split("\t")) == 3)


def _place_key(place: str) -> str:
    """A place's whole-word key without its article, as a question's names give it (« Moulins » of « des
    Moulins »)."""
    return re.sub(r"^(?:la|le|les|l) ", "", _words_key(place).strip())


_PLACE_PATTERNS = _place_patterns()
_MRC_OF_TOWN = _mrcs_of_towns()
# A question about an MRC or a territory (« la MRC de Sept-Îles », « la MRC où se trouve Terrebonne »), on folded text.
_ABOUT_MRC = re.compile(r"\bmrc\b|\bterritoires?\b|\bregional county\b")
_PLACE_KEYS = frozenset(words for words, _ in _PLACE_PATTERNS)
_PLACES_BY_BARE_KEY = {_place_key(key): key for key in _PLACE_KEYS}  # without their article
_PLACES_AS_THEMSELVES = [(words, words) for words, _ in _PLACE_PATTERNS]  # for ``_matched``: each place, not its region
# A unit about a whole region (« la région comptait… », « à l'échelle régionale »), on folded text.
_REGION_SCALE = re.compile(r"\b(?:la|de la|dans la|toute la|l'ensemble de la) region\b|\bregionale?s?\b|\bregionaux\b")
# A unit about every region at once (« dans chacune des six régions », « selon la région »), on folded text.
_EVERY_REGION = re.compile(r"\bchacune des (?:\w+ )?regions\b|\bselon (?:la|les) regions?\b|\bd'une region a l'autre\b"
                           r"|\b(?:toutes les|l'ensemble des|les six|les huit) (?:\w+ )?regions\b"
                           r"|\b(?:les|des|aux) (?:six|huit) alliances\b")
_FIGURE_KINDS = frozenset({"nombre", "montant", "part", "chiffre"})
_TOPIC_WORDS = 4  # a place named in a sentence's first words is what it is about (« À Sept-Îles, un ménage… »)
# As ``names`` keys them: « L'Érable » is named « Érable » (the elided article is no part of a name).
_PLACE_NAMES = frozenset(re.sub(r"^(?:l|la|le|les) ", "", name_key(place)) for place, _ in _PLACE_PATTERNS)


def places_named(text: str) -> set[str]:
    """The towns, MRCs and communities a text names, as whole-word keys (« sept iles »)."""
    return set(_matched(_words_key(text), _PLACES_AS_THEMSELVES))


_PLACES_WRITTEN = sorted(((line.split("\t")[0], _words_key(line.split("\t")[0]).strip()) for line in _place_rows()),
                         key=lambda pair: -len(pair[1]))


def places_written(text: str) -> list[str]:
    """The towns, MRCs and communities a text names, as ``places.tsv`` writes them (« Havre-Saint-Pierre »), in
    the order the text names them; each match taken out, as ``places_named`` does."""
    key, found = _words_key(text), []
    for written, words in _PLACES_WRITTEN:
        if f" {words} " in key:
            found.append((key.index(f" {words} "), written))
            key = key.replace(f" {words} ", " # " + "_ " * (len(words.split()) - 1))
    return [written for _, written in sorted(found)]


def _inflected(gentile: str) -> tuple[str, ...]:
    """A gentilé's four forms, from its masculine singular (« jérômien »: « jérômienne », « jérômiens »…)."""
    feminine = gentile + ("ne" if gentile.endswith(("ien", "éen")) else "e")
    return gentile, feminine, gentile if gentile.endswith("s") else gentile + "s", feminine + "s"


def _accent_free(word: str) -> str:
    """A regular expression matching a word with or without its accents (« j[éeÉE]r[ôoÔO]mien »)."""
    return "".join(f"[{char}{fold(char)}]" if fold(char) != char else re.escape(char) for char in word)


def _demonym_patterns() -> list[tuple[re.Pattern[str], str]]:
    """``demonyms.tsv``'s gentilés, each form a whole-word pattern (case and accents aside), with its town."""
    lines = (Path(__file__).parent / "demonyms.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return [(re.compile(rf"(?<![\w-])(?:{'|'.join(_accent_free(form) for form in _inflected(gentile))})(?![\w-])",
                        re.IGNORECASE), town) for gentile, town in rows]


_DEMONYM_PATTERNS = _demonym_patterns()


def towns_by_demonym(question: str) -> str:
    """The question with each town's gentilé written as the town (« l'organisme jérômien » → « l'organisme de
    Saint-Jérôme », « des Trifluviens » → « des gens de Trois-Rivières »), so that it is searched and read as
    the documents write it."""
    for pattern, town in _DEMONYM_PATTERNS:
        question = pattern.sub(lambda m: f"gens de {town}" if m.group()[0].isupper() else f"de {town}", question)
    return question


def _same_place(one: str, other: str) -> bool:
    """Whether two place keys name the same place or one within the other, as an MRC named after its town
    (« rimouski » and « rimouski neigette », « drummond » and « drummondville »), or a town and its MRC
    (« terrebonne » and « les moulins »)."""
    return one == other or any(a.startswith(b) or b.startswith(a) for a in one.split() for b in other.split()
                               if min(len(a), len(b)) >= 5) or _in_mrc(one, other) or _in_mrc(other, one)


def _in_mrc(town: str, mrc: str) -> bool:
    """Whether a place key is a town of ``places.tsv`` in that MRC."""
    return _place_key(_MRC_OF_TOWN.get(_place_key(town), "")) == _place_key(mrc)


def territory_names(name: str, question: str) -> tuple[str, ...]:
    """The MRC of a town a question about an MRC names (« la MRC où se trouve Terrebonne »: Les Moulins,
    ``places.tsv``); none for a question about the town itself (« la ville de Sept-Îles » is not its MRC)."""
    mrc = _MRC_OF_TOWN.get(_place_key(name))
    return (mrc,) if mrc and _ABOUT_MRC.search(fold(question)) else ()


@lru_cache(maxsize=4096)
def regions_placed(text: str) -> tuple[str, ...]:
    """The regions a text names, or names a town, MRC or community of (« à Joliette »: Lanaudière)."""
    return tuple(dict.fromkeys(regions_named(text) + _matched(_words_key(text), _PLACE_PATTERNS)))


@dataclass(frozen=True)
class Item:
    """A kind of fact a question asks for, how a question names it and how the evidence for it reads."""

    name: str  # in French, for refusal reasons: « frais d'administration »
    asked: re.Pattern[str]  # on the folded question
    evidence: re.Pattern[str] | None  # on the folded unit (and its table header): it must match
    excluded: re.Pattern[str] | None = None  # on the folded unit: it must not match (another item's figure)
    titled: bool = True  # a table's title may say it of its cells (« Nombre de projets concertés… »)


# « administration » of the CRÉ's costs, not of its board (« conseil d'administration », « CA »).
_ADMINISTRATION = r"(?<!conseil d')(?<!conseil d’)administration"
_OTHER_AMOUNTS = re.compile(rf"versement|tranche|{_ADMINISTRATION}|\b2 %|mandataire|\b6 %")
ITEMS: tuple[Item, ...] = (
    Item("frais d'administration", re.compile(rf"{_ADMINISTRATION}|administrative"), re.compile(_ADMINISTRATION)),
    # « tranche » the noun, never the verb (« Comment la Table tranche-t-elle… ? », « son ministère ne tranche pas »).
    # The agreements pay 70 % at the start of each fiscal year and the rest once its annual report is accepted:
    # « en début d'exercice », « à l'acceptation du rapport annuel » name a payment.
    Item("versement", re.compile(r"versement|(?<!\bne )(?<!\bqui )(?<!\bon )\btranches?\b(?!-t-)|instal?lment|payment"
                                 r"|\bdebut (de l'|d')exercice|acceptation (de son |du )rapport"),
         re.compile(r"versement|tranche|vers"), titled=False),  # « La ministre verse… » titles the contributions
    Item("nombre de projets", re.compile(r"(combien|nombre|how many) (de |d')?(projets?|projects?)"),
         re.compile(r"projet")),
    # « autorisé à signer », « la première région à signer »: a power or a rank, not the signature asked; « les
    # chercheurs signalent », « que signifie… » are other verbs than « signer ».
    Item("date de signature", re.compile(r"\bsign(?:e|ee|es|ees|ent|ait|aient|a|erent|era|eront|erait|ature|atures"
                                         r"|ataire|ataires|ed|ing|atory|atories)?\b|(?<!\ba )\bsigner\b"),
         re.compile(r"sign")),
    # An amount for a fiscal year (« Quel montant est prévu pour 2013-2014 ? ») is the contribution itself, not
    # a payment of it nor a cap: only read when the question also names a fiscal year (see ``read_constraints``).
    # « Combien » alone is no contribution (« Combien la CRÉ doit-elle éponger en 2013-2014 ? »): a word for it or
    # for receiving it is.
    Item("montant prévu", re.compile(r"montant|somme|enveloppe|contribution|prevo|prevu|recoi|recu|verse|touch"
                                     r"|accord|allou|attribu|octroi|how much|amount|fund"), None, _OTHER_AMOUNTS),
    # Events a date question may ask about that the evidence names in its own words: an organisation's founding
    # (« fondé en 1991 », « existe depuis 2005 ») is not any date of its, nor an agreement's extension (« prolongée
    # par avenant ») its signature.
    Item("date de fondation", re.compile(r"\bfonde(e|es|ees)?\b|\bfondation\b|\bcreee?s?\b|\bcreation\b"
                                         r"|\bexist(e|ent|ait|aient)\b|\bfounded\b|\bestablished\b"),
         re.compile(r"\bfond(e|ee|es|ees|ation|ateur|atrice)\b|\bcreee?s?\b|\bcreation\b|\bexist"
                    r"|\bmise? sur pied\b|\bnaissance\b")),
    Item("prolongation", re.compile(r"prolong|\bavenant|reconduit|renouvel|\bextended\b|\bextension\b|\brenewed\b"),
         re.compile(r"prolong|\bavenant|reconduit|renouvel|\breport")),
)


# What kind of answer a question wants, read on the folded question, first match wins: a date, a person, a share
# (%), an amount ($), a count, any figure, a name. The evidence unit must hold one of that kind that the question
# does not already give (« Qui présidait la Table ? » is not answered by a sentence about the Table that names
# nobody; « Combien d'élèves… ? » not by « 146 000 $ »; « Quel taux… ? » not by a count).
_WHICH = r"quel(le)? (est |etait |a ete |sera )?(le |la |l')?"  # « quel est le », « quelle a été la », « … l'enveloppe »
# « Quelle part de l'argent… ? » may be answered in dollars as well as in per cent: any figure.
# So does « Quelle part de cette somme… ? », « … de son budget »: the money noun, whatever its determiner.
_OF_MONEY = (r" (?:de l'|de la |du |des |de (?:cette|ce|cet|ces|son|sa|ses|leur|leurs|notre|nos|votre|vos) )"
             r"(?:argent|sommes?|montants?|enveloppes?|contributions?|financement|budgets?|fonds)\b")
# « Qui la ministre reconnaît-elle… ? »: « qui » is the object of a verb whose subject follows, inverted.
_WHOM = r" (?:le |la |les |l')(?:[a-z-]+ ){1,5}?[a-z]+-(?:t-)?(?:il|elle|ils|elles|on)\b"
# « Qui occupe le siège des services d'emploi ? », « Qui siège au comité… ? »: a seat is held by a body (« occupé par
# Emploi-Québec ») as well as by a person; on folded text.
_SEAT_HELD = re.compile(r"^(?:et |selon |mais )?qui (?:occup|sieg|detien|detenai)\w*\b")
# The roles of the bodies that carry or hold a project's money (« Qui est le promoteur… ? »), on folded text.
_BODY_ROLES = r"(promoteur|promotrice|porteur|porteuse|fiduciaire|mandataire|bailleur|gestionnaire)s?"
# The prepositions after which « quel + money noun » asks which one, not how much (« sous quelle réserve »).
_NOT_HOW_MUCH = r"(?<!\bsous )(?<!\bdans )(?<!\bselon )(?<!\bparmi )(?<!\bchez )(?<!\bpar )"
# « Quelle est la population estimée de… ? » asks « combien d'habitants » (a count of people, not any figure).
_POPULATION_ASKED = r"\bquel(?:le)? (?:est |etait |sera |a ete )?(?:la )?population\b"
ANSWER_KINDS: dict[str, re.Pattern[str]] = {
    # « À quelle séance… ? », « Lors de quelle réunion… ? »: a meeting is told by its date.
    "date": re.compile(r"\bquand\b|quelle date|a quel moment|en quelle annee|depuis quelle annee|en quel mois"
                       r"|\b(a|lors de|au cours de|pendant) quelle (seance|reunion|rencontre|assemblee)\b"
                       r"|\bwhen\b|what date|by what date|what year|which year|since when|what month"
                       r"|\bat (which|what) meeting\b"),
    # « Qui est le promoteur… ? » asks for a body (the organisations that carry projects): a name, below.
    "personne": re.compile(r"^(et |selon |mais |a )?qui\b(?! (en )?(est|etait|sont|etaient|sera) (le |la |les |l')?"
                           rf"{_BODY_ROLES}\b)(?!{_WHOM})|\bwho\b|comment s'appel\w*|comment se nomm\w*"
                           # « Quel est le nom du maire de Sept-Îles ? »: a person, by the role after « nom »
                           # (« au nom de la ministre » asks no one).
                           r"|(?:quel(le)?|(?<!\bau )\bnom (?:du|de la|de l'|des)) (ministre|personne"
                           r"|prefet|president|presidente|maire|mairesse|agent|agente|coordonnat\w*|directeur"
                           r"|directrice|codirectrice|codirecteur|responsable|signataire|representant|representante"
                           r"|porte-parole|elu|elue|conseiller|conseillere|secretaire|tresorier|tresoriere)\b"),
    "part": re.compile(rf"\b({_WHICH}|a combien (s'eleve|se chiffre|se monte) (le |la )?)(pourcentage|proportion|taux"
                       rf"|part|fraction|quote-part|ratio)\b(?!{_OF_MONEY})|combien pour cent"
                       r"|what (percentage|proportion|share"
                       r"|fraction|rate)"),
    # The words for money a question asks about (« Quelle est la contribution prévue ? », « À combien s'élève le
    # loyer ? »): an amount, whatever the noun.
    # « Sous quelle réserve… ? », « Dans quelle enveloppe… ? »: after a preposition of place, condition or means, the
    # noun names which one (a condition, a fund), not how much.
    "montant": re.compile(rf"\b({_NOT_HOW_MUCH}{_WHICH}|a combien (s'eleve|se chiffre|se monte) (le |la |les )?)(montant|somme"
                          r"|enveloppe|budget|cout|salaire|valeur|contribution|subvention|financement|allocation"
                          r"|tranche|versement|paiement"
                          r"|dotation|(?:aide|effort|appui|soutien|apport|engagement) financiere?|loyer|prix|tarif|frais|depense"
                          r"|investissement|solde|reserve)\b"
                          r"|combien d'argent|how much (money|funding)|what amount"),
    # « À quelle heure… ? », « De quelle heure à quelle heure… ? »: a clock time (« de 9 h à 10 h 25 »), not a
    # length of time nor any figure.
    "heure": re.compile(r"\b(?:a|de|vers|jusqu'a|pour) quelle heure\b|\bquelle (?:est |etait )?l'heure\b"
                        r"|\b(?:at|by|until|from) what time\b|^(?:and )?what time\b"),
    # « Combien de temps… ? », « Quelle est la durée… ? »: a length of time (« 26 semaines »), not a clock time
    # (« de 18 h 45 à 19 h 40 ») nor any figure; « depuis combien de temps » may be answered by a year.
    "duree": re.compile(r"(?<!depuis )\bcombien de temps\b|\bquelle (est |etait |sera )?(la )?duree\b"
                        r"|\bhow long\b(?! ago)"),
    # « Combien de fois… ? », « À quelle fréquence… ? »: how often (« trois fois », « à chaque séance »), not a
    # count of things nor an amount.
    "frequence": re.compile(r"\bcombien de fois\b|\b(a )?quelle (est |etait )?(la )?frequence\b|\btous les combien\b"),
    "nombre": re.compile(r"\b(combien|nombre) (de |d')(?!argent\b|temps\b|fois\b|monde\b)(?=[a-z])"
                         r"|\bhow many (?!times\b)(?=[a-z])|" + _POPULATION_ASKED),
    "chiffre": re.compile(rf"\bcombien\b|\bhow (much|many|long|far)\b|{_WHICH}(nombre|plafond)\b"
                          rf"|{_WHICH}(part|proportion|fraction){_OF_MONEY}"
                          r"|what (amount|number)"),
    "telephone": re.compile(r"\btelephone\b|phone number"),
    # « Quel est le numéro de la résolution ? »: a code (« CA-2012-03-114 », « no 4 »), not any figure.
    "numero": re.compile(rf"{_WHICH}(numero|code|cote)\b(?! de telephone)|sous quel numero"
                         r"|what (is the )?(resolution |file )?number"),
    "courriel": re.compile(r"\bcourriel\b|adresse electronique|e-?mail address"),
    # « Que veut dire CDC ? », « Que signifie le sigle SACAIS ? »: the words an acronym stands for.
    "sigle": re.compile(r"\bque (?:veut dire|veulent dire|signifie|signifient)\b|\bwhat (?:does|do) \S+ stand for\b"
                        r"|\bde quoi \S+ est(?:-il)? (?:le|l') ?(?:sigle|acronyme)\b"),
    # « Dans quelle municipalité se réunit… ? », « Au-delà de quelle localité… ? »: a place, by its name.
    "lieu": re.compile(r"\b(?:dans|en|a|au-dela de|pres de|vers) quelle (?:ville|municipalite|localite|communaute)\b"
                       r"|^(?:et )?quelle (?:ville|municipalite|localite)\b|\b(?:in |to )?(?:which|what) (?:town|city"
                       r"|municipality|locality)\b"),
    # « Quel âge ont les enfants… ? »: an age in years (« 8 et 13 ans », « de 18 à 30 ans »), not any figure.
    "age": re.compile(r"\bquel age\b|\bhow old\b|\b(?:at )?what age\b"),
    # « À quelle adresse faut-il envoyer un avis… ? »: a street address, not any name.
    "adresse": re.compile(r"\ba quelle adresse\b|\bquelle (?:est |etait )?(?:l')?adresse (?!electronique|courriel)"
                          r"|\b(?:at |to )?(?:what|which) (?:postal |mailing )?address\b"),
    # « Avec qui… ? », « Auprès de qui… ? »: a body as well as a person, by its name.
    # « Qui la ministre reconnaît-elle comme interlocuteur ? » asks whom someone else names: a body or a person.
    "nom": re.compile(rf"^(et |selon |mais )?qui{_WHOM}|quel(le)? (organisme|instance|association|corporation"
                      r"|entreprise|projet)\b"
                      r"|^(et |selon |mais )?(avec|aupres de|par|pour|de) qui\b"
                      r"|which (organi[sz]ation|body|project)"
                      rf"|^(et |selon |mais |a )?qui (en )?(est|etait|sont|etaient|sera) (le |la |les |l')?{_BODY_ROLES}\b"),
}
# A question that asks for an explanation or a yes or no (« Comment la Table tranche-t-elle quand il n'y a pas de
# consensus ? »): no kind of answer, whatever interrogative word comes later in it.
_OPEN_QUESTION = re.compile(r"\b(comment|pourquoi|est-ce qu|qu'est-ce|de quelle (maniere|facon)|why"
                            r"|how (do|does|did|is|are|was|were|can)\b)")
# « Combien … ? » asks for an amount when its verb is about money (« Combien la Navette a-t-elle reçu ? »).
_MONEY_VERB = re.compile(r"\b(recue?s?|recoi(t|vent|vait)|vers(e|ee|es|ait|ent|era)|accord(e|ee|es|ait)|obtenue?s?"
                         r"|investie?s?|engagee?s?|cout(e|ent|ait|era|eront)?|paie(nt)?|pay(e|ait)|touch(e|ent|ait)"
                         r"|depens(e|ee|ent|ait)|allouee?|attribuee?|vaut|financ(e|ee|ait)|(?<!a la )demand(e|ait)"
                         r"|prevo(it|ient|yait)|prevue?s?|s'eleve|rapport(e|ent|ait|aient))\b")
_DAY_MONTH = re.compile(r"\b\d{1,2}(er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre"
                        r"|decembre)\b|\b(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre"
                        r"|novembre|decembre|printemps|ete|automne|hiver) \d{4}\b")
_DAY = re.compile(r"\b\d{1,2}(?:er)? (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
                  r"|décembre)\b", re.IGNORECASE)
# Figures of a kind, on folded text: an amount, a share, a date.
_MONEY = re.compile(r"\d(?:[\d\u00a0\u202f ]*\d)?(?:,\d+)?\s*(?:(?:millions?|milliards?) (?:de )?)?(?:\$|m\$|dollars)")
# A part of a post is a share of a full-time one (« 0,8 équivalent temps complet », « 0,8 ETP »).
_SHARE = re.compile(r"\d(?:,\d+)?\s*(?:%|pour cent|etp\b|equivalents? temps (?:complet|plein))|\b(?:moitie|tiers|quart)\b"
                    r"|\b(?:un|une|\d+) (?:\w+ ){0,4}sur (?:deux|trois|quatre|cinq|six|sept|huit|dix|\d+)\b")
_PERCENT = re.compile(r"\d+(?:,\d+)?\s*(?:%|pour cent)")
# A section's number opening a sentence or a line (« 5.6 Conventions et comptabilité. La CRÉ conclut une
# convention… »): French writes decimals with a comma, so « 5.6 » counts no conventions.
_SECTION_NUMBER = re.compile(r"(?:^|(?<=[.:;]\s)|(?<=\n))\d+(?:\.\d+)+\.?(?=\s)")
_ASKS_DAY = re.compile(r"quelle date|what date|by what date|quel jour|what day")
# Words that make a question's year the date of its sources, not of the fact asked.
_SOURCE_WORDS = re.compile(r"\b(entretiens?|rapport|portrait|proces-verba(l|ux)|fiches?|interviews?|report|minutes)\b")
# A possessive or demonstrative before a counted noun is skipped (« combien de ses inscrits »: « inscrits »).
_POSSESSIVE = r"(?:(?:ses|leurs|son|sa|nos|vos|mes|ces|its|their|these|those)\s+)?"
_COUNTED_AS_WRITTEN = re.compile(r"(?i)\b(?:combien|nombre) ((?:de |d'|d’)" + _POSSESSIVE
                                 + r"(?:(?:simples|nouveaux|nouvelles|différents|différentes|distincts|distinctes"
                                 r"|petits|petites|grands|grandes|autres|vrais"
                                 r"|vraies|véritables)\s+)?\w[\w-]*)|\bhow many ")
# A person: two capitalised words (« Julie Provencher », « Marie-Claude Lavoie »), or with a particle between them
# (« Bernardo de Gálvez », « Pierre de Fermat »), the first neither an article nor a word that starts the name of a
# place or a body.
_PERSON = re.compile(r"\b([A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?) (de la |de |du |des |d'|d’|van |von |da |di |del )?"
                     r"([A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?)\b")
_NOT_FIRST_NAMES = frozenset("""
le la les l du de des au aux en et a un une ce cette il elle selon pour dans entre sur par chez depuis avec
alliance table comite conference centre ville municipalite corporation societe fonds plan entente solidarite
transport projet projets chapitre annexe region quebec canada saint sainte mont lac baie riviere ile iles port
cote haute haut bas basse grand grande petit petite nouvelle nouveau vieux sept trois deux notre votre
chantier marche marches paniers logis navette cuisines cuisine accorderie consortium ministere ministre
gouvernement emploi carrefour caisse commission agence direction reseau regroupement association maison
""".split())


KIND_NAMES = {"part": "pourcentage", "montant": "montant en dollars", "chiffre": "chiffre", "duree": "durée",
              "personne": "nom de personne", "telephone": "numéro de téléphone", "courriel": "adresse courriel",
              "numero": "numéro", "adresse": "adresse postale", "age": "âge", "sigle": "sens du sigle",
              "lieu": "nom de lieu", "frequence": "fréquence", "heure": "heure"}
# A length of time, on folded text: « 26 semaines », « trois ans », « 1 h 05 », « une demi-journée » (clock times are
# taken out first: ``_CLOCK``).
_DURATION = re.compile(r"\b(?:\d+(?:,\d+)?|une?|demi|quelques|plusieurs|" + "|".join(NUMBER_WORDS) + r")[ -]"
                       r"(?:heures?|h(?: ?\d\d)?|minutes?|min|jours?|journees?|semaines?|mois|ans|annees?"
                       r"|hours?|days?|weeks?|months?|years?)\b")
# A clock time is no length of time: « de 10 h à 11 h 05 », « à 13 h 30 », « vers 9 h », « avant 7 h ».
_CLOCK = re.compile(r"\b(?:de \d{1,2} ?h(?: ?\d\d)? a|a|vers|des|jusqu'a|avant|apres|passe) \d{1,2} ?h(?: ?\d\d)?\b")
# The clock times a clock-time answer gives (« de 9 h à 10 h 25 », « Heure : 14 h », « vers 22 heures »), on folded
# text: one introduced as a time (``_CLOCK``) or after an « heure » header; a length (« Durée : 1 h 25 », « jusqu'à
# 40 heures par semaine ») is none.
_CLOCK_TIME = re.compile(rf"{_CLOCK.pattern}|(?<=\bheure : )\d{{1,2}} ?h(?: ?\d\d)?\b"
                         r"|\b(?:a|vers|des) \d{1,2} heures?\b(?! (?:par|de|d'))")
# Units of measure: a figure they follow measures, it counts no people nor things.
_UNITS = frozenset("km kilometres metres m h heures minutes min jours semaines mois ans annees dollars".split())
# An age is no length of time: « de 18 à 30 ans », « 65 ans et plus », « âgés de 50 ans ».
_AGES = re.compile(r"\b\d+ (?:a|et) \d+ ans\b|\b\d+ ans et plus\b|\bages? de \d+ ans\b|\bagees? de \d+ ans\b")
# A place named after a preposition of place (« de La Bostonnais », « à Natashquan »), on written text.
_PLACE_NAMED = re.compile(r"\b(?:à|au|aux|dans|en|vers|de|d')\s?((?:La |Le |Les |L')?[A-ZÀ-Þ][\w-]+(?:-[A-ZÀ-Þ][\w-]+)*)")
# An age, on folded text: « 8 et 13 ans », « de 18 à 30 ans », « 65 ans et plus », « dans la trentaine ».
_AGE = re.compile(r"\b\d{1,3} (?:(?:a|et) \d{1,3} )?ans\b|\bdans la (?:vingtaine|trentaine|quarantaine|cinquantaine"
                  r"|soixantaine|septantaine|quatre-vingtaine)\b")
# How often, on folded text: « trois fois », « deux fois par année », « à chaque séance », « tous les mois »,
# « mensuelle ».
_FREQUENCY = re.compile(r"\b(?:\d+|une|" + "|".join(NUMBER_WORDS) + r"|plusieurs|quelques) (?:fois|reprises)\b"
                        r"|\baux (?:deux|trois|quatre|six|\d+) (?:jours|semaines|mois|ans)\b"
                        r"|\bchaque (?:seance|reunion|rencontre|assemblee|semaine|mois|annee|an|jour|trimestre|fois)\b"
                        r"|\btou(?:s|tes) les (?:\w+ )?(?:jours|semaines|mois|ans|annees|seances|reunions)\b"
                        r"|\b(?:hebdomadaire|mensuel|annuel|quotidien|bimensuel|trimestriel)(?:le)?s?\b")
_PHONE = re.compile(r"(?<!\d)(?:\(\d{3}\)\s*|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# A street address, on folded text: « 92, 2e Rue Ouest », « 456, avenue Arnaud », « 186, rue Saint-Germain Est ».
_STREET_ADDRESS = re.compile(r"\b\d+[a-z]?,? (?:\d+(?:e|re|er) )?(?:rue|boulevard|boul\.|avenue|av\.|chemin|route|rang"
                             r"|place|montee|cote|promenade)\b")
# A code or a number that designates (« CA-2012-03-114 », « AS-2011-CDQ », « no 2 », « n° 14 »), on written text.
CODE = re.compile(r"\b[A-Z]{1,6}(?:-[A-Z0-9]+)*-\d[\w-]*|\b(?:no|n°|numéro)\s?\d+\b"
                   r"|\b(?:ISBN|ISSN)(?:-1[03])?:?\s?[\dX][\d -]{6,15}[\dX]\b|\b97[89](?:-\d+){3,4}\b")


def persons(text: str) -> set[str]:
    """The people a text names (« Julie Provencher »), folded: two capitalised words, not a place or a body."""
    return {fold(person) for person in persons_written(text)}


def persons_written(text: str) -> list[str]:
    """The people a text names, as written, in their order."""
    return [f"{first} {particle}{last}" for first, particle, last in _PERSON.findall(text)
            if fold(first).split("-")[0] not in _NOT_FIRST_NAMES and not regions_named(f"{first} {last}")
            and not (particle and places_named(last))]  # « Innus de Uashat »: a place, not a family name


# Ordinals, folded, by rank: « le troisième appel », « le second versement », « the first call ».
_ORDINAL_WORDS = {1: "premier premiere premiers premieres 1er 1re 1ere initial initiale first",
                  2: "deuxieme deuxiemes second seconde seconds secondes 2e 2eme 2nd",
                  3: "troisieme troisiemes 3e 3eme third", 4: "quatrieme 4e 4eme fourth", 5: "cinquieme 5e 5eme fifth"}
_RANK_OF = {word: rank for rank, words in _ORDINAL_WORDS.items() for word in words.split()}
_ORDINAL = re.compile(rf"\b({'|'.join(sorted(_RANK_OF, key=len, reverse=True))})\b(?:\s+(?:des?\s+|d')?([a-z][a-z-]+))?")
# Series an ordinal does not pin for the evidence to repeat: years (« la première année » is written
# « 2011-2012 »), times and set phrases (« premier ministre », « en premier lieu », « les Premières Nations »).
_NOT_SERIES = frozenset(analyse("annee annees exercice exercices an ans mois semaine semaines jour jours trimestre "
                                "ministre ministres lieu fois temps plan vue rang chef nation nations".split()))

# A project's year of service is a series of its own (« pendant sa deuxième année de service »), not a fiscal year;
# so is a government's plan (« le troisième plan gouvernemental »), which « premier plan » alone is not.
_OWN_SERIES = re.compile(r" (?:de service|d'activite|d'operation|de fonctionnement|d'existence|gouvernemental"
                         r"|d'action|de lutte)\b")


@dataclass(frozen=True)
class Ordinal:
    """Which one of a series a question asks about (« le troisième appel de projets »)."""

    rank: int
    noun: str  # the series' stem (« appel »)
    written: str  # as the question writes it

    def missing_in(self, text: str, window: str) -> bool:
        """Whether a unit (``text``, read with its ``window``: headers, sentences before, title) is about another
        one of the series: it names another rank of it and never this one (« lors du premier appel »), or, for a
        third or later one, which the corpus always names by its rank, it speaks of the series without naming
        this rank (« Total » of a table of calls); or it speaks neither of the series nor of the rank."""
        if self.named_in(text):
            return False  # « le premier versement … et le second à 387 000 $ »
        if self._other_rank_in(text):
            return True
        if self._other_rank_in(window) and not self.named_in(window):
            return True  # goes on about another one its sentences before name (« Au cours de sa première année… »)
        around = set(analyse(words_of(f"{window} {text}")))
        if self.noun not in around and not self.named_in(window):
            return True  # neither the series nor the rank: about something else (a signature's date)
        return self.rank >= 3 and self.noun in set(analyse(words_of(window))) and not self.named_in(window)

    def _other_rank_in(self, text: str) -> bool:
        """Whether a text names another rank of this series (« lors du premier appel » for the third)."""
        return any(match.group(2) and analyse([match.group(2)])[0] == self.noun and _RANK_OF[match.group(1)] != self.rank
                   for match in _ORDINAL.finditer(fold(text)))

    def named_in(self, text: str) -> bool:
        """Whether a text names this rank, in any written form."""
        return any(_RANK_OF.get(word) == self.rank for word in re.findall(r"[a-z0-9]+", fold(text)))


def _last_sentence(question: str) -> tuple[str, str]:
    """A question's last sentence (a sentence before it only sets the scene) as written and folded, of the same
    length, so that a match in the folded one can be shown as written."""
    written = unicodedata.normalize("NFC", split_sentences(question)[-1]) if question.strip() else ""
    folded = fold(written)
    return (written if len(folded) == len(written) else folded), folded  # « İ »: show the folded words


def ordinal_asked(question: str, previous: Ordinal | None = None) -> Ordinal | None:
    """The ordinal the question's last sentence pins (« troisième appel »); for a follow-up naming a rank alone
    (« Et le deuxième ? »), of the previous question's series."""
    written, asked = _last_sentence(question)
    for match in _ORDINAL.finditer(asked):
        noun = analyse([match.group(2)])[0] if match.group(2) else ""
        if noun in _NOT_SERIES and not _OWN_SERIES.match(asked, match.end()):
            continue
        if match.group(2) and match.group(2) not in STOP_WORDS:
            return Ordinal(_RANK_OF[match.group(1)], noun, written[match.start():match.end()])
        if previous is not None:
            series = previous.written.split(maxsplit=1)[-1]  # « premier appel de projets » → « appel de projets »
            return Ordinal(_RANK_OF[match.group(1)], previous.noun, f"{written[match.start(1):match.end(1)]} {series}")
    return None


@dataclass(frozen=True)
class Constraints:
    """What a question pins down. Empty fields constrain nothing."""

    fiscal_years: tuple[str, ...] = ()  # « 2013-2014 », normalised
    years: tuple[str, ...] = ()  # years written alone (« en 2016 »), never read inside a fiscal year
    regions: tuple[str, ...] = ()  # canonical names; a unit about any of them will do (a comparison names two)
    item: Item | None = None
    answer_kind: str = ""  # a key of ANSWER_KINDS; empty: any
    names: tuple[str, ...] = ()  # names the question pins (« Matawinie », « Karine Desrochers »), as written
    dated_sources: bool = False  # its years date the documents (« entretiens de 2014 »), not the fact asked
    ordinal: Ordinal | None = None  # « le troisième appel »: which one of a series
    year_rank: int = 0  # « la dernière année de l'entente »: 1 for the first fiscal year, -1 for the last
    # A question asking two things (« Combien d'habitants…, et combien de projets… ? »): each part's own; a unit
    # answers when it satisfies one of them (the fields above are then all the parts' together).
    alternatives: tuple[Constraints, ...] = ()
    # A year asked by its rank, read in each document's fiscal years among the passages found (``with_sources``):
    # (document path, fiscal year) pairs.
    ranked_years: tuple[tuple[str, str], ...] = ()
    asked: str = field(default="", compare=False)  # the question, whose own figures, dates and names answer nothing

    def __bool__(self) -> bool:
        return bool(self.pins or self.answer_kind or self.names or self.ordinal)

    def loosened(self, **changes: Any) -> Constraints:
        """These constraints with some fields replaced, in each part too (``dataclasses.replace``)."""
        return replace(self, **changes, alternatives=tuple(part.loosened(**changes) for part in self.alternatives))

    def settled(self) -> str:
        """The question's words that these constraints check exactly and that no unit need repeat: a year asked
        by its rank (« la première année »), which a unit gives as that year (« 2011-2012 »)."""
        match = _RANKED_YEAR.search(fold(self.asked)) if self.year_rank else None
        return match.group() if match else ""

    @property
    def pins(self) -> bool:
        """Whether the question pins down a year, a region or an item, for which a figure must be the right one."""
        return bool(self.fiscal_years or self.years or self.regions or self.item or self.year_rank)

    @property
    def kind_name(self) -> str:
        """The kind of answer asked, in French words (« nombre de places »)."""
        if self.answer_kind == "nombre" and (counted := _COUNTED_AS_WRITTEN.search(self.asked)):
            return f"nombre {counted.group(1)}" if counted.group(1) else "nombre"
        if self.answer_kind == "nombre" and re.search(_POPULATION_ASKED, fold(self.asked)):
            return "nombre d'habitants"
        return KIND_NAMES.get(self.answer_kind, self.answer_kind)

    def described(self) -> str:
        """The constraints in a few French words: « montant prévu, 2016-2017, Lanaudière »."""
        return ", ".join(([self.item.name] if self.item else [self.kind_name] if self.answer_kind else [])
                         + list(self.fiscal_years + self.years + self.regions + self.names)
                         + ([_RANKED_YEAR_NAMES[self.year_rank]] if self.year_rank else [])
                         + ([self.ordinal.written] if self.ordinal else []))

    def parts(self) -> list[tuple[str, Constraints]]:
        """Each constraint alone, with how it is written: to name the one no evidence satisfies."""
        return ([(year, Constraints(fiscal_years=(year,))) for year in self.fiscal_years]
                + ([(_RANKED_YEAR_NAMES[self.year_rank], Constraints(year_rank=self.year_rank))]
                   if self.year_rank else [])
                + [(year, Constraints(years=(year,))) for year in self.years]
                + [(region, Constraints(regions=(region,))) for region in self.regions]
                + ([(self.item.name, Constraints(item=self.item))] if self.item else [])
                + [(name, Constraints(names=(name,))) for name in self.names]
                + ([(self.ordinal.written, Constraints(ordinal=self.ordinal))] if self.ordinal else [])
                + ([(self.kind_name, Constraints(answer_kind=self.answer_kind, asked=self.asked))]
                   if self.answer_kind and not (self.item and self.item.name == self.kind_name) else []))


def fiscal_years(text: str) -> tuple[str, ...]:
    """Fiscal years written in a text (« 2013-2014 », « 2013-14 » → « 2013-2014 »); spans over several years
    (« 2011-2015 ») are not fiscal years."""
    found = []
    for first, second in _YEAR_SPAN.findall(text):
        end = int(second) if len(second) == 4 else int(first[:2] + second)
        if end == int(first) + 1:
            found.append(f"{first}-{end}")
    return tuple(dict.fromkeys(found))


# A fiscal year named by its rank in the agreement (« la toute première année de l'entente », « sa dernière
# année », « le deuxième exercice »): read against the years of the evidence's own passage (``year_of_rank``).
_RANKED_YEAR = re.compile(r"\b(premiere|premier|1re|1er|deuxieme|seconde?|2e|troisieme|3e|quatrieme|4e|derniere|dernier)"
                          r"\s+(annee|exercice)"
                          r"|\b(first|second|third|fourth|last|final) (fiscal )?year\b")
_YEAR_RANKS = _RANK_OF | {"derniere": -1, "dernier": -1, "last": -1, "final": -1}
_RANKED_YEAR_NAMES = {1: "première année", 2: "deuxième année", 3: "troisième année", 4: "quatrième année",
                      -1: "dernière année"}


def year_rank_asked(question: str) -> int:
    """The rank of the fiscal year the question's last sentence asks by rank (1 first, -1 last), 0 if none."""
    match = _RANKED_YEAR.search(_last_sentence(question)[1])
    return _YEAR_RANKS[match.group(1) or match.group(3)] if match else 0


def _next_rank(rank: int, question: str) -> int:
    """A follow-up's year rank: the previous one, or the one after it (« Et l'année suivante ? »)."""
    return rank + year_shift_asked(question) if rank > 0 else rank


def year_of_rank(rank: int, years: set[str]) -> str:
    """The fiscal year of this rank among these, in order of time; "" when the rank cannot be read there: fewer
    than two years, or, for a rank after the first, a gap before it (« 2011-2012 » and « 2014-2015 » alone do not
    say which is the second)."""
    ordered = sorted(years)
    if len(ordered) < 2 or abs(rank) > len(ordered):
        return ""
    if rank > 1 and any(int(b[:4]) != int(a[:4]) + 1 for a, b in zip(ordered, ordered[1:rank])):
        return ""
    return ordered[rank - 1 if rank > 0 else rank]


def with_sources(constraints: Constraints, sources: list[Source]) -> Constraints:
    """The constraints with a year asked by its rank read in each document's fiscal years among the passages
    found (a table's rows are passages of their own: the year of the last row is the last of the document's)."""
    if constraints.alternatives:
        return replace(constraints, alternatives=tuple(with_sources(part, sources) for part in constraints.alternatives))
    if not constraints.year_rank:
        return constraints
    years: dict[str, set[str]] = {}
    for source in sources:
        passage = source.passage
        years.setdefault(passage.info.path, set()).update(fiscal_years(f"{passage.text} {passage.context}"))
    return replace(constraints, ranked_years=tuple((path, year_of_rank(constraints.year_rank, found))
                                                   for path, found in years.items()))


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


def shifted_fiscal_year(year: str, shift: int = 1) -> str:
    """« 2013-2014 » → « 2014-2015 » (a shift of 1), « 2012-2013 » (-1)."""
    first = int(year[:4]) + shift
    return f"{first}-{first + 1}"


# A fiscal year named by its first or last day (the agreements' years run from April 1 to March 31): « l'année qui
# s'ouvre le 1er avril 2012 » is « 2012-2013 », « l'exercice terminé le 31 mars 2014 » « 2013-2014 ».
_FISCAL_YEAR_WORDS = r"(?i)\b(?:l['’]\s?)?(?:année|exercice)(?: financi(?:er|ère))? "
_OPENED_YEAR = re.compile(_FISCAL_YEAR_WORDS + r"(?:qui (?:s['’]ouvre|commence|débute|démarre|a commencé|a débuté)"
                          r"|commençant|débutant|ouverte?) le 1(?:er)? avril (\d{4})")
_CLOSED_YEAR = re.compile(_FISCAL_YEAR_WORDS + r"(?:qui (?:se termine|finit|prend fin|s['’]achève|s['’]est terminée?)"
                          r"|se terminant|finissant|terminée?|close?) le 31 mars (\d{4})")


# … or by both (« pour la période allant du 1er avril 2012 au 31 mars 2013 »).
_SPANNED_YEAR = re.compile(r"(?i)\b(?:(?:la|une) période (?:allant |qui va |courant )?)?du 1(?:er)? avril (\d{4}) au 31 mars"
                           r" (\d{4})")


def fiscal_year_by_day(question: str) -> str:
    """The question with a fiscal year named by its first or last day, or by both, written as that fiscal year, so
    that it is searched and checked as one."""
    question = _SPANNED_YEAR.sub(lambda m: f"l'exercice {m.group(1)}-{m.group(2)}" if int(m.group(2)) == int(
        m.group(1)) + 1 else m.group(), question)
    question = _OPENED_YEAR.sub(lambda m: f"l'exercice {m.group(1)}-{int(m.group(1)) + 1}", question)
    return _CLOSED_YEAR.sub(lambda m: f"l'exercice {int(m.group(1)) - 1}-{m.group(1)}", question)


def read_constraints(question: str, previous: Constraints | None = None) -> Constraints:
    """The constraints of a question; a follow-up (``previous`` given) keeps those of the earlier question that it
    does not replace (« Et en Mauricie ? » keeps the year, « Et l'année suivante ? » moves it by one). An English
    question is read in the French words of its constraints (``bilingual.french_reading``)."""
    question = french_reading(question)
    folded = fold(question)
    # A premise's years set its scene (``premise.scene_years``): « … reçu le 15 octobre 2013. Quelle était… ? »
    years_fiscal = tuple(year for year in fiscal_years(question) if year not in scene_years(question, fiscal_years))
    years = tuple(year for year in lone_years(question) if year not in scene_years(question, lone_years))
    regions = tuple(region for region in regions_named(question)
                    if region not in scene_regions(question, regions_named))
    item = next((item for item in ITEMS if item.asked.search(folded)), None)
    if item is not None and item.evidence is None and not years_fiscal and not (previous and previous.fiscal_years):
        item = None  # « combien » alone pins nothing down; an amount *for a fiscal year* does
    kind = answer_kind(question) or referred_kind(question)  # « … 236 000 $. Quelle portion de cette somme… ? »
    if kind == "chiffre" and _MONEY_VERB.search(folded) and not re.search(rf"\b(part|proportion|fraction){_OF_MONEY}",
                                                                          folded):  # dollars or per cent
        kind = "montant"
    if kind in ("chiffre", "part") and _PART_OF_THAT_SUM.search(folded) and _MONEY.search(folded):
        kind = "montant"  # « … reçoit 236 000 $; quelle part de cette somme… ? »: a part of the amount given, in dollars
    if item is not None and item.name == "montant prévu" and kind not in ("montant", "chiffre", ""):
        item = None  # « Combien de réunions… en 2013-2014 ? » counts meetings: no amount of the year
    if item is not None and item.name == "date de signature" and kind in ("montant", "part", "nombre"):
        item = None  # « Combien accorde-t-elle pour 2011-2012, celui qui était déjà fini à la signature ? »
    pinned = question_names(question)
    if kind == "sigle":  # « Dans « CDC du Haut-Saint-Maurice », que veut dire CDC ? »: the acronym, wherever spelt out
        pinned = tuple(name for name in pinned if _ACRONYM.fullmatch(name))
    dated = bool(_SOURCE_WORDS.search(folded))
    ordinal = ordinal_asked(question, previous.ordinal if previous else None)
    # A money question's year by rank is a fiscal year of the agreement; « pendant sa première année » of a
    # project's service is not.
    # So is « le premier exercice » of a question that asks no other kind (« Total des six régions pour le premier
    # exercice ? »).
    fiscal_rank = kind == "montant" or not kind and bool(re.search(r"\bexercices?\b", folded))
    year_rank = 0 if years_fiscal or not fiscal_rank else year_rank_asked(question)
    if item is None and year_rank:
        item = next((item for item in ITEMS if item.evidence is None and item.asked.search(folded)), None)
    if previous is None:
        return Constraints(years_fiscal, years, regions, item, kind, pinned, dated, ordinal, asked=question,
                           year_rank=year_rank)
    if not years_fiscal and not years and (shift := year_shift_asked(question)):
        years_fiscal = tuple(shifted_fiscal_year(y, shift) for y in previous.fiscal_years)
        years = tuple(str(int(y) + shift) for y in previous.years)
    elif not years_fiscal and not years and not year_rank:  # « Et pour le premier exercice ? » replaces the year
        years_fiscal, years = previous.fiscal_years, previous.years
    # A follow-up that names a town or an MRC of another region (« Et dans la MRC de Joliette… ? » after a question
    # on the Centre-du-Québec) moves to that region.
    placed = tuple(region for region in regions_placed(question) if region not in previous.regions)
    return Constraints(years_fiscal, years, regions or placed or previous.regions, item or previous.item,
                       kind or previous.answer_kind, pinned, dated or previous.dated_sources,
                       ordinal or previous.ordinal, asked=question,
                       year_rank=year_rank or (0 if years_fiscal else _next_rank(previous.year_rank, question)))


# A clause of time or condition before the question's own interrogative word sets the scene (« quand la fabrique
# a fermé, combien de postes ont disparu ? », « si le fonds se retire, quel montant… ? »): on folded text.
_SUBORDINATE = re.compile(r"\b(?:quand|lorsque?|lorsqu'|si|when|if)\b[^,?]*,\s*(?=(?:combien|qui|quel|quelle|quels"
                          r"|quelles|ou|pourquoi|comment|que|qu'|lequel|laquelle|how|what|who|which|where|why)\b)")


# A complement fronted before the question's head, up to its comma (« Selon l'organisme de Matawinie, quel rôle… ? »,
# « Pour l'urbaniste qui coanime le comité, à quel moment… ? »): it says whose account or where, not what is asked,
# and the head (its interrogative word and the noun it governs) is read after it; on folded text.
_FRONTED = re.compile(r"^(?:selon|d'apres|pour|chez|dans|en|au|aux|a|sur|avec|parmi|lors|outre|depuis|apres|avant"
                      r"|according to|in|for|at|after|before)\b(?! (?:qui|quoi|quel|quelle|quels|quelles|lequel|laquelle"
                      r"|whom|what|which)\b)(?:(?!\b(?:quel|quelle|quels|quelles|combien|lequel"
                      r"|laquelle)\b)[^,?;])*,\s*(?=(?:[a-z']+ ){0,3}?(?:combien|qui|quel|quelle|quels|quelles|ou|quand"
                      r"|pourquoi|comment|que|qu'|quoi|lequel|laquelle|how|what|who|which|where|why|when)\b)")


# A part of a sum the question points back to (« quelle part de cette somme »), on folded text: when the question gives
# that sum in dollars, the part asked is an amount (as ``premise.referred_kind`` reads « Quelle portion de cette
# somme… ? » after a sentence giving one).
_PART_OF_THAT_SUM = re.compile(r"\b(?:part|proportion|fraction|portion) de (?:cette|ce|cet|ces) (?:somme|montant"
                               r"|enveloppe|contribution|subvention|aide)s?\b")


_KINDLESS_THEN_WHEN = re.compile(r"^((?:et |mais )?(?:ou|que|qu'|(?:\w+ )?quoi|(?:\w+ )?quel(?:le)?s? \w+)\b.*?)(?<!\bet )"
                                 r"\b(?:quand|lorsqu'|lorsque)\b.*")


def answer_kind(question: str) -> str:
    """The kind of answer the question's last sentence asks for (a sentence before it only sets the scene),
    read at its first interrogative word: « Qui reste responsable … quand une partie du travail est confiée ? »
    asks for a person, « Comment la Table tranche-t-elle quand… ? » for no kind (``_OPEN_QUESTION``); empty when
    none is asked."""
    asked = _SUBORDINATE.sub("", _last_sentence(question)[1])
    # After a question word that asks no kind, « quand » opens a clause of time (« Où en était-elle sur la liste quand
    # on l'a interviewée ? »): it sets the scene. That word is the question's head, read past a complement fronted
    # before it (« Selon l'organisme de Matawinie, quel rôle lui revient quand passent les épiceries ? »).
    fronted = _FRONTED.match(asked)
    head = asked[fronted.end():] if fronted else asked
    if _KINDLESS_THEN_WHEN.match(head):
        asked = asked[:len(asked) - len(head)] + _KINDLESS_THEN_WHEN.sub(r"\1", head)
    found = [(match.start(), order, name) for order, (name, pattern) in enumerate(ANSWER_KINDS.items())
             if (match := pattern.search(asked))]
    if (opened := _OPEN_QUESTION.search(asked)) is not None:
        found.append((opened.start(), len(ANSWER_KINDS), ""))
    if not found and (terse := _TERSE.match(asked)):  # « Numéro du projet Solidarité Transport ? »
        return next(kind for kind, nouns in _TERSE_KINDS.items() if terse.group(1) in nouns)
    kind = min(found)[2] if found else ""
    # « Quelle part de l'enveloppe … a-t-elle reçue en dollars ? »: the unit says which figure, an amount.
    return "montant" if kind in ("part", "chiffre") and _IN_DOLLARS.search(asked) else kind


# A figure asked in dollars (« … reçue en dollars ? », « in dollars »), on folded text.
_IN_DOLLARS = re.compile(r"\ben (?:dollars|\$)|\bin dollars\b")


# A question without an interrogative word that opens on the noun of what it asks (« Numéro du projet… ? », « Date
# de signature de l'entente estrienne ? »): that noun's kind, on folded text.
_TERSE_KINDS = {"numero": ("numero", "code"), "date": ("date",), "montant": ("montant", "somme", "budget", "cout"),
                "nombre": ("nombre",), "part": ("taux", "pourcentage", "proportion"), "telephone": ("telephone",),
                "courriel": ("courriel",)}
_TERSE = re.compile(rf"^(?:et |le |la |l')?({'|'.join(noun for nouns in _TERSE_KINDS.values() for noun in nouns)})"
                    r"\b(?!-)")


# A superlative, on folded text: « le plus élevé », « la plus grosse enveloppe », « le plus de projets », « the
# highest » ask the most; « la plus petite enveloppe », « le moins de », « the lowest » the least.
_MOST = re.compile(r"\b(?:le|la|les) plus (?:eleve|grand|haut|important|gros|nombreu)\w*|\b(?:le|la|les) plus d(?:e|')"
                   r"|\b(?:highest|largest|biggest|greatest|most)\b")
_LEAST = re.compile(r"\b(?:le|la|les) plus (?:petit|faible|bas|modeste)\w*|\b(?:le|la|les) moins (?:eleve|grand|important"
                    r"|nombreu)\w*|\b(?:le|la|les) moins d(?:e|')|\b(?:lowest|smallest|fewest|least)\b")


def superlative_asked(question: str) -> int:
    """1 when the question asks for the most (« le plus élevé »), -1 for the least (« la plus petite »), 0 for
    neither."""
    folded = fold(question)
    return 1 if _MOST.search(folded) else -1 if _LEAST.search(folded) else 0


def year_shift_asked(question: str) -> int:
    """Whether a follow-up asks for the year after the previous one (« Et l'année suivante ? »: 1), the one before
    it (« Et pour l'exercice d'avant ? »: -1), or neither (0)."""
    folded = fold(question)
    return 1 if _NEXT_YEAR.search(folded) else -1 if _PREVIOUS_YEAR.search(folded) else 0


# A thing designated by its number (« l'avenant no 2 », « n° 2 », « numéro 2 »): pinned as « no 2 ».
_DESIGNATOR = re.compile(r"\b(?:no|n°|numéro|number)\s?(\d+)\b", re.IGNORECASE)
_QUOTED = re.compile(r"«\s*([^»]{3,80}?)\s*»|“([^”]{3,80}?)”|\"([^\"]{3,80}?)\"")
# The capitalised words right after « quel », « quelle »… name what is asked, not a name to find (« Quelle Première
# Nation a un siège… ? » asks which one).
_ASKED_CATEGORY = re.compile(r"\b(?:[Qq]uel(?:le)?s?|[Ww]hich|[Ww]hat)\s+((?:[A-ZÀ-Þ][\w'’-]*\s*)+)")


def question_names(question: str) -> tuple[str, ...]:
    """The names the question's last sentence pins down (« Navette », « Matawinie »), as written — a sentence
    before it only sets the scene (« Le maire de Joliette trouve… ») —: its proper names and acronyms (and the
    days it names: « 10 décembre ») other than regions (checked as regions) and the bodies named everywhere (CRÉ,
    FQIS, Alliance, MRC). An English question comes here read in French, its English words (« Indigenous ») left out
    of its names (``bilingual.french_reading``)."""
    regional = {name_key(word) for words in REGION_WORDS.values() for word in words}
    question = split_sentences(question)[-1] if question.strip() else question  # a preamble sets the scene only
    days = [match.group() for match in _DAY.finditer(question)]  # « la réunion du 10 décembre 2013 »
    # A name in quotation marks (a capital, a few words) is pinned whole (« Voix citoyennes » is not « Porte-voix
    # citoyen »); a quoted remark (« c'est de la décoration ») is no name.
    quoted = [name for match in _QUOTED.finditer(question)
              if (name := next(group for group in match.groups() if group).strip())[:1].isupper()
              and len(words_of(name)) <= 6]
    within = " ".join(f" {name_key(name)} " for name in quoted)
    asked = {name_key(word) for match in _ASKED_CATEGORY.finditer(question) for word in match.group(1).split()}
    designated = [f"no {match.group(1)}" for match in _DESIGNATOR.finditer(question)]
    return (tuple(quoted) + tuple(written for key, written in names(question).items()
                                 if key not in regional and key not in {name_key(w) for w in COMMON_BODIES}
                                 and f" {key} " not in within and key not in asked)
            + tuple(dict.fromkeys(days)) + tuple(designated))


# The words that open a follow-up without asking anything (« Et en Mauricie ? »).
_OPENING = re.compile(r"^(?:et|puis|pis|mais|alors|and|so|what about|how about)\b\s*")
# A word that asks (« Il dessert quelles villes ? », « Combien en a-t-on retenu ? »): the follow-up asks its own fact.
_ASKING = re.compile(r"\b(qui|que|quoi|quel|quelle|quels|quelles|combien|quand|ou|comment|pourquoi|lequel|laquelle"
                     r"|who|what|which|when|where|how|why)\b|-t-|est-ce")


def is_elliptical(question: str) -> bool:
    """Whether a follow-up only replaces something of the previous question (« Et en Mauricie ? », « Et celle des
    Laurentides ? », « Et combien pour 2014-2015 ? », « Et l'année suivante ? ») rather than asking a fact of its
    own (« Il dessert quelles villes ? », « Et combien en a-t-on retenu ? »: a word that asks, or an inverted verb,
    and no region, year or name to put in the previous question's place)."""
    rest = _OPENING.sub("", fold(question).strip())
    if len(re.findall(r"[a-z0-9'-]+", _SAME_YEAR.sub("", rest))) > 4:  # « la même année » keeps a slot, asks nothing
        return False
    replaces = (regions_named(question) or fiscal_years(question) or lone_years(question) or year_shift_asked(question)
                or question_names(question))
    return bool(replaces) or not _ASKING.search(rest)


# A follow-up pointing to the previous question's year (« cette année-là », « la même année »), on folded text.
_SAME_YEAR = re.compile(r"\b(cette annee-la|cet exercice-la|la meme annee|le meme exercice|that year|the same year)\b")


def conversation_constraints(question: str, asked: str) -> Constraints:
    """The constraints of a question as the answer step reads it: ``asked`` is the question itself, or, for a
    follow-up, the previous question followed by it, or the model's standalone rewriting. An elliptical follow-up
    keeps the previous question's constraints it does not replace; one that asks a fact of its own (« Et le comité
    a demandé qu'on le monte à combien ? ») keeps only its subject, the regions it names or whose towns it names,
    and its year when it points to it (« cette année-là »): the item was the previous fact's."""
    if asked != question and asked.endswith(question):
        previous = read_constraints(asked[:-len(question)])
        if not is_elliptical(question):
            # Its subject is the previous question's: the regions it names, or whose towns or MRC it names (« la
            # popote roulante de Rimouski-Neigette » then « Elle dessert combien de villages ? »); its year only when
            # it points to it (« cette année-là »).
            same_year = bool(_SAME_YEAR.search(fold(question)))
            previous = Constraints(previous.fiscal_years if same_year else (), previous.years if same_year else (),
                                   regions_placed(asked[:-len(question)]))
        return read_constraints(question, previous)
    whole = read_constraints(asked)
    if sides := sides_constraints(asked):  # « A et B demandent-elles le même prix ? »: A's value, B's value
        return replace(whole, alternatives=sides)
    parts = parts_constraints(asked_parts(asked))
    if not all(part.answer_kind for part in parts):
        return whole  # a part asking no value (« Quelle thématique… ») would be met by any unit of its subject
    return replace(whole, alternatives=parts)


def sides_constraints(question: str) -> tuple[Constraints, ...]:
    """For a question comparing two subjects (``comparison.compared_sides``), each side's constraints, asking the
    kind of value compared (« le même prix »: an amount) when it reads none; none for another question."""
    sides = compared_sides(question)
    if not sides:
        return ()
    # « Qui est maire depuis le plus longtemps : A ou B ? » asks a person of the pair; each side, a year.
    kind = {"annee": "date"}.get(side_kind(question), side_kind(question))
    kinds = compared_kinds(asked_relation(question), question, answer_kind(question))
    return tuple(replace(own, answer_kind=kind or own.answer_kind or (kinds[0] if kinds else ""))
                 for own in map(read_constraints, sides))


def parts_constraints(parts: list[str]) -> tuple[Constraints, ...]:
    """The constraints of each part of a question asking several things (``asked_parts``); none for one asking
    one. The later parts speak of the first one's subject (« … et combien de projets y étaient soutenus ? »); a
    first part with no subject of its own, of the later one's (« Qui préside et qui coordonne la Table ? »)."""
    if len(parts) < 2:
        return ()
    first, *later = map(read_constraints, parts)
    subject = tuple(name for name in first.names if not _DAY.fullmatch(name))
    later = [replace(own, regions=own.regions or first.regions, names=tuple(dict.fromkeys(own.names + subject)))
             for own in later]
    if not first.regions and not first.names:
        first = replace(first, regions=later[0].regions,
                        names=tuple(name for name in later[0].names if not _DAY.fullmatch(name)))
    return (first, *later)


# Where a question asks a second thing: « …, et combien… », « … et quelle part… », « …, and what… », or a second
# question (« …ont-ils un siège ? Quelle communauté ? »).
_SECOND_ASK = re.compile(r"(?:,\s*|\s+)(?:et|puis|ainsi que|and)\s+(?=(?:combien|quel|quelle|quels|quelles|quand|qui|où"
                         r"|comment|pourquoi|(?:à|a|de|dans|sur|pour|en|par|depuis|jusqu'à) (?:quel|quelle|quels"
                         r"|quelles|combien|qui|quand)|how|what|which|when|who|where|why)\b)", re.IGNORECASE)


def asked_parts(question: str) -> list[str]:
    """The parts of a question that asks several things, each as a question of its own (the first with the
    sentences before it, which set the scene); the question alone when it asks one."""
    sentences = split_sentences(question.strip())
    asking = [i for i, sentence in enumerate(sentences) if sentence.rstrip().endswith("?")]
    scene = " ".join(sentences[:asking[0]]) if asking else ""
    parts: list[str] = []
    for sentence in ([sentences[i] for i in asking] if asking else sentences[-1:]):
        parts += [part.strip() for part in _SECOND_ASK.split(sentence) if part.strip()]
    if len(parts) < 2:
        return [question]
    return [f"{scene} {parts[0]}".strip(), *parts[1:]]


@dataclass(frozen=True)
class EvidenceUnit:
    """The smallest piece of a passage that can answer: a sentence, a table row (with its header) or a clause."""

    source: Source
    text: str
    context: str = ""  # a row's column headers, a clause's whole sentence: what its figures are
    kind: str = "sentence"  # "sentence", "row", "cell" (a figure of a row, with its row's label), "clause" or
    # "field" (a line of an interview's record card: « Date : le 9 octobre 2013 »)
    before: str = ""  # the two sentences before it in its paragraph, which often name its subject
    scope: str = ""  # where its subject may be named: its section's titles, the paragraph before and its own so far
    heading: str = ""  # the title of the section it stands in (« 5. Frais d'administration : plafond de 2 % »)


def names_in(names: tuple[str, ...], text: str) -> list[str]:
    """The names a text holds as whole words, in any written form (« no 4 » for « n° 4 »)."""
    key = re.sub(r" (?:n|numero|number) (?=\d)", " no ", f" {name_key(text)} ") if text else ""
    return [name for name in names if key and f" {name_key(name)} " in key]


# Fiscal years from one to another (« 2012-2013 à 2014-2015 », « de 2012-13 au 2014-15 »).
_FISCAL_SPAN = re.compile(r"(?:19|20)\d\d\s*[-–]\s*\d{2,4}\s+(?:à|au|jusqu'à|to)\s+(?:19|20)\d\d\s*[-–]\s*\d{2,4}")


def missing_in(constraints: Constraints, unit: EvidenceUnit) -> list[str]:
    """The constraints one evidence unit does not satisfy, each in a few French words (empty: it satisfies all);
    of a question asking several things, those of the part it comes closest to answering.

    Fiscal years and the item are read in the unit itself (with its table header); years alone and regions in its
    passage, its section's titles, the document's title, regions and date (a passage rarely repeats its region or
    year).
    """
    if constraints.alternatives:
        return min((missing_in(part, unit) for part in constraints.alternatives), key=len)
    missing = []
    info = unit.source.passage.info
    unit_years = set(fiscal_years(unit.text))
    if unit.kind == "sentence" and not unit_years and not lone_years(unit.text):
        # A sentence that dates nothing goes on about the one fiscal year its paragraph's sentence before names
        # (« Pour 2013-2014, la CRÉ … » then « … un écart de 11 500 $ »).
        unit_years = set(fiscal_years(unit.before)[-1:]) if len(set(fiscal_years(unit.before))) == 1 else set()
    if constraints.year_rank:
        ranked = dict(constraints.ranked_years).get(info.path) or year_of_rank(
            constraints.year_rank, set(fiscal_years(unit.source.passage.text)))
        if not ranked or ranked not in unit_years or (unit.kind == "sentence" and len(unit_years) > 1):
            missing.append(_RANKED_YEAR_NAMES[constraints.year_rank] + (f" ({ranked})" if ranked else ""))
    # A figure for a span of fiscal years (« 236 000 $ sur trois exercices (2012-2013 à 2014-2015) ») is none
    # of its years'.
    spanned = {year for span in _FISCAL_SPAN.finditer(unit.text) for year in fiscal_years(span.group())}
    for year in constraints.fiscal_years:
        # A sentence giving several years' figures pins none of them: its clauses do (« 30 100 $ pour 2013-2014 »).
        if year not in unit_years or year in spanned or (
                unit.kind == "sentence" and len(unit_years) > 1 and amounts(unit.text)):
            missing.append(year)
    # The chapter a passage is in names its region (« Chapitre 6 – Laurentides ») when the page does not.
    around = f"{info.title} {unit.source.passage.section} {unit.source.passage.text}"
    # A year the question pins: in the unit, its header or sentence, or (for a unit that gives no year of its own)
    # the sentence before it or its document's date; a name: there or in the sentence before (which often names
    # the subject); not anywhere in a passage that may speak of another project or year.
    # A question that dates its sources (« entretiens de 2014 ») is met by the document's date or its passage.
    own = f"{info.title} {' '.join(info.regions)} {unit.context} {unit.text}"
    known_years = set(lone_years(own))
    if constraints.dated_sources:
        known_years |= set(lone_years(around)) | ({str(info.year)} if info.year else set())
    elif not lone_years(unit.text) and not unit_years:  # a unit dated in its own words is about that date
        # … and one the sentences before date is about their year, not the note's (« au forum citoyen du 26
        # octobre 2013 » then « devant une trentaine de personnes », in a note of 2014).
        known_years |= set(lone_years(unit.before)) or ({str(info.year)} if info.year else set())
    elif info.year and info.doc_type == "entretien" and _AT_INTERVIEW.search(fold(unit.text)):
        # … unless it also speaks of the interview's day (« a démarré en septembre 2013 et suivait 31 personnes au
        # moment de l'entretien »), which is the note's date.
        known_years.add(str(info.year))
    missing += [year for year in constraints.years if year not in known_years]
    # An interview's record card names where and with whom all of it was said (« Lieu : …, à Plessisville »).
    # A name of the document itself (its code, its authors: « le rapport du LESR », « l'entretien ENT-LAN-03 »)
    # says which document, and every unit of it is of that document.
    # In a question about an MRC, a town is met by its MRC (« Les Moulins 23,6 1 240 300 $ 8 » for « la MRC où se
    # trouve Terrebonne »).
    seen = f"{unit.before} {unit.scope} {unit.source.passage.card} {info.designation} {own}"
    found = names_in(constraints.names, seen)
    # An acronym is met by the words it stands for (« CLE » by « centre local d'emploi »).
    missing += [name for name in constraints.names
                if name not in found and not names_in(territory_names(name, constraints.asked), seen)
                and not (len(name) >= 3 and _ACRONYM.fullmatch(name) and expands(name, unit.text))]
    missing += [name for name in _pinned_places_missing(constraints, unit) if name not in missing]
    if constraints.answer_kind in _FIGURE_KINDS:
        missing += [f"{name} (le chiffre est celui d'un ensemble)" for name in dict.fromkeys(
            _named_only_as_part(unit.text, constraints, f"{unit.before} {unit.scope} {unit.source.passage.card} {own}")
            + _totalled_names(constraints, unit, own))
            if name not in missing]
    if constraints.ordinal and constraints.ordinal.missing_in(unit.text, f"{unit.before} {own}"):
        missing.append(constraints.ordinal.written)
    if constraints.regions and not regions_of(unit, constraints.regions):
        missing += list(constraints.regions)
    elif (constraints.regions and _one_territory(unit) and regions_named(constraints.asked)
          and not _matched(_words_key(constraints.asked), _PLACE_PATTERNS)  # it names a region, no town nor MRC
          and not superlative_asked(constraints.asked)):  # « Quel territoire… a le taux le plus élevé ? »
        missing.append(f"{constraints.regions[0]} dans son ensemble (pas un de ses territoires)")
    elif (constraints.regions and _EVERY_REGION.search(fold(unit.text))
          and not set(regions_placed(_every_region_part(unit.text, constraints))) & set(constraints.regions)):
        # « tenues dans chacune des six régions entre le 18 mars et le 29 avril 2014 » dates no one region's.
        missing.append(f"{constraints.regions[0]} (le passage parle de toutes les régions ensemble)")
    if _other_funder(unit, constraints.asked):
        missing.append("source du financement")
    # A cell's value answers, not its row's label nor its column's header (« Projet : … — Territoire : Shawinigan »);
    # read after its « : », its first word is no sentence's first word (a name: « Carrefour des jeunes… »).
    given = _cell_value(unit.text) if unit.kind == "cell" and " : " in unit.text else unit.text
    if constraints.answer_kind and not gives(constraints.answer_kind, given, constraints.asked):
        missing.append(constraints.kind_name)
    elif constraints.answer_kind == "nombre" and ((nouns := counted_noun(constraints.asked)) and not counts(
            nouns, unit.text, f"{unit.before} {unit.context} {unit.text}" if unit.kind in ("row", "cell") else "")
            or unit.kind == "cell" and _NOT_A_COUNT.search(fold(unit.text.rsplit(" — ", 1)[-1].split(" : ")[0]))
            or unit.kind == "cell" and _qualified_otherwise(unit.text.rsplit(" — ", 1)[-1].split(" : ")[0],
                                                            constraints.asked)
            or not (counted_qualifier(constraints.asked) | counted_partner(constraints.asked)) <= set(analyse(
                words_of(f"{unit.before} {unit.context} {unit.text}")))):
        missing.append(constraints.kind_name)
    elif constraints.answer_kind == "nombre" and (event := attended(constraints.asked)) and not (
            event <= set(analyse(words_of(f"{unit.heading} {unit.before} {unit.context} {unit.text}")))):
        missing.append(f"{constraints.kind_name} (à : {' '.join(sorted(event))})")
    elif constraints.answer_kind in ("part", "montant") and (measure := measure_asked(constraints.asked))[1] and not (
            measure[1] - (_RATE if unit.kind == "cell" else set()) <= set(analyse(words_of(
                f"{info.title} {unit.before} {unit.context} {unit.text}")))):
        # What the measure is of may be the document's subject (« Fiche de projet – Solidarité Transport » over
        # « Budget par exercice financier » / « Source : Total — 2012-2013 : 89 800 $ »).
        missing.append(measure[0])
    elif constraints.answer_kind == "personne":
        # « Claude Grenier, président »; an office is no one's role (« Chantal Rivard, direction régionale
        # d'Emploi-Québec » represents the regional office, she is not said to direct it).
        # Whom someone signs or speaks for is not the role they hold (« Pour la ministre … : (signé) Marie-Claude
        # Lavoie, sous-ministre adjointe »), unless the question asks who acts for that role.
        roles_said = fold(f"{unit.context} {unit.text}")
        if not _FOR_WHOM.search(fold(constraints.asked)):
            roles_said = _FOR_WHOM.sub(" ", roles_said)
        said = set(analyse(words_of(_DEPUTY.sub(" ", _OFFICE.sub(" ", roles_said)))))
        missing += [f"nom de personne ({label})" for label, role in asked_roles(constraints.asked)
                    if not any(word.startswith(stem) for word in said for stem in role)
                    or _role_of_another_body(f"{unit.context} {unit.text}", constraints.asked, role)][:1]
    item = constraints.item
    if item is not None:
        # A table's title (a row's ``before``) says what its cells count (« Nombre de projets concertés… »).
        # So does the title of a sentence's section (« 5. Frais d'administration » over « … que le plafond soit
        # porté à 4 % »).
        titled = (unit.before if unit.kind in ("row", "cell") else unit.heading) if item.titled else ""
        described = fold(f"{titled} {unit.context} {unit.text}")
        # A row's header names every column: only the row itself can show that its figure is another item's.
        own_words = fold(unit.text) if unit.kind in ("row", "cell") else described
        if (item.evidence is not None and not item.evidence.search(described)) or (
                item.excluded is not None and item.excluded.search(own_words)):
            missing.append(item.name)
    days = [name for name in constraints.names if _DAY.fullmatch(name) and fold(name) in fold(unit.text)]
    if (days and constraints.answer_kind != "date" and _ANNOUNCED.search(fold(unit.text))
            and not _WHEN_OR_WHERE.search(fold(constraints.asked))):
        missing.append(f"ce qui s'est passé le {days[0]} (la réunion est seulement annoncée)")
    # A title glued before the unit (« … Objectifs » ending its sentence before) says what it lists.
    glued_title = unit.before.rsplit(".", 1)[-1] if unit.kind == "sentence" else ""
    if (constraints.answer_kind in ("montant", "chiffre") and _REQUESTED.search(_last_sentence(constraints.asked)[1])
            and not _REQUEST_GIVEN.search(fold(unit.text))):
        missing.append("montant demandé")  # « avait-il demandé au départ ? » is not the amount granted
    if _RESPONSE_ASKED.search(fold(constraints.asked)) and not _RESPONSE_GIVEN.search(fold(unit.text)):
        missing.append("la réponse donnée (pas la demande)")
    if asks_what_was_done(constraints.asked) and (_TARGET.search(fold(
            f"{unit.text} {unit.source.passage.section} {glued_title}")) or (
            constraints.answer_kind == "date" and _DEADLINE.search(fold(unit.text))
            and not _DEADLINE_ASKED.search(fold(constraints.asked)))):
        missing.append("résultat obtenu (pas une cible)")
    elif _ACTUAL.search(fold(constraints.asked)) and _CAP_OR_PLAN.search(fold(f"{unit.context} {unit.text}")):
        missing.append("montant réel (pas un plafond ni une prévision)")
    return missing


# An amount asked for (« Quel montant … avait-il demandé au départ ? », « réclamait »), not granted or recommended, and
# the words that give one, on folded text.
_REQUESTED = re.compile(r"(?<!a la )\b(?:demand(?:e|ee|es|ees|ait|aient)|reclam(?:e|ee|ait|aient)|sollicit(?:e|ee|ait|aient))\b"
                        r"|\b(?:requested|asked for)\b")
# A project submitted with its amount (« a déposé le projet … : 58 000 $ ») gives the amount asked for too.
_REQUEST_GIVEN = re.compile(_REQUESTED.pattern + r"|\bdepos(?:e|ee|es|ees|ait|aient)\b|\bsoumise?s?\b")


# A question asking how someone answered a request or a criticism (« Qu'a répondu la direction… à la demande… ? »),
# and the words of a unit that tells an answer (not the request itself), on folded text.
_RESPONSE_ASKED = re.compile(r"\bqu'a(?:-t-(?:il|elle))? repondu\b|\bquelle (?:a ete|fut|etait) (?:la|sa|leur) reponse\b"
                             r"|\bcomment (?:\w+ ){0,6}(?:a|ont)-t-(?:il|elle|ils|elles) repondu\b"
                             r"|\bhow did (?:\w+ ){1,6}(?:respond|reply|answer)\b")
_RESPONSE_GIVEN = re.compile(r"\brepon|\bacce(?:pt|d)|\brefus|\brejet|\bdeclin|\bapprouv|\bacquiesc|\bconsent|\bagre"
                             r"|\bdonne suite\b|\bdonnant suite\b")


# A unit that speaks of the interview's day, on folded text: its figure is of the note's date.
_AT_INTERVIEW = re.compile(r"\b(?:au moment|a la date|le jour|lors) de l'(?:entretien|entrevue)\b")


# A question about what was done (« Combien d'usagers a-t-il servis ? », « … effectivement réalisés ») is not
# answered by a target (« Indicateur : Usagers différents — Cible : 150 », « Objectifs : offrir 3 000
# déplacements »): on folded text.
_DONE = re.compile(r"\b(a|ont|avait|avaient)-(t-)?(il|elle|ils|elles|on)\b|\beffectivement\b|\breellement\b"
                   r"|\ben realite\b|\bdans les faits\b|\bactually\b|\bdid\b")
_TARGET = re.compile(r"\bcibles?\b|\bobjectifs?\b|\bvis(e|ent|ait|aient)\b|\btargets?\b|\bgoals?\b")
# A deadline is one for a date asked (« transmet à la ministre, au plus tard le 30 juin suivant chaque exercice, un
# rapport annuel » does not date when she accepted one); a count beside a deadline (« les 27 demandes du deuxième
# appel, dont la date limite était le 30 septembre ») still counts what was done.
_DEADLINE = re.compile(r"\bau plus tard\b|\bdate limite\b|\bd'ici (?:le|la fin)\b|\bdeadline\b")
# … unless the question asks about the deadline itself (« … dans le délai que fixait l'entente ? »).
_DEADLINE_ASKED = re.compile(_DEADLINE.pattern + r"|\bdelais?\b|\becheances?\b")


# A question that contrasts what happened with what was allowed or planned (« Combien a-t-elle réellement
# dépensé… ? ») is not answered by a cap or a forecast (« au plus 2 % … 32 400 $ », « prévoit 1 505 000 $ »).
_ACTUAL = re.compile(r"\b(reellement|effectivement|en realite|dans les faits|concretement|actually|in fact|in reality)\b")
_CAP_OR_PLAN = re.compile(r"\bau plus\b|\bau maximum\b|\bplafon|jusqu'a concurrence|\bpeut (affecter|consacrer|utiliser"
                          r"|retenir)|\bprevu|\bprevoi|\bprevis|\bat most\b|\bup to\b")


# A unit that announces a meeting (« la prochaine réunion aura lieu le 10 décembre ») says when and where it will
# be, not what it decided: on folded text.
_ANNOUNCED = re.compile(r"\baura lieu\b|\bse tiendra\b|\bportera sur\b|\bprochaine (reunion|seance|rencontre)\b"
                        r"|\bpour sa (reunion|seance|rencontre) du\b|\bwill (be held|take place)\b")
_WHEN_OR_WHERE = re.compile(r"\bquand\b|\bou\b|\bquelle date\b|\bwhen\b|\bwhere\b|\bsur quoi\b|\bportera\b")


def asks_what_was_done(question: str) -> bool:
    """Whether a question asks what was done or reached, not what was aimed at (it names no target itself)."""
    folded = fold(question)
    return bool(_DONE.search(folded)) and not _TARGET.search(folded)


def source_words(question: str) -> str:
    """The words of a question that name the kind of document it reads (« Dans les entretiens menés en… », « le
    rapport »): a filter on the sources, not what the question asks about."""
    return " ".join(match.group() for match in _SOURCE_WORDS.finditer(fold(question)))


# A funding table's row label names who pays (« Source : Contribution des usagers — 2013-2014 : 6 400 $ »).
_FUNDER = re.compile(r"^(?:source|bailleur|financeur|provenance|bailleur de fonds)\s*:\s*(.+?)\s+—\s", re.IGNORECASE)


_FUNDER_ALIASES = {name_key("Fonds"): name_key("FQIS")}


def _other_funder(unit: EvidenceUnit, question: str) -> bool:
    """Whether a funding table's cell gives another funder's share than the one the question names (« Et le
    FQIS y met combien ? » is not answered by « Source : Contribution des usagers — … : 6 400 $ »)."""
    label = _FUNDER.match(unit.text) if unit.kind == "cell" else None
    if label is None:
        return False
    # The funders a question names: the bodies named everywhere and acronyms (« le FQIS », « la MRC de L'Érable »,
    # « le CSSS »), not a project's name (« Solidarité Transport »).
    last = split_sentences(question)[-1] if question.strip() else question
    asked = {key for key, written in names(last).items() if written.isupper() and len(written) > 1} | {
        name_key(body) for body in COMMON_BODIES if f" {name_key(body)} " in f" {name_key(last)} "}
    asked = {_FUNDER_ALIASES.get(key, key) for key in asked}  # « le Fonds » is the FQIS
    funder = set(names(f": {label.group(1)}")) | {name_key(word) for word in words_of(label.group(1))}
    return bool(asked) and not asked & funder


_REGION_KEYS = frozenset(_words_key(word) for words in REGION_WORDS.values() for word in words)


def _one_territory(unit: EvidenceUnit) -> bool:
    """Whether a table's cell is labelled with one town or MRC of a region (« Territoire : La Haute-Côte-Nord —
    Projets soutenus : 3 »), not with a region or a total: a question naming the whole region is not answered by
    it."""
    if unit.kind != "cell":
        return False
    label = _row_label(unit)
    return bool(regions_placed(label)) and f" {_place_key(label)} " not in _REGION_KEYS


def _row_label(unit: EvidenceUnit) -> str:
    """A table cell's row label (« La Haute-Côte-Nord » of « Territoire : La Haute-Côte-Nord — Projets soutenus :
    3 »), a row's text before its first figure."""
    if unit.kind == "cell":
        return unit.text.split(" — ", 1)[0].rsplit(" : ", 1)[-1]
    return re.split(r"\d", unit.text, maxsplit=1)[0]


# A question about a whole (« en tout », « au total », « tous volets confondus », « sur les quatre exercices »): a
# table's total answers it, not one of its rows.
_WHOLE = re.compile(r"\ben tout\b|\bau total\b|\btota(?:l|le|les|ux)\b|\bconfondu(?:e|s|es)?\b|\bdans l'ensemble\b"
                    r"|\bsur (?:les|ses|leurs) (?:deux|trois|quatre|cinq|\d) (?:exercices|annees|ans)\b"
                    r"|\bsur toute la duree\b|\bin total\b|\baltogether\b|\boverall\b|\bcombined\b")


def of_whole(text: str) -> bool:
    """Whether a text speaks of a whole: a question's last sentence asking a total, a sentence giving one."""
    return bool(_WHOLE.search(fold(text)))


def table_total(unit: EvidenceUnit) -> bool:
    """Whether a table's row or cell is its total: labelled « Total » (« Total 33 3 431 300 $ », « Projet : Total
    (9 projets) — Montant : 612 400 $ »), or with a whole region's name in a table of its territories
    (« Côte-Nord 12,4 % 11 870 6,9 % » under the rows of its MRC)."""
    if unit.kind not in ("row", "cell"):
        return False
    return labelled_total(unit) or f" {_place_key(_row_label(unit))} " in _REGION_KEYS


def labelled_total(unit: EvidenceUnit) -> bool:
    """Whether a table's row or cell is labelled « Total » (or « Ensemble »): in a table of regions, it is the
    whole, not a region."""
    return unit.kind in ("row", "cell") and f" {_place_key(_row_label(unit))} ".startswith((" total", " ensemble"))


def regions_of(unit: EvidenceUnit, regions: tuple[str, ...]) -> set[str]:
    """The regions among these that a unit is about: its document's one region, or a region its passage, its
    section or its title names (a document on several regions, the research report, counts only where its passage
    or its chapter names the region), or whose towns the unit names (``places.tsv``)."""
    info = unit.source.passage.info
    passage = unit.source.passage
    named, own = regions_named(f"{info.title} {passage.section} {passage.text}"), regions_named(" ".join(info.regions))
    if len(own) == 1 and own[0] in regions:
        return {own[0]}
    # A unit that names only places of other regions (« environ 180 personnes à Joliette ») is about them, whatever
    # else its passage names; one that names a place of the region is about it.
    placed = set(regions_placed(f"{unit.context} {unit.text}"))
    if placed and not placed & set(regions):
        return set()
    placed |= set(regions_placed(unit.before))
    return {region for region in regions if region in named or region in placed}


# What a count question counts (« Combien de personnes ont participé… ? »: « personnes »), on the folded question.
# An adjective before the noun is skipped (« combien de simples citoyens »: « citoyens »).
_ADJECTIVES_BEFORE = frozenset("simples nouveaux nouvelles differents differentes distincts distinctes petits petites "
                               "grands grandes autres vrais vraies veritables".split())
_BEFORE_NOUN = rf"(?:(?:{'|'.join(sorted(_ADJECTIVES_BEFORE))})\s+)?"
_COUNTED = re.compile(rf"\b(?:combien|nombre) (?:de |d'){_POSSESSIVE}{_BEFORE_NOUN}([a-z][a-z-]+)"
                      rf"|\bhow many {_POSSESSIVE}([a-z][a-z-]+)")
# What qualifies the counted noun with no article (« personnes à faible revenu », « ménages sans voiture »): the
# count must be of those, not of all of them.
_QUALIFIER = re.compile(r"\s+(?:a|en|sans) (?!(?:la|le|les|l'|un|une|des|du|ce|cette|ces|leurs?|son|sa|ses|notre|votre"
                        r"|quel|quelle|quels|quelles|combien)\b)([a-z]+(?:[ -][a-z]+)?)")
# Words the corpus uses for the same things counted: « habitants » may be written « population », « élèves »
# « 640 enfants ». A count of a group of people may also be written with a word for people in general (« sept
# personnes » for members), and a count of people in general with any group's word; but one group is not another
# (volunteers are no residents). Things are counted alike by the groups of ``counted_alike.tsv`` (« rencontres »,
# « réunions »); any other noun by its own stem.
_PEOPLE = frozenset(analyse("personnes gens individus people persons".split()))
_PEOPLE_GROUPS = tuple(frozenset(analyse(group.split())) for group in (
    "membres members", "participants participantes attendees", "citoyens citoyennes citizens",
    "habitants population residents inhabitants", "jeunes enfants eleves children pupils youth students",
    "adultes adults", "femmes women", "hommes men", "benevoles volunteers", "stagiaires trainees interns",
    "usagers inscrits utilisateurs users", "travailleurs workers", "chauffeurs conducteurs conductrices drivers",
    "employes employees salaries personnel staff",
))


def _counted_alike() -> tuple[frozenset[str], ...]:
    """``counted_alike.tsv``'s groups of nouns counted alike, as stems (its first column; the second says where the
    corpus writes them so)."""
    lines = (Path(__file__).parent / "counted_alike.tsv").read_text(encoding="utf-8").splitlines()
    return tuple(frozenset(analyse(line.split("\t")[0].split())) for line in lines
                 if line.strip() and not line.startswith("#"))


_COUNTED_ALIKE = _PEOPLE_GROUPS + _counted_alike()
_GROUPS_OF_PEOPLE = frozenset().union(*_PEOPLE_GROUPS)
# A count given as about so many (« une dizaine de personnes », « une quarantaine de bénévoles »), on folded words.
_ABOUT_SO_MANY = frozenset("dizaine douzaine quinzaine vingtaine trentaine quarantaine cinquantaine soixantaine "
                           "centaine".split())
# A count and its noun: this many words apart at most (« 340 déplacements », « 10 membres sur 13 », « sept
# personnes réunissant »).
_COUNT_REACH = 3


# The roles a question about a person may name (« Qui présidait… ? », « Quel préfet… ? », « Qui a succédé… ? »),
# each with the corpus's words for it: the person must be named in that role, not in another one.
_ROLES: tuple[tuple[str, frozenset[str]], ...] = tuple((label, frozenset(analyse(words.split()))) for label, words in (
    ("présidence", "president presidente presidait preside presidee presidence presidents chair chaired chairman"),
    ("préfet", "prefet prefete prefets prefect"),
    ("maire", "maire mairesse mayor"),
    ("coordination", "coordonnatrice coordonnateur coordonne coordination coordonnait coordinator coordinated"),
    ("direction", "directeur directrice dirige dirigee dirigeait direction director directed"),
    ("codirection", "codirectrice codirecteur codirection codirector"),
    ("ministre", "ministre ministres minister"),
    ("secrétaire", "secretaire secretary"),
    ("successeur", "succede succedait successeur successeure remplace remplacee remplacante remplacant succeeded"
                   " replaced"),
))


# The body a role is held in, right after the role's word (« président de la CRÉ de la Mauricie », « préside le
# Consortium »).
_OF_BODY = re.compile(r"\s+(?:de la |de l['’]|du |des |de |d['’]|le |la |les |l['’])([A-ZÀ-Þ][\w'’-]*)")


def _bodies_of_role(text: str, role: frozenset[str]) -> list[str | None]:
    """For each word of a text that names the role, the name of the body right after it (None: none named)."""
    mentions = [word for word in re.finditer(r"[\w-]+", text)
                if any(analyse([fold(word.group())])[0].startswith(stem) for stem in role)]
    return [name_key(body.group(1)) if (body := _OF_BODY.match(text, word.end())) else None for word in mentions]


@lru_cache(maxsize=256)  # asked once per evidence unit, of the same question
def _asked_bodies(question: str, role: frozenset[str]) -> frozenset[str]:
    """The bodies a question names for the role it asks (« le Consortium » of « Qui préside le Consortium… ? »)."""
    return frozenset(body for body in _bodies_of_role(question, role) if body)


def _role_of_another_body(text: str, question: str, role: frozenset[str]) -> bool:
    """Whether a question names the body of the role it asks (« Qui préside le Consortium… ? ») and every word of
    a text that names the role holds it in another body (« X, président de la CRÉ de la Mauricie »)."""
    asked = _asked_bodies(question, role)
    held = _bodies_of_role(text, role) if asked else []
    return bool(asked and held) and all(body is not None and body not in asked for body in held)


# An office named by its function (« la direction régionale d'Emploi-Québec », « la direction générale de la CRÉ »,
# « la direction de santé publique »), on folded text: a body, not a person's role.
_OFFICE = re.compile(r"\bdirections? (?:regionales?|generales?|de (?:la )?sante publique)\b")

_OTHER_ROLE = re.compile(r"^(?:et )?qui (?:est|etait|sont|etaient|sera) (?:le |la |les |l')(?:personne |agent |agente )?"
                         r"(?!personnes?\b|personne-ressource)([a-z]{4,}(?:-[a-z]+)?)\b")


# Whom a person acts for (« Pour la ministre de l'Emploi : (signé) … », « au nom du président »), on folded text.
_FOR_WHOM = re.compile(r"\b(?:pour|au nom d(?:e|u|es))\s+(?:le |la |les |l')?(?:\w+-)?(?:ministre|president|presidente"
                       r"|prefete?|maire|mairesse|directeur|directrice)\b")


# A deputy's title names another role than its last word (« sous-ministre adjointe » is no « ministre »,
# « vice-président » no « président »), on folded text: taken out before the roles are read.
_DEPUTY = re.compile(r"\b(?:sous|vice|pro)-\w+(?: adjointe?s?)?|\b\w+ adjointe?s?\b")


@lru_cache(maxsize=256)  # asked once per evidence unit, of the same question
def asked_roles(question: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The roles a question about a person names, each with the stems, or beginnings of stems, that name it
    (« présidence »: présidait, président, chaired…)."""
    last = split_sentences(question)[-1] if question.strip() else question
    # « le comité directeur » is a body, not a director asked for (« Who chaired the steering committee… »).
    stems = set(analyse(words_of(re.sub(r"(?i)\b(comit[ée]) directeur\b", r"\1", last))))
    known = tuple((label, group) for label, group in _ROLES if stems & group)
    # A role the list does not know (« Qui est la personne répondante d'Emploi-Québec ? »): a word of its family
    # (its stem's first four letters: « signataires », « signé »).
    other = _OTHER_ROLE.search(fold(last))
    return known or (((other.group(1), frozenset({analyse([other.group(1)])[0][:4]})),) if other else ())


def _qualified_otherwise(column: str, question: str) -> bool:
    """Whether a table's column counts only some of what it names, qualified in words the question does not use
    (« Personnes à faible revenu » is no count of « habitants »)."""
    qualifiers = {stem for match in _QUALIFIER.finditer(fold(column)) for stem in analyse(words_of(match.group(1)))}
    return bool(qualifiers - set(analyse(words_of(fold(question)))))


# The unit a table's column header gives its values (« Part (%) », « Montant en $ »), on folded text.
_HEADER_UNIT = re.compile(r"\((?:en )?(%|\$)\)|\ben (%|\$)")


def _cell_value(cell: str) -> str:
    """A cell's value (« : 13,0 %» of « MRC : Montcalm — Part (%) : 13,0 »), with the unit its column header gives."""
    header, value = cell.rsplit(" — ", 1)[-1].rsplit(" : ", 1)
    unit = _HEADER_UNIT.search(fold(header))
    if unit is None or value.rstrip().endswith(("%", "$")):
        return f" : {value}"
    return f" : {value} {unit.group(1) or unit.group(2)}"


# A cell's column that holds no count (« Part (%) », « Montant ($) », « Taux de faible revenu »), on folded text.
_NOT_A_COUNT = re.compile(r"%|\$|\b(part|taux|pourcentage|proportion|montant|somme|budget|cout)\b")


@lru_cache(maxsize=256)  # asked once per evidence unit, of the same question
def counted_noun(question: str) -> frozenset[str]:
    """The stems of what a count question counts, with the corpus's words for the same things; empty when it
    names nothing countable."""
    match = _COUNTED.search(re.sub(_POPULATION_ASKED, "combien d'habitants", fold(question)))
    if match is None:
        return frozenset()
    noun = match.group(1) or match.group(2)
    # A compound (« procès-verbaux ») is counted by its words' stems: the corpus splits it so (« Procès-verbaux et
    # comptes rendus : 54 »).
    stems = analyse([word for word in words_of(noun) if word not in STOP_WORDS] or [noun])
    stem = stems[0]
    if stem in _PEOPLE:
        return _PEOPLE | _GROUPS_OF_PEOPLE
    group = next((group for group in _COUNTED_ALIKE if stem in group), None)
    if group is not None:
        return group | _PEOPLE if group in _PEOPLE_GROUPS else group
    # An English noun the lexicon does not know (« interviews ») is no word of the French corpus: nothing to check.
    return frozenset(stems if match.group(1) else ())


def counted_alike(question: str) -> frozenset[str]:
    """The stems a count question's noun is shared by in ranking (``evidence.rank_units``): its group of things
    counted alike (« réunions » for « rencontres »). Not for people: a word for people (« personnes », « usagers »)
    stands in nearly every sentence of an interview (« combien de gens ont décroché un emploi » is not answered by
    « 87 personnes y ont participé », nor « combien de ses inscrits » by « 64 usagers » of another service)."""
    nouns = counted_noun(question)
    return frozenset() if nouns & (_PEOPLE | _GROUPS_OF_PEOPLE) else nouns


# The measure a share or amount question names, when it is a specific one (« quel est le taux de chômage »,
# « le loyer moyen », « le coût du projet »), with what it is of: the evidence must name it, not give any share
# or amount of its subject (« un minimum de 7 % par MRC » is no « taux de faible revenu »). Words for money or a
# share in general (« montant », « somme », « part », « proportion ») name no specific measure.
_MEASURE_ASKED = re.compile(rf"\b{_WHICH}(taux|loyers?|salaires?|couts?|tarifs?|prix|depenses?|budgets?)\b"
                            r"(?:\s+(?:de |d'|du |des )((?:(?!en |a |au |aux |dans |pour |selon |chez )[a-z-]+ ?){1,2}))?")


# A table's column of shares is a rate: « taux d'inoccupation » is met by « Inoccupation (oct. 2012) : 0,0 % ».
_RATE = frozenset(analyse(["taux"]))


@lru_cache(maxsize=256)  # asked once per evidence unit, of the same question
def measure_asked(question: str) -> tuple[str, frozenset[str]]:
    """The specific measure a share or amount question asks, as written in folded words (« taux de chomage »),
    and the stems the evidence must hold; empty when it names none."""
    written, folded = _last_sentence(question)
    match = _MEASURE_ASKED.search(folded)
    if match is None:
        return "", frozenset()
    words = [match.group(4)] + [word for word in words_of(match.group(5) or "") if word not in STOP_WORDS]
    label = written[match.start(4):match.end()].split()
    while len(label) > 1 and fold(label[-1]) in STOP_WORDS:  # « taux d'inoccupation des »
        label.pop()
    return " ".join(label), frozenset(analyse(words))


# What the people counted attended or took part in (« Combien de personnes ont assisté à la séance… ? »: « séance »),
# on the folded question: a count of people at something else does not answer (« 85 personnes » at another forum is
# named as such; « 11 870 personnes à faible revenu » attended nothing).
_ATTENDED = re.compile(r"\b(?:participe|assiste|pris part|venue?s?|reunie?s?|presente?s?) (?:a|au|aux|dans)"
                       r" (?:la |le |l'|les |leur |son |sa |ses )?([a-z]{4,})")


def attended(question: str) -> frozenset[str]:
    """The stem of what a count question's people attended (« forum », « séance »); empty when it asks no such."""
    found = _ATTENDED.search(fold(question))
    return frozenset(analyse([found.group(1)])) if found else frozenset()


@lru_cache(maxsize=256)  # asked once per evidence unit, of the same question
def counted_qualifier(question: str) -> frozenset[str]:
    """The stems of what qualifies a count question's noun with no article (« combien de personnes à faible
    revenu » → « faible », « revenu »); empty when nothing does."""
    folded = fold(question)
    match = _COUNTED.search(folded)
    qualifier = _QUALIFIER.match(folded, match.end()) if match else None
    if qualifier is None:
        return frozenset()
    return frozenset(analyse([word for word in words_of(qualifier.group(1)) if word not in STOP_WORDS]))


# Whom or what the things counted were done with (« Combien d'entretiens … menés avec des commissions scolaires ? »),
# on the folded question after its counted noun: up to two words, a word for people in general skipped with its « de »
# (« avec des personnes du réseau de la santé »: « réseau »).
_WITH_PARTNER = re.compile(r"\bavec (?:des |les |le |la |l'|un |une |leurs? |ses |son |sa )?"
                           r"(?:(?:personnes|gens|individus|categories?|groupes?) (?:de la |de l'|du |des |de |d')(?:la |le |l'|les )?)?"
                           r"([a-z][a-z-]+)(?: ([a-z][a-z-]+))?")


@lru_cache(maxsize=256)  # asked once per evidence unit, of the same question
def counted_partner(question: str) -> frozenset[str]:
    """The stems of whom a count question's things were done with (« combien d'entretiens … avec des commissions
    scolaires » → « commission », « scolair »); empty when it names no one. A count of interviews in general is no
    count of those held with one group."""
    folded = fold(question)
    counted = _COUNTED.search(folded)
    partner = _WITH_PARTNER.search(folded, counted.end()) if counted else None
    if partner is None:
        return frozenset()
    return frozenset(analyse([word for word in partner.groups() if word and word not in STOP_WORDS]))


def _without_amounts(folded: str) -> str:
    """A folded text with what counts nothing blanked out: its amounts, its shares and its section numbers."""
    return _PERCENT.sub(" ", _MONEY.sub(" ", _SECTION_NUMBER.sub(" ", folded)))


def counts(nouns: frozenset[str], text: str, header: str = "") -> bool:
    """Whether a text gives a count of these nouns: a figure (or a number in words) a few words from one of them,
    or, in a table's row or cell, the noun in its headers (« Entretiens réalisés : 16 »)."""
    if header and nouns & set(analyse(words_of(header))):
        return True
    # An amount or a share counts nothing either (« au tarif de 3 $ le trajet »), nor a section's number.
    plain = _without_amounts(fold(text))
    # An age becomes as many words « ans », so that the other words keep their distances.
    words = words_of(_AGES.sub(lambda age: " ans " * len(age.group().split()), plain))
    stems = analyse(words)
    # A year (« en 2012, faute de lits ») counts nothing, nor an age (« jeunes adultes de 18 à 30 ans ») nor a
    # measure (« des jeunes habitent à 60 km »), unless the measure's unit is what is counted (« combien de mois »).
    def is_number(word: str) -> bool:
        return ((word.isdigit() and not re.fullmatch(r"(19|20)\d\d", word)) or word in NUMBER_WORDS
                or word in _ABOUT_SO_MANY)

    numbers = [i for i, word in enumerate(words) if is_number(word)
               and not (i + 1 < len(words) and words[i + 1] in _UNITS and stems[i + 1] not in nouns)]
    for i in numbers:
        # A number counts the noun after it (« quatre priorités : le logement social » counts no housing); one
        # followed by no noun counts the one before it (« 10 membres sur 13 », « participants : 47 »).
        after = next((j for j in range(i + 1, min(i + 1 + _COUNT_REACH, len(words)))
                      if not is_number(words[j]) and words[j] not in STOP_WORDS
                      and words[j] not in _ADJECTIVES_BEFORE), None)
        counted = [after] if after is not None else range(max(0, i - _COUNT_REACH), i)
        if any(stems[j] in nouns for j in counted):
            return True
    return False


# A question asking for an organisation by name (« Quel organisme porte… ? »), on folded text.
_BODY_ASKED = re.compile(r"\b(organismes?|associations?|corporations?|entreprises?|instances?|organi[sz]ations?"
                         r"|bod(y|ies))\b")


# An acronym as written (« CDC », « SACAIS », « CRÉ »), and the small words its expansion skips (« Corporation de
# développement communautaire », « Conférence régionale des élus »).
_ACRONYM = re.compile(r"\b[A-ZÀ-Þ]{2,8}\b")
_SKIPPED_IN_ACRONYMS = frozenset("de du des d la le les l et a au aux en pour sur".split())


def expands(acronym: str, text: str) -> bool:
    """Whether a text spells out an acronym: words in a row whose initials, small words aside, are its letters
    (« Corporation de développement communautaire » for « CDC »)."""
    return bool(expansion(acronym, text))


def expansion(acronym: str, text: str) -> list[str]:
    """The folded words that spell out an acronym in a text (``expands``); empty when none do."""
    letters = fold(acronym)
    words = re.findall(r"[a-z]+", fold(text))
    initials = [(word[0], index) for index, word in enumerate(words) if word not in _SKIPPED_IN_ACRONYMS]
    firsts = "".join(letter for letter, _ in initials)
    at = firsts.find(letters)
    # In a row: no more than two small words between two of its words.
    if at < 0 or not all(initials[i + 1][1] - initials[i][1] <= 3 for i in range(at, at + len(letters) - 1)):
        return []
    return [words[index] for _, index in initials[at:at + len(letters)]]


def gives(kind: str, text: str, question: str) -> bool:
    """Whether a text holds an answer of this kind that the question does not already give: an amount in dollars, a
    share, a count (no amount, share, date or year), any figure, a date, a person, a name. (What a count counts is
    checked by ``counts``, in ``missing_in``.)"""
    folded, asked = fold(text), fold(question)
    if kind == "montant":
        return bool({_digits(m) for m in _MONEY.findall(folded)} - {_digits(m) for m in _MONEY.findall(asked)})
    if kind == "part":
        return bool(set(_SHARE.findall(folded)) - set(_SHARE.findall(asked)))
    if kind == "nombre":
        # « 10 membres sur 13 » counts members; « 25 % » counts nothing; « une dizaine » counts about ten.
        plain = _DAY_MONTH.sub(" ", _without_amounts(folded))
        found = {f for f in _figures(plain) if not re.fullmatch(r"(19|20)\d\d", f)}
        return bool(found - _figures(question)) or bool(set(words_of(plain)) & (_ABOUT_SO_MANY - set(words_of(asked))))
    if kind == "chiffre":
        return bool(_figures(text) - _figures(question))
    if kind == "duree":
        lengths = {m.group() for m in _DURATION.finditer(_AGES.sub(" ", _CLOCK.sub(" ", folded)))}
        return bool(lengths - {m.group() for m in _DURATION.finditer(asked)})
    if kind == "heure":
        return bool({m.group() for m in _CLOCK_TIME.finditer(folded)} - {m.group() for m in _CLOCK_TIME.finditer(asked)})
    if kind == "date":  # « à quelle date » asks for a day or a month, « quand » or « en quelle année » a year will do
        day = {m.group() for m in _DAY_MONTH.finditer(folded)} - {m.group() for m in _DAY_MONTH.finditer(asked)}
        return bool(day or (not _ASKS_DAY.search(asked) and set(lone_years(text)) - set(lone_years(question))))
    if kind == "telephone":
        return bool(_PHONE.search(text))
    if kind == "courriel":
        return bool(_EMAIL.search(text))
    if kind == "sigle":
        return any(expands(acronym, text) for acronym in _ACRONYM.findall(question))
    if kind == "lieu":
        named = {fold(m.group(1)) for m in _PLACE_NAMED.finditer(text)} - {fold(m.group(1)) for m in
                                                                            _PLACE_NAMED.finditer(question)}
        return bool(places_named(text) - places_named(question)) or bool(named)
    if kind == "age":
        return bool(_AGE.search(folded))
    if kind == "frequence":
        return bool({m.group() for m in _FREQUENCY.finditer(folded)} - {m.group() for m in _FREQUENCY.finditer(asked)})
    if kind == "adresse":
        return bool(_STREET_ADDRESS.search(folded))
    if kind == "numero":
        return bool(set(CODE.findall(text)) - set(CODE.findall(question)))
    if kind == "personne":  # a person by name, or by the role that designates one (« par la chercheuse principale »)
        # unless the name is asked (« Comment s'appelle… ? »)
        # A seat is held by a body too (« le seul siège des services d'emploi est occupé par Emploi-Québec »).
        return (bool(persons(text) - persons(question))
                or not _NAME_ASKED.search(asked) and bool(_new_roles(folded, asked))
                or bool(_SEAT_HELD.search(_last_sentence(asked)[1])) and gives("nom", text, question))
    named = set(names(question)) | {name_key(r) for r in regions_named(text)}
    # An acronym the question gives, spelled out (« Sigle : CRÉ — Signification : Conférence régionale des élus »),
    # names nothing new.
    named |= {name_key(word) for acronym in _ACRONYM.findall(question) for word in expansion(acronym, text)}
    text = _FIELD_LABEL.sub(" ", text)  # a table's column header (« Sigle : », « Signification : ») names nothing
    # A town or an MRC (« Territoire : Trois-Rivières ») is no organisation asked for by name (a community asked
    # for may well be one: « Which communities have seats? »).
    places = _PLACE_NAMES if _BODY_ASKED.search(asked) else frozenset()
    # A body asked for (« Dans quelle instance… ? », « Quelle entreprise… ? ») may be designated by its kind and what
    # qualifies it (« au comité d'analyse technique », « son entreprise de machinerie agricole ») as well as by name.
    return bool(set(names(text)) - named - {name_key(w) for w in COMMON_BODIES} - places) or bool(
        _BODY_ASKED.search(asked) and _new_designations(fold(text), asked))


# A body designated by its kind and what qualifies it (« comité d'analyse technique », « entreprise de machinerie »),
# on folded text.
_DESIGNATION = re.compile(r"\b(?:comite|table|conseil|instance|organisme|association|corporation|entreprise|groupe"
                          r"|cooperative|regroupement|commission|fondation|societe|reseau|cellule)s? (?:de la |de l'|des |du "
                          r"|de |d')?([a-z][a-z-]{3,})")


def _new_designations(folded: str, asked: str) -> set[str]:
    """The qualifiers of bodies a folded text designates by their kind that the folded question does not use."""
    asked_words = set(analyse(words_of(asked)))
    return {match.group(1) for match in _DESIGNATION.finditer(folded)
            if not set(analyse([match.group(1)])) & asked_words}


# The header before a table cell's value, in a row or cell as units write it (« Sigle : CRÉ — Signification : … »).
_FIELD_LABEL = re.compile(r"(?:^|(?<=— ))[^:—\n]{1,40}? : ")


# The words for a role a person is designated by (« le préfet », « la nutritionniste du CSSS », « un élu »), on
# folded text.
_ROLE_WORDS = (r"prefete?|presidente?|maire|mairesse|chercheur|chercheuse|directeur|directrice|coordonnat(?:eur|rice)"
               r"|secretaire|tresoriere?|ministre|sous-ministre|organisat(?:eur|rice) communautaire"
               r"|agente? de developpement|conseillere?|responsable|elue?|nutritionniste|animat(?:eur|rice)"
               r"|intervenante?|representante?")
_DETERMINER = r"(?:le|la|les|l'|un|une|sa|son|leur|leurs) ?"
# A role that designates the one who did something: the agent of a passive (« conservée … par la chercheuse
# principale », « présidé par un élu désigné… »), or the one a cleft sentence puts forward (« c'est le préfet qui
# représente la MRC »); « avec la présidente », « à la ministre » name no agent.
_ROLE = re.compile(rf"\bpar {_DETERMINER}({_ROLE_WORDS})\b|\bc'est {_DETERMINER}({_ROLE_WORDS}) qui\b")
# … or the subject of the verb the question asks with (« Qui anime l'atelier ? »: « La nutritionniste du CSSS anime
# chaque mois un atelier »): the role, then that verb within a few words.
_SUBJECT_ROLE = re.compile(rf"\b{_DETERMINER}({_ROLE_WORDS})\b((?: [\w'-]+){{1,4}})")
# The verb of a question asking who (« Qui anime… », « Qui a publié… »), past its pronouns and auxiliary.
_WHO_VERB = re.compile(r"^(?:et |selon |mais )?qui (?:ne |n')?(?:(?:se|s'|en|y|le|la|les|l'|lui|leur) ?)*"
                       r"(?:(?:a|ont|avait|avaient|est|etait|sera) )?([a-z][a-z-]{3,})")


# … or a body that is the subject of that verb (« Qui analyse les projets ? »: « Un comité local par territoire de CSSS
# analyse les projets »): the body's kind, the word that qualifies it, and the verb within a few words; on folded text.
_SUBJECT_BODY = re.compile(rf"\b{_DETERMINER}(comite|table|conseil|organisme|association|corporation|entreprise|groupe"
                           r"|cooperative|regroupement|commission|societe|reseau|cellule|centre|instance)s?\b"
                           r"((?: [\w'-]+){1,6})")


def _roles(folded: str, verb: str = "") -> set[str]:
    """The roles a folded text designates the agent of a passive by, or puts forward in a cleft sentence, or, when
    the question's ``verb`` (a stem) is given, makes the subject of that verb (a role, or a body: « comite local »)."""
    found = {role for match in _ROLE.finditer(folded) for role in match.groups() if role}
    if verb:
        found |= {match.group(1) for match in _SUBJECT_ROLE.finditer(folded)
                  if verb in analyse(words_of(match.group(2)))}
        found |= {f"{match.group(1)} {match.group(2).split()[0]}" for match in _SUBJECT_BODY.finditer(folded)
                  if _active_subject_of(verb, words_of(match.group(2)))}
    return found


_PASSIVE = frozenset("est sont etait etaient ete fut furent sera seront".split())


def _active_subject_of(verb: str, words: list[str]) -> bool:
    """Whether the words after a body's kind qualify it, then bring the ``verb`` (a stem) it does: not a passive
    (« Le comité est présidé par la présidente » names who presides, not the committee)."""
    stems = analyse(words)
    at = next((i for i, stem in enumerate(stems) if i and stem == verb), 0)
    return bool(at) and not _PASSIVE & set(words[:at])


def _who_verb(asked: str) -> str:
    """The stem of the verb a folded question asks who with (« anim » of « qui anime… »); "" for another question."""
    match = _WHO_VERB.match(_last_sentence(asked)[1])
    return analyse([match.group(1)])[0] if match else ""


# « le vrai nom derrière chaque code » speaks of a name without asking one.
_NAME_ASKED = re.compile(r"comment (s'appel|se nomm)|\b(quel|sous quel|le|son|leur|sa) (est |etait )?(le |son |leur )?nom\b"
                         r"|\bnomm|\bname")


def _new_roles(folded: str, asked: str) -> set[str]:
    """The roles a folded text designates someone by that the folded question neither names nor asks by a word of
    the same stem (« Qui préside… ? »: « la présidente » only restates it; a body by the word that qualifies it:
    « comite local » is new to a question naming « le comité régional »)."""
    asked_words = words_of(asked)
    return {role for role in _roles(folded, _who_verb(asked)) - _roles(asked)
            if not any(word.startswith(role.split()[-1][:6]) for word in asked_words)}


def _pinned_places_missing(constraints: Constraints, unit: EvidenceUnit) -> list[str]:
    """The towns and MRCs the question pins that a unit is not about, though its passage or the sentence before may
    name them: it names another place first, or gives its figures for other places or for the whole region."""
    pinned = {_PLACES_BY_BARE_KEY[_place_key(name)]: name for name in constraints.names
              if _place_key(name) in _PLACES_BY_BARE_KEY}  # « Basques » is « Les Basques »
    if not pinned:
        return []
    # A unit whose own words do not name the place, when they name another one first, is about that one (« À
    # Sept-Îles, … 0,6 % » under a heading that lists Fermont too).
    first_places = places_named(" ".join(unit.text.split()[:_TOPIC_WORDS]))
    if first_places and not places_named(unit.text) & set(pinned) and not any(
            _same_place(place, key) for place in first_places for key in pinned):
        return list(pinned.values())
    if constraints.answer_kind not in _FIGURE_KINDS:
        return []
    if _figures_of_another_place(unit.text, set(pinned), constraints.asked):
        # « À Sept-Îles et à Baie-Comeau, …; le refuge de Sept-Îles a dû refuser des personnes 41 nuits »: every
        # clause giving a figure is about another place than the one asked.
        return list(pinned.values())
    if not constraints.regions and _regions_figures(unit.text, set(pinned), constraints.asked):
        # A figure for a town or an MRC is not the region's (« la région comptait environ 236 000 habitants » for
        # « la MRC de Nicolet-Yamaska », named in the sentence before; « autour de 11 % à l'échelle régionale, avec
        # des valeurs plus élevées dans … Les Basques »); unless the question asks about the region too (« au
        # premier appel mauricien », asked of the agent of Trois-Rivières).
        return [f"{name} (le passage donne le chiffre de la région)" for name in pinned.values()]
    return []


def _figure_clauses(text: str, question: str, parts: re.Pattern[str]) -> list[str]:
    """The clauses of a text (cut at ``parts``) that give a figure the question does not (years aside; of what it
    counts, for « combien de nuits »)."""
    own, nouns = _figures(question), counted_noun(question)
    return [clause for clause in parts.split(text)
            if _figures(clause) - own - set(lone_years(clause)) and (not nouns or counts(nouns, clause))]


def _regions_figures(text: str, pinned: set[str], question: str) -> bool:
    """Whether every clause of a text giving a figure speaks of a whole region (« la région comptait… », « à
    l'échelle régionale », « La Côte-Nord compte… ») and names none of the ``pinned`` places."""
    clauses = _figure_clauses(text, question, _COMMA_CLAUSE)
    return bool(clauses) and all(
        (_REGION_SCALE.search(fold(clause)) or regions_named(clause)) and not places_named(clause) & pinned
        for clause in clauses)


def _figures_of_another_place(text: str, pinned: set[str], question: str) -> bool:
    """Whether each clause of a text that gives a figure the question does not names a place, none of them the
    ``pinned`` one (nor one within it, nor its MRC)."""
    clauses = _figure_clauses(text, question, _FIGURE_CLAUSE)
    return bool(clauses) and all(
        (places := places_named(clause)) and not any(_same_place(place, key) for place in places for key in pinned)
        for clause in clauses)


# Where a sentence's clauses part: semicolons and colons (a comma often joins a figure to a place named before it).
_FIGURE_CLAUSE = re.compile(r"\s*;\s+|\s+:\s+")
_COMMA_CLAUSE = re.compile(r"\s*[,;]\s+|\s+:\s+")


def _every_region_part(text: str, constraints: Constraints) -> str:
    """Where a unit about every region must name the region asked to be about it: for a figure, the clauses that
    give one about every region (« Ces séances, auxquelles ont assisté entre 20 et 45 personnes selon la région, … en
    Côte-Nord » gives no Côte-Nord figure); else the whole unit."""
    if constraints.answer_kind not in _FIGURE_KINDS:
        return text
    clauses = [clause for clause in _figure_clauses(text, constraints.asked, _COMMA_CLAUSE)
               if _EVERY_REGION.search(fold(clause))]
    return " ".join(clauses) if clauses else text


# A part of a whole, after the whole's figure (« 380 ménages étaient inscrits à Sept-Îles, dont environ le quart
# venaient de Uashat mak Mani-utenam », « Six groupes fonctionnent, dont deux à Lyster… »): up to the next comma.
_PART_CLAUSE = re.compile(r",\s+dont\s+[^,;:]*")


def _named_only_as_part(text: str, constraints: Constraints, around: str) -> list[str]:
    """The names a text holds only inside a « dont » clause when the figure asked is outside it: the figure is the
    whole's, of which the named place or body is a part; a part that gives a figure of the kind asked (« dont
    environ le quart venaient de Uashat mak Mani-utenam » for « quelle part ») answers for itself, and a name that
    the unit's subject carries (``around``: its sentences before, section, record card: « le comptoir de
    Plessisville … a servi 412 ménages, dont le tiers de l'extérieur de Plessisville ») is met there."""
    parts = [part.group() for part in _PART_CLAUSE.finditer(text)]
    if not parts or any(_gives_asked(part, constraints) for part in parts):
        return []
    whole = _PART_CLAUSE.sub(" ", text)
    if not _gives_asked(whole, constraints):
        return []
    inside = names_in(constraints.names, " ".join(parts))
    elsewhere = _PART_CLAUSE.sub(" ", around)
    return [name for name in inside if not names_in((name,), f"{whole} {elsewhere}")]


def _gives_asked(text: str, constraints: Constraints) -> bool:
    """Whether a text gives a figure of the kind asked, of what a count question counts."""
    nouns = counted_noun(constraints.asked) if constraints.answer_kind == "nombre" else frozenset()
    return gives(constraints.answer_kind, text, constraints.asked) and (not nouns or counts(nouns, text))


# A figure said to be a total (« Au total, 87 personnes y ont participé »), on folded text.
_TOTAL_GIVEN = re.compile(r"\bau total\b|\ben tout\b")


def _totalled_names(constraints: Constraints, unit: EvidenceUnit, own: str) -> list[str]:
    """The names a question asking a figure of one thing pins that a unit giving a total meets only in the sentences
    before it or its section: those name one of the things it adds up (« … un seul, à Baie-Comeau, le 6 février
    2014. » then « Au total, 87 personnes y ont participé »). A question asking a whole is answered by it."""
    if (constraints.answer_kind not in _FIGURE_KINDS or not _TOTAL_GIVEN.search(fold(unit.text))
            or of_whole(_last_sentence(constraints.asked)[1])):
        return []
    return [name for name in constraints.names if not names_in((name,), own)]


def _figures(text: str) -> set[str]:
    """Figures and numbers written out, those inside a hyphenated name left out (« Trois-Pistoles »)."""
    return figures_and_number_words(re.sub(r"\w+(?:-\w+)+", " ", text))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# Capitalised words that name no one: the corpus's bodies named in every sentence.
# Bodies named everywhere in the corpus: no name a question pins, nor a subject of its own.
COMMON_BODIES = ("CRÉ", "FQIS", "Fonds", "Alliance", "Alliances", "MRC")  # « le Fonds »: the FQIS


def satisfying(constraints: Constraints, units: list[EvidenceUnit]) -> list[EvidenceUnit]:
    """The units that satisfy every constraint, in their order."""
    return [unit for unit in units if not missing_in(constraints, unit)]


def unmet(constraints: Constraints, units: list[EvidenceUnit]) -> list[str]:
    """What no unit satisfies, as written (« 2016-2017 », « Outaouais », « nom »); every constraint when each is met
    somewhere but never together in one unit; empty when some unit satisfies them all. A question naming several
    regions (« Compare l'Estrie et le Centre-du-Québec ») needs, for each, a unit about it that satisfies the rest."""
    fitting = satisfying(constraints, units) if constraints else []
    uncovered = [r for r in constraints.regions if not any(r in regions_of(unit, (r,)) for unit in fitting)]
    if not constraints or (fitting and not uncovered):
        return []
    if fitting:
        return uncovered
    absent = [written for written, alone in constraints.parts() if not satisfying(alone, units)]
    return absent or [written for written, _ in constraints.parts()]


def without_item(constraints: Constraints) -> Constraints:
    """The same constraints, the item, the kind of answer and the names left out (for the gate before the model,
    which needs only years and regions: the item is checked on the answer's figures, the names on the passages)."""
    return constraints.loosened(item=None, answer_kind="", names=())
