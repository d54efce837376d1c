"""What a document's links and images may be: no script, no request to another site.

The rules (README.md, 安全与可靠):

- A link keeps its address when that is http:, https:, mailto:, tel: or
  relative (a path, a #fragment, a ?query). Any other address (javascript:,
  data:, vbscript:, file:, an address starting with // or a backslash) makes
  the link plain text: its words stay, the address goes. The address is read
  as a browser reads it: character references decoded, tabs, line breaks,
  spaces and invisible characters removed, letter case ignored.
- An image with a relative address stays an image. One with an http(s)
  address becomes a plain link to that address, its alternative text (or the
  address) as the words: the page loads nothing from another site. Any other
  image address leaves only the alternative text.

:class:`SafeLinks` applies them to Python-Markdown's tree and lists what it
changed (:class:`Rejected`), so that the checker can point at the line
(P704, P705). :func:`sanitise` then cleans the finished HTML with nh3,
allowing only what Markdown produces here.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import nh3
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_WEB = frozenset({"http", "https"})
# Removed before the scheme is read: browsers drop tabs and line breaks anywhere in an
# address, and control characters and spaces around it; invisible characters hide letters.
_IGNORED = re.compile(r"[\x00-\x20\x7f\u00a0\u00ad\u200b-\u200d\u2060\u3000\ufeff]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")

LINK, IMAGE = "link", "image"


@dataclass(frozen=True)
class Rejected:
    """A link or image not kept as written: `kind` (LINK or IMAGE), its address as
    written, and what became of it: "text" (words only) or "link" (an image made a link)."""

    kind: str
    address: str
    became: str

    @property
    def scheme(self) -> str:
        """The address's scheme as a browser reads it ("javascript"), or "" (// or \\)."""
        return scheme_of(self.address) or ""


def scheme_of(address: str) -> str | None:
    """The scheme of `address` read as a browser would ("javascript" for "jav&#x61;Script:");
    None for a relative address, "" for one that leaves the site without a scheme (//host, \\host)."""
    plain = _IGNORED.sub("", html.unescape(address.replace(AMP_SUBSTITUTE, "&"))).lower()
    match = _SCHEME.match(plain)
    if match:
        return match.group(1)
    if plain.startswith(("//", "\\", "/\\")):
        return ""
    return None


def link_allowed(address: str) -> bool:
    scheme = scheme_of(address)
    return scheme is None or scheme in LINK_SCHEMES


class SafeLinks(Treeprocessor):
    """Links and images of a rendered document, made safe (see the module's rules)."""

    def __init__(self, md):
        super().__init__(md)
        self.rejected: list[Rejected] = []

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for image in [element for element in root.iter() if element.tag == "img"]:
            source = image.get("src", "")
            scheme = scheme_of(source)
            if scheme is None:
                continue
            inside_link = any(ancestor.tag == "a" for ancestor in _ancestors(image, parents))
            if scheme in _WEB and not inside_link:  # a link in a link is not HTML: then the words only
                self.rejected.append(Rejected(IMAGE, source, "link"))
                replacement = etree.Element("a", {"href": source})
                replacement.text = image.get("alt") or source
            else:
                self.rejected.append(Rejected(IMAGE, source, "text"))
                replacement = etree.Element("span")
                replacement.text = image.get("alt", "")
            parent = parents[image]
            _replace(parent, image, replacement)
            parents[replacement] = parent
            if replacement.tag == "span":
                _unwrap(parent, replacement, parents)
        for link in [element for element in root.iter() if element.tag == "a"]:
            if not link_allowed(link.get("href", "")):
                self.rejected.append(Rejected(LINK, link.get("href", ""), "text"))
                _unwrap(parents[link], link, parents)


def _ancestors(element: etree.Element, parents: dict):
    while element in parents:
        element = parents[element]
        yield element


def _replace(parent: etree.Element, old: etree.Element, new: etree.Element) -> None:
    new.tail = old.tail
    index = list(parent).index(old)
    parent.remove(old)
    parent.insert(index, new)


def _unwrap(parent: etree.Element, element: etree.Element, parents: dict) -> None:
    """Put `element`'s words and children in its place, without the element itself."""
    index = list(parent).index(element)
    children = list(element)
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
        parents[child] = parent
    _append_text(parent, index - 1, element.text or "")
    _append_text(parent, index + len(children) - 1, element.tail or "")


def _append_text(parent: etree.Element, after: int, text: str) -> None:
    """Add `text` after child number `after` of `parent` (-1: at the start)."""
    if not text:
        return
    if after < 0:
        parent.text = (parent.text or "") + text
    else:
        parent[after].tail = (parent[after].tail or "") + text


_ALIGNMENTS = {f"text-align: {side};" for side in ("left", "center", "right")}
# Everything the Markdown extensions used here produce, and nothing else.
_CLEANER = nh3.Cleaner(
    tags={"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "code", "pre",
          "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "img"},
    attributes={"*": {"id"}, "a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}},
    tag_attribute_values={"th": {"style": _ALIGNMENTS}, "td": {"style": _ALIGNMENTS},
                          "p": {"class": {"signature"}}},  # a closing (issuer and date), right-aligned
    url_schemes=set(LINK_SCHEMES), link_rel=None, strip_comments=True)


def sanitise(fragment: str) -> str:
    """`fragment` cleaned by nh3 with the allow-list above (a second line of defence)."""
    return _CLEANER.clean(fragment)


__all__ = ["SafeLinks", "Rejected", "sanitise", "scheme_of", "link_allowed", "LINK_SCHEMES", "LINK", "IMAGE"]
