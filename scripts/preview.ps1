# Windows PowerShell: the same as scripts/preview.sh. Run from the project folder:
#   powershell -ExecutionPolicy Bypass -File scripts\preview.ps1
# Builds the real site from content\ into build\ (the folder to publish), then previews it at
# http://127.0.0.1:8000/ ($env:PORT chooses another port); the browser reloads after every saved change.
# Saved as UTF-8 with a byte order mark, so that Windows PowerShell 5.1 reads its Chinese.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$port = if ($env:PORT) { $env:PORT } else { "8000" }
if (-not (Test-Path ".venv\Scripts\python.exe")) {
    Write-Host "【1/2】第一次运行：正在创建 Python 虚拟环境 .venv ……"
    if (Get-Command py -ErrorAction SilentlyContinue) { py -3 -m venv .venv } else { python -m venv .venv }
    if ($LASTEXITCODE -ne 0) {
        Write-Host "无法创建虚拟环境：请先从 https://www.python.org/ 安装 Python 3.11 或更新版本（安装时勾选“Add python.exe to PATH”）。"
        exit 1
    }
}
$stamp = ".venv\.site-builder-installed"
if (-not (Test-Path $stamp) -or (Get-Item "pyproject.toml").LastWriteTime -gt (Get-Item $stamp).LastWriteTime) {
    Write-Host "【2/2】正在安装 site_builder 及其依赖：需要下载，请稍候，下面是安装进度……"
    & .venv\Scripts\python.exe -m pip install --disable-pip-version-check -e .
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    New-Item -ItemType File -Force $stamp | Out-Null
    Write-Host "安装完成。"
}
Write-Host "正在生成网站到 build\ ……"
& .venv\Scripts\site-builder.exe build
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "正在启动预览（端口 $port；换端口：`$env:PORT = 8001 后再运行本脚本）……"
& .venv\Scripts\site-builder.exe serve --port $port
exit $LASTEXITCODE
