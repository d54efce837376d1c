"""Where an import writes: the year's folder of the site's content/, nowhere else.

* A year typed with a Chinese input method (２０２３) passed the check (str.isdigit) and made a folder
  content/２０２３/ that no build reads as a year; it is refused (N401) with the year in half-width.
* Run outside the site folder (in the Downloads folder where the form is) or with a mistyped --site,
  the import made a new content/ there and wrote the records into it, where no build finds them;
  it is refused (L109), nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import numbered_docx
from fixtures.form_files import import_site, make_xlsx
from sitetest import run_cli


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("files")
    return {"form": make_xlsx(folder / "2023年度绩效自评表.xlsx"), "report": numbered_docx.make(folder / "自评报告.docx")}


def _kind(what: str) -> tuple[str, ...]:
    return ("--kind", "report") if what == "report" else ()


@pytest.mark.parametrize("what", ["form", "report"])
@pytest.mark.parametrize("year", ["２０２３", "٢٠٢٣", "2023 "])
def test_a_year_not_in_half_width_digits_is_refused(tmp_path, files, what, year):
    site = import_site(tmp_path / "site")
    code, out, err = run_cli("import", files[what], "--year", year, *_kind(what), "--site", site)
    assert code == 1, out + err
    assert "N401" in err and "半角" in err and "Traceback" not in err
    if year.strip() != year:
        return
    assert "全角" in err and "--year 2023" in err  # the year meant, typed as it must be
    assert [p.name for p in (site / "content").iterdir()] == ["site.yaml"]


@pytest.mark.parametrize("what", ["form", "report"])
def test_an_import_outside_a_site_folder_writes_nothing(tmp_path, files, what):
    downloads = tmp_path / "下载"
    downloads.mkdir()
    code, out, err = run_cli("import", files[what], "--year", "2023", *_kind(what), "--site", downloads)
    assert code == 1, out + err
    assert "L109" in err and "--site" in err and "Traceback" not in err
    assert not list(downloads.iterdir())
    code, out, err = run_cli("import", files[what], "--year", "2023", *_kind(what), "--site", tmp_path / "站点（拼错）")
    assert code == 1 and "L109" in err
    assert not (tmp_path / "站点（拼错）").exists()
