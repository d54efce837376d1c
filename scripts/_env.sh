# Shared by preview.sh and test.sh: a virtual environment in .venv with
# site_builder installed from this checkout. Sourced, not run.
# Each step says in Chinese what it does; the first installation shows pip's
# own progress, later runs install again only when pyproject.toml changed.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "【1/2】第一次运行：正在创建 Python 虚拟环境 .venv ……"
  if ! python3 -m venv .venv 2>/dev/null; then
    # Debian splits venv into its own package.
    if [ "$(id -u)" = 0 ]; then
      echo "      正在安装 python3-venv（Debian 的软件包）……"
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
stamp=".venv/.site-builder-installed${EXTRAS:+-test}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "【2/2】正在安装 site_builder 及其依赖${EXTRAS:+（含测试工具）}：需要下载，请稍候，下面是安装进度……"
  "$PYTHON" -m pip install --disable-pip-version-check -e ".${EXTRAS:-}"
  touch "$stamp"
  echo "安装完成。"
fi
