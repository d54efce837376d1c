"""What each kind of record may contain: fields declared with their types.

The declarations are the single source for validation (wrong types, missing
fields, unknown keys with "did you mean"), and `site-builder new` templates
follow the same names. Validation collects every problem in a file rather than
stopping at the first.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from ..errors import Finding
from ..load.source import Source
from ..load.yaml_text import MarkedDict, MarkedList, MarkedStr, mark
from .slugs import MAX_NAME


@dataclass
class Context:
    source: Source
    findings: list[Finding] = field(default_factory=list)

    def report(self, code: str, message: str, hint: str, value) -> None:
        line, column = mark(value)
        self.findings.append(self.source.finding(code, message, hint, line, column))


class Spec:
    expected = "一段文字"

    def validate(self, value, where: str, ctx: Context) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _wrong_type(self, value, where: str, ctx: Context) -> None:
        got = "映射（键: 值）" if isinstance(value, dict) else "列表（- 开头的多项）" if isinstance(value, list) else "文字"
        ctx.report("S203", f"“{where}”应当是{self.expected}，这里写成了{got}",
                   _TYPE_HINTS.get(self.expected, "请对照模板（site-builder new）修改这一项的写法。"), value)


_TYPE_HINTS = {
    "一段文字": "直接在冒号后面写内容；多行文字用 “|” 换行后缩进书写。",
    "映射（键: 值）": "在这一项下面缩进两个空格，逐行写“键: 值”。",
    "列表（- 开头的多项）": "在这一项下面缩进两个空格，每项以“- ”开头。",
}


class Text(Spec):
    def validate(self, value, where, ctx):
        if not isinstance(value, str):
            self._wrong_type(value, where, ctx)


@dataclass
class Pattern(Text):
    regex: str
    message: str
    hint: str
    allow_empty: bool = True  # an empty value means "not given" (a blank `slug:` is derived)
    # the value the editor meant, when it can be told for certain ("2023年12月31日" → "2023-12-31")
    suggest: object = None  # Callable[[str], str | None]

    def validate(self, value, where, ctx):
        if not isinstance(value, str):
            return self._wrong_type(value, where, ctx)
        if value == "" and not self.allow_empty:
            ctx.report("S204", f"“{where}”没有填写", self.hint, value)
        elif value != "" and not re.fullmatch(self.regex, value):
            meant = self.suggest(value) if self.suggest is not None else None
            hint = f"请改为 {meant}（{self.hint.rstrip('。')}）。" if meant and re.fullmatch(self.regex, meant) else self.hint
            ctx.report("S204", f"“{where}”的值“{value}”{self.message}", hint, value)


_CHINESE_DIGITS = dict(zip("〇零○Ｏ一二三四五六七八九", "0000123456789"))


def _chinese_number(text: str) -> str | None:
    """ "二〇二三" → "2023", "十二" → "12", "三十一" → "31", "九" → "9"; None for anything else."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(text) > 3 or (tens and tens not in _CHINESE_DIGITS) or (ones and ones not in _CHINESE_DIGITS):
            return None
        return str(int(_CHINESE_DIGITS.get(tens, "1")) * 10 + int(_CHINESE_DIGITS.get(ones, "0")))
    if text and all(character in _CHINESE_DIGITS for character in text):
        return "".join(_CHINESE_DIGITS[character] for character in text)
    return None


