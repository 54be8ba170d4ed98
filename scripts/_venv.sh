# Sourced by scripts/plan and scripts/test: creates ./venv (the virtualenv Pulumi.yaml names) and installs
# the given requirements file plus this repository, only when they changed since the last install.
set -euo pipefail
requirements="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
if [ ! -x venv/bin/python ]; then
  "$python" -m venv venv
fi
stamp="venv/.installed-$(basename "$requirements")"
digest="$(cat requirements.txt "$requirements" pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  venv/bin/python -m pip install --quiet --upgrade pip
  venv/bin/python -m pip install --quiet -r "$requirements"
  echo "$digest" > "$stamp"
fi
