"""A record to fill in, written from a layout: every cell of the form with its printed label as a comment.

`site-builder new --layout ID` writes this for layouts that have no hand-written
template; tests fill its cells (`fill`) to render a sample of every layout.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from . import FIELD, FIELDS, GRID, INDICATORS, PAIRS, TABLE, TEXT, Layout

Fill = Callable[[tuple[str, ...]], str]  # path of keys in the record → value ("" for a blank cell)


def _blank(path: tuple[str, ...]) -> str:
    return ""


def _scalar(value: str) -> str:
    """A YAML value as the editor would type it; quoted when it needs to be."""
    if value == "":
        return ""
    plain = not any(ch in value for ch in ":#,{}[]&*!|>'\"%@`\n") and value.strip() == value
    return value if plain else json.dumps(value, ensure_ascii=False)


def _flow(keys: list[str], path: tuple[str, ...], fill: Fill) -> str:
    return "{" + ", ".join(f"{key}: {_scalar(fill((*path, key)))}" for key in keys) + "}"


def record_skeleton(layout: Layout, year: str, name: str, slug: str, fill: Fill = _blank) -> str:
    """The text of a new record of `layout`; `fill(path)` gives each cell's value (default: blank)."""
    kind = layout.kind if layout.kind != "any" else "project-evaluation"
    title = f"{year}年度{layout.title}" if layout.title else ""
    out = [f"# {title or layout.name}：{name}",
           f"# 版式：{layout.name}（{layout.id}）。由 site-builder new 生成。",
           "# 请对照签字盖章的原表逐格填写，数字和文字都照原样录入，原表空白的格子就空着（冒号后不写）。",
           f"kind: {kind}", f"layout: {layout.id}", f"year: {year}", f"slug: {slug}"]
    if title:
        out.append(f"form_title: {_scalar(title)}")
    for column in layout.header:
        value = name if column.role == "name" else fill((column.key,))
        out.append(f"{column.key}: {_scalar(value)}".rstrip() + f"   # {column.label}")
    nested: dict[str, list[str]] = {}
    for block in layout.blocks:
        lines = _block_lines(block, fill)
        if len(block.path) > 1:
            nested.setdefault(block.path[0], []).extend("  " + line for line in lines)
            continue
        out.append("")
        out.extend(lines)
        if block.type == INDICATORS and block.total is not None:
            total = block.total
            keys = ["label", *total.columns]
            values = {"label": total.label}
            out.append(f"{total.key}: " + "{" + ", ".join(
                f"{key}: {_scalar(values.get(key) or fill((total.key, key)))}" for key in keys) + "}"
                + f"   # {total.label}")
    for parent, lines in nested.items():  # blocks written inside another (funds.by_nature)
        at = next(i for i, line in enumerate(out) if line.startswith(f"{parent}:"))
        end = at + 1
        while end < len(out) and out[end].startswith("  "):
            end += 1
        out[end:end] = lines
    if layout.footer:
        out += ["", "footer:"]
        out += [f"  {c.key}: {_scalar(fill(('footer', c.key)))}".rstrip() + f"   # {c.label}" for c in layout.footer]
    return "\n".join(out) + "\n"


def _block_lines(block, fill: Fill) -> list[str]:
    key = block.path[-1]
    path = block.path
    label = block.label or block.caption.replace("{name}：", "")
    comment = f"# {label}" + (f"（{block.unit}）" if block.unit else "")
    if block.type == TABLE:
        columns = [c.key for c in block.columns]
        lines = [comment + "：" + "，".join(f"{c.key} {c.label}" for c in block.columns), f"{key}:"]
        width = max(len(row.key) for row in block.rows) + 1
        for row in block.rows:
            lines.append(f"  {(row.key + ':').ljust(width)} {_flow(columns, (*path, row.key), fill)}   # {row.label}")
        return lines
    if block.type == PAIRS:
        lines = [comment + "：" + "，".join(f"{c.key} {c.label}" for c in block.columns), f"{key}:"]
        for index in range(2):
            for position, column in enumerate(block.columns):
                lead = "- " if position == 0 else "  "
                lines.append(f"  {lead}{column.key}: {_flow(['label', 'value'], (*path, str(index), column.key), fill)}")
        return lines
    if block.type == TEXT:
        lines = [comment]
        if block.columns:
            lines.append(f"{key}:")
            for column in block.columns:
                lines.append(f"  {column.key}: {_scalar(fill((*path, column.key)))}".rstrip() + f"   # {column.label}")
        else:
            lines.append(f"{key}: {_scalar(fill(path))}".rstrip())
        if block.embeds:
            lines.append(f"# {block.embeds}: []   # 原表此格的全文另存为文档时，写文档的路径（不带 .md）")
        return lines
    if block.type == FIELD:
        return [f"{key}: {_scalar(fill(path))}".rstrip() + f"   # {block.label}"]
    if block.type == FIELDS:
        lines = [comment, f"{key}:"]
        lines += [f"  {c.key}: {_scalar(fill((*path, c.key)))}".rstrip() + f"   # {c.label}" for c in block.columns]
        return lines
    if block.type == INDICATORS:
        level1, level2 = block.levels[0], block.levels[1]
        columns = [c.key for c in block.columns]
        lines = [comment + "：每个三级指标一行。" + "，".join(f"{c.key} {c.label}" for c in block.columns),
                 "# 含逗号的值请加英文双引号，例如 target: \"1,200人\"。", f"{key}:"]
        vocabulary = block.vocabulary or (("", ("",)),)
        for parent, children in vocabulary:
            lines.append(f"  - {level1.key}: {_scalar(parent)}".rstrip() + f"   # {level1.label}")
            lines.append("    groups:")
            for child in children:
                lines.append(f"      - {level2.key}: {_scalar(child)}".rstrip() + f"   # {level2.label}")
                lines.append("        rows:")
                lines.append("          - " + _flow(columns, (*path, parent, child), fill))
        return lines
    if block.type == GRID:
        lines = [comment or "# 逐格照录的表格",
                 "# 每行写成 [格, 格, …]；合并的格子写 {text: …, colspan: 2} 或 {text: …, rowspan: 2}，被合并掉的格子不写。"]
        rows = ", ".join("[" + ", ".join(json.dumps(fill((*path, str(r), str(c))), ensure_ascii=False) for c in range(3)) + "]"
                         for r in range(2))
        table = f"{{title: {_scalar(fill((*path, 'title')))}, rows: [{rows}]}}"
        return lines + ([f"{key}:", f"  - {table}"] if block.many else [f"{key}: {table}"])
    raise ValueError(block.type)  # pragma: no cover


__all__ = ["record_skeleton"]
