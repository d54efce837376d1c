# Shared by preview.sh and test.sh: a virtual environment in .venv with
# site_builder installed from this checkout. Sourced, not run.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    # Debian splits venv into its own package.
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    else
      echo "请先安装 python3-venv：sudo apt-get install -y python3-venv" >&2
      exit 1
    fi
    rm -rf .venv
    python3 -m venv .venv
  fi
fi
PYTHON=.venv/bin/python
"$PYTHON" -m pip install -q --disable-pip-version-check -e ".${EXTRAS:-}"
