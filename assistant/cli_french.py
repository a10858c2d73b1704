"""argparse's own words in French (« utilisation : », « options », its error messages), so that every line the
command line prints is French. argparse looks its messages up through the module-level ``_`` and ``ngettext`` at
call time; the table below answers the messages of Python 3.11's argparse, and any other message is left as is."""

from __future__ import annotations

import argparse

ARGPARSE_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
    "unexpected option string: %s": "option inattendue : %s",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
}
ARGPARSE_FRENCH_PLURALS = {
    "expected %s argument": ("%s valeur attendue", "%s valeurs attendues"),
}


def french(message: str) -> str:
    """argparse's message in French, or as it is when the table does not know it."""
    return ARGPARSE_FRENCH.get(message, message)


def french_plural(singular: str, plural: str, count: int) -> str:
    """argparse's singular/plural message in French, or the English one the table does not know."""
    one, many = ARGPARSE_FRENCH_PLURALS.get(singular, (singular, plural))
    return one if count == 1 else many


def use_french_argparse() -> None:
    """Make argparse speak French for this process (call before building the parsers: the group titles and the
    help option's text are read when a parser is made)."""
    argparse._ = french  # type: ignore[attr-defined]
    argparse.ngettext = french_plural  # type: ignore[attr-defined]
