"""Out-of-corpus near misses (session 13): a question the corpus does not answer, met by a sentence of the right
subject whose figure, date or name is another one's — of a whole, of every region, of a deadline, of another year —
is refused; the same sentence still answers the question it does answer."""

from __future__ import annotations

from assistant.answer.constraints import EvidenceUnit, answer_kind, gives, missing_in, read_constraints
from assistant.answer.evidence import evidence_units
from assistant.models import DocumentInfo, Passage, Source

REPORT = DocumentInfo("rapports/rapport.pdf", "Rapport de recherche", doc_type="rapport",
                      regions=("Côte-Nord", "Centre-du-Québec"), date="2014")
NORTH_SHORE_NOTE = DocumentInfo("entretiens/ent-cno-03.md", "Notes d'entretien – Citoyenne, Sept-Îles",
                                doc_type="entretien", regions=("Côte-Nord",), date="2014")
AGREEMENT = DocumentInfo("ententes/entente-centre-du-quebec.pdf", "Entente – Centre-du-Québec", doc_type="entente",
                         regions=("Centre-du-Québec",), date="2012-05-09")


def units_of(text: str, info: DocumentInfo = REPORT) -> list[EvidenceUnit]:
    return evidence_units([Source(1, Passage("u1", text, info, 12, "12", 0, len(text)))])


def test_the_name_of_the_mayor_asks_for_a_person_in_that_role() -> None:
    asked = read_constraints("Quel est le nom du maire de Sept-Îles ?")
    assert asked.answer_kind == "personne"
    forum, = units_of("Elle a coorganisé le forum citoyen tenu à Sept-Îles le 26 octobre 2013.", NORTH_SHORE_NOTE)
    assert missing_in(asked, forum)
    mayor, = units_of("Réjean Porlier, maire de Sept-Îles, a ouvert le forum.", NORTH_SHORE_NOTE)
    assert missing_in(asked, mayor) == []
    # « au nom de la ministre » names whom someone acts for, it asks no one.
    assert answer_kind("Où se trouve la direction qui reçoit les avis au nom de la ministre ?") == ""


def test_a_share_asked_in_dollars_is_an_amount_not_a_count_of_projects() -> None:
    question = "Quelle part de l'enveloppe territoriale la MRC de Témiscouata a-t-elle reçue en dollars ?"
    assert answer_kind(question) == "montant"
    assert not gives("montant", "MRC ou volet : Témiscouata — Projets soutenus : 4", question)
    assert gives("montant", "MRC ou volet : Témiscouata — Enveloppe : 512 000 $", question)


def test_a_section_number_counts_nothing() -> None:
    asked = read_constraints("Combien de conventions la CRÉ du Centre-du-Québec gère-t-elle ?")
    clause, = [unit for unit in units_of("5.6 Conventions et comptabilité. La CRÉ conclut une convention d'aide "
                                         "financière avec chaque organisme promoteur.", AGREEMENT)
               if "convention d'aide" in unit.text]
    assert "nombre de conventions" in missing_in(asked, clause)
    counted, = units_of("La CRÉ gère 33 conventions d'aide financière.", AGREEMENT)
    assert missing_in(asked, counted) == []


def test_a_figure_given_for_every_region_is_no_one_regions_though_another_clause_names_it() -> None:
    asked = read_constraints("Combien de personnes ont assisté à la séance de restitution en Côte-Nord ?")
    every, = units_of("Ces séances, auxquelles ont assisté entre 20 et 45 personnes selon la région, ont permis de "
                      "nuancer certaines interprétations, notamment sur le calendrier des appels en Côte-Nord.")
    assert any("toutes les régions" in missing for missing in missing_in(asked, every))
    own, = units_of("En Côte-Nord, la séance de restitution a réuni 32 personnes, selon la région.")
    assert not any("toutes les régions" in missing for missing in missing_in(asked, own))


def test_a_place_named_only_as_a_part_of_a_whole_does_not_own_the_whole_s_figure() -> None:
    asked = read_constraints("Combien de participants compte le groupe de cuisine collective de Lyster ?")
    whole, = units_of("Six groupes fonctionnent, dont deux à Lyster et à Inverness, pour 47 participantes et "
                      "participants réguliers.", AGREEMENT)
    assert "Lyster (le chiffre est celui d'un ensemble)" in missing_in(asked, whole)
    part, = units_of("Six groupes fonctionnent, dont un à Lyster de 9 participants.", AGREEMENT)
    assert missing_in(asked, part) == []
    registered, = units_of("Au début de février 2014, 380 ménages étaient inscrits à Sept-Îles, dont environ le quart "
                           "venaient de Uashat mak Mani-utenam.", NORTH_SHORE_NOTE)
    households = read_constraints("Combien de ménages sont inscrits aux Paniers nordiques à Mani-utenam ?")
    assert "Mani-utenam (le chiffre est celui d'un ensemble)" in missing_in(households, registered)
    share = read_constraints("Quelle part des inscrits venait de Uashat mak Mani-utenam ?")
    assert missing_in(share, registered) == []  # the part gives its own share


