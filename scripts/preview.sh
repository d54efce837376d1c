#!/bin/sh
# Build the real site from content/ into build/ (the folder to publish), then
# preview it at http://127.0.0.1:${PORT:-8000}/: the preview rebuilds in memory
# and the browser reloads by itself after every saved change.
. "$(dirname "$0")/_env.sh"
.venv/bin/site-builder build
exec .venv/bin/site-builder serve --port "${PORT:-8000}"
