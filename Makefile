# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DBT_SEND_ANONYMOUS_USAGE_STATS ?= false
export FASTMCP_SHOW_SERVER_BANNER ?= false
export FASTMCP_CHECK_FOR_UPDATES ?= off

.PHONY: install demo test ui lint format clean

# --compile-bytecode: uv installs without .pyc files (pip compiles them), and where PYTHONDONTWRITEBYTECODE is set
# every process would then compile Dagster, dbt and pandas from source at each start, about 3.5 s per process.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip uv >/dev/null
	@$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -e '.[dev]' || $(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/coaching demo

test: $(STAMP)
	$(BIN)/python -m pytest

ui: $(STAMP)
	$(BIN)/python -m coaching_sandbox ui

# sqlfluff's dbt templater compiles the models against a warehouse: TEST_DATABASE_URL or DATABASE_URL when
# set (CI), else the jinja templater with postgres stand-ins for the project macros (no database needed).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@url="$${TEST_DATABASE_URL:-$$DATABASE_URL}"; \
	if [ -n "$$url" ]; then \
		eval "$$(DATABASE_URL="$$url" $(BIN)/python -m coaching_pipeline.warehouse.dbt_env)" && \
		echo "sqlfluff lint dbt_project/models (dbt templater)" && $(BIN)/sqlfluff lint dbt_project/models; \
	else \
		echo "sqlfluff lint dbt_project/models (jinja templater: no TEST_DATABASE_URL or DATABASE_URL)" && \
		$(BIN)/sqlfluff lint dbt_project/models --templater jinja; \
	fi

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs
