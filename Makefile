# Tradewind — the two commands a newcomer needs are `make run` and `make test`.
# Both create/refresh the virtualenvs from the committed locks first (a no-op when nothing changed).

.PHONY: run test setup setup-rasa lock seed train evaluate-nlu bench-search bench-nlu bench-e2e bench-alerts reliability clean

run: setup ## Run the demo on the embedded defaults (SQLite, seeded catalog)
	.venv/bin/tradewind run

test: setup ## Run the whole test suite (PostgreSQL leg too when TEST_DATABASE_URL is set)
	.venv/bin/tradewind train  # the end-to-end tests need the model; training shows its progress here
	.venv/bin/python -m pytest
	.venv-rasa/bin/python -m pytest -c tests/nlu/pytest.ini tests/nlu

setup:
	@scripts/setup.sh all

setup-rasa:
	@scripts/setup.sh rasa

train: setup ## Train the Rasa model into models/ if its inputs changed
	.venv/bin/tradewind train

evaluate-nlu: setup ## Train on data/nlu and score the held-out split and the outside benchmark
	.venv-rasa/bin/python scripts/evaluate_nlu.py

seed: setup ## (Re)create the database schema and seed the demo catalog if empty
	.venv/bin/tradewind seed

bench-search: setup ## Search latency on 100,000 products, SQLite and (if reachable) PostgreSQL
	.venv/bin/python bench/search.py

bench-nlu: setup ## Rasa parse and REST-webhook speed: our model next to a stock `rasa init` model
	.venv/bin/python bench/nlu.py

bench-e2e: setup ## The whole stack under 20 conversations and 30 msg/s, with RSS, next to a stock Rasa bot
	.venv/bin/python bench/e2e.py

bench-alerts: setup ## 10,000 order alerts through the emulator's flood limits, with a SIGKILL half way
	.venv/bin/python bench/alerts.py

reliability: setup ## Issue #8's reliability scenarios with N=1,000: replays, SIGKILLs, services down or slow
	.venv/bin/python bench/reliability.py --orders 1000

lock: ## Re-resolve requirements/main.lock from pyproject.toml (needs network to PyPI)
	rm -rf .venv-lock && python3.11 -m venv .venv-lock
	.venv-lock/bin/pip install -q -e '.[test]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^tradewind' > requirements/main.lock
	rm -rf .venv-lock

clean: ## Remove runtime state (databases, media, local secrets); keeps the virtualenvs
	rm -rf var
