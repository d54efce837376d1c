"""Every page of the real site: language, skip link, landmarks, headings,
breadcrumbs, a title naming the record and its year, and the government
page conventions (meta tags and footer identifiers from content/site.yaml)."""

from __future__ import annotations

import re

import pytest
import yaml

from a11y_support import ROOT, Node


def _each(documents, check):
    problems = []
    for path, doc in documents.items():
        problems += [f"{path}: {problem}" for problem in check(path, doc)]
    assert not problems, "\n".join(problems)


def _meta(doc: Node, name: str) -> str | None:
    node = doc.find(lambda n: n.tag == "meta" and n.attrs.get("name") == name)
    return None if node is None else node.attrs.get("content", "")


def _is_record_page(doc: Node) -> bool:
    return _meta(doc, "ArticleTitle") is not None


@pytest.fixture(scope="session")
def site_settings() -> dict:
    return yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8")) or {}


def test_language_is_zh_cn(documents):
    _each(documents, lambda path, doc: [] if (html := doc.find(lambda n: n.tag == "html"))
          and html.attrs.get("lang") == "zh-CN" else ["<html> lacks lang=\"zh-CN\""])


def _focusable(node: Node) -> bool:
    if node.tag == "a":
        return "href" in node.attrs
    return node.tag in ("button", "input", "select", "textarea") or node.attrs.get("tabindex") == "0"


def test_skip_link_is_the_first_focusable_element_and_reaches_main(documents):
    def check(path, doc):
        body = doc.find(lambda n: n.tag == "body")
        first = body.find(_focusable)
        if first is None or first.tag != "a" or not first.attrs.get("href", "").startswith("#"):
            return [f"the first focusable element is {first!r}, not a skip link"]
        target = doc.find(lambda n: n.attrs.get("id") == first.attrs["href"][1:])
        if target is None or target.tag != "main":
            return [f"the skip link points to {first.attrs['href']}, which is not <main>"]
        if not first.text().strip():
            return ["the skip link has no text"]
        return []
    _each(documents, check)


def test_landmarks(documents):
    def check(path, doc):
        problems = []
        sectioning = {"article", "aside", "main", "nav", "section"}
        banners = [n for n in doc.find_all(lambda n: n.tag == "header")
                   if not any(a.tag in sectioning for a in n.ancestors())]
        footers = [n for n in doc.find_all(lambda n: n.tag == "footer")
                   if not any(a.tag in sectioning for a in n.ancestors())]
        mains = doc.find_all(lambda n: n.tag == "main")
        navs = doc.find_all(lambda n: n.tag == "nav")
        if len(banners) != 1:
            problems.append(f"{len(banners)} page header(s), expected 1")
        if len(mains) != 1:
            problems.append(f"{len(mains)} <main>, expected 1")
        if len(footers) != 1:
            problems.append(f"{len(footers)} page footer(s), expected 1")
        if not navs:
            problems.append("no <nav>")
        labels = [n.attrs.get("aria-label", "") for n in navs]
        if not all(labels) or len(set(labels)) != len(labels):
            problems.append(f"every <nav> needs its own aria-label: {labels}")
        body = doc.find(lambda n: n.tag == "body")
        for child in body.children:
            if isinstance(child, Node) and child.tag not in ("header", "nav", "main", "footer", "script") \
                    and "skip-link" not in child.classes:
                problems.append(f"{child!r} is outside every landmark")
        return problems
    _each(documents, check)


def test_one_h1_and_no_skipped_heading_levels(documents):
    def check(path, doc):
        headings = doc.find_all(lambda n: re.fullmatch(r"h[1-6]", n.tag) is not None)
        levels = [int(h.tag[1]) for h in headings]
        problems = []
        if levels.count(1) != 1 or not levels or levels[0] != 1:
            problems.append(f"expected one h1 as the first heading, got levels {levels}")
        for before, after, node in zip(levels, levels[1:], headings[1:]):
            if after > before + 1:
                problems.append(f"{node!r} jumps from h{before} to h{after}")
        for h in headings:
            if not h.text().strip():
                problems.append(f"{h!r} is empty")
        return problems
    _each(documents, check)


