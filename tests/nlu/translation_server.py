"""The LibreTranslate stand-in lives in tests/translation_server.py (shared with the app tests)."""

from tests.translation_server import StandInTranslator, closed_port_url

__all__ = ["StandInTranslator", "closed_port_url"]
