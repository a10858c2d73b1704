"""Questions asking a difference or what is left: the figure computed from the values the answer cites.

« De combien le loyer a-t-il augmenté entre 2011 et juillet 2013 ? », « Combien d'habitants la séparent de la
première ? », « Une fois financés le Sentier de mieux-être et le Logement accompagné, que reste-t-il de la réserve ? »:
the answer's units give each value, each cited; the figure asked is computed from them in one short sentence after
them (« Calcul à partir des montants cités : 975 $ [1] − 675 $ [1] = 300 $. »), each value with the marker of the
sentence that gives it. Nothing is computed unless the question asks that operation (``asked_operation``) and the
sentences shown give exactly the values it needs, each once, of the kind asked: a difference of two values, a
remainder of a total less each thing the question says was taken from it. Otherwise the units alone answer.

The sentence has a fixed form (``render``), so that the citation check reads it back (``checked_calculation``): each
value must stand in the passage its marker cites, and the result must be the operation computed again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.constraints import asked_parts
from assistant.answer.comparison import FIGURE, SPACE, VALUES, found_in, written_value
from assistant.french import fold, words_of

# What a question asks to compute, on folded text. A difference: « de combien … a-t-il augmenté / dépasse-t-il »,
# « combien d'habitants de plus », « combien … la séparent de », « quel écart », « quelle différence »; not « de
# combien de personnes se compose l'équipe » (a count) nor « de combien d'argent dispose-t-elle » (an amount).
_DIFFERENCE = re.compile(r"\bde combien\b(?! d(?:e |'))[^?]*?\b(?:augment|diminu|baiss|mont|grimp|hauss|dimin|recul"
                         r"|depass|surpass|plus|moins|ecart|separ)\w*"
                         r"|\bcombien (?:de |d')?[\w'-]*\s*(?:de plus|de moins|d'ecart|de difference)\b"
                         r"|\bcombien\b[^?]*\b(?:la|le|les|l') separ(?:e|ent)\b"
                         r"|\bquel(?:le)? (?:est |etait )?(?:l'|la )?(?:ecart|difference)\b"
                         r"|\bhow (?:much|many)\b[^?]*\b(?:more|less|fewer)\b|\bwhat (?:is the )?difference\b")
# What is left of a total once things were taken from it: « que reste-t-il de la réserve », « combien reste-t-il »;
# the things taken are named after « une fois financés », « après avoir payé »… up to the comma.
_REMAINDER = re.compile(r"\b(?:que|combien|qu'en) reste-t-il\b|\bce qui reste\b|\ble solde restant\b"
                        r"|\bhow much (?:is|was) left\b")
_TAKEN = re.compile(r"\b(?:une fois|après avoir|apres avoir)\s+(?:financ|pay|vers|engag|retir|dédui|dedui)\w*\s+"
                    r"(?P<taken>[^,?]+)", re.IGNORECASE)
# The things taken are joined by « et », « , », « ainsi que ».
_JOINED = re.compile(r"\s*,\s*|\s+et\s+|\s+ainsi que\s+")
# A figure with no unit, for a count (« 31 900 » habitants); a year is no such figure.
_PLAIN = re.compile(FIGURE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_HEADS = {"montant": "Calcul à partir des montants cités : ", "part": "Calcul à partir des pourcentages cités : ",
          "nombre": "Calcul à partir des nombres cités : "}
_EN_HEADS = {"montant": "Calculation from the cited amounts: ", "part": "Calculation from the cited percentages: ",
             "nombre": "Calculation from the cited figures: "}
# Which values a kind of answer computes with (``constraints.ANSWER_KINDS``): « combien » alone with amounts shown.
_KINDS = {"montant": "montant", "part": "part", "nombre": "nombre", "chiffre": "", "": ""}


@dataclass(frozen=True)
class Operand:
    """One value of a calculation, as the sentence shown writes it, with the number of the source it is cited to."""

    text: str
    number: int

    @property
    def value(self) -> float:
        """Its value as a number (« 36 600 » → 36600, « 0,8 » → 0.8)."""
        return float(re.sub(r"[^\d,]", "", self.text).replace(",", "."))


def asked_operation(question: str) -> str:
    """What a question asks to compute: ``difference``, ``remainder``, or "" for anything else."""
    folded = fold(question)
    if _REMAINDER.search(folded) and taken_from(question):
        return "remainder"
    return "difference" if _DIFFERENCE.search(folded) else ""


def taken_from(question: str) -> list[str]:
    """The things a remainder question says were taken from its total (« Une fois financés le Sentier de mieux-être
    et le Logement accompagné, … »): « le Sentier de mieux-être », « le Logement accompagné »."""
    found = _TAKEN.search(question)
    return [piece.strip() for piece in _JOINED.split(found.group("taken")) if piece.strip()] if found else []


# The rest of a remainder question after its verb: « que reste-t-il | de la réserve nord-côtière… ? ».
_LEFT_OF = re.compile(r"\breste-t-il\s+(?P<total>(?:de |d'|du |des |sur |à |au )[^?]+)", re.IGNORECASE)


# A thing's name in a sentence: its words, articles and prepositions left out, all there.
_LINKS = frozenset("le la les l de du des d un une et a au aux en pour sur avec par".split())


def _names(item: str, sentence: str) -> bool:
    """Whether a sentence names a thing: every word of its name (« Sentier de mieux-être »: sentier, mieux-etre)."""
    words = set(words_of(fold(sentence)))
    return all(word in words for word in words_of(fold(item)) if word not in _LINKS)


def calculation_sentence(question: str, answer_kind: str, shown: list[tuple[int, str]], language: str) -> str:
    """The sentence computing what the question asks from the values of the sentences shown (``shown``: source
    number, sentence), each cited; "" when the question asks no calculation, or asks other things too, or the
    sentences do not give exactly the values it needs (``_operands``)."""
    operation = asked_operation(question)
    if not operation or len(asked_parts(question)) > 1:
        return ""  # « de combien… dépasse-t-elle…, et combien coûte le panier ? »: the values shown answer two parts
    kind = _KINDS.get(answer_kind, "")
    for kind in (kind,) if kind else ("montant", "part"):
        values = [[Operand(value, number) for value in _values(kind, sentence)] for number, sentence in shown]
        operands = (_remainder_operands(question, kind, shown) if operation == "remainder" else
                    _operands(values, bool(_KINDS.get(answer_kind)), [sentence for _, sentence in shown]))
        if operands:
            return render(kind, operation, operands, language)
    return ""


def _from_to(sentence: str, pair: list[Operand]) -> bool:
    """Whether a sentence gives its two values as one thing's change, from the first to the second (« passé de
    675 $ en 2011 à 975 $ »), not as two things' values (« 18 % de plus à Sept-Îles et plus de 35 % de plus en
    Basse-Côte-Nord », where each is already a difference)."""
    text = " ".join(sentence.split())
    first, second = (re.escape(operand.text) for operand in pair)
    more = r"(?!\s+de (?:plus|moins)\b)"  # « 18 % de plus »: already a difference
    return bool(re.search(rf"\bde\s+{first}{more}.{{0,80}}?\bà\s+{second}{more}", text))


def _operands(values: list[list[Operand]], kind_asked: bool, sentences: list[str]) -> list[Operand]:
    """The two values of a difference (``values``: those of each sentence shown), the larger first: the two values
    of the first sentence giving any, when it gives them as one thing's change (« passé de 675 $ en 2011 à
    975 $ », ``_from_to``), or, when the question asks a kind of value (« combien d'habitants »), the one value of
    each of the first two such sentences; empty otherwise."""
    given = [(found, sentence) for found, sentence in zip(values, sentences, strict=True) if found]
    if given and len(given[0][0]) == 2 and not _from_to(given[0][1], given[0][0]):
        return []
    giving = [found for found, _ in given]
    pair = giving[0] if giving and len(giving[0]) == 2 else (
        [giving[0][0], giving[1][0]] if kind_asked and len(giving) >= 2 and len(giving[0]) == len(giving[1]) == 1
        else [])
    if len(pair) != 2 or pair[0].value == pair[1].value:
        return []
    return sorted(pair, key=lambda operand: -operand.value)


def _remainder_operands(question: str, kind: str, shown: list[tuple[int, str]]) -> list[Operand]:
    """The values of a remainder: for each thing taken (« le Sentier de mieux-être »), the one value of the kind of
    the first sentence shown that names it and gives one; the total, the one value of another sentence shown that
    names the total's noun (« la réserve… ») and gives one, more than the things taken together; empty unless
    each is found."""
    taken = taken_from(question)
    total = _LEFT_OF.search(question)
    head = next((word for word in words_of(fold(total.group("total"))) if word not in _LINKS), "") if total else ""
    used: set[int] = set()
    operands: list[Operand] = []
    for thing in [*taken, head]:
        found = next(((index, values[0]) for index, (number, sentence) in enumerate(shown) if index not in used
                      and _names(thing, sentence) and len(values := _values(kind, sentence)) == 1), None)
        if not found or not thing:
            return []
        used.add(found[0])
        operands.append(Operand(found[1], shown[found[0]][0]))
    *parts, whole = operands
    return [whole, *parts] if whole.value > sum(part.value for part in parts) else []


def _values(kind: str, sentence: str) -> list[str]:
    """The values of a kind a sentence gives, as written: amounts, shares, or figures with no unit (years left out)
    for a count, each once."""
    text = " ".join(sentence.split())
    if kind == "nombre":
        found = [match.group() for match in _PLAIN.finditer(text) if not _YEAR.match(match.group())
                 and not re.match(rf"{SPACE}?[$%]", text[match.end():])]
    else:
        found = [match.group() for match in VALUES[kind].finditer(text)]
    return list(dict.fromkeys(written_value(value) for value in found))


def _figure(value: float, like: str) -> str:
    """A computed value written as the values it comes from are: spaces between thousands, a decimal comma, the
    unit of ``like`` (« $ », « % »)."""
    unit = re.search(r"\s?[$%]$", like)
    whole = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")
    return whole + (unit.group() if unit else "")


def render(kind: str, operation: str, operands: list[Operand], language: str) -> str:
    """The calculation's sentence: the values with their markers, the operation, its result."""
    first, *others = operands
    result = first.value - sum(other.value for other in others)
    head = (_HEADS if language == "fr" else _EN_HEADS)[kind]
    terms = " − ".join(f"{operand.text} [{operand.number}]" for operand in operands)
    return f"{head}{terms} = {_figure(result, first.text)}."


_TERM = re.compile(r"([^\[\]−=]+?) \[(\d+)\]")


def checked_calculation(sentence: str, passages: dict[int, str],
                        question: str) -> tuple[tuple[int, int, int], ...] | None:
    """Where the values of a calculation's sentence stand in the passages their markers cite, as (source number,
    start, end), when the sentence has the form ``render`` writes, the question asks that operation and its result
    is the operation computed again; None for any other sentence."""
    text = " ".join(sentence.split())
    heads = {head: kind for kind, head in _HEADS.items()} | {head: kind for kind, head in _EN_HEADS.items()}
    head = next((head for head in heads if text.startswith(head)), "")
    if not head or not asked_operation(question) or "=" not in text:
        return None
    written, _, _ = text[len(head):].rpartition(" = ")
    operands = [Operand(written_value(value.strip()), int(number)) for value, number in _TERM.findall(written)]
    operation = asked_operation(question)
    needed = 2 if operation == "difference" else len(taken_from(question)) + 1  # the two values; the total, each taken
    if len(operands) != needed or any(_values(heads[head], operand.text) != [operand.text] for operand in operands):
        return None
    language = "fr" if head in _HEADS.values() else "en"
    if render(heads[head], operation, operands, language) != text:
        return None
    spans = [found_in(operand.text, passages.get(operand.number, "")) for operand in operands]
    if any(span is None for span in spans):
        return None
    return tuple((operand.number, *span) for operand, span in zip(operands, spans, strict=True) if span)
