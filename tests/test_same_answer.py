"""The same question gets the same answer in every process (session 14).

The embedded Chroma rebuilds in each process, from its log, the part of its HNSW graph it has not written yet (up to
1,000 passages), and not the same way each time: with Chroma's default search breadth (100), two processes found
different nearest passages for one vector, and a question's answer changed after a restart. The buffers are
searched wide enough (``SEARCH_EF``) that a sample-sized index is searched exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from assistant.index.chroma_buffers import VectorBuffer, chroma_client
from assistant.settings import ChromaSettings

PASSAGES, DIMENSIONS, NEAREST = 800, 48, 100


def _vectors(seed: int, count: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, DIMENSIONS))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _filled(folder: Path) -> None:
    buffer = VectorBuffer(chroma_client(ChromaSettings(), folder), "passages")
    buffer.reset("test", {})
    ids = [f"p{i:04d}" for i in range(PASSAGES)]
    buffer.add(ids, ids, [{"n": i} for i in range(PASSAGES)], _vectors(0, PASSAGES).tolist(), "test")
    buffer.close()


# Read in a fresh process, as a restarted chat reads the index: the graph's unwritten part is rebuilt there.
_READ = """
import json, sys
from pathlib import Path
import numpy as np
from assistant.index.chroma_buffers import VectorBuffer, chroma_client
from assistant.settings import ChromaSettings
buffer = VectorBuffer(chroma_client(ChromaSettings(), Path(sys.argv[1])), "passages")
queries = json.loads(sys.argv[2])
found = buffer.collection.query(query_embeddings=queries, n_results=int(sys.argv[3]), include=[])["ids"]
print(json.dumps(found))
"""


def test_nearest_passages_are_the_exact_ones_in_every_process(tmp_path: Path) -> None:
    import json

    _filled(tmp_path)
    queries = _vectors(1, 5)
    stored = _vectors(0, PASSAGES)
    exact = [[f"p{i:04d}" for i in np.argsort(-(stored @ query), kind="stable")[:NEAREST]] for query in queries]
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", _READ, str(tmp_path), json.dumps(queries.tolist()),
                                 str(NEAREST)], capture_output=True, text=True, check=True)
        assert json.loads(result.stdout.strip().splitlines()[-1]) == exact


_SHARE = """
import sys
from pathlib import Path
from assistant.index.lexical import LexicalIndex
index = LexicalIndex(Path(sys.argv[1]))
print(repr(index.matched_share(sys.argv[2], ["d0", "d1", "d2", "d3"])))
"""


def test_matched_share_is_the_same_under_every_hash_seed(tmp_path: Path) -> None:
    """BM25's weight in the fusion comes from this share, summed over the question's terms: summed in a set's
    order, its last bits changed with the process's hash seed."""
    import os

    from assistant.index.lexical import LexicalIndex

    texts = ["Les promoteurs des projets de solidarité en Mauricie et en Estrie",
             "Le recensement des organisations dans les six régions du Québec en 2014",
             "Une équipe de recherche a dénombré les projets financés par les Alliances",
             "Le comité régional adopte son plan d'action et sa reddition de comptes"]
    LexicalIndex(tmp_path).rebuild([f"d{i}" for i in range(4)], texts, [{} for _ in texts], 1)
    question = ("Combien de promoteurs distincts le recensement de l'équipe de recherche a-t-il dénombrés dans les "
                "six régions, projets financés, comité régional, plan d'action, reddition de comptes, Mauricie ?")
    shares = {subprocess.run([sys.executable, "-c", _SHARE, str(tmp_path), question], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip()
              for seed in range(8)}
    assert len(shares) == 1
