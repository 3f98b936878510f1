"""The access matrix of the person's and the unit's record (hồ sơ thành tích), its import and the mapping of the
register's free-text rows, on one world built once for the module.

The office and leadership read every record; the head of a unit reads its people's and its own (404 for everyone
else, staff of the unit included). The office alone writes: leadership and the head, who see the record, get 403 on
its entries; the import and the mapping are the office's pages (403 for leadership, 404 for the rest).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import AwardForm, AwardRecord
from awards.services import records as services
from tests.access.matrix import Endpoint, built_once, check_every_persona, everyone, make_personas, only, row_id
from tests.access.test_awards_access import _council_member
from units.models import Person

OFFICE, LEADER, HEAD = "reviewer", "leader", "head"
READERS = (OFFICE, LEADER, HEAD)  # of the own unit's records
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"


def writes(ok=302, seen_by=(LEADER, HEAD)):
    """The office's write on a record `seen_by` may read (403 for them), 404 for everyone else."""
    return {**only(OFFICE, ok=ok), **dict.fromkeys(seen_by, 403)}


def office_page(ok=200):
    return {**only(OFFICE, ok=ok), LEADER: 403}


CLASSIFICATION = {"xep-loai-year": "2015", "xep-loai-classification": "good"}
DISCIPLINE = {"ky-luat-kind": "warning", "ky-luat-start_on": "01/02/2016"}

ENDPOINTS = [
    # --- The pages ---------------------------------------------------------------------------------------------
    Endpoint("awards:person_record", "GET", "/awards/ho-so/ca-nhan/{own_person}/", only(*READERS)),
    Endpoint("awards:person_record", "GET", "/awards/ho-so/ca-nhan/{other_person}/", only(OFFICE, LEADER)),
    Endpoint("awards:person_record", "GET", "/awards/ho-so/ca-nhan/999999/", only()),
    Endpoint("awards:person_record", "POST", "/awards/ho-so/ca-nhan/{own_person}/", everyone(405)),
    Endpoint("awards:unit_record", "GET", "/awards/ho-so/don-vi/{own_unit}/", only(*READERS)),
    Endpoint("awards:unit_record", "GET", "/awards/ho-so/don-vi/{other_unit}/", only(OFFICE, LEADER)),
    Endpoint("awards:unit_record", "POST", "/awards/ho-so/don-vi/{own_unit}/", everyone(405)),
    Endpoint("awards:initiative_file", "GET", "/awards/ho-so/sang-kien/{initiative}/tep/", only(*READERS)),
    # --- The office's entries ----------------------------------------------------------------------------------
    Endpoint(
        "awards:person_record_add",
        "POST",
        "/awards/ho-so/ca-nhan/{own_person}/them/xep-loai/",
        writes(),
        data=CLASSIFICATION,
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:person_record_add",
        "POST",
        "/awards/ho-so/ca-nhan/{own_person}/them/ky-luat/",
        writes(),
        data=DISCIPLINE,
        writes=(OFFICE,),
    ),
    # A year already classified: the page again with the refusal, nothing written.
    Endpoint(
        "awards:person_record_add",
        "POST",
        "/awards/ho-so/ca-nhan/{own_person}/them/xep-loai/",
        writes(400),
        data={**CLASSIFICATION, "xep-loai-year": "2014"},
    ),
    Endpoint(
        "awards:person_record_add",
        "POST",
        "/awards/ho-so/ca-nhan/{other_person}/them/xep-loai/",
        writes(seen_by=(LEADER,)),
        data=CLASSIFICATION,
        writes=(OFFICE,),
    ),
    Endpoint("awards:person_record_add", "GET", "/awards/ho-so/ca-nhan/{own_person}/them/xep-loai/", everyone(405)),
    Endpoint(
        "awards:unit_record_add",
        "POST",
        "/awards/ho-so/don-vi/{own_unit}/them-xep-loai/",
        writes(),
        data=CLASSIFICATION,
        writes=(OFFICE,),
    ),
    Endpoint("awards:unit_record_add", "POST", "/awards/ho-so/don-vi/{own_unit}/them-xep-loai/", writes(400)),
    Endpoint("awards:record_row_edit", "GET", "/awards/ho-so/muc/ky-luat/{discipline}/sua/", writes(200)),
    Endpoint(
        "awards:record_row_edit",
        "POST",
        "/awards/ho-so/muc/ky-luat/{discipline}/sua/",
        writes(),
        data=DISCIPLINE,
        writes=(OFFICE,),
    ),
    Endpoint("awards:record_row_edit", "POST", "/awards/ho-so/muc/ky-luat/{discipline}/sua/", writes(400)),
    Endpoint("awards:record_row_edit", "GET", "/awards/ho-so/muc/xep-loai/{unit_classification}/sua/", writes(200)),
    Endpoint("awards:record_row_edit", "GET", "/awards/ho-so/muc/khac/{discipline}/sua/", only()),
    Endpoint(
        "awards:record_row_delete",
        "POST",
        "/awards/ho-so/muc/cong-tac/{membership}/xoa/",
        writes(),
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:record_row_delete",
        "POST",
        "/awards/ho-so/muc/sang-kien/{initiative}/xoa/",
        writes(),
        writes=(OFFICE,),
    ),
    Endpoint("awards:record_row_delete", "GET", "/awards/ho-so/muc/cong-tac/{membership}/xoa/", everyone(405)),
    # --- The import and the mapping ----------------------------------------------------------------------------
    Endpoint("awards:records_import", "GET", "/awards/ho-so/nhap/", office_page()),
    Endpoint("awards:records_import", "POST", "/awards/ho-so/nhap/", office_page(400)),  # no file
    Endpoint("awards:records_import_apply", "POST", "/awards/ho-so/nhap/ap-dung/", office_page(302)),  # nothing kept
    Endpoint("awards:records_import_apply", "GET", "/awards/ho-so/nhap/ap-dung/", everyone(405)),
    Endpoint("awards:records_template", "GET", "/awards/ho-so/nhap/mau.xlsx", office_page()),
    Endpoint("awards:unmapped_awards", "GET", "/awards/ho-so/khen-thuong-ngoai-danh-muc/", office_page()),
    Endpoint(
        "awards:award_map",
        "POST",
        "/awards/ho-so/khen-thuong-ngoai-danh-muc/{free_text}/",
        office_page(302),
        data={"form": "{chien_si}"},
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:award_map", "POST", "/awards/ho-so/khen-thuong-ngoai-danh-muc/{free_text}/", office_page(302)
    ),  # no form chosen: refused with a message
    Endpoint("awards:award_map", "GET", "/awards/ho-so/khen-thuong-ngoai-danh-muc/{free_text}/", everyone(405)),
]


