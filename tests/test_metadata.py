"""Page metadata, sitemap.xml, the Atom feed and the home page's latest items (issue 15);
P712 for an empty year folder."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sitetest import copy_site, run_cli, snapshot

GAOSAN = "disclosure/2023/gaosan-fuxi-yingkao.html"
REPORT = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta name="([A-Za-z]+)" content="([^"]*)">', html))


def _configured_site(tmp_path):
    site = copy_site(tmp_path / "site")
    settings = site / "content" / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("base_url:  ", "base_url: https://www.example.gov.cn/jky/  ", 1)
    text = text.replace("  site_code:  ", "  site_code: 4306000012  ", 1)
    text += "column_type: 政务公开\n"
    settings.write_text(text, encoding="utf-8")
    report = site / "content" / "2023" / "self-evaluation-report.md"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "\ndate:", "\nkeywords: 绩效自评,部门整体支出\ndescription: 2023年度部门整体支出绩效自评结果\ndate:", 1), encoding="utf-8")
    return site


def test_tags_not_configured_are_left_out(real_build):
    gaosan = _meta((real_build / GAOSAN).read_text(encoding="utf-8"))
    assert gaosan["SiteName"] == "岳阳市教育科学技术研究院"
    assert gaosan["ColumnName"] == "预决算与绩效公开"
    assert gaosan["ArticleTitle"] == "2023年度项目支出绩效自评表：高三复习迎考"
    assert gaosan["PubDate"] == "2024-09-11"
    assert gaosan["ContentSource"] == "岳阳市教育科学技术研究院"
    for name in ("SiteDomain", "SiteIDCode", "ColumnType", "Url", "Keywords", "Description"):
        assert name not in gaosan, name
    assert "PubDate" not in _meta((real_build / "disclosure/2021/gongzuo-zongjie.html").read_text(encoding="utf-8"))
    assert not (real_build / "sitemap.xml").exists() and not (real_build / "feed.xml").exists()  # no base_url


def test_configured_values_and_the_record_s_own_fill_the_tags(tmp_path):
    site = _configured_site(tmp_path)
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    report = _meta((out / REPORT).read_text(encoding="utf-8"))
    assert report["SiteDomain"] == "www.example.gov.cn"
    assert report["SiteIDCode"] == "4306000012"
    assert report["ColumnType"] == "政务公开"
    assert report["Url"] == "https://www.example.gov.cn/jky/" + REPORT
    assert report["Keywords"] == "绩效自评,部门整体支出"
    assert report["Description"] == "2023年度部门整体支出绩效自评结果"
    assert "Keywords" not in _meta((out / GAOSAN).read_text(encoding="utf-8"))
    home = _meta((out / "index.html").read_text(encoding="utf-8"))
    assert home["Url"] == "https://www.example.gov.cn/jky/index.html" and "ArticleTitle" not in home


def test_sitemap_and_feed_are_well_formed_complete_and_deterministic(tmp_path):
    site = _configured_site(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli("build", "--site", site, "--out", first)[0] == 0
    (site / ".site-builder-cache").rename(tmp_path / "cache")
    assert run_cli("build", "--site", site, "--out", second)[0] == 0
    for name in ("sitemap.xml", "feed.xml"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    pages = {path for path in snapshot(first) if path.endswith(".html")
             and path not in ("404.html", "search.html") and not path.startswith("pagefind/")}
    urls = ET.parse(first / "sitemap.xml").getroot()
    listed = [loc.text for loc in urls.iter(f"{SITEMAP}loc")]
    assert sorted(listed) == sorted("https://www.example.gov.cn/jky/" + path for path in pages)
    lastmods = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in urls}
    assert lastmods["https://www.example.gov.cn/jky/" + GAOSAN].text == "2024-09-11"

    feed = ET.parse(first / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}updated").text == "2024-09-11T00:00:00+08:00"  # the newest record's date, not the build's
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 12  # the dated items; the three undated originals cannot be dated in a feed
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("https://www.example.gov.cn/jky/disclosure/2023/")
        assert entry.find(f"{ATOM}title").text and entry.find(f"{ATOM}updated").text.startswith("2024-09-11")


def test_the_home_page_lists_the_latest_items_with_their_dates(real_build):
    html = (real_build / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="latest-heading"'):]
    section = section[:section.index("</section>")]
    items = re.findall(r'<a href="([^"]+)">[^<]+</a>\s*<time datetime="(\d{4}-\d\d-\d\d)">', section)
    assert len(items) == 10
    assert all(date == "2024-09-11" for _, date in items)
    assert "gongzuo-zongjie" not in section  # undated items are not "latest"


def test_an_empty_year_folder_is_a_warning(tmp_path):
    site = copy_site(tmp_path / "site")
    (site / "content" / "2024").mkdir()
    code, stdout, stderr = run_cli("check", "--site", site)
    assert code == 0
    assert "content/2024: P712 警告 2024 年度的文件夹里没有任何记录" in stdout + stderr
    code, stdout, stderr = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 0 and "P712" in stdout + stderr
