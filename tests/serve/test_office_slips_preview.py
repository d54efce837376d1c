"""The preview while an office PC saves: a record renamed by Notepad, a half-written save, a page
break from Word. Each shows the finding on the error page and the site comes back once mended
(the preview's own API, in this process: no server)."""

from __future__ import annotations

from serve_support import PROJECT, PROJECT_PAGE

from site_builder.serve import Preview

REPORT = "content/2023/self-evaluation-report.md"


def _error_page(preview: Preview, *needles: str) -> str:
    answer = preview.response("/")
    assert answer.status == 500
    body = answer.body.decode("utf-8")
    for needle in needles:
        assert needle in body, needle
    return body


def test_record_renamed_by_notepad_shows_on_the_error_page_and_comes_back(preview_site):
    preview = Preview(preview_site)
    assert preview.build().ok
    record = preview_site / PROJECT
    renamed = record.with_name(record.name + ".txt")
    record.rename(renamed)
    update = preview.update([record, renamed])
    assert not update.ok  # it was ok: the record had gone from the site without a word
    _error_page(preview, "L112", "gaosan-fuxi-yingkao.yaml.txt", "“gaosan-fuxi-yingkao.yaml”")
    renamed.rename(record)
    assert preview.update([record, renamed]).ok
    assert preview.response("/" + PROJECT_PAGE).status == 200


def test_half_written_save_points_at_the_open_row_then_the_full_save_mends_it(preview_site):
    preview = Preview(preview_site)
    assert preview.build().ok
    record = preview_site / PROJECT
    whole = record.read_bytes()
    cut = whole.index("{initial: , annual: , executed: ".encode()) + 12
    record.write_bytes(whole[:cut])
    update = preview.update([record])
    assert not update.ok
    [finding] = [f for f in update.findings if f.is_error]
    assert (finding.code, finding.line) == ("L103", whole[:cut].count(b"\n") + 1)  # the row cut off, not after the end
    _error_page(preview, "没有闭合")
    record.write_bytes(whole)
    assert preview.update([record]).ok


def test_word_page_break_shows_on_the_error_page_and_comes_back(preview_site):
    preview = Preview(preview_site)
    assert preview.build().ok
    report = preview_site / REPORT
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("### （二）主要工作职责", "\x0c### （二）主要工作职责"), encoding="utf-8")
    assert not preview.update([report]).ok
    _error_page(preview, "L111", "U+000C")
    report.write_text(text, encoding="utf-8")
    assert preview.update([report]).ok


def test_a_project_renamed_to_another_projects_name_is_s212_in_the_preview(preview_site):
    """Only the name changes (not the page address): the preview compares the forms again."""
    preview = Preview(preview_site)
    assert preview.build().ok
    other = preview_site / "content/2023/projects/jiaoyu-xinxihua.yaml"
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace("project: 教育信息化", "project: 高三复习迎考"), encoding="utf-8")
    update = preview.update([other])
    assert not update.ok and [f.code for f in update.findings if f.is_error] == ["S212"]
    other.write_text(text, encoding="utf-8")
    assert preview.update([other]).ok
