"""How Tradewind runs Rasa 3.6 (in .venv-rasa): `python -m rasa_runtime run …` is `rasa run …` with the
speed-ups in `rasa_runtime.speedups` applied first."""
