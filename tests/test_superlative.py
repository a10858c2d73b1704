"""A superlative question over a table (« le taux le plus élevé ») reads every row of the table: the search brings back
some of its rows, the service adds the others of the same table before the answer step picks the extreme one. Fast:
a stand-in store, no index."""

from __future__ import annotations

from assistant.answer.constraints import superlative_asked
from assistant.models import DocumentInfo, Passage, SearchFilters, Source
from assistant.service import Assistant
from assistant.settings import Settings

PORTRAIT = DocumentInfo("autres/portrait.pdf", "Portrait – Côte-Nord", doc_type="portrait", regions=("Côte-Nord",))
OTHER = DocumentInfo("autres/autre.pdf", "Autre portrait", doc_type="portrait", regions=("Mauricie",))


def row(number: int, name: str, rate: str, info: DocumentInfo = PORTRAIT, first: str = "Territoire de MRC") -> Passage:
    prefix = "p" if info is PORTRAIT else "o"
    return Passage(f"{prefix}-t{number:04d}", f"{name} {rate}", info, 2, "2", 0, 20,
                   context=f"{first} : {name} — Taux de faible revenu : {rate}")


class RowStore:
    """The part of ``PassageStore`` the service reads here: passages by id."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = {passage.id: passage for passage in passages}

    def get(self, ids: list[str]) -> dict[str, Passage]:
        return {pid: self.passages[pid] for pid in ids if pid in self.passages}


def test_superlatives_are_read_in_french_and_english() -> None:
    assert superlative_asked("Quel territoire a le taux le plus élevé ?") == 1
    assert superlative_asked("Quelle région avait la plus petite enveloppe ?") == -1
    assert superlative_asked("Which RCM has the lowest rate?") == -1
    assert superlative_asked("Quel taux la MRC de Minganie a-t-elle ?") == 0


def test_a_superlative_question_reads_the_other_rows_of_the_table_found_and_no_other_table(tmp_path) -> None:
    rows = [row(1, "La Haute-Côte-Nord", "15,8 %"), row(2, "Manicouagan", "11,4 %"),
            row(3, "Le Golfe-du-Saint-Laurent", "19,7 %"), row(4, "Notes", "n.d.", first="Source")]
    other = row(2, "Shawinigan", "16,0 %", OTHER)
    assistant = Assistant(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index"))
    assistant.__dict__["store"] = RowStore(rows + [other])
    found = assistant._whole_tables([Source(1, rows[1])], None, None)
    assert [source.passage.id for source in found] == ["p-t0002", "p-t0001", "p-t0003"]
    assert [source.number for source in found] == [1, 2, 3]
    # A filter that refuses the document's passages keeps them out.
    refused = assistant._whole_tables([Source(1, rows[1])], SearchFilters(regions=("Mauricie",)), None)
    assert [source.passage.id for source in refused] == ["p-t0002"]
