"""The unit's biên bản of its year-end assessment meeting (họp bình xét), in the Nghị định 30 form of a biên bản
(Mẫu 1.9): the unit as the issuing body under the Department, the secretary signing beside the chair.

Built from what the unit entered (the meeting, each person's proposed classification and titles); the portal's
copy is the draft until the unit sends it (DỰ THẢO before). A unit with its own seal (Chi cục, Trung tâm) prints
its "Số: …/BB-<unit>" line; a phòng prints none.
"""

from collections import Counter

from documents.model import Document, Section, Signature, Table

from ..extensions import title_names
from ..models import Classification

TYPE_CODE = "BB"
TYPE_NAME = "BIÊN BẢN"


def minutes_summary(assessment):
    return f"Họp bình xét thi đua, khen thưởng và đề xuất xếp loại chất lượng năm {assessment.year.year}"


def _titles_text(codes, names):
    return "; ".join(names.get(code, code) for code in codes) or "—"


def minutes_content(assessment, roles):
    """The rows and figures the biên bản prints, from the assessment as it stands (plain data)."""
    names = title_names()
    entries = list(assessment.entries.select_related("person").order_by("person__full_name", "pk"))
    labels = dict(Classification.choices)
    rows = [
        [
            str(number),
            entry.person.full_name,
            entry.person.position_title or "",
            labels.get(entry.proposed_classification, "Chưa đề xuất"),
            _titles_text(entry.proposed_titles or [], names),
        ]
        for number, entry in enumerate(entries, start=1)
    ]
    counts = Counter(entry.proposed_classification for entry in entries)
    title_counts = Counter(code for entry in entries for code in entry.proposed_titles or [])
    return {
        "rows": rows,
        "people": len(entries),
        "classifications": [(label, counts[value]) for value, label in Classification.choices if counts[value]],
        "titles": [(names.get(code, code), count) for code, count in title_counts.items()],
        "chair": roles.get("chair", ""),
        "secretary": roles.get("secretary", ""),
    }


def minutes_document(assessment, roles):
    """The shared renderer's Document of the unit's biên bản."""
    year = assessment.year
    campaign = year.campaign
    unit = assessment.unit
    content = minutes_content(assessment, roles)
    day = f"ngày {assessment.meeting_date:%d/%m/%Y}" if assessment.meeting_date else "ngày …"
    opening = Section(
        heading="I. THỜI GIAN, ĐỊA ĐIỂM",
        paragraphs=[
            f"Thời gian: {day}.",
            f"Địa điểm: {unit.name}.",
            f"Nội dung: bình xét thi đua, khen thưởng và đề xuất xếp loại chất lượng năm {year.year} "
            f"của công chức, viên chức, người lao động {unit.name}.",
        ],
    )
    attendance = Section(
        heading="II. THÀNH PHẦN THAM DỰ",
        paragraphs=[
            f"Thành phần, số người dự họp: {assessment.meeting_attendance or '…'}.",
            f"Chủ trì (chủ tọa): {content['chair'] or '…'}.",
            f"Thư ký (người ghi biên bản): {content['secretary'] or '…'}.",
        ],
    )
    proposals = [
        f"Cuộc họp đã bình xét {content['people']} người của đơn vị; kết quả đề xuất như bảng dưới đây.",
    ]
    if content["classifications"]:
        proposals.append(
            "Đề xuất xếp loại chất lượng: "
            + "; ".join(f"{label}: {count} người" for label, count in content["classifications"])
            + "."
        )
    if content["titles"]:
        proposals.append(
            "Đề nghị danh hiệu thi đua, hình thức khen thưởng: "
            + "; ".join(f"{name}: {count} người" for name, count in content["titles"])
            + "."
        )
    table = Table(
        header=["STT", "Họ và tên", "Chức vụ", "Đề xuất xếp loại", "Danh hiệu đề nghị"],
        rows=content["rows"],
        title="Kết quả bình xét",
        sheet_name=f"Bình xét năm {year.year}",
    )
    results = Section(heading="III. KẾT QUẢ BÌNH XÉT", paragraphs=proposals, tables=[table])
    conclusion = Section(
        heading="IV. KẾT LUẬN",
        paragraphs=[
            f"Cuộc họp thống nhất kết quả bình xét trên để đề nghị cấp có thẩm quyền xem xét xếp loại chất lượng "
            f"và khen thưởng năm {year.year}.",
            "Biên bản được lập và thông qua tại cuộc họp.",
        ],
    )
    return Document(
        governing_body=campaign.issuing_body.upper(),
        issuing_body=unit.name.upper(),
        type_code=TYPE_CODE,
        issuer_code=unit.issuer_code,
        type_name=TYPE_NAME,
        summary=minutes_summary(assessment),
        place=campaign.place_name,
        sections=[opening, attendance, results, conclusion],
        # Mẫu 1.9: the secretary signs on the left, the chair on the right, "Nơi nhận" below them.
        signature=Signature(title="CHỦ TỌA", name=content["chair"]),
        co_signature=Signature(title="THƯ KÝ", name=content["secretary"]),
        recipients=[f"- {campaign.coordinating_unit_name};", "- Lưu: đơn vị."],
        numbered=unit.has_own_seal,
        issued_on=assessment.meeting_date,
        year=year.year,
        draft=assessment.is_editable_state,
    )
