"""Downloads as a reader gets them: every form as XLSX, CSV per table and JSON, per year a
workbook and a zip, and datapackage.json — complete, masked, valid and the same every build.

The cells are compared with the seed texts (tests/fixtures), as tests/test_seed_tables.py
compares them with the pages.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import assume, example, given, settings, strategies as st

from sitetest import MOBILE, run_cli, snapshot, squeeze
from test_seed_tables import TABLES, missing_parts, page_of_table  # noqa: F401 - a fixture

from site_builder.downloads.workbook import number_of
from site_builder.privacy import find_personal_numbers, mask_text

YEAR_2023 = "downloads/2023"


# --- reading the downloads as a reader's program would ---------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), f"{path.name} has no BOM: Excel would not read it as UTF-8"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def shown(cell) -> str:
    """What Excel shows for an openpyxl cell (the number formats the downloads use)."""
    value, fmt = cell.value, cell.number_format
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    decimals = len(fmt.split(".", 1)[1].rstrip("%")) if "." in fmt else 0
    number = Decimal(str(value)) * (100 if fmt.endswith("%") else 1)
    text = f"{number:,.{decimals}f}" if fmt.startswith("#,##0") else f"{number:.{decimals}f}"
    return text + ("%" if fmt.endswith("%") else "")


def sheet_rows(path: Path, sheet: int = 0) -> list[list[str]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [[shown(c) for c in row] for row in book.worksheets[sheet].iter_rows()]


def form_text(rows_by_table: list[tuple[str, list[list[str]]]]) -> str:
    """The cells of a form's tables, squeezed: header and footer tables as label followed by value."""
    parts = []
    for name, rows in rows_by_table:
        if name in ("header", "footer"):
            parts += [label + value for label, value in zip(rows[0], rows[1])]
        else:
            parts += [cell for row in rows for cell in row]
    return squeeze("".join(parts))


