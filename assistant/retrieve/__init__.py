"""Retrieve stage: find the passages that answer a question, as a LangChain retriever."""
