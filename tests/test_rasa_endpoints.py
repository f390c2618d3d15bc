"""`tradewind rasa`'s endpoints file: endpoints.yml plus the stores from RASA_*_STORE_URL, no password in it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tradewind import rasa_endpoints
from tradewind.rasa_endpoints import StoreUrlError


def test_without_store_urls_rasa_keeps_conversations_in_memory(tmp_path: Path) -> None:
    config, extra = rasa_endpoints.endpoints({})
    assert config == {"action_endpoint": {"url": "${ACTION_SERVER_URL}"},
                      "tracker_store": {"type": "rasa_runtime.tracker_store.LiveTrackerStore"}} and extra == {}
    written = yaml.safe_load(rasa_endpoints.write(config, tmp_path).read_text())
    assert written == config
    assert [line.split(":")[0] for line in rasa_endpoints.describe(config)] == ["Rasa tracker store", "Rasa lock store"]
    assert "in memory" in " ".join(rasa_endpoints.describe(config))


def test_postgresql_and_redis_urls_become_rasa_stores_with_passwords_only_in_the_environment(tmp_path: Path) -> None:
    env = {"RASA_TRACKER_STORE_URL": "postgresql://rasa:p%40ss%2Fw0rd@db.internal:6543/conversations",
           "RASA_LOCK_STORE_URL": "redis://:l0ck-secret@cache.internal:6380/3", "RASA_LOCK_STORE_PREFIX": "tw2"}
    config, extra = rasa_endpoints.endpoints(env)
    assert config["tracker_store"] == {"type": "SQL", "dialect": "postgresql", "url": "db.internal", "port": 6543,
                                       "db": "conversations", "username": "rasa",
                                       "password": "${RASA_TRACKER_STORE_PASSWORD}"}
    assert config["lock_store"] == {"type": "redis", "url": "cache.internal", "port": 6380, "db": 3,
                                    "key_prefix": "tw2", "use_ssl": False, "password": "${RASA_LOCK_STORE_PASSWORD}"}
    assert config["action_endpoint"] == {"url": "${ACTION_SERVER_URL}"}
    assert extra == {"RASA_TRACKER_STORE_PASSWORD": "p@ss/w0rd", "RASA_LOCK_STORE_PASSWORD": "l0ck-secret"}
    text = rasa_endpoints.write(config, tmp_path).read_text()
    assert "p@ss" not in text and "l0ck-secret" not in text and "ss%2F" not in text
    said = " ".join(rasa_endpoints.describe(config))
    assert "db.internal:6543/conversations" in said and "cache.internal:6380/3" in said
    assert "p@ss" not in said and "l0ck" not in said


def test_defaults_fill_ports_and_no_password_means_none_asked() -> None:
    config, extra = rasa_endpoints.endpoints({"RASA_TRACKER_STORE_URL": "postgres://postgres@127.0.0.1/rasa",
                                              "RASA_LOCK_STORE_URL": "rediss://127.0.0.1"})
    assert config["tracker_store"]["port"] == 5432 and "password" not in config["tracker_store"]
    assert config["lock_store"] == {"type": "redis", "url": "127.0.0.1", "port": 6379, "db": 0,
                                         "key_prefix": "tradewind", "use_ssl": True}
    assert extra == {}


@pytest.mark.parametrize(("env", "says"), [
    ({"RASA_TRACKER_STORE_URL": "mysql://u@h/db"}, "postgresql://"),
    ({"RASA_TRACKER_STORE_URL": "postgresql://u@h:5432/"}, "a host and a database"),
    ({"RASA_LOCK_STORE_URL": "memcached://h"}, "redis://"),
    ({"RASA_LOCK_STORE_URL": "redis://h/x"}, "database number"),
    ({"RASA_LOCK_STORE_URL": "redis://h/1", "RASA_LOCK_STORE_PREFIX": "tw-1"}, "letters and digits"),
])
def test_a_wrong_store_url_is_refused_with_what_to_write(env: dict[str, str], says: str) -> None:
    with pytest.raises(StoreUrlError, match=says):
        rasa_endpoints.endpoints(env)
