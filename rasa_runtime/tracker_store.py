"""The embedded default's tracker store: Rasa's in-memory store without the JSON round trip per message.

Rasa's `InMemoryTrackerStore` keeps each conversation as JSON text. Every message it parses that text
and replays every event into a new tracker, then turns the whole tracker back into JSON: ~13 % of
Rasa's CPU after ~70 messages (py-spy), more the longer a conversation gets. This store keeps the
tracker object itself with the number of events it had when saved, so a turn costs the same however
long the conversation is. What Rasa's store promises still holds:

- a turn that never saves (it failed half-way) leaves nothing behind: a tracker that holds more events
  than were saved is rebuilt from the saved ones before it is handed out again;
- `retrieve` gives the last conversation session only, and from then on that is what is kept (Rasa's
  store keeps it from the next save on); `retrieve_full_tracker` gives what is kept;
- with an event broker, the events new since the last save are published.

Used when no `RASA_TRACKER_STORE_URL` is set (one Rasa process; several use PostgreSQL).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Dict, Iterable, Optional, Text, Tuple

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker, get_trackers_for_conversation_sessions

log = logging.getLogger(__name__)


def _starts_session(event: Any) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME


class LiveTrackerStore(InMemoryTrackerStore):
    """In memory, as trackers: `tracker_store: {type: rasa_runtime.tracker_store.LiveTrackerStore}`."""

    def __init__(self, domain: Any, event_broker: Any = None, **kwargs: Any) -> None:
        super().__init__(domain, event_broker, **kwargs)
        # sender_id -> (tracker, events it had when saved, whether it holds more than one session)
        self._live: Dict[Text, Tuple[DialogueStateTracker, int, bool]] = {}

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Keep this tracker as the conversation; publish its new events when there is a broker."""
        previous = self._live.get(tracker.sender_id)
        same = previous is not None and previous[0] is tracker
        new = list(itertools.islice(tracker.events, previous[1] if same else 0, None))
        # A second session start (the first event of a split tracker is its own) makes `retrieve` split it.
        sessions = (same and previous[2]) or any(_starts_session(e) for e in (new if same else new[1:]))
        if self.event_broker is not None:
            if same:
                await self._stream_new_events(self.event_broker, new, tracker.sender_id)
            else:
                await super().stream_events(tracker)  # against what `retrieve` gives, as Rasa's store does
        self._live[tracker.sender_id] = (tracker, len(tracker.events), sessions)

    def _clean(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The conversation as last saved (rebuilt if a turn changed it and never saved)."""
        entry = self._live.get(sender_id)
        if entry is None:
            return None
        tracker, saved, sessions = entry
        if len(tracker.events) != saved:
            log.debug("tracker %s changed since it was saved: rebuilt from the %d saved events", sender_id, saved)
            tracker = DialogueStateTracker.from_events(
                sender_id, list(itertools.islice(tracker.events, saved)), self.domain.slots,
                max_event_history=tracker._max_event_history, sender_source=tracker.sender_source)
            self._live[sender_id] = (tracker, saved, sessions)
        return tracker

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The last session of the conversation (the whole tracker when it holds one session)."""
        tracker = self._clean(sender_id)
        if tracker is None or not self._live[sender_id][2]:
            return tracker
        last = get_trackers_for_conversation_sessions(tracker)[-1]
        self._live[sender_id] = (last, len(last.events), False)  # what Rasa's store returns from now on
        return last

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Every session saved."""
        return self._clean(sender_id)

    async def keys(self) -> Iterable[Text]:
        """The conversations kept."""
        return self._live.keys()

    async def exists(self, conversation_id: Text) -> bool:
        return conversation_id in self._live
