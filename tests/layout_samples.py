"""Sample sites of form layouts, for the tests of layouts (tests/layouts) and of accessibility (tests/a11y).

`sample_site(folder)` writes a site holding one filled record of every shipped
layout and a form kept as a grid with merged cells; `table_cells(html, id)`
reads a built table back as rows of (tag, text, attributes).
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from sitetest import CONTENT
from site_builder.layouts import load_layouts
from site_builder.layouts.skeleton import record_skeleton

# A value for each cell key of the shipped layouts: figures where the form prints figures.
SAMPLE_VALUES = {
    "weight": "10", "score": "9", "initial": "50", "annual": "50", "budget": "50", "adjusted": "50",
    "executed": "45", "rate": "90%", "actual": "95%", "target": "100%", "filled_date": "2025年3月1日",
    "grade": "优", "title": "收入支出表",
}

MERGED_GRID = """\
kind: department-evaluation
layout: grid
year: 2024
slug: merged-grid
name: 某单位收支表
tables:
  - title: 收支情况表
    rows:
      - [项目, {text: 收入, colspan: 2}, {text: 支出, colspan: 2}]
      - [{text: 基本经费, rowspan: 2}, "100.00", "80.00", "60.00", "40.00"]
      - ["20.00", "10.00", "5.00", "5.00"]
      - [合计, "120.00", "90.00", "65.00", {text: "45.00"}]
"""


# The sample figures are not made to add up: their arithmetic findings are acknowledged, so the site builds.
SAMPLE_ACKNOWLEDGEMENTS = "acknowledgements:\n" + "".join(
    f"  - {{code: {code}, reason: 示例数据}}\n"
    for code in ("F301", "F303", "F304", "F305", "F306", "F308", "F309", "F310", "F311", "F312", "F313"))


def sample_value(path: tuple[str, ...]) -> str:
    return SAMPLE_VALUES.get(path[-1], f"示例{path[-1]}")


def sample_site(folder: Path) -> Path:
    """A site with a sample record of every shipped layout under content/2024/."""
    (folder / "content" / "2024").mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTENT / "site.yaml", folder / "content" / "site.yaml")
    for layout in load_layouts(None).distinct():
        text = record_skeleton(layout, "2024", f"示例{layout.id}", layout.id, sample_value)
        (folder / "content" / "2024" / f"{layout.id}.yaml").write_text(text + SAMPLE_ACKNOWLEDGEMENTS, encoding="utf-8")
    (folder / "content" / "2024" / "merged-grid.yaml").write_text(MERGED_GRID, encoding="utf-8")
    return folder


# Marks the page adds to a cell (issue 14): a published note's link (说明 N) and the mark of a
# cell the form leaves blank (— 空). A cell's text, as the form prints it, leaves them out.
PAGE_MARKS = ("note-ref", "blank")


class _Tables(HTMLParser):
    def __init__(self, table_id: str):
        super().__init__(convert_charrefs=True)
        self.table_id, self.inside, self.rows, self.cell = table_id, 0, [], None
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping or any(mark in (attrs.get("class") or "").split() for mark in PAGE_MARKS):
            self.skipping += 1
            if self.cell is not None and "blank" in (attrs.get("class") or "").split():
                self.cell[2]["blank-mark"] = "1"
            return
        if tag == "table":
            if self.inside or attrs.get("id") == self.table_id:
                self.inside += 1
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td"):
            self.cell = [tag, "", attrs]
        elif self.inside and tag == "br" and self.cell is not None:
            self.cell[1] += "\n"

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
            return
        if tag == "table" and self.inside:
            self.inside -= 1
        elif self.inside and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.skipping:
            self.cell[1] += data


def table_cells(html: str, table_id: str) -> list[list[tuple[str, str, dict]]]:
    """The table of `table_id` in `html`: rows of (tag, text, attributes)."""
    parser = _Tables(table_id)
    parser.feed(html)
    return parser.rows
