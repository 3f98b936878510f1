"""The Department's registration for the year as a công văn "V/v đăng ký thi đua năm …" (Nghị định 30, Mẫu 1.4),
with the list as its landscape annex; built only from the row's snapshot, its addressees and its register entry.

Nothing here reads the units' registrations: re-rendering an approved registration gives the same document.
"""

import datetime
from collections import Counter

from django.utils import timezone

from documents.model import Amount, Annex, Document, Section, Signature, Table
from reports.documents.consolidated import addressed_recipients, closed_body

OTHER_RECIPIENTS = ["- Giám đốc, các Phó Giám đốc Sở;", "- Các phòng, đơn vị thuộc Sở;"]


def _quoted(names):
    return ", ".join(f"“{name}”" for name in names)


def _plan_sentence(snapshot, department):
    plan = snapshot.get("plan", {})
    year = snapshot["year"]
    if plan.get("number"):
        when = ""
        if plan.get("date"):
            when = f" ngày {datetime.date.fromisoformat(plan['date']):%d/%m/%Y}"
        about = f" {plan['title'][:1].lower()}{plan['title'][1:]}" if plan.get("title") else ""
        cited = f"Kế hoạch số {plan['number']}{when} của {department}{about}"
    else:
        cited = f"Kế hoạch tổ chức phong trào thi đua năm {year} của {department}"
    return (
        f"Thực hiện {cited}; trên cơ sở đăng ký thi đua của các phòng, đơn vị thuộc Sở, "
        f"{department} đăng ký thi đua năm {year} như sau:"
    )


def title_counts(units):
    """(collective {title: units}, individual {title: people}) in the order titles first appear."""
    collective, individual = Counter(), Counter()
    for unit in units:
        collective.update(unit["titles"])
        individual.update(person["title"] for person in unit["people"])
    return collective, individual


def _count_lines(collective, individual):
    lines = [f"- {title}: {count} tập thể;" for title, count in collective.items()]
    lines += [f"- {title}: {count} cá nhân;" for title, count in individual.items()]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return lines


def body_sections(snapshot):
    department = snapshot["campaign"]["department"]
    units = snapshot["units"]
    own = [title["name"] for title in snapshot.get("own_titles", [])]
    people = sum(len(unit["people"]) for unit in units)
    commitments = sum(len(unit["commitments"]) for unit in units)
    collective, individual = title_counts(units)
    if own:
        own_text = f"{department} đăng ký danh hiệu {_quoted(own)}."
    else:
        own_text = f"{department} không đăng ký danh hiệu thi đua tập thể của Sở trong năm {snapshot['year']}."
    units_text = (
        f"Có {len(units)} phòng, đơn vị đăng ký thi đua; {people} cá nhân đăng ký danh hiệu thi đua"
        + (f"; {commitments} chỉ tiêu, cam kết theo các tiêu chí của phong trào thi đua" if commitments else "")
        + (", cụ thể:" if collective or individual else ".")
    )
    sections = [
        Section(paragraphs=[_plan_sentence(snapshot, department)]),
        Section(heading="1. Đăng ký của tập thể Sở", paragraphs=[own_text]),
        Section(
            heading="2. Đăng ký của các phòng, đơn vị thuộc Sở",
            paragraphs=[units_text, *_count_lines(collective, individual), "(Chi tiết tại Danh sách kèm theo)."],
        ),
        Section(paragraphs=[f"{department} kính gửi Quý cơ quan để tổng hợp, theo dõi."]),
    ]
    return closed_body(sections)


def annex_tables(snapshot):
    """The list: collective registrations (the Department first), individual ones, the units' commitments."""
    department = snapshot["campaign"]["department"]
    units = snapshot["units"]
    collective_rows = []
    own = [title["name"] for title in snapshot.get("own_titles", [])]
    if own:
        collective_rows.append([department, "; ".join(own)])
    collective_rows += [[unit["unit"], "; ".join(unit["titles"])] for unit in units if unit["titles"]]
    people_rows = [
        [person["name"], person["position"], unit["unit"], person["title"]]
        for unit in units
        for person in unit["people"]
    ]
    commitment_rows = [
        [
            unit["unit"],
            commitment["criterion"],
            commitment["indicator"],
            "" if commitment["target"] is None else Amount(commitment["target"]),
            commitment["unit_of_measure"] if commitment["target"] is not None else "",
            commitment["text"],
        ]
        for unit in units
        for commitment in unit["commitments"]
    ]
    tables = []
    if collective_rows:
        tables.append(
            Table(
                ["STT", "Tập thể", "Danh hiệu đăng ký"],
                _numbered(collective_rows),
                title="I. ĐĂNG KÝ DANH HIỆU THI ĐUA TẬP THỂ",
                sheet_name="PL. Đăng ký tập thể",
            )
        )
    if people_rows:
        tables.append(
            Table(
                ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu đăng ký"],
                _numbered(people_rows),
                title="II. ĐĂNG KÝ DANH HIỆU THI ĐUA CÁ NHÂN",
                sheet_name="PL. Đăng ký cá nhân",
            )
        )
    if commitment_rows:
        tables.append(
            Table(
                ["STT", "Đơn vị", "Tiêu chí", "Chỉ số", "Chỉ tiêu đăng ký", "Đơn vị tính", "Nội dung cam kết"],
                _numbered(commitment_rows),
                title="III. CHỈ TIÊU, CAM KẾT THEO TIÊU CHÍ CỦA CÁC PHÒNG, ĐƠN VỊ",
                numeric_columns=(4,),
                sheet_name="PL. Chỉ tiêu, cam kết",
            )
        )
    return tables


def _numbered(rows):
    return [[index, *row] for index, row in enumerate(rows, start=1)]


def _signature(registration):
    signer = registration.approved_by
    if signer is None:
        return Signature.for_signer(name="", is_deputy=False)
    return Signature.for_signer(name=signer.full_name, is_deputy=signer.position == signer.Position.DEPUTY)


def department_registration_document(registration):
    snapshot = registration.snapshot
    campaign = snapshot["campaign"]
    entry = registration.register_entry
    year = snapshot["year"]
    document = Document(
        governing_body=campaign["governing_body"],
        issuing_body=campaign["issuing_body"],
        type_code="",
        # The number the register gave is the record; before it, the symbol the issue will take.
        issuer_code=entry.issuer_code if entry else f"{campaign['issuer_code']}-{campaign['office_code']}",
        type_name="",
        summary=f"V/v đăng ký thi đua năm {year}",
        place=campaign["place"],
        addressee=registration.recipients,
        sections=body_sections(snapshot),
        signature=_signature(registration),
        recipients=addressed_recipients(OTHER_RECIPIENTS, office_code=campaign["office_code"]),
        number=entry.number if entry else None,
        issued_on=entry.issued_on if entry else None,
        year=timezone.localdate().year,
        draft=registration.status not in ("approved", "issued"),
    )
    document.annexes = [
        Annex(
            label="Phụ lục",
            title=f"DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM {year}",
            reference=f"(Kèm theo Công văn {document.reference} của {campaign['department']})",
            tables=annex_tables(snapshot),
        )
    ]
    return document
