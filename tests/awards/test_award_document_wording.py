"""What the decisions and proposals say: their legal bases with dates, annual titles apart from the campaign,
the bonus article, proposals addressed to who confers without hedging, lists that end with a full stop."""

# Fixtures imported from the support modules are redefined as test parameters: that is how pytest uses them.
# ruff: noqa: F811

import datetime
import re
from contextlib import nullcontext

import pytest
from django.urls import reverse

from awards.documents import decision as decision_document
from awards.documents import proposal as proposal_document
from awards.models import AwardDocument, AwardRound, AwardRule
from awards.services import outcomes
from campaign.models import CitedDocument, Phase
from tests.awards.render_once import _each_document_rendered_once, award_renders_left_queued  # noqa: F401 — fixture
from tests.awards.test_outcomes_support import approved, pdf_text, private_files, read  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db
DATE = re.compile(r"ngày \d{2} tháng \d{1,2} năm \d{4}")
PLAN_LINE = (
    "Căn cứ Kế hoạch ngày 03 tháng 4 năm 2023 của Sở Khoa học và Công nghệ về tổ chức thực hiện Phong trào thi đua "
    "“Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí”;"
)


@pytest.fixture(autouse=True)
def _award_rules_off(plan):
    """These tests are about the documents; the award rules checked again when a document is drafted have their own
    tests (tests/awards/test_rules_override.py), so the nominees here need no record."""
    AwardRule.objects.update(is_active=False)


@pytest.fixture
def create(reviewer, private_files, django_capture_on_commit_callbacks):
    """The office drafts the round's decisions or proposals, rendered (eager Celery); `rendered=False` leaves the
    render job queued, for a test that reads only what the draft froze (its content, the Document built from it)."""

    def drafted(kind, award_round, *, rendered=True):
        service = outcomes.decisions_create if kind == "decision" else outcomes.proposal_create
        left_queued = nullcontext() if rendered else award_renders_left_queued()
        with left_queued, django_capture_on_commit_callbacks(execute=True):
            created = service(award_round=award_round, actor=reviewer)
        for document in created:
            document.refresh_from_db()
        return created

    return drafted


@pytest.fixture
def drafts(annual_round, forms, own_unit, other_unit, person, other_person, leader, create):
    """Lao động tiên tiến and Chiến sĩ thi đua cơ sở (annual titles), a Giấy khen (the campaign's): two decisions."""
    approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader)
    approved(annual_round, forms["chien-si-thi-dua-co-so"], unit=other_unit, person=other_person, leader=leader)
    approved(annual_round, forms["giay-khen-giam-doc-so"], unit=other_unit, leader=leader)
    return create("decision", annual_round)


def text_of(document):
    """Every line the built document prints but its header: bases, paragraphs, annex titles and tables."""
    built = {"decision": decision_document.build, "proposal": proposal_document.build}[document.kind](document)
    lines = [*built.basis, built.addressee]
    for section in built.sections:
        lines += [section.heading, *section.paragraphs]
    for annex in built.annexes:
        lines += [annex.title, annex.reference]
        for table in annex.tables:
            lines += [table.title, *(str(cell) for row in table.rows for cell in row)]
    return lines


def lists_of(paragraphs):
    """Runs of consecutive "- " paragraphs."""
    runs, current = [], []
    for paragraph in paragraphs:
        if paragraph.startswith("- "):
            current.append(paragraph)
        elif current:
            runs.append(current)
            current = []
    return [*runs, current] if current else runs


# --- the legal bases ---------------------------------------------------------------------------------------------


def test_every_basis_printed_carries_its_date_and_an_undated_one_is_left_out(drafts):
    titles, campaign = drafts
    for document in drafts:
        printed = document.content["basis"][:-1]
        assert printed, "the bases are printed"
        assert all(DATE.search(line) for line in printed), printed
        text = pdf_text(read(document.pdf))
        for line in printed:
            assert line in text
        assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
        assert (
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết thi hành "
            "một số điều của Luật Thi đua, khen thưởng;" in text
        )
        # The functions decision and the province's rules have no date yet: not printed.
        assert "quy định chức năng, nhiệm vụ" not in text
        assert "Quy định về công tác thi đua" not in text
        assert "số ngày" not in text  # a blank number is never printed as an empty "số"
        assert "Xét đề nghị của Hội đồng Thi đua - Khen thưởng Sở và Trưởng Phòng Hành chính - Tổng hợp." in text
    assert PLAN_LINE in pdf_text(read(campaign.pdf))
    assert "Căn cứ Kế hoạch" not in pdf_text(read(titles.pdf))