def _plain_digits(text: str) -> str:
    """Full-width digits and Chinese numerals as 0–9: "２０２３" → "2023", "二〇二三年十二月" → "2023年12月"."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"[〇零○一二三四五六七八九十]+", lambda m: _chinese_number(m.group()) or m.group(), text)


def suggest_year(value: str) -> str | None:
    """ "二〇二三", "２０２３", "2023年", "2023年度" → "2023"."""
    plain = re.sub(r"\s*年度?$", "", _plain_digits(value))
    return plain if re.fullmatch(r"(19|20)[0-9]{2}", plain) else None


def suggest_date(value: str) -> str | None:
    """ "2023年12月31日", "2023.12.31", "2023/12/31", "2023-1-5", "二〇二三年十二月三十一日" → "2023-12-31"
    (None when the day is not one of the calendar)."""
    match = re.fullmatch(r"((?:19|20)[0-9]{2})\s*[年./／\-－—]\s*([0-9]{1,2})\s*[月./／\-－—]\s*([0-9]{1,2})\s*日?",
                         _plain_digits(value))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


@dataclass
class Choice(Text):
    choices: tuple[str, ...]

    def validate(self, value, where, ctx):
        if not isinstance(value, str):
            return self._wrong_type(value, where, ctx)
        if value not in self.choices:
            options = "、".join(self.choices)
            guess = difflib.get_close_matches(value, self.choices, n=1)
            hint = f"您是不是想写“{guess[0]}”？" if guess else ""
            ctx.report("S204", f"“{where}”的值“{value}”不在可选范围内（{options}）",
                       hint + f"可选的值：{options}。", value)


@dataclass
class Date(Pattern):
    """A date written 2024-09-11 that is also a day of the calendar (not 2023-02-30)."""

    def validate(self, value, where, ctx):
        before = len(ctx.findings)
        super().validate(value, where, ctx)
        if len(ctx.findings) > before or value == "":
            return
        try:
            date.fromisoformat(value)
        except ValueError:
            ctx.report("S204", f"“{where}”的值“{value}”不是日历上有的日子", "请对照原件核对月份和日期，例如 2 月没有 30 日。", value)


@dataclass
class Slug(Pattern):
    """A page's file name: the pattern, and short enough for every file system."""

    def validate(self, value, where, ctx):
        before = len(ctx.findings)
        super().validate(value, where, ctx)
        if len(ctx.findings) == before and isinstance(value, str) and len(value) > MAX_NAME - len(".html"):
            ctx.report("S204", f"“{where}”有 {len(value)} 个字符，太长了（最多 {MAX_NAME - len('.html')} 个）",
                       "请写一个简短的 slug，例如项目名称拼音的首字母或前几个词：gaosan-fuxi-yingkao。", value)


YEAR = Pattern(r"(19|20)[0-9][0-9]", "不是四位数的年度", "年度写四位半角数字，例如 2023。", allow_empty=False,
               suggest=suggest_year)
DATE = Date(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", "不是日期",
            "日期按“年-月-日”写，用半角数字，月和日都写两位，例如 2024-09-11。", suggest=suggest_date)
SLUG = Slug(r"[a-z0-9]+(-[a-z0-9]+)*", "不能用作网页文件名",
               "slug 只能用小写英文字母、数字和连字符“-”，例如 gaosan-fuxi-yingkao；也可以删掉这一项，由标题的拼音自动生成。")
ORDER = Pattern(r"[0-9]{1,4}", "不是数字", "order 写一个整数，例如 3；数字小的排在前面。", suggest=_plain_digits)


@dataclass
class Field:
    spec: Spec
    label: str  # the Chinese name of the cell, used in messages
    required: bool = False


@dataclass
class Map(Spec):
    fields: dict[str, Field]
    expected = "映射（键: 值）"

    def validate(self, value, where, ctx):
        if not isinstance(value, dict):
            return self._wrong_type(value, where, ctx)
        for key, item in value.items():
            if key not in self.fields:
                _unknown_key(value, key, self.fields, where, ctx)
            else:
                self.fields[key].spec.validate(item, self.fields[key].label, ctx)
        for key, spec_field in self.fields.items():
            if spec_field.required and key not in value:
                line, column = value.line, value.column
                ctx.findings.append(ctx.source.finding(
                    "S201", f"{'“' + where + '”中' if where else ''}缺少必填项 {key}（{spec_field.label}）",
                    f"请在这一层加上一行“{key}: …”，填写{spec_field.label}。", line, column))


