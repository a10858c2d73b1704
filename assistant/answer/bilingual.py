"""English questions read in French: the domain's English terms given their French words, so that an English
question chooses its evidence (and finds its passages) by what it asks, as a French one does, not by meaning alone.

The corpus is French; an English question shares only its names and figures with it. The lexicon below is small
and general — the vocabulary of agreements, funding, projects, committees and social research — not fitted to any
question. Names, acronyms and figures pass unchanged; a word the lexicon lacks is dropped.
"""

from __future__ import annotations

import re

from assistant.french import fold, names

# English term (folded; several words allowed, longest matched first) → its French words in the corpus.
LEXICON: dict[str, str] = {
    # agreements, money, dates
    "agreement": "entente", "agreements": "ententes", "amendment": "avenant", "amount": "montant",
    "amounts": "montants", "total": "total", "sum": "somme", "budget": "budget", "envelope": "enveloppe",
    "funding": "financement contribution", "funds": "fonds sommes", "fund": "fonds", "funded": "financé",
    "grant": "accorde contribution", "granted": "accordé", "grants": "contribution", "receive": "reçoit reçu",
    "received": "reçu", "receives": "reçoit", "get": "reçoit", "gets": "reçoit", "contribution": "contribution",
    "payment": "versement", "payments": "versements", "instalment": "versement tranche",
    "installment": "versement tranche", "first payment": "premier versement", "second payment": "second versement",
    "administration": "administration", "administrative": "administration", "costs": "coûts frais",
    "fees": "frais", "expenses": "dépenses", "cap": "plafond", "ceiling": "plafond", "limit": "plafond limite",
    "share": "part", "percentage": "pourcentage", "percent": "pour cent", "rate": "taux",
    "base amount": "base", "fiscal year": "exercice financier", "year": "année exercice", "years": "années",
    "date": "date", "deadline": "au plus tard", "by what date": "au plus tard", "signed": "signée signature",
    "sign": "signature", "signing": "signature", "signature": "signature", "period": "période",
    "duration": "durée", "start": "début", "started": "débuté", "end": "fin", "ended": "fin",
    "extended": "prolonge", "extension": "prolongation", "month": "mois", "months": "mois", "week": "semaine",
    "weeks": "semaines", "spring": "printemps", "summer": "été", "fall": "automne", "winter": "hiver",
    # bodies, people, roles
    "minister": "ministre", "ministry": "ministère", "department": "ministère direction", "government": "gouvernement",
    "regional": "régional régionale", "region": "région", "regions": "régions", "territory": "territoire",
    "territories": "territoires", "municipality": "municipalité", "municipalities": "municipalités",
    "municipal": "municipal", "city": "ville", "town": "ville", "towns": "villes", "cities": "villes",
    "village": "village", "villages": "villages", "rural": "rural ruraux", "urban": "urbain", "county": "MRC",
    "committee": "comité", "committees": "comités", "steering committee": "comité directeur",
    "follow-up committee": "comité de suivi", "board": "conseil", "table": "table", "meeting": "réunion",
    "meetings": "réunions rencontres", "chair": "président préside", "chaired": "présidé présidait président",
    "chairs": "préside président", "president": "président", "mayor": "maire", "mayors": "maires",
    "prefect": "préfet", "elected officials": "élus", "officials": "élus", "officer": "agent agente",
    "liaison officer": "agente de liaison", "development officer": "agent de développement",
    "coordinator": "coordonnatrice coordination", "coordinates": "coordonne coordination",
    "coordination": "coordination", "manager": "responsable", "director": "directeur directrice",
    "representative": "représentant", "representatives": "représentants", "represents": "représente",
    "members": "membres", "member": "membre", "seats": "sièges", "seat": "siège", "reserved": "réservé réservés",
    "partners": "partenaires", "partner": "partenaire", "organization": "organisme", "organizations": "organismes",
    "organisation": "organisme", "organisations": "organismes", "community": "communautaire communauté",
    "communities": "communautés", "indigenous": "autochtones innues premières nations",
    "first nations": "premières nations", "volunteers": "bénévoles", "citizens": "citoyens",
    "citizen": "citoyenne citoyen", "residents": "résidents", "people": "personnes", "persons": "personnes",
    "person": "personne", "households": "ménages", "families": "familles", "youth": "jeunes", "young": "jeunes",
    "students": "élèves", "pupils": "élèves", "school": "école scolaire", "schools": "écoles",
    "users": "usagers", "participants": "participants", "attended": "participants réuni",
    "inhabitants": "habitants", "population": "population habitants", "researchers": "chercheurs",
    "research team": "équipe de recherche", "team": "équipe", "study": "étude", "research": "recherche",
    "report": "rapport", "reports": "rapports", "annual": "annuel annuelle", "activity": "activités",
    "activities": "activités", "interviews": "entretiens", "interview": "entretien", "interviewed": "interrogée",
    "conducted": "réalisé", "conduct": "réalisé", "survey": "enquête", "send": "transmet", "sent": "transmis",
    "submit": "transmet dépose", "submitted": "déposé transmis", "held": "tenu tenue",
    # projects and themes
    "project": "projet", "projects": "projets", "call for projects": "appel de projets",
    "calls for projects": "appels de projets", "call": "appel", "priority": "priorité", "priorities": "priorités",
    "goal": "objectif", "goals": "objectifs", "objectives": "objectifs", "recommendation": "recommandation",
    "recommendations": "recommandations", "recommend": "recommande", "ask": "demande", "asks": "demande",
    "asked": "demandé", "propose": "propose", "proposed": "proposé", "decided": "décidé décision",
    "decision": "décision", "adopted": "adopté", "approved": "approuvé", "created": "créé", "founded": "fondé",
    "opened": "ouvert ouverture", "open": "ouvert", "closed": "fermé", "poverty": "pauvreté",
    "living in poverty": "vivant la pauvreté en situation de pauvreté", "low income": "faible revenu",
    "low-income": "faible revenu", "income": "revenu", "exclusion": "exclusion", "solidarity": "solidarité",
    "food": "alimentaire aliments", "food security": "sécurité alimentaire", "food bank": "banque alimentaire",
    "food banks": "banques alimentaires", "breakfast": "déjeuners", "meals": "repas", "kitchens": "cuisines",
    "collective kitchens": "cuisines collectives", "housing": "logement", "homelessness": "itinérance",
    "homeless": "itinérance", "rent": "loyer", "bedroom": "chambre", "bedrooms": "chambres",
    "vacancy": "inoccupation", "transport": "transport", "transportation": "transport", "trips": "déplacements",
    "bus": "autobus", "shuttle": "navette", "employment": "emploi", "jobs": "emplois", "job": "emploi",
    "work": "travail emploi", "working": "travaillent", "unemployment": "chômage", "training": "formation",
    "insertion": "insertion", "integration": "insertion intégration", "education": "éducative scolaire",
    "dropout": "décrochage", "health": "santé", "social services": "services sociaux", "services": "services",
    "governance": "gouvernance", "tensions": "tensions", "challenges": "difficultés défis",
    "difficulties": "difficultés", "obstacles": "obstacles", "lessons": "leçons", "criticism": "critique",
    "criticisms": "critiques", "formula": "formule", "allocation": "répartition", "allocation formula":
    "formule de répartition", "distribution": "répartition", "criteria": "critères", "waiting list":
    "liste d'attente", "coastline": "littoral", "kilometres": "km", "kilometers": "km", "km": "km",
    "distance": "distance km", "far": "km", "drive": "route", "each way": "chaque sens", "hours": "heures",
    "forum": "forum", "grocery": "épicerie", "mobile": "mobiles", "network": "réseau",
    # months, as the corpus dates things (« le 22 octobre 2013 »)
    "january": "janvier", "february": "février", "march": "mars", "april": "avril", "may": "mai", "june": "juin",
    "july": "juillet", "august": "août", "september": "septembre", "october": "octobre", "november": "novembre",
    "december": "décembre",
}
_TERMS = sorted(LEXICON, key=lambda term: -len(term))
_TERM = re.compile(r"\b(" + "|".join(re.escape(term) for term in _TERMS) + r")\b")


def french_terms(question: str) -> str:
    """The French words an English question asks about, with its names and figures: « How much FQIS funding did
    the school breakfast project receive? » → « FQIS financement contribution école scolaire déjeuners projet
    reçu »."""
    folded = fold(question).replace("’", "'")
    words = [LEXICON[match] for match in _TERM.findall(folded)]
    codes = re.findall(r"\b[A-Z]+\d+\b", question)  # « R9 », a recommendation's number
    kept = list(names(question).values()) + codes + re.findall(r"\d+(?:[.,]\d+)?", question)
    return " ".join(dict.fromkeys(kept + words))
