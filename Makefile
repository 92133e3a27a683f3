# Two commands on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= reports

.PHONY: demo test lint typecheck bench clean help

help:
	@echo "make demo   - create $(VENV), install the grader, grade transcripts/ into $(OUT)/ (JSON, HTML, Markdown)"
	@echo "make test   - create $(VENV) with the dev extras, run ruff and the whole pytest suite"
	@echo "make bench  - run the benchmarks in benchmarks/ (needs ../shared)"
	@echo "make clean  - remove $(VENV), $(OUT)/ and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/grader grade transcripts/ --out $(OUT) --format json,html,md
	@echo "open $(OUT)/index.html"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check grader web reference_solutions tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy grader

test: $(VENV)/.installed-dev lint
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_seeds.py
	$(BIN)/python benchmarks/bench_claims.py
	$(BIN)/python benchmarks/bench_mathverify.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .mypy_cache .hypothesis
