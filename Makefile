# The course's tasks. Two commands matter to learners: `make lab` and `make test`.
# Each task runs `python tasks.py TASK`: the same entry point that Windows users (no make) run
# directly, standard library only. It creates $(VENV) on first use and installs the pinned
# requirements-lock.txt into it, showing pip's progress.

SHELL := /bin/bash
# The first Python 3.11-3.13 found on PATH (override: make test PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
	&& echo $$p && break; done)
# With none of them (say only Python 3.14), tasks.py runs on python3 and says which Python to install.
BOOT := $(or $(PYTHON),$(shell command -v python3 || command -v python || echo python3))
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPARK_STAMP := $(VENV)/.spark-stamp
# The Spark engine is an optional extra. CI sets CS_HELPERS_REQUIRE_SPARK=1, which installs it and
# makes a missing Spark fail the tests instead of skipping them; `make test SPARK=1` does the same
# install without the requirement.
SPARK ?= $(CS_HELPERS_REQUIRE_SPARK)
TASKS = $(BOOT) tasks.py --venv $(VENV) $(if $(filter 1,$(SPARK)),--spark)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install install-spark lab lab-ja test lint unit warehouse notebooks-test data lock notebooks notebooks-ja translations exercises site slides bench report clean

help:  ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements-lock.txt pyproject.toml
	@$(BOOT) tasks.py --venv $(VENV) install

install: $(STAMP)  ## Create .venv and install the pinned environment (python tasks.py install)

$(SPARK_STAMP): requirements-spark.txt $(STAMP)
	@$(BOOT) tasks.py --venv $(VENV) --spark install

install-spark: $(SPARK_STAMP)  ## Add the optional Spark engine (pyspark; needs Java 17+)

lab:  ## Open JupyterLab on notebooks/00_start_here.ipynb, serving the whole course folder
	@$(TASKS) lab

# The Japanese edition has its own target rather than `make lab LANG=ja`: LANG is the system
# locale variable every shell already sets (LANG=ja_JP.UTF-8 on a Japanese system).

lab-ja:  ## 日本語版: open notebooks/ja/00_start_here.ipynb, with JupyterLab's menus in Japanese
	@$(TASKS) lab-ja

test:  ## Everything CI runs: ruff, unit tests and doctests (on a throwaway PostgreSQL too), notebooks
	@$(TASKS) test

lint:  ## ruff over the package, tests, notebooks and solutions
	@$(TASKS) lint

unit:  ## Unit tests and doctests (Spark and browser tests skip, with their reason, when missing)
	@$(TASKS) unit

warehouse:  ## Only the PostgreSQL tests, on a throwaway server started and stopped for them
	@$(TASKS) warehouse

notebooks-test:  ## Re-run every committed notebook and compare outputs (nbval)
	@$(TASKS) notebooks-test

notebooks:  ## Re-execute every lesson and solution in place (after an intended change), then notebooks-ja; commit
	@$(TASKS) notebooks

notebooks-ja:  ## Build notebooks/ja/ and exercises/solutions/ja/ from translations/ja/, execute and clean them (STEMS="03_kpi_churn solutions/03_kpi_churn ..." for some)
	@$(TASKS) notebooks-ja $(STEMS)

translations:  ## Where each Japanese translation stands: cells translated, untranslated, stale (fails if stale)
	@$(TASKS) translations

exercises:  ## Update the student copies in exercises/ and exercises/ja/ from exercises/solutions/ and exercises/solutions/ja/ (keeps your answers)
	@$(TASKS) exercises

site:  ## Render the executed notebooks to a static site in _site/ (offline reading, projecting)
	@$(TASKS) site

slides:  ## Render each core notebook as a reveal.js slide deck in _slides/
	@$(TASKS) slides

BENCH_SIZES ?= 1000000 10000000 50000000
bench: $(SPARK_STAMP)  ## Time the KPIs on pandas, DuckDB and Spark at 1, 10, 50 million customers (see docs/performance.md)
	$(BIN)/python benchmarks/bench_kpis.py --customers 10000000
	$(BIN)/python benchmarks/bench_engines.py --sizes $(BENCH_SIZES)

# The report (notebook A2 run by papermill) on a file (DATA, which may contain spaces: it is passed
# quoted and read from this folder) or on a database table (CONNECTION and TABLE: the counting runs
# in the database; a password in CONNECTION is masked in the report and the executed notebook, and
# this line is not echoed). SHOW_CODE=1 keeps the code in the HTML (ARGS="-p show_code True").
# A table that breaks a rule stops papermill with the DataError message and a non-zero exit, and
# leaves no HTML behind (an older report.html is removed first, so it cannot be mistaken for it).
REPORT_DIR ?= reports
report: $(STAMP)  ## KPI report: make report DATA="my data.csv" (or CONNECTION="postgresql://..." TABLE=subs) ARGS="-p id_col 'Customer ID' ..."
	@$(BIN)/python -m cs_helpers.report make --out-dir "$(REPORT_DIR)" --cwd "$(CURDIR)" \
		$(if $(DATA),--data "$(DATA)") $(if $(CONNECTION),--connection "$(CONNECTION)") \
		$(if $(TABLE),--table "$(TABLE)") $(if $(filter 1 true True yes,$(SHOW_CODE)),--show-code) $(ARGS)

data:  ## Rebuild the simulated datasets in data/
	@$(TASKS) data

lock:  ## Re-pin requirements-lock.txt from pyproject.toml (needs uv): one version per package on 3.11-3.13
	uv pip compile --universal --fork-strategy fewest --python-version 3.11 pyproject.toml \
		--extra dev --extra postgres -o requirements-lock.txt --no-header
	echo "pyspark>=3.5" | uv pip compile --universal --fork-strategy fewest --python-version 3.11 \
		- -c requirements-lock.txt -o requirements-spark.txt --no-header

clean:  ## Remove the virtual environment and build leftovers (never your notebooks)
	rm -rf $(VENV) _site _slides .pytest_cache build/student-copies
