"""Command line entry point: python -m sandbox --host 127.0.0.1 --port 8081."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import uvicorn

from .app import create_app
from .settings import Limits, Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="Telegram Bot API emulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument(
        "--spec", type=Path, default=None, help="api.json path (else $TELEGRAM_API_SPEC)"
    )
    parser.add_argument("--no-flood-control", action="store_true", help="disable 429 flood control")
    parser.add_argument(
        "--bot", action="append", default=[], metavar="TOKEN", help="pre-create a bot"
    )
    parser.add_argument("--log-level", default="info")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the emulator with uvicorn."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = Settings(spec_path=args.spec, limits=Limits(flood_control=not args.no_flood_control))
    app = create_app(settings)
    for token in args.bot:
        app.state.rt.state.add_bot(token)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)


if __name__ == "__main__":
    main()
