"""Search (issue 15): the Pagefind index of the item pages, the search page in Chromium
with JavaScript, without it and from file://, and what the index holds."""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import threading
from pathlib import Path

import pytest

from sitetest import MOBILE, copy_site, run_cli, snapshot

GAOSAN = "disclosure/2023/gaosan-fuxi-yingkao.html"
XINLI = "disclosure/2023/xinli-jiankang-jiaoyu.html"
PROJECT_PAGES = {"gaosan-fuxi-yingkao", "jiaoxue-zhiliang-jiance", "jiaoyu-guihua-yu-fazhan", "jiaoyu-keyan-chengguo-tuiguang",
                 "jiaoyu-xinxihua", "jichu-kecheng-gaige", "shiyan-jiaoxue-guanli", "sizhengke-jianshe",
                 "xinli-jiankang-jiaoyu", "zhongzhi-keyan-chengguo-tuiguang"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def served(real_build):
    """The real site's build/ on loopback, under a sub-path (/site/), as a portal would host it."""
    root = real_build.parent / "served"
    if not root.exists():
        root.mkdir()
        (root / "site").symlink_to(real_build)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    finally:
        server.shutdown()
        server.server_close()


def _results(page) -> list[dict]:
    page.wait_for_function("() => { const s = document.getElementById('search-status').textContent;"
                           " return s && !s.startsWith('正在'); }", timeout=20000)
    return page.evaluate("""() => [...document.querySelectorAll('#search-list > li')].map(li => ({
        href: li.querySelector('h3 a').href, title: li.querySelector('h3').textContent,
        meta: (li.querySelector('.search-meta') || {}).textContent || '',
        excerpt: li.querySelector('.search-excerpt').innerHTML}))""")


@pytest.mark.parametrize(("query", "first", "also"), [
    ("执行率", None, PROJECT_PAGES),  # every project form prints 执行率
    ("复习迎考", "gaosan-fuxi-yingkao", set()),
    ("心理健康", "xinli-jiankang-jiaoyu", {"gongzuo-zongjie"}),
])
def test_search_finds_the_pages_with_title_year_and_snippet(browser, served, query, first, also):
    page = browser.new_page()
    try:
        page.goto(served + "search.html?q=" + query)
        results = _results(page)
        found = [re.search(r"/([^/]+)\.html$", r["href"]).group(1) for r in results]
        assert results, f"nothing found for {query}"
        if first:
            assert found[0] == first, found
        assert also <= set(found), found
        for result in results:
            assert result["href"].startswith(served), result  # links work under the sub-path
            assert re.search(r"\d{4}年度", result["meta"]), result
            assert result["title"].strip() and result["excerpt"].strip()
        assert any("<mark>" in r["excerpt"] for r in results)
        assert page.locator("#search-catalogue").is_hidden()
        assert "找到" in page.inner_text("#search-status")
    finally:
        page.close()


def test_the_header_search_box_works_by_keyboard_in_elder_mode(browser, served):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script("try { localStorage.setItem('site-builder-elder-mode', 'on'); } catch (e) {}")
    page = context.new_page()
    try:
        page.goto(served + GAOSAN)
        assert page.evaluate("document.documentElement.classList.contains('elder')")
        page.keyboard.press("Tab")  # the skip link
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "site-search-q":
                break
        assert page.evaluate("document.activeElement.id") == "site-search-q"
        assert page.evaluate("document.activeElement.labels[0].textContent") == "搜索"
        page.keyboard.type("心理健康")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q="))
        assert _results(page)[0]["href"].endswith(XINLI)
        page.fill("#search-q", "复习迎考")  # the search page's own box, submitted by Enter
        page.press("#search-q", "Enter")
        page.wait_for_function("() => document.getElementById('search-status').textContent.includes('复习迎考')")
        assert _results(page)[0]["href"].endswith(GAOSAN)
        assert "q=" in page.url and "%E5%A4%8D" in page.url  # the query stays in the address
    finally:
        context.close()


def _catalogue_titles(page) -> list[str]:
    return page.eval_on_selector_all("#search-catalogue-table tbody th a", "links => links.map(a => a.textContent)")


def test_without_javascript_the_search_page_shows_the_catalogue(browser, served, real_build):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served + "search.html?q=执行率")
        assert page.locator("#search-catalogue-table").is_visible()
        assert "没有启用 JavaScript" in page.inner_text("#search-catalogue")
        items = sum(1 for path in real_build.glob("disclosure/*/*.html") if path.name != "index.html"
                    and not path.name.startswith(("linian", "gengzheng", "gongkai")))
        assert len(_catalogue_titles(page)) == items == 15
    finally:
        context.close()


