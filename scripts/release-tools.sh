# Sourced by build-wheels.sh and lint-workflows.sh: the virtual environment
# target/release-tools-venv with python/requirements-release.txt (made on first use,
# remade when the file changes); $tools is its bin directory.
tools_venv=target/release-tools-venv
tools_req=python/requirements-release.txt
if ! cmp -s "$tools_req" "$tools_venv/requirements.txt" 2>/dev/null; then
  rm -rf "$tools_venv"
  python3 -m venv "$tools_venv"
  "$tools_venv/bin/pip" install --quiet --disable-pip-version-check -r "$tools_req"
  cp "$tools_req" "$tools_venv/requirements.txt"
fi
tools=$PWD/$tools_venv/bin
