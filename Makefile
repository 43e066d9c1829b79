# The course's tasks. Two commands matter to learners: `make lab` and `make test`.
# Everything runs inside .venv, created on first use from the pinned requirements-lock.txt.

SHELL := /bin/bash
# The first Python 3.11-3.13 found on PATH (override: make test PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPARK_STAMP := $(VENV)/.spark-stamp
# The Spark engine is an optional extra. CI sets CS_HELPERS_REQUIRE_SPARK=1, which installs it and
# makes a missing Spark fail the tests instead of skipping them; `make test SPARK=1` does the same
# install without the requirement.
SPARK ?= $(CS_HELPERS_REQUIRE_SPARK)
TEST_DEPS := $(STAMP) $(if $(filter 1,$(SPARK)),$(SPARK_STAMP))
NB_SANITIZE := --nbval-sanitize-with tests/nbval_sanitize.cfg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install install-spark lab test lint unit notebooks-test data lock notebooks exercises site slides bench report clean

help:  ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements-lock.txt pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11, 3.12 or 3.13 is needed (python3 --version); install one and retry." >&2; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)  ## Create .venv and install the pinned environment

$(SPARK_STAMP): requirements-spark.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	@touch $(SPARK_STAMP)

install-spark: $(SPARK_STAMP)  ## Add the optional Spark engine (pyspark; needs Java 17+)

lab: $(STAMP)  ## Open JupyterLab on the first notebook
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_start_here.ipynb

lint: $(STAMP)  ## ruff over the package, tests and notebooks
	$(BIN)/ruff check cs_helpers tests $(wildcard notebooks exercises)

unit: $(TEST_DEPS)  ## Unit tests and doctests (Spark tests skip unless pyspark and Java are there)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q tests cs_helpers

notebooks-test: $(STAMP)  ## Re-run every committed notebook and compare outputs (nbval)
	$(BIN)/python -m pytest -q --nbval $(NB_SANITIZE) notebooks $(wildcard exercises/solutions/*.ipynb)
	$(if $(wildcard exercises/*.ipynb),$(BIN)/python -m pytest -q --nbval-lax exercises/*.ipynb)

test: lint unit notebooks-test  ## Everything CI runs: ruff, unit tests, notebooks

notebooks: $(STAMP)  ## Re-execute every notebook in place (after an intended change), then commit
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=600 \
		--ExecutePreprocessor.kernel_name=python3 notebooks/*.ipynb $(wildcard exercises/solutions/*.ipynb)

exercises: $(STAMP)  ## Regenerate the student copies in exercises/ from exercises/solutions/
	$(BIN)/python -m cs_helpers.exercises build

site: $(STAMP)  ## Render the executed notebooks to a static site in _site/ (offline reading, projecting)
	$(BIN)/python -m cs_helpers.site site --out _site

slides: $(STAMP)  ## Render each core notebook as a reveal.js slide deck in _slides/
	$(BIN)/python -m cs_helpers.site slides --out _slides

BENCH_SIZES ?= 1000000 10000000 50000000
bench: $(SPARK_STAMP)  ## Time the KPIs on pandas, DuckDB and Spark at 1, 10, 50 million customers (see docs/performance.md)
	$(BIN)/python benchmarks/bench_kpis.py --customers 10000000
	$(BIN)/python benchmarks/bench_engines.py --sizes $(BENCH_SIZES)

# The report (notebook A2 run by papermill): DATA may contain spaces (it is passed quoted and read
# from this folder); SHOW_CODE=1 keeps the code in the HTML (same as ARGS="-p show_code True").
# A table that breaks a rule stops papermill with the DataError message and a non-zero exit, and
# leaves no HTML behind (an older report.html is removed first, so it cannot be mistaken for it).
REPORT_DIR ?= reports
report: $(STAMP)  ## KPI report on your table: make report DATA="my data.csv" ARGS="-p id_col 'Customer ID' ..."
	@if [ -z "$(DATA)" ]; then echo "Usage: make report DATA=path/to/table.csv [ARGS=\"-p name value ...\"] [SHOW_CODE=1]" >&2; exit 2; fi
	@mkdir -p "$(REPORT_DIR)"
	@rm -f "$(REPORT_DIR)/report.html"
	$(BIN)/python -m cs_helpers.report run notebooks/A2_your_own_data.ipynb "$(REPORT_DIR)/report.ipynb" --cwd "$(CURDIR)" \
		-p data_path "$(DATA)" $(if $(filter 1 true True yes,$(SHOW_CODE)),-p show_code True) $(ARGS)
	$(BIN)/python -m cs_helpers.report html "$(REPORT_DIR)/report.ipynb"

data: $(STAMP)  ## Rebuild the simulated datasets in data/
	$(BIN)/python -m cs_helpers.simulate --out data

lock:  ## Re-pin requirements-lock.txt from pyproject.toml (needs uv)
	uv pip compile --universal --fork-strategy fewest --python-version 3.11 pyproject.toml \
		--extra dev -o requirements-lock.txt --no-header
	echo "pyspark>=3.5" | uv pip compile --universal --fork-strategy fewest --python-version 3.11 \
		- -c requirements-lock.txt -o requirements-spark.txt --no-header

clean:  ## Remove the virtual environment and build leftovers
	rm -rf $(VENV) _site _slides .pytest_cache
