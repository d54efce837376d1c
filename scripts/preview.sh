#!/bin/sh
# Build the real site from content/ into build/ and serve it at http://127.0.0.1:8000/
. "$(dirname "$0")/_env.sh"
.venv/bin/site-builder build
echo "预览地址：http://127.0.0.1:${PORT:-8000}/   （按 Ctrl+C 结束）"
exec "$PYTHON" -m http.server "${PORT:-8000}" --bind 127.0.0.1 --directory build
