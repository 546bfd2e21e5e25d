# csworkbench — the two commands (两条命令): `make reports` and `make test`.
#
# Needs only GNU make, python3 (>= 3.11) and pip.  Every target that runs project code
# depends on the virtual environment stamp $(STAMP): the first run creates .venv with
# `python3 -m venv` and installs the project editable with its dev extras; later runs
# reuse it and reinstall only when pyproject.toml is newer than the stamp *and* the
# installed packages no longer satisfy it (see .ci/venv_ok.py).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
# Extra pytest options, e.g. `make test PYTEST_ARGS="-k plots -x"`.
PYTEST_ARGS ?=
NOTEBOOKS = $(shell find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null | sort)

.PHONY: help venv browser lint test reports lab bench lessons book sync strip clean distclean

help:  ## show this help
	@echo "csworkbench — customer-satisfaction research workbench (顾客满意研究工作台)"
	@echo
	@echo "Main commands (each builds .venv on first use):"
	@echo "  make reports   run the report notebooks in reports/reports.yml → reports/<run>/index.html"
	@echo "  make test      lint (ruff, mypy), then the whole test suite (pytest -n $(JOBS))"
	@echo
	@echo "More:"
	@echo "  make lint      ruff check, ruff format --check, mypy"
	@echo "  make lab       open JupyterLab on notebooks/"
	@echo "  make bench     run every bench/bench_*.py → one table in bench/RESULTS.md (BENCH_QUICK=1: minutes)"
	@echo "  make book      the course book: Sphinx + myst-nb executes every lesson → book/_build/html/index.html"
	@echo "  make lessons   the lessons run as batch pages (csw lessons) → reports/book/"
	@echo "  make sync      jupytext --sync every notebook with its paired .py"
	@echo "  make strip     strip outputs and execution counts from every notebook"
	@echo "  make venv      only create/update .venv"
	@echo "  make clean     remove caches and generated reports (keeps .venv)"
	@echo "  make distclean clean, and remove .venv too"

venv: $(STAMP)  ## create or update .venv

# Create the venv when missing; install when the installed packages do not satisfy
# pyproject.toml (fresh venv, new dependency, raised lower bound).  An existing venv that
# already satisfies it (e.g. built by hand) is adopted: only the stamp is touched.
$(STAMP): pyproject.toml
	@if [ ! -x "$(BIN)/python" ]; then \
	    echo ">> creating $(VENV) with $(PYTHON) -m venv"; \
	    $(PYTHON) -m venv "$(VENV)"; \
	fi
	@if "$(BIN)/python" .ci/venv_ok.py; then \
	    echo ">> $(VENV) already satisfies pyproject.toml; not reinstalling"; \
	else \
	    echo ">> installing csworkbench[dev] into $(VENV) (first run takes a few minutes)"; \
	    "$(BIN)/python" -m pip install --upgrade pip && \
	    "$(BIN)/python" -m pip install -e '.[dev]' && \
	    "$(BIN)/python" .ci/venv_ok.py --verbose; \
	fi
	@touch "$(STAMP)"

# pytest exits 5 when it collects no test; tests/test_environment.py always exists, so
# an empty run cannot happen silently, and any failure makes `make test` fail.
# The report test renders a page in headless Chromium (Debian package).  As root with apt-get
# (CI, a fresh machine) it is installed once; elsewhere that one test skips and says why.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo ">> installing Debian's chromium for the report rendering test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	        || echo ">> chromium could not be installed: the browser test will be skipped"; \
	fi

lint: $(STAMP)  ## ruff (lint + format check) and mypy over the package's signatures
	"$(BIN)/ruff" check csworkbench tests bench notebooks book
	"$(BIN)/ruff" format --check csworkbench tests bench book
	"$(BIN)/mypy"

test: $(STAMP) browser lint  ## lint, then run the whole test suite
	MPLBACKEND=Agg "$(BIN)/python" -m pytest -n $(JOBS) $(PYTEST_ARGS)

reports: $(STAMP)  ## execute the report notebooks and write reports/<run>/
	"$(BIN)/csw" report reports/reports.yml

lessons: $(STAMP)  ## build the lesson notebooks
	"$(BIN)/csw" lessons

book: $(STAMP)  ## build the course book (Sphinx + myst-nb + sphinx-book-theme), offline
	MPLBACKEND=Agg "$(BIN)/python" book/build.py

lab: $(STAMP)  ## JupyterLab on notebooks/ (csw lab: --allow-root only as root, paired .py hidden)
	"$(BIN)/csw" lab

bench: $(STAMP)  ## run every benchmark script (fresh process each) and rewrite bench/RESULTS.md
	MPLBACKEND=Agg "$(BIN)/python" bench/run_all.py $(if $(filter-out 0,$(BENCH_QUICK)),--quick) \
	    $(if $(BENCH_ONLY),--only $(BENCH_ONLY))

sync: $(STAMP)  ## pair every notebook with its py:percent file
	@if [ -n "$(NOTEBOOKS)" ]; then "$(BIN)/jupytext" --sync $(NOTEBOOKS); else echo "no notebooks"; fi

strip: $(STAMP)  ## remove outputs and execution counts (keeps cell tags)
	@if [ -n "$(NOTEBOOKS)" ]; then \
	    "$(BIN)/jupyter" nbconvert --log-level=WARN --clear-output --inplace $(NOTEBOOKS); \
	else echo "no notebooks"; fi

clean:  ## remove caches and generated output (keeps .venv, reports/README.md, reports/reports.yml)
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) -print0 \
	    | xargs -0 rm -rf
	rm -rf .pytest_cache .hypothesis bench/_work build dist
	find reports -mindepth 1 -maxdepth 1 ! -name README.md ! -name reports.yml -exec rm -rf {} +

distclean: clean  ## also remove the virtual environment
	rm -rf "$(VENV)" *.egg-info
