"""Answer stage: write a short cited answer from the retrieved passages with a chat model."""
