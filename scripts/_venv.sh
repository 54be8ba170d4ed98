# Sourced by scripts/plan and scripts/test. `ensure_venv DIR REQUIREMENTS` creates the virtualenv DIR and installs
# REQUIREMENTS into it, only when they changed since the last install (pip's output goes to DIR/install.log and
# is shown only on failure).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

ensure_venv() {
  local dir="$1" requirements="$2"
  local stamp="$dir/.installed-$(basename "$requirements")"
  local digest
  digest="$(cat "$requirements" requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return 0
  fi
  echo "Installing $requirements into $dir (first run takes a minute)..." >&2
  [ -x "$dir/bin/python" ] || "${PYTHON:-python3}" -m venv "$dir"
  if ! (cd "$(dirname "$requirements")" && "$root/$dir/bin/python" -m pip install --upgrade pip \
        && "$root/$dir/bin/python" -m pip install -r "$(basename "$requirements")") > "$dir/install.log" 2>&1; then
    tail -40 "$dir/install.log" >&2
    echo "error: installing $requirements failed; the full log is $dir/install.log" >&2
    return 1
  fi
  echo "$digest" > "$stamp"
}
