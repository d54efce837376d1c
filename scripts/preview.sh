#!/bin/sh
# Build the real site from content/ and preview it at http://127.0.0.1:${PORT:-8000}/;
# the browser reloads by itself after every saved change. Does not write build/.
. "$(dirname "$0")/_env.sh"
exec .venv/bin/site-builder serve --port "${PORT:-8000}"
