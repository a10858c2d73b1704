"""Questions asking two things: each part searched, ranked and answered on its own, one cited sentence per part."""

from __future__ import annotations

from assistant.answer.parts import part_searches, question_parts
from assistant.models import DocumentInfo, Passage

from tests.answer_support import evidence_answer as answer

REPORT = DocumentInfo("rapports/rapport.pdf", "Les Alliances pour la solidarité à l'épreuve du terrain",
                      doc_type="rapport", regions=("Laurentides",), date="2014")
INTERVIEW = DocumentInfo("entretiens/ent-lau-03.md", "Entretien avec l'organisatrice communautaire du CSSS de "
                         "Saint-Jérôme", doc_type="entretien", regions=("Laurentides",), date="2013")
AGREEMENT = DocumentInfo("ententes/entente-mauricie.pdf", "Entente – Alliance pour la solidarité de la Mauricie",
                         doc_type="entente", regions=("Mauricie",), date="2012")
MINUTES = DocumentInfo("autres/proces-verbal-mauricie.md", "Procès-verbal du Comité directeur de La Mauricie en action",
                       doc_type="proces-verbal", regions=("Mauricie",), date="2013")
KINDS = {"rapport", "entente", "entretien", "fiche-projet", "proces-verbal", "autre"}


def test_a_researcher_asking_two_facts_of_two_documents_gets_one_cited_sentence_for_each() -> None:
    report = Passage("r-1", "Dans les Laurentides, la première négociation du partage a duré près de quatre mois et "
                     "retardé les premiers projets.", REPORT, 30, "30", 0, 120)
    interview = Passage("i-1", "Sur la grille adoptée en juin 2013, l'organisatrice du CSSS juge le compromis "
                        "« défendable techniquement, mal expliqué politiquement ».", INTERVIEW, None, "", 0, 140)
    text = answer("Combien de temps la première négociation du partage laurentien a-t-elle duré selon le rapport, "
                  "et comment l'organisatrice du CSSS de Saint-Jérôme juge-t-elle le compromis de juin 2013 ?",
                  [report, interview])
    # The second part asks no duration: its answer is not held to the first part's kind.
    first, second = text.split(" [1]. ")
    assert "près de quatre mois" in first
    assert "défendable techniquement" in second and second.endswith("[2].")


def test_a_part_of_a_few_words_shares_the_verb_of_the_part_after_it() -> None:
    assert question_parts("Dans quelle ville et à quelle date l'équipe a-t-elle réalisé sa première entrevue ?") == []
    parts = question_parts("L'observatrice présente le 22 octobre 2013 avait-elle déjà fait un entretien en "
                           "Mauricie ? Avec qui, et quand ?")
    assert [part.text for part in parts] == [
        "L'observatrice présente le 22 octobre 2013 avait-elle déjà fait un entretien en Mauricie ?",
        "Avec qui et quand ?"]


def test_each_part_is_searched_with_its_subject_in_the_document_it_names() -> None:
    searches = part_searches("Les enveloppes vont, selon le rapport, de la Côte-Nord à Lanaudière. L'Estrie, absente "
                             "de l'étude, se situerait-elle entre les deux ? Quel est son total selon l'entente ?",
                             KINDS)
    assert len(searches) == 2
    query, kind = searches[1]
    assert query.startswith("Quel est son total selon l'entente ?") and "Estrie" in query
    assert kind == "entente"
    assert part_searches("Combien l'entente de l'Estrie prévoit-elle pour 2012-2013 ?", KINDS) == []


def test_a_second_question_after_a_comma_and_its_own_inverted_verb_is_a_part_of_its_own() -> None:
    parts = question_parts("L'entente mauricienne prévoit-elle un siège pour le milieu de l'éducation au comité "
                           "directeur, et ce représentant était-il à la réunion du 22 octobre 2013 ?")
    assert [part.text for part in parts] == [
        "L'entente mauricienne prévoit-elle un siège pour le milieu de l'éducation au comité directeur",
        "ce représentant était-il à la réunion du 22 octobre 2013 ?"]
    assert parts[1].constraints.years == ("2013",) and parts[0].constraints.years == ()  # the meeting's day
    assert len(question_parts("Cette règle vient-elle de l'entente, et que dit l'entente sur le partage ?")) == 2
    # « et » between two things of one question asks one thing.
    assert question_parts("Combien l'entente verse-t-elle aux MRC de L'Érable et d'Arthabaska ?") == []


def test_the_document_a_part_names_answers_that_part_and_the_other_part_gets_its_own_sentence() -> None:
    agreement = Passage("e-1", "5.3 Le comité directeur comprend un représentant de chacun des six territoires, du "
                        "milieu communautaire et du milieu de l'éducation.", AGREEMENT, 3, "3", 0, 140)
    minutes = Passage("p-1", "Réunion ordinaire du comité directeur tenue le mardi 22 octobre 2013 aux bureaux de la "
                      "CRÉ de la Mauricie.", MINUTES, None, "", 0, 110)
    text = answer("L'entente mauricienne prévoit-elle un siège pour le milieu de l'éducation au comité directeur, "
                  "et ce représentant était-il à la réunion du 22 octobre 2013 ?", [minutes, agreement])
    # Read as one, the question's date and meeting rank the minutes first: the agreement's clause came second.
    assert text.startswith("5.3 Le comité directeur comprend un représentant") and text.count("[") == 2


def test_a_question_asking_the_most_is_left_whole_its_subject_s_own_figure_is_no_answer() -> None:
    assert question_parts("Quelle thématique a reçu la plus grosse enveloppe au Centre-du-Québec, et quelle part du "
                          "coût de son projet phare le FQIS paie-t-il ?") == []
    assert len(question_parts("Combien de projets le deuxième appel a-t-il reçus, et combien de plus que le premier "
                              "en a-t-il retenus ?")) == 2
