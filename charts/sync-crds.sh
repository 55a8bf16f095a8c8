#!/usr/bin/env bash
# Copies the generated CRDs (crds/) into the Helm chart and the kustomize directory, which cannot
# reference files outside themselves. Run it after scripts/update-crds; PackagingConsistencyTest fails
# while the copies differ from crds/.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in charts/nats-account-operator/crds deploy/crds; do
  mkdir -p "$dir"
  rm -f "$dir"/*.yaml
  cp crds/*.yaml "$dir"/
done
echo "copied $(find crds -maxdepth 1 -name '*.yaml' | wc -l) CRDs into charts/nats-account-operator/crds and deploy/crds"
