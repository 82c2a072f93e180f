# Two commands set Regimen up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean translations

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/regimen dev

lint: $(STAMP)
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy service

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var

# The catalogs of what clients read: extract the words, update each language's .po, compile
# the .mo files (committed; tests/unit/test_catalogs.py checks they match their .po)
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k n_:1,2 --no-location \
		--sort-output --omit-header -o service/reminders/locales/messages.pot .
	$(BIN)/pybabel update -i service/reminders/locales/messages.pot \
		-d service/reminders/locales --no-fuzzy-matching --width 100
	$(BIN)/pybabel compile -d service/reminders/locales --statistics
