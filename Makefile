# Everything runs from a virtualenv built from the pinned lock, so a fresh machine with python3 and
# make gets exactly what CI tested.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml Makefile | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: install run test lint typecheck architecture lock clean

install: $(STAMP)

# The editable installs are plain paths (editable_mode=compat), not import hooks: mypy follows only
# paths, and a module team type-checks its distribution against this checkout's core.
$(STAMP): requirements.lock pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --config-settings editable_mode=compat \
		-e . -e examples/bookmarks
	rm -f $(VENV)/.installed-* && touch $@

run: install
	$(BIN)/mosaic db upgrade
	$(BIN)/mosaic serve --host $(HOST) --port $(PORT)

test: install lint typecheck architecture
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy core modules migrations tests examples/bookmarks bench

architecture: install
	$(BIN)/lint-imports

# Re-pin after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
		--quiet -o requirements.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
