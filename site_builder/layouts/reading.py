"""Reading layout files: YAML with marks into :class:`Layout` objects, every mistake a finding.

A layout file that has mistakes is left out (records naming it then get S211),
and each mistake is reported with its file, line and column, in Chinese.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from ..errors import Finding, SiteError
from ..load.source import Source, read_source
from ..load.yaml_text import MarkedDict, mark, parse_yaml
from . import (BLOCK_TYPES, FIELDS, INDICATORS, KINDS, PAIRS, ROLES, SHIPPED_DIR, SITE_LAYOUTS_DIR, TABLE, Block,
               Column, Layout, Layouts, RowSpec, Total)

_LAYOUT_KEYS = {
    "id": "版式代号", "kind": "记录类型", "name": "版式名称", "title": "表头标题", "recognise": "识别用的表头格",
    "header": "表头各格", "blocks": "表格各部分", "footer": "表尾各格", "aliases": "别名", "checked": "是否核对算术",
}
_BLOCK_KEYS = {
    "key": "键名", "type": "类型", "label": "印的名称", "role": "作用", "unit": "单位", "corner": "左上角格",
    "caption": "表格标题", "note": "说明", "id": "网页编号", "at": "记录中的位置", "prefix": "首行前缀",
    "many": "是否多张表", "embeds": "引用文档的键", "columns": "列", "rows": "行", "levels": "指标层级",
    "vocabulary": "一级、二级指标名称", "total": "合计行", "fields": "各格", "layout_rows": "各格的排列",
}
_COLUMN_KEYS = {"key": "键名", "label": "印的名称", "role": "作用", "id": "网页编号", "printed": "是否印出",
                "required": "必须填写", "also": "别的印法"}
_TOTAL_KEYS = {"key": "键名", "label": "印的名称", "columns": "合计的列", "required": "必须填写的列", "also": "别的印法"}
_KEY_HINT = "键名只用小写英文字母、数字和下划线，例如 annual、level3。"


class _Reader:
    def __init__(self, source: Source):
        self.source = source
        self.findings: list[Finding] = []

    def error(self, message: str, hint: str, value) -> None:
        line, column = mark(value)
        self.findings.append(self.source.finding("S211", message, hint, line or 1, column or 1))

    def mapping(self, value, keys: dict[str, str], where: str) -> MarkedDict | None:
        if not isinstance(value, dict):
            self.error(f"{where}应当是“键: 值”的映射", "在这一项下面缩进两个空格逐行写“键: 值”，或写成 {key: …, label: …}。", value)
            return None
        for key in value:
            if key not in keys:
                line, column = value.mark_of(key)
                guess = difflib.get_close_matches(str(key), keys, n=1, cutoff=0.6)
                hint = (f"您是不是想写 {guess[0]}（{keys[guess[0]]}）？" if guess else "") + \
                    "这一层可以写的项：" + "、".join(f"{k}（{v}）" for k, v in keys.items()) + "。"
                self.findings.append(self.source.finding("S211", f"{where}中有不认识的项 {key}", hint, line, column))
        return value

    def text(self, mapping: MarkedDict, key: str, where: str, required: bool = False) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                line, column = mapping.line, mapping.column
                self.findings.append(self.source.finding(
                    "S211", f"{where}缺少 {key}", f"请加上一行“{key}: …”。", line or 1, column or 1))
            return ""
        if not isinstance(value, str):
            self.error(f"{where}的 {key} 应当是一段文字", "直接在冒号后面写内容。", value)
            return ""
        return value.strip()

    def key(self, mapping: MarkedDict, where: str) -> str:
        key = self.text(mapping, "key", where, required=True)
        if key and not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in key):
            self.error(f"{where}的键名 {key} 不能用作记录里的键", _KEY_HINT, mapping.get("key"))
        return key

    def role(self, mapping: MarkedDict, where: str) -> str:
        role = self.text(mapping, "role", where)
        if role and role not in ROLES:
            guess = difflib.get_close_matches(role, ROLES, n=1)
            self.error(f"{where}的作用 role: {role} 检查程序不认识",
                       (f"您是不是想写 {guess[0]}？" if guess else "") + "可以写的作用：" +
                       "、".join(f"{k}（{v}）" for k, v in ROLES.items()) + "；没有特别作用就不写 role。",
                       mapping.get("role"))
            return ""
        return role

    def flag(self, mapping: MarkedDict, key: str, where: str, default: bool) -> bool:
        value = mapping.get(key)
        if value is None:
            return default
        if value not in ("true", "false"):
            self.error(f"{where}的 {key} 只能写 true 或 false", f"例如 {key}: true。", value)
            return default
        return value == "true"

    def sequence(self, value, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{where}应当是列表", "在这一项下面每项以“- ”开头，或写成 [a, b]。", value)
            return []
        return value

    def required_columns(self, mapping: MarkedDict, where: str) -> tuple[str, ...]:
        value = mapping.get("required")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(f"{where}的 required 应当列出必须填写的列", "例如 required: [annual]。", value)
            return ()
        return tuple(str(item) for item in value)

    def columns(self, value, where: str, rows: bool = False) -> tuple[Column, ...]:
        result, seen = [], set()
        for item in self.sequence(value, where):
            mapping = self.mapping(item, _COLUMN_KEYS, where)
            if mapping is None:
                continue
            key = self.key(mapping, where)
            if key in seen:
                self.error(f"{where}中键名 {key} 用了两次", "同一部分里的键名不能重复。", mapping.get("key"))
            seen.add(key)
            if rows:
                self._row_required[key] = self.required_columns(mapping, where)
                required = False
            else:
                required = self.flag(mapping, "required", where, False)
            result.append(Column(key, self.text(mapping, "label", where), self.role(mapping, where),
                                 self.text(mapping, "id", where), self.flag(mapping, "printed", where, True),
                                 mapping.line, required, self.wordings(mapping, where)))
        return tuple(result)

    def wordings(self, mapping: MarkedDict, where: str) -> tuple[str, ...]:
        """`also`: the other wordings of a cell's label, each a text."""
        result = []
        for item in self.sequence(mapping.get("also"), f"{where}的 also"):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{where}的 also 每一项应当是一段文字（别的表格印的名称）",
                           "例如 also: [其中：本年财政拨款, 其中：财政拨款]。", item if item is not None else mapping)
                continue
            result.append(item.strip())
        return tuple(result)

    def rows(self, value, where: str) -> tuple[RowSpec, ...]:
        self._row_required = {}
        return tuple(RowSpec(c.key, c.label, c.role, c.line, self._row_required.get(c.key, ()), c.also)
                     for c in self.columns(value, where, rows=True))

    def block(self, value) -> Block | None:
        mapping = self.mapping(value, _BLOCK_KEYS, "blocks 的一项")
        if mapping is None:
            return None
        key = self.key(mapping, "blocks 的一项")
        where = f"部分 {key}"
        type_ = self.text(mapping, "type", where, required=True)
        if type_ and type_ not in BLOCK_TYPES:
            guess = difflib.get_close_matches(type_, BLOCK_TYPES, n=1)
            self.error(f"{where}的类型 type: {type_} 不认识",
                       (f"您是不是想写 {guess[0]}？" if guess else "") + "可以写的类型：" +
                       "、".join(f"{k}（{v}）" for k, v in BLOCK_TYPES.items()) + "。", mapping.get("type"))
            return None
        columns = self.columns(mapping.get("columns") or mapping.get("fields"), f"{where}的列")
        rows = self.rows(mapping.get("rows"), f"{where}的行") if type_ == TABLE else ()
        known = [c.key for c in columns]
        for row in rows:
            for name in row.required:
                if name not in known:
                    self.error(f"{where}的行 {row.key} 要求填写没有的列 {name}",
                               "required 写这一部分 columns 中的键名：" + "、".join(known) + "。", mapping.get("rows"))
        levels = self.columns(mapping.get("levels"), f"{where}的指标层级")
        vocabulary = []
        if mapping.get("vocabulary") is not None:
            vocab = mapping.get("vocabulary")
            if not isinstance(vocab, dict):
                self.error(f"{where}的 vocabulary 应当是“一级指标: [二级指标, …]”的映射",
                           "例如 产出指标: [数量指标, 质量指标]。", vocab)
            else:
                for parent, children in vocab.items():
                    children = self.sequence(children, f"{where}的 vocabulary 中 {parent}")
                    vocabulary.append((str(parent), tuple(str(c).strip() for c in children if isinstance(c, str))))
        total = None
        if mapping.get("total") is not None:
            total_map = self.mapping(mapping["total"], _TOTAL_KEYS, f"{where}的合计行")
            if total_map is not None:
                names = tuple(str(c) for c in self.sequence(total_map.get("columns"), f"{where}的合计行的列"))
                known = [c.key for c in columns]
                for name in names:
                    if name not in known:
                        self.error(f"{where}的合计行列出了没有的列 {name}",
                                   "合计的列写这一部分 columns 中的键名：" + "、".join(known) + "。",
                                   total_map.get("columns"))
                total = Total(self.key(total_map, f"{where}的合计行"), self.text(total_map, "label", where), names,
                              self.required_columns(total_map, f"{where}的合计行"),
                              self.wordings(total_map, f"{where}的合计行"))
        layout_rows = tuple(tuple(str(k) for k in self.sequence(row, f"{where}的排列"))
                            for row in self.sequence(mapping.get("layout_rows"), f"{where}的排列"))
        at = tuple(part for part in self.text(mapping, "at", where).split(".") if part)
        if type_ in (TABLE, PAIRS, FIELDS) and not columns:
            self.error(f"{where}没有列", "请在 columns 中逐列写 {key: …, label: …}。", mapping)
        if type_ == TABLE and not rows:
            self.error(f"{where}是固定行列的表格，但没有写行", "请在 rows 中逐行写 {key: …, label: …}。", mapping)
        if type_ == INDICATORS and len(levels) != 2:
            self.error(f"{where}的指标层级（levels）要写两层", "例如 levels: [{key: level1, label: 一级指标}, {key: level2, label: 二级指标}]。",
                       mapping)
        if type_ == INDICATORS and not any(c.role == "indicator" for c in columns):
            self.error(f"{where}的列中没有三级指标（role: indicator）",
                       "绩效指标表要有一列写 role: indicator，它是每一行的名称。", mapping)
        return Block(
            key=key, type=type_, label=self.text(mapping, "label", where), role=self.role(mapping, where),
            unit=self.text(mapping, "unit", where), corner=self.text(mapping, "corner", where),
            caption=self.text(mapping, "caption", where), note=self.text(mapping, "note", where),
            id=self.text(mapping, "id", where), at=at, prefix=self.text(mapping, "prefix", where),
            many=self.flag(mapping, "many", where, False), embeds=self.text(mapping, "embeds", where),
            columns=columns, rows=rows, levels=levels, layout_rows=layout_rows, vocabulary=tuple(vocabulary),
            total=total, line=mapping.line)

    def layout(self, data, shipped: bool) -> Layout | None:
        mapping = self.mapping(data, _LAYOUT_KEYS, "版式文件")
        if mapping is None:
            return None
        layout_id = self.text(mapping, "id", "版式文件", required=True)
        kind = self.text(mapping, "kind", "版式文件", required=True)
        if kind and kind not in KINDS and kind != "any":
            guess = difflib.get_close_matches(kind, KINDS, n=1)
            self.error(f"版式的记录类型 kind: {kind} 不认识",
                       (f"您是不是想写 {guess[0]}？" if guess else "") + "可以写：" +
                       "、".join(f"{k}（{v}）" for k, v in KINDS.items()) + "。", mapping.get("kind"))
        blocks = []
        keys = set()
        for item in self.sequence(mapping.get("blocks"), "blocks"):
            block = self.block(item)
            if block is None:
                continue
            if block.path[0] in keys and not block.at:
                self.error(f"键名 {block.key} 用了两次", "每一部分的键名都要不同。", item)
            keys.add(block.path[0])
            blocks.append(block)
        header = self.columns(mapping.get("header"), "header")
        footer = self.columns(mapping.get("footer"), "footer")
        for column in header:
            if column.key in keys:
                self.error(f"表头格 {column.key} 与某一部分同名", "每一项的键名都要不同。", mapping.get("header"))
        aliases = tuple(str(a).strip() for a in self.sequence(mapping.get("aliases"), "aliases"))
        recognise = tuple(str(a).strip() for a in self.sequence(mapping.get("recognise"), "recognise"))
        if not layout_id or not kind:
            return None
        return Layout(
            id=layout_id, kind=kind, name=self.text(mapping, "name", "版式文件") or layout_id,
            title=self.text(mapping, "title", "版式文件"), recognise=recognise, header=header,
            blocks=tuple(blocks), footer=footer, aliases=aliases,
            checked=self.flag(mapping, "checked", "版式文件", True), source=self.source.name, shipped=shipped)


