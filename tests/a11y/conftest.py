"""Shared fixtures and helpers of the accessibility suite.

The suite checks the real site (content/ rendered through themes/default/),
built once per session into a temporary folder. Browser tests drive Debian's
Chromium through Playwright; the HTML validator is the Nu Html Checker
(vnu.jar, installed by scripts/test.sh with ``npm ci --prefix tests/tools``).

With CI=true nothing here skips: a missing Chromium, Java or vnu.jar is a
failure. Without CI the browser tests skip only when Chromium is absent and
the validator tests only when Java is absent.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]
VNU_JAR = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ELDER_KEY = "site-builder-elder-mode"
IN_CI = os.environ.get("CI") == "true"


def _unavailable(message: str):
    """Skip on a developer's machine; fail in CI, where everything must run."""
    if IN_CI:
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------
# The real site
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The real site, built once from content/ with the default theme."""
    out = tmp_path_factory.mktemp("a11y-site") / "build"
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not (out / "index.html").is_file():
        pytest.fail(f"site_builder build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
                    pytrace=False)
    return out


@pytest.fixture(scope="session")
def page_paths(site_dir) -> list[str]:
    """Every page of the site, as paths relative to its root (index.html first)."""
    paths = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    assert "index.html" in paths
    paths.remove("index.html")
    return ["index.html", *paths]


@pytest.fixture(scope="session")
def documents(site_dir, page_paths) -> dict[str, "Document"]:
    """Every page parsed into a small element tree, by path."""
    return {path: parse_html((site_dir / path).read_text(encoding="utf-8")) for path in page_paths}


@pytest.fixture(scope="session")
def project_page(documents) -> str:
    """The first project self-evaluation page (the one the screenshots show)."""
    pages = [path for path, doc in documents.items() if doc.find(lambda n: "indicator-table" in n.classes)
             and doc.find(lambda n: n.tag == "meta" and n.attrs.get("name") == "ArticleTitle"
                          and "项目支出绩效自评表" in n.attrs.get("content", ""))]
    assert pages, "the real site has no project self-evaluation page"
    return pages[0]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def base_url(site_dir):
    """The built site served on loopback (port chosen by the system)."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (scripts/test.sh installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # a broken test environment, never a reason to skip
        pytest.fail(f"Playwright is not installed ({exc}); run pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def elder_init_script(on: bool) -> str:
    """Sets the stored 长辈模式 state before any page script runs."""
    return f"try {{ localStorage.setItem({json.dumps(ELDER_KEY)}, {json.dumps('on' if on else 'off')}); }} catch (e) {{}}"


@pytest.fixture(scope="session")
def new_context(browser, base_url):
    """Factory: a fresh browser context on the served site, optionally in 长辈模式."""
    contexts = []

    def make(width: int = 1280, height: int = 900, elder: bool | None = None, **options):
        context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height},
                                      locale="zh-CN", **options)
        if elder is not None:
            context.add_init_script(elder_init_script(elder))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception:  # already closed by the test
            pass


# --------------------------------------------------------------------------
# The Nu Html Checker
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def java():
    found = shutil.which("java")
    if not found:
        _unavailable("Java not found (vnu.jar needs a Java runtime; Debian: default-jre-headless)")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR.relative_to(ROOT)} is missing: run npm ci --prefix tests/tools "
                    "(scripts/test.sh does)", pytrace=False)
    return found


def run_vnu(java: str, folders: list[Path]) -> dict[Path, list[dict]]:
    """vnu, errors only, over whole folders in one run: messages by file."""
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json",
                             *map(str, folders)], capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stderr or "{}")
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not answer in JSON (exit {result.returncode}):\n{result.stderr[:4000]}", pytrace=False)
    by_file: dict[Path, list[dict]] = {}
    for message in report.get("messages", []):
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else Path(url)
        by_file.setdefault(path.resolve(), []).append(message)
    return by_file


def format_vnu(messages: list[dict]) -> str:
    return "\n".join(f"  line {m.get('lastLine', '?')}: [{m.get('type')}/{m.get('subType', '')}] {m.get('message')}"
                     for m in messages)


# --------------------------------------------------------------------------
# A small element tree (html.parser), enough for the structural checks
# --------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    parent: "Node | None" = None
    children: list["Node | str"] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, predicate) -> list["Node"]:
        return [node for node in self.iter() if predicate(node)]

    def find(self, predicate) -> "Node | None":
        return next((node for node in self.iter() if predicate(node)), None)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __repr__(self) -> str:
        ident = f"#{self.attrs['id']}" if "id" in self.attrs else ""
        return f"<{self.tag}{ident} line {self.line}>"


Document = Node


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, 1)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.getpos()[0], self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Document:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --------------------------------------------------------------------------
# The grid check of tables
# --------------------------------------------------------------------------

@dataclass
class Cell:
    node: Node
    section: str      # thead, tbody or tfoot
    row: int          # first row, counted over the whole table
    col: int          # first column
    rowspan: int
    colspan: int

    @property
    def rows(self) -> range:
        return range(self.row, self.row + self.rowspan)

    @property
    def cols(self) -> range:
        return range(self.col, self.col + self.colspan)


