# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export PICCOLO_CONF := boerse.piccolo_conf
# uv uses the machine's own Python (3.11 or 3.12) and never downloads one.
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
export UV_PYTHON_DOWNLOADS := never

# Coverage is measured on every run; CI adds the gate (--cov-fail-under).
PYTEST_ARGS ?= --cov --cov-report=term

.PHONY: run test test-postgres install assets translations lint format chromium clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.synced assets translations

assets: node_modules/.installed

translations: $(VENV)/.synced
	@for po in boerse/locale/*/LC_MESSAGES/messages.po; do \
	  if [ -f "$$po" ]; then $(BIN)/pybabel -q compile -i "$$po" -o "$${po%.po}.mo" || exit 1; fi; \
	done

run: install
	BOERSE_DEV=1 $(BIN)/boerse run

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

test: install chromium
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install chromium
	DATABASE_URL=$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/boerse_test} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/9} $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.synced
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.synced
	$(BIN)/pybabel extract -F babel.cfg -o boerse/locale/messages.pot --no-location --sort-output \
	  --ignore-dirs='.* node_modules' .
	$(BIN)/pybabel update -i boerse/locale/messages.pot -d boerse/locale --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var