def _unknown_key(mapping: MarkedDict, key: str, fields: dict[str, Field], where: str, ctx: Context) -> None:
    line, column = mapping.mark_of(key)
    guess = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
    if not guess:  # editors sometimes type the Chinese label instead of the key
        guess = [name for name, f in fields.items() if f.label == key or key in f.label.split("（")[0:1]]
    known = "、".join(fields)
    written = ctx.source.lines[line - 1] if 0 < line <= len(ctx.source.lines) else ""
    split = _split_figure(written, key)
    if split is not None:  # "annual: 1,050" in a { } row: the comma made "050" a key of its own
        figure, fixed = split
        if figure.replace(" ", "").split(",")[1] != key:
            return  # "678.00" of "12,345,678.00": said once, with "345"
        ctx.findings.append(ctx.source.finding(
            "S202", f"{'“' + where + '”中' if where else ''}数字“{figure}”里的逗号把它分成了两项，读成了 "
                    f"{figure.split(',')[0]} 和不认识的项 {key}",
            f"花括号 {{ }} 里带千位分隔符的数字要用英文双引号括起来，改为：{fixed.strip()}", line, column))
        return
    if not re.fullmatch(r"[A-Za-z_]+", key):
        # not a misspelt key: a Chinese label typed for the key, or a value cut in two by a comma or a colon
        guess = [name for name, f in fields.items() if f.label == key or f.label.split("（")[0] == key]
        if not guess:
            known += "。如果这是某个值的一部分：值里含有逗号或“冒号加空格”时，要用英文双引号把整个值括起来"
    hint = (f"您是不是想写 {guess[0]}（{fields[guess[0]].label}）？键名用英文，改为：{guess[0]}: …。"
            if guess and not re.fullmatch(r"[A-Za-z_]+", key) else
            f"您是不是想写 {guess[0]}（{fields[guess[0]].label}）？" if guess else "") + f"这一层可以写的项：{known}。"
    ctx.findings.append(ctx.source.finding(
        "S202", f"{'“' + where + '”中' if where else ''}有不认识的项 {key}", hint, line, column))


_THOUSANDS = re.compile(r"(?P<head>:[ ]*)(?P<figure>[+-]?\d{1,3}(?:,[ ]?\d{3})+(?:\.\d+)?(?:万元|元|%|％)?)(?=[ ]*[,}])")


def _split_figure(line: str, key: str) -> tuple[str, str] | None:
    """(the figure, the line with it quoted) when `key` is the part of a figure with a thousands
    separator that a flow mapping's comma cut off; None otherwise."""
    if not re.fullmatch(r"\d{3}(?:\.\d+)?(?:万元|元|%|％)?", key) or "{" not in line:
        return None
    for match in _THOUSANDS.finditer(line):
        figure = match["figure"]
        if key in figure.replace(" ", "").split(",")[1:]:
            fixed = line[: match.start("figure")] + f'"{figure}"' + line[match.end("figure"):]
            return figure, fixed
    return None


@dataclass
class Seq(Spec):
    item: Spec
    item_label: str
    expected = "列表（- 开头的多项）"

    def validate(self, value, where, ctx):
        if not isinstance(value, list):
            return self._wrong_type(value, where, ctx)
        for element in value:
            self.item.validate(element, self.item_label, ctx)


def F(spec: Spec, label: str, required: bool = False) -> Field:
    return Field(spec, label, required)


TEXT = Text()

ACKNOWLEDGEMENTS = Seq(Map({
    "code": F(Pattern(r"[A-Z][0-9]{3}", "不是检查规则的代码", "代码形如 F305，见 site-builder rules。",
                      suggest=lambda value: _plain_digits(value).upper()), "规则代码", required=True),
    "line": F(Pattern(r"[0-9]{1,6}", "不是行号", "写发现问题的那一行的行号，例如 42；不写则确认本文件中这一规则的全部问题。",
                      suggest=_plain_digits), "行号"),
    "at": F(TEXT, "问题所在的格子"),
    "reason": F(TEXT, "确认理由", required=True),
}), "确认")

