"""Index stage: embed passages and keep them in a persistent Chroma collection."""
