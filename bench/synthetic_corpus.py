"""A large synthetic French corpus for benchmarks: Markdown documents with the corpus's metadata header.

Usage: .venv/bin/python bench/synthetic_corpus.py /tmp/corpus-100k --documents 5000 --passages 100000 [--seed 2012]
Deterministic for a seed. Each document is made of sentences drawn from templates over varied vocabulary (17
regions and their towns, actors, projects, amounts, months and years), so that BM25 and the vectors see a realistic
spread of words; ``--passages`` is the approximate number of passages the default chunking cuts from the whole
corpus. The texts are invented; they are generated, never committed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

REGIONS = {
    "Bas-Saint-Laurent": ["Rimouski", "Rivière-du-Loup", "Matane", "Amqui", "Trois-Pistoles"],
    "Saguenay–Lac-Saint-Jean": ["Saguenay", "Alma", "Roberval", "Dolbeau-Mistassini"],
    "Capitale-Nationale": ["Québec", "Baie-Saint-Paul", "Donnacona", "La Malbaie"],
    "Mauricie": ["Trois-Rivières", "Shawinigan", "La Tuque", "Louiseville"],
    "Estrie": ["Sherbrooke", "Magog", "Coaticook", "Lac-Mégantic"],
    "Montréal": ["Montréal-Nord", "Verdun", "Hochelaga-Maisonneuve", "Saint-Michel"],
    "Outaouais": ["Gatineau", "Maniwaki", "Shawville", "Papineauville"],
    "Abitibi-Témiscamingue": ["Rouyn-Noranda", "Val-d'Or", "Amos", "Ville-Marie"],
    "Côte-Nord": ["Sept-Îles", "Baie-Comeau", "Havre-Saint-Pierre", "Forestville"],
    "Nord-du-Québec": ["Chibougamau", "Matagami", "Lebel-sur-Quévillon"],
    "Gaspésie–Îles-de-la-Madeleine": ["Gaspé", "New Richmond", "Sainte-Anne-des-Monts", "Cap-aux-Meules"],
    "Chaudière-Appalaches": ["Lévis", "Thetford Mines", "Saint-Georges", "Montmagny"],
    "Laval": ["Chomedey", "Pont-Viau", "Sainte-Rose"],
    "Lanaudière": ["Joliette", "Terrebonne", "Saint-Michel-des-Saints", "Rawdon"],
    "Laurentides": ["Saint-Jérôme", "Mont-Laurier", "Sainte-Agathe-des-Monts", "Lachute"],
    "Montérégie": ["Longueuil", "Saint-Hyacinthe", "Granby", "Salaberry-de-Valleyfield"],
    "Centre-du-Québec": ["Drummondville", "Victoriaville", "Nicolet", "Bécancour"],
}
DOCUMENT_KINDS = {
    "rapport": "Rapport d'étape",
    "entente": "Entente de mise en œuvre",
    "entretien": "Notes d'entretien",
    "proces-verbal": "Procès-verbal du comité régional",
    "fiche-projet": "Fiche de projet",
    "portrait-regional": "Portrait régional",
}
ACTORS = ["la table de concertation", "le comité régional de suivi", "la conférence régionale des élus",
          "le centre local de développement", "la corporation de développement communautaire",
          "l'organisme communautaire", "le centre de santé et de services sociaux", "la municipalité régionale de comté",
          "le carrefour jeunesse-emploi", "la direction régionale de Services Québec", "le regroupement des cuisines "
          "collectives", "l'office municipal d'habitation", "la commission scolaire", "le comité local de "
          "développement social", "la coopérative de solidarité", "le réseau des banques alimentaires"]
ACTIONS = ["a financé", "a lancé", "a évalué", "a reconduit", "a coordonné", "a suspendu", "a élargi", "a présenté",
           "a adopté", "a révisé", "a soutenu", "a documenté"]
PROJECTS = ["un projet de transport collectif rural", "une épicerie solidaire", "un service de dépannage "
            "alimentaire", "un programme d'aide aux devoirs", "une halte-garderie communautaire", "un jardin collectif",
            "un fonds de logement abordable", "un service d'accompagnement vers l'emploi", "une clinique d'impôts "
            "bénévole", "un camion de marché mobile", "un programme de francisation", "un réseau de popotes "
            "roulantes", "une table de quartier", "un service de répit pour les proches aidants",
            "une ressourcerie", "un projet d'insertion socioprofessionnelle des jeunes"]
AUDIENCES = ["les familles à faible revenu", "les personnes aînées isolées", "les jeunes de 16 à 24 ans",
             "les personnes immigrantes", "les chambreurs", "les travailleurs saisonniers", "les mères monoparentales",
             "les personnes en situation d'itinérance", "les ménages locataires", "les personnes handicapées"]
CONCERNS = ["la reddition de comptes", "la pérennité du financement", "la mobilisation des élus",
            "le roulement du personnel", "la lourdeur administrative", "l'arrimage avec les programmes existants",
            "la participation des citoyens", "le transport en milieu rural", "l'accès aux locaux",
            "la mesure des retombées"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
YEARS = range(2010, 2016)


def sentence(chooser: random.Random, region: str, town: str) -> str:
    """One sentence from a template over the vocabulary."""
    year, month = chooser.choice(YEARS), chooser.choice(MONTHS)
    amount = f"{chooser.randint(12, 2400) * 1000:,}".replace(",", " ")
    templates = [
        lambda: f"En {month} {year}, {chooser.choice(ACTORS)} de {town} {chooser.choice(ACTIONS)} "
                f"{chooser.choice(PROJECTS)} pour {chooser.choice(AUDIENCES)}.",
        lambda: f"L'Alliance de la région {region} a consacré {amount} $ à {chooser.choice(PROJECTS)} pour "
                f"l'exercice {year}-{year + 1}.",
        lambda: f"Selon {chooser.choice(ACTORS)}, {chooser.choice(CONCERNS)} demeure la principale difficulté "
                f"signalée à {town} depuis {year}.",
        lambda: f"Le rapport note que {chooser.randint(3, 95)} % des participants de {town} disent que "
                f"{chooser.choice(PROJECTS)} a amélioré leur situation.",
        lambda: f"Une rencontre du {chooser.randint(1, 28)} {month} {year} a réuni {chooser.randint(8, 240)} "
                f"personnes autour de {chooser.choice(CONCERNS)} dans la région {region}.",
        lambda: f"{chooser.choice(ACTORS).capitalize()} {chooser.choice(ACTIONS)} l'entente avec le ministère "
                f"de l'Emploi et de la Solidarité sociale, qui prévoit {amount} $ sur trois ans.",
        lambda: f"Pour {chooser.choice(AUDIENCES)}, {chooser.choice(PROJECTS)} reste le seul service offert "
                f"entre {town} et les villages voisins.",
    ]
    return chooser.choice(templates)()


def document(chooser: random.Random, number: int, characters: int) -> str:
    """One Markdown document of about ``characters`` characters of body, after its metadata header."""
    region = chooser.choice(list(REGIONS))
    town = chooser.choice(REGIONS[region])
    kind = chooser.choice(list(DOCUMENT_KINDS))
    year = chooser.choice(YEARS)
    header = (f"---\ntitre: {DOCUMENT_KINDS[kind]} – {town} ({region}) n° {number}\ntype: {kind}\n"
              f"regions: [{region}]\ndate: {year}-{chooser.randint(1, 12):02d}-{chooser.randint(1, 28):02d}\n"
              f"confidentialite: {chooser.choice(['public', 'public', 'interne', 'confidentiel'])}\n"
              f"code: SYN-{number:06d}\n---\n")
    paragraphs, length = [], 0
    while length < characters:
        paragraph = " ".join(sentence(chooser, region, town) for _ in range(chooser.randint(2, 5)))
        if chooser.random() < 0.15:
            paragraph = f"## {chooser.choice(CONCERNS).capitalize()}\n\n{paragraph}"
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return header + f"# {DOCUMENT_KINDS[kind]} – {town}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, documents: int, passages: int, seed: int) -> None:
    """Write ``documents`` Markdown files (100 per subfolder) that cut into about ``passages`` passages."""
    chooser = random.Random(seed)
    # The default splitter (1,000 characters, 150 of overlap, cut at paragraphs) moves on by about 700 characters.
    mean_characters = max(300, passages * 700 // documents)
    for number in range(documents):
        subfolder = folder / f"lot-{number // 100:03d}"
        subfolder.mkdir(parents=True, exist_ok=True)
        characters = chooser.randint(mean_characters // 2, mean_characters * 3 // 2)
        (subfolder / f"doc-{number:06d}.md").write_text(document(chooser, number, characters), encoding="utf-8")


def questions(count: int, seed: int) -> list[tuple[str, str | None]]:
    """Questions a researcher would ask of such a corpus, each with the region to filter on (every other one)."""
    chooser = random.Random(seed)
    asked = []
    for number in range(count):
        region = chooser.choice(list(REGIONS))
        town = chooser.choice(REGIONS[region])
        question = chooser.choice([
            f"Combien l'Alliance de la région {region} a-t-elle consacré à {chooser.choice(PROJECTS)} ?",
            f"Quelles difficultés {chooser.choice(ACTORS)} de {town} signale-t-elle depuis {chooser.choice(YEARS)} ?",
            f"Qui a financé {chooser.choice(PROJECTS)} pour {chooser.choice(AUDIENCES)} à {town} ?",
            f"Que dit le rapport sur {chooser.choice(CONCERNS)} en {chooser.choice(MONTHS)} {chooser.choice(YEARS)} ?",
        ])
        asked.append((question, region if number % 2 else None))
    return asked


def main() -> None:
    """Write the corpus and say how big it is."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--passages", type=int, default=100_000, help="approximate passages after chunking")
    parser.add_argument("--seed", type=int, default=2012)
    arguments = parser.parse_args()
    write_corpus(arguments.folder, arguments.documents, arguments.passages, arguments.seed)
    size = sum(p.stat().st_size for p in arguments.folder.rglob("*.md"))
    print(f"{arguments.documents} documents, {size / 1e6:.1f} MB in {arguments.folder}")


if __name__ == "__main__":
    main()