def read_layout_file(path: Path, root: Path, shipped: bool) -> tuple[Layout | None, list[Finding]]:
    """One layout file; `root` is the folder paths in messages are relative to."""
    try:
        source = read_source(path, root)
        data = parse_yaml(source)
    except SiteError as exc:
        return None, exc.findings
    reader = _Reader(source)
    layout = reader.layout(data, shipped)
    if reader.findings:
        return None, reader.findings
    return layout, []


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith((".", "_", "~")))


def read_layouts(site_dir: Path | None) -> Layouts:
    layouts = Layouts()
    by_id: dict[str, Layout] = {}
    for path in _files(SHIPPED_DIR):
        layout, findings = read_layout_file(path, SHIPPED_DIR.parent.parent.parent, shipped=True)
        layouts.findings += findings
        if layout is not None:
            by_id[layout.id] = layout
    if site_dir is not None:
        site_dir = Path(site_dir)
        own: dict[str, Layout] = {}
        for path in _files(site_dir / SITE_LAYOUTS_DIR):
            layout, findings = read_layout_file(path, site_dir, shipped=False)
            layouts.findings += findings
            if layout is None:
                continue
            if layout.id in own:
                layouts.findings.append(Finding(
                    code="S211", path=layout.source, line=1, column=1,
                    message=f"版式代号 {layout.id} 与 {own[layout.id].source} 重复",
                    hint="每个版式文件的 id 都要不同；要改写某个版式，只留一个文件。"))
                continue
            own[layout.id] = layout
        by_id.update(own)
    for layout in sorted(by_id.values(), key=lambda item: item.id):
        layouts[layout.id] = layout
    for layout in sorted(by_id.values(), key=lambda item: item.id):
        for alias in layout.aliases:
            layouts.setdefault(alias, layout)
    return layouts


_CACHE: dict = {}


def cached_layouts(site_dir: Path | None) -> Layouts:
    """Layouts of a site, read again only when a file of its layouts folder changed."""
    folder = Path(site_dir) / SITE_LAYOUTS_DIR if site_dir is not None else None
    state = tuple((p.name, *_stat(p)) for p in _files(folder)) if folder is not None else ()
    key = (str(site_dir), state)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 16:
            _CACHE.clear()
        found = _CACHE[key] = read_layouts(site_dir)
    return found


def _stat(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_size, stat.st_mtime_ns)


__all__ = ["read_layouts", "read_layout_file", "cached_layouts"]
