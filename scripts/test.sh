#!/bin/sh
# Install everything the tests need (Python packages, Debian's Chromium, the
# Nu Html Checker) and run the whole suite. .ci/run runs exactly this.
EXTRAS="[test]"
. "$(dirname "$0")/_env.sh"
need_apt=""
[ -x /usr/bin/chromium ] || need_apt="chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt="$need_apt fonts-noto-cjk"
if [ -n "$need_apt" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need_apt >/dev/null
  else
    echo "需要安装：$need_apt（sudo apt-get install -y $need_apt）" >&2
  fi
fi
if [ ! -f tests/tools/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  npm ci --silent --prefix tests/tools
fi
exec "$PYTHON" -m pytest "$@"
