"""`site-builder import FILE.docx|FILE.xlsx|FILE.xls --year YEAR`: the finance bureau's forms, cell for cell.

The Word and Excel files (.xlsx, and the old .xls) are made from the seeds' text
(tests/fixtures/form_files.py), with the merges, titles, page breaks and number formats of real files. Each test drives the command as an
editor does and reads what the editor reads: its messages, the records written, the built pages.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from fixtures import form_files
from sitetest import CONTENT, copy_site, mask_mobiles, run_cli, snapshot, squeeze, visible_text
from test_seed_tables import missing_parts, requirements

SEED_TABLES = form_files.seed_tables()[1]
KEPT = {"slug", "order", "date", "acknowledgements"}


@pytest.fixture(scope="session")
def form_files_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("form-files")
    form_files.make_docx(folder / "2023年度绩效自评表.docx")
    form_files.make_xlsx(folder / "2023年度绩效自评表.xlsx")
    form_files.make_xls(folder / "2023年度绩效自评表.xls")
    form_files.make_docx_2021(folder / "2021年度整体支出绩效自评表.docx")
    form_files.make_xlsx_2021(folder / "2021年度整体支出绩效自评表.xlsx")
    form_files.make_xls_2021(folder / "2021年度整体支出绩效自评表.xls")
    return folder


def source(folder: Path, year: int, suffix: str) -> Path:
    name = "2023年度绩效自评表" if year == 2023 else "2021年度整体支出绩效自评表"
    return folder / f"{name}.{suffix}"


def empty_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    shutil.copyfile(CONTENT / "site.yaml", root / "content" / "site.yaml")
    return root


def records(site: Path, year: int) -> dict[str, tuple[Path, dict]]:
    """The YAML records of a year by their name (project or department)."""
    folder = site / "content" / str(year)
    found = {}
    for path in sorted(folder.glob("*.yaml")) + sorted((folder / "projects").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        found[data.get("project") or data.get("department") or data.get("name")] = (path, data)
    return found


def normalised(value):
    """Record data compared without the runs of spaces Word users type to push text to a new line."""
    if isinstance(value, dict):
        if set(value) <= {"text", "colspan", "rowspan"} and "text" in value:
            return squeeze(value["text"])  # a merged grid cell: compared by its text
        return {k: normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return re.sub(r" {2,}", "", value)


def imported(site: Path, file: Path, year: int) -> tuple[int, str, str]:
    return run_cli("import", file, "--year", year, "--site", site)


def findings(site: Path) -> list[dict]:
    code, out, err = run_cli("check", "--site", site, "--format", "json")
    assert code in (0, 1), err
    data = json.loads(out)
    return data["findings"] if isinstance(data, dict) else data


def acknowledge_all(site: Path) -> None:
    """What an editor does once every finding is compared with the signed original: acknowledge it."""
    paths = sorted({f["path"] for f in findings(site) if f["severity"] == "error" and not f["acknowledged"]})
    for path in paths:
        file = Path(path) if Path(path).is_absolute() else site / path
        code, out, err = run_cli("acknowledge", file, "--reason", "照签字原表公开", "--site", site)
        assert code == 0, err


def h1(page: Path) -> str:
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
    return squeeze(visible_text(match.group(1))) if match else ""


# --- seed 001: eleven forms in one file -----------------------------------------------------


@pytest.fixture(scope="module", params=["docx", "xlsx", "xls"])
def imported_2023(request, form_files_dir, tmp_path_factory):
    site = empty_site(tmp_path_factory.mktemp(f"import-{request.param}") / "site")
    code, out, err = imported(site, source(form_files_dir, 2023, request.param), 2023)
    return request.param, site, code, out, err


def test_each_form_becomes_one_record(imported_2023):
    suffix, site, code, out, err = imported_2023
    assert code == 0, err
    assert "共 11 张表：新建 11 份" in out
    assert "原表的每一格都已放进记录" in out and "N431" not in err
    found = records(site, 2023)
    assert len(found) == 11
    assert found["岳阳市教育科学技术研究院"][0].name == "department-evaluation.yaml"
    projects = [p for p, d in found.values() if d["kind"] == "project-evaluation"]
    assert len(projects) == 10 and all(p.parent.name == "projects" for p in projects)
    if suffix == "docx":  # the report before the forms is not a form: the editor is told how to import it
        assert "段正文不在表格里" in out and "--kind report" in out
        # the form split over a page break is one record, its second table named with it
        assert "第 4–5 张表格" in out


def test_imported_records_hold_what_was_entered_by_hand(imported_2023):
    """Every value of the hand-entered records of content/2023, read from the file instead."""
    _, site, _, _, _ = imported_2023
    by_hand = records(CONTENT.parent, 2023)
    found = records(site, 2023)
    assert set(found) == set(by_hand)
    for name, (path, data) in found.items():
        hand = {k: v for k, v in by_hand[name][1].items() if k not in KEPT}
        mine = {k: v for k, v in data.items() if k not in KEPT}
        assert normalised(mine) == normalised(hand), f"{path.name} 与 {by_hand[name][0].name} 不同"


def test_written_yaml_reads_like_the_hand_entered_files(imported_2023):
    suffix, site, _, _, _ = imported_2023
    path, _ = records(site, 2023)["高三复习迎考"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 2023年度项目支出绩效自评表：高三复习迎考\n# 由 site-builder import 从 2023年度绩效自评表."
                           + suffix)
    assert "\nfunds:\n  total:         {initial: 50, annual: 50, executed: 50, weight: 10, rate: 100%, score: 10}\n" in text
    assert "  appropriation: {initial: 50, annual: 50, executed: , weight: , rate: , score: }\n" in text
    assert "          - {level3: 专项支出成本, target: =<50万, actual: 100%, weight: 2, score: 2, deviation: }\n" in text
    assert "\ntotal: {label: 合计, weight: 100, score: 100}\n" in text
    assert "  expected: |-\n    1.优化课堂教学方法\n    2.明确高考趋势.\n" in text
    department = records(site, 2023)["岳阳市教育科学技术研究院"][0].read_text(encoding="utf-8")
    assert 'total: {initial: "1,463.31", annual: "1,463.31", executed: "1,463.31", weight: 10, rate: 100%, score: 10}' \
        in department
    assert '    - income: {label: 一般公共预算, value: "1,463.31万元"}\n' in department
    assert "238.93000" not in text and "1463.31" not in department


def test_findings_on_imported_records_are_those_on_the_hand_entered_ones(imported_2023):
    _, site, _, _, _ = imported_2023
    real = copy_site(site.parent / "real-site")

    def by_record(folder: Path) -> dict[str, Counter]:
        names = {path.resolve(): name for name, (path, _) in records(folder, 2023).items()}
        result: dict[str, Counter] = {}
        for finding in findings(folder):
            path = Path(finding["path"])
            path = (path if path.is_absolute() else folder / path).resolve()
            if path in names:
                result.setdefault(names[path], Counter())[(finding["code"], finding["message"])] += 1
        return result

    mine, hand = by_record(site), by_record(real)
    assert sum(mine.values(), Counter()), "the seeds' forms have findings (F306, F309 …); none were reported"
    assert mine == hand


def test_every_cell_of_the_seed_is_on_a_page(imported_2023):
    _, site, _, _, _ = imported_2023
    acknowledge_all(site)
    out = site.parent / "build"
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stderr
    pages = {page: h1(page) for page in (out / "disclosure" / "2023").glob("*.html")}
    misses = []
    for table in SEED_TABLES:
        name = squeeze(table.rows[0][1]) if not table.title.endswith("部门整体支出绩效自评表") else ""
        found = [p for p, heading in pages.items() if squeeze(table.title) in heading and name in heading]
        assert len(found) == 1, (table.title, name, [p.name for p in found])
        text = squeeze(visible_text(found[0]))
        for row in [[table.title]] + table.rows:
            for cell in row:
                if requirements(cell) and missing_parts(cell, text):
                    misses.append(f"{found[0].name}: {squeeze(mask_mobiles(cell))[:60]!r} 缺少 {missing_parts(cell, text)}")
    assert not misses, "\n".join(misses)


def test_importing_again_changes_nothing(imported_2023, form_files_dir):
    suffix, site, _, _, _ = imported_2023
    before = snapshot(site / "content")
    code, out, err = imported(site, source(form_files_dir, 2023, suffix), 2023)
    assert code == 0, err
    assert "共 11 张表：新建 0 份，已更新 0 份，没有变化 11 份" in out
    assert snapshot(site / "content") == before


# --- the hand-entered records are the same forms ----------------------------------------------


def test_importing_into_the_real_site_updates_the_same_records(tmp_path, form_files_dir):
    site = copy_site(tmp_path / "site")
    before = sorted(p.relative_to(site) for p in (site / "content").rglob("*.yaml"))
    code, out, err = imported(site, source(form_files_dir, 2023, "docx"), 2023)
    assert code == 0, err
    assert sorted(p.relative_to(site) for p in (site / "content").rglob("*.yaml")) == before  # no duplicates
    assert "新建 0 份" in out
    # two forms print runs of spaces the hand entry left out: those records are updated, the rest untouched
    assert "已更新 2 份，没有变化 9 份" in out
    department = (site / "content" / "2023" / "department-evaluation.yaml").read_text(encoding="utf-8")
    assert department == (CONTENT / "2023" / "department-evaluation.yaml").read_text(encoding="utf-8")
    updated = yaml.load((site / "content/2023/projects/jiaoyu-guihua-yu-fazhan.yaml").read_text(encoding="utf-8"),
                        Loader=yaml.BaseLoader)
    hand = yaml.load((CONTENT / "2023/projects/jiaoyu-guihua-yu-fazhan.yaml").read_text(encoding="utf-8"),
                     Loader=yaml.BaseLoader)
    assert {k: updated[k] for k in KEPT if k in hand} == {k: hand[k] for k in KEPT if k in hand}


# --- seed 000: the 2021 form ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["docx", "xlsx", "xls"])
def test_the_2021_form_is_imported_in_its_own_layout(tmp_path, form_files_dir, suffix):
    site = empty_site(tmp_path / "site")
    code, out, err = imported(site, source(form_files_dir, 2021, suffix), 2021)
    assert code == 0, err
    assert "版式 yueyang-department-2021" in out and "原表的每一格都已放进记录" in out
    path, data = records(site, 2021)["岳阳市教育科学技术研究院"]
    hand = yaml.load((CONTENT / "2021" / "department-evaluation.yaml").read_text(encoding="utf-8"),
                     Loader=yaml.BaseLoader)
    assert data["layout"] == hand["layout"] and data["form_issuer"] == "岳阳市财政局（制）"
    assert data["basic"] == hand["basic"]
    assert [t["title"] for t in data["tables"]] == [t["title"] for t in hand["tables"]]
    assert [[squeeze(normalised(c)) for c in row] for row in data["tables"][0]["rows"]] == \
        [[squeeze(c) for c in row] for row in hand["tables"][0]["rows"]]
    assert data["tables"][0]["rows"][1] == ["岳阳市教育科学技术研究院", "1053.74", "", "1053.74", "", "", "114.72"]
    # the cell the hand entry moved to the summary and the plan is imported whole
    assert data["operation"].startswith("2021年是建党百年华诞") and "新的一年，岳阳市教科院" in data["operation"]


# --- what cannot be placed, unknown layouts, wrong files ---------------------------------------


def test_cells_outside_the_layout_are_listed_with_their_place(tmp_path):
    import docx

    table = SEED_TABLES[1]
    document = docx.Document()
    form_files.word_form(document, [[table.title]] + table.rows + [["审核人：王五"]])
    file = tmp_path / "项目表.docx"
    document.save(str(file))
    site = empty_site(tmp_path / "site")
    code, out, err = imported(site, file, 2023)
    assert code == 0, err
    rows = len(table.rows) + 2
    assert f"N431 警告 第 1 张表格第 {rows} 行第 1 格（高三复习迎考）：“审核人：王五”没有放进记录" in err
    assert "1 个警告" in err
    path, data = records(site, 2023)["高三复习迎考"]
    text = path.read_text(encoding="utf-8")
    assert f"#   第 1 张表格第 {rows} 行第 1 格：审核人：王五" in text  # kept in the record for the editor
    assert data["footer"]["head"] == "李伟灵"


UNKNOWN_FORM = [
    ["2023年度项目绩效运行监控表"],
    ["项目名称", "校园安全设施改造"],
    ["监控内容", "年初目标", "1-6月执行情况", "全年预计", "偏差原因"],
    ["资金（万元）", "120.50", "60.25", "120.50", ""],
    ["完成改造学校（所）", "12", "5", "12", "雨季延误"],
]
UNKNOWN_SPANS = [[5], [1, 4], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]


def test_a_form_of_unknown_layout_is_published_cell_for_cell(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    form_files._sheet_table(sheet, form_files.layout_rows(UNKNOWN_FORM, UNKNOWN_SPANS), 5, 2)
    file = tmp_path / "监控表.xlsx"
    workbook.save(str(file))
    site = empty_site(tmp_path / "site")
    code, out, err = imported(site, file, 2023)
    assert code == 0, err
    assert "N432 警告" in err and "layout: grid" in err
    path, data = records(site, 2023)["校园安全设施改造"]
    assert data["layout"] == "grid" and data["kind"] == "project-evaluation"
    rows = data["tables"][0]["rows"]
    assert data["tables"][0]["title"] == "2023年度项目绩效运行监控表"
    assert rows[0] == ["项目名称", {"text": "校园安全设施改造", "colspan": "4"}]
    assert rows[2] == ["资金（万元）", "120.50", "60.25", "120.50", ""]
    out_dir = tmp_path / "build"
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out_dir)
    assert code == 0, stderr
    page = next(p for p in (out_dir / "disclosure" / "2023").glob("*.html") if "校园安全设施改造" in h1(p))
    html = page.read_text(encoding="utf-8")
    assert 'colspan="4"' in html
    text = squeeze(visible_text(page))
    assert all(squeeze(cell) in text for row in UNKNOWN_FORM for cell in row)


@pytest.mark.parametrize("suffix, program, fix", [(".doc", "Word 或 WPS", ".docx"), (".wps", "WPS 文字", ".docx"),
                                                  (".et", "WPS 表格", ".xlsx")])
def test_old_formats_no_reader_reads_are_asked_to_be_saved_anew(tmp_path, suffix, program, fix):
    """Word's and WPS 文字's binary files; an .et that is not the .xls workbook WPS 表格 usually writes."""
    file = tmp_path / f"绩效自评表{suffix}"
    file.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # the OLE header of the old binary formats, and no more
    site = empty_site(tmp_path / "site")
    code, out, err = imported(site, file, 2023)
    assert code == 1
    assert f"N430 错误 不能直接导入旧格式的 {suffix} 文件" in err
    assert f"请用 {program} 打开这个文件" in err and f"文件类型选“{fix}”" in err
    assert "Traceback" not in err


def test_an_xls_file_is_imported_to_the_same_records_as_the_xlsx(tmp_path, form_files_dir):
    """The finance bureau's .xls (Excel 97–2003): the same records, byte for byte, as from the same forms in
    an .xlsx; the new .xls is no longer refused (N430 before)."""
    for year in (2023, 2021):
        written = {}
        for suffix in ("xlsx", "xls"):
            site = empty_site(tmp_path / f"{year}-{suffix}")
            code, out, err = imported(site, source(form_files_dir, year, suffix), year)
            assert code == 0 and "原表的每一格都已放进记录" in out and not err, err
            written[suffix] = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8").replace(".xlsx 的", ".xls 的")
                               for p in sorted((site / "content" / str(year)).rglob("*.yaml"))}
        assert len(written["xls"]) == (11 if year == 2023 else 1)
        assert written["xls"] == written["xlsx"]
    department = written["xls"]["content/2021/department-evaluation.yaml"]  # a figure as its format prints it
    assert "1053.74" in department


def test_a_word_document_without_forms_needs_a_kind(tmp_path):
    from fixtures import plan_docx

    file = plan_docx.make(tmp_path / "计划.docx")
    site = empty_site(tmp_path / "site")
    code, out, err = imported(site, file, 2024)
    assert code == 1 and "N433" in err and "--kind plan" in err
    assert not (site / "content" / "2024").exists()


@pytest.mark.parametrize("suffix", ["docx", "xlsx", "xls"])
def test_every_cell_of_the_2021_form_is_on_its_page(tmp_path, form_files_dir, suffix):
    site = empty_site(tmp_path / "site")
    code, out, err = imported(site, source(form_files_dir, 2021, suffix), 2021)
    assert code == 0, err
    acknowledge_all(site)
    build = tmp_path / "build"
    code, stdout, stderr = run_cli("build", "--site", site, "--out", build)
    assert code == 0, stderr
    pages = [p for p in (build / "disclosure" / "2021").glob("*.html") if p.name != "index.html"]
    assert len(pages) == 1 and "整体支出绩效自评表" in h1(pages[0]), [p.name for p in pages]
    text = squeeze(visible_text(pages[0]))
    above, rows = form_files.seed_2021()
    units = [above] + [paragraph for row in rows for cell in row for paragraph in cell.split("\n")]
    units = [squeeze(mask_mobiles(u)) for u in units if u.strip()]
    assert len(units) > 40
    missing = [u[:60] for u in units if u not in text]
    assert not missing, "\n".join(missing)


# --- any declared layout: a form printed from its declaration is read back from it ---------------


def form_of_layout(layout, wording=None) -> tuple[list[list[form_files.Placed]], int, dict]:
    """A form printed as `layout` declares it (every label where a form prints it, made-up values),
    and the record data it must be imported as. `wording(cell, block)`, when given, is how the form
    prints the label of each header cell, column and row (else its declared label), and the form
    prints its year on a line of its own under its title."""
    from site_builder.layouts import FIELD, INDICATORS, PAIRS, TABLE, TEXT

    printed = wording or (lambda cell, block: cell.label)

    width = 2
    for block in layout.blocks:
        width = max(width, 2 + len(block.columns) if block.type == TABLE else
                    1 + len(block.levels) + len(block.columns) if block.type == INDICATORS else
                    1 + len(block.columns))
    rows: list[list[form_files.Placed]] = []

    def row(*cells):  # (text, colspan[, rowspan]); the last cell takes the rest of the width
        r, column, out = len(rows), 0, []
        for index, cell in enumerate(cells):
            text, span, down = (cell + (1,))[:3] if len(cell) < 3 else cell
            span = width - column if index == len(cells) - 1 else span
            if text is not None:
                out.append(form_files.Placed(text, r, column, span, down))
            column += span
        rows.append(out)

    data: dict = {"form_title": f"2024年度{layout.title}"}
    if wording is None:
        row((data["form_title"], width))
    else:
        row((layout.title, width))
        row(("（2024年度）", width))
        data["form_title"] = f"{layout.title}（2024年度）"
    for column in layout.header:
        data[column.key] = f"{column.label}的内容"
        row((printed(column, None), 1), (data[column.key], 1))
    for block in layout.blocks:
        label = f"{block.label}（{block.unit}）" if block.unit and block.type == TABLE else block.label
        if block.type == TABLE:
            row((label, 1), (block.corner, 1), *[(printed(c, block), 1) for c in block.columns])
            values = {}
            for n, spec in enumerate(block.rows):
                values[spec.key] = {c.key: f"{n}{i}.5" for i, c in enumerate(block.columns)}
                row(("", 1), (printed(spec, block), 1), *[(values[spec.key][c.key], 1) for c in block.columns])
            data[block.key] = values
        elif block.type == PAIRS:
            half = width // 2
            row(*[(c.label, half) for c in block.columns])
            values = [{c.key: {"label": f"{c.label}{n}", "value": f"{n}.00万元"} for c in block.columns} for n in (1, 2)]
            for entry in values:
                row(*[(f"{entry[c.key]['label']}：{entry[c.key]['value']}", half) for c in block.columns])
            data.setdefault(block.path[0], {})[block.path[-1]] = values
        elif block.type == TEXT and block.columns:
            row((label, 1), *[(printed(c, block), 1) for c in block.columns])
            data[block.key] = {c.key: f"{c.label}：第一段\n第二段" for c in block.columns}
            row(("", 1), *[(data[block.key][c.key], 1) for c in block.columns])
        elif block.type in (TEXT, FIELD):
            data[block.key] = f"{block.label}的文字"
            row((label, 1), (data[block.key], 1))
        elif block.type == INDICATORS:
            levels, columns = block.levels, block.columns
            row((label, 1), *[(printed(c, block), 1) for c in levels + columns])
            entries = [{c.key: f"{c.key}{n}" for c in columns} for n in (1, 2)]
            row(("", 1), *[("一级名称", 1, 2) if i == 0 else ("二级名称", 1, 2) for i, _ in enumerate(levels)],
                *[(entries[0][c.key], 1) for c in columns])
            row(("", 1), *[(None, 1) for _ in levels], *[(entries[1][c.key], 1) for c in columns])
            # a layout of one level still writes the second, blank, as the record model reads it
            groups = {levels[1].key: "二级名称", "rows": entries} if len(levels) > 1 else {"level2": "", "rows": entries}
            data[block.key] = [{levels[0].key: "一级名称", "groups": [groups]}]
            if block.total is not None:
                first = min(i for i, c in enumerate(columns) if c.key in block.total.columns)
                total = {"label": printed(block.total, block), **{k: f"合计{k}" for k in block.total.columns}}
                row((total["label"], 1 + len(levels) + first),
                    *[(total.get(c.key, ""), 1) for c in columns[first:]])
                data[block.total.key] = total
    if layout.footer:
        data["footer"] = {c.key: f"{c.label}签名" for c in layout.footer}
        row(("   ".join(f"{printed(c, None)}：{data['footer'][c.key]}" for c in layout.footer), width))
    return rows, width, data


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


COUNTY_LAYOUT = """\
id: my-county-project-2024
kind: project-evaluation
name: 项目支出绩效自评表（某县 2024 年版）
title: 项目绩效自评表
recognise: [项目全称, 资金执行, 指标类别]
header:
  - {key: project, label: 项目全称, role: name}
  - {key: owner, label: 项目负责人及电话}