COMMON = {
    "kind": F(TEXT, "记录类型", required=True),
    "year": F(YEAR, "年度", required=True),
    "slug": F(SLUG, "网页文件名"),
    "order": F(ORDER, "排列顺序"),
    "date": F(DATE, "发布日期"),
    "index_number": F(TEXT, "索引号"),
    "validity": F(TEXT, "时效性"),
    "doc_number": F(TEXT, "文号"),
    "keywords": F(TEXT, "关键词"),
    "acknowledgements": F(ACKNOWLEDGEMENTS, "已确认的检查结果"),
}

DOCUMENT_KINDS = {"report": "绩效自评报告", "summary": "工作总结", "plan": "工作计划", "organization": "机构概况"}

FRONT_MATTER = Map({
    **COMMON,
    "year": F(YEAR, "年度"),
    "title": F(TEXT, "标题", required=True),
    "issuer": F(TEXT, "发文机关"),
    "description": F(TEXT, "内容概述"),
})

SITE = Map({
    "name": F(TEXT, "单位名称", required=True),
    "short_name": F(TEXT, "单位简称"),
    "publisher": F(TEXT, "发布机构"),
    "column": F(TEXT, "栏目名称"),
    "column_type": F(TEXT, "栏目类型"),
    "base_url": F(Pattern(r"https?://[^\s]+", "不是网址", "网址以 http:// 或 https:// 开头，例如 https://www.example.gov.cn/jky/；不知道就留空。"), "网址"),
    "office_phone": F(TEXT, "办公电话"),
    "area_code": F(Pattern(r"0\d{2,3}", "不是长途区号", "区号是 0 开头的 3 到 4 位数字，例如岳阳是 0730；不知道就留空。"), "长途区号"),
    "phone_display": F(Choice(("mask", "office")), "手机号显示方式"),
    "default_validity": F(TEXT, "默认时效性"),
    "address": F(TEXT, "地址"),
    "identifiers": F(Map({
        "site_code": F(TEXT, "网站标识码"),
        "icp": F(TEXT, "ICP备案号"),
        "police": F(TEXT, "公安机关备案号"),
    }), "网站标识"),
    "index_number": F(Map({
        "format": F(TEXT, "索引号格式", required=True),
        "org_code": F(TEXT, "机构代码"),
    }), "索引号"),
    "theme_dir": F(TEXT, "自定义主题文件夹"),
    "language": F(TEXT, "语言"),
})

RECORD_KINDS = {
    "project-evaluation": "项目支出绩效自评表",
    "department-evaluation": "部门整体支出绩效自评表",
    **DOCUMENT_KINDS,
}


class GridCellSpec(Spec):
    """A grid cell: its text, or {text, colspan, rowspan} when it is merged."""

    expected = "一段文字"
    MERGED = None  # set below: Map of text, colspan, rowspan

    def validate(self, value, where, ctx):
        if isinstance(value, dict):
            return self.MERGED.validate(value, where, ctx)
        if not isinstance(value, str):
            self._wrong_type(value, where, ctx)


SPAN = Pattern(r"[1-9]\d{0,2}", "不是格数", "写这一格横跨（colspan）或竖跨（rowspan）的格数，例如 2。", allow_empty=False)
GridCellSpec.MERGED = Map({"text": F(TEXT, "格中文字"), "colspan": F(SPAN, "横跨的列数"), "rowspan": F(SPAN, "竖跨的行数")})
GRID_CELL = GridCellSpec()
GRID_TABLE = Map({
    "title": F(TEXT, "表名"),
    "rows": F(Seq(Seq(GRID_CELL, "单元格"), "表格行"), "表格行", required=True),
})
NATURE_CELL = Map({"label": F(TEXT, "名称"), "value": F(TEXT, "金额")})


def form_spec(layout) -> Map:
    """The fields a record of `layout` may contain, made from the layout (and kept per layout)."""
    found = _FORM_SPECS.get(id(layout))
    if found is not None and found[0] is layout:
        return found[1]
    spec = _form_spec(layout)
    _FORM_SPECS[id(layout)] = (layout, spec)
    return spec


_FORM_SPECS: dict[int, tuple] = {}