def csv_text(form_json: Path) -> str:
    """The form's CSV files, each with what datapackage.json says of it (its title, its unit)."""
    data = json.loads(form_json.read_text(encoding="utf-8"))
    base = form_json.with_suffix("")
    paths = [Path(f"{base}-{t['name'].replace('_', '-')}.csv") for t in data["tables"]]
    package = json.loads((form_json.parents[1] / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: r for r in package["resources"]}
    titles = units = ""
    for path in paths:
        resource = described[path.relative_to(form_json.parents[1]).as_posix()]
        titles += resource["title"]
        units += f"单位：{resource['unit']}" if "unit" in resource else ""
    tables = [(t["name"], read_csv(path)) for t, path in zip(data["tables"], paths)]
    return form_text(tables) + squeeze(titles) + units


def json_text(form_json: Path) -> str:
    data = json.loads(form_json.read_text(encoding="utf-8"))
    tables = []
    for table in data["tables"]:
        head = [[c["text"] for c in row] for row in table["head"]]
        tables.append((table["name"], head + [[c["text"] for c in row] for row in table["rows"]]))
    titles = data["title"] + "".join(t["title"] for t in data["tables"])
    return form_text(tables) + squeeze(titles) + "".join(f"单位：{t['unit']}" for t in data["tables"] if t["unit"])


def xlsx_text(path: Path) -> str:
    rows = sheet_rows(path)
    return squeeze("".join(cell for row in rows for cell in row)).replace("（单位：", "单位：").replace("万元）", "万元")


def form_download(real_build: Path, page: Path) -> Path:
    """The JSON download of the form whose page is `page`, found through the page's own links."""
    html = page.read_text(encoding="utf-8")
    found = re.findall(r'href="([^"]+\.json)" download', html)
    assert len(found) == 1, f"{page.name}: expected one JSON download link, found {found}"
    return (page.parent / found[0]).resolve()


# --- every cell of seed 001, in every format -----------------------------------------------------


@pytest.mark.parametrize("index", range(len(TABLES)), ids=[t.title[:12] for t in TABLES])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_every_cell_of_the_seed_table_is_in_its_downloads(index, fmt, page_of_table, real_build):
    table = TABLES[index]
    json_file = form_download(real_build, page_of_table[index])
    text = {"csv": csv_text, "json": json_text, "xlsx": lambda p: xlsx_text(p.with_suffix(".xlsx"))}[fmt](json_file)
    # label/value cells of the header and footer: in the workbook, label beside value
    missing = [(cell.line, part) for cell in table.cells for part in missing_parts(cell.text, text)]
    assert not missing, f"{fmt} of {table.title}: cells of the seed not found: {missing[:5]}"


def test_a_cell_left_out_of_the_download_is_noticed(page_of_table, real_build):
    """The comparison above can fail: the CSV text without one indicator row misses its cells."""
    table = TABLES[1]
    text = csv_text(form_download(real_build, page_of_table[1]))
    cell = next(c for c in table.cells if len(squeeze(c.text)) > 8 and squeeze(c.text) in text)
    assert missing_parts(cell.text, text.replace(squeeze(cell.text), ""))


# --- the files as files ----------------------------------------------------------------------------


def test_numbers_are_numbers_with_their_printed_format(real_build):
    import openpyxl

    sheet = openpyxl.load_workbook(real_build / YEAR_2023 / "bumen-zhengti-zhichu-jixiao-zipingbiao.xlsx").active
    cells = {shown(c): c for row in sheet.iter_rows() for c in row if c.value is not None}
    amount, rate = cells["1,463.31"], cells["100%"]
    assert (amount.value, amount.number_format) == (1463.31, "#,##0.00")
    assert (rate.value, rate.number_format) == (1, "0%")
    with_unit = [text for text in cells if "1,129.76万元" in text]
    assert with_unit and isinstance(cells[with_unit[0]].value, str)  # printed with its unit: text, as printed


def test_the_workbook_keeps_the_printed_merges(real_build):
    import openpyxl

    sheet = openpyxl.load_workbook(real_build / YEAR_2023 / "jiaoyu-xinxihua.xlsx").active
    merged = [sheet.cell(r.min_row, r.min_col).value for r in sheet.merged_cells.ranges
              if r.max_row > r.min_row]  # merged downwards: the 一级 and 二级 labels
    assert "产出指标（50分）" in merged and "数量指标" in merged
    assert sheet.cell(1, 1).value == "2023年度项目支出绩效自评表"


def test_the_year_workbook_has_every_form_and_the_zip_every_file(real_build):
    import openpyxl

    folder = real_build / YEAR_2023
    book = openpyxl.load_workbook(folder / "2023-all-forms.xlsx")
    forms = sorted(folder.glob("*.json"))
    assert len(book.worksheets) == len(forms) == 11
    with zipfile.ZipFile(folder / "2023-downloads.zip") as archive:
        names = set(archive.namelist())
        for path in folder.iterdir():
            if path.suffix != ".zip":
                assert f"2023/{path.name}" in names, path.name
                assert archive.read(f"2023/{path.name}") == path.read_bytes()



def test_a_workbook_is_freed_as_soon_as_it_is_written(real_build):
    """A build runs the cycle collector rarely: a workbook left in a reference cycle stays in memory
    until the build ends (each year's workbook on top of the last, in the worker that wrote them)."""
    import gc

    from site_builder.downloads.workbook import form_workbook, year_workbook

    forms = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((real_build / YEAR_2023).glob("*.json"))]
    gc.collect()
    gc.disable()
    try:
        form_workbook(forms[0])
        year_workbook(forms)
        assert gc.collect() == 0
    finally:
        gc.enable()

def _shown_size(size: int) -> str:
    return f"{size:,} 字节" if size < 1024 else f"{size / 1024:.1f} KB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MB"


def test_form_pages_link_their_downloads_with_format_and_size(real_build):
    for name in ("2023/jiaoyu-xinxihua", "2021/bumen-zhengti-zhichu-jixiao-zipingbiao"):
        page = real_build / f"disclosure/{name}.html"
        html = page.read_text(encoding="utf-8")
        links = re.findall(r'<a href="([^"]+)" download>([^<]+)</a> <span class="download-meta">（([^，]+)，([^）]+)）', html)
        formats = {fmt for _, _, fmt, _ in links}
        assert {"Excel 表格", "JSON 数据", "CSV 表格"} <= formats
        for href, _label, _fmt, size in links:
            target = (page.parent / href).resolve()
            assert target.is_file(), href
            assert size == _shown_size(target.stat().st_size), href  # a 46-byte file is never “0.0 KB”
    year = (real_build / "disclosure/2023/index.html").read_text(encoding="utf-8")
    assert "2023-all-forms.xlsx" in year and "2023-downloads.zip" in year