blocks:
  - key: funds
    type: table
    label: 资金执行
    unit: 万元
    columns:
      - {key: adjusted, label: 调整后预算数, role: adjusted_budget}
      - {key: executed, label: 执行数, role: executed}
      - {key: score, label: 得分, role: score}
    rows:
      - {key: total, label: 合计, role: total}
      - {key: fiscal, label: 财政拨款, role: part}
  - key: indicators
    type: indicators
    label: 绩效指标（90分）
    levels:
      - {key: level1, label: 指标类别}
      - {key: level2, label: 指标分类}
    columns:
      - {key: level3, label: 具体指标, role: indicator}
      - {key: target, label: 目标值, role: target}
      - {key: actual, label: 完成值, role: actual}
      - {key: weight, label: 权重, role: weight}
      - {key: score, label: 得分, role: score}
    total: {key: total, label: 总分, columns: [weight, score]}
  - {key: conclusion, type: text, label: 评价结论}
footer:
  - {key: finance_lead, label: 财务负责人}
"""


def _shipped_layouts_to_print():
    from site_builder.layouts import load_layouts

    return [layout.id for layout in load_layouts(None).distinct()
            if layout.checked and all(c.printed and c.role != "issuer" for c in layout.header)
            and not any(b.type in ("fields", "grid") for b in layout.blocks)]


def bureau_wording(cell, block) -> str:
    """How another bureau prints the same label: in the last of its declared other wordings, colons and
    brackets in half width, a formula code after each figure column of a table (全年预算数(B), 执行率(%))."""
    from site_builder.layouts import TABLE

    label = (cell.also[-1] if cell.also else cell.label).replace("：", ":").replace("（", "(").replace("）", ")")
    if block is None and cell.key == "head":  # a signatory with the instruction to sign
        label += "（签字）"
    columns = [c.key for c in block.columns] if block is not None and block.type == TABLE else []
    if cell.key in columns and "(" not in label:
        label += "(%)" if cell.role == "execution_rate" else f"({chr(ord('A') + columns.index(cell.key))})"
    return label


@pytest.mark.parametrize("wording", [None, bureau_wording], ids=["declared", "bureau"])
@pytest.mark.parametrize("layout_id", _shipped_layouts_to_print() + ["my-county-project-2024"])
def test_a_form_in_any_declared_layout_is_read_by_its_declaration(tmp_path, layout_id, wording):
    """A new layout costs a data file: a site's own layout file is enough to import its forms. A form
    printed with the other wordings the layout declares (also), with half-width colons and brackets, formula
    codes after the figure columns and its year on a line under its title is read to the same record."""
    import docx

    from site_builder.layouts import load_layouts

    site = empty_site(tmp_path / "site")
    (site / "layouts").mkdir()
    (site / "layouts" / "my-county-project-2024.yaml").write_text(COUNTY_LAYOUT, encoding="utf-8")
    layout = load_layouts(site)[layout_id]
    rows, width, expected = form_of_layout(layout, wording)
    document = docx.Document()
    form_files._word_table(document, rows, width)
    file = tmp_path / f"{layout_id}.docx"
    document.save(str(file))
    code, out, err = imported(site, file, 2024)
    assert code == 0, err
    assert f"版式 {layout.id}）" in out and "原表的每一格都已放进记录" in out, out + err
    path, data = next(iter(records(site, 2024).values()))
    assert {k: v for k, v in plain(data).items() if k not in ("kind", "layout", "year", "slug")} == expected
    acknowledge_all(site)  # made-up figures do not add up
    code, stdout, stderr = run_cli("build", "--site", site, "--out", tmp_path / "build")
    assert code == 0, stderr
    page = next(p for p in (tmp_path / "build" / "disclosure" / "2024").glob("*.html") if p.name != "index.html")
    text = squeeze(visible_text(page))
    from site_builder.importer.forms.recognise import split_pairs

    footer = [c.label for c in layout.footer]
    missing = []
    # the page prints the layout's own wording of each label, whichever the form printed
    totals = {block.total.label: expected[block.total.key]["label"] for block in layout.blocks if block.total}
    shown = [expected["form_title"]] + [totals.get(cell.text, cell.text)  # a total row keeps its label as printed
                                        for row in form_of_layout(layout)[0][1:] for cell in row if cell.text]
    for text_of_cell in shown:
        pairs = split_pairs(text_of_cell, footer) if footer else None
        if pairs:
            missing += [label for label, value in pairs.items()
                        if squeeze(label + value) not in text and squeeze(label + "：" + value) not in text]
        else:
            missing += missing_parts(text_of_cell, text)  # "项目资金（万元）" printed as 项目资金 and 单位：万元
    assert not missing, missing


@pytest.mark.parametrize("wording", [None, bureau_wording], ids=["year-in-title", "year-under-title"])
def test_a_form_imported_into_another_year_than_its_title_prints_is_pointed_out(tmp_path, wording):
    """The title prints 2024年度 (before the title or on the line under it); --year 2023 still imports
    into 2023, and N437 tells the editor which year the form prints and how to import it again."""
    import docx

    from site_builder.layouts import load_layouts

    site = empty_site(tmp_path / "site")
    rows, width, _ = form_of_layout(load_layouts(site)["mof-project-2020"], wording)
    document = docx.Document()
    form_files._word_table(document, rows, width)
    file = tmp_path / "form.docx"
    document.save(str(file))
    code, out, err = imported(site, file, 2023)
    assert code == 0, err
    assert "N437" in err and "印的是 2024 年度，导入到了 2023 年度" in err and "--year 2024" in err, err
    assert list(records(site, 2023))
    code, out, err = imported(site, file, 2024)
    assert code == 0 and "N437" not in err, err


def test_text_word_hides_is_not_imported_and_is_named(tmp_path, form_files_dir):
    """Hidden text (Word: 字体 → 隐藏) is not on the printed form: a note to colleagues, a figure struck
    from the signed form. Set on a run or by a character style, it is neither in the record nor on the
    page, and the import names each piece it left out (N431), so that nothing goes quietly."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document(str(source(form_files_dir, 2023, "docx")))
    label_cells = [row.cells for table in document.tables for row in table.rows
                   if squeeze(row.cells[0].text) in ("项目名称", "项目支出名称")]
    assert len(label_cells) >= 2
    first = label_cells[0][-1].paragraphs[0].add_run("（内部备注：勿公开）")
    first.font.hidden = True
    internal = document.styles.add_style("内部批注", WD_STYLE_TYPE.CHARACTER)
    internal.font.hidden = True
    label_cells[1][-1].paragraphs[0].add_run("预算可能超支", style=internal)
    shown_again = label_cells[1][-1].paragraphs[0].add_run("", style=internal)  # hiding turned off on the run
    shown_again.font.hidden = False
    path = tmp_path / "带隐藏文字.docx"
    document.save(str(path))
    site = empty_site(tmp_path / "site")
    code, out, err = imported(site, path, 2023)
    assert code == 0, err
    written = "".join(p.read_text(encoding="utf-8") for p in (site / "content").rglob("*.yaml"))
    assert "内部备注" not in written and "预算可能超支" not in written
    for hidden in ("（内部备注：勿公开）", "预算可能超支"):
        assert re.search(rf"N431.*隐藏文字“{re.escape(hidden)}”没有导入：Word 把它设成了隐藏", err), err
    acknowledge_all(site)  # the seed's figures, as signed
    assert run_cli("build", "--site", site, "--out", tmp_path / "out")[0] == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html"))
    assert "内部备注" not in pages and "预算可能超支" not in pages
