"""`python -m rasa_runtime <rasa arguments>`: apply the speed-ups, then hand over to Rasa's own command line."""

from __future__ import annotations


def main() -> None:
    """Patch the measured hot spots (rasa_runtime.speedups), then run `rasa` with this process's arguments."""
    from rasa_runtime.speedups import apply

    apply()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