def test_a_basis_the_office_completes_is_printed_with_its_date(annual_round, forms, own_unit, person, leader, create):
    CitedDocument.objects.filter(role=CitedDocument.Role.FUNCTIONS).update(
        number="25/2025/QĐ-UBND", issued_on=datetime.date(2025, 7, 1), confirmed=True
    )
    approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader)
    (document,) = create("decision", annual_round, rendered=False)
    assert (
        "Căn cứ Quyết định số 25/2025/QĐ-UBND ngày 01 tháng 7 năm 2025 của UBND tỉnh Quảng Ngãi quy định chức năng, "
        "nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi;"
    ) in document.content["basis"]
    assert not [warning for warning in document.content["basis_warnings"] if "chức năng" in warning]


def test_the_page_warns_of_every_incomplete_basis(client, drafts, reviewer):
    titles, campaign = drafts
    client.force_login(reviewer)
    page = client.get(reverse("awards:document_detail", args=[campaign.pk])).content.decode()
    warnings = page[page.index('data-testid="basis-warnings"') :]
    assert "Căn cứ chưa có ngày ban hành không được in trong quyết định." in warnings
    assert "chưa có ngày ban hành" in warnings  # the functions decision, the province's rules
    assert "quy định chức năng, nhiệm vụ, quyền hạn" in warnings
    assert "ban hành Quy định về công tác thi đua, khen thưởng" in warnings
    assert "chưa được đối chiếu với bản gốc" in warnings  # the decree's date
    assert "chưa có số, ký hiệu" in warnings  # the plan
    # The annual titles' decision does not cite the plan, so it is not warned about there.
    page = client.get(reverse("awards:document_detail", args=[titles.pk])).content.decode()
    assert "Kế hoạch ngày 03 tháng 4 năm 2023" not in page[page.index('data-testid="basis-warnings"') :]


def test_the_page_says_when_the_bases_changed_after_the_draft(client, drafts, reviewer):
    titles, _ = drafts
    CitedDocument.objects.filter(role=CitedDocument.Role.FUNCTIONS).update(
        number="25/2025/QĐ-UBND", issued_on=datetime.date(2025, 7, 1), confirmed=True
    )
    client.force_login(reviewer)
    page = client.get(reverse("awards:document_detail", args=[titles.pk])).content.decode()
    block = page[page.index('data-testid="basis-warnings"') :]
    frozen = block[block.index('data-testid="frozen-warnings"') :].split("</ul>")[0]
    current = block[block.index('data-testid="current-warnings"') :].split("</ul>")[0]
    assert "quy định chức năng" in frozen  # what the draft was built with
    assert "dự thảo này vẫn in theo thông tin lúc lập" in block
    assert "quy định chức năng" not in current  # what is missing today
    assert "ban hành Quy định về công tác thi đua" in current


# --- annual titles apart from the campaign -------------------------------------------------------------------


def test_the_annual_titles_decision_names_no_campaign(drafts, annual_round, plan):
    titles, _ = drafts
    assert titles.summary == f"Về việc công nhận danh hiệu thi đua năm {annual_round.year}"
    for line in text_of(titles):
        assert "Phong trào" not in line, line
        assert plan.name not in line, line
        assert "Kế hoạch ngày" not in line, line
    text = pdf_text(read(titles.pdf))
    assert "Phong trào" not in text
    assert f"Điều 1. Công nhận danh hiệu thi đua năm {annual_round.year} cho các tập thể, cá nhân" in text


def test_the_campaign_decision_names_the_campaign(drafts, annual_round, plan):
    _, campaign = drafts
    assert campaign.summary == (
        "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong Phong trào thi đua "
        f"“{plan.name}” năm {annual_round.year}"
    )
    assert f"Phong trào thi đua “{plan.name}” năm {annual_round.year}" in pdf_text(read(campaign.pdf))