def test_breadcrumbs_are_a_labelled_nav(documents):
    def check(path, doc):
        if path == "index.html":
            return []
        nav = doc.find(lambda n: n.tag == "nav" and "breadcrumbs" in n.classes)
        if nav is None:
            return ["no breadcrumbs"]
        problems = []
        if not nav.attrs.get("aria-label"):
            problems.append("the breadcrumbs <nav> has no aria-label")
        items = nav.find_all(lambda n: n.tag == "li")
        if nav.find(lambda n: n.tag == "ol") is None or len(items) < 2:
            problems.append("the breadcrumbs are not an ordered list of at least two items")
        elif items[-1].find(lambda n: n.attrs.get("aria-current") == "page") is None:
            problems.append("the last breadcrumb is not marked aria-current=page")
        return problems
    _each(documents, check)


def test_title_names_the_page_its_record_and_year(documents, site_settings):
    site_name = site_settings["name"]

    def check(path, doc):
        title_node = doc.find(lambda n: n.tag == "title")
        title = title_node.text().strip() if title_node else ""
        if not title:
            return ["no <title>"]
        problems = []
        if path != "index.html" and not title.endswith(site_name):
            problems.append(f"the title {title!r} does not end with the site name")
        if path != "index.html" and title == site_name:
            problems.append("the title only names the site")
        article = _meta(doc, "ArticleTitle")
        if article is not None and not title.startswith(article):
            problems.append(f"the title {title!r} does not start with the record's name {article!r}")
        year = re.match(r"disclosure/(\d{4})/", path)
        if year and year.group(1) not in title:
            problems.append(f"the title {title!r} does not name the year {year.group(1)}")
        return problems
    _each(documents, check)


def test_government_meta_tags(documents, site_settings):
    identifiers = site_settings.get("identifiers") or {}
    site_code = str(identifiers.get("site_code") or "").strip()

    def check(path, doc):
        problems = []
        if _meta(doc, "SiteName") != site_settings["name"]:
            problems.append(f"SiteName is {_meta(doc, 'SiteName')!r}")
        if site_code and _meta(doc, "SiteIDCode") != site_code:
            problems.append(f"SiteIDCode is {_meta(doc, 'SiteIDCode')!r}, expected {site_code!r}")
        if not site_code and _meta(doc, "SiteIDCode") is not None:
            problems.append("SiteIDCode is shown although content/site.yaml configures none")
        if path not in ("index.html", "404.html") and not _meta(doc, "ColumnName"):
            problems.append("no ColumnName")
        if _is_record_page(doc):
            if not _meta(doc, "ArticleTitle"):
                problems.append("ArticleTitle is empty")
            shown = doc.find(lambda n: n.tag == "time" and n.parent is not None and n.parent.tag == "dd"
                             and any("record-meta" in a.classes for a in n.ancestors()))
            pub = _meta(doc, "PubDate")
            if shown is not None and pub != shown.attrs.get("datetime"):
                problems.append(f"PubDate {pub!r} differs from the date shown ({shown.attrs.get('datetime')!r})")
            if shown is None and pub is not None:
                problems.append(f"PubDate {pub!r} although the page shows no date")
        return problems
    _each(documents, check)


def test_footer_identifiers_come_from_the_settings_and_are_never_invented(documents, site_settings):
    identifiers = site_settings.get("identifiers") or {}
    expected = {key: str(identifiers.get(key) or "").strip() for key in ("site_code", "icp", "police")}
    words = {"site_code": "网站标识码", "icp": "ICP", "police": "公网安备"}

    def check(path, doc):
        footer = doc.find(lambda n: n.tag == "footer")
        text = footer.text() if footer else ""
        problems = []
        if site_settings["name"] not in text:
            problems.append("the footer does not name the site's organiser (主办单位)")
        for key, value in expected.items():
            if value and value not in text:
                problems.append(f"the footer lacks the configured {key} {value!r}")
            if not value and words[key] in text:
                problems.append(f"the footer shows a {words[key]} although none is configured")
        return problems
    _each(documents, check)
