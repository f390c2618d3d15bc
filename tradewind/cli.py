"""The `tradewind` command: migrate, seed, serve, refresh rates, run the whole demo."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path

from tradewind.paths import REPO_ROOT


def _say(line: str) -> None:
    print(f"[tradewind] {line}", file=sys.stderr, flush=True)


def cmd_migrate(_args: argparse.Namespace) -> int:
    """Bring the database schema up to date."""
    from marketplace.core.config import MarketplaceSettings
    from marketplace.core.migrate import upgrade

    settings = MarketplaceSettings()
    upgrade(settings.database_url)
    _say("database schema is up to date")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    """Migrate, load exchange rates and seed the demo catalog (once)."""
    from marketplace.core.config import MarketplaceSettings
    from marketplace.core.db import make_engine, make_session_factory
    from marketplace.core.migrate import upgrade
    from marketplace.seed.demo import seed_catalog, seed_rates

    settings = MarketplaceSettings()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    count = seed_rates(factory, ecb_file=settings.rates_file, extra_file=settings.rates_extra_file)
    _say(f"loaded {count} exchange rates")
    result = seed_catalog(factory, catalog_file=settings.catalog_file, media_dir=settings.media_dir,
                          progress=_say, force=args.force)
    engine.dispose()
    if result.skipped:
        _say("demo catalog already present (use --force to add it again)")
    else:
        _say(f"demo catalog ready: {result.shops} shops, {result.products} products")
    return 0


def cmd_rates(args: argparse.Namespace) -> int:
    """Download the latest ECB rates (keeping the last good file when offline) and load them."""
    from marketplace.core.config import MarketplaceSettings
    from marketplace.core.db import make_engine, make_session_factory
    from marketplace.seed.demo import seed_rates
    from marketplace.services.rates import refresh_rates_file

    settings = MarketplaceSettings()
    updated = refresh_rates_file(settings.rates_url, settings.rates_file)
    _say("downloaded new ECB rates" if updated else f"offline or failed: keeping {settings.rates_file.name}")
    engine = make_engine(settings.database_url)
    count = seed_rates(make_session_factory(engine), ecb_file=settings.rates_file,
                       extra_file=settings.rates_extra_file)
    engine.dispose()
    _say(f"loaded {count} exchange rates")
    return 0


def cmd_api(args: argparse.Namespace) -> int:
    """Serve the marketplace API."""
    import uvicorn

    from marketplace.api.main import create_app
    from marketplace.core.config import MarketplaceSettings

    settings = MarketplaceSettings()
    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port,
                log_level="info")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Prepare the embedded defaults and start every process of the demo with honcho."""
    from marketplace.core.config import MarketplaceSettings

    settings = MarketplaceSettings()
    cmd_seed(argparse.Namespace(force=False))
    honcho = shutil.which("honcho", path=str(Path(sys.executable).parent)) or "honcho"
    procfile = REPO_ROOT / "Procfile"
    _say(f"starting the processes in {procfile.name} (Ctrl-C stops them all)")
    _say(f"marketplace API: http://{settings.host}:{settings.port}/docs")
    os.chdir(REPO_ROOT)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.execv(honcho, [honcho, "-f", str(procfile), "start"])
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="tradewind", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=cmd_migrate.__doc__).set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed", help=cmd_seed.__doc__)
    seed.add_argument("--force", action="store_true", help="add the demo catalog even if shops exist")
    seed.set_defaults(func=cmd_seed)
    rates = sub.add_parser("rates", help=cmd_rates.__doc__)
    rates.set_defaults(func=cmd_rates)
    api = sub.add_parser("api", help=cmd_api.__doc__)
    api.add_argument("--host")
    api.add_argument("--port", type=int)
    api.set_defaults(func=cmd_api)
    sub.add_parser("run", help=cmd_run.__doc__).set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs URLs, which may carry tokens
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
