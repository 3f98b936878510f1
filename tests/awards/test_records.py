"""The person's and the unit's record: what the pages show by year, who sees them, their fixed query counts, and the
office's entries for past years with their refusals."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards import records
from awards.errors import NotAllowed
from awards.models import AwardRecord, ClassificationRecord, Discipline, Initiative, Membership, Nomination
from awards.services import records as services
from awards.services.records import RecordRefused
from emulation.models import Assessment, AssessmentEntry, EmulationYear
from tests.awards.conftest import make_nomination
from tests.factories import UserFactory
from tests.query_budget import PAGE, WAITING_OFFICE
from units.models import Person

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"


@pytest.fixture
def subject(own_unit):
    return Person.objects.create(full_name="Trần Văn Hồ Sơ", position_title="Chuyên viên", unit=own_unit)


def award(person, year, form, *, number="01/QĐ-SKHCN"):
    return AwardRecord.objects.create(
        year=year,
        form=form,
        form_name=form.display_name,
        recipient_kind=Nomination.NomineeKind.INDIVIDUAL,
        recipient_name=person.full_name,
        unit=person.unit,
        unit_name=person.unit.name,
        person=person,
        decision_number=number,
        source=AwardRecord.Source.IMPORTED,
    )


def confirmed_assessment(plan, unit, person, year, classification, actor):
    emulation_year = EmulationYear.objects.create(campaign=plan, year=year, created_by=actor)
    assessment = Assessment.objects.create(
        year=emulation_year, unit=unit, status=Assessment.Status.CONFIRMED, created_by=actor
    )
    AssessmentEntry.objects.create(
        assessment=assessment,
        person=person,
        proposed_classification=classification,
        decided_classification=classification,
        decided_by="Giám đốc Sở",
    )
    return assessment


def fill_years(person, forms, years):
    """One classification, initiative, discipline and award in each of `years`."""
    for year in years:
        ClassificationRecord.objects.create(person=person, year=year, classification="excellent")
        Initiative.objects.create(person=person, title=f"Sáng kiến {year}", year=year, recognised_by="Sở", scope="base")
        Discipline.objects.create(
            person=person, kind="reprimand", start_on=datetime.date(year, 3, 1), end_on=datetime.date(year, 12, 31)
        )
        award(person, year, forms["lao-dong-tien-tien"], number=f"{year}/QĐ")


# --- The person's page -----------------------------------------------------------------------------------------


def test_person_record_shows_every_kind_by_year_newest_first(client, plan, forms, reviewer, head, subject, own_unit):
    assessment = confirmed_assessment(plan, own_unit, subject, 2024, "excellent", head)
    ClassificationRecord.objects.create(person=subject, year=2022, classification="good", decided_by="Giám đốc Sở")
    Initiative.objects.create(
        person=subject, title="Số hóa hồ sơ", year=2023, recognised_by="Hội đồng sáng kiến tỉnh", scope="province"
    )
    Discipline.objects.create(
        person=subject, kind="reprimand", start_on=datetime.date(2022, 5, 1), end_on=datetime.date(2023, 4, 30)
    )
    award(subject, 2024, forms["chien-si-thi-dua-co-so"])
    client.force_login(reviewer)

    response = client.get(reverse("awards:person_record", args=[subject.pk]))

    assert response.status_code == 200
    years = [year.year for year in response.context["record"].years]
    assert years == [2024, 2023, 2022]
    content = response.content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in content
    assert reverse("emulation:assessment_detail", args=[assessment.pk]) in content
    assert "Số hóa hồ sơ" in content
    assert "Cấp tỉnh" in content
    assert "Kỷ luật khiển trách" in content
    assert "từ 01/05/2022 đến 30/04/2023" in content
    assert "Chiến sĩ thi đua cơ sở" in content
    assert 'data-testid="assumed-membership"' in content  # no membership row: the current unit counts


def test_a_confirmed_assessment_wins_over_an_entered_classification(plan, head, subject, own_unit):
    confirmed_assessment(plan, own_unit, subject, 2024, "good", head)
    ClassificationRecord.objects.create(person=subject, year=2024, classification="excellent")

    [year] = records.person_record(subject).years

    assert year.classification.text == "Hoàn thành tốt nhiệm vụ"
    assert year.classification.row is None  # the assessment's, not the office's to edit


def test_memberships_give_each_years_unit(subject, own_unit, other_unit):
    Membership.objects.create(
        person=subject, unit=other_unit, start_on=datetime.date(2018, 1, 1), end_on=datetime.date(2024, 12, 31)
    )
    Membership.objects.create(person=subject, unit=own_unit, start_on=datetime.date(2025, 1, 1))
    ClassificationRecord.objects.create(person=subject, year=2020, classification="good")

    record = records.person_record(subject)

    units = {year.year: year.units for year in record.years}
    assert units == {2025: [own_unit], 2020: [other_unit], 2018: [other_unit]}
    assert not record.assumed_membership


@pytest.mark.parametrize("count", [1, 5])
def test_person_record_reads_in_fixed_queries(plan, forms, subject, count, django_assert_num_queries):
    fill_years(subject, forms, range(2020, 2020 + count))
    Membership.objects.create(person=subject, unit=subject.unit, start_on=datetime.date(2019, 1, 1))

    with django_assert_num_queries(6):
        record = records.person_record(subject)

    assert len(record.years) == count + 1


# The session, the user, their groups, the menu's unread count, the session saved (savepoint, update, release) — 7;
# +15: the waiting list behind the menu's counts (overview/waiting.py);
# the person, the six reads of the record, the unit list of the membership form.
PERSON_PAGE_QUERIES = PAGE + WAITING_OFFICE + 1 + 6 + 1


@pytest.mark.parametrize("count", [1, 5])
def test_person_page_queries_are_fixed(client, plan, forms, reviewer, subject, count, django_assert_num_queries):
    fill_years(subject, forms, range(2020, 2020 + count))
    client.force_login(reviewer)

    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        response = client.get(reverse("awards:person_record", args=[subject.pk]))

    assert len(response.context["record"].years) == count


def _people(unit, count):
    people = [Person.objects.create(full_name=f"Người Số {number}", unit=unit) for number in range(count)]
    for person in people[1:]:
        Membership.objects.create(person=person, unit=unit, start_on=datetime.date(2020, 1, 1))
    return people


@pytest.mark.parametrize("count", [1, 4])
def test_unit_record_reads_in_fixed_queries(plan, forms, own_unit, count, django_assert_num_queries):
    _people(own_unit, count)
    ClassificationRecord.objects.create(unit=own_unit, year=2023, classification="excellent")

    with django_assert_num_queries(4):
        record = records.unit_record(own_unit)

    this_year = record.years[0]
    assert len(this_year.members) == count


def test_unit_page_shows_classification_awards_and_members(client, plan, forms, reviewer, own_unit):
    people = _people(own_unit, 3)
    ClassificationRecord.objects.create(unit=own_unit, year=2023, classification="excellent")
    AwardRecord.objects.create(
        year=2023,
        form=forms["tap-the-lao-dong-tien-tien"],
        form_name="Tập thể lao động tiên tiến",
        recipient_kind=Nomination.NomineeKind.COLLECTIVE,
        recipient_name=own_unit.name,
        unit=own_unit,
        unit_name=own_unit.name,
        decision_number="09/QĐ-SKHCN",
        source=AwardRecord.Source.IMPORTED,
    )
    client.force_login(reviewer)

    response = client.get(reverse("awards:unit_record", args=[own_unit.pk]))

    content = response.content.decode()
    assert "Tập thể lao động tiên tiến" in content
    assert "Hoàn thành xuất sắc nhiệm vụ" in content
    assert reverse("awards:person_record", args=[people[1].pk]) in content


# --- Who sees it ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 200), ("leader", 200), ("head", 200)])
def test_office_leadership_and_own_head_see_the_record(client, plan, subject, persona, status, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("awards:person_record", args=[subject.pk])).status_code == status
    assert client.get(reverse("awards:unit_record", args=[subject.unit_id])).status_code == status


@pytest.mark.parametrize("persona", ["staff", "other_staff", "administrator", "council_member"])
def test_nobody_else_sees_the_record(client, plan, subject, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("awards:person_record", args=[subject.pk])).status_code == 404
    assert client.get(reverse("awards:unit_record", args=[subject.unit_id])).status_code == 404


def test_another_units_head_does_not_see_the_record(client, plan, subject, other_unit):
    client.force_login(UserFactory(username="truongkhac", unit=other_unit, position="head"))

    assert client.get(reverse("awards:person_record", args=[subject.pk])).status_code == 404


def test_nomination_page_links_the_nominees_record_for_the_office_only(
    client, plan, annual_round, forms, reviewer, staff, subject, own_unit
):
    nomination = make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=subject)
    url = reverse("awards:nomination_detail", args=[nomination.pk])
    record = reverse("awards:person_record", args=[subject.pk])

    client.force_login(reviewer)
    assert record in client.get(url).content.decode()
    client.force_login(staff)
    assert record not in client.get(url).content.decode()


# --- The office's entries ------------------------------------------------------------------------------------


def test_office_adds_and_corrects_a_membership(reviewer, subject, other_unit):
    row = services.membership_save(actor=reviewer, person=subject, unit=other_unit, start_on=datetime.date(2015, 1, 1))

    services.membership_save(
        actor=reviewer,
        person=subject,
        unit=other_unit,
        start_on=datetime.date(2015, 1, 1),
        end_on=datetime.date(2020, 6, 30),
        membership=row,
    )

    row.refresh_from_db()
    assert (row.unit, row.end_on, row.source) == (other_unit, datetime.date(2020, 6, 30), "entered")


@pytest.mark.parametrize(
    ("start_on", "end_on", "field", "message"),
    [
        (datetime.date(2020, 5, 1), datetime.date(2020, 4, 30), "end_on", "Ngày kết thúc trước ngày bắt đầu."),
        (datetime.date(1999, 12, 31), None, "start_on", "Ngày bắt đầu phải từ năm 2000 trở đi."),
        (TODAY + datetime.timedelta(days=2), None, "start_on", "không được sau ngày hôm nay"),
    ],
)
def test_membership_dates_refused(reviewer, subject, other_unit, start_on, end_on, field, message):
    with pytest.raises(RecordRefused) as refused:
        services.membership_save(actor=reviewer, person=subject, unit=other_unit, start_on=start_on, end_on=end_on)

    assert refused.value.field == field
    assert message in refused.value.message
    assert not Membership.objects.exists()


def test_overlapping_membership_in_the_same_unit_refused(reviewer, subject, other_unit):
    services.membership_save(actor=reviewer, person=subject, unit=other_unit, start_on=datetime.date(2015, 1, 1))

    with pytest.raises(RecordRefused, match="trùng thời gian"):
        services.membership_save(actor=reviewer, person=subject, unit=other_unit, start_on=datetime.date(2018, 1, 1))

    assert Membership.objects.count() == 1


@pytest.mark.parametrize("year", [1999, TODAY.year + 1])
def test_classification_year_outside_2000_to_this_year_refused(reviewer, subject, year):
    with pytest.raises(RecordRefused) as refused:
        services.classification_save(actor=reviewer, person=subject, year=year, classification="good")

    assert refused.value.message == f"Năm phải từ 2000 đến {TODAY.year}."
    assert not ClassificationRecord.objects.exists()


def test_a_second_classification_of_a_year_refused(reviewer, subject):
    services.classification_save(actor=reviewer, person=subject, year=2021, classification="good")

    with pytest.raises(RecordRefused, match="Năm 2021 đã có xếp loại của Trần Văn Hồ Sơ"):
        services.classification_save(actor=reviewer, person=subject, year=2021, classification="excellent")

    assert ClassificationRecord.objects.get().classification == "good"


def test_a_year_confirmed_by_the_assessment_refused(plan, reviewer, head, subject, own_unit):
    confirmed_assessment(plan, own_unit, subject, 2024, "good", head)

    with pytest.raises(RecordRefused, match="bình xét cuối năm đã xác nhận"):
        services.classification_save(actor=reviewer, person=subject, year=2024, classification="excellent")


def test_a_year_the_person_belonged_to_no_unit_refused(reviewer, subject, own_unit):
    Membership.objects.create(person=subject, unit=own_unit, start_on=datetime.date(2020, 1, 1))

    with pytest.raises(RecordRefused, match="Năm 2018, Trần Văn Hồ Sơ không thuộc đơn vị nào"):
        services.classification_save(actor=reviewer, person=subject, year=2018, classification="good")
    with pytest.raises(RecordRefused, match="không thuộc đơn vị nào"):
        services.discipline_save(actor=reviewer, person=subject, kind="warning", start_on=datetime.date(2019, 2, 1))


def test_unit_classification_once_per_year(reviewer, own_unit):
    services.classification_save(actor=reviewer, unit=own_unit, year=2020, classification="excellent")

    with pytest.raises(RecordRefused, match="Năm 2020 đã có xếp loại"):
        services.classification_save(actor=reviewer, unit=own_unit, year=2020, classification="good")


def test_initiative_with_its_pdf_and_a_non_pdf_refused(reviewer, subject, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    values = {
        "actor": reviewer,
        "person": subject,
        "kind": "initiative",
        "title": "Số hóa hồ sơ",
        "year": 2022,
        "recognised_by": "Hội đồng sáng kiến tỉnh",
        "scope": "province",
    }
    with pytest.raises(RecordRefused) as refused:
        services.initiative_save(**values, file=SimpleUploadedFile("qd.xlsx", b"not a workbook"))
    assert refused.value.field == "file"
    assert not Initiative.objects.exists()

    initiative = services.initiative_save(**values, file=SimpleUploadedFile("qd.pdf", PDF))

    assert initiative.file.name.endswith(".pdf")
    assert initiative.scope == "province"


def test_discipline_and_its_deletion(reviewer, subject):
    row = services.discipline_save(
        actor=reviewer,
        person=subject,
        kind="reprimand",
        start_on=datetime.date(2022, 1, 1),
        end_on=datetime.date(2022, 12, 31),
        decision_number="12/QĐ-SKHCN",
    )

    services.record_row_delete(actor=reviewer, row=row)

    assert not Discipline.objects.exists()


def test_a_discipline_decided_this_year_runs_past_today_a_membership_does_not(reviewer, subject):
    today = timezone.localdate()
    term_end = today + datetime.timedelta(days=200)
    row = services.discipline_save(
        actor=reviewer, person=subject, kind="reprimand", start_on=today - datetime.timedelta(days=30), end_on=term_end
    )
    assert row.end_on == term_end
    with pytest.raises(RecordRefused) as refused:
        services.membership_save(
            actor=reviewer, person=subject, unit=subject.unit, start_on=datetime.date(2020, 1, 1), end_on=term_end
        )
    assert refused.value.field == "end_on"
    assert "không được sau ngày hôm nay" in refused.value.message


def test_only_the_office_writes(head, leader, subject):
    for actor in (head, leader):
        with pytest.raises(NotAllowed):
            services.classification_save(actor=actor, person=subject, year=2021, classification="good")
    assert not ClassificationRecord.objects.exists()


# --- The office's entries in the browser ---------------------------------------------------------------------


def test_refused_entry_shows_the_page_again_with_the_message_and_what_was_typed(client, reviewer, subject):
    services.classification_save(actor=reviewer, person=subject, year=2021, classification="good")
    client.force_login(reviewer)

    response = client.post(
        reverse("awards:person_record_add", args=[subject.pk, "xep-loai"]),
        {"xep-loai-year": "2021", "xep-loai-classification": "excellent", "xep-loai-decided_by": "Giám đốc Sở X"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Năm 2021 đã có xếp loại của Trần Văn Hồ Sơ" in content
    assert "Giám đốc Sở X" in content
    assert ClassificationRecord.objects.count() == 1


def test_office_adds_an_entry_and_edits_it(client, reviewer, subject):
    client.force_login(reviewer)

    response = client.post(
        reverse("awards:person_record_add", args=[subject.pk, "ky-luat"]),
        {"ky-luat-kind": "warning", "ky-luat-start_on": "01/02/2021", "ky-luat-end_on": "31/01/2022"},
    )

    assert response.status_code == 302
    row = Discipline.objects.get()
    edit = reverse("awards:record_row_edit", args=["ky-luat", row.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"ky-luat-kind": "reprimand", "ky-luat-start_on": "01/02/2021"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.kind, row.end_on) == ("reprimand", None)


def test_the_head_sees_but_may_not_write(client, head, subject):
    client.force_login(head)

    response = client.post(
        reverse("awards:person_record_add", args=[subject.pk, "xep-loai"]),
        {"xep-loai-year": "2021", "xep-loai-classification": "good"},
    )

    assert response.status_code == 403
    assert not ClassificationRecord.objects.exists()
