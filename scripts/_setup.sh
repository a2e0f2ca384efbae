# Shared by scripts/serve and scripts/test: make sure .venv exists and has the
# project installed (with the extras named in $1). Re-installs only when
# setup.py changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MINUTES_VENV:-$ROOT/.venv}"
extras="${1:-}"

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "error: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  py="$(find_python)"
  echo "creating virtual environment in $VENV with $py" >&2
  "$py" -m venv "$VENV"
fi

stamp="$VENV/.minutes-installed${extras:+-$extras}"
want="$(cat "$ROOT/setup.py" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "installing minutes-search${extras:+[$extras]} into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT${extras:+[$extras]}" >&2
  echo "$want" > "$stamp"
fi

# The ocr extra's recognizer runs on OpenCV, whose wheel needs the system's libGL and GLib; a
# minimal Debian has neither. Install them when OpenCV cannot load (once: then it imports).
if [[ ",$extras," == *,ocr,* ]] && ! "$VENV/bin/python" -c "import cv2" >/dev/null 2>&1; then
  echo "installing Debian's libgl1 and libglib2.0-0 for OCR (OpenCV)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libgl1 libglib2.0-0 >&2
fi