def test_a_phase_rounds_decision_names_its_years(annual_round, plan):
    phase = Phase.objects.get(campaign=plan, number=1)
    review = AwardRound(campaign=plan, kind=AwardRound.Kind.PHASE_REVIEW, title="Sơ kết", year=2025, phase=phase)
    assert outcomes.decision_summary(review, outcomes.CAMPAIGN).endswith(f"“{plan.name}” giai đoạn 2022 - 2025")


def test_only_the_decisions_that_have_nominations_are_made(annual_round, forms, other_unit, leader, create):
    approved(annual_round, forms["giay-khen-giam-doc-so"], unit=other_unit, leader=leader)
    (document,) = create("decision", annual_round, rendered=False)
    assert document.content["group"] == outcomes.CAMPAIGN


# --- the bonus -------------------------------------------------------------------------------------------


def test_a_form_without_a_bonus_gets_no_bonus_article(drafts):
    titles, _ = drafts  # no amount in the plan's data
    paragraphs = text_of(titles)
    assert not [line for line in paragraphs if "Tiền thưởng" in line or "được thưởng" in line]
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày ký." in paragraphs
    assert titles.content["recipients"][0] == "- Như Điều 3;"


def test_a_form_with_a_bonus_gets_the_bonus_article(
    annual_round, forms, own_unit, other_unit, person, other_person, leader, create
):
    forms["chien-si-thi-dua-co-so"].bonus_individual = 2340000
    forms["chien-si-thi-dua-co-so"].save()
    forms["giay-khen-giam-doc-so"].bonus_individual = 500000  # none of its recipients here is an individual
    forms["giay-khen-giam-doc-so"].bonus_collective = 1250000
    forms["giay-khen-giam-doc-so"].save()
    approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader)
    approved(annual_round, forms["chien-si-thi-dua-co-so"], unit=other_unit, person=other_person, leader=leader)
    approved(annual_round, forms["giay-khen-giam-doc-so"], unit=other_unit, leader=leader)
    titles, campaign = create("decision", annual_round)
    text = pdf_text(read(titles.pdf))
    assert (
        "Điều 2. Tiền thưởng: mỗi cá nhân được tặng danh hiệu “Chiến sĩ thi đua cơ sở” được thưởng 2.340.000 đồng. "
        "Kinh phí khen thưởng trích từ Quỹ thi đua, khen thưởng của Sở." in text
    )
    assert "Lao động tiên tiến” được thưởng" not in text  # no amount set for it
    assert "Điều 3. Quyết định này có hiệu lực kể từ ngày ký." in text
    assert "Điều 4. Trưởng Phòng Hành chính - Tổng hợp" in text
    assert "- Như Điều 4;" in text
    paragraphs = text_of(campaign)
    assert (
        "Điều 2. Tiền thưởng: mỗi tập thể được tặng Giấy khen của Giám đốc Sở Khoa học và Công nghệ được thưởng "
        "1.250.000 đồng. Kinh phí khen thưởng trích từ Quỹ thi đua, khen thưởng của Sở." in paragraphs
    )
    assert not [line for line in paragraphs if "500.000" in line]


def test_the_bonus_is_frozen_with_the_draft(drafts, forms):
    titles, _ = drafts
    forms["chien-si-thi-dua-co-so"].bonus_individual = 2340000
    forms["chien-si-thi-dua-co-so"].save()
    titles.refresh_from_db()
    assert not [line for line in text_of(titles) if "Tiền thưởng" in line]


# --- proposals -------------------------------------------------------------------------------------------


def test_the_chairmans_award_is_proposed_to_the_chairman_without_hedging(
    annual_round, forms, own_unit, leader, plan, create
):
    approved(annual_round, forms["bang-khen-chu-tich-ubnd-tinh"], unit=own_unit, leader=leader)
    (document,) = create("proposal", annual_round)
    assert document.recipient == "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"
    text = pdf_text(read(document.pdf))
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)" in text
    assert "(hoặc trình cấp có thẩm quyền" not in text
    assert "hoặc trình" not in text
    assert PLAN_LINE.replace("Căn cứ", "Thực hiện", 1) in text
    assert (
        "Sở Khoa học và Công nghệ kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi xem xét, tặng Bằng khen của "
        f"Chủ tịch UBND tỉnh cho 01 tập thể đã có thành tích xuất sắc trong Phong trào thi đua “{plan.name}” năm "
        f"{annual_round.year}." in text
    )
    assert "kính trình Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi xem xét, quyết định./." in text