def test_datapackage_is_valid_and_each_resource_matches_its_table(real_build):
    from frictionless import Package, validate

    path = real_build / "downloads" / "datapackage.json"
    report = validate(str(path))
    assert report.valid, report.flatten(["type", "note"])[:5]
    described = json.loads(path.read_text(encoding="utf-8"))
    paths = {r["path"] for r in described["resources"]}
    on_disk = {p.relative_to(path.parent).as_posix() for p in path.parent.rglob("*") if p.is_file()} - {"datapackage.json"}
    assert paths == on_disk, "datapackage.json must describe every download"
    package = Package(str(path))
    for resource in package.resources:
        if resource.type != "table":
            continue
        rows = [[("" if v is None else str(v)) for v in row.values()] for row in resource.read_rows()]
        printed = read_csv(path.parent / resource.path)[1:]
        assert len(rows) == len([r for r in printed if any(r)]), resource.path
        assert resource.custom["page"].startswith("../disclosure/")
    amounts = next(r for r in described["resources"] if r["path"].endswith("zhipingbiao-funds.csv")
                   or r["path"].endswith("zipingbiao-funds.csv"))
    assert amounts["unit"] == "万元" and amounts["fiscal_year"] in (2021, 2023)


def test_no_download_holds_an_unmasked_mobile_number(real_build):
    for path in (real_build / "downloads").rglob("*"):
        if not path.is_file():
            continue
        if path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    data = archive.read(name)
                    if name.endswith((".xlsx", ".zip")):
                        with zipfile.ZipFile(io.BytesIO(data)) as inner:
                            data = b"".join(inner.read(n) for n in inner.namelist())
                    assert not MOBILE.search(data.decode("utf-8", "replace")), f"{path.name}/{name}"
        else:
            assert not MOBILE.search(path.read_text(encoding="utf-8")), path.name


def test_two_builds_give_the_same_downloads(site, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_cli("build", "--site", site, "--out", first)[0] == 0
    assert run_cli("build", "--site", site, "--out", second)[0] == 0
    one, two = snapshot(first / "downloads"), snapshot(second / "downloads")
    assert one and one == two


def test_an_edited_cell_reaches_the_csv_the_year_files_and_nothing_else_changes(site, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = snapshot(out)
    form = site / "content/2023/projects/jiaoyu-xinxihua.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("平台上线300个。", "平台上线301个。"), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = snapshot(out)
    changed = {path for path in after if after[path] != before.get(path)}
    assert "downloads/2023/jiaoyu-xinxihua-indicators.csv" in changed
    assert {"downloads/2023/2023-all-forms.xlsx", "downloads/2023/2023-downloads.zip"} <= changed
    assert not any(path.startswith("downloads/2021/") for path in changed)
    fresh = tmp_path / "fresh"
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert snapshot(fresh) == after


# --- numbers stored as numbers only when Excel shows them as printed ------------------------------


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["plain", "grouped", "percent"]), st.integers(0, 3))
@example(Decimal("-0.01"), "plain", 0)  # printed "-0"
@example(Decimal("-0.001"), "percent", 2)
@example(Decimal("130000000.01"), "percent", 2)  # stored as 1300000.0001, which reads as a mobile number
def test_a_number_is_stored_only_when_excel_shows_it_as_printed(value, style, decimals):
    number = value.quantize(Decimal(1).scaleb(-decimals))
    text = f"{number:,.{decimals}f}" if style == "grouped" else f"{number:.{decimals}f}"
    text += "%" if style == "percent" else ""
    stored = number_of(text)
    if number == 0 and text.startswith("-"):  # "-0" as printed: Excel would show 0, so it stays text
        assert stored is None
        return
    as_held = float(number / 100 if style == "percent" else number)
    if find_personal_numbers(f"{as_held:.16G}"):  # the sheet's XML would hold what reads as a personal number
        assert stored is None
        return
    assert stored is not None
    shown_again = Decimal(str(stored[0])) * (100 if stored[1].endswith("%") else 1)
    fmt = stored[1]
    again = (f"{shown_again:,.{decimals}f}" if fmt.startswith("#,##0") else f"{shown_again:.{decimals}f}")
    assert again + ("%" if fmt.endswith("%") else "") == text


@pytest.mark.parametrize("text", ["08", "1,46", "=<50万", "2次，3万人", "100 %", "1.463,31", "", "-", "1e5",
                                  "9" * 400, "1" + "0" * 400 + "%"])  # too large for a float: Excel cannot show it
def test_text_that_is_not_a_plain_number_stays_text(text):
    assert number_of(text) is None