def _build_world():
    """A person of the own unit with a row of each kind (the initiative with its PDF), one of the other unit, the
    own unit's classification, and a register row typed outside the catalogue."""
    people = {**make_personas(), "council_member": _council_member()}
    reviewer = people["reviewer"]
    own_unit, other_unit = people["staff"].unit, people["other_staff"].unit
    own_person = Person.objects.create(full_name="Đặng Văn Hồ Sơ", unit=own_unit)
    other_person = Person.objects.create(full_name="Huỳnh Thị Đơn Vị Khác", unit=other_unit)
    membership = services.membership_save(
        actor=reviewer, person=own_person, unit=own_unit, start_on=datetime.date(2010, 1, 1)
    )
    services.classification_save(actor=reviewer, person=own_person, year=2014, classification="excellent")
    unit_classification = services.classification_save(
        actor=reviewer, unit=own_unit, year=2014, classification="excellent"
    )
    initiative = services.initiative_save(
        actor=reviewer,
        person=own_person,
        kind="initiative",
        title="Số hóa hồ sơ",
        year=2014,
        recognised_by="Hội đồng sáng kiến tỉnh",
        scope="province",
        file=SimpleUploadedFile("qd.pdf", PDF),
    )
    discipline = services.discipline_save(
        actor=reviewer, person=own_person, kind="reprimand", start_on=datetime.date(2012, 1, 1)
    )
    free_text = AwardRecord.objects.create(
        year=2013,
        form_name="Chiến sỹ thi đua cơ sở",
        recipient_kind="individual",
        recipient_name=own_person.full_name,
        unit_name=own_unit.name,
        decision_number="03/QĐ-SKHCN",
        source=AwardRecord.Source.IMPORTED,
    )
    return people, {
        "own_person": own_person.pk,
        "other_person": other_person.pk,
        "own_unit": own_unit.pk,
        "other_unit": other_unit.pk,
        "membership": membership.pk,
        "unit_classification": unit_classification.pk,
        "initiative": initiative.pk,
        "discipline": discipline.pk,
        "free_text": free_text.pk,
        "chien_si": str(AwardForm.objects.get(code="chien-si-thi-dua-co-so").pk),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("records-matrix"), _build_world) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
