# Design for Children course kit — the one command surface. `make help` lists the targets.
# Every target creates .venv on demand (python3 -m venv; pip install -e '.[test,hub]') and is quick once it exists.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
STUDENTS ?= 30
JOBS ?=

.DEFAULT_GOAL := help
.PHONY: help venv lab labextension demo assignments grade report bench test test-fast lint clean translations

help: ## list the targets
	@echo "Design for Children course kit"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo
	@echo "Quickstart: make demo, then make test, then make lab."

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,hub]'
	@# rfc3987-syntax (pulled in by jsonschema's format-nongpl extra) builds dozens of parsers at import
	@# and costs ~3 s on every nbgrader / JupyterLab start; nothing in the stack needs it (pip check stays clean).
	-$(PY) -m pip uninstall --quiet -y rfc3987-syntax
	@# the prebuilt Check & submit extension and its server side (an editable install skips shared data)
	$(PY) -m designkit.classroom.on_submit
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the kit with its test extras

LAB_ARGS ?=

lab: $(STAMP) ## open your working copy in JupyterLab (DESIGNKIT_HOME, default ~/design-for-children; not the checkout)
	$(PY) -m designkit.classroom lab -- $(LAB_ARGS)

labextension: $(STAMP) ## rebuild the Check & submit JupyterLab extension from labextension/src (needs node and npm)
	cd labextension && npm ci --no-audit --no-fund && npx tsc
	cd labextension && node node_modules/@jupyterlab/builder/lib/build-labextension.js \
		--core-path "$$($(abspath $(PY)) -c 'import jupyterlab, os; print(os.path.dirname(jupyterlab.__file__))')/staging" .

demo: $(STAMP) ## the whole instructor flow on a simulated class, offline; prints grades and the report path
	$(PY) -m designkit.classroom demo --students $(STUDENTS) $(if $(JOBS),--jobs $(JOBS))

assignments: $(STAMP) ## regenerate the student versions in assignments/ from source/ (nbgrader generate_assignment)
	$(PY) -m designkit.classroom assignments

grade: $(STAMP) ## collect from the exchange, then autograde every submission in submitted/ (sandboxed, parallel)
	$(PY) -m designkit.classroom grade $(if $(JOBS),--jobs $(JOBS))

report: $(STAMP) ## export grades.csv and write the class report
	$(PY) -m designkit.classroom export
	$(PY) -m designkit.classroom report

translations: $(STAMP) ## refresh translations/ and the .po files, generate the Chinese files, count what is left (CHECK=1: write nothing, fail if anything is left)
	$(PY) -m designkit.i18n build $(if $(CHECK),--check)

bench: $(STAMP) ## measure grading speed, latency and memory; writes docs/benchmarks.md
	$(PY) benchmarks/run.py

test: $(STAMP) ## run the whole test suite (unit, notebooks, assignments, pipeline, sandbox, browser, hub)
	$(PY) -m pytest tests $(PYTEST_ARGS)

# unit tests only: no nbgrader batch, notebook run, browser or hub (those are marked slow/browser/hub or live in
# the other files); under a minute on 2 cores
FAST_TESTS := tests/test_checks.py tests/test_data.py $(wildcard tests/test_framing_*.py) tests/test_plots.py \
	tests/test_widgets.py tests/test_grading_flow.py

test-fast: $(STAMP) ## unit tests only, under a minute (the pipeline, notebooks, browser and hub run in `make test`)
	$(PY) -m pytest $(FAST_TESTS) -m "not slow and not browser and not hub" -q $(PYTEST_ARGS)

lint: $(STAMP) ## ruff over the package and the tests
	$(VENV)/bin/ruff check designkit tests benchmarks deploy nbgrader_config.py

clean: ## remove generated grading state, caches and screenshots (keeps .venv, source/ and assignments/)
	rm -rf submitted autograded feedback release exchange gradebook.db gradebook.db-* backups grades.csv grading-status.json .grading.lock reports demo screenshots .bench .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
