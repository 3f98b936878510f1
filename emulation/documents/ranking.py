"""The annual consolidated report's section on scoring and ranking (reports.extensions.register_consolidated_section):
a paragraph at the end of its section II per kind of scoring, the rankings in an annex. The value is frozen in the
snapshot by emulation.selectors.scoring.consolidated_ranking."""

import datetime

from documents.model import Amount, Section, Table
from reports.extensions import ConsolidatedPart, register_consolidated_section

from ..models import ScoringScheme
from ..selectors.scoring import consolidated_ranking

SECTION_NAME = "emulation_ranking"
SECTION_HEADING = "Kết quả chấm điểm, xếp hạng thi đua"
KINDS = dict(ScoringScheme.Kind.choices)
SHEETS = {"annual": "Xếp hạng thi đua hằng năm", "campaign": "Xếp hạng thi đua chuyên đề"}


def register():
    register_consolidated_section(SECTION_NAME, consolidated_ranking, ranking_part, order=20)


def _sentence(scheme):
    rows = scheme["rows"]
    top = [row for row in rows if row[0] == 1]
    confirmed = ""
    if scheme["confirmed_on"]:
        confirmed = f", được lãnh đạo Sở xác nhận ngày {datetime.date.fromisoformat(scheme['confirmed_on']):%d/%m/%Y}"
    text = f"{KINDS[scheme['kind']]} ({scheme['name']}{confirmed}): {len(rows)} phòng, đơn vị được chấm điểm"
    if top:
        leaders = ", ".join(row[1] for row in top)
        text += f"; xếp thứ nhất: {leaders} ({Amount(top[0][2])} điểm)"
    return text + "."


def ranking_part(value, period):
    paragraphs = [_sentence(scheme) for scheme in value["schemes"]]
    paragraphs.append(
        "Kết quả chấm điểm theo chuyên đề chỉ dùng cho khen thưởng Phong trào thi đua theo chuyên đề, không làm căn "
        "cứ xét danh hiệu thi đua hằng năm (Nghị định số 152/2025/NĐ-CP, Điều 4)."
    )
    tables = [
        Table(
            ["Hạng", "Đơn vị", "Điểm", "Quy tắc khi bằng điểm"],
            [[row[0], row[1], Amount(row[2]), row[3]] for row in scheme["rows"]],
            title=f"{KINDS[scheme['kind']]} năm {value['year']}",
            numeric_columns=(0, 2),
            sheet_name=SHEETS.get(scheme["kind"], "Xếp hạng"),
        )
        for scheme in value["schemes"]
    ]
    return ConsolidatedPart(
        body=[Section(heading=SECTION_HEADING, paragraphs=paragraphs)],
        annex_title=f"KẾT QUẢ XẾP HẠNG THI ĐUA NĂM {value['year']} CỦA CÁC PHÒNG, ĐƠN VỊ",
        annex_tables=tables,
    )