@dataclass
class Grid:
    table: Node
    cells: list[Cell]
    width: int
    problems: list[str]


def _span(node: Node, name: str, problems: list[str]) -> int:
    raw = node.attrs.get(name, "1").strip() or "1"
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{node!r}: {name}={raw!r} is not a number")
        return 1
    if value < 1 and not (name == "rowspan" and value == 0):
        problems.append(f"{node!r}: {name}={raw!r} is smaller than 1")
        return 1
    return value


def table_sections(table: Node) -> list[tuple[str, list[Node]]]:
    """(section, rows) in source order; rows directly under <table> form an implied tbody."""
    sections: list[tuple[str, list[Node]]] = []
    for child in table.children:
        if not isinstance(child, Node):
            continue
        if child.tag in ("thead", "tbody", "tfoot"):
            sections.append((child.tag, [row for row in child.children if isinstance(row, Node) and row.tag == "tr"]))
        elif child.tag == "tr":
            if sections and sections[-1][0] == "tbody (implied)":
                sections[-1][1].append(child)
            else:
                sections.append(("tbody (implied)", [child]))
    return sections


def table_grid(table: Node) -> Grid:
    """Expands rowspan and colspan into the table's grid and reports what breaks it:
    rows of different widths, holes, overlapping cells, rowspans that leave their
    row group, and a width that differs from the <colgroup>."""
    problems: list[str] = []
    cells: list[Cell] = []
    row_widths: list[tuple[Node, int]] = []
    first_row = 0
    for section, rows in table_sections(table):
        taken: dict[int, set[int]] = {}
        for r, tr in enumerate(rows):
            col = 0
            for node in tr.children:
                if not isinstance(node, Node) or node.tag not in ("td", "th"):
                    continue
                while col in taken.get(r, set()):
                    col += 1
                rowspan = _span(node, "rowspan", problems)
                colspan = _span(node, "colspan", problems)
                if rowspan == 0:  # to the end of the row group
                    rowspan = len(rows) - r
                if r + rowspan > len(rows):
                    problems.append(f"{node!r}: rowspan={rowspan} reaches {r + rowspan - len(rows)} row(s) "
                                    f"past the end of its {section}")
                    rowspan = len(rows) - r
                for rr in range(r, r + rowspan):
                    for cc in range(col, col + colspan):
                        if cc in taken.setdefault(rr, set()):
                            problems.append(f"{node!r}: overlaps another cell at row {first_row + rr + 1}, "
                                            f"column {cc + 1}")
                        taken[rr].add(cc)
                cells.append(Cell(node, section.split()[0], first_row + r, col, rowspan, colspan))
                col += colspan
        for r, tr in enumerate(rows):
            slots = taken.get(r, set())
            width = max(slots) + 1 if slots else 0
            holes = sorted(set(range(width)) - slots)
            if holes:
                problems.append(f"{tr!r}: no cell in column(s) {', '.join(str(c + 1) for c in holes)}")
            row_widths.append((tr, width))
        first_row += len(rows)
    widths = {w for _, w in row_widths}
    width = max(widths) if widths else 0
    if len(widths) > 1:
        for tr, w in row_widths:
            if w != width:
                problems.append(f"{tr!r}: {w} column(s) wide, the table is {width}")
    colgroup_width = 0
    for colgroup in (c for c in table.children if isinstance(c, Node) and c.tag == "colgroup"):
        cols = [c for c in colgroup.children if isinstance(c, Node) and c.tag == "col"]
        colgroup_width += sum(_span(c, "span", problems) for c in cols) if cols else _span(colgroup, "span", problems)
    if colgroup_width and colgroup_width != width:
        problems.append(f"{table!r}: <colgroup> declares {colgroup_width} column(s), the rows are {width} wide")
    return Grid(table, cells, width, problems)


def grid_problems(document: Document) -> list[str]:
    """Everything the grid check finds on one page, including `headers` tokens
    that do not name a <th> of the same table."""
    problems: list[str] = []
    for table in document.find_all(lambda n: n.tag == "table"):
        grid = table_grid(table)
        problems.extend(grid.problems)
        header_ids = {cell.node.attrs["id"] for cell in grid.cells if cell.node.tag == "th" and "id" in cell.node.attrs}
        for cell in grid.cells:
            for token in cell.node.attrs.get("headers", "").split():
                if token not in header_ids:
                    problems.append(f"{cell.node!r}: headers token {token!r} names no <th> of this table")
    return problems


@pytest.fixture(scope="session")
def grid_check():
    """The grid check as a function of a page's HTML text: its problems."""
    return lambda html: grid_problems(parse_html(html))


def remove_one_cell(html: str, table_marker: str = "indicator-table") -> str:
    """The page with one <td> removed: the first data cell of the first table
    body after `table_marker` (the indicator table by default)."""
    start = html.index("<tbody", html.index(table_marker))
    cell_start = html.index("<td", start)
    cell_end = html.index("</td>", cell_start) + len("</td>")
    return html[:cell_start] + html[cell_end:]