def test_a_total_does_not_answer_for_one_of_the_things_the_sentences_before_name() -> None:
    asked = read_constraints("Combien de personnes ont participé au groupe de discussion de Baie-Comeau du "
                             "6 février 2014 ?")
    *_, total = units_of("Onze groupes de discussion ont été tenus, dont un seul, à Baie-Comeau, le 6 février 2014. "
                         "Au total, 87 personnes y ont participé, de 5 à 11 par groupe.")
    assert any("celui d'un ensemble" in missing for missing in missing_in(asked, total))
    whole = read_constraints("Combien de personnes ont participé en tout aux groupes de discussion de 2014 ?")
    assert missing_in(whole, total) == []


def test_a_sentence_goes_on_in_the_year_of_the_sentence_before_not_the_note_s() -> None:
    asked = read_constraints("Combien de personnes ont participé au forum citoyen de Sept-Îles en 2014 ?")
    *_, workshop = units_of("J. a entendu parler de l'Alliance au forum citoyen du 26 octobre 2013, à Sept-Îles. Elle "
                            "a pris la parole devant une trentaine de personnes.", NORTH_SHORE_NOTE)
    assert "2014" in missing_in(asked, workshop)
    undated, = units_of("Elle a pris la parole au forum citoyen de Sept-Îles devant une trentaine de personnes.",
                        NORTH_SHORE_NOTE)
    assert "2014" not in missing_in(asked, undated)  # the note's date, when nothing nearer dates it


def test_a_deadline_does_not_date_what_was_done() -> None:
    asked = read_constraints("À quelle date la ministre a-t-elle accepté le rapport annuel de la CRÉ ?")
    deadline, = units_of("La CRÉ transmet à la ministre, au plus tard le 30 juin suivant chaque exercice, un rapport "
                         "annuel d'activités.", AGREEMENT)
    assert "résultat obtenu (pas une cible)" in missing_in(asked, deadline)
    done, = units_of("La ministre a accepté le rapport annuel de la CRÉ le 12 septembre 2013.", AGREEMENT)
    assert missing_in(asked, done) == []
    # A question about the deadline itself is answered by it.
    within = read_constraints("À quelle date la CRÉ a-t-elle transmis son rapport annuel, et était-ce dans le délai ?")
    assert "résultat obtenu (pas une cible)" not in missing_in(within, deadline)
    # A count beside a deadline still counts what was there to do.
    count = read_constraints("Combien de demandes le comité d'analyse avait-il à étudier au deuxième appel ?")
    examined, = units_of("Le comité d'analyse examinait les 27 demandes du deuxième appel, dont la date limite était "
                         "le 30 septembre 2013.", AGREEMENT)
    assert missing_in(count, examined) == []


def test_an_acronym_the_question_gives_spelled_out_is_no_organisation_it_asks_for() -> None:
    question = "Après l'abolition des CRÉ, quel organisme a repris la gestion des Alliances ?"
    assert not gives("nom", "Sigle : CRÉ — Signification : Conférence régionale des élus", question)
    assert gives("nom", "Les Alliances sont désormais gérées par la Table des préfets.", question)


def test_whom_a_person_signs_for_is_not_the_role_they_hold() -> None:
    asked = read_constraints("Comment s'appelait la ministre de l'Emploi et de la Solidarité sociale ?")
    signature, = units_of("Pour la ministre de l'Emploi et de la Solidarité sociale : (signé) Marie-Claude Lavoie, "
                          "sous-ministre adjointe", AGREEMENT)
    assert "nom de personne (ministre)" in missing_in(asked, signature)
    signed_for = read_constraints("Qui a signé l'entente pour la ministre ?")
    assert missing_in(signed_for, signature) == []


def test_a_name_the_unit_s_subject_carries_is_met_though_a_part_repeats_it() -> None:
    asked = read_constraints("Combien de ménages le comptoir alimentaire de Plessisville a-t-il servis en 2012-2013 ?")
    *_, served = units_of("Le comptoir alimentaire de Plessisville ouvre deux jours par semaine. En 2012-2013, le "
                          "comptoir a servi 412 ménages différents, dont un peu plus du tiers venaient de l'extérieur "
                          "de Plessisville.", AGREEMENT)
    assert missing_in(asked, served) == []
