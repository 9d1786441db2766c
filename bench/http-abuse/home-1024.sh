#!/usr/bin/env bash
# Starts `meridian home` with its open-file limit at 1,024 (the finding's setting); arguments
# are passed on. Used by run.ts; runs the built CLI (npm run build first).
set -euo pipefail
ulimit -n 1024
here="$(cd "$(dirname "$0")" && pwd)"
exec node "$here/../../bin/meridian.js" home "$@"
