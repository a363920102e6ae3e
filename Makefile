# Two commands are all the set-up there is: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench accuracy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/yuelan

test: $(STAMP)
	$(BIN)/ruff check --no-cache .
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check --no-cache .

# `make bench BENCH_SIZES=100000` for the 100k-report run (~320 M characters; most of an hour on 2 cores)
BENCH_SIZES ?= 1000,10000
bench: $(STAMP)
	$(BIN)/python -m tools.bench --sizes $(BENCH_SIZES) --lookups

accuracy: $(STAMP)
	$(BIN)/python -m tools.accuracy

clean:
	rm -rf $(VENV) build *.egg-info
