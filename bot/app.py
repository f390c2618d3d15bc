"""Build the bot's Application in one place and run it (polling or webhook)."""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PreCheckoutQueryHandler,
    TypeHandler,
    filters,
)

from bot import dedupe, shared_state
from bot.config import BotSettings
from bot.handlers import conversation, jobs, listing_text, payments, photos, privacy, relay, seller_orders, support
from bot.handlers.errors import on_error
from bot.handoff import HandoffDesk
from bot.marketplace_client import MarketplaceClient
from bot.metrics import serve as serve_metrics
from bot.observe import ObservedApplication
from bot.media import MediaCache
from bot.outbox import OutboxApi, OutboxWorker
from bot.payment_journal import JournaledQueue, PaymentJournal
from bot.rasa_client import RasaClient
from bot.rate_limit import TelegramRateLimiter
from bot.redis_link import RedisLink
from bot.services import Services
from bot.shared_state import SharedState
from bot.support_client import SupportClient
from tradewind import request_id
from tradewind.paths import var_dir

log = logging.getLogger(__name__)

COMMANDS = [BotCommand("start", "Start shopping"), BotCommand("help", "What I can do"),
            BotCommand("language", "Choose your language"), BotCommand("mydata", "Everything we store about you"),
            BotCommand("forgetme", "Delete your personal data")]


# Loggers that would print secrets below these levels: httpx logs URLs, and Bot API URLs hold the
# token; PTB's Bot logs its API URL and, at DEBUG, each call's parameters (setWebhook's secret_token).
SECRET_BEARING_LOGGERS = {"httpx": logging.WARNING, "telegram.Bot": logging.INFO, "telegram.ext.ExtBot": logging.INFO}


def quiet_secret_bearing_loggers() -> None:
    """Raise the loggers that print secrets to a level where they do not (never lower them)."""
    for name, level in SECRET_BEARING_LOGGERS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level, level))


TELEGRAM_POOL_SIZE = 32  # connections to the Bot API


