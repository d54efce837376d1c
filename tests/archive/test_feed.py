"""The Atom feed lists the corrections of archived years (issue 15), dated by the archive, not the build."""

from __future__ import annotations

import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
REASON = "项目支出表第3行得分录入错误，按原表更正"


def test_the_feed_lists_corrections_of_archived_years(arc, archived, tmp_path):
    settings = archived / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "base_url:  ", "base_url: https://www.example.gov.cn/jky/  ", 1), encoding="utf-8")
    arc.ok("archive", "2023", "--site", archived, "--supersede", "--reason", REASON)
    out = arc.build(archived, tmp_path / "out")
    feed = ET.parse(out / "feed.xml").getroot()
    corrections = [e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text.startswith("更正")]
    assert len(corrections) == 1
    assert corrections[0].find(f"{ATOM}summary").text == REASON
    assert corrections[0].find(f"{ATOM}id").text == "https://www.example.gov.cn/jky/archive/2023/index.html"
    assert corrections[0].find(f"{ATOM}updated").text == f"{arc.ARCHIVED_ON}T00:00:00+08:00"
    assert feed.find(f"{ATOM}updated").text == f"{arc.ARCHIVED_ON}T00:00:00+08:00"  # newer than every record
