# Sourced by scripts/demo and scripts/test: create or reuse ./.venv and install yarnemu into it.
#
# usage: ensure_venv [EXTRAS]
# The install is redone only when setup.cfg, pyproject.toml or the requested extras change, so a
# second run starts at once.  Set YARNEMU_PYTHON to choose the interpreter (default: python3).

ensure_venv() {
    local extras="${1:-}"
    local root venv stamp want
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    venv="$root/.venv"
    if [ ! -x "$venv/bin/python" ]; then
        echo "Creating virtualenv in $venv" >&2
        "${YARNEMU_PYTHON:-python3}" -m venv "$venv"
    fi
    stamp="$venv/.yarnemu-install"
    want="$(cat "$root/setup.cfg" "$root/pyproject.toml" | sha256sum | cut -d' ' -f1) [$extras]"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "Installing yarnemu${extras:+[$extras]} into $venv" >&2
        "$venv/bin/python" -m pip install --quiet --upgrade pip
        "$venv/bin/python" -m pip install --quiet -e "$root${extras:+[$extras]}"
        echo "$want" > "$stamp"
    fi
    export PATH="$venv/bin:$PATH"
    export VIRTUAL_ENV="$venv"
}
