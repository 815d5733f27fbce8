# Two commands on a fresh machine with python3 and make: `make run`, `make test`.
# uv comes from PATH, else it is bootstrapped into .tools/ with pip.

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
DATA_DIR ?= data
BENCH_DATA ?= ../shared/bench/extraction

.PHONY: install run test lint format bench-extraction clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --locked

run: install
	$(UV) run psynews run --data-dir $(DATA_DIR)

test: install
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

clean:
	rm -rf .tools .venv .pytest_cache .ruff_cache
