#!/usr/bin/env bash
# Packs the built project for test/gpu/check.mjs on a machine without Node or npm: dist/, bin/, the production
# node_modules (onnxruntime-node's library for this platform only), the tiny-a fixture and the model generator from
# ../shared, and this machine's Node binary. Usage: test/gpu/pack.sh [OUT.tar.xz] (after `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-normscope-gpu-check.tar.xz}"
[ -f dist/electron/core/model/index.js ] || { echo "pack: run npm run build first" >&2; exit 2; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/normscope/node_modules" "$stage/shared/fixtures" "$stage/shared/tools" "$stage/node/bin"
cp -r package.json bin dist "$stage/normscope/"
mkdir -p "$stage/normscope/test" && cp -r test/gpu "$stage/normscope/test/"
# production dependencies only (no Electron, no build tools)
npm ls --omit=dev --parseable --all 2>/dev/null | tail -n +2 | sed "s|^$PWD/||" | sort -u | while read -r p; do
  mkdir -p "$stage/normscope/$(dirname "$p")" && cp -r "$p" "$stage/normscope/$p"
done
# onnxruntime-node ships every platform's library: keep this one's
plat="$(node -p 'process.platform + "/" + process.arch')"
ort="$stage/normscope/node_modules/onnxruntime-node/bin/napi-v6"
find "$ort" -mindepth 2 -maxdepth 2 -type d | grep -v "/$plat\$" | xargs rm -rf
cp -r ../shared/fixtures/tiny-a ../shared/fixtures/gpt2-tokenizer "$stage/shared/fixtures/"
cp ../shared/tools/make-gpt2-folder.mjs "$stage/shared/tools/"
cp "$(command -v node)" "$stage/node/bin/node"
XZ_OPT="${XZ_OPT:--T0}" tar -C "$stage" -cJf "$out" normscope shared node
echo "pack: wrote $out ($(du -h "$out" | cut -f1))"
