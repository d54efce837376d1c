"""The build cache (site_builder.cache) and parallel rendering never change what is built.

A rebuild with nothing changed does nothing; a changed record is built again
and the pages whose bytes did not change are left as they are, not rewritten;
building in several processes gives the same pages as one process.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from sitetest import run_cli

from site_builder import cache, render
from site_builder.pipeline import incremental


def _age(folder, seconds=60):
    """Make every file look saved a minute ago: files saved in the last 2 s are never trusted unchanged."""
    past = time.time() - seconds
    for root, _dirs, files in os.walk(folder):
        for name in files:
            os.utime(os.path.join(root, name), (past, past))


def _snapshot(out):
    return {path.relative_to(out).as_posix(): (path.read_bytes(), path.stat().st_ino)
            for path in sorted(out.rglob("*")) if path.is_file()}


def test_noop_rebuild_leaves_the_output_untouched(site, tmp_path):
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    code, stdout, _ = run_cli("build", "--site", site, "--out", out)
    assert code == 0 and "已生成网站" in stdout
    assert _snapshot(out) == before  # same bytes, same files (inodes): nothing written


def test_changed_record_is_rebuilt_and_unchanged_pages_are_left_alone(site, tmp_path):
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    form = next(site.glob("content/*/projects/*.yaml"))
    form.write_text(form.read_text(encoding="utf-8").replace("\nproject: ", "\nproject: 新", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = _snapshot(out)
    pages = {path for path in after if not path.startswith("pagefind/")}
    assert pages == {path for path in before if not path.startswith("pagefind/")}
    # The search index's files are named by their content (issue 15): a changed page gives new ones.
    assert {path for path in after if path.startswith("pagefind/")} != {path for path in before if path.startswith("pagefind/")}
    changed = {path for path in pages if after[path][0] != before[path][0]}
    assert any("新" in after[path][0].decode("utf-8") for path in changed if path.endswith(".html"))
    assert "404.html" not in changed  # no record on it: the very file of the last build, untouched
    assert after["404.html"][1] == before["404.html"][1]
    fresh = tmp_path / "fresh"
    (site / ".site-builder-cache").rename(tmp_path / "old-cache")
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert {p: v[0] for p, v in _snapshot(fresh).items()} == {p: v[0] for p, v in after.items()}


def test_changed_output_file_is_written_again(site, tmp_path):
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    original = (out / "index.html").read_bytes()
    (out / "index.html").write_bytes(b"edited by hand")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert (out / "index.html").read_bytes() == original


def test_a_download_changed_or_deleted_in_the_output_folder_is_written_again(site, tmp_path):
    """Every kind of output file: the build compares the output folder with what it wrote last time, and a
    form's file changed or gone there has its form read again and the file written again, as a page has."""
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    projects = sorted(path for path in before if path.startswith("downloads/2023/")
                      and not path.startswith(("downloads/2023/2023-", "downloads/2023/bumen-")))
    deleted = out / next(path for path in projects if path.endswith(".csv"))
    edited = out / next(path for path in reversed(projects) if path.endswith(".xlsx"))
    deleted.unlink()
    edited.write_bytes(b"edited by hand")
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    after = _snapshot(out)
    assert set(after) == set(before)
    assert {path: data for path, (data, _) in after.items()} == {path: data for path, (data, _) in before.items()}


def test_building_in_several_processes_gives_the_same_pages(site, tmp_path, monkeypatch):
    monkeypatch.setattr(incremental, "_FILES_PER_WORKER_AT_LEAST", 10**9)
    assert run_cli("build", "--site", site, "--out", tmp_path / "alone")[0] == 0
    monkeypatch.setattr(incremental, "_FILES_PER_WORKER_AT_LEAST", 1)
    monkeypatch.setattr(incremental.os, "cpu_count", lambda: 2)
    assert run_cli("build", "--site", site, "--out", tmp_path / "together")[0] == 0
    assert _built(tmp_path / "together") == _built(tmp_path / "alone")
    # and the same entries for the next build (a worker hands back only what rendering again changed)
    entries = {out: cache.load_state(site, tmp_path / out).entries for out in ("alone", "together")}
    assert entries["together"] == entries["alone"]


