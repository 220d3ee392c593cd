# Sourced by build-wheels.sh and lint-workflows.sh: the virtual environment
# target/release-tools-venv with python/requirements-release.txt; $tools is its bin
# directory.
. scripts/venv.sh
tools=$PWD/$(release_venv)/bin
