"""Helpers of the accessibility suite that need no browser: a small element
tree (html.parser), the grid check of tables, and the validator's report."""

from __future__ import annotations

import http.server
import json
import re
import subprocess

import pytest
import unicodedata
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
VNU_JAR = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"  # git-ignored; kept by CI as artefacts
ELDER_KEY = "site-builder-elder-mode"  # the 长辈模式 state in localStorage (assets/elder-mode.js)


# --------------------------------------------------------------------------
# Scripts evaluated in the page (Playwright)
# --------------------------------------------------------------------------

# Every visible text node's element, with the numbers the checks need.
TEXT_ELEMENTS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (el.closest('.visually-hidden, script, style, [hidden]')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    out.push({el, style, text: n.textContent.trim().slice(0, 30)});
  }
  return out;
}"""

DESCRIBE_JS = """(el) => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.className && typeof el.className === 'string') s += '.' + el.className.trim().split(/\\s+/).join('.');
  const parent = el.parentElement && el.parentElement.closest('[id]');
  return parent ? s + ' in #' + parent.id : s;
}"""

# Text smaller than `min_px` (the skip link counts only while it is on screen).
SMALL_TEXT_JS = """([minPx]) => {
  const describe = %s;
  return (%s)().filter(({el, style}) => parseFloat(style.fontSize) < minPx)
    .map(({el, style, text}) => `${describe(el)} "${text}": ${style.fontSize}`);
}""" % (DESCRIBE_JS, TEXT_ELEMENTS_JS)

# Contrast of every visible text (or of the text inside `selectors`) against the
# background it is painted on: the nearest opaque background up the tree, which
# is exact for this theme (no images, no positioned layers under text).
CONTRAST_JS = """([normalMin, largeMin, selectors]) => {
  const describe = %s;
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') return null;
      const c = parse(s.backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) bg = blend(layer, bg);
    return bg;
  };
  const roots = selectors ? selectors.map((s) => document.querySelector(s)).filter(Boolean) : null;
  const problems = [];
  for (const {el, style, text} of (%s)()) {
    if (roots && !roots.some((root) => root.contains(el))) continue;
    const bg = background(el);
    if (!bg) { problems.push(`${describe(el)} "${text}": text on a background image`); continue; }
    const fg = blend(parse(style.color), bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const min = large ? largeMin : normalMin;
    if (ratio < min - 0.005) problems.push(`${describe(el)} "${text}": ${ratio.toFixed(2)}:1 < ${min}:1`);
  }
  return problems;
}""" % (DESCRIBE_JS, TEXT_ELEMENTS_JS)


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


def remove_one_cell(html: str, table_marker: str = "indicator-table") -> str:
    """The page with one <td> removed: the first data cell of the first table
    body after `table_marker` (the indicator table by default)."""
    start = html.index("<tbody", html.index(table_marker))
    cell_start = html.index("<td", start)
    cell_end = html.index("</td>", cell_start) + len("</td>")
    return html[:cell_start] + html[cell_end:]


# --------------------------------------------------------------------------
# Printed pages
# --------------------------------------------------------------------------

def pdf_page_texts(data: bytes) -> list[str]:
    """The text of each page of a PDF that Chromium printed (Skia's output: plain
    objects, Flate streams, fonts with ToUnicode maps), NFKC-normalised. Enough to
    see which text landed on which printed page; not a general PDF reader."""
    objs, streams = {}, {}
    pos = 0
    header = re.compile(rb'(\d+) 0 obj\s*')
    while (m := header.search(data, pos)):
        n, start = int(m.group(1)), m.end()
        s = re.compile(rb'stream\r?\n|endobj')
        k = s.search(data, start)
        if k.group(0) == b'endobj':
            objs[n] = data[start:k.start()]
            pos = k.end()
            continue
        head = data[start:k.start()]
        length = int(re.search(rb'/Length\s+(\d+)', head).group(1))
        raw = data[k.end():k.end() + length]
        objs[n] = head
        streams[n] = zlib.decompress(raw) if b'/FlateDecode' in head else raw
        pos = k.end() + length
    def stream(n):
        return streams[n]
    def ref(body, key):
        m = re.search(rb'/' + key + rb'\s+(\d+) 0 R', body)
        return int(m.group(1)) if m else None
    cmaps = {}
    def cmap(n):
        if n not in cmaps:
            text = stream(n).decode('latin-1')
            table = {}
            for block in re.findall(r'beginbfchar(.*?)endbfchar', text, re.S):
                for src, dst in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>', block):
                    table[int(src, 16)] = bytes.fromhex(dst).decode('utf-16-be', 'replace')
            for block in re.findall(r'beginbfrange(.*?)endbfrange', text, re.S):
                for lo, hi, dst in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>', block):
                    base = int(dst, 16)
                    for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                        table[code] = chr(base + i)
            cmaps[n] = (table, max((len(s) for s in re.findall(r'begincodespacerange\s*<([0-9A-Fa-f]+)>', text)), default=2) // 2)
        return cmaps[n]
    pages_obj = next(b for b in objs.values() if re.search(rb'/Type\s*/Pages\b', b))
    kids = [int(k) for k in re.findall(rb'(\d+) 0 R', re.search(rb'/Kids\s*\[(.*?)\]', pages_obj, re.S).group(1))]
    texts = []
    for page_no in kids:
        page = objs[page_no]
        fonts = {}
        fm = re.search(rb'/Font\s*<<(.*?)>>', page, re.S)
        for name, n in re.findall(rb'/(\w+)\s+(\d+) 0 R', fm.group(1)):
            tu = ref(objs[int(n)], rb'ToUnicode')
            if tu is not None:
                fonts[name.decode()] = cmap(tu)
        cm = re.search(rb'/Contents\s+(?:(\d+) 0 R|\[(.*?)\])', page, re.S)
        content_ids = [int(cm.group(1))] if cm.group(1) else [int(x) for x in re.findall(rb'(\d+) 0 R', cm.group(2))]
        content = b''.join(stream(n) for n in content_ids).decode('latin-1')
        out, font = [], None
        for tok in re.finditer(r'/(\w+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj', content):
            if tok.group(1):
                font = fonts.get(tok.group(1))
                continue
            if font is None:
                continue
            table, width = font
            hexes = re.findall(r'<([0-9A-Fa-f]*)>', tok.group(2)) if tok.group(2) is not None else [tok.group(3)]
            for h in hexes:
                raw = bytes.fromhex(h)
                for i in range(0, len(raw), width):
                    out.append(table.get(int.from_bytes(raw[i:i + width], 'big'), ''))
        texts.append(unicodedata.normalize('NFKC', ''.join(out)))
    return texts


def pdf_key(text: str) -> str:
    """Text as it can be compared with a PDF page's: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_contains(page_text: str, text: str) -> bool:
    """Whether `text` is on the page. Noto CJK maps some glyphs to CJK radicals
    (门 comes out as ⻔), so any radical in the PDF matches any character."""
    key = pdf_key(text)
    if key in page_text:
        return True
    pattern = "".join(f"(?:{re.escape(c)}|[\u2e80-\u2fdf])" for c in key)
    return re.search(pattern, page_text) is not None



# --------------------------------------------------------------------------
# Serving a built site, 长辈模式, the validator (shared by the suite's modules)
# --------------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def elder_init_script(on: bool) -> str:
    """Sets the stored 长辈模式 state before any page script runs."""
    return f"try {{ localStorage.setItem({json.dumps(ELDER_KEY)}, {json.dumps('on' if on else 'off')}); }} catch (e) {{}}"


def run_vnu(java: str, folders: list[Path]) -> dict[Path, list[dict]]:
    """vnu, errors only, over whole folders in one run: messages by file."""
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json",
                             *map(str, folders)], capture_output=True, text=True, timeout=600)
    output = result.stderr
    start = output.find('{"messages"')  # the JVM may print notices before the report
    try:
        report = json.loads(output[start:] if start >= 0 else output or "{}")
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not answer in JSON (exit {result.returncode}):\n{result.stderr[:4000]}", pytrace=False)
    by_file: dict[Path, list[dict]] = {}
    for message in report.get("messages", []):
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else Path(url)
        by_file.setdefault(path.resolve(), []).append(message)
    return by_file
