"""Web stage: the Gradio chat, a thin shell over the ``Assistant`` service."""