def test_a_figure_too_large_for_excel_is_published_as_printed_and_kept_as_text(site, tmp_path):
    """A figure of 400 digits (a slip, pasted twice over) crashed the build (exit 3) making the workbook."""
    huge = "9" * 400
    form = site / "content/2023/projects/jiaoyu-xinxihua.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("平台上线300个。", huge, 1), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli("build", "--site", site, "--out", out)
    assert code == 0, err
    assert huge in (out / "disclosure/2023/jiaoyu-xinxihua.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "downloads/2023/jiaoyu-xinxihua.xlsx") as book:
        assert huge.encode() in b"".join(book.read(name) for name in book.namelist())  # a string, not a number


@given(st.integers(10**9, 10**14), st.sampled_from(["grouped", "plain"]), st.integers(0, 2))
@example(15_000_000_000, "grouped", 0)
@example(13_800_138_000, "grouped", 0)
def test_a_number_stored_never_reads_as_a_personal_number_in_the_sheet(whole, style, decimals):
    """A sheet holds a number as digits alone (<v>15000000000</v>): a grouped figure that is no phone
    number as printed (15,000,000,000) would read as one there, and the workbook could not be published."""
    number = Decimal(whole).scaleb(-decimals)
    text = f"{number:,.{decimals}f}" if style == "grouped" else f"{number:.{decimals}f}"
    stored = number_of(mask_text(text))
    if stored is not None:
        assert not find_personal_numbers(f"{stored[0]:.16G}")


def test_a_figure_that_would_read_as_a_mobile_number_in_the_sheet_is_kept_as_text(site, tmp_path):
    """150亿 in 元, printed 15,000,000,000, is no phone number on the page; stored as the number it is, the
    workbook's XML held 15000000000 and the build refused its own workbook (P706, "delete the file")."""
    form = site / "content/2023/projects/gaosan-fuxi-yingkao.yaml"
    text = form.read_text(encoding="utf-8")
    text = text.replace("total:         {initial: 50,", 'total:         {initial: "15,000,000,050",', 1)
    text = text.replace("carryover:     {initial: ,", 'carryover:     {initial: "15,000,000,000",', 1)
    form.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + err
    page = (out / "disclosure/2023/gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    assert "15,000,000,000" in page and "15,000,000,050" in page
    book = openpyxl.load_workbook(out / "downloads/2023/gaosan-fuxi-yingkao.xlsx")
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    assert "15,000,000,000" in values and "15,000,000,050" in values  # as printed, text


_DESCRIPTIONS = st.lists(st.tuples(st.text("ab-./1", min_size=1, max_size=6), st.binary(max_size=3)), max_size=6,
                         unique_by=lambda item: item[0])


@given(st.lists(_DESCRIPTIONS, max_size=8, unique_by=lambda own: tuple(path for path, _ in own)), st.data())
def test_descriptions_come_in_path_order_however_their_files_interleave(sources, data):
    """datapackage.json is written as its descriptions come (in_path_order): whatever paths the files
    have, they come as sorting all of them would give, each file's taken out only when its turn comes."""
    from site_builder.downloads import in_path_order

    paths = [path for own in sources for path, _ in own]
    assume(len(paths) == len(set(paths)))
    given_bounds = [(data.draw(st.sampled_from(sorted({"", min((p for p, _ in own), default="")}))), own)
                    for own in sources]
    opened = []

    def source(own):
        opened.append(own)
        return list(own)

    bounds = {id(own): least for least, own in given_bounds}
    ordered = []
    for run in in_path_order([(least, lambda own=own: source(own)) for least, own in given_bounds]):
        assert all(bounds[id(own)] <= run[0][0] for own in opened)  # none opened before its turn
        assert len(run) == 1 or any(run == sorted(own) for own in sources)  # a description, or a whole file
        ordered += run
    assert ordered == sorted(item for own in sources for item in own)


def test_a_file_no_other_interleaves_with_comes_whole():
    from site_builder.downloads import in_path_order

    runs = list(in_path_order([("a", lambda: [("a2", b"2"), ("a1", b"1")]), ("b", lambda: [("b1", b"3")]),
                               ("c", lambda: [("c1", b"4"), ("e", b"6")]), ("d", lambda: [("d", b"5")])]))
    assert runs == [[("a1", b"1"), ("a2", b"2")], [("b1", b"3")], [("c1", b"4")], [("d", b"5")], [("e", b"6")]]


def test_a_file_whose_paths_come_before_its_bound_is_refused():
    from site_builder.downloads import in_path_order

    with pytest.raises(ValueError):
        list(in_path_order([("b", lambda: [("a", b"1")]), ("c", lambda: [("c", b"2")])]))


# --- a CSV cell is never a formula -----------------------------------------------------------------


def test_a_csv_cell_that_would_open_as_a_formula_opens_as_text(real_build):
    """The 2023 高三复习迎考 form prints the target “=<50万”: Excel, WPS and LibreOffice would read a CSV cell
    starting with = (or +, -, @) as a formula and show an error (or run a planted one). The CSV marks it as
    text with Excel's leading apostrophe; the JSON and the workbook keep it as printed."""
    import openpyxl

    base = real_build / YEAR_2023 / "gaosan-fuxi-yingkao"
    cells = [cell for row in read_csv(Path(f"{base}-indicators.csv")) for cell in row]
    assert "'=<50万" in cells and "=<50万" not in cells
    assert "=<50万" in Path(f"{base}.json").read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(Path(f"{base}.xlsx")).active
    assert "=<50万" in [c.value for row in sheet.iter_rows() for c in row if c.data_type == "s"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="=+-@\t\r0123456789.,'万元abc（）", max_size=10))
def test_csv_cells_never_start_as_formulas(text):
    from site_builder.downloads.files import as_text_cell

    cell = as_text_cell(text)
    number = re.fullmatch(r"-?\d+(?:\.\d+)?|-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", text) is not None
    assert cell == text if number or not text.startswith(("=", "+", "-", "@", "\t", "\r")) else cell == "'" + text


def test_a_large_site_describes_each_year_in_its_folder_and_a_change_rewrites_its_year_only(tmp_path, monkeypatch):
    """Past 1,000 items (5 here) each year's files are described in downloads/YEAR/datapackage.json, and
    datapackage.json describes the years' workbooks, zips and packages (one package of 100,000 pages' files
    was 400 MB, written whole at every change). Every package is valid; together they describe every file
    once, as the one package of a small site does; a changed record rewrites its year's package only."""
    import site_builder.model.site as model_site
    from frictionless import validate
    from sitetest import copy_site

    site = copy_site(tmp_path / "site")
    small = tmp_path / "small"
    assert run_cli("build", "--site", site, "--out", small)[0] == 0
    one = json.loads((small / "downloads" / "datapackage.json").read_text(encoding="utf-8"))["resources"]

    monkeypatch.setattr(model_site, "CATALOGUE_ONE_PAGE_AT_MOST", 5)
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    top_path = out / "downloads" / "datapackage.json"
    report = validate(str(top_path))
    assert report.valid, report.flatten(["type", "note"])[:5]
    top = json.loads(top_path.read_text(encoding="utf-8"))["resources"]
    years = sorted({r["fiscal_year"] for r in one})
    assert [r["path"] for r in top] == [f"{y}/{name}" for y in years
                                        for name in (f"{y}-all-forms.xlsx", f"{y}-downloads.zip", "datapackage.json")]
    described = [r for r in top if not r["path"].endswith("/datapackage.json")]
    for year in years:
        folder = out / "downloads" / str(year)
        report = validate(str(folder / "datapackage.json"))
        assert report.valid, report.flatten(["type", "note"])[:5]
        own = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        on_disk = {p.name for p in folder.iterdir() if p.is_file()} - {"datapackage.json"}
        assert {r["path"] for r in own} == on_disk, year
        assert next(r for r in top if r["path"] == f"{year}/datapackage.json")["bytes"] == \
            (folder / "datapackage.json").stat().st_size
        assert all(r["page"].startswith("../../disclosure/") for r in own if "page" in r)
        described += [dict(r, path=f"{year}/{r['path']}", **({"page": r["page"][3:]} if "page" in r else {}))
                      for r in own if r["path"] not in (f"{year}-all-forms.xlsx", f"{year}-downloads.zip")]
    assert sorted(described, key=lambda r: r["path"]) == sorted(one, key=lambda r: r["path"])

    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in (out / "downloads").rglob("datapackage.json")}
    record = site / "content/2023/projects/gaosan-fuxi-yingkao.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("\nproject: ", "\nproject: 改", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in (out / "downloads").rglob("datapackage.json")}
    assert after["downloads/2021/datapackage.json"] == before["downloads/2021/datapackage.json"]
    assert after["downloads/2023/datapackage.json"] != before["downloads/2023/datapackage.json"]
    assert "改高三复习迎考" in (out / "downloads/2023/datapackage.json").read_text(encoding="utf-8")
    assert validate(str(top_path)).valid
