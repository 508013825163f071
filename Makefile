# Two commands do everything on a fresh clone:
#   make chat   talk to the skill in a local text chat (embedded store)
#   make test   lint, type-check and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test lint typecheck pytest bench eval serve audio audit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/steady chat

serve: $(STAMP)
	$(BIN)/steady serve --dev

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check skill tests lambda bench eval tools
	$(BIN)/ruff format --check skill tests lambda bench eval tools
	$(BIN)/python -m skill.chat.locales --check

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	AWS_EC2_METADATA_DISABLED=true $(BIN)/pytest -q -n auto

audit: $(STAMP)
	$(BIN)/pip-audit --skip-editable -l

audio: $(STAMP)
	$(BIN)/steady audio build

bench: $(STAMP)
	AWS_EC2_METADATA_DISABLED=true $(BIN)/python -m bench

eval: $(STAMP)
	AWS_EC2_METADATA_DISABLED=true $(BIN)/python -m eval

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
