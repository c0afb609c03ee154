# The two commands of the README:
#   make demo      set up, then run the main job on the embedded defaults
#   make test      set up, then run the test suite (all but the slow accuracy sweeps; ~5 min)
#   make test-all  everything, the slow accuracy checks against plain faster-whisper too (CI)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORE   := $(VENV)/.core-installed
TESTED := $(VENV)/.test-installed

.PHONY: demo test test-all bench clean

# the core install: everything `make demo` and the embedded defaults need (no torch)
$(CORE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(CORE)

# the tests also exercise the diffusion and vlm engines (tiny random models): the extras with
# torch 2.13.0 on CPU, which pip takes from this machine's wheel store; Ray (transcribe --ray; serve --ray on Ray Serve); and
# the neighbouring jobs: tts (Piper: GPL-3.0-or-later, an extra for that reason), ocr, translate;
# diarize (speakers by voice)
$(TESTED): $(CORE)
	$(BIN)/python -m pip install --quiet -e '.[test,diffusion,vlm,ctc,ray,tts,ocr,translate,diarize,moonshine]'
	touch $(TESTED)

demo: $(CORE)
	$(BIN)/seespeech demo --output-dir out

# two test processes (pytest-xdist), a file each at a time: much of a test's time is waiting
# (servers starting, a browser, uploads), so two share the two cores well
test: $(TESTED)
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-all: $(TESTED)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "slow or not slow"

bench: $(TESTED)
	$(BIN)/python bench/overhead.py
	$(BIN)/python bench/longform.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/imagine.py

clean:
	rm -rf $(VENV) out .pytest_cache
