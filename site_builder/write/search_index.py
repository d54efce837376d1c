"""The search index: Pagefind (extended build, which segments Chinese) run over the finished pages.

Public surface: :func:`search_index` takes the pages to index (output path →
the file holding its bytes, as staged: rendered, personal data masked) and
gives the files of the index (output path under ``pagefind/`` → bytes), which
the build stages like any other file. Only what the pages mark with
``data-pagefind-body`` is indexed (the record pages' <main>, see base.html).

The pages are hard-linked (copied where links are impossible) into a private
folder and the pagefind_extended program indexes that folder: its Python API
waits a tenth of a second per page, the program indexes a site at once.
Pagefind's output is a function of the pages' paths and bytes (two runs give
byte-identical files: tests/test_search.py), and its file names are hashes of
their content. Of its output only what the search page's script loads is kept:
pagefind.js, its worker and WebAssembly, the entry, metadata, index and
fragment files; the ready-made UIs are left out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import Finding, SiteError

INDEX_DIR = "pagefind"
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def search_index(pages: dict[str, Path], work_dir: Path) -> dict[str, bytes]:
    """The index of `pages` (sorted by path: the order does not change the index, but keeps runs alike).

    `work_dir` is a folder on the same file system as the pages, where a private
    folder is made and removed again."""
    program = _program()
    with tempfile.TemporaryDirectory(prefix=".search-index-", dir=work_dir) as private:
        site, bundle = Path(private) / "site", Path(private) / "bundle"
        for path in sorted(pages):
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(pages[path], target)
            except OSError:
                shutil.copyfile(pages[path], target)
        site.mkdir(exist_ok=True)
        result = subprocess.run([str(program), "--site", str(site), "--output-path", str(bundle), "--silent"],
                                capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=private,
                                env=_environment())
        if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
            raise SiteError(Finding(
                code="P705", message=f"生成搜索索引失败：{(result.stderr or result.stdout).strip()[-500:]}",
                hint="请用 pip install -e . 重新安装 site_builder（会安装 pagefind[extended]），再生成网站。"))
        files = {}
        for file in sorted(bundle.rglob("*")):
            name = file.relative_to(bundle).as_posix()
            if file.is_file() and not name.startswith(_UNUSED) and not name.startswith("playground/"):
                files[f"{INDEX_DIR}/{name}"] = file.read_bytes()
        return files


def _environment() -> dict[str, str]:
    """Ours, without PAGEFIND_* settings (the program reads them, and a pagefind.yml in its
    working folder, which is the private folder): the index depends on the pages only."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}


def _program() -> Path:
    """The pagefind_extended program of the installed pagefind[extended] package."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SiteError(Finding(
            code="P705", message="找不到搜索索引程序 pagefind_extended",
            hint="请用 pip install -e . 重新安装 site_builder（会安装 pagefind[extended]），再生成网站。")) from None
    return Path(get_executable())


__all__ = ["search_index", "INDEX_DIR"]
