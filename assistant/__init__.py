"""Solidarité RAG: a French chat assistant over the Alliances pour la solidarité research corpus."""

import os

# Everything runs offline: no library may reach a model hub or send telemetry.
for _variable, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
}.items():
    os.environ.setdefault(_variable, _value)
