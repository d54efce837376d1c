"""Generate a large, realistic site from the real records, for benchmarks.

    python3 benchmarks/generate_site.py --pages 5000 --out /tmp/big-site

The site folder gets the real content/ (site settings, organisation, the
2021–2023 records) plus earlier years made from the real records: every
generated year has a department self-evaluation form, a self-evaluation
report, a work summary, a work plan and as many project self-evaluation forms
(the ten real projects, numbered 第1组, 第2组, …) as needed, each filed by one
of twenty units (UNITS) with its amounts scaled by a whole factor (1–7), so that
sums, rates and scores still agree. Otherwise only the year, the dates, the
titles and the slugs change, line for line, so the result is valid content that
builds with the same acknowledged findings as the real forms.

`--pages N` counts the HTML pages the build writes (home, column, 404,
公开目录, search, organisation, year pages, one page per record, and the 公开目录's
page of each year once it lists more than CATALOGUE_ONE_PAGE_AT_MOST items); the
result is exactly N when N is at least the real site's page count, except in the
few page counts just past that size (neither one catalogue page nor a page per year
gives exactly N there; the generator says so). `generate()` is importable for
other benchmarks.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from site_builder.model.site import CATALOGUE_ONE_PAGE_AT_MOST  # noqa: E402
CONTENT = REPO / "content"
PROJECTS_PER_YEAR = 200  # a realistic upper end for a large unit's project tables
FIRST_GENERATED_YEAR = 2020  # generated years go backwards from here
# Years a generated site spans at most: a year must stay a year the schema accepts (19xx or 20xx), so a
# site too big for this many years of PROJECTS_PER_YEAR has more project forms per year (100,000 pages:
# about 1,000 a year, 1921–2020), as a province's portal of many units would.
YEARS_AT_MOST = 100

# (template in the real content, path in a generated year, source year)
DOCUMENTS = (
    ("2023/department-evaluation.yaml", "department-evaluation.yaml", 2023),
    ("2023/self-evaluation-report.md", "self-evaluation-report.md", 2023),
    ("2021/work-summary.md", "work-summary.md", 2021),
    ("2022/work-plan.md", "work-plan.md", 2022),
)


def real_pages(content: Path = CONTENT) -> int:
    """HTML pages of the real site: home, column, 404, 公开目录, search, organisation, a page per year and per
    record, the department's history once two years have a department form, and the 公开目录's page of each
    year once it lists more than CATALOGUE_ONE_PAGE_AT_MOST items."""
    records = _records(content)
    years = {p.relative_to(content).parts[0] for p in records if p.relative_to(content).parts[0].isdigit()}
    items = _items(records, content)
    department_years = {p.relative_to(content).parts[0] for p in records if p.name == "department-evaluation.yaml"}
    history = 1 if len(department_years) >= 2 else 0  # the department's page of every year (issue 14)
    by_year = len(years) if items > CATALOGUE_ONE_PAGE_AT_MOST else 0
    return 5 + len(records) + len(years) + history + by_year


def _records(content: Path) -> list[Path]:
    """The record files of a content folder (the organisation's included)."""
    return [p for p in content.rglob("*") if p.suffix in (".yaml", ".md")
            and p.name not in ("site.yaml", "index-numbers.yaml")]


def _items(records: list[Path], content: Path) -> int:
    """The items the 公开目录 lists: the records (of `content`) of a year."""
    return sum(1 for p in records if p.relative_to(content).parts[0].isdigit())


def move_to_year(text: str, source: int, year: int) -> str:
    """The record as if filed for `year`: year, dates and titles shifted, every line kept in place."""
    shift = year - source

    def year_field(match):
        return f"{match[1]}{int(match[2]) + shift}"

    text = re.sub(r"(?m)^(year: )(\d{4})", year_field, text)
    text = re.sub(r"(?m)^((?:date|filled_date|  filled_date): *)(\d{4})", year_field, text)
    return re.sub(r"(?m)^((?:form_title|title|# ).*?)(\d{4})(?=年)", year_field, text)


def as_group(text: str, group: int) -> str:
    """A project form as the `group`-th of its kind: its name and slug numbered."""
    text = re.sub(r"(?m)^(project: )([^#\n]*?)(\s*)$", lambda m: f"{m[1]}{m[2]}（第{group}组）{m[3]}", text)
    return re.sub(r"(?m)^(slug: )([a-z0-9-]+)", lambda m: f"{m[1]}{m[2]}-{group}", text)


# The units of a city-wide portal: each generated project form is filed by one of them.
UNITS = tuple(f"岳阳市{name}" for name in (
    "第一中学", "第二中学", "第三中学", "第四中学", "第五中学", "第六中学", "第七中学", "第八中学",
    "岳阳楼区教育局", "云溪区教育局", "君山区教育局", "岳阳县教育局", "华容县教育局", "湘阴县教育局",
    "平江县教育局", "汨罗市教育局", "临湘市教育局", "特殊教育学校", "电化教育馆", "教育考试院"))
_AMOUNT = re.compile(r"\b(initial|annual|executed): ([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)")


def vary(text: str, index: int) -> str:
    """Another unit's form: its implementer and its amounts (every amount times the same
    whole number, so that totals, rates and scores still agree and the form stays valid)."""
    factor = index % 7 + 1

    def scaled(match):
        whole, _, decimals = match[2].replace(",", "").partition(".")
        value = int(whole + decimals) * factor
        text = str(value).rjust(len(decimals) + 1, "0")
        amount = f"{text[:-len(decimals)]}.{text[-len(decimals):]}" if decimals else text
        return f"{match[1]}: {amount}"

    text = re.sub(r"(?m)^(implementer: ).*$", lambda m: m[1] + UNITS[index % len(UNITS)], text)
    return "\n".join(_AMOUNT.sub(scaled, line) if line.lstrip().startswith(("total:", "appropriation:",
                      "carryover:", "other:")) else line for line in text.split("\n"))


def generate(out: Path, pages: int) -> Path:
    """Write a site folder with `pages` HTML pages into `out` (which must not exist); returns `out`."""
    out = Path(out)
    for by_year in (False, True):  # one catalogue page, or a page per year: the one that adds up
        items = _fill(out, pages, by_year, write=False)
        if (items > CATALOGUE_ONE_PAGE_AT_MOST) == by_year:
            shutil.copytree(CONTENT, out / "content")
            _fill(out, pages, by_year, write=True)
            return out
    raise ValueError(f"没有恰好 {pages} 个网页的站点：公开目录超过 {CATALOGUE_ONE_PAGE_AT_MOST:,} 项时每个年度多一页，"
                     f"请多写或少写几页")


def _fill(out: Path, pages: int, by_year: bool, write: bool) -> int:
    """Write (or, without `write`, count) the generated years' records; the number of items of the site."""
    real_years = sorted(p.name for p in CONTENT.iterdir() if p.is_dir() and p.name.isdigit())
    remaining = pages - real_pages() - (len(real_years) if by_year else 0)
    items = _items(_records(CONTENT), CONTENT)
    projects = sorted((CONTENT / "2023" / "projects").glob("*.yaml"))
    per_year = max(PROJECTS_PER_YEAR, -(-remaining // YEARS_AT_MOST))
    year = FIRST_GENERATED_YEAR
    while remaining > 0:
        folder = out / "content" / str(year)
        remaining -= 2 if by_year else 1  # the year page, and its catalogue page
        for template, name, source in DOCUMENTS[:max(remaining, 0)]:
            if write:
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(move_to_year((CONTENT / template).read_text(encoding="utf-8"), source, year),
                                  encoding="utf-8")
            remaining -= 1
            items += 1
        count = min(max(remaining, 0), per_year)
        for index in range(count) if write else ():
            template = projects[index % len(projects)]
            group = index // len(projects) + 1
            text = as_group(move_to_year(template.read_text(encoding="utf-8"), 2023, year), group)
            text = vary(text, index + year)
            target = folder / "projects" / f"{template.stem}-{group}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        remaining -= count
        items += count
        year -= 1
    if year < FIRST_GENERATED_YEAR - YEARS_AT_MOST:  # pragma: no cover - the sums above prevent it
        raise RuntimeError(f"generated years reach {year + 1}")
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成用于性能测试的大型站点（由真实记录改写而成）。")
    parser.add_argument("--pages", type=int, default=5000, help="网页数（默认 5000）")
    parser.add_argument("--out", type=Path, required=True, help="站点文件夹（不能已存在，除非加 --force）")
    parser.add_argument("--force", action="store_true", help="先删除已有的站点文件夹")
    args = parser.parse_args(argv)
    if args.pages < real_pages():
        parser.error(f"--pages 至少是真实网站的网页数 {real_pages()}")
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} 已存在；加 --force 覆盖")
        shutil.rmtree(args.out)
    try:
        generate(args.out, args.pages)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"已生成站点：{args.out}（{args.pages} 个网页）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
