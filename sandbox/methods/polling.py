"""getUpdates and the webhook methods."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..state import Webhook
from ..updates import get_updates as poll
from ..updates import set_allowed
from .base import Ctx


async def get_updates(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Long-poll for updates."""
    return await poll(ctx.state, ctx.bot, p, ctx.rt.settings.max_poll_timeout)


async def set_webhook(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Set (or with empty url, remove) the webhook and start delivering to it."""
    url = str(p.get("url") or "")
    if not url:
        return await delete_webhook(ctx, p)
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    if ctx.rt.settings.webhook_require_https and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get("secret_token")
    if secret is not None and not (
        1 <= len(secret) <= 256 and all(c.isalnum() or c in "_-" for c in secret)
    ):
        raise bad_request("bad webhook: Secret token contains unallowed characters")
    if p.get("drop_pending_updates"):
        ctx.bot.updates.clear()
    set_allowed(ctx.bot, p.get("allowed_updates"))
    ctx.bot.webhook = Webhook(url, secret, int(p.get("max_connections") or 40), p.get("ip_address"))
    ctx.rt.webhooks.ensure(ctx.bot)
    ctx.state.notifier.changed()
    return True


async def delete_webhook(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Remove the webhook, optionally dropping pending updates."""
    if p.get("drop_pending_updates"):
        ctx.bot.updates.clear()
    ctx.bot.webhook = None
    ctx.state.notifier.changed()
    return True


async def get_webhook_info(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Describe the webhook state (url is empty when polling)."""
    hook = ctx.bot.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(ctx.bot.updates),
    }
    if hook:
        info["max_connections"] = hook.max_connections
        if hook.ip_address:
            info["ip_address"] = hook.ip_address
        if hook.last_error_date:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        if ctx.bot.allowed_updates:
            info["allowed_updates"] = list(ctx.bot.allowed_updates)
    return info


METHODS = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