# --- the streaming build (pipeline/incremental.py) against the site held in memory (serve) ---------


def _preview_files(site):
    from site_builder.serve import Preview

    preview = Preview(site)
    assert preview.build().ok
    return preview.files


def _built(out):
    return {path: data for path, (data, _inode) in _snapshot(out).items()}


def _built_but_the_index(out):
    """What the preview serves too: everything but the search index, which it does not build (issue 15)."""
    return {path: data for path, data in _built(out).items() if not path.startswith("pagefind/")}


def test_build_writes_exactly_what_the_preview_serves(site, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    served = {path: data for path, data in _preview_files(site).items()}
    assert any(path.startswith("pagefind/") for path in _built(out))
    assert _built_but_the_index(out) == served


def test_every_kind_of_change_gives_what_a_fresh_build_gives(site, tmp_path):
    """Edit, add, delete, embed, move the organisation: after each, an incremental build equals a fresh one."""
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    content = site / "content"
    summary = content / "2021" / "work-summary.md"
    organization = content / "organization.md"
    form, other = sorted(content.glob("2023/projects/*.yaml"))[:2]
    settings = content / "site.yaml"
    edits = [
        # an embedded document: the 2021 department form shows its text
        lambda: summary.write_text(summary.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8"),
        # the organisation's title: in every page's navigation
        lambda: organization.write_text(organization.read_text(encoding="utf-8").replace(
            "title: 机构概况", "title: 本院概况", 1), encoding="utf-8"),
        # a new record in a new year, then its deletion
        lambda: (content / "2024").mkdir() or (content / "2024" / "p.yaml").write_text(
            form.read_text(encoding="utf-8").replace("year: 2023", "year: 2024", 1), encoding="utf-8"),
        lambda: (content / "2024" / "p.yaml").unlink(),
        # a record deleted
        lambda: form.unlink(),
        # the settings' bytes (every page made again, nothing of the last build's entries reused) while
        # a record is deleted
        lambda: (settings.write_text(settings.read_text(encoding="utf-8") + "# 注释\n", encoding="utf-8"),
                 other.unlink()),
    ]
    for number, edit in enumerate(edits):
        edit()
        _age(site)
        code, _, err = run_cli("build", "--site", site, "--out", out)
        assert code == 0, err
        fresh = tmp_path / f"fresh-{number}"
        cache = site / ".site-builder-cache"
        cache.rename(tmp_path / f"cache-{number}")
        assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
        shutil.rmtree(cache)  # the fresh build's: the next edit's build reads the one it saved
        (tmp_path / f"cache-{number}").rename(cache)
        assert _built(out) == _built(fresh), f"edit {number}"
    assert "本院概况" in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "disclosure" / "2024").exists()


def test_a_theme_listing_other_records_on_a_record_page_is_rendered_with_all_of_them(site, tmp_path):
    """A record's page that reads site.years is rendered once every file is read, as serve renders it."""
    theme = site / "theme" / "templates"
    theme.mkdir(parents=True)
    base = (Path(render.DEFAULT_THEME) / "templates" / "project-evaluation.html").read_text(encoding="utf-8")
    theme.joinpath("project-evaluation.html").write_text(base.replace(
        "{% block main %}", "{% block main %}<p class=\"years\">{% for y in site.years %}{{ y.year }}:"
        "{{ y.records|length }} {% endfor %}</p>", 1), encoding="utf-8")
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\ntheme_dir: theme\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    page = next((out / "disclosure" / "2023").glob("gaosan*.html")).read_text(encoding="utf-8")
    assert '<p class="years">2023:' in page
    assert _built_but_the_index(out) == dict(_preview_files(site))


def test_a_clash_of_page_addresses_made_by_an_edit_is_found_by_the_next_build(site, tmp_path):
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _built(out)
    first, second = sorted((site / "content" / "2023" / "projects").glob("*.yaml"))[:2]
    slug = next(line for line in first.read_text(encoding="utf-8").splitlines() if line.startswith("slug:"))
    text = second.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("slug:"))
    second.write_text(text.replace(old, slug, 1), encoding="utf-8")
    code, _, err = run_cli("build", "--site", site, "--out", out)
    assert code == 1 and "S205" in err and second.name in err
    assert _built(out) == before  # nothing written


