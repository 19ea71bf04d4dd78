#!/usr/bin/env python3
"""Embeds a bundled plugin's manifest (manifests/NAME.json) into its Swift source as a raw string.

A plugin carries its manifest inside the .so; the registry keeps the file. Generating one from the
other keeps them identical, and a test fails if someone edits one without re-running this.

usage: scripts/embed-manifest.py manifests/sa-http-generic.json Plugins/sa-http-generic/HTTPGenericManifest.swift HTTPGenericManifest
"""
import sys

manifest_path, swift_path, type_name = sys.argv[1:4]
text = open(manifest_path, encoding="utf-8").read()
with open(swift_path, "w", encoding="utf-8") as out:
    out.write(f"// Generated from {manifest_path} by scripts/embed-manifest.py; a test checks they are equal.\n")
    # A multi-line literal drops the line break before its closing delimiter: add one so the
    # string equals the file byte for byte, final newline included.
    out.write(f"enum {type_name} {{\n    static let text = #\"\"\"\n{text}\n\"\"\"#\n}}\n")