def test_from_file_the_search_page_says_why_and_shows_the_catalogue(browser, real_build):
    page = browser.new_page()
    try:
        page.goto((real_build / "search.html").as_uri() + "?q=执行率")
        note = page.locator("#search-unavailable")
        note.wait_for(state="visible")
        assert "file://" in note.inner_text()
        assert page.locator("#search-catalogue-table").is_visible()
        assert len(_catalogue_titles(page)) == 15
        assert page.locator("#search-form").is_hidden()
    finally:
        page.close()


def test_the_index_holds_the_item_pages_only_in_a_part_per_year(real_build):
    import json

    parts = json.loads((real_build / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    assert parts == ["2023", "2022", "2021"]  # the newest first: the search page loads it first
    counts = {}
    for part in parts:
        entry = json.loads((real_build / "pagefind" / part / "pagefind-entry.json").read_text(encoding="utf-8"))
        counts[part] = sum(language["page_count"] for language in entry["languages"].values())
        assert (real_build / "pagefind" / part / "pagefind.js").is_file()
    assert sum(counts.values()) == 15  # 15 items of 2021–2023; no list, search or catalogue page
    assert not list((real_build / "pagefind").rglob("pagefind-ui*"))  # the ready-made UIs are left out


def test_a_part_made_by_a_program_that_made_others_before_is_the_part_made_alone(real_build, tmp_path):
    """A build's Pagefind programs each make one part after another (write.search_index.IndexPrograms):
    the three years' parts made by one program, the oldest first, are the parts the build made."""
    import json

    from site_builder.write.search_index import IndexPrograms, search_index

    programs = IndexPrograms(tmp_path)
    made = {}
    try:
        for year in ("2021", "2022", "2023"):
            entry = json.loads((real_build / "pagefind" / year / "pagefind-entry.json").read_text(encoding="utf-8"))
            pages = {path.relative_to(real_build).as_posix(): path
                     for path in (real_build / "disclosure" / year).glob("*.html") if path.name != "index.html"}
            assert len(pages) == sum(language["page_count"] for language in entry["languages"].values())
            made.update(search_index(pages, programs, real_build, year))
        assert len(programs._running) == 1  # one program made them all
    finally:
        programs.close()
    assert list(tmp_path.iterdir()) == []  # its private folder removed
    built = {path: data for path, data in snapshot(real_build).items() if path.startswith("pagefind/20")}
    assert len(made) > 10 and made == built


def test_a_page_unreadable_while_its_part_is_sent_is_reported_and_the_next_part_is_made(real_build, tmp_path):
    """A part's pages are read one by one as they are sent to Pagefind (never all held at once): one that
    cannot be read then stops the part with P802 naming the output folder, not a hang or a traceback, and
    the program that was making it is ended; the next part is made by another, as the build made it."""
    import json
    import shutil

    from site_builder.errors import SiteError
    from site_builder.write.search_index import IndexPrograms, search_index

    def pages_of(year: str, root) -> dict:
        return {path.relative_to(root).as_posix(): path
                for path in (root / "disclosure" / year).glob("*.html") if path.name != "index.html"}

    copy = tmp_path / "copy"
    shutil.copytree(real_build, copy)
    pages = pages_of("2023", copy)
    last = sorted(pages)[-1]
    pages[last].unlink()  # the last one sent: the others are in the program already
    programs = IndexPrograms(tmp_path / "work")
    (tmp_path / "work").mkdir()
    try:
        with pytest.raises(SiteError) as raised:
            search_index(pages, programs, copy, "2023")
        assert [finding.code for finding in raised.value.findings] == ["P802"]
        assert str(copy) in raised.value.findings[0].message
        assert programs._running == [] and programs._idle == []  # the failed part's program ended
        made = search_index(pages_of("2022", real_build), programs, real_build, "2022")
    finally:
        programs.close()
    assert json.loads(made["pagefind/2022/pagefind-entry.json"]) == json.loads(
        (real_build / "pagefind" / "2022" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert made == {path: data for path, data in snapshot(real_build).items() if path.startswith("pagefind/2022/")}


_FAILING_PROGRAM = """#!{python}
import base64, json, sys
request = sys.stdin.buffer.read(1)
if {answers}:  # answers every request with an error, as Pagefind does with one it cannot carry out
    buffer = request
    while chunk := sys.stdin.buffer.read1(1 << 16):
        buffer += chunk
        *requests, buffer = buffer.split(b",")
        for encoded in requests:
            number = json.loads(base64.b64decode(encoded))["message_id"]
            answer = {{"message_id": number, "payload": {{"type": "Error", "message": "索引写不下"}}}}
            sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
            sys.stdout.buffer.flush()
"""


@pytest.mark.parametrize("failure, said", [("ends-at-once", "提前退出"), ("answers-an-error", "索引写不下"),
                                           ("cannot-start", "无法启动")])
def test_a_failing_index_program_stops_the_build_with_the_output_as_it_was(tmp_path, monkeypatch, failure, said):
    import sys

    from site_builder.write import search_index

    site = copy_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = snapshot(out)
    program = tmp_path / "pagefind"
    program.write_text(_FAILING_PROGRAM.format(python=sys.executable, answers=failure == "answers-an-error"),
                       encoding="utf-8")
    program.chmod(0o644 if failure == "cannot-start" else 0o755)
    monkeypatch.setattr(search_index, "_program", lambda: program)
    threads = threading.active_count()
    report = site / "content" / "2023" / "self-evaluation-report.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n\n新的一段。\n", encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 1, stdout + stderr
    assert "P715" in stdout + stderr
    assert said in stdout + stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pagefind", "site"]
    assert threading.active_count() == threads


def test_a_year_of_many_pages_is_split_into_parts_that_keep_their_pages():
    from site_builder.write.search_index import SHARD_PAGES, parts

    pages = {f"disclosure/2023/p{n}.html": 2023 for n in range(2 * SHARD_PAGES + 10)}
    pages.update({f"disclosure/2022/p{n}.html": 2022 for n in range(20)})
    split = parts(pages)
    assert set(split) == {"2022", "2023-1", "2023-2", "2023-3"}
    assert sorted(path for paths in split.values() for path in paths) == sorted(pages)
    assert all(len(paths) < 1.2 * SHARD_PAGES for paths in split.values())
    more = dict(pages, **{"disclosure/2023/new.html": 2023})  # one page more: the others stay where they were
    again = parts(more)
    moved = [name for name in split if set(split[name]) - set(again.get(name, []))]
    assert moved == []


def _index_texts(out: Path) -> str:
    """Every file of the index as text, the gzip-compressed ones decompressed, without the
    zero-width spaces Pagefind puts between the words it segments."""
    texts = []
    for path in sorted((out / "pagefind").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(texts).replace("\u200b", "")


def _fragments(out: Path) -> dict[str, str]:
    """Each indexed page's text as Pagefind keeps it for excerpts (its fragment), by the page's path."""
    import json
    found = {}
    for path in (out / "pagefind").rglob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        found[fragment["url"].lstrip("/")] = fragment["content"].replace("\u200b", "")
    return found


def test_the_index_leaves_out_what_every_form_repeats(real_build):
    """The blank marks (“空” for screen readers), the download list and the hints are on every form:
    indexed, a search for 空, 表格 or Excel would find every form. What the form holds is indexed."""
    fragments = _fragments(real_build)
    page = real_build / GAOSAN
    html = page.read_text(encoding="utf-8")
    assert html.count('<span class="visually-hidden">空</span>') > 10 and "CSV 表格" in html and "左右滑动" in html
    text = fragments[GAOSAN]
    assert "高三复习迎考" in text and "执行率" in text and "=<50万" in text
    for repeated in ("空", "CSV 表格", "Excel 表格", "JSON 数据", "左右滑动", "以上数字照签字原表"):
        assert repeated not in text, repeated


def test_the_index_holds_no_unmasked_mobile_number(tmp_path):
    site = copy_site(tmp_path / "site")
    summary = site / "content" / "2021" / "work-summary.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n\n联系人手机 13973032708，备用 15807301234。\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    texts = _index_texts(out)
    assert "139****2708" in texts and "158****1234" in texts  # the sentence is indexed, masked
    assert not MOBILE.search(texts)


def test_two_builds_give_byte_identical_indexes(tmp_path):
    site = copy_site(tmp_path / "site")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli("build", "--site", site, "--out", first)[0] == 0
    (site / ".site-builder-cache").rename(tmp_path / "cache")
    assert run_cli("build", "--site", site, "--out", second)[0] == 0
    one = {p: d for p, d in snapshot(first).items() if p.startswith("pagefind/")}
    two = {p: d for p, d in snapshot(second).items() if p.startswith("pagefind/")}
    assert any("/filter/" in p or p.startswith("pagefind/filter/") for p in one)  # year and kind filters
    assert len(one) > 10 and one == two


def test_the_index_does_not_depend_on_the_file_system_it_is_built_on(tmp_path):
    """Built on the test's folder and on a RAM disk (which lists a folder in another order, newest
    file first), and with the pages of a year written in the opposite order: the same index."""
    import shutil
    import tempfile
    site = copy_site(tmp_path / "site")
    first = tmp_path / "first"
    assert run_cli("build", "--site", site, "--out", first)[0] == 0
    ram = Path("/dev/shm") if Path("/dev/shm").is_dir() else tmp_path
    with tempfile.TemporaryDirectory(dir=ram) as other:
        (site / ".site-builder-cache").rename(tmp_path / "cache")
        year = site / "content" / "2023" / "projects"
        for record in sorted(year.iterdir(), reverse=True):  # written again, the last one first
            record.write_bytes(record.read_bytes())
        second = Path(other) / "out"
        assert run_cli("build", "--site", site, "--out", second)[0] == 0
        one = {p: d for p, d in snapshot(first).items() if p.startswith("pagefind/")}
        two = {p: d for p, d in snapshot(second).items() if p.startswith("pagefind/")}
        shutil.rmtree(second)
    assert len(one) > 10 and one == two


def test_the_index_follows_a_changed_page_and_is_left_alone_otherwise(tmp_path):
    site = copy_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = {p: (out / p).stat().st_ino for p in snapshot(out) if p.startswith("pagefind/")}
    assert run_cli("build", "--site", site, "--out", out)[0] == 0  # nothing changed: nothing indexed
    assert {p: (out / p).stat().st_ino for p in snapshot(out) if p.startswith("pagefind/")} == before
    plan = site / "content" / "2022" / "work-plan.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n\n新增一句关于劳动教育基地的话。\n", encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = {p for p in snapshot(out) if p.startswith("pagefind/")}
    assert after != set(before)
    # only the parts of the changed pages were made again (the plan, and the 2021 department form
    # that embeds it): the 2023 part is the very same files
    others = {p: inode for p, inode in before.items() if p.startswith("pagefind/2023/")}
    assert others and {p: (out / p).stat().st_ino for p in others} == others
    assert any(p.startswith("pagefind/2022/") for p in set(before) - after)
    assert "劳动教育基地" in _index_texts(out)
    assert not any(p.startswith("pagefind/") and "ui" in p for p in after)


def test_the_parts_started_during_the_second_reading_are_those_made_after_it(tmp_path, monkeypatch):
    """A whole build into a new folder gives each part of the index to Pagefind as soon as the last of
    its pages is rendered, during the second reading (pipeline.incremental._ChangedParts): on the real
    site the part of 2022 at once, 2021 and 2023 as their forms are rendered again. The index is the
    one made once every page is rendered; a part started before its pages were would differ."""
    from site_builder.pipeline import incremental

    site = copy_site(tmp_path / "site")
    during, after = tmp_path / "during", tmp_path / "after"
    started = []
    start = incremental._ChangedParts._decide
    monkeypatch.setattr(incremental._ChangedParts, "_decide",
                        lambda self, part: (started.append(part), start(self, part)))
    assert run_cli("build", "--site", site, "--out", during)[0] == 0
    assert started == ["2022", "2021", "2023"]
    (site / ".site-builder-cache").rename(tmp_path / "cache")
    monkeypatch.setattr(incremental._ChangedParts, "rendered", lambda self, result: None)  # all started at the end
    assert run_cli("build", "--site", site, "--out", after)[0] == 0
    one = {p: d for p, d in snapshot(during).items() if p.startswith("pagefind/")}
    two = {p: d for p, d in snapshot(after).items() if p.startswith("pagefind/")}
    assert len(one) > 10 and one == two


@pytest.mark.parametrize("failure", ["program ends at once", "second reading breaks"])
def test_a_whole_build_that_fails_with_parts_started_leaves_nothing_behind(tmp_path, monkeypatch, failure):
    """The parts started during the second reading (see above): a program that ends at once stops the
    build (P715), a bug in the second reading once parts are started stops it too (exit 3); either way
    no output folder, no program and no thread is left."""
    import sys

    from site_builder.pipeline import incremental
    from site_builder.write import search_index

    site = copy_site(tmp_path / "site")
    if failure == "program ends at once":
        program = tmp_path / "pagefind"
        program.write_text(_FAILING_PROGRAM.format(python=sys.executable, answers=False), encoding="utf-8")
        program.chmod(0o755)
        monkeypatch.setattr(search_index, "_program", lambda: program)
    else:
        rendered = incremental._ChangedParts.rendered

        def breaks(self, result):
            rendered(self, result)
            if self._index.made:  # parts started
                raise RuntimeError("a bug of the second reading")

        monkeypatch.setattr(incremental._ChangedParts, "rendered", breaks)
    threads = threading.active_count()
    code, stdout, stderr = run_cli("build", "--site", site, "--out", tmp_path / "out")
    if failure == "program ends at once":
        assert code == 1 and "P715" in stdout + stderr and "提前退出" in stdout + stderr
    else:
        assert code == 3 and "a bug of the second reading" in stderr
    assert {p.name for p in tmp_path.iterdir()} <= {"pagefind", "site"}  # no output, no staging folder
    assert threading.active_count() == threads