def test_an_unreadable_cache_only_costs_a_full_build(site, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _built(out)
    for state in (site / ".site-builder-cache").glob("build-*.pickle"):
        state.write_bytes(b"not a pickle")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert _built(out) == before


def _with_2022_copy(site) -> str:
    """A 2022 form of the real 2023 project 高三复习迎考: the project recurs. Returns the 2023 form's text."""
    earlier = site / "content" / "2022" / "projects" / "gaosan-fuxi-yingkao.yaml"
    earlier.parent.mkdir(parents=True, exist_ok=True)
    text = (site / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml").read_text(encoding="utf-8")
    earlier.write_text(text.replace("year: 2023", "year: 2022").replace("2023年度", "2022年度")
                       .replace("date: 2024-09-11", "date: 2023-09-11"), encoding="utf-8")
    return text


def test_a_renamed_project_re_indexes_only_its_own_years_search_part(site, tmp_path, monkeypatch):
    """Its pages of other years change only in their links to it, which the index does not read."""
    text = _with_2022_copy(site)
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    page_2022 = "disclosure/2022/gaosan-fuxi-yingkao.html"
    before = _snapshot(out)
    assert "高三复习迎考" in before[page_2022][0].decode("utf-8").split('class="related-years"')[1]

    indexed = []
    real_index = incremental.search_index
    monkeypatch.setattr(incremental, "search_index",
                        lambda pages, *args: indexed.append(args[-1]) or real_index(pages, *args))
    form = site / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
    form.write_text(text.replace("\nproject: 高三复习迎考", "\nproject: 高三复习迎考工作", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = _snapshot(out)
    assert after[page_2022][0] != before[page_2022][0]  # its links to 2023 changed
    assert indexed == ["2023"]
    assert {p: v for p, v in after.items() if p.startswith("pagefind/2022/")} == \
        {p: v for p, v in before.items() if p.startswith("pagefind/2022/")}

    monkeypatch.undo()
    fresh = tmp_path / "fresh"  # the index kept for 2022 is the one a build from scratch makes
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert {p: v[0] for p, v in _snapshot(fresh).items()} == {p: v[0] for p, v in after.items()}


def test_a_changed_forms_search_part_is_started_before_its_other_years_are_rendered_again(site, tmp_path,
                                                                                           monkeypatch):
    """A rebuild gives a part of the index to Pagefind as soon as its last page is rendered again
    (pipeline.incremental._ChangedParts): a renamed project's part does not wait for its pages of other
    years, which the second reading renders again for their links to it. The index is the one a whole
    build makes."""
    _with_2022_copy(site)
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0

    events = []
    real_call, real_decide = render.PageRenderer.__call__, incremental._ChangedParts._decide
    monkeypatch.setattr(render.PageRenderer, "__call__",
                        lambda self, site, page: events.append(page.url) or real_call(self, site, page))
    monkeypatch.setattr(incremental._ChangedParts, "_decide",
                        lambda self, part: (events.append(f"part {part}"), real_decide(self, part))[1])
    indexed = []
    real_index = incremental.search_index
    monkeypatch.setattr(incremental, "search_index",
                        lambda pages, *args: indexed.append(args[-1]) or real_index(pages, *args))
    form = site / "content" / "2022" / "projects" / "gaosan-fuxi-yingkao.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("\nproject: 高三复习迎考", "\nproject: 高三复习迎考工作", 1),
                    encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    own, other = "disclosure/2022/gaosan-fuxi-yingkao.html", "disclosure/2023/gaosan-fuxi-yingkao.html"
    assert events.index(own) < events.index("part 2022") < events.index(other)
    assert indexed == ["2022"]  # the 2023 page changed only in its link to 2022

    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert {p: v[0] for p, v in _snapshot(fresh).items()} == {p: v[0] for p, v in _snapshot(out).items()}


def _counting_renders(monkeypatch) -> list[str]:
    """The address of each page rendered to its end (a page that turns out to list other records
    stops at them in the first pass: one_file.NeedsWholeSite)."""
    rendered = []
    real_call = render.PageRenderer.__call__

    def call(self, site, page):
        text = real_call(self, site, page)
        rendered.append(page.url)
        return text

    monkeypatch.setattr(render.PageRenderer, "__call__", call)
    return rendered


def _counting_reads(monkeypatch) -> list[str]:
    """The name of each content file a build loads (one process: the test site is below the workers' threshold)."""
    from site_builder.pipeline import one_file

    loaded, real_load = [], one_file.load_file
    monkeypatch.setattr(one_file, "load_file", lambda path, site_dir: loaded.append(Path(path).name) or real_load(path, site_dir))
    return loaded


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Change `old` to `new` (as many bytes) and give the file back its size and modification time:
    an edit that the time and size cannot show, as one saved within the same tick of the clock."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode("utf-8")) == len(new.encode("utf-8"))
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def test_files_saved_just_before_a_build_are_compared_by_their_bytes_next_time(site, tmp_path, monkeypatch):
    """A site copied, checked out or generated just before its first build: every file is too recent for its
    time to be trusted. The next build compares their bytes instead of reading and rendering them all again;
    an edit that left the size and time as they were is still found: in a record, in the settings and
    in the site's own theme."""
    out = tmp_path / "out"
    template = site / "theme" / "templates" / "home.html"
    template.parent.mkdir(parents=True)
    template.write_text((Path(render.DEFAULT_THEME) / "templates" / "home.html").read_text(encoding="utf-8")
                        .replace("{% block main %}", "{% block main %}<p class=\"own\">本站主题甲</p>", 1), encoding="utf-8")
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\ntheme_dir: theme\n", encoding="utf-8")
    now = time.time()
    for path in [*(site / "content").rglob("*"), template]:
        os.utime(path, (now, now))
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    form = site / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
    loaded, rendered = _counting_reads(monkeypatch), _counting_renders(monkeypatch)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert (loaded, rendered) == ([], [])
    now = time.time()
    for path in [*(site / "content").rglob("*"), template]:  # saved again, unchanged: too recent again
        os.utime(path, (now, now))
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert loaded == [] and rendered == []

    def edited(path: Path, before: str, after: str) -> str:
        """`path` saved just before a build, then edited without a change of size or time; built again:
        the home page."""
        os.utime(path)  # the build that follows must see it as too recent to trust
        assert run_cli("build", "--site", site, "--out", out)[0] == 0
        _same_size_edit(path, before, after)
        del rendered[:], loaded[:]
        assert run_cli("build", "--site", site, "--out", out)[0] == 0
        return (out / "index.html").read_text(encoding="utf-8")

    pages = len(list(out.rglob("*.html")))
    # an embedded document: the 2021 department form shows its text; the record itself; then what every page shares
    edited(site / "content" / "2021" / "work-summary.md", "较好地完成了全年工作任务", "较好地完成了全年各项任务")
    assert any("全年各项任务" in page.read_text(encoding="utf-8") for page in (out / "disclosure" / "2021").glob("*.html"))
    assert 0 < len(rendered) < pages
    edited(form, "project: 高三复习迎考", "project: 高三复习备考")
    assert "高三复习备考" in (out / "disclosure/2023/gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    assert 0 < len(rendered) < pages and "gaosan-fuxi-yingkao.yaml" in loaded
    assert "本站主题乙" in edited(template, "本站主题甲", "本站主题乙") and len(rendered) == pages
    assert "岳阳市教育科学技术研究所" in edited(
        settings, "name: 岳阳市教育科学技术研究院", "name: 岳阳市教育科学技术研究所") and len(rendered) == pages
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    (site / ".site-builder-cache").rename(tmp_path / "old-cache")
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert {p: v[0] for p, v in _snapshot(fresh).items()} == {p: v[0] for p, v in _snapshot(out).items()}


def test_a_first_build_renders_every_page_once(site, tmp_path, monkeypatch):
    """A project's forms link to its other years, known once every file is read: their pages wait for
    them instead of being rendered twice (issue 17)."""
    _with_2022_copy(site)
    _age(site)
    rendered = _counting_renders(monkeypatch)
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert "disclosure/2022/gaosan-fuxi-yingkao.html" in rendered
    assert sorted(rendered) == sorted(set(rendered))
    assert len(rendered) == len(list(out.rglob("*.html")))
    page = (out / "disclosure/2022/gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    assert "2023/gaosan-fuxi-yingkao.html" in page.split('class="related-years"')[1]


def test_a_renamed_project_does_not_make_its_other_years_files_again(site, tmp_path, monkeypatch):
    """The other years' pages change (their links to it); their files and findings are the last build's."""
    text = _with_2022_copy(site)
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    made, checked = [], []
    from site_builder.pipeline import one_file

    real_files, real_check = one_file.form_files, one_file.check_record
    monkeypatch.setattr(one_file, "form_files", lambda record: made.append(record.path) or real_files(record))
    monkeypatch.setattr(one_file, "check_record",
                        lambda record, *args: checked.append(record.path) or real_check(record, *args))
    rendered = _counting_renders(monkeypatch)
    form = site / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
    form.write_text(text.replace("\nproject: 高三复习迎考", "\nproject: 高三复习迎考工作", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    edited = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
    assert [Path(path).as_posix().endswith(edited) for path in made] == [True]
    assert checked == made, checked
    assert "disclosure/2022/gaosan-fuxi-yingkao.html" in rendered
    after = _snapshot(out)
    page_2022 = "disclosure/2022/gaosan-fuxi-yingkao.html"
    assert after[page_2022][0] != before[page_2022][0]
    assert 'class="related-years"' not in after[page_2022][0].decode("utf-8")  # no longer the same project
    kept = [path for path in before if path.startswith("downloads/2022/gaosan-fuxi-yingkao")]
    assert kept and all(after[path] == before[path] for path in kept)  # not written again: same inode

    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert {p: v[0] for p, v in _snapshot(fresh).items()} == {p: v[0] for p, v in after.items()}


def test_a_build_that_fails_while_the_search_index_is_made_leaves_the_output_as_it_was(site, tmp_path, monkeypatch):
    """The index of a changed year is made alongside the years' downloads and the list pages; a mistake
    found there waits for the index program, then drops everything staged."""
    import threading

    from site_builder.errors import Finding, SiteError

    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    threads = threading.active_count()
    started = []
    real_index = incremental.search_index
    monkeypatch.setattr(incremental, "search_index", lambda *args: started.append(args[-1]) or real_index(*args))

    def broken(*args):
        raise SiteError(Finding(code="T503", path="themes/default/templates/year.html", message="模板出错", hint="改正模板"))

    monkeypatch.setattr(incremental, "list_pages", broken)
    form = next(site.glob("content/2023/projects/*.yaml"))
    form.write_text(form.read_text(encoding="utf-8").replace("\nproject: ", "\nproject: 新", 1), encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 1 and "T503" in stdout + stderr
    assert started == ["2023"]
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []
    assert threading.active_count() == threads


def _rebuilt_after_an_edit(site, tmp_path, monkeypatch, patch) -> tuple[dict, dict]:
    """The output before and after a rebuild with one record edited, the rebuild run under `patch`."""
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    times = {path.relative_to(out).as_posix(): path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    patch()
    form = next(site.glob("content/2023/projects/*.yaml"))
    form.write_text(form.read_text(encoding="utf-8").replace("\nproject: ", "\nproject: 新", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = _snapshot(out)
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert {p: v[0] for p, v in _snapshot(fresh).items()} == {p: v[0] for p, v in after.items()}
    assert after["404.html"][0] == before["404.html"][0]
    assert (out / "404.html").stat().st_mtime_ns == times["404.html"]  # kept, with the time the cache knows
    return before, after


def test_a_rebuild_keeps_unchanged_files_where_the_system_cannot_link_by_folder(site, tmp_path, monkeypatch):
    """Windows has no linkat: each file is linked by its path."""
    from site_builder import write

    before, after = _rebuilt_after_an_edit(
        site, tmp_path, monkeypatch, lambda: monkeypatch.setattr(write, "_LINKS_BY_FOLDER", False))
    assert after["404.html"][1] == before["404.html"][1]  # the same file (inode), linked


def test_a_rebuild_copies_unchanged_files_where_they_cannot_be_linked(site, tmp_path, monkeypatch):
    """A file system without hard links (or another device): the kept files are copied."""
    import errno

    from site_builder import write

    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "no hard links here")

    before, after = _rebuilt_after_an_edit(
        site, tmp_path, monkeypatch, lambda: monkeypatch.setattr(write.os, "link", no_links))
    assert after["404.html"][1] != before["404.html"][1]  # a copy


def test_the_output_listing_taken_beside_the_build_is_the_listing(tmp_path):
    """cache.OutputListing lists the output folder in a forked process while the build reads the cache:
    what it gives is output_listing's, forked (a process of one thread, as the command line's) or not
    (another thread running: never forked), and one never taken neither hangs nor leaves a process behind,
    however large (the build takes none when the saved state is unreadable, as after an upgrade)."""
    import subprocess
    import sys
    import threading

    out = tmp_path / "out"
    for index in range(300):
        path = out / f"part-{index % 7}" / f"page-{index}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x" * index, encoding="utf-8")
    (out / "top.json").write_text("{}", encoding="utf-8")
    expected = cache.output_listing(out)
    assert len(expected) == 301 and sorted(path for path, _ in expected.items())[-1] == "top.json"
    assert dict(expected.items())["part-1/page-8.html"] == cache.output_stat(8, (out / "part-1/page-8.html").stat().st_mtime_ns)

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with cache.OutputListing(out) as listing:
            assert listing._process is None  # forking beside a thread could copy a lock it holds
            assert listing.take() == expected
    finally:
        stop.set()
        other.join()
    assert cache.OutputListing(tmp_path / "missing").take() == cache.Listing()
    with cache.OutputListing(out, beside=False) as listing:  # no state saved: listed here if ever taken
        assert listing._process is None and listing.take() == expected

    script = """if True:
        import json, multiprocessing, sys
        from pathlib import Path
        from site_builder import cache
        out = Path(sys.argv[1])
        expected = cache.output_listing(out)
        with cache.OutputListing(out) as listing:
            forked = listing._process is not None
            same = listing.take() == expected
        with cache.OutputListing(out) as listing:
            pass  # never taken
        with cache.OutputListing(Path(sys.argv[2])) as listing:
            pass  # never taken, and larger than a pipe holds
        print(json.dumps([forked, same, multiprocessing.active_children() == []]))
    """
    large = tmp_path / "large"  # its listing marshalled: some 250 KB, where a pipe holds 64 KB
    for index in range(2500):
        path = large / f"disclosure-{index % 10}" / f"a-rather-long-name-of-a-project-page-{index:05}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    done = subprocess.run([sys.executable, "-c", script, str(out), str(large)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    import multiprocessing
    forks = "fork" in multiprocessing.get_all_start_methods()
    assert done.stdout.strip() == f"[{str(forks).lower()}, true, true]"


def test_a_rebuild_starts_pagefind_while_it_reads_and_ends_it_whatever_happens(site, tmp_path, monkeypatch):
    """Pagefind's program takes a quarter of a second to load: a rebuild starts the one that remakes
    the changed page's part before it reads the changed file, and uses that one. A rebuild stopped by
    a mistake in the content ends it as well (no program left running, no working folder left)."""
    from site_builder.pipeline import one_file
    from site_builder.write import search_index

    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0

    events: list[str] = []
    real_program, real_close, real_load = search_index._Program.__init__, search_index._Program.close, one_file.load_file
    monkeypatch.setattr(search_index._Program, "__init__",
                        lambda self, work_dir: events.append("started") or real_program(self, work_dir))
    monkeypatch.setattr(search_index._Program, "close", lambda self: events.append("ended") or real_close(self))
    monkeypatch.setattr(one_file, "load_file", lambda path, site_dir: events.append("read") or real_load(path, site_dir))
    real_index = incremental.search_index
    monkeypatch.setattr(incremental, "search_index",
                        lambda pages, *args: events.append(f"part {args[-1]}") or real_index(pages, *args))

    form = site / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("\nproject: 高三复习迎考", "\nproject: 高三复习迎考工作", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert events[0] == "started" and "read" in events
    assert events.count("started") == 1 and events.count("ended") == 1 and "part 2023" in events
    assert "高三复习迎考工作" in (out / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")

    events.clear()
    form.write_text(text.replace("\nproject: 高三复习迎考", "\nproject: ", 1), encoding="utf-8")  # a form without its name
    code, _, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 1 and "gaosan-fuxi-yingkao.yaml" in stderr
    assert events.count("started") == 1 and events.count("ended") == 1
    assert not [p for p in tmp_path.glob(".out.*/.search-index-*")] and not list(tmp_path.glob(".search-index-*"))


def test_an_output_listing_that_cannot_start_its_process_is_taken_here(tmp_path, monkeypatch):
    """A system out of processes (fork fails with EAGAIN): the build lists its output folder itself."""
    import errno
    import multiprocessing.process

    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "page.html").write_text("页", encoding="utf-8")

    def refused(self):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    monkeypatch.setattr(cache.threading, "active_count", lambda: 1)  # as in a process of one thread
    with cache.OutputListing(out) as listing:
        assert listing._process is None
        found = listing.take()
    assert [path for path, _ in found.items()] == ["a/page.html"]


def test_a_state_pickled_in_parts_reads_back_whole_and_a_cut_one_reads_as_none(site, tmp_path, monkeypatch):
    """cache.save_state pickles the state in parts (a pickler holds all it wrote until it is done: at
    100,000 pages that was the build's peak). With parts of two entries and three outputs, the real
    site's state reads back equal, entry for entry; cut short at any part, it reads as no state at all,
    never as part of one (a rebuild would take files missing from it for new, or outputs for gone)."""
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    whole = cache.load_state(site, out)
    assert len(whole.entries) > 4 and len(whole.outputs) > 6 and whole.site_findings is not None
    monkeypatch.setattr(cache, "_ENTRIES_PER_PART", 2)
    monkeypatch.setattr(cache, "_OUTPUTS_PER_PART", 3)
    cache.save_state(site, out, whole)
    again = cache.load_state(site, out)
    assert list(again.entries) == list(whole.entries) and again.entries == whole.entries
    assert again.outputs == whole.outputs and again.key == whole.key
    assert (again.organization, again.site_findings) == (whole.organization, whole.site_findings)
    state_file = next((site / cache.CACHE_DIR).glob("build-*.pickle"))
    data = state_file.read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 1):
        state_file.write_bytes(data[:cut])
        assert cache.load_state(site, out) is None


def test_entries_handed_back_by_workers_share_their_texts_and_read_the_same(site, tmp_path):
    """Each file's entry comes from a worker as a pickle of its own. FileEntry.intern_texts makes the texts
    that repeat across entries (hints, codes, kinds, labels) one object each, and changes no value; the
    links and downloads an entry keeps packed (FileEntry.offer, keep_downloads) read back as they were given."""
    import pickle

    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    state = cache.load_state(site, out)
    received = [pickle.loads(pickle.dumps(entry)) for entry in state.entries.values()]
    hints = [f.hint for entry in received for f in entry.findings]
    assert len({id(h) for h in hints}) > len(set(hints))  # the same text held several times over
    for entry in received:
        entry.intern_texts()
    assert received == list(state.entries.values())
    assert len({id(f.hint) for entry in received for f in entry.findings}) == len(set(hints))
    kinds = [entry.summary.kind_label for entry in received if entry.summary is not None]
    assert len({id(kind) for kind in kinds}) == len(set(kinds))
    form = next(entry for entry in received if entry.downloads)
    links = form.links
    assert len(links) == len(form.downloads) and [url for _, _, url, _ in links] == [p for p, _ in form.downloads]
    form.offer([(label, fmt, url, size + 1) for label, fmt, url, size in links])
    assert [size for *_, size in form.links] == [size + 1 for *_, size in links]
    form.offer([])
    assert form.links == () and form.offers == b""
    downloads = form.downloads
    assert all(len(known) == 20 for _, known in downloads) and len(set(downloads)) == len(downloads) > 1
    form.keep_downloads(list(reversed(downloads)))
    assert form.downloads == tuple(reversed(downloads))
    form.keep_downloads([])
    assert form.downloads == () and form.files == b""


def _leave_old_pages(out, count=2500):
    """Files no build wrote, enough that the listing of `out` is larger than a pipe holds (64 KB)."""
    for index in range(count):
        path = out / "old" / f"a-page-an-older-build-left-behind-{index:05}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def _build_in_a_process(site, out):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "site_builder", "build", "--site", str(site), "--out", str(out)],
                          capture_output=True, text=True, timeout=180)


def test_a_build_after_an_upgrade_does_not_wait_for_a_listing_it_never_takes(site, tmp_path):
    """A cache saved by another version reads as none, and the listing of the output folder started
    beside the build is never taken. With more files than a pipe holds (here 2,500 left in the output
    folder) the process listing them once blocked for ever, and the build with it."""
    import pickle

    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    _leave_old_pages(out)
    [state_file] = (site / ".site-builder-cache").glob("build-*.pickle")
    state_file.write_bytes(pickle.dumps(("an older format",)))
    done = _build_in_a_process(site, out)
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file() and not (out / "old").exists()


def test_a_build_stopped_by_a_broken_site_yaml_reports_it_without_waiting_for_the_listing(site, tmp_path):
    """content/site.yaml that cannot be read stops a rebuild before it takes the listing of its output
    folder: the editor sees the mistake (exit 1), the output folder is left as it was."""
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    _leave_old_pages(out)
    settings = site / "content" / "site.yaml"
    settings.write_text("name: [岳阳市教育科学技术研究院\n", encoding="utf-8")
    done = _build_in_a_process(site, out)
    assert done.returncode == 1 and "site.yaml" in done.stderr + done.stdout, done.stderr
    assert (out / "old").is_dir() and (out / "index.html").is_file()


def test_a_listing_tells_the_recorded_files_changed_or_gone_and_counts_the_others(tmp_path):
    """cache.Listing.changed: a file recorded and listed with another size or time, or recorded and not
    listed (deleted by hand), is damaged; a file listed and not recorded is counted, not damaged."""
    out = tmp_path / "out"
    for path in ("index.html", "a/one.html", "a/two.html", "a/b/three.csv", "four.json"):
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(path, encoding="utf-8")
    listing = cache.output_listing(out)
    now = dict(listing.items())
    assert sorted(now) == ["a/b/three.csv", "a/one.html", "a/two.html", "four.json", "index.html"]
    recorded = {path: stat + b"d" * 20 for path, stat in now.items()}
    assert listing.changed(recorded) == (set(), 0)
    recorded["a/two.html"] = cache.output_record(999, 0, b"d" * 20)  # another size
    recorded["gone/five.html"] = cache.output_record(1, 0, b"d" * 20)  # not there any more
    del recorded["four.json"]  # there, and not written by the build
    assert listing.changed(recorded) == ({"a/two.html", "gone/five.html"}, 1)
    assert cache.Listing().changed(recorded) == (set(recorded), 0) and len(cache.Listing()) == 0
