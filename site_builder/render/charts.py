"""The geometry of the bar charts drawn at build time, as plain numbers.

Public surface: :func:`funds_chart` (全年预算数 and 全年执行数 of each form) and
:func:`score_chart` (each form's score), both giving a :class:`BarChart`.
The theme draws it as inline SVG (templates/_macros/charts.html): no script,
no third-party request. Horizontal bars, one group per form, its label on a
line of its own above the bars, so long Chinese names need no room beside
the plot. Vertical positions are in em, so the chart grows with the text
(长辈模式, the reader's text size); lengths along the value axis are
percentages of the plot's width, so it fits any screen and the printed page.

Words (titles, legends, units) are the template's; a group carries the
overview row it stands for, and the template labels it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model.overview import amount
from ..model.numbers import parse_number

LABEL_LINE = 1.6  # em: a group's label line
BAR_HEIGHT = 1.0  # em
BAR_GAP = 0.3  # em between the bars of a group
GROUP_GAP = 0.8  # em after a group
LEGEND_LINE = 2.0  # em: the legend above the plot
AXIS_LINE = 2.2  # em: tick labels under the plot
PLOT_RIGHT = 78.0  # %: the largest tick, leaving room beside the longest bar for its value
LABEL_WIDTH = 15  # a label's line holds this many Chinese characters (two Latin letters or digits count as one)


@dataclass(frozen=True)
class Bar:
    series: int  # which of the chart's series: 0, 1, …
    text: str  # the value as printed, "" where the form has none
    length: float  # % of the chart's width (0 for a missing value)
    y: float  # em, top of the bar
    missing: bool

    @property
    def text_y(self) -> float:
        """em, baseline of the value written beside (or inside) the bar."""
        return round(self.y + BAR_HEIGHT * 0.8, 2)

    @property
    def text_x(self) -> float:
        """% of the chart's width where the value's text starts: just beside the bar, on the
        page's background (so its contrast is the text's)."""
        return round(self.length + 1, 2)


@dataclass(frozen=True)
class Label:
    text: str
    y: float  # em, baseline


@dataclass(frozen=True)
class Group:
    row: object  # the overview row the group stands for (model.overview.OverviewRow)
    labels: list[Label]  # its title, wrapped to fit a phone's width
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    value: str
    x: float  # % of the chart's width
    anchor: str  # SVG text-anchor of its label: start, middle or end


@dataclass(frozen=True)
class BarChart:
    groups: list[Group]
    ticks: list[Tick]
    series: int  # how many bars each group has
    legend_y: float  # em, baseline of the legend
    plot_top: float  # em
    plot_bottom: float  # em
    axis_label_y: float  # em, baseline of the tick labels
    height: float  # em, the whole chart

    @property
    def is_empty(self) -> bool:
        return not any(not bar.missing for group in self.groups for bar in group.bars)


def funds_chart(rows) -> BarChart:
    """全年预算数 and 全年执行数 (万元) of each row, on one scale."""
    return _chart(rows, [lambda figures: (figures.budget or "", amount(figures.budget or "")),
                         lambda figures: (figures.executed or "", amount(figures.executed or ""))], floor=Decimal(0))


def score_chart(rows) -> BarChart:
    """Each row's printed score, on a scale of at least 0 to 100."""
    return _chart(rows, [lambda figures: (figures.score or "", parse_number(figures.score or ""))], floor=Decimal(100))


def _chart(rows, values, floor: Decimal) -> BarChart:
    cells = [[value(row.figures) for value in values] for row in rows]
    numbers = [number for row in cells for _, number in row if number is not None and number >= 0]
    ticks = nice_ticks(max([floor, *numbers]))
    top = ticks[-1] if ticks[-1] > 0 else Decimal(1)
    groups = []
    y = LEGEND_LINE if len(values) > 1 else 0.4
    plot_top = y
    for row, row_cells in zip(rows, cells):
        labels = []
        for line in wrap_label(row.title):
            labels.append(Label(line, round(y + LABEL_LINE * 0.75, 2)))
            y += LABEL_LINE
        bars = []
        for series, (text, number) in enumerate(row_cells):
            missing = number is None or number < 0
            length = 0.0 if missing else round(float(number / top) * PLOT_RIGHT, 2)
            bars.append(Bar(series, text, length, round(y, 2), missing))
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP - BAR_GAP
        groups.append(Group(row, labels, bars))
    plot_bottom = round(y, 2)
    tick_marks = []
    for index, value in enumerate(ticks):
        x = round(float(value / top) * PLOT_RIGHT, 2)
        anchor = "start" if index == 0 else ("end" if index == len(ticks) - 1 else "middle")
        tick_marks.append(Tick(_tick_text(value), x, anchor))
    return BarChart(groups, tick_marks, len(values), legend_y=1.2, plot_top=round(plot_top, 2),
                    plot_bottom=plot_bottom, axis_label_y=round(plot_bottom + AXIS_LINE * 0.7, 2),
                    height=round(plot_bottom + AXIS_LINE, 2))


def nice_ticks(largest: Decimal, count: int = 4) -> list[Decimal]:
    """0 and round steps (1, 2, 2.5 or 5 × 10ⁿ) up to the first at or above `largest`, about `count` steps."""
    if largest <= 0:
        return [Decimal(0), Decimal(1)]
    raw = largest / count
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(magnitude * m for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if magnitude * m >= raw)
    ticks = [Decimal(0)]
    while ticks[-1] < largest:
        ticks.append(ticks[-1] + step)
    return ticks


_CLOSING = "，。、；：）」』”’"


def wrap_label(text: str, width: int = LABEL_WIDTH) -> list[str]:
    """`text` in lines of at most `width` Chinese characters, a Latin letter or digit counting half;
    a line is not started with closing punctuation (a line may run one character over for it)."""
    lines, line, used = [], "", 0.0
    for char in text:
        size = 0.5 if ord(char) < 0x2E80 else 1.0
        if line and used + size > width and (char not in _CLOSING or used + size > width + 1):
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += size
    return [*lines, line] if line else lines or [""]


def _tick_text(value: Decimal) -> str:
    value = value.normalize()
    text = format(value, ",f")
    return text


__all__ = ["BarChart", "Group", "Bar", "Label", "Tick", "wrap_label", "funds_chart", "score_chart", "nice_ticks"]
