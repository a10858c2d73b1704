"""Ingest stage: read files of the corpus into documents with metadata, then cut them into passages."""