def build_application(settings: BotSettings | None = None) -> Application:
    """The bot: Telegram API URL from settings, rate limiter on, shared clients made at startup."""
    settings = settings or BotSettings()
    api = settings.telegram_api_url.rstrip("/")
    quiet_secret_bearing_loggers()
    journal = PaymentJournal(settings.payment_journal or var_dir() / "payments-taken.journal")

    async def post_init(app: Application) -> None:
        services: Services = app.bot_data
        services.settings = settings
        if settings.redis_url is not None:  # several instances: they share claims, languages, history
            services.redis = RedisLink.from_url(settings.redis_url.get_secret_value(), app.bot.id)
        services.claims = dedupe.UpdateClaims(services.redis)
        services.shared = SharedState(services.redis)
        services.http = httpx.AsyncClient(timeout=httpx.Timeout(settings.reply_timeout, connect=2.0),
                                          limits=httpx.Limits(max_connections=100, max_keepalive_connections=32),
                                          event_hooks={"request": [request_id.stamp]})  # X-Request-ID
        if settings.metrics_port is not None:
            services.metrics_server = serve_metrics(settings.metrics_port, settings.metrics_listen)
        services.rasa = RasaClient(services.http, settings.rasa_url, settings.reply_timeout)
        token = settings.services_token().get_secret_value()
        services.media = MediaCache(services.http, settings.marketplace_url, token)
        services.marketplace = MarketplaceClient(services.http, settings.marketplace_url, token)
        services.desk = HandoffDesk(SupportClient(services.http, settings.marketplace_url, token), services.marketplace,
                                    services.rasa, services.shared, settings, redis=services.redis)
        await app.bot.set_my_commands(COMMANDS)
        if app.job_queue is not None:
            app.job_queue.run_repeating(jobs.escrow_tick, interval=settings.escrow_interval_seconds, first=5.0,
                                        name="escrow-upkeep")
        services.warm_up = asyncio.get_running_loop().create_task(services.rasa.warm_up(), name="rasa-warm-up")
        services.payments, left_over = journal, journal.pending()
        journal.restart(left_over)
        if left_over:
            log.warning("%d payment(s) taken before a restart are not recorded yet: recording them", len(left_over))
            services.payment_recovery = asyncio.get_running_loop().create_task(
                payments.record_left_over(app.bot, services, left_over), name="payment-recovery")
        if settings.outbox_enabled:
            services.outbox = OutboxWorker(app.bot, OutboxApi(services.http, settings.marketplace_url, token), settings)
            services.outbox.start()

    async def post_stop(app: Application) -> None:
        if app.bot_data.outbox is not None:  # while the bot can still send: finish what is in flight
            await app.bot_data.outbox.stop()

    async def post_shutdown(app: Application) -> None:
        services: Services = app.bot_data
        if services.outbox is not None:
            await services.outbox.stop()  # a no-op when post_stop already stopped it
        if services.warm_up is not None:
            services.warm_up.cancel()
        if services.payment_recovery is not None:
            services.payment_recovery.cancel()
        journal.close()
        if services.http is not None:
            await services.http.aclose()
        if services.metrics_server is not None:
            await asyncio.to_thread(services.metrics_server.shutdown)
            services.metrics_server.server_close()
        if services.redis is not None:
            await services.redis.aclose()

    context_types = ContextTypes(bot_data=Services)
    app = (Application.builder()
           .application_class(ObservedApplication)  # a request id, a count and a time per update
           .token(settings.token().get_secret_value())
           .base_url(f"{api}/bot")
           .base_file_url(f"{api}/file/bot")
           # httpcore checks every pooled connection on every request; python-telegram-bot's 256 kept-alive
           # connections made that a quarter of the bot's CPU under load (py-spy). 30 requests a second
           # need a handful; 32 leave room for slow answers.
           .connection_pool_size(TELEGRAM_POOL_SIZE)
           .rate_limiter(TelegramRateLimiter(overall_max_rate=settings.telegram_max_rate,
                                             overall_burst=settings.telegram_max_burst,
                                             chat_rate=settings.telegram_chat_rate,
                                             chat_burst=settings.telegram_chat_burst, max_retries=5))
           .context_types(context_types)
           .concurrent_updates(True)
           .update_queue(JournaledQueue(journal))  # a payment is on disk before Telegram hears "received"
           .post_init(post_init)
           .post_stop(post_stop)
           .post_shutdown(post_shutdown)
           .build())
    # Before anything: a redelivered update stops here, and the sender's shared state is loaded.
    app.add_handler(TypeHandler(Update, dedupe.drop_repeats), group=dedupe.GROUP)
    app.add_handler(TypeHandler(Update, shared_state.load_person), group=shared_state.GROUP)
    # Support handoff first: the person's messages during a handoff and the staff group never reach Rasa.
    support.register(app, settings)
    app.add_handler(CommandHandler("start", conversation.on_start))
    app.add_handler(CommandHandler("help", conversation.on_help))
    app.add_handler(CommandHandler("language", conversation.on_language))
    app.add_handler(PreCheckoutQueryHandler(payments.on_pre_checkout))
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, payments.on_successful_payment))
    app.add_handler(CommandHandler("mydata", privacy.on_mydata))
    app.add_handler(CommandHandler("translation", listing_text.on_translation))
    app.add_handler(CommandHandler("forgetme", privacy.on_forgetme))
    app.add_handler(CallbackQueryHandler(privacy.on_forget_button, pattern=r"^p:"))
    # A seller's order alert: accept, mark shipped and the tracking reply (before the relay's reply handler).
    app.add_handler(CallbackQueryHandler(seller_orders.on_accept, pattern=seller_orders.ACCEPT_PATTERN))
    app.add_handler(CallbackQueryHandler(seller_orders.on_ship_button, pattern=seller_orders.SHIP_PATTERN))
    app.add_handler(MessageHandler(seller_orders.SHIP_REPLY, seller_orders.on_ship_reply))
    # Buyer <-> seller messages (before the generic button and text handlers, which go to Rasa).
    app.add_handler(CallbackQueryHandler(relay.on_ask_seller, pattern=relay.ASK_PATTERN))
    app.add_handler(CallbackQueryHandler(relay.on_message_buyer, pattern=relay.MESSAGE_BUYER_PATTERN))
    app.add_handler(CallbackQueryHandler(relay.on_show_original, pattern=relay.SHOW_ORIGINAL_PATTERN))
    app.add_handler(MessageHandler(relay.REPLY_FILTER, relay.on_reply))
    app.add_handler(CallbackQueryHandler(conversation.on_button))
    # New messages only: an edit or a channel post is not something new to answer.
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                                   conversation.on_text))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.PHOTO,
                                   photos.on_photo))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.TEXT
                                   & ~filters.COMMAND,
                                   conversation.on_other))
    app.add_error_handler(on_error)
    return app


def run(settings: BotSettings | None = None) -> None:
    """Run until Ctrl-C: long polling by default, or a webhook with a secret token."""
    settings = settings or BotSettings()
    app = build_application(settings)  # (quiets the loggers that would print the token)
    if settings.mode == "webhook":
        if not settings.webhook_url or settings.webhook_secret is None:
            raise SystemExit("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        app.run_webhook(listen=settings.webhook_listen, port=settings.webhook_port,
                        webhook_url=settings.webhook_url, secret_token=settings.webhook_secret.get_secret_value(),
                        allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