def test_an_award_conferred_further_up_says_plainly_who_submits_it(
    annual_round, forms, own_unit, other_unit, leader, create
):
    approved(annual_round, forms["huan-chuong-lao-dong-hang-ba"], unit=own_unit, leader=leader)
    approved(annual_round, forms["bang-khen-thu-tuong-chinh-phu"], unit=other_unit, leader=leader)
    (document,) = create("proposal", annual_round, rendered=False)
    assert document.recipient == "Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"
    paragraphs = text_of(document)
    assert (
        "- Trình Thủ tướng Chính phủ đề nghị Chủ tịch nước tặng Huân chương Lao động hạng Ba cho 01 tập thể;"
        in paragraphs
    )
    assert "- Trình Thủ tướng Chính phủ tặng Bằng khen của Thủ tướng Chính phủ cho 01 tập thể." in paragraphs
    assert not [line for line in paragraphs if "hoặc" in line]


def test_every_list_ends_with_a_full_stop(drafts, annual_round, forms, own_unit, other_unit, leader, create):
    approved(annual_round, forms["tap-the-lao-dong-xuat-sac"], unit=own_unit, leader=leader)
    approved(annual_round, forms["co-thi-dua-ubnd-tinh"], unit=other_unit, leader=leader)
    approved(annual_round, forms["huan-chuong-lao-dong-hang-ba"], unit=own_unit, leader=leader)
    approved(annual_round, forms["bang-khen-thu-tuong-chinh-phu"], unit=other_unit, leader=leader)
    proposals = create("proposal", annual_round, rendered=False)
    documents = [*drafts, *proposals]
    runs = [run for document in documents for run in lists_of(text_of(document))]
    assert len(runs) >= 3  # the titles' decision and both proposals list several forms
    for run in runs:
        assert all(item.endswith(";") for item in run[:-1]), run
        assert run[-1].endswith("."), run
    for document in documents:
        recipients = document.content["recipients"]
        assert recipients[-1].endswith(".")
        assert all(line.endswith(";") for line in recipients[:-1])


# --- content frozen before -------------------------------------------------------------------------------


def _frozen_before(document):
    """The document's content as it was frozen before the groups, the bases and the addressee were kept."""
    content = {**document.content, "campaign": {**document.content["campaign"]}}
    for key in ("group", "bases", "basis_warnings", "asked"):
        content.pop(key, None)
    content["campaign"].pop("plan")
    content["campaign"].update(plan_reference="12/KH-SKHCN", plan_date="03/4/2023")
    for form in content["forms"]:
        for key in ("route", "bonus_individual", "bonus_collective"):
            form.pop(key)
    return AwardDocument(kind=document.kind, round=document.round, summary=document.summary, content=content)


def test_a_proposal_frozen_before_still_cites_its_plan(annual_round, forms, own_unit, leader, create, plan):
    approved(annual_round, forms["bang-khen-chu-tich-ubnd-tinh"], unit=own_unit, leader=leader)
    (document,) = create("proposal", annual_round, rendered=False)
    lines = text_of(_frozen_before(document))
    assert (
        "Thực hiện Kế hoạch số 12/KH-SKHCN ngày 03/4/2023 của Sở Khoa học và Công nghệ về tổ chức thực hiện "
        f"Phong trào thi đua “{plan.name}”;" in lines
    )
    assert not [line for line in lines if "hoặc trình" in line]


def test_a_decision_frozen_before_keeps_its_wording(drafts):
    lines = text_of(_frozen_before(drafts[1]))
    assert "Điều 1. Tặng Giấy khen của Giám đốc Sở Khoa học và Công nghệ cho 01 tập thể (có danh sách kèm theo)" in (
        " ".join(lines)
    )
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày ký." in lines
