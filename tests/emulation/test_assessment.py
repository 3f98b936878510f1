"""The unit's year-end assessment: its lifecycle through the services, what they refuse, who decides a person's
classification, and the unit's generated biên bản (a Nghị định 30 document)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents import stored
from documents.render import render_pdf
from emulation.documents.assessment_stored import assessment_minutes_document
from emulation.models import Assessment, AssessmentEntry
from emulation.services import assessment as services
from emulation.services.assessment import AssessmentInvalid, classification_authority
from notifications.models import Notification
from tests.factories import UnitFactory, UserFactory
from tests.pdf_text import pdf_text
from units.models import Person, Unit
from workflow.errors import InvalidTransition, NotAllowed

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
DEPARTMENT = "Sở Khoa học và Công nghệ"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(own_unit, head):
    """The unit's head (linked to the head's account) and two of its staff; one who left is not assessed."""
    chief = Person.objects.create(full_name="Phạm Thị Trưởng", position_title="Trưởng phòng", unit=own_unit, user=head)
    first = Person.objects.create(full_name="An Văn Một", position_title="Chuyên viên", unit=own_unit)
    second = Person.objects.create(full_name="Bùi Thị Hai", position_title="Chuyên viên chính", unit=own_unit)
    Person.objects.create(full_name="Đã Nghỉ Việc", unit=own_unit, is_active=False)
    return chief, first, second


@pytest.fixture
def started(emulation_year, own_unit, staff, people):
    return services.assessment_start(year=emulation_year, unit=own_unit, actor=staff)


def proposal(people, overrides=None):
    chief, first, second = people
    entries = {
        chief.pk: ("excellent", ["chien-si-thi-dua-co-so"]),
        first.pk: ("good", ["lao-dong-tien-tien"]),
        second.pk: ("done", []),
    }
    entries.update(overrides or {})
    return entries


def save(assessment, actor, entries, **kwargs):
    values = {
        "meeting_date": timezone.localdate() - datetime.timedelta(days=2),
        "attendance": "Toàn thể công chức của phòng, có mặt 3/3 người",
        "chair": "Phạm Thị Trưởng",
        "secretary": "An Văn Một",
        "entries": entries,
        **kwargs,
    }
    return services.assessment_save(assessment=assessment, actor=actor, **values)


def actions(assessment):
    return list(assessment.transitions.order_by("at", "pk").values_list("action", "to_status"))


def test_start_lists_every_active_person_of_the_unit_with_who_decides(started, people):
    chief, first, second = people
    entries = {entry.person_id: entry for entry in started.entries.all()}
    assert set(entries) == {chief.pk, first.pk, second.pk}
    assert all(entry.decided_by == f"Giám đốc {DEPARTMENT}" for entry in entries.values())
    assert started.status == Assessment.Status.DRAFT
    assert actions(started) == [("create", "draft")]


def test_a_second_start_for_the_same_year_is_refused(started, emulation_year, own_unit, head):
    with pytest.raises(InvalidTransition):
        services.assessment_start(year=emulation_year, unit=own_unit, actor=head)
    assert Assessment.objects.filter(unit=own_unit).count() == 1


def test_only_the_units_own_people_start_it(emulation_year, own_unit, other_staff, reviewer):
    for outsider in (other_staff, reviewer):
        with pytest.raises(NotAllowed):
            services.assessment_start(year=emulation_year, unit=own_unit, actor=outsider)
    assert not Assessment.objects.exists()


def test_lifecycle_start_submit_return_submit_confirm(started, people, staff, head, reviewer, media):
    chief, first, second = people
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    save(started, staff, proposal(people), minutes=upload)
    with pytest.raises(NotAllowed):
        services.assessment_submit(assessment=started, actor=staff)
    services.assessment_submit(assessment=started, actor=head)
    services.assessment_return(assessment=started, actor=reviewer, reason="Bổ sung số người dự họp.")
    started.refresh_from_db()
    assert started.status == Assessment.Status.RETURNED
    save(started, staff, proposal(people), attendance="Toàn thể, có mặt 3/3 người")
    services.assessment_submit(assessment=started, actor=head)
    started.refresh_from_db()
    entry = started.entries.get(person=second)
    services.assessment_confirm(
        assessment=started,
        actor=reviewer,
        decisions={entry.pk: ("good", "Giám đốc Sở quyết định xếp loại Hoàn thành tốt nhiệm vụ.")},
    )
    started.refresh_from_db()
    assert started.status == Assessment.Status.CONFIRMED
    assert started.confirmed_at is not None
    assert started.submitted_by == head
    decided = dict(started.entries.values_list("person_id", "decided_classification"))
    assert decided == {chief.pk: "excellent", first.pk: "good", second.pk: "good"}
    assert actions(started) == [
        ("create", "draft"),
        ("edit", "draft"),
        ("submit", "submitted"),
        ("return", "returned"),
        ("edit", "returned"),
        ("submit", "submitted"),
        ("confirm", "confirmed"),
    ]
    last = started.transitions.order_by("-pk").first()
    assert last.actor == reviewer
    assert {row["name"]: row["decided"] for row in last.snapshot["entries"]}["Bùi Thị Hai"] == "good"
    assert Notification.objects.filter(recipient=head, message__contains="đã xác nhận xếp loại").exists()
    assert Notification.objects.filter(recipient=reviewer, message__contains="đã gửi kết quả bình xét").exists()


def test_a_person_of_another_unit_is_refused_and_nothing_changes(started, people, staff, other_unit):
    outsider = Person.objects.create(full_name="Người Đơn Vị Khác", unit=other_unit)
    with pytest.raises(AssessmentInvalid) as refused:
        save(started, staff, proposal(people, {outsider.pk: ("good", [])}))
    assert f"p-{outsider.pk}-classification" in refused.value.errors
    assert not AssessmentEntry.objects.filter(person=outsider).exists()
    assert set(started.entries.values_list("proposed_classification", flat=True)) == {""}
    assert actions(started) == [("create", "draft")]


def test_a_newcomer_of_the_unit_is_added(started, people, staff, own_unit):
    newcomer = Person.objects.create(full_name="Người Mới Về", unit=own_unit)
    save(started, staff, proposal(people, {newcomer.pk: ("good", [])}))
    assert started.entries.get(person=newcomer).proposed_classification == "good"


def test_a_title_not_in_the_catalogue_is_refused(started, people, staff):
    chief = people[0]
    with pytest.raises(AssessmentInvalid) as refused:
        save(started, staff, proposal(people, {chief.pk: ("excellent", ["anh-hung-khong-co"])}))
    assert "không có trong danh mục" in refused.value.errors[f"p-{chief.pk}-titles"]
    assert started.entries.get(person=chief).proposed_titles == []


def test_minutes_must_be_a_pdf(started, people, staff, media):
    image = SimpleUploadedFile("bien-ban.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    with pytest.raises(AssessmentInvalid) as refused:
        save(started, staff, proposal(people), minutes=image)
    assert "PDF" in refused.value.errors["minutes"]
    started.refresh_from_db()
    assert not started.minutes_file
    assert started.meeting_date is None


def test_submit_without_minutes_is_refused(started, people, staff, head):
    save(started, staff, proposal(people))
    with pytest.raises(AssessmentInvalid) as refused:
        services.assessment_submit(assessment=started, actor=head)
    assert "minutes" in refused.value.errors
    started.refresh_from_db()
    assert started.status == Assessment.Status.DRAFT
    assert started.submitted_at is None


def test_submit_needs_every_persons_proposal(started, people, head, staff, media):
    chief = people[0]
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    save(started, staff, proposal(people, {chief.pk: ("", [])}), minutes=upload)
    with pytest.raises(AssessmentInvalid) as refused:
        services.assessment_submit(assessment=started, actor=head)
    assert list(refused.value.errors) == [f"p-{chief.pk}-classification"]


def test_generated_minutes_let_the_head_submit(started, people, staff, head):
    save(started, staff, proposal(people))
    services.assessment_generate_minutes(assessment=started, actor=staff)
    assert stored.stored_files(started) is not None
    services.assessment_submit(assessment=started, actor=head)
    started.refresh_from_db()
    assert started.status == Assessment.Status.SUBMITTED


def test_generating_needs_the_chair_and_secretary(started, people, staff):
    save(started, staff, proposal(people), secretary="")
    with pytest.raises(AssessmentInvalid) as refused:
        services.assessment_generate_minutes(assessment=started, actor=staff)
    assert list(refused.value.errors) == ["secretary"]
    assert stored.stored_files(started) is None


def submitted(started, people, staff, head):
    save(started, staff, proposal(people))
    services.assessment_generate_minutes(assessment=started, actor=staff)
    services.assessment_submit(assessment=started, actor=head)
    started.refresh_from_db()
    return started


def test_a_classification_other_than_proposed_needs_a_note(started, people, staff, head, reviewer):
    assessment = submitted(started, people, staff, head)
    entry = assessment.entries.get(person=people[2])
    with pytest.raises(AssessmentInvalid) as refused:
        services.assessment_confirm(assessment=assessment, actor=reviewer, decisions={entry.pk: ("not_done", "")})
    assert refused.value.errors == {f"e-{entry.pk}-note": services.NOTE_NEEDED}
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert set(assessment.entries.values_list("decided_classification", flat=True)) == {""}


def test_nobody_confirms_their_own_units_assessment(started, people, staff, head, reviewer, leader):
    assessment = submitted(started, people, staff, head)
    for not_theirs in (head, staff):
        with pytest.raises(NotAllowed):
            services.assessment_confirm(assessment=assessment, actor=not_theirs, decisions={})
    # Leadership confirms only the office's own unit (another reviewer's unit): not this one.
    with pytest.raises(NotAllowed):
        services.assessment_return(assessment=assessment, actor=leader, reason="Không phải việc của lãnh đạo.")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_a_return_needs_a_reason_and_a_confirmed_one_cannot_be_edited(started, people, staff, head, reviewer):
    assessment = submitted(started, people, staff, head)
    with pytest.raises(AssessmentInvalid):
        services.assessment_return(assessment=assessment, actor=reviewer, reason="  ")
    services.assessment_confirm(assessment=assessment, actor=reviewer, decisions={})
    with pytest.raises(InvalidTransition):
        save(assessment, staff, proposal(people))
    with pytest.raises(InvalidTransition):
        services.assessment_return(assessment=assessment, actor=reviewer, reason="Quá muộn.")


# --- Who decides ------------------------------------------------------------------------------------------------


def test_decided_by_the_director_for_heads_and_civil_servants_the_head_of_a_chi_cuc_for_its_staff():
    department = Unit(name=DEPARTMENT, kind=Unit.Kind.DEPARTMENT)
    division = Unit(name="Phòng Quản lý khoa học", kind=Unit.Kind.DIVISION, parent=department)
    chi_cuc = Unit(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", kind=Unit.Kind.SUB_DEPARTMENT, parent=department)
    centre = Unit(name="Trung tâm Ứng dụng khoa học", kind=Unit.Kind.PUBLIC_SERVICE, parent=department)
    director = f"Giám đốc {DEPARTMENT}"

    def decided_by(unit, title):
        return classification_authority(Person(full_name="X", position_title=title, unit=unit), DEPARTMENT)

    assert decided_by(division, "Chuyên viên") == director
    assert decided_by(division, "Trưởng phòng") == director
    assert decided_by(chi_cuc, "Chi cục trưởng") == director
    assert decided_by(chi_cuc, "Quyền Chi cục trưởng") == director
    assert decided_by(chi_cuc, "Phó Chi cục trưởng") == "Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng"
    assert decided_by(chi_cuc, "Kiểm soát viên") == "Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng"
    assert decided_by(centre, "Giám đốc Trung tâm") == director
    assert decided_by(centre, "Viên chức") == "Giám đốc Trung tâm Ứng dụng khoa học"


def test_a_centres_head_is_known_by_the_account_whatever_the_title(db):
    centre = UnitFactory(code="TTUDX", name="Trung tâm Thử nghiệm", kind=Unit.Kind.PUBLIC_SERVICE)
    user = UserFactory(username="giamdoc.tt", unit=centre, position="head")
    head = Person.objects.create(full_name="Lê Văn Đứng Đầu", position_title="", unit=centre, user=user)
    assert classification_authority(head, DEPARTMENT) == f"Giám đốc {DEPARTMENT}"
    assert services.department_name(centre) == "Sở Khoa học và Công nghệ"


# --- The biên bản -----------------------------------------------------------------------------------------------


def test_the_generated_bien_ban_is_a_nd30_minutes_with_the_secretary_beside_the_chair(started, people, staff):
    started = save(started, staff, proposal(people))
    document = assessment_minutes_document(started)
    assert (document.type_name, document.type_code, document.issuer_code) == ("BIÊN BẢN", "BB", "PQLKH")
    assert document.issuing_body == "PHÒNG QUẢN LÝ KHOA HỌC"
    assert document.governing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert document.numbered is False  # a phòng has no seal nor register of its own
    assert document.draft is True
    assert (document.signature.title, document.signature.name) == ("CHỦ TỌA", "Phạm Thị Trưởng")
    assert (document.co_signature.title, document.co_signature.name) == ("THƯ KÝ", "An Văn Một")
    assert document.issued_on == timezone.localdate() - datetime.timedelta(days=2)
    assert (
        document.summary == f"Họp bình xét thi đua, khen thưởng và đề xuất xếp loại chất lượng năm {started.year.year}"
    )
    (table,) = document.sections[2].tables
    assert table.rows == [
        ["1", "An Văn Một", "Chuyên viên", "Hoàn thành tốt nhiệm vụ", "Lao động tiên tiến"],
        ["2", "Bùi Thị Hai", "Chuyên viên chính", "Hoàn thành nhiệm vụ", "—"],
        ["3", "Phạm Thị Trưởng", "Trưởng phòng", "Hoàn thành xuất sắc nhiệm vụ", "Chiến sĩ thi đua cơ sở"],
    ]
    assert (
        "Đề xuất xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ: 1 người; Hoàn thành tốt nhiệm vụ: 1 người; "
        "Hoàn thành nhiệm vụ: 1 người." in document.sections[2].paragraphs
    )


def test_a_chi_cuc_prints_its_number_line(emulation_year, db):
    chi_cuc = UnitFactory(code="TDCX", name="Chi cục Thử nghiệm", kind=Unit.Kind.SUB_DEPARTMENT, abbreviation="CCTN")
    member = UserFactory(username="canbo.cctn", unit=chi_cuc, position="staff")
    assessment = services.assessment_start(year=emulation_year, unit=chi_cuc, actor=member)
    document = assessment_minutes_document(assessment)
    assert document.numbered is True
    assert document.number_line.endswith("/BB-CCTN")


def test_the_bien_ban_pdf_reads_as_a_minutes(started, people, staff):
    """The one rendering of this module."""
    started = save(started, staff, proposal(people))
    pdf = render_pdf(assessment_minutes_document(started))
    flat = pdf_text(pdf)
    for text in (
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "PHÒNG QUẢN LÝ KHOA HỌC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Phạm Thị Trưởng",
        "Bùi Thị Hai",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Chiến sĩ thi đua cơ sở",
    ):
        assert text in flat, text
    assert "Số:" not in flat
