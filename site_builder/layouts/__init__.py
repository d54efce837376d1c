"""Form layouts: how each paper form prints, declared as data.

A layout says what a self-evaluation form holds and in which order: its title,
header cells, blocks (tables with rows and columns, text blocks, indicator
tables, grids kept cell by cell) and footer signatories. Each column or row has
its printed label and, where the checker understands it, a role
(:data:`ROLES`). The model, the checker, the renderer, `site-builder new` and
the importer all read this one declaration.

Layouts ship in ``site_builder/layouts/shipped/*.yaml``; a site may add its own
in ``layouts/`` beside ``content/``, which adds layouts and overrides shipped
ones of the same id. Public surface: :func:`load_layouts`, :func:`default_layout`,
:class:`Layout`, :class:`Block`, :class:`Column`, :class:`RowSpec`,
:class:`Total`, the role and block-type constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding

# --- roles: what the checker understands ----------------------------------------------
# Columns of a funds table
INITIAL_BUDGET = "initial_budget"  # 年初预算数
ADJUSTED_BUDGET = "adjusted_budget"  # 调整后预算数
ANNUAL_BUDGET = "annual_budget"  # 全年预算数 / 预算数
EXECUTED = "executed"  # 全年执行数 / 执行数
EXECUTION_RATE = "execution_rate"  # 执行率
WEIGHT = "weight"  # 分值 / 权重
SCORE = "score"  # 得分
# Rows of a funds table
TOTAL = "total"  # 年度资金总额: the row scored for budget execution
PART = "part"  # a source of funds that adds up to the total
# Indicator columns
INDICATOR = "indicator"  # 三级指标: the row's header
TARGET = "target"  # 年度指标值
ACTUAL = "actual"  # 实际完成值 / 完成值
DEVIATION_REASON = "deviation_reason"  # 偏差原因分析及改进措施 / 原因
# Header, footer and field cells
NAME = "name"  # 项目支出名称 / 部门名称: the record's name
ISSUER = "issuer"  # 制表单位, printed above the form
GRADE = "grade"  # 评价等级
DATE = "date"  # 填报日期
PHONE = "phone"  # 联系电话
INCOME = "income"  # 按收入性质分
EXPENDITURE = "expenditure"  # 按支出性质分

ROLES = {
    INITIAL_BUDGET: "年初预算数", ADJUSTED_BUDGET: "调整后预算数", ANNUAL_BUDGET: "全年预算数",
    EXECUTED: "全年执行数", EXECUTION_RATE: "执行率", WEIGHT: "分值", SCORE: "得分",
    TOTAL: "总额行", PART: "分项行", INDICATOR: "三级指标", TARGET: "年度指标值", ACTUAL: "实际完成值",
    DEVIATION_REASON: "偏差原因分析", NAME: "名称", ISSUER: "制表单位", GRADE: "评价等级",
    DATE: "日期", PHONE: "电话", INCOME: "按收入性质分", EXPENDITURE: "按支出性质分",
}

# --- block types ----------------------------------------------------------------------
TABLE = "table"  # fixed rows × columns
PAIRS = "pairs"  # rows of (label, value) pairs side by side, e.g. 按收入性质分 / 按支出性质分
TEXT = "text"  # labelled text cells side by side, or one text
FIELD = "field"  # one labelled cell (评价等级, 备注)
FIELDS = "fields"  # labelled cells arranged in printed rows (联系人 … 联络电话 …)
INDICATORS = "indicators"  # 一级 / 二级 / 三级 indicators with their columns
GRID = "grid"  # a table kept cell by cell as printed, with merges

BLOCK_TYPES = {
    TABLE: "固定行列的表格", PAIRS: "成对的“名称：金额”", TEXT: "文字格", FIELD: "单个格子",
    FIELDS: "成行排列的带名称格子", INDICATORS: "绩效指标表", GRID: "逐格照录的表格",
}

KINDS = {"project-evaluation": "项目支出绩效自评表", "department-evaluation": "部门整体支出绩效自评表"}

# The layout of records that name none, and of the generic grid for forms whose layout is not declared.
DEFAULTS = {"project-evaluation": "yueyang-project-2023"}
GRID_LAYOUT = "grid"


class Printed:
    """What has a printed label, and may be printed in `also` wordings by other bureaus."""

    label: str
    also: tuple[str, ...]

    @property
    def printed_as(self) -> tuple[str, ...]:
        """Every wording the importer takes for it: its label, then the others declared."""
        return (self.label, *self.also) if self.label else self.also


@dataclass(frozen=True)
class Column(Printed):
    """A column of a block, or a header, footer or field cell: its key in the record, its printed label."""

    key: str
    label: str
    role: str = ""
    id: str = ""  # the fragment of HTML ids made for it (default: the key)
    printed: bool = True  # False: kept for captions and titles, not printed as a cell of its own
    line: int = 0  # where it is declared in its layout file
    required: bool = False  # a cell the form must have filled in (rule F314)
    also: tuple[str, ...] = ()  # other wordings bureaus print for the same cell (the importer reads them)

    @property
    def anchor(self) -> str:
        return self.id or self.key


@dataclass(frozen=True)
class RowSpec(Printed):
    """A fixed row of a table block."""

    key: str
    label: str
    role: str = ""
    line: int = 0
    required: tuple[str, ...] = ()  # keys of the columns the form must fill in on this row (F314)
    also: tuple[str, ...] = ()  # other wordings bureaus print for the same row (the importer reads them)


@dataclass(frozen=True)
class Total(Printed):
    """The row under an indicator table (合计 / 总分) and the columns it sums."""

    key: str
    label: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()  # of those, the cells the form must fill in (F314)
    also: tuple[str, ...] = ()  # other wordings bureaus print for the same row (the importer reads them)


@dataclass(frozen=True)
class Block:
    key: str
    type: str
    label: str = ""  # printed label; the page's heading for the block ("" when the form prints none)
    role: str = ""
    unit: str = ""  # 万元, 分 …
    corner: str = ""  # printed text of a table's top-left header cell
    caption: str = ""  # the table's caption when it is not "{name}：{label}"; "{name}" is the record's name
    note: str = ""  # a sentence printed under the heading
    id: str = ""  # the prefix of HTML ids of its table (default: the key)
    at: tuple[str, ...] = ()  # where its values are in the record (default: (key,))
    prefix: str = ""  # pairs: printed before the first row's cells (其中：)
    many: bool = False  # grid: several tables
    embeds: str = ""  # text: the record key listing documents whose text is this cell's
    columns: tuple[Column, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    levels: tuple[Column, ...] = ()
    layout_rows: tuple[tuple[str, ...], ...] = ()  # fields: keys of the cells printed on each row
    vocabulary: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 一级 → allowed 二级
    total: Total | None = None
    line: int = 0

    @property
    def anchor(self) -> str:
        return self.id or self.key

    @property
    def path(self) -> tuple[str, ...]:
        return self.at or (self.key,)

    def column(self, role: str) -> Column | None:
        """The first column with `role`, or None when the block has none."""
        roles = self.__dict__.get("_roles")
        if roles is None:  # worked out once: rules ask for columns by role for every record
            roles = {}
            for column in self.columns:
                if column.role:
                    roles.setdefault(column.role, column)
            self.__dict__["_roles"] = roles
        return roles.get(role)

    def has(self, *roles: str) -> bool:
        return all(self.column(role) is not None for role in roles)

    def column_label(self, key: str) -> str:
        return next((c.label for c in self.columns if c.key == key), key)

    def rows_with_role(self, role: str) -> tuple[RowSpec, ...]:
        return tuple(row for row in self.rows if row.role == role)


@dataclass(frozen=True)
class Layout:
    id: str
    kind: str
    name: str  # what the layout is, for people choosing one: 项目支出绩效自评表（岳阳市 2023 年版）
    title: str = ""  # printed title, after the year: 项目支出绩效自评表
    recognise: tuple[str, ...] = ()  # header cells that identify the layout in an imported table
    header: tuple[Column, ...] = ()
    blocks: tuple[Block, ...] = ()
    footer: tuple[Column, ...] = ()
    aliases: tuple[str, ...] = ()  # other ids records may name it by
    checked: bool = True  # False for the generic grid: its arithmetic is not checked
    source: str = ""  # the file it was read from, as messages show it
    shipped: bool = True

    def block(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)

    def blocks_of(self, type_: str) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.type == type_)

    @property
    def name_field(self) -> Column | None:
        return next((c for c in self.header if c.role == NAME), None)


class Layouts(dict):
    """Layouts by id (aliases included), with the findings met reading them."""

    def __init__(self, *args, findings: list[Finding] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings: list[Finding] = findings or []

    def distinct(self) -> list[Layout]:
        """Each layout once, in id order."""
        seen = {}
        for layout in self.values():
            seen.setdefault(layout.id, layout)
        return [seen[key] for key in sorted(seen)]


SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
SITE_LAYOUTS_DIR = "layouts"


def load_layouts(site_dir: Path | None = None) -> Layouts:
    """The shipped layouts, then the site's own (``site_dir/layouts/*.yaml``), which add
    layouts and override shipped ones by id. Mistakes in a layout file are in `.findings`."""
    from .reading import read_layouts

    return read_layouts(site_dir)


def layouts_for(site_dir: Path | None) -> Layouts:
    """:func:`load_layouts`, read once per state of the site's layouts folder."""
    from .reading import cached_layouts

    return cached_layouts(site_dir)


def default_layout(kind: str, layouts: Layouts | None = None) -> Layout | None:
    """The layout of a record of `kind` that names none (only project forms may omit it)."""
    layouts = layouts if layouts is not None else load_layouts(None)
    layout_id = DEFAULTS.get(kind)
    return layouts.get(layout_id) if layout_id else None


__all__ = ["load_layouts", "layouts_for", "default_layout", "Layout", "Layouts", "Block", "Column", "RowSpec",
           "Total", "ROLES", "BLOCK_TYPES", "KINDS", "GRID_LAYOUT", "SHIPPED_DIR", "SITE_LAYOUTS_DIR"]
