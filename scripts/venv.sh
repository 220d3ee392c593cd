# Sourced by the scripts that need a Python virtual environment: `requirements_venv DIR
# REQUIREMENTS` makes DIR with exactly the pinned packages of REQUIREMENTS on first use,
# and makes it anew when that file changes.
requirements_venv() {
  local dir=$1 req=$2
  if ! cmp -s "$req" "$dir/requirements.txt" 2>/dev/null; then
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$dir/requirements.txt"
  fi
}
