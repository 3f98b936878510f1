"""The import of past records: the template, the preview listing every problem before anything is written, all rows
or none, award names only from the catalogue (with suggestions), and the mapping of the register's free-text rows."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from awards.models import (
    AwardRecord,
    ClassificationRecord,
    Discipline,
    Initiative,
    Membership,
    RecordSource,
    RegisterImport,
)
from awards.services import records as services
from awards.services.records import RECORDS_IMPORT, RecordRefused
from documents import imports
from tests.spreadsheets import header
from units.models import Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPECS = {sheet.name: sheet for sheet in RECORDS_IMPORT.sheets}


def workbook(sheets, name="ho-so.xlsx"):
    """An upload holding `sheets` ({tab name: rows}), each under the template's header."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(list(SPECS[title].header))
        for row in rows:
            sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


@pytest.fixture
def people(own_unit, other_unit):
    return {
        "an": Person.objects.create(full_name="Nguyễn Văn An", unit=own_unit),
        "binh": Person.objects.create(full_name="Lê Thị Bình", unit=other_unit),
    }


def good_file():
    return workbook(
        {
            "Quá trình công tác": [
                ("", "Nguyễn Văn An", "PQLKH", "01/01/2015", "31/12/2020"),
                ("", "Nguyen Van An", "Phòng Quản lý khoa học", "01/01/2021", ""),
            ],
            "Xếp loại": [
                (2019, "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "Hoàn thành xuất sắc nhiệm vụ", "Giám đốc Sở"),
                (2020, "Tập thể", "", "Phòng Quản lý khoa học", "", "Hoàn thành tốt nhiệm vụ", ""),
            ],
            "Sáng kiến": [
                (
                    "",
                    "Nguyễn Văn An",
                    "PQLKH",
                    "Sáng kiến",
                    "Số hóa hồ sơ",
                    2020,
                    "Hội đồng sáng kiến tỉnh",
                    "Cấp tỉnh",
                    "12/QĐ-UBND",
                    "15/06/2020",
                )
            ],
            "Kỷ luật": [("", "Nguyễn Văn An", "PQLKH", "Khiển trách", "01/03/2016", "28/02/2017", "", "")],
            "Khen thưởng": [
                (2019, "Chiến sĩ thi đua cơ sở", "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "05/QĐ-SKHCN", "", ""),
                (
                    2020,
                    "Tập thể lao động tiên tiến",
                    "Tập thể",
                    "",
                    "Phòng Quản lý khoa học",
                    "",
                    "09/QĐ-SKHCN",
                    "",
                    "",
                ),
            ],
        }
    )


def test_template_has_a_tab_per_kind_with_its_header_and_an_example(client, plan, reviewer):
    client.force_login(reviewer)

    response = client.get(reverse("awards:records_template"))

    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:5] == ["Quá trình công tác", "Xếp loại", "Sáng kiến", "Kỷ luật", "Khen thưởng"]
    for name, spec in SPECS.items():
        assert header(book[name]) == list(spec.header)
        assert book[name].max_row >= 4  # title lines, the header, the example row
    assert "Danh mục" in book.sheetnames


def test_a_good_file_imports_every_sheet(plan, forms, reviewer, people, own_unit):
    applied = services.records_import_upload(upload=good_file(), actor=reviewer)

    an = people["an"]
    assert applied.created == {
        "Quá trình công tác": 2,
        "Xếp loại": 2,
        "Sáng kiến": 1,
        "Kỷ luật": 1,
        "Khen thưởng": 2,
    }
    assert Membership.objects.filter(person=an).count() == 2
    assert ClassificationRecord.objects.get(person=an).year == 2019
    assert ClassificationRecord.objects.get(unit=own_unit).classification == "good"
    initiative = Initiative.objects.get()
    assert (initiative.scope, initiative.decision_date) == ("province", datetime.date(2020, 6, 15))
    assert Discipline.objects.get().kind == "reprimand"
    award = AwardRecord.objects.get(person=an)
    assert award.form == forms["chien-si-thi-dua-co-so"]
    assert AwardRecord.objects.get(unit=own_unit, recipient_kind="collective").form_name == "Tập thể lao động tiên tiến"
    for model in (Membership, ClassificationRecord, Initiative, Discipline):
        assert set(model.objects.values_list("source", "imported_in")) == {
            (RecordSource.IMPORTED, applied.register_import.pk)
        }
    assert award.source == AwardRecord.Source.IMPORTED
    assert award.imported_in == applied.register_import


def test_importing_the_same_file_again_skips_every_row(plan, forms, reviewer, people):
    services.records_import_upload(upload=good_file(), actor=reviewer)

    again = services.records_import_upload(upload=good_file(), actor=reviewer)

    assert (again.register_import.rows_created, again.register_import.rows_skipped) == (0, 8)


def test_preview_lists_every_problem_with_sheet_row_and_column_and_writes_nothing(plan, forms, reviewer, people):
    upload = workbook(
        {
            "Xếp loại": [
                (1999, "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "Hoàn thành xuất sắc nhiệm vụ", ""),
                (2020, "Cá nhân", "", "Người Không Có", "PQLKH", "Giỏi", ""),
            ],
            "Kỷ luật": [("", "Nguyễn Văn An", "PQLKH", "Khiển trách", "01/03/2017", "28/02/2016", "", "")],
        }
    )

    preview = services.records_preview(upload=upload, actor=reviewer)

    found = {(problem.sheet, problem.line, problem.column) for problem in preview.problems}
    assert found == {
        ("Xếp loại", 2, "Năm"),
        ("Xếp loại", 3, "Họ và tên / Tên tập thể"),
        ("Xếp loại", 3, "Xếp loại"),
        ("Kỷ luật", 2, "Đến ngày (dd/mm/yyyy)"),
    }
    assert str(preview.problems[0]).startswith("Trang “Xếp loại”, dòng 2, cột “Năm”: năm “1999” không hợp lệ")
    assert not RegisterImport.objects.exists()
    assert not ClassificationRecord.objects.exists()


def test_one_bad_row_imports_nothing(plan, forms, reviewer, people):
    upload = workbook(
        {
            "Quá trình công tác": [("", "Nguyễn Văn An", "PQLKH", "01/01/2015", "")],
            "Khen thưởng": [
                (2019, "Chiến sĩ thi đua cơ sở", "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "05/QĐ-SKHCN", "", ""),
                (2019, "Chiến sĩ thi đua cơ sở", "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "", "", ""),
            ],
        }
    )

    with pytest.raises(imports.ImportInvalid) as refused:
        services.records_import_upload(upload=upload, actor=reviewer)

    [problem] = refused.value.preview.problems
    assert (problem.sheet, problem.line, problem.message) == ("Khen thưởng", 3, "thiếu số quyết định")
    assert not Membership.objects.exists()
    assert not AwardRecord.objects.exists()
    assert not RegisterImport.objects.exists()


def test_an_award_name_outside_the_catalogue_is_refused_with_the_closest_names(plan, forms, reviewer, people):
    upload = workbook(
        {
            "Khen thưởng": [
                (2019, "Chiến sỹ thi đua cơ sở", "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "05/QĐ-SKHCN", "", "")
            ]
        }
    )

    [problem] = services.records_preview(upload=upload, actor=reviewer).problems

    assert problem.column == "Hình thức, danh hiệu"
    assert problem.message.startswith("“Chiến sỹ thi đua cơ sở” không có trong danh mục hình thức khen thưởng")
    suggestions = problem.message.split("tên gần nhất trong danh mục: ")[1]
    assert suggestions.startswith("“Chiến sĩ thi đua cơ sở”")
    assert suggestions.count("“") == 3
    assert not AwardRecord.objects.exists()


def test_people_matched_by_name_and_unit_or_by_id(plan, forms, reviewer, people, own_unit):
    twin = Person.objects.create(full_name="Nguyễn Văn An", unit=own_unit)
    upload = workbook(
        {
            "Xếp loại": [
                (2019, "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "Hoàn thành nhiệm vụ", ""),  # two of that name
                (2019, "Cá nhân", str(twin.pk), "", "", "Hoàn thành nhiệm vụ", ""),
                (2019, "Cá nhân", "", "Lê Thị Bình", "PQLKH", "Hoàn thành nhiệm vụ", ""),  # not of that unit
            ]
        }
    )

    preview = services.records_preview(upload=upload, actor=reviewer)

    assert [(problem.line, problem.column) for problem in preview.problems] == [
        (2, "Họ và tên / Tên tập thể"),
        (4, "Họ và tên / Tên tập thể"),
    ]
    assert "có 2 cá nhân tên “Nguyễn Văn An”" in preview.problems[0].message
    assert "không tìm thấy cá nhân “Lê Thị Bình”" in preview.problems[1].message


def test_a_year_outside_the_persons_memberships_is_a_problem(plan, forms, reviewer, people):
    upload = workbook(
        {
            "Quá trình công tác": [("", "Nguyễn Văn An", "PQLKH", "01/01/2018", "")],
            "Xếp loại": [(2016, "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "Hoàn thành nhiệm vụ", "")],
        }
    )

    [problem] = services.records_preview(upload=upload, actor=reviewer).problems

    assert (problem.sheet, problem.line) == ("Xếp loại", 2)
    assert "không thuộc đơn vị nào" in problem.message


def test_a_file_without_any_template_sheet_refused(plan, reviewer):
    book = Workbook()
    book.active.title = "Trang khác"
    buffer = BytesIO()
    book.save(buffer)

    preview = services.records_preview(upload=SimpleUploadedFile("x.xlsx", buffer.getvalue()), actor=reviewer)

    assert preview.fatal
    assert preview.problems[0].message.startswith("Tệp không có trang nào theo mẫu")


# --- The page: preview, then "Nhập" --------------------------------------------------------------------------


def test_upload_previews_then_nhap_writes_everything(client, plan, forms, reviewer, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(reviewer)

    preview = client.post(reverse("awards:records_import"), {"file": good_file()})

    assert preview.status_code == 200
    assert not Membership.objects.exists()
    token = preview.context["apply_form"].initial["token"]
    assert token == preview.context["preview"].sha256
    response = client.post(reverse("awards:records_import_apply"), {"token": token}, follow=True)
    assert "Đã nhập 8 dòng" in response.content.decode()
    assert Membership.objects.count() == 2
    assert list(tmp_path.glob("imports/pending/*")) == []  # the kept upload is removed once written


def test_a_file_with_problems_shows_them_and_offers_no_nhap(client, plan, reviewer, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(reviewer)
    upload = workbook({"Xếp loại": [(1999, "Cá nhân", "", "Nguyễn Văn An", "PQLKH", "Hoàn thành nhiệm vụ", "")]})

    response = client.post(reverse("awards:records_import"), {"file": upload})

    assert response.status_code == 400
    assert response.context["apply_form"] is None
    assert 'data-testid="import-problems"' in response.content.decode()


def test_a_problem_appearing_after_the_preview_refuses_nhap(client, plan, forms, reviewer, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(reviewer)
    token = client.post(reverse("awards:records_import"), {"file": good_file()}).context["preview"].sha256
    # Meanwhile the office records a different classification for one of the file's years.
    ClassificationRecord.objects.create(person=people["an"], year=2019, classification="not_done")

    response = client.post(reverse("awards:records_import_apply"), {"token": token})

    assert response.status_code == 400
    assert "khác với tệp" in response.content.decode()
    assert not Membership.objects.exists()


def test_nhap_without_a_preview_writes_nothing(client, plan, reviewer):
    client.force_login(reviewer)

    response = client.post(reverse("awards:records_import_apply"), {"token": "0" * 64}, follow=True)

    assert "Không còn tệp đã xem trước" in response.content.decode()
    assert not RegisterImport.objects.exists()


# --- Free-text rows of the register --------------------------------------------------------------------------


def _free_text(kind="individual", name="Chiến sỹ thi đua cơ sở"):
    return AwardRecord.objects.create(
        year=2018,
        form_name=name,
        recipient_kind=kind,
        recipient_name="Nguyễn Văn An",
        unit_name="Phòng Quản lý khoa học",
        decision_number="03/QĐ-SKHCN",
        source=AwardRecord.Source.IMPORTED,
    )


def test_free_text_rows_are_listed_with_the_closest_form_first(client, plan, forms, reviewer):
    record = _free_text()
    client.force_login(reviewer)

    response = client.get(reverse("awards:unmapped_awards"))

    [row] = response.context["rows"]
    assert row.record == record
    assert row.suggestions[0] == forms["chien-si-thi-dua-co-so"]


def test_mapping_sets_the_form_and_keeps_the_name_as_written(client, plan, forms, reviewer):
    record = _free_text()
    client.force_login(reviewer)

    response = client.post(reverse("awards:award_map", args=[record.pk]), {"form": forms["chien-si-thi-dua-co-so"].pk})

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.form == forms["chien-si-thi-dua-co-so"]
    assert record.form_name == "Chiến sỹ thi đua cơ sở"
    assert client.get(reverse("awards:unmapped_awards")).context["rows"] == []


def test_mapping_refuses_a_form_for_the_other_kind_and_a_second_mapping(plan, forms, reviewer):
    collective = _free_text(kind="collective", name="Tập thể xuất sắc")
    with pytest.raises(RecordRefused, match="chỉ dành cho cá nhân"):
        services.award_record_map(actor=reviewer, record=collective, form=forms["chien-si-thi-dua-co-so"])
    collective.refresh_from_db()
    assert collective.form is None

    services.award_record_map(actor=reviewer, record=collective, form=forms["tap-the-lao-dong-xuat-sac"])
    with pytest.raises(RecordRefused, match="đã được gắn"):
        services.award_record_map(actor=reviewer, record=collective, form=forms["tap-the-lao-dong-tien-tien"])
