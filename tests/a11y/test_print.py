"""The print stylesheet, checked on real printouts: Chromium prints the pages to
PDF (on paper small enough that the indicator table needs several sheets) and
the text of each printed page is read back. A table's header row must be on
every sheet the table's rows are on; every row's cells on one and the same
sheet (no row cut in half); the total (合计) printed once; no site chrome, but a line saying whose page it is."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from a11y_support import ROOT, Node, pdf_contains, pdf_page_texts

# (paper, 长辈模式 stored): A5 makes the project table run over several sheets.
PRINTOUTS = [("A5", False), ("A5", True), ("A4", False)]


def _indicator_table(doc: Node) -> Node:
    table = doc.find(lambda n: n.tag == "table" and "indicator-table" in n.classes)
    assert table is not None
    return table


def _rows(table: Node) -> list[list[str]]:
    """Each body row's texts: its own cells (the rowspan group headers belong to many rows)."""
    rows = []
    for section in (c for c in table.children if isinstance(c, Node) and c.tag == "tbody"):
        for tr in (c for c in section.children if isinstance(c, Node) and c.tag == "tr"):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")
                     and int(c.attrs.get("rowspan", "1")) == 1]
            texts = [c.text().strip() for c in cells if c.text().strip() and "visually-hidden" not in
                     " ".join(n.attrs.get("class", "") for n in c.iter())]
            if texts:
                rows.append(texts)
    return rows


@pytest.mark.parametrize("paper,elder", PRINTOUTS, ids=[f"{p}-{'elder' if e else 'normal'}" for p, e in PRINTOUTS])
def test_printed_tables_repeat_their_header_and_keep_rows_whole(new_context, documents, project_page,
                                                                 page_paths, paper, elder):
    if paper == "A5":
        path = project_page
    else:  # the longest indicator table of the site
        path = max((p for p in page_paths if documents[p].find(lambda n: "indicator-table" in n.classes)),
                   key=lambda p: len(_indicator_table(documents[p]).find_all(lambda n: n.tag == "tr")))
    doc = documents[path]
    table = _indicator_table(doc)
    page = new_context(elder=elder).new_page()
    page.goto(path)
    sheets = pdf_page_texts(page.pdf(format=paper, print_background=True))
    header = "".join(th.text() for th in table.find(lambda n: n.tag == "thead").find_all(lambda n: n.tag == "th"))
    rows = _rows(table)
    assert rows, "the indicator table has no rows"

    def sheets_with(text):
        return [i for i, sheet in enumerate(sheets) if pdf_contains(sheet, text)]

    problems = []
    row_sheets = set()
    for texts in rows:
        together = set(range(len(sheets)))
        for text in texts:
            together &= set(sheets_with(text))
        if not together:
            where = {text: [i + 1 for i in sheets_with(text)] for text in texts}
            problems.append(f"row {texts[0]!r} is cut across sheets: {where}")
        else:
            row_sheets.add(min(together))
    if paper == "A5":
        assert len(row_sheets) >= 2, "the table fits on one A5 sheet: the test proves nothing"
    for i in sorted(row_sheets):
        if not pdf_contains(sheets[i], header):
            problems.append(f"sheet {i + 1} has table rows but not the header row {header!r}")
    total = table.find(lambda n: n.tag == "tfoot").find(lambda n: n.tag == "th").text().strip()
    if doc.text().count(total) == 1 and len(sheets_with(total)) != 1:
        problems.append(f"the total {total!r} is printed on sheets {[i + 1 for i in sheets_with(total)]}")
    for chrome in ("跳到正文", "长辈模式", "主办单位"):
        if sheets_with(chrome):
            problems.append(f"the page's {chrome!r} is printed")
    if sheets_with("来源：岳阳市教育科学技术研究院") != [len(sheets) - 1]:
        problems.append("the printout does not end with the line naming whose page it is")
    assert not problems, f"{path} on {paper}:\n" + "\n".join(problems)


def test_print_styles(new_context, project_page):
    """What the printout test cannot see: computed print styles of the table."""
    page = new_context(elder=True).new_page()
    page.goto(project_page)
    page.emulate_media(media="print")
    styles = page.evaluate("""() => {
        const s = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
        return {
          thead: s('.indicator-table thead', 'display'),
          row: s('.indicator-table tbody tr', 'breakInside'),
          region: s('.table-scroll', 'overflowX'),
          minWidth: s('.indicator-table', 'minWidth'),
          body: parseFloat(s('main p, main dd', 'fontSize')),
        };
    }""")
    assert styles["thead"] == "table-header-group"
    assert styles["row"] == "avoid"
    assert styles["region"] == "visible", "a printed table must not be clipped by its scroll region"
    assert styles["minWidth"] in ("0px", "auto")
    assert styles["body"] <= 16, f"长辈模式's screen size leaks into print: {styles['body']}px"


@pytest.fixture(scope="module")
def built_site_with_base_url(tmp_path_factory) -> tuple[Path, str]:
    """The real content with its published address configured, built: (output folder, base_url)."""
    base = "https://www.example.gov.cn/jky/"
    site = tmp_path_factory.mktemp("print-site")
    shutil.copytree(ROOT / "content", site / "content")
    settings = site / "content" / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "\nbase_url: " in text
    settings.write_text(text.replace("\nbase_url: ", f"\nbase_url: {base}  ", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--site", str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "build", base


def test_a_printout_names_the_page_s_address_when_the_site_has_one(new_context, built_site_with_base_url):
    """Without its header and footer, a printed page says whose it is and, where base_url is set, the
    address it is published at (an auditor's copy that can be traced back); on screen the line is not there."""
    site, base = built_site_with_base_url
    page = new_context().new_page()
    page.goto((site / "disclosure" / "2023" / "index.html").as_uri())
    assert not page.locator(".print-source").is_visible()
    sheets = pdf_page_texts(page.pdf(format="A4"))
    assert pdf_contains(sheets[-1], "来源：岳阳市教育科学技术研究院")
    assert pdf_contains(sheets[-1], f"{base}disclosure/2023/index.html")
