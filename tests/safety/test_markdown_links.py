"""No script and no third-party request from a Markdown document (issue 13, point 3).

Every vector is written into a real document of a temporary site, built with
the CLI, and the page is read as a browser would: every href and src with
character references decoded and tabs, line breaks and spaces removed. The
checker must name the line of each one.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest

from sitetest import CONTENT, FIXTURES, run_cli, visible_text
from site_builder.render import markdown_body
from site_builder.render.safe_links import sanitise

REPORT = "content/2023/self-evaluation-report.md"
PAGE = "build/disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"
ALLOWED = {"http", "https", "mailto", "tel"}

# (Markdown, the words that must stay on the page) for links that must become plain text
UNSAFE_LINKS = [
    ("[甲一](javascript:alert(1))", "甲一"),
    ("[甲二](JaVaScRiPt:alert(1))", "甲二"),
    ("[甲三](jav&#x61;script:alert(1))", "甲三"),
    ("[甲四](&#106;avascript:alert(1))", "甲四"),
    ("[甲五](&#0000106avascript:alert(1))", "甲五"),
    ("[甲六](java\tscript:alert(1))", "甲六"),
    ("[甲七]( javascript:alert(1))", "甲七"),
    ("[甲八](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "甲八"),
    ("[甲九](vbscript:msgbox(1))", "甲九"),
    ("[乙一](VBScript:msgbox(1))", "乙一"),
    ("[乙二](file:///etc/passwd)", "乙二"),
    ("[乙三](//evil.example/)", "乙三"),
    ("[乙四](\\\\evil.example/)", "乙四"),
    ("[乙五][js]", "乙五"),
    ("[乙六][data]", "乙六"),
    ("[乙七 *强调*](javascript:void(0))", "乙七强调"),
]
DEFINITIONS = ["[js]: javascript:alert(document.cookie)", "[data]: DATA:text/html,<script>alert(1)</script>"]
SAFE_LINKS = [
    ("[丙一](https://www.yueyang.gov.cn/)", "https://www.yueyang.gov.cn/"),
    ("[丙二](http://example.com/a?b=1&c=2)", "http://example.com/a?b=1&c=2"),
    ("[丙三](mailto:office@example.com)", "mailto:office@example.com"),
    ("[丙四](tel:0730-8805696)", "tel:0730-8805696"),
    ("[丙五](../index.html)", "../index.html"),
    ("[丙六](#s1)", "#s1"),
]
IMAGES = [  # (Markdown, what stays: (href of the link it became, words) or words only)
    ("![丁一照片](https://example.com/photo.jpg)", ("https://example.com/photo.jpg", "丁一照片")),
    ("![丁二](http://example.com/x.png \"题\")", ("http://example.com/x.png", "丁二")),
    ("![丁三][img]", ("https://example.com/ref.png", "丁三")),
    ("![丁四](data:image/png;base64,iVBORw0KGgo=)", "丁四"),
    ("![丁五](//evil.example/pixel.gif)", "丁五"),
    ("[![丁六](https://example.com/in-link.png)](https://example.com/)", "丁六"),
]
IMAGE_DEFINITIONS = ["[img]: https://example.com/ref.png"]
RAW_HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">戊一</a>',
            "<iframe src=\"https://evil.example/\"></iframe>"]


class _Addresses(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.images, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "img":
            self.images.append(attributes.get("src", ""))


def _addresses(page_html: str) -> _Addresses:
    parser = _Addresses()
    parser.feed(page_html)
    return parser


def _scheme(address: str) -> str | None:
    """The scheme a browser reads (None: relative)."""
    plain = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(address)).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", plain)
    return match.group(1) if match else ("//" if plain.startswith(("//", "\\", "/\\")) else None)


def _write_vectors(site) -> list[str]:
    report = site / REPORT
    lines = [markdown for markdown, _ in UNSAFE_LINKS + SAFE_LINKS] + [markdown for markdown, _ in IMAGES] + RAW_HTML
    text = report.read_text(encoding="utf-8") + "\n" + "\n\n".join(lines) + "\n\n" + "\n".join(
        DEFINITIONS + IMAGE_DEFINITIONS) + "\n"
    report.write_text(text, encoding="utf-8")
    return text.splitlines()


@pytest.fixture
def built(site):
    lines = _write_vectors(site)
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    page = (site / PAGE).read_text(encoding="utf-8")
    return site, lines, page


def test_no_link_on_the_page_has_a_scheme_other_than_http_mailto_tel(built):
    _, _, page = built
    addresses = _addresses(page)
    assert addresses.links
    bad = [a for a in addresses.links if _scheme(a) is not None and _scheme(a) not in ALLOWED]
    assert bad == []


def test_unsafe_links_become_their_words(built):
    _, _, page = built
    text = re.sub(r"\s+", "", visible_text(page))
    for _, words in UNSAFE_LINKS:
        assert words in text


def test_safe_links_stay_links(built):
    _, _, page = built
    links = _addresses(page).links
    for _, href in SAFE_LINKS:
        assert href in links


def test_external_images_become_links_and_nothing_is_loaded_from_another_site(built):
    _, _, page = built
    addresses = _addresses(page)
    assert [src for src in addresses.images if _scheme(src) is not None] == []
    assert not any(_scheme(value) in ("http", "https", "//") for tag, attributes in addresses.tags if tag != "a"
                   for name, value in attributes.items() if name in ("src", "srcset", "poster", "data"))
    text = re.sub(r"\s+", "", visible_text(page))
    for _, result in IMAGES:
        if isinstance(result, tuple):
            href, words = result
            assert re.search(rf'<a href="{re.escape(href)}">{re.escape(words)}</a>', page), href
        else:
            assert result in text


def test_raw_html_is_shown_as_text_never_as_markup(built):
    _, _, page = built
    tags = _addresses(page).tags
    assert "iframe" not in {tag for tag, _ in tags}
    scripts = [attributes.get("src", "") for tag, attributes in tags if tag == "script"]
    assert all(src.endswith("assets/elder-mode.js") for src in scripts), scripts  # the theme's own only
    text = visible_text(page)
    for raw in RAW_HTML:
        assert raw in text


def test_the_checker_names_the_line_of_every_link_and_image(built):
    site, lines, _ = built
    code, stdout, _ = run_cli("check", "--site", site, "--format", "json")
    findings = [f for f in json.loads(stdout) if f["path"] == REPORT]
    p704 = sorted((f["line"], f["severity"]) for f in findings if f["code"] == "P704")
    expected = sorted([lines.index(markdown) + 1 for markdown, _ in UNSAFE_LINKS if "][" not in markdown]
                      + [lines.index(definition) + 1 for definition in DEFINITIONS])
    assert [line for line, _ in p704] == expected
    assert {severity for _, severity in p704} == {"warning"}
    p705 = sorted(f["line"] for f in findings if f["code"] == "P705")
    assert p705 == sorted([lines.index(markdown) + 1 for markdown, _ in IMAGES if "][" not in markdown]
                          + [lines.index(IMAGE_DEFINITIONS[0]) + 1])
    for finding in findings:
        if finding["code"] in ("P704", "P705"):
            assert finding["column"] >= 1 and finding["hint"]


def test_the_rules_explain_themselves():
    for code in ("P704", "P705"):
        status, stdout, _ = run_cli("rules", code)
        assert status == 0 and "错误的写法" in stdout and "正确的写法" in stdout


# --- nh3: the second line of defence ---------------------------------------------------------

@pytest.mark.parametrize("fragment, forbidden", [
    ("<p>a<script>alert(1)</script></p>", "<script"),
    ('<p><img src="x" onerror="alert(1)"></p>', "onerror"),
    ('<p><a href="javascript:alert(1)">x</a></p>', "javascript"),
    ('<table><tr><td style="background:url(https://evil.example/)">x</td></tr></table>', "evil"),
    ('<p><iframe src="https://evil.example/"></iframe></p>', "iframe"),
    ('<p style="color:red" onclick="x()">a</p>', "onclick"),
    ('<svg><use href="data:image/svg+xml,x"></use></svg>', "data:"),
])
def test_the_sanitiser_removes_what_markdown_here_never_makes(fragment, forbidden):
    assert forbidden not in sanitise(fragment)


def _documents():
    """The bodies of the real documents, and the seed texts read as Markdown."""
    for path in sorted(CONTENT.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        yield path.name, text.split("\n---", 1)[1]
    for path in sorted(FIXTURES.glob("seed-*.txt")):
        yield path.name, path.read_text(encoding="utf-8")


def test_the_sanitiser_leaves_the_real_documents_byte_identical(monkeypatch):
    """The allow-list covers everything the real content renders to: nh3 changes nothing there."""
    documents = list(_documents())
    assert len(documents) >= 5
    sanitised = {name: markdown_body._rendered.__wrapped__(body, 2, "").html for name, body in documents}
    monkeypatch.setattr(markdown_body, "sanitise", lambda fragment: fragment)
    for name, body in documents:
        assert markdown_body._rendered.__wrapped__(body, 2, "").html == sanitised[name], name


def test_markdown_constructs_survive_the_sanitiser_unchanged(monkeypatch):
    body = ("## 一、标题\n\n段落 *强调* **加粗** `代码`\n\n- 甲\n- 乙\n\n1. 一\n2. 二\n\n> 引用\n\n"
            "| 左 | 右 |\n|:--|--:|\n| 1 | 2 |\n\n---\n\n    代码块\n\n[链接](https://example.com \"标题\")\n"
            "行尾换行  \n下一行\n\n![图](images/a.png)\n")
    cleaned = markdown_body._rendered.__wrapped__(body, 2, "").html
    monkeypatch.setattr(markdown_body, "sanitise", lambda fragment: fragment)
    assert markdown_body._rendered.__wrapped__(body, 2, "").html == cleaned
