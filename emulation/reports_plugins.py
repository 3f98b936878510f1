"""What emulation adds to the reports (reports.extensions): the registered targets a unit's report is measured
against — "Đăng ký: …" beside the report form's criteria and indicators, registered vs achieved on the review page,
and the consolidated report's section "Kết quả thực hiện so với đăng ký thi đua" (a paragraph at the end of its
section II and an annex of tables). The reads are in emulation.selectors.targets.
"""

from decimal import Decimal

from documents.model import Amount, Rate, Section, Table
from reports.extensions import (
    ConsolidatedPart,
    register_consolidated_section,
    register_report_annotations,
    register_review_panel,
)
from reports.services.synthesis import lower_first, units_phrase

from .selectors import targets

SECTION_NAME = "registered_targets"
SECTION_HEADING = "Kết quả thực hiện so với đăng ký thi đua"
REVIEW_PANEL = "emulation/reports/review_panel.html"


def register():
    register_report_annotations(targets.report_annotations)
    register_review_panel(order=10, template=REVIEW_PANEL, context=targets.review_panel)
    register_consolidated_section(SECTION_NAME, targets.registered_targets, consolidated_part, order=10)


def _cell(indicator, raw):
    """A target or a value as a typed cell (a number in the XLSX); "" when there is none."""
    if raw in (None, ""):
        return ""
    return Amount(raw) if indicator["formula"] == "sum" else Rate(raw, indicator["result_unit"])


def _figure(indicator, raw):
    text = str(_cell(indicator, raw))
    return f"{text} {indicator['result_unit']}".rstrip() if indicator["formula"] == "sum" else text


def _indicator_sentence(indicator, half_year):
    """The Department's registered target and result of one indicator, judged for the period."""
    department = indicator["department"]
    text = f"Chỉ số “{indicator['name']}”: "
    if department["target"] is None:
        return text + (
            f"{units_phrase(department['registered'])} đăng ký chỉ tiêu, chưa có báo cáo được tiếp nhận để so sánh."
        )
    target = _figure(indicator, department["target"])
    value = _figure(indicator, department["value"])
    if half_year:
        text += f"chỉ tiêu đăng ký cả năm của toàn Sở {target}; 6 tháng đầu năm thực hiện {value}"
        if department["progress"] is not None:
            text += f", bằng {Rate(Decimal(department['progress']), '%')} chỉ tiêu đăng ký cả năm"
        return text + "; việc đánh giá đạt hay chưa đạt chỉ tiêu đăng ký thực hiện khi kết thúc năm."
    text += f"chỉ tiêu đăng ký của toàn Sở {target}, thực hiện {value}"
    if department["met"] is not None:
        text += ", đạt chỉ tiêu đăng ký" if department["met"] else ", chưa đạt chỉ tiêu đăng ký"
    return text + (
        f"; {department['meeting']}/{units_phrase(department['registered'])} đăng ký chỉ tiêu đạt chỉ tiêu của mình."
    )


def _reading(indicators):
    """How the Department's target is read, in one sentence per kind of indicator present."""
    sentences = []
    ratios = [indicator for indicator in indicators if indicator["formula"] == "ratio"]
    if ratios:
        weights = sorted({lower_first(indicator["denominator"]) for indicator in ratios if indicator["denominator"]})
        weight = f" ({'; '.join(weights)})" if weights else ""
        sentences.append(
            "Đối với chỉ số tính theo tỷ lệ, chỉ tiêu đăng ký của toàn Sở là bình quân chỉ tiêu của các phòng, đơn vị "
            f"theo quyền số là mẫu số của từng đơn vị{weight}, tức là tổng của chỉ tiêu nhân mẫu số chia cho tổng "
            "mẫu số; kết quả của toàn Sở là tổng tử số chia cho tổng mẫu số của chính các đơn vị đó."
        )
    if any(indicator["formula"] == "sum" for indicator in indicators):
        sentences.append(
            "Đối với chỉ số tính theo tổng, chỉ tiêu của toàn Sở là tổng chỉ tiêu đăng ký, kết quả là tổng kết quả "
            "thực hiện của các phòng, đơn vị."
        )
    if sentences:
        sentences.append(
            "Chỉ tiêu và kết quả của toàn Sở chỉ tính trên các phòng, đơn vị đã đăng ký chỉ tiêu và có báo cáo được "
            "tiếp nhận."
        )
    return sentences


def _indicator_table(indicator, half_year):
    department = indicator["department"]
    if half_year:
        header = ["STT", "Đơn vị", "Chỉ tiêu đăng ký cả năm", "Kết quả 6 tháng", "So với chỉ tiêu đăng ký cả năm"]

        def judged(entry):
            return _cell({"formula": "ratio", "result_unit": "%"}, entry["progress"])
    else:
        header = ["STT", "Đơn vị", "Chỉ tiêu đăng ký", "Kết quả thực hiện", "Đánh giá"]

        def judged(entry):
            return {True: targets.MET, False: targets.NOT_MET, None: ""}[entry["met"]]

    rows = [
        [index, row["unit"], _cell(indicator, row["target"]), _cell(indicator, row["value"]), judged(row)]
        for index, row in enumerate(indicator["rows"], start=1)
    ]
    rows.append(
        [
            "",
            "Toàn Sở",
            _cell(indicator, department["target"]),
            _cell(indicator, department["value"]),
            judged(department),
        ]
    )
    return Table(
        header,
        rows,
        title=f"Chỉ số: {indicator['name']} (tiêu chí “{indicator['criterion_label']}”)",
        numeric_columns=(2, 3, 4) if half_year else (2, 3),
        sheet_name=f"Đăng ký {indicator['criterion_label']}",
    )


def consolidated_part(value, period):
    """The section from its frozen value: a paragraph of the Department's figures, the units' tables in an annex."""
    half_year = value["half_year"]
    indicators = value["indicators"]
    texts = value["texts"]
    paragraphs = [
        f"Năm {value['year']}, {units_phrase(len(value['units']))} có đăng ký thi đua được tiếp nhận, với "
        f"{sum(len(indicator['rows']) for indicator in indicators)} chỉ tiêu theo chỉ số và {len(texts)} cam kết "
        "theo tiêu chí."
    ]
    paragraphs += [_indicator_sentence(indicator, half_year) for indicator in indicators]
    paragraphs += _reading(indicators)
    tables = [_indicator_table(indicator, half_year) for indicator in indicators]
    if texts:
        tables.append(
            Table(
                ["STT", "Đơn vị", "Tiêu chí", "Nội dung cam kết", "Tự đánh giá của đơn vị"],
                [
                    [index, entry["unit"], entry["criterion"], entry["text"], entry["level"] or "Chưa có báo cáo"]
                    for index, entry in enumerate(texts, start=1)
                ],
                title="Cam kết theo tiêu chí và kết quả tự đánh giá của đơn vị",
                sheet_name="Cam kết theo tiêu chí",
            )
        )
    return ConsolidatedPart(
        body=[Section(heading=SECTION_HEADING, paragraphs=paragraphs)],
        annex_title=f"KẾT QUẢ THỰC HIỆN SO VỚI ĐĂNG KÝ THI ĐUA NĂM {value['year']} CỦA CÁC PHÒNG, ĐƠN VỊ",
        annex_tables=tables,
    )
