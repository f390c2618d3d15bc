"""The `tradewind` command: migrate, seed, serve, refresh rates, run the whole demo."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from tradewind import logs
from tradewind.paths import REPO_ROOT

EMULATOR_PORT = 8081


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
    # Our log format for uvicorn's lines too; the API logs one access line per request itself.
    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port,
                log_level="info", log_config=None, access_log=False)
    return 0


def cmd_emulator(args: argparse.Namespace) -> int:
    """Serve the Telegram Bot API emulator with the demo world and its web chat."""
    import uvicorn

    from bot.config import BotSettings
    from sandbox import create_app
    from sandbox.settings import Settings
    from tradewind.demo_world import populate

    app = create_app(Settings())
    group = populate(app.state.rt, bot_token=BotSettings().token().get_secret_value())
    _say(f"emulator web chat: http://{args.host}:{args.port}/  (staff group chat id {group})")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


def cmd_bot(_args: argparse.Namespace) -> int:
    """Run the Telegram bot (polling, or webhook with BOT_MODE=webhook)."""
    from bot.app import run

    run()
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    """Run the Rasa action server (rasa_sdk) with the actions in actions/ and metrics at /metrics."""
    from actions.server import serve

    os.chdir(REPO_ROOT)
    serve(args.port)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Train the Rasa model into models/ (in .venv-rasa) unless it is up to date."""
    from tradewind import rasa_model

    rasa_model.ensure_trained(force=args.force, say=_say)
    return 0


def cmd_rasa(args: argparse.Namespace) -> int:
    """Serve the trained Rasa model with its HTTP API (from .venv-rasa)."""
    from tradewind import rasa_endpoints, rasa_model

    os.chdir(REPO_ROOT)
    try:  # tracker and lock stores from RASA_TRACKER_STORE_URL / RASA_LOCK_STORE_URL (in memory when unset)
        config, secrets = rasa_endpoints.endpoints(os.environ)
    except rasa_endpoints.StoreUrlError as exc:
        raise SystemExit(str(exc)) from None
    for line in rasa_endpoints.describe(config):
        _say(line)
    command = rasa_model.serve_command(port=args.port, host=args.host, endpoints=rasa_endpoints.write(config))
    os.execve(command[0], command, {**rasa_model.rasa_env(), **secrets})
    return 0  # not reached


def cmd_run(args: argparse.Namespace) -> int:
    """Prepare the embedded defaults and start every process of the demo with honcho."""
    from bot.config import BotSettings
    from marketplace.core.config import MarketplaceSettings
    from tradewind import rasa_model
    from tradewind.demo_world import STAFF_GROUP_ID
    from tradewind.paths import var_dir

    settings, bot = MarketplaceSettings(), BotSettings()
    cmd_seed(argparse.Namespace(force=False))
    rasa_model.ensure_trained(force=False, say=_say)
    processes = {
        "api": "tradewind api",
        "actions": "tradewind actions",
        "rasa": "tradewind rasa",
        "bot": "tradewind bot",
    }
    env = {}
    if bot.telegram_bot_token is None:  # no token: the local emulator stands in for Telegram
        processes = {"emulator": f"tradewind emulator --port {EMULATOR_PORT}", **processes}
        env["TELEGRAM_API_URL"] = f"http://127.0.0.1:{EMULATOR_PORT}"
        if bot.support_chat_id is None:  # the demo world's staff forum, where Sam (600001) works
            env["SUPPORT_CHAT_ID"] = str(STAFF_GROUP_ID)
        _say(f"no TELEGRAM_BOT_TOKEN: open the web chat at http://127.0.0.1:{EMULATOR_PORT}/")
    else:
        _say(f"TELEGRAM_BOT_TOKEN set: the bot talks to {bot.telegram_api_url}")
    procfile = var_dir() / "Procfile"
    procfile.parent.mkdir(parents=True, exist_ok=True)
    procfile.write_text("".join(f"{name}: {command}\n" for name, command in processes.items()))
    _say(f"marketplace API: http://{settings.host}:{settings.port}/docs")
    _say("starting every process (Ctrl-C stops them all)")
    os.chdir(REPO_ROOT)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ.update(env)
    honcho = shutil.which("honcho") or "honcho"
    os.execv(honcho, [honcho, "-f", str(procfile), "-d", str(REPO_ROOT), "start"])
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
    emulator = sub.add_parser("emulator", help=cmd_emulator.__doc__)
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=EMULATOR_PORT)
    emulator.set_defaults(func=cmd_emulator)
    sub.add_parser("bot", help=cmd_bot.__doc__).set_defaults(func=cmd_bot)
    actions = sub.add_parser("actions", help=cmd_actions.__doc__)
    actions.add_argument("--port", type=int, default=5055)
    actions.set_defaults(func=cmd_actions)
    train = sub.add_parser("train", help=cmd_train.__doc__)
    train.add_argument("--force", action="store_true", help="train even if the model is up to date")
    train.set_defaults(func=cmd_train)
    rasa = sub.add_parser("rasa", help=cmd_rasa.__doc__)
    rasa.add_argument("--port", type=int, default=5005)
    rasa.add_argument("--host", default="127.0.0.1", help="interface to listen on (0.0.0.0 behind a load balancer)")
    rasa.set_defaults(func=cmd_rasa)
    sub.add_parser("run", help=cmd_run.__doc__).set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    # LOG_FORMAT=text|json; httpx stays at WARNING (it logs URLs, and Bot API URLs hold the token).
    logs.configure(args.command)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
