#!/usr/bin/env bash
# Trunk post-build hook: the Content-Security-Policy in index.html allows scripts only from the
# app itself; Trunk's one inline loader script is allowed by its SHA-256 hash, computed here
# for each build (the script names the hashed file names, so it changes with every build).
set -euo pipefail
html="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}/index.html"
# The exact bytes between the tags (piped, so no trailing newline is lost).
loader() { perl -0777 -ne 'print $1 if m{<script type="module">(.*?)</script>}s' "$html"; }
if [ -z "$(loader)" ]; then
  echo "csp-hash: no inline loader script in $html" >&2
  exit 1
fi
hex=$(loader | sha256sum | cut -d' ' -f1)
hash=$(printf "$(printf '%s' "$hex" | sed 's/../\\x&/g')" | base64 -w0)
grep -q "'sha256-TRUNK-LOADER'" "$html" || { echo "csp-hash: no placeholder in $html" >&2; exit 1; }
sed -i "s|'sha256-TRUNK-LOADER'|'sha256-$hash'|" "$html"
