# khabar — the two commands of a new user:
#   make run    set up .venv, ingest the shipped demo corpus, print what it holds
#   make test   set up .venv, run ruff, mypy and the test suite
# Only Python 3.11+ (python3 -m venv, pip) is needed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db
PYTEST_ARGS ?=

.PHONY: run test quick lint install clean demo-corpus bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "khabar needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@# exit code 1 only says some demo inputs were rejected: the corpus ships broken files on purpose
	$(BIN)/khabar --db $(DEMO_DB) ingest demo/corpus --meta demo/corpus/meta.jsonl; test $$? -le 1
	$(BIN)/khabar --db $(DEMO_DB) stats --format text
	COLUMNS=120 $(BIN)/khabar --db $(DEMO_DB) entities --limit 15 --format table
	COLUMNS=120 $(BIN)/khabar --db $(DEMO_DB) stories --format text

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests bench train demo)
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Day-to-day: skip slow and browser tests.
quick: lint
	$(BIN)/python -m pytest -m 'not slow and not browser' $(PYTEST_ARGS)

demo-corpus: | $(BIN)/python
	$(BIN)/python demo/build.py

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB)*
