#!/usr/bin/env bash
# Create or update the two virtualenvs from the committed locks.
#   .venv       the application (bot, actions, marketplace, sandbox, tests)  <- requirements/main.lock
#   .venv-rasa  Rasa Open Source 3.6.21 only                                 <- requirements/rasa.lock
# Each venv remembers the hash of the lock it was built from; nothing is reinstalled until a lock changes.
# Usage: scripts/setup.sh [app|rasa|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

say() { printf '\033[1;36m[setup]\033[0m %s\n' "$*" >&2; }

find_python311() {
  local c
  for c in "${PYTHON311:-}" python3.11 "$HOME"/.pyenv/versions/3.11*/bin/python3.11 /usr/local/bin/python3.11 /usr/bin/python3.11 python3; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || continue
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      command -v "$c" 2>/dev/null || echo "$c"; return 0
    fi
  done
  cat >&2 <<'MSG'
Tradewind needs CPython 3.11 (Rasa 3.6 runs on 3.10/3.11 only; TensorFlow 2.12 has no wheels for 3.12+,
and the committed Rasa lock is for 3.11). Install one of these ways, then run the command again:
  Debian/Ubuntu:  sudo apt-get install python3.11 python3.11-venv   (deadsnakes PPA on Ubuntu)
  pyenv:          pyenv install 3.11 && pyenv local 3.11
  uv:             uv python install 3.11 && export PYTHON311="$(uv python find 3.11)"
or point PYTHON311 at an existing 3.11 interpreter.
MSG
  return 1
}

lock_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }

ensure_venv() {  # ensure_venv DIR STAMP_HASH INSTALL_FUNCTION
  local dir="$1" want="$2" install="$3" have=""
  [ -f "$dir/.lock-hash" ] && have="$(cat "$dir/.lock-hash")"
  if [ "$have" = "$want" ] && [ -x "$dir/bin/python" ]; then
    return 0
  fi
  local py; py="$(find_python311)"
  if [ ! -x "$dir/bin/python" ]; then
    say "creating $dir with $py"
    "$py" -m venv "$dir"
  fi
  "$install" "$dir"
  echo "$want" > "$dir/.lock-hash"
  say "$dir is ready"
}

install_app() {
  say "installing the application into $1 from requirements/main.lock"
  "$1/bin/python" -m pip install --disable-pip-version-check --progress-bar on -r requirements/main.lock
  say "installing tradewind itself (editable)"
  "$1/bin/python" -m pip install --disable-pip-version-check --no-deps --no-build-isolation -e . >/dev/null
}

install_rasa() {
  say "installing Rasa 3.6.21 into $1 from requirements/rasa.lock (about 2.5 GB, a minute or two)"
  # Rasa declares Requires-Python <3.11; the lock is fully pinned and verified on 3.11, so pip must not resolve.
  "$1/bin/python" -m pip install --disable-pip-version-check --progress-bar on \
    --ignore-requires-python --no-deps -r requirements/rasa.lock
}

case "$what" in
  app)  ensure_venv .venv "$(lock_hash requirements/main.lock pyproject.toml)" install_app ;;
  rasa) ensure_venv .venv-rasa "$(lock_hash requirements/rasa.lock)" install_rasa ;;
  all)  ensure_venv .venv "$(lock_hash requirements/main.lock pyproject.toml)" install_app
        ensure_venv .venv-rasa "$(lock_hash requirements/rasa.lock)" install_rasa ;;
  *) echo "usage: $0 [app|rasa|all]" >&2; exit 2 ;;
esac
