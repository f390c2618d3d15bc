"""Runtime: the per-app bundle of settings, spec, state, flood control, webhooks and methods."""

from __future__ import annotations

from .limits import FloodControl
from .methods.base import Handler, registry
from .settings import Settings
from .spec import Spec, load_spec
from .state import State
from .webhook import WebhookManager


class Runtime:
    """One emulator instance; create_app builds one per app (no global state)."""

    def __init__(self, settings: Settings | None = None) -> None:
        """Load the spec and create empty state."""
        self.settings = settings or Settings()
        self.spec: Spec = load_spec(self.settings.spec_path)
        self.state = State()
        self.flood = FloodControl(self.settings.limits)
        self.webhooks = WebhookManager(self)
        self.methods: dict[str, Handler] = registry()

    async def shutdown(self) -> None:
        """Wake long polls and stop webhook senders."""
        self.state.closing = True
        self.state.notifier.changed()
        await self.webhooks.stop()

    def reset(self) -> None:
        """Forget everything (used between tests or from the UI)."""
        self.webhooks.cancel_all()
        self.state.closing = True
        self.state.notifier.changed()
        self.state = State()
        self.flood.reset()
