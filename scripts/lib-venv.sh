# Sourced by the scripts in scripts/: create or reuse ./.venv and install yarnemu into it.
#
# usage: ensure_venv [EXTRA...]
# yarnemu is installed in editable mode with the requested extras.  The install is redone only when
# setup.cfg or pyproject.toml changed or an extra is missing, so later runs start at once.  Set
# YARNEMU_PYTHON to choose the interpreter (default: python3).  pip's output goes to
# .venv/install.log and is shown only if the install fails.

ensure_venv() {
    local root venv stamp digest installed wanted extra
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    venv="$root/.venv"
    if [ ! -x "$venv/bin/python" ]; then
        echo "Creating virtualenv in $venv" >&2
        "${YARNEMU_PYTHON:-python3}" -m venv "$venv" || return 1
    fi
    stamp="$venv/.yarnemu-install"
    digest="$(cat "$root/setup.cfg" "$root/pyproject.toml" | sha256sum | cut -d' ' -f1)"
    installed=""
    if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$digest" ]; then
        installed="$(tail -n +2 "$stamp" | tr '\n' ' ')"
    fi
    wanted="$installed"
    for extra in "$@"; do
        case " $wanted " in *" $extra "*) ;; *) wanted="$wanted $extra" ;; esac
    done
    wanted="$(echo "$wanted" | xargs -n 1 2>/dev/null | sort -u | xargs)"
    if [ ! -f "$stamp" ] || [ "$(head -n 1 "$stamp")" != "$digest" ] || [ "$wanted" != "$(echo "$installed" | xargs)" ]; then
        echo "Installing yarnemu${wanted:+ with extras: $wanted} into $venv" >&2
        local spec="$root"
        [ -n "$wanted" ] && spec="$root[$(echo "$wanted" | tr ' ' ',')]"
        if ! { "$venv/bin/python" -m pip install --upgrade pip \
                && "$venv/bin/python" -m pip install --config-settings editable_mode=compat -e "$spec"; } > "$venv/install.log" 2>&1; then
            cat "$venv/install.log" >&2
            echo "Installing yarnemu failed (log: $venv/install.log)" >&2
            return 1
        fi
        { echo "$digest"; for extra in $wanted; do echo "$extra"; done; } > "$stamp"
    fi
    export PATH="$venv/bin:$PATH"
    export VIRTUAL_ENV="$venv"
}