def _columns_map(columns) -> Map:
    return Map({c.key: F(TEXT, c.label or c.key) for c in columns})


def _block_spec(block) -> Field:
    label = block.label or block.caption.replace("{name}：", "") or block.key
    if block.type == "table":
        rows = {row.key: F(_columns_map(block.columns), row.label, required=row.role == "total") for row in block.rows}
        return F(Map(rows), label, required=any(row.role == "total" for row in block.rows))
    if block.type == "pairs":
        return F(Seq(Map({c.key: F(NATURE_CELL, c.label) for c in block.columns}), "一行"),
                 " / ".join(c.label for c in block.columns))
    if block.type == "text":
        return F(_columns_map(block.columns) if block.columns else TEXT, label)
    if block.type == "field":
        return F(TEXT, label)
    if block.type == "fields":
        return F(_columns_map(block.columns), label, required=True)
    if block.type == "indicators":
        level1, level2 = (block.levels + (None, None))[:2]
        key1 = level1.key if level1 else "level1"
        key2 = level2.key if level2 else "level2"
        row = _columns_map(block.columns)
        return F(Seq(Map({
            key1: F(TEXT, level1.label if level1 else "一级指标", required=True),
            "groups": F(Seq(Map({
                key2: F(TEXT, level2.label if level2 else "二级指标", required=True),
                "rows": F(Seq(row, "三级指标行"), "三级指标行", required=True),
            }), "二级指标"), "二级指标", required=True),
        }), "一级指标"), label, required=True)
    if block.type == "grid":
        return F(Seq(GRID_TABLE, "表格") if block.many else GRID_TABLE, label or "表格", required=not block.many)
    raise ValueError(block.type)  # pragma: no cover - the layout reader admits only these


def _form_spec(layout) -> Map:
    fields = {**COMMON, "layout": F(TEXT, "版式", required=layout.kind == "department-evaluation"),
              "form_title": F(TEXT, "表头标题")}
    for column in layout.header:
        fields[column.key] = F(TEXT, column.label, required=column.role == "name")
    for block in layout.blocks:
        spec = _block_spec(block)
        path = block.path
        if len(path) == 1:
            fields[path[0]] = spec
        else:
            parent = fields.get(path[0])
            if parent is not None and isinstance(parent.spec, Map):
                parent.spec.fields[path[-1]] = spec
        if block.type == "text" and block.embeds:
            fields[block.embeds] = F(Seq(TEXT, "文档"), "引用的文档")
        if block.type == "indicators" and block.total is not None:
            total = {"label": F(TEXT, "合计行的名称")}
            total.update({key: F(TEXT, f"{block.column_label(key)}合计") for key in block.total.columns})
            fields[block.total.key] = F(Map(total), block.total.label, required=True)
    if layout.footer:
        fields["footer"] = F(_columns_map(layout.footer), "表尾")
    return Map(fields)


def validate(value, spec: Spec, source: Source, where: str = "") -> list[Finding]:
    ctx = Context(source)
    spec.validate(value, where, ctx)
    return ctx.findings


def kind_finding(source: Source, value, allowed) -> Finding:
    allowed = tuple(allowed)
    text = value if isinstance(value, str) else ""
    guess = [kind for kind in allowed if text and kind.startswith(text)] or difflib.get_close_matches(text, allowed, n=1)
    label = text.strip().removeprefix("（").split("（")[0]
    guess = guess or [kind for kind in allowed if label and RECORD_KINDS.get(kind, "").split("（")[0] in (label, label + "表")]
    guess = guess or [kind for kind in allowed if kind.lower() == text.strip().lower().replace("_", "-").replace(" ", "-")]
    hint = (f"您是不是想写“{guess[0]}”？" if guess else "") + "可以写的类型：" + "、".join(
        f"{k}（{RECORD_KINDS.get(k, k)}）" for k in allowed) + "。"
    line, column = mark(value)
    return source.finding("S206", f"不认识的记录类型 kind: {text}", hint, line, column)


__all__ = ["validate", "MarkedDict", "MarkedList", "MarkedStr"]
