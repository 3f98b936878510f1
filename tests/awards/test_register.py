"""The award register: import from xlsx (all rows or none), the list with its search and filters, the export."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from awards.errors import NotAllowed
from awards.models import AwardRecord, RegisterImport
from awards.services.register import TEMPLATE_HEADER, RegisterFileInvalid, register_import
from notifications.models import Notification
from tests.factories import Capability, UserFactory, department
from tests.query_budget import PAGE, WAITING_OFFICE
from tests.spreadsheets import column, header, records, title_lines
from units.models import Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"


def xlsx_file(rows, *, header=TEMPLATE_HEADER, name="quyet-dinh-cu.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text, as Excel stores '=… typed with a quote
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def row(
    name="Nguyễn Văn An", *, year=2024, form="Lao động tiên tiến", kind="Cá nhân", unit="PQLKH", number="05/QĐ-SKHCN"
):
    return (year, form, kind, name, "Chuyên viên", unit, number, "20/12/2024", "")


@pytest.fixture
def second_office_member(office_unit):
    return UserFactory(
        username="vanphong2", unit=office_unit, position="staff", capabilities=[Capability.OFFICE_REVIEWER]
    )


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def test_office_imports_rows_matching_form_unit_and_person(plan, forms, reviewer, own_unit, other_unit, person):
    upload = xlsx_file(
        [
            # The form typed without diacritics and in capitals still matches the catalogue.
            row("Nguyễn Thị Đề Cử", form="LAO DONG TIEN TIEN"),
            row("Trần Văn Mới", unit="Phòng Kế hoạch - Tài chính"),
            (2024, "Tập thể lao động tiên tiến", "Tập thể", "Phòng Quản lý khoa học", "", "", "05/QĐ-SKHCN", "", ""),
        ]
    )

    result = register_import(upload=upload, actor=reviewer)

    assert (result.register_import.rows_created, result.register_import.rows_skipped) == (3, 0)
    known = AwardRecord.objects.get(recipient_name="Nguyễn Thị Đề Cử")
    assert known.form == forms["lao-dong-tien-tien"]
    assert known.form_name == "Lao động tiên tiến"
    assert known.unit == own_unit
    assert known.person == person
    assert known.conferring_authority == forms["lao-dong-tien-tien"].conferring_authority
    assert known.decision_date == datetime.date(2024, 12, 20)
    assert known.source == AwardRecord.Source.IMPORTED
    assert known.imported_in == result.register_import
    new_person = Person.objects.get(full_name="Trần Văn Mới")
    assert new_person.unit == other_unit
    assert new_person.position_title == "Chuyên viên"
    assert AwardRecord.objects.get(recipient_name="Trần Văn Mới").person == new_person
    collective = AwardRecord.objects.get(recipient_name="Phòng Quản lý khoa học")
    assert collective.unit == own_unit
    assert collective.person is None
    assert (result.persons_created, result.persons_linked) == (1, 2)


def test_a_name_outside_the_catalogue_is_refused_with_the_closest_names_and_nothing_is_written(plan, reviewer):
    upload = xlsx_file(
        [
            row("Đúng Dòng Hai"),
            (2023, "Bằng khen Chủ tịch tỉnh", "Cá nhân", "Lê Thị Ngoài", "Chuyên viên", "", "12/QĐ-UBND", "", ""),
        ]
    )

    with pytest.raises(RegisterFileInvalid) as refused:
        register_import(upload=upload, actor=reviewer)

    (problem,) = refused.value.problems
    assert problem.startswith("Dòng 3: “Bằng khen Chủ tịch tỉnh” không có trong danh mục")
    assert "Bằng khen của Chủ tịch UBND tỉnh" in problem  # the closest name, suggested
    assert not AwardRecord.objects.exists()


def test_one_invalid_row_imports_nothing_and_names_each_bad_row(plan, reviewer, own_unit):
    upload = xlsx_file(
        [
            row("Đúng Dòng Hai"),
            row("Sai Năm", year="năm ngoái"),
            row("Sai Ngày")[:7] + ("31/02/2024", ""),
            (2024, "", "Ai đó", "", "", "", "", "", ""),
        ]
    )

    with pytest.raises(RegisterFileInvalid) as refused:
        register_import(upload=upload, actor=reviewer)

    problems = refused.value.problems
    assert problems[0].startswith("Dòng 3: năm không hợp lệ (“năm ngoái”)")
    assert problems[1].startswith("Dòng 4: ngày quyết định không hợp lệ (“31/02/2024”)")
    assert problems[2].startswith("Dòng 5: thiếu hình thức, danh hiệu; đối tượng phải là “Tập thể” hoặc “Cá nhân”")
    assert "thiếu họ và tên / tên tập thể" in problems[2]
    assert "thiếu số quyết định" in problems[2]
    assert len(problems) == 3
    assert not AwardRecord.objects.exists()
    assert not RegisterImport.objects.exists()
    assert not Person.objects.filter(full_name="Đúng Dòng Hai").exists()


def test_form_for_individuals_refused_for_a_collective(plan, reviewer, own_unit):
    upload = xlsx_file([row("Phòng Quản lý khoa học", kind="Tập thể")])

    with pytest.raises(RegisterFileInvalid) as refused:
        register_import(upload=upload, actor=reviewer)

    assert refused.value.problems == ["Dòng 2: Lao động tiên tiến chỉ dành cho cá nhân."]


def test_rows_already_in_the_register_are_skipped_and_counted(plan, reviewer, own_unit):
    register_import(upload=xlsx_file([row("Nguyễn Văn An"), row("Lê Thị Bình")]), actor=reviewer)

    again = register_import(
        upload=xlsx_file([row("Nguyễn Văn An"), row("Lê Thị Bình"), row("Phạm Thị Cúc"), row("Phạm Thị Cúc")]),
        actor=reviewer,
    )

    assert (again.register_import.rows_created, again.register_import.rows_skipped) == (1, 3)
    assert AwardRecord.objects.count() == 3
    assert Person.objects.filter(full_name="Nguyễn Văn An").count() == 1


def test_register_constraint_refuses_a_second_identical_record(plan, reviewer, own_unit):
    register_import(upload=xlsx_file([row()]), actor=reviewer)
    record = AwardRecord.objects.get()
    record.pk = None
    record.imported_in = None

    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_empty_rows_are_ignored(plan, reviewer, own_unit):
    result = register_import(
        upload=xlsx_file([(None,) * 9, row("Nguyễn Văn An"), ("", " ", None), row("Lê Thị Bình")]), actor=reviewer
    )

    assert result.register_import.rows_created == 2


def test_more_than_5000_rows_refused(plan, reviewer, own_unit):
    rows = [row(f"Người Số {number}") for number in range(5001)]

    with pytest.raises(RegisterFileInvalid) as refused:
        register_import(upload=xlsx_file(rows), actor=reviewer)

    assert refused.value.problems == ["Tệp có hơn 5.000 dòng dữ liệu; vui lòng chia thành nhiều tệp."]
    assert not AwardRecord.objects.exists()


def test_file_not_in_the_template_refused(plan, reviewer):
    with pytest.raises(RegisterFileInvalid) as refused:
        register_import(upload=xlsx_file([row()], header=("Họ tên", "Năm")), actor=reviewer)

    assert refused.value.problems[0].startswith("Dòng 1: tiêu đề các cột không đúng mẫu.")


def test_a_pdf_is_not_a_register_file(plan, reviewer):
    with pytest.raises(RegisterFileInvalid) as refused:
        register_import(upload=SimpleUploadedFile("so.pdf", PDF), actor=reviewer)

    assert refused.value.problems == ["Chỉ nhận tệp Excel .xlsx theo mẫu của Sổ theo dõi khen thưởng."]


def test_a_file_named_xlsx_that_is_not_one_is_refused(plan, reviewer):
    with pytest.raises(RegisterFileInvalid) as refused:
        register_import(upload=SimpleUploadedFile("so.xlsx", b"Nam,Hinh thuc\n2024,LDTT\n"), actor=reviewer)

    assert "không khớp" in refused.value.problems[0] or "không phải" in refused.value.problems[0]


def test_only_the_office_imports(plan, head, own_unit):
    with pytest.raises(NotAllowed):
        register_import(upload=xlsx_file([row()]), actor=head)

    assert not AwardRecord.objects.exists()


def test_import_tells_the_other_office_members(plan, reviewer, second_office_member, own_unit):
    register_import(upload=xlsx_file([row()]), actor=reviewer)

    notice = Notification.objects.get()
    assert notice.recipient == second_office_member
    assert "đã nhập 1 khen thưởng" in notice.message


def test_management_command_imports_through_the_same_service(plan, reviewer, own_unit, tmp_path, capsys):
    path = tmp_path / "so.xlsx"
    path.write_bytes(xlsx_file([row(), row("Lê Thị Bình")]).read())

    call_command("import_award_register", str(path), "--user", reviewer.username)

    assert AwardRecord.objects.count() == 2
    assert "Đã nhập 2 khen thưởng" in capsys.readouterr().out


def test_management_command_refuses_someone_outside_the_office(plan, head, tmp_path):
    path = tmp_path / "so.xlsx"
    path.write_bytes(xlsx_file([row()]).read())

    with pytest.raises(CommandError, match="Chỉ Phòng Hành chính - Tổng hợp"):
        call_command("import_award_register", str(path), "--user", head.username)


# ---------------------------------------------------------------------------------------------
# The import page
# ---------------------------------------------------------------------------------------------


def test_import_page_lists_problems_and_imports_nothing(client, plan, reviewer, own_unit):
    client.force_login(reviewer)

    response = client.post(reverse("awards:register_import"), {"file": xlsx_file([row(), row(year=1800)])}, follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Tệp chưa nhập được: có 1 lỗi." in content
    assert "Dòng 3: năm không hợp lệ (“1800”)" in content
    assert not AwardRecord.objects.exists()


def test_import_page_imports_and_reports_counts(client, plan, reviewer, own_unit):
    client.force_login(reviewer)

    response = client.post(reverse("awards:register_import"), {"file": xlsx_file([row()])}, follow=True)

    assert "Đã nhập 1 khen thưởng; bỏ qua 0 dòng đã có trong sổ." in response.content.decode()
    assert "quyet-dinh-cu.xlsx" in response.content.decode()
    assert AwardRecord.objects.count() == 1


def test_import_page_without_a_file_says_so(client, plan, reviewer):
    client.force_login(reviewer)

    response = client.post(reverse("awards:register_import"), {})

    assert "Vui lòng chọn tệp Excel để nhập." in response.content.decode()


def test_unit_member_may_read_the_register_but_not_import(client, plan, head, own_unit):
    client.force_login(head)

    assert client.get(reverse("awards:register_import")).status_code == 403
    assert client.post(reverse("awards:register_import"), {"file": xlsx_file([row()])}).status_code == 403
    assert client.get(reverse("awards:register_template")).status_code == 403
    assert not AwardRecord.objects.exists()


def test_template_download_has_the_documented_headers(client, plan, reviewer):
    client.force_login(reviewer)

    response = client.get(reverse("awards:register_template"))

    assert response["Content-Type"] == XLSX
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Sổ khen thưởng", "Hướng dẫn", "Danh mục"]
    assert header(workbook.worksheets[0]) == list(TEMPLATE_HEADER)
    assert "Lao động tiên tiến" in [cell.value for cell in column(workbook["Danh mục"], "Hình thức, danh hiệu")]


# ---------------------------------------------------------------------------------------------
# The list: who sees what, search, filters, pagination
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def history(plan, reviewer, own_unit, other_unit):
    register_import(
        upload=xlsx_file(
            [
                row("Nguyễn Văn An", year=2023, number="10/QĐ-SKHCN"),
                row("Đỗ Thị Ánh", year=2024),
                row("Võ Văn Khác Đơn Vị", unit="PKT"),
                (
                    2024,
                    "Tập thể lao động tiên tiến",
                    "Tập thể",
                    "Phòng Kế hoạch - Tài chính",
                    "",
                    "",
                    "05/QĐ-SKHCN",
                    "",
                    "",
                ),
            ]
        ),
        actor=reviewer,
    )


def names_on(response):
    return {record.recipient_name for record in response.context["page"].object_list}


@pytest.mark.parametrize("persona", ["reviewer", "leader"])
def test_office_and_leadership_read_the_whole_register(client, history, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("awards:register_list"))

    assert names_on(response) == {"Nguyễn Văn An", "Đỗ Thị Ánh", "Võ Văn Khác Đơn Vị", "Phòng Kế hoạch - Tài chính"}


def test_unit_member_reads_only_their_own_units_records(client, history, staff):
    client.force_login(staff)

    response = client.get(reverse("awards:register_list"))

    assert names_on(response) == {"Nguyễn Văn An", "Đỗ Thị Ánh"}
    assert "Võ Văn Khác Đơn Vị" not in response.content.decode()


def test_unit_members_export_holds_only_their_own_units_records(client, history, other_staff):
    client.force_login(other_staff)

    response = client.get(reverse("awards:register_export"))

    sheet = load_workbook(BytesIO(response.content)).active
    assert sorted(cell.value for cell in column(sheet, "Họ và tên / Tên tập thể")) == [
        "Phòng Kế hoạch - Tài chính",
        "Võ Văn Khác Đơn Vị",
    ]


def test_council_member_only_and_administrator_see_nothing(client, history, administrator):
    council_only = UserFactory(
        username="hoidongngoai", unit=department(), position="", capabilities=[Capability.COUNCIL_MEMBER]
    )
    for user in (council_only, administrator):
        client.force_login(user)
        assert client.get(reverse("awards:register_list")).status_code == 404
        assert client.get(reverse("awards:register_export")).status_code == 404
        assert client.get(reverse("awards:register_import")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, history):
    response = client.get(reverse("awards:register_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("do thi anh", {"Đỗ Thị Ánh"}),
        ("ĐỖ THỊ", {"Đỗ Thị Ánh"}),
        ("nguyen 10/qd", {"Nguyễn Văn An"}),
        ("ke hoach tai chinh", {"Võ Văn Khác Đơn Vị", "Phòng Kế hoạch - Tài chính"}),
        ("khong co ai", set()),
    ],
)
def test_search_ignores_diacritics_and_case(client, history, reviewer, query, expected):
    client.force_login(reviewer)

    response = client.get(reverse("awards:register_list"), {"q": query})

    assert names_on(response) == expected


def test_filters_by_year_form_and_kind(client, history, reviewer, forms):
    client.force_login(reviewer)
    url = reverse("awards:register_list")

    assert names_on(client.get(url, {"year": 2023})) == {"Nguyễn Văn An"}
    assert names_on(client.get(url, {"kind": "collective"})) == {"Phòng Kế hoạch - Tài chính"}
    assert names_on(client.get(url, {"form": forms["tap-the-lao-dong-tien-tien"].pk})) == {"Phòng Kế hoạch - Tài chính"}
    # A filter the form does not know is ignored rather than emptying the list.
    assert len(names_on(client.get(url, {"year": "abc"}))) == 4


def test_records_written_by_save_get_their_search_key(plan, own_unit):
    record = AwardRecord.objects.create(
        year=2025,
        form_name="Chiến sĩ thi đua cơ sở",
        recipient_kind="individual",
        recipient_name="Hồ Thị Đào",
        unit_name="Phòng Quản lý khoa học",
        decision_number="07/QĐ-SKHCN",
        source=AwardRecord.Source.DEPARTMENT,
    )

    assert "ho thi dao" in record.search_key
    assert "chien si thi dua co so" in record.search_key


def test_pagination_in_vietnamese(client, plan, reviewer, own_unit):
    register_import(upload=xlsx_file([row(f"Người Số {number:03d}") for number in range(55)]), actor=reviewer)
    client.force_login(reviewer)

    first = client.get(reverse("awards:register_list"), {"q": "nguoi"})
    second = client.get(reverse("awards:register_list"), {"q": "nguoi", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert "Trang 1/2" in first.content.decode()
    assert "Trang sau" in first.content.decode()
    assert "q=nguoi&amp;page=2" in first.content.decode()
    assert len(second.context["page"].object_list) == 5


def _register_with(count, reviewer):
    AwardRecord.objects.all().delete()
    RegisterImport.objects.all().delete()
    register_import(upload=xlsx_file([row(f"Người Số {number}") for number in range(count)]), actor=reviewer)


# The session, the user with their unit, their groups, the unread count of the menu, the session saved
# (savepoint, update, release) — 7; +15: the waiting list behind the menu's counts (overview/waiting.py); then the
# years, the count, the page, the catalogue of forms.
REGISTER_QUERIES = PAGE + WAITING_OFFICE + 4


@pytest.mark.parametrize("count", [2, 10])
def test_register_list_queries_are_fixed(client, plan, reviewer, own_unit, count, django_assert_num_queries):
    _register_with(count, reviewer)
    client.force_login(reviewer)

    with django_assert_num_queries(REGISTER_QUERIES):
        response = client.get(reverse("awards:register_list"))

    assert len(response.context["page"].object_list) == count


def test_export_follows_the_filters_and_writes_text_never_formulas(client, plan, reviewer, own_unit):
    register_import(upload=xlsx_file([row('=HYPERLINK("http://x")'), row("Lê Thị Bình", year=2023)]), actor=reviewer)
    client.force_login(reviewer)

    response = client.get(reverse("awards:register_export"), {"year": 2024})

    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content)).active
    assert title_lines(sheet)[:2] == ["Sổ theo dõi khen thưởng", "Năm khen thưởng: 2024"]
    [record] = records(sheet)
    assert record["Họ và tên / Tên tập thể"].value == '=HYPERLINK("http://x")'
    assert record["Họ và tên / Tên tập thể"].data_type == "s"


def test_an_export_imports_again_as_duplicates(client, history, reviewer):
    client.force_login(reviewer)
    exported = client.get(reverse("awards:register_export")).content

    again = register_import(upload=SimpleUploadedFile("xuat.xlsx", exported), actor=reviewer)

    assert (again.register_import.rows_created, again.register_import.rows_skipped) == (0, 4)
