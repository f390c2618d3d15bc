"""The emulator's world for the local demo: the bot, a few people, and the staff group.

The seller is the owner of the seeded Bergen shop, so seller features work on the demo catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.runtime import Runtime


@dataclass(frozen=True)
class DemoPerson:
    """Someone you can chat as in the web page."""

    user_id: int
    first_name: str
    username: str
    language_code: str


BUYERS = (DemoPerson(700001, "María", "maria_ba", "es"), DemoPerson(700002, "Wang", "wang_sh", "zh"),
          DemoPerson(700003, "Lukas", "lukas_zh", "de"))
SELLER = DemoPerson(900001, "Kari", "kari_bergen", "nb")
STAFF = DemoPerson(600001, "Sam", "sam_support", "en")
STAFF_GROUP_TITLE = "Tradewind support"
# Fixed, so `tradewind run` can point the bot's SUPPORT_CHAT_ID at it (outside the emulator's own id range).
STAFF_GROUP_ID = -1009000000001


def populate(rt: Runtime, *, bot_token: str) -> int:
    """Register the bot and create the demo people and the staff forum; returns the group's chat id."""
    bot = rt.state.add_bot(bot_token, "tradewind_demo_bot", "Tradewind")
    for person in (*BUYERS, SELLER, STAFF):
        rt.state.add_user(person.first_name, person.username, person.language_code, user_id=person.user_id)
    group = rt.state.add_group(STAFF_GROUP_TITLE, forum=True, chat_id=STAFF_GROUP_ID)
    group.members.add(STAFF.user_id)
    group.bot_ids.add(bot.id)
    return group.id
