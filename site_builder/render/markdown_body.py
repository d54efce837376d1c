"""Markdown bodies of documents to HTML fragments, through Python-Markdown.

Raw HTML typed into a document is shown as text, never passed through: the
theme decides all markup. Heading levels can be shifted so that a document
embedded in another page keeps a heading structure without skipped levels.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _ShiftHeadings(Treeprocessor):
    def __init__(self, md, top_level: int):
        super().__init__(md)
        self.top_level = top_level

    def run(self, root: etree.Element) -> None:
        levels = sorted({int(el.tag[1]) for el in root.iter() if el.tag in _HEADINGS})
        # Map the levels used, in order, onto consecutive levels from top_level:
        # a document that jumps from ## to #### still gets h2 then h3.
        mapping = {level: min(self.top_level + index, 6) for index, level in enumerate(levels)}
        for element in root.iter():
            if element.tag in _HEADINGS:
                element.tag = f"h{mapping[int(element.tag[1])]}"


class _Headings(Extension):
    def __init__(self, top_level: int):
        super().__init__()
        self.top_level = top_level

    def extendMarkdown(self, md):
        md.treeprocessors.register(_ShiftHeadings(md, self.top_level), "shift_headings", 5)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def markdown_to_html(text: str, top_level: int = 2) -> str:
    """Convert a document body; its highest heading becomes `<h{top_level}>`."""
    converter = markdown.Markdown(extensions=["tables", "sane_lists", _Headings(top_level)],
                                  output_format="html")
    return converter.convert(text)
