"""The real site in Chromium as readers on phones and in 长辈模式 see it (issue 14):
each indicator row readable as one block at 375 px, table semantics kept in the
accessibility tree while the tables stack, 长辈模式's text size and targets, and
screenshots of a year overview and a form page kept as test artefacts."""

from __future__ import annotations

import pytest

from a11y_support import SCREENSHOTS

MODES = pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder-mode"])
YEAR_2023 = "disclosure/2023/index.html"

# For every row of every indicator table: is its 三级 header and its 得分 cell
# inside the viewport together, once the row is scrolled to the top?
ROWS_IN_VIEW_JS = """() => {
  const out = [];
  for (const table of document.querySelectorAll('table.indicator-table')) {
    const scoreHeader = [...table.querySelectorAll('thead th')].find(th => th.textContent.trim() === '得分');
    if (!scoreHeader) { out.push(`${table.id}: no 得分 column`); continue; }
    for (const row of table.querySelectorAll('tbody tr')) {
      const name = row.querySelector('th[scope="row"]');
      const score = [...row.querySelectorAll('td')].find(td => (td.getAttribute('headers') || '').split(' ').includes(scoreHeader.id));
      if (!name || !score) { out.push(`${table.id}: a row without its name or 得分`); continue; }
      if (row.classList.contains('blank-row') && getComputedStyle(score).display === 'none') continue;
      name.scrollIntoView({block: 'start'});
      const a = name.getBoundingClientRect(), b = score.getBoundingClientRect();
      const inside = (r) => r.width > 0 && r.height > 0 && r.left >= -0.5 && r.right <= innerWidth + 0.5
                             && r.top >= -0.5 && r.bottom <= innerHeight + 0.5;
      if (!inside(a) || !inside(b)) {
        out.push(`${table.id} "${name.textContent.trim().slice(0, 20)}": name ${Math.round(a.left)},${Math.round(a.top)}–${Math.round(a.right)},${Math.round(a.bottom)}, 得分 ${Math.round(b.left)},${Math.round(b.top)}–${Math.round(b.right)},${Math.round(b.bottom)} in ${innerWidth}×${innerHeight}`);
      }
    }
  }
  return out;
}"""

SMALL_TARGETS_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('a[href], button')) {
    if (el.closest('.visually-hidden, [hidden]') || el.matches('.skip-link')) continue;
    if (el.closest('.prose p, .prose li, p')) continue;  // links inside running text (WCAG 2.5.5's inline exception)
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.height < 44 - 0.5) out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 20)}": ${r.height.toFixed(1)}px high`);
  }
  return out;
}"""


def _form_pages(documents) -> list[str]:
    return [path for path, doc in documents.items() if doc.find(lambda n: "indicator-table" in n.classes)]


@MODES
def test_at_375px_each_indicator_row_shows_its_name_and_score_together(new_context, documents, elder):
    forms = _form_pages(documents)
    assert len(forms) >= 10
    page = new_context(width=375, height=667, elder=elder).new_page()
    problems = []
    for path in forms:
        page.goto(path)
        problems += [f"{path}: {problem}" for problem in page.evaluate(ROWS_IN_VIEW_JS)]
    assert not problems, "\n".join(problems[:40])


def test_stacked_tables_keep_their_table_semantics_in_the_accessibility_tree(new_context, project_page):
    """display:block on table parts can make a browser drop table semantics: Chromium's tree still has them."""
    page = new_context(width=375, height=667, elder=True).new_page()
    page.goto(project_page)
    assert page.evaluate("getComputedStyle(document.querySelector('.indicator-table tbody tr')).display") == "grid"
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
    assert roles.count("table") >= 3, roles.count("table")
    assert "rowheader" in roles and "columnheader" in roles
    assert roles.count("cell") + roles.count("gridcell") > 50
    assert roles.count("row") > 20


def test_on_wide_screens_tables_stay_tables_and_printing_is_unchanged(new_context, project_page):
    page = new_context(width=1280, height=900).new_page()
    page.goto(project_page)
    assert page.evaluate("getComputedStyle(document.querySelector('.indicator-table tbody tr')).display") == "table-row"
    page.emulate_media(media="print")
    page2 = new_context(width=375, height=667, elder=True).new_page()
    page2.goto(project_page)
    page2.emulate_media(media="print")
    assert page2.evaluate("getComputedStyle(document.querySelector('.indicator-table tbody tr')).display") == "table-row"
    assert page2.evaluate("getComputedStyle(document.querySelector('.indicator-table thead')).position") != "absolute"


@pytest.mark.parametrize("width", [375, 1280])
def test_elder_mode_text_is_at_least_a_quarter_larger(new_context, page_paths, width):
    sizes = {}
    for elder in (False, True):
        page = new_context(width=width, height=900, elder=elder).new_page()
        page.goto(YEAR_2023)
        sizes[elder] = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert sizes[True] >= 1.25 * sizes[False] - 0.01, sizes


@pytest.mark.parametrize("width", [375, 1280])
def test_elder_mode_targets_are_at_least_44px(new_context, page_paths, width):
    page = new_context(width=width, height=900, elder=True).new_page()
    problems = []
    for path in page_paths:
        page.goto(path)
        problems += [f"{path}: {problem}" for problem in page.evaluate(SMALL_TARGETS_JS)]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("width", [375, 1280])
@MODES
def test_screenshots_of_a_year_overview_and_a_form(new_context, project_page, width, elder):
    """Kept in test-artifacts/screenshots/ (git-ignored; CI keeps them as artefacts)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    mode = "elder" if elder else "normal"
    page = new_context(width=width, height=900, elder=elder).new_page()
    shots = []
    for name, path in (("year-overview", YEAR_2023), ("form-xinxihua", "disclosure/2023/jiaoyu-xinxihua.html"),
                       ("form", project_page)):
        page.goto(path)
        shots.append(SCREENSHOTS / f"{name}-{width}-{mode}.png")
        page.screenshot(path=shots[-1], full_page=True)
    for shot in shots:
        assert shot.stat().st_size > 5000, f"{shot} looks empty"
    print("screenshots:", *map(str, shots))
