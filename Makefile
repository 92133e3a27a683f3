# Two commands on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= reports

.PHONY: demo test lint typecheck bench sysdeps browser screenshots clean help

help:
	@echo "make demo   - create $(VENV), install the grader, grade transcripts/ into $(OUT)/ (JSON, HTML, Markdown)"
	@echo "make test   - create $(VENV) with the dev extras, run ruff, mypy and the whole pytest suite"
	@echo "make bench  - run the benchmarks in benchmarks/ (needs ../shared)"
	@echo "make screenshots - PNGs at 1,400 px (login, report, dashboard...) in screenshots/; fails on horizontal overflow"
	@echo "make sysdeps - install Debian's chromium, chromium-driver and tesseract-ocr for the browser and OCR tests (root only)"
	@echo "make clean  - remove $(VENV), $(OUT)/ and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,pdf]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/grader grade transcripts/ --out $(OUT) --format json,html,md
	@echo "open $(OUT)/index.html"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check grader web reference_solutions tests benchmarks scripts
	$(BIN)/ruff format --check grader web reference_solutions tests benchmarks scripts

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy grader web reference_solutions

# System tools some tests use, installed where the platform allows (root with apt-get): Debian's
# chromium + chromium-driver for the browser test, tesseract-ocr for image-only PDF pages. Where they
# cannot be installed, those tests skip with a message.
sysdeps:
	@if [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1; then \
	  echo "chromium, chromedriver and tesseract present"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver tesseract-ocr >/dev/null) \
	    || echo "could not install chromium/tesseract: the browser and OCR tests will skip"; \
	else echo "not root or no apt-get: the browser and OCR tests will skip"; fi

browser: sysdeps

test: $(VENV)/.installed-dev lint typecheck sysdeps
	$(BIN)/python -m pytest -q

screenshots: $(VENV)/.installed-dev sysdeps
	$(BIN)/python scripts/screenshots.py screenshots

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_seeds.py
	$(BIN)/python benchmarks/bench_claims.py
	$(BIN)/python benchmarks/bench_mathverify.py
	$(BIN)/python benchmarks/bench_equivalence.py
	$(BIN)/python benchmarks/bench_detection.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .mypy_cache .hypothesis
