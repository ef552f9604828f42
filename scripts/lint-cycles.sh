#!/usr/bin/env bash
# No import cycle between modules, type-only imports included (dpdm), from every package entry and the bench.
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx --no-install dpdm --no-warning --no-tree --exit-code circular:1 --tsconfig tsconfig.json \
  engine/index.ts engine/advanced.ts engine/node.ts engine/keras.ts engine/psychrnn.ts engine/gpujs.ts \
  tasks/index.ts analysis/index.ts experiments/index.ts cli/rnnlab.ts bench/run.ts
