# Two commands on a fresh machine with python3 and make: `make run`, `make test`.
# uv comes from PATH, else it is bootstrapped into .tools/ with pip.

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
DATA_DIR ?= data
BENCH_DATA ?= ../shared/bench/extraction
DATASETS ?= ../shared/datasets

.PHONY: install browser postgresql run test lint format bench-extraction bench-fidelity bench-models train clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --locked

run: install
	$(UV) run psynews run --data-dir $(DATA_DIR)

# The dashboard's browser test needs Chromium (Debian's package).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "Installing Chromium for the dashboard's browser test"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The distributed test starts a PostgreSQL server (DuckLake's catalogue) with initdb and pg_ctl: Debian's package.
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || \
	  { echo "Installing PostgreSQL for the distributed test"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

test: install browser postgresql
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run pytest

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: install
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench-extraction: install
	$(UV) run python bench/extraction.py $(BENCH_DATA)

bench-fidelity: install
	$(UV) run python bench/fidelity.py

# Refit the shipped analysis models (flows/analyse/models/) from the public data sets.
train: install
	PSYNEWS_DATASETS=$(DATASETS) $(UV) run python bench/train.py

bench-models: install
	PSYNEWS_DATASETS=$(DATASETS) $(UV) run python bench/models.py

clean:
	rm -rf .tools .venv .pytest_cache .ruff_cache
