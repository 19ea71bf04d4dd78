#!/usr/bin/env bash
# PIIMasker micro-benchmark: ns per call of masking a ~1 KB WhatsApp delivery and its headers.
# Compiles RenumCore and the masker's sources straight with swiftc -O (no SwiftPM release build).
#
#   ./bench/masker.sh [calls [name]]     # the working tree; only measurements named like `name`
#   SRC=/tmp/old/Host ./bench/masker.sh  # another checkout's Host/ (e.g. before a change)
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=${SRC:-Host}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swiftc -O -wmo -parse-as-library -module-name RenumCore -emit-module -emit-module-path "$work/RenumCore.swiftmodule" \
    -emit-library -static -o "$work/libRenumCore.a" "$SRC"/Core/*.swift
defines=()
grep -qs "func writeMasked" "$SRC"/Webhooks/PIIMasker*.swift && defines+=(-D HAS_WRITE_MASKED)
swiftc -O -wmo -module-name MaskerBench -I "$work" -L "$work" -lRenumCore "${defines[@]}" \
    "$SRC"/Webhooks/{PIIMasker,TextMasking,SensitiveKeys,WebhookHeaders}*.swift bench/masker/main.swift \
    -o "$work/masker-bench"
"$work/masker-bench" "$@"
