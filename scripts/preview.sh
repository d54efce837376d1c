#!/bin/sh
# Build the real site from content/ into build/ (the folder to publish), then
# preview it at http://127.0.0.1:${PORT:-8000}/: the preview rebuilds in memory
# and the browser reloads by itself after every saved change.
# PORT=8001 sh scripts/preview.sh previews on another port.
. "$(dirname "$0")/_env.sh"
echo "正在生成网站到 build/ ……"
.venv/bin/site-builder build
echo "正在启动预览（端口 ${PORT:-8000}；换端口：PORT=8001 sh scripts/preview.sh）……"
exec .venv/bin/site-builder serve --port "${PORT:-8000}"
