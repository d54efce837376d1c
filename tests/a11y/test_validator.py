"""The Nu Html Checker (vnu.jar), errors only, over the whole real site in one run."""

from __future__ import annotations

from a11y_support import format_vnu


def test_the_real_site_has_no_html_errors(vnu_results, site_dir, page_paths):
    checked = {path for path in vnu_results if path.is_relative_to(site_dir.resolve())}
    report = "\n".join(f"{path.relative_to(site_dir.resolve())}:\n{format_vnu(vnu_results[path])}"
                       for path in sorted(checked))
    assert not checked, f"vnu found errors:\n{report}"


def test_vnu_flags_a_table_with_a_missing_cell(vnu_results, broken_page):
    messages = vnu_results.get(broken_page.resolve(), [])
    assert any(m.get("type") == "error" and "column" in m.get("message", "") for m in messages), (
        f"vnu did not report the missing cell in {broken_page}:\n{format_vnu(messages)}")
