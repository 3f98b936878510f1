"""Leadership's decision on the council's recommendations, and the outcome documents that follow.

recommended → approved | rejected (leadership); approved → conferred by the Department's decision
when it is issued, or approved → forwarded when the proposal upward is sent, then → conferred or
refused_above when the higher authority answers. Each function runs in one transaction with the rows
locked, refuses a move from the wrong state with a Vietnamese message (changing nothing), writes a
NominationTransition / AwardDocumentTransition and notifies through notifications.services.notify.
"""

import re
from collections import OrderedDict

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from campaign.citations import cited, decision_bases, frozen, warning
from campaign.models import CitedDocument
from documents.register import (
    dates_confirmed,
    local_issue_date,
    order_conflict,
    refuse_future,
    register_next_number,
    register_record_number,
)
from notifications.services import notify
from units.selectors import office_code, office_reviewers, unit_managers

from .. import permissions
from ..documents.decision import CAMPAIGN, TITLES, executing_article
from ..errors import AwardError, InvalidTransition, NotAllowed
from ..models import AgendaItem, AwardDocument, AwardRecord, CouncilMeeting, DossierFile, Nomination
from . import documents, overrides

Status = Nomination.Status
DocStatus = AwardDocument.Status
Kind = AwardDocument.Kind
NOMINATION = Nomination.WORKFLOW
DOCUMENT = AwardDocument.WORKFLOW

# Nghị định 152/2025/NĐ-CP, Điều 4, keeps the regular annual emulation titles apart from a thematic campaign:
# a decision or proposal holds the one or the other (TITLES, CAMPAIGN), and only the campaign's cite its plan.
GROUP_ORDER = (TITLES, CAMPAIGN)
# "Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)": the body, then the channel a proposal goes through.
CHANNEL = re.compile(r"\s*(\(qua [^)]*\))\s*$", re.IGNORECASE)
RESULT_CONFERRED = "conferred"
RESULT_REFUSED = "refused"


def _url(name, *args):
    """A link for a notification; empty when the page does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _names_snapshot(nomination):
    return {
        "nominee_name": nomination.nominee_name,
        "nominee_position": nomination.nominee_position,
        "nominee_unit_name": nomination.nominee_unit_name,
        "form": str(nomination.form),
    }


def _move(nomination, action, *, actor, comment=""):
    """Move a locked nomination, recording the names it carries."""
    NOMINATION.apply(nomination, action, actor=actor, comment=comment, snapshot=_names_snapshot(nomination))


def _by_unit(nominations):
    grouped = OrderedDict()
    for nomination in nominations:
        grouped.setdefault(nomination.unit_id, []).append(nomination)
    return grouped


def _names(nominations, limit=5):
    names = [f"{nomination.nominee_name} ({nomination.form})" for nomination in nominations[:limit]]
    if len(nominations) > limit:
        names.append(f"và {len(nominations) - limit} đề nghị khác")
    return "; ".join(names)


# --- leadership approves or rejects --------------------------------------------------------------------


def nominations_decide(*, ids, actor, approve, reason=""):
    """Approve, or reject with a reason, the recommended nominations `ids`: all of them or none."""
    if not permissions.can_decide(actor):
        raise NotAllowed("Chỉ lãnh đạo Sở được đồng ý hoặc không đồng ý đề nghị khen thưởng.")
    ids = {int(pk) for pk in ids}
    if not ids:
        raise AwardError("Vui lòng chọn ít nhất một đề nghị khen thưởng.")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise AwardError("Vui lòng ghi lý do không đồng ý.")
    with transaction.atomic():
        locked = list(
            Nomination.objects.select_for_update(of=("self",))
            .select_related("form", "round")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        action = "approve" if approve else "reject"
        if len(locked) != len(ids):
            raise InvalidTransition(NOMINATION.moves[action].refusal)
        for nomination in locked:
            NOMINATION.check(nomination, action)  # all of them, before any moves
        now = timezone.now()
        for nomination in locked:
            nomination.decided_by = actor
            nomination.decided_at = now
            nomination.rejection_reason = "" if approve else reason
            _move(nomination, action, actor=actor, comment=reason)
        verb = "đồng ý khen thưởng" if approve else "không đồng ý khen thưởng"
        told = set()
        for unit_id, ones in _by_unit(locked).items():
            message = f"Lãnh đạo Sở {verb}: {_names(ones)}."
            if not approve:
                message += f" Lý do: {reason}"
            sent = notify(unit_managers(unit_id), message, _url("awards:nomination_detail", ones[0].pk), actor=actor)
            told |= {notification.recipient_id for notification in sent}
        # The head of the office nominates for its own unit too: told once, as the unit's head.
        notify(
            office_reviewers().exclude(pk__in=told),
            f"Lãnh đạo Sở {verb} {len(locked)} đề nghị của {locked[0].round}.",
            _url("awards:document_list"),
            actor=actor,
        )
    return locked


def nomination_approve(*, nomination, actor):
    return nominations_decide(ids=[nomination.pk], actor=actor, approve=True)[0]


def nomination_reject(*, nomination, actor, reason):
    return nominations_decide(ids=[nomination.pk], actor=actor, approve=False, reason=reason)[0]


# --- the content snapshots --------------------------------------------------------------------------------


def _campaign_content(award_round):
    campaign = award_round.campaign
    department = campaign.issuing_unit.name if campaign.issuing_unit_id else campaign.issuing_body.capitalize()
    return {
        "name": campaign.name,
        "governing_body": campaign.governing_body,
        "issuing_body": campaign.issuing_body,
        "issuer_code": campaign.issuing_body_abbreviation,
        "department": department,
        "place": campaign.place_name,
        "plan": frozen(cited(campaign, CitedDocument.Role.PLAN)),
        "coordinating_unit": campaign.coordinating_unit_name,
        "office_code": office_code(),
    }


def _round_content(award_round):
    if award_round.phase_id:
        period = f"giai đoạn {award_round.phase.start_year} - {award_round.phase.end_year}"
    else:
        period = f"năm {award_round.year}"
    return {"id": award_round.pk, "title": award_round.title, "year": award_round.year, "period": period}


def group_of(form):
    """TITLES for a regular annual emulation title, CAMPAIGN for an award of the thematic campaign."""
    return TITLES if form.is_annual_title else CAMPAIGN


def _by_group(nominations):
    """[(group, nominations), …] in GROUP_ORDER, only the groups that have nominations."""
    groups = {group: [] for group in GROUP_ORDER}
    for nomination in nominations:
        groups[group_of(nomination.form)].append(nomination)
    return [(group, ones) for group, ones in groups.items() if ones]


def _cited_bases(campaign, *, with_plan):
    """The documents a decision rests on, in order: the legal bases marked as such, then (campaign awards) the plan."""
    bases = list(decision_bases(campaign))
    if with_plan:
        plan = cited(campaign, CitedDocument.Role.PLAN)
        if plan is not None and plan not in bases:
            bases.append(plan)
    return bases


def _votes(nominations):
    """{nomination id: the council's passing agenda item}, one query."""
    items = (
        AgendaItem.objects.filter(nomination__in=nominations, outcome=AgendaItem.Outcome.PASSED)
        .select_related("meeting")
        .order_by("meeting__scheduled_at", "pk")
    )
    return {item.nomination_id: item for item in items}


def _amount(value):
    """A bonus as the content keeps it: whole đồng as a string, or None for no bonus."""
    return None if value is None or value <= 0 else str(int(value))


def _forms_content(nominations, votes=None):
    """The nominees grouped per form (collectives, then individuals), as the annex lists them."""
    forms = OrderedDict()
    for nomination in sorted(nominations, key=lambda n: (n.form.sort_order, n.form.pk, n.unit.sort_order, n.pk)):
        form = nomination.form
        entry = forms.setdefault(
            form.pk,
            {
                "id": form.pk,
                "code": form.code,
                "name": str(form),
                "is_title": form.is_annual_title,
                "authority": form.conferring_authority,
                "route": form.proposal_route,
                "bonus_individual": _amount(form.bonus_individual),
                "bonus_collective": _amount(form.bonus_collective),
                "collectives": [],
                "individuals": [],
            },
        )
        row = {
            "nomination": nomination.pk,
            "name": nomination.nominee_name,
            "position": nomination.nominee_position,
            "unit": nomination.nominee_unit_name,
        }
        if votes is not None:
            item = votes.get(nomination.pk)
            row["votes"] = f"{item.agree}/{item.meeting.member_count}" if item and item.agree is not None else ""
        key = "collectives" if nomination.nominee_kind == Nomination.NomineeKind.COLLECTIVE else "individuals"
        entry[key].append(row)
    return list(forms.values())


def decision_content(award_round, nominations, group=CAMPAIGN):
    """The decision as frozen: its "Căn cứ" lines are the legal bases and, for the campaign's awards, the plan, each
    cited in full with its date. A basis without a date is not printed; it and every other gap (no number, a date
    not checked against the original) are kept in `basis_warnings` for the office."""
    campaign = _campaign_content(award_round)
    bases = [frozen(document) for document in _cited_bases(award_round.campaign, with_plan=group == CAMPAIGN)]
    forms = _forms_content(nominations)
    return {
        "group": group,
        "campaign": campaign,
        "round": _round_content(award_round),
        "bases": bases,
        "basis": [f"Căn cứ {basis['citation']};" for basis in bases if basis["dated"]]
        + [f"Xét đề nghị của Hội đồng Thi đua - Khen thưởng Sở và Trưởng {campaign['coordinating_unit']}."],
        "basis_warnings": [basis["warning"] for basis in bases if basis["warning"]],
        "forms": forms,
        "nominations": [nomination.pk for nomination in nominations],
        "recipients": [
            f"- Như Điều {executing_article(forms)};",
            "- Lãnh đạo Sở;",
            f"- Lưu: VT, {campaign['office_code']}.",
        ],
    }


def proposal_addressee(form):
    """Whom a proposal for `form` is addressed to ("Kính gửi").

    The form's recipient, except where the conferring authority heads that body — "Chủ tịch Ủy ban nhân dân tỉnh
    Quảng Ngãi" confers what goes to "Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)": the proposal is then
    addressed to the authority, through the same channel.
    """
    recipient = form.proposal_recipient.strip()
    match = CHANNEL.search(recipient)
    body = recipient[: match.start()].strip() if match else recipient
    channel = match.group(1) if match else ""
    authority = form.conferring_authority.strip()
    heads_the_body = body and authority.lower() != body.lower() and authority.lower().endswith(body.lower())
    if heads_the_body and not form.proposal_route:
        return f"{authority} {channel}".strip()
    return recipient


def without_channel(addressee):
    """ "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi" of "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"."""
    return CHANNEL.sub("", addressee).strip()


def proposal_content(award_round, recipient, nominations, group=CAMPAIGN):
    """The proposal as frozen, addressed to `recipient`; only a proposal of the campaign's awards cites the plan."""
    campaign = _campaign_content(award_round)
    votes = _votes(nominations)
    meetings = OrderedDict()
    for item in votes.values():
        meeting = item.meeting
        if meeting.pk in meetings:
            continue
        present = meeting.members.filter(attended=True).count()
        meetings[meeting.pk] = {
            "title": meeting.title,
            "date": timezone.localtime(meeting.scheduled_at).strftime("%d/%m/%Y"),
            "member_count": meeting.member_count,
            "present": present,
        }
    files = OrderedDict((nomination.pk, []) for nomination in nominations)
    for dossier in DossierFile.objects.filter(nomination__in=nominations).order_by("nomination_id", "part", "pk"):
        files[dossier.nomination_id].append({"id": dossier.pk, "name": dossier.original_name, "part": dossier.part})
    forms = _forms_content(nominations, votes)
    by_id = {nomination.pk: nomination for nomination in nominations}
    ordered = [row["nomination"] for form in forms for row in form["collectives"] + form["individuals"]]
    plan = campaign["plan"] if group == CAMPAIGN else None
    return {
        "group": group,
        "campaign": campaign,
        "round": _round_content(award_round),
        "recipient": recipient,
        "asked": without_channel(recipient),
        "basis_warnings": [plan["warning"]] if plan and plan["warning"] else [],
        "meetings": list(meetings.values()),
        "forms": forms,
        "nominations": ordered,
        "dossiers": [
            {
                "nomination": pk,
                "name": f"{by_id[pk].nominee_name} - {by_id[pk].form}",
                "files": files[pk],
            }
            for pk in ordered
        ],
        "recipients": ["- Như trên;", "- Lãnh đạo Sở;", f"- Lưu: VT, {campaign['office_code']}."],
    }


def _campaign_phrase(award_round):
    return f"Phong trào thi đua “{award_round.campaign.name}” {_round_content(award_round)['period']}"


def decision_summary(award_round, group=CAMPAIGN):
    if group == TITLES:
        return f"Về việc công nhận danh hiệu thi đua năm {award_round.year}"
    return f"Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong {_campaign_phrase(award_round)}"


def proposal_summary(award_round, group=CAMPAIGN):
    if group == TITLES:
        return f"Về việc đề nghị tặng danh hiệu thi đua năm {award_round.year}"
    return f"Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc trong {_campaign_phrase(award_round)}"


def basis_warnings_now(document):
    """The gaps, as they stand today, of the documents this draft cites (its legal bases and the plan)."""
    campaign = document.round.campaign
    campaign_awards = document.content.get("group", CAMPAIGN) == CAMPAIGN
    if document.kind == Kind.DECISION:
        bases = _cited_bases(campaign, with_plan=campaign_awards)
    elif document.kind == Kind.PROPOSAL and campaign_awards:
        bases = [plan for plan in [cited(campaign, CitedDocument.Role.PLAN)] if plan is not None]
    else:
        bases = []
    return [text for text in map(warning, bases) if text]


# --- creating the documents -------------------------------------------------------------------------------


def _approved(award_round, **conditions):
    return list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("form", "unit")
        .filter(round=award_round, status=Status.APPROVED, **conditions)
        .order_by("pk")
    )


def decisions_create(*, award_round, actor):
    """Draft decisions for the round's approved nominations of forms the Department confers, not yet in one.

    One for the annual emulation titles and one for the campaign's awards (Nghị định 152/2025/NĐ-CP, Điều 4),
    each only if it has nominations; returns them in that order.
    """
    if not permissions.can_manage_rounds(actor):
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp được lập dự thảo quyết định khen thưởng.")
    with transaction.atomic():
        nominations = _approved(award_round, form__conferred_by_department=True, decision__isnull=True)
        if not nominations:
            raise AwardError(
                "Đợt xét này không còn đề nghị nào đã được lãnh đạo đồng ý (thuộc thẩm quyền Giám đốc Sở) "
                "mà chưa có quyết định khen thưởng."
            )
        # The rules again, on the record as it stands now (corrected since the council, perhaps).
        overrides.refuse_failing(nominations)
        created = []
        for group, ones in _by_group(nominations):
            document = documents.request_document(
                kind=Kind.DECISION,
                award_round=award_round,
                actor=actor,
                content=decision_content(award_round, ones, group),
                summary=decision_summary(award_round, group),
            )
            Nomination.objects.filter(pk__in=[nomination.pk for nomination in ones]).update(decision=document)
            created.append(document)
    return created


def proposal_create(*, award_round, actor):
    """Draft proposals (Tờ trình) for the round's approved nominations of forms conferred above: one per addressee,
    the annual titles apart from the campaign's awards."""
    if not permissions.can_manage_rounds(actor):
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp được lập dự thảo tờ trình đề nghị khen thưởng.")
    with transaction.atomic():
        nominations = _approved(award_round, form__conferred_by_department=False, proposal__isnull=True)
        if not nominations:
            raise AwardError(
                "Đợt xét này không còn đề nghị nào đã được lãnh đạo đồng ý (thuộc thẩm quyền cấp trên) "
                "mà chưa có tờ trình."
            )
        overrides.refuse_failing(nominations)
        groups = OrderedDict()
        for nomination in sorted(
            nominations,
            key=lambda n: (proposal_addressee(n.form), GROUP_ORDER.index(group_of(n.form)), n.pk),
        ):
            groups.setdefault((proposal_addressee(nomination.form), group_of(nomination.form)), []).append(nomination)
        created = []
        for (recipient, group), ones in groups.items():
            document = documents.request_document(
                kind=Kind.PROPOSAL,
                award_round=award_round,
                actor=actor,
                content=proposal_content(award_round, recipient, ones, group),
                summary=proposal_summary(award_round, group),
                recipient=recipient,
            )
            Nomination.objects.filter(pk__in=[nomination.pk for nomination in ones]).update(proposal=document)
            created.append(document)
    return created


# --- issue, send, the higher authority's answer -----------------------------------------------------------


def _locked_document(document):
    return DOCUMENT.lock(document, "round__campaign")


def _office(actor, message):
    if not permissions.can_manage_rounds(actor):
        raise NotAllowed(message)


def is_deputy(user):
    """A Deputy Director signs "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"."""
    return "phó" in (user.position_title or "").lower() or user.position == user.Position.DEPUTY


def number_text(entry):
    return f"{entry.number:02d}/{entry.type_code}-{entry.issuer_code}"


def _record(nomination, *, source, number, issued_on, authority=""):
    AwardRecord.objects.create(
        year=nomination.round.year,
        form=nomination.form,
        form_name=str(nomination.form),
        recipient_kind=nomination.nominee_kind,
        recipient_name=nomination.nominee_name,
        position=nomination.nominee_position,
        unit_name=nomination.nominee_unit_name,
        unit=nomination.nominee_unit or nomination.unit,
        person=nomination.person,
        decision_number=number,
        decision_date=issued_on,
        conferring_authority=authority or nomination.form.conferring_authority,
        source=source,
        nomination=nomination,
    )


def _nominations_of(document, status):
    related = "decided_nominations" if document.kind == Kind.DECISION else "proposed_nominations"
    return list(
        getattr(document, related)
        .select_for_update(of=("self",))
        .select_related("form", "round", "unit", "nominee_unit", "person")
        .filter(status=status)
        .order_by("pk")
    )


def meeting_day(document):
    """The local date of the latest council meeting `document` rests on — the meetings that considered its
    nominations, or the meeting it is the minutes of — or None."""
    if document.kind == Kind.MINUTES:
        meetings = CouncilMeeting.objects.filter(minutes=document)
    else:
        meetings = CouncilMeeting.objects.filter(
            agenda__nomination__in=Nomination.objects.filter(Q(decision=document) | Q(proposal=document))
        )
    latest = meetings.aggregate(latest=Max(Coalesce("started_at", "scheduled_at")))["latest"]
    return timezone.localdate(latest) if latest else None


def document_issue(*, document, actor, issued_on, signer, number=None, signed_pdf=None, confirmation=""):
    """Give the draft its number and date — the clerk's (with the signed PDF) or the portal's — and re-render it.

    Issuing a decision confers its nominations and writes them into the award register. The date is never after
    today nor before the council meeting the document rests on; a number dated out of the register's order is
    refused unless the office confirms it (`confirmation`, the reason, kept in the history).
    """
    _office(actor, "Chỉ Phòng Hành chính - Tổng hợp được vào số văn bản khen thưởng.")
    if not permissions.can_decide(signer):
        raise AwardError("Người ký phải là lãnh đạo Sở (Giám đốc hoặc Phó Giám đốc).")
    issued_on = local_issue_date(issued_on)
    refuse_future(issued_on)
    with transaction.atomic():
        locked = _locked_document(document)
        DOCUMENT.check(locked, "issue")
        met_on = meeting_day(locked)
        if met_on is not None and issued_on < met_on:
            raise AwardError(
                f"Ngày ban hành ({issued_on:%d/%m/%Y}) không được trước ngày họp Hội đồng Thi đua - Khen thưởng "
                f"({met_on:%d/%m/%Y}) mà văn bản này căn cứ.",
                field="issued_on",
            )
        campaign = locked.round.campaign
        register = {
            "issuer_code": campaign.issuing_body_abbreviation,
            "type_code": locked.type_code,
            "issued_on": issued_on,
        }
        reason = dates_confirmed([order_conflict(number=number, **register)], confirmation)
        if number is not None:
            entry = register_record_number(
                number=number, summary=locked.summary, actor=actor, confirmation=reason, **register
            )
        else:
            entry = register_next_number(summary=locked.summary, actor=actor, confirmation=reason, **register)
        if signed_pdf is not None:
            locked.signed_pdf.save(signed_pdf.name, signed_pdf, save=False)
        locked.register_entry = entry
        locked.signer_name = signer.full_name
        locked.signer_is_deputy = is_deputy(signer)
        comment = f"{entry} — người ký: {locked.signer_name}"
        if reason:
            comment += f". Xác nhận ngày, số như văn bản đã ký: {reason}"
        DOCUMENT.apply(locked, "issue", actor=actor, comment=comment)
        if locked.kind == Kind.DECISION:
            _confer_decision(locked, entry, actor)
        documents.request_render(document=locked, actor=actor)
    return locked


def _confer_decision(document, entry, actor):
    nominations = _nominations_of(document, Status.APPROVED)
    number = number_text(entry)
    for nomination in nominations:
        _move(nomination, "confer", actor=actor, comment=f"Quyết định số {number}")
        _record(nomination, source=AwardRecord.Source.DEPARTMENT, number=number, issued_on=entry.issued_on)
    when = entry.issued_on.strftime("%d/%m/%Y")
    for unit_id, ones in _by_unit(nominations).items():
        notify(
            unit_managers(unit_id),
            f"Đã ban hành Quyết định số {number} ngày {when} khen thưởng: {_names(ones)}.",
            _url("awards:nomination_detail", ones[0].pk),
            actor=actor,
        )


def document_mark_sent(*, document, actor, sent_on, channel):
    """Record that the issued document went out; a proposal's nominations are then forwarded upward."""
    _office(actor, "Chỉ Phòng Hành chính - Tổng hợp được ghi nhận gửi văn bản.")
    channel = (channel or "").strip()
    if not channel:
        raise AwardError("Vui lòng ghi hình thức gửi (ví dụ: hệ thống quản lý văn bản, thư điện tử công vụ).")
    with transaction.atomic():
        locked = _locked_document(document)
        locked.sent_on = sent_on
        locked.sent_channel = channel
        DOCUMENT.apply(locked, "send", actor=actor, comment=f"{sent_on:%d/%m/%Y} — {channel}")
        if locked.kind == Kind.PROPOSAL:
            nominations = _nominations_of(locked, Status.APPROVED)
            for nomination in nominations:
                _move(nomination, "forward", actor=actor, comment=str(locked))
            for unit_id, ones in _by_unit(nominations).items():
                notify(
                    unit_managers(unit_id),
                    f"Sở đã trình {locked.recipient} đề nghị khen thưởng: {_names(ones)}.",
                    _url("awards:nomination_detail", ones[0].pk),
                    actor=actor,
                )
    return locked


def higher_result_record(*, document, actor, decision_number, decision_date, results):
    """The higher authority's answer to a sent proposal: its decision and, per nomination, conferred or refused."""
    _office(actor, "Chỉ Phòng Hành chính - Tổng hợp được ghi kết quả khen thưởng của cấp trên.")
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise AwardError("Vui lòng ghi số quyết định của cấp trên.")
    if decision_date is None:
        raise AwardError("Vui lòng ghi ngày quyết định của cấp trên.")
    with transaction.atomic():
        locked = _locked_document(document)
        if locked.kind != Kind.PROPOSAL:
            raise InvalidTransition(DOCUMENT.moves["answer"].refusal)
        DOCUMENT.check(locked, "answer")
        nominations = _nominations_of(locked, Status.FORWARDED)
        answers = {int(pk): value for pk, value in results.items()}
        if set(answers) != {nomination.pk for nomination in nominations} or not set(answers.values()) <= {
            RESULT_CONFERRED,
            RESULT_REFUSED,
        }:
            raise AwardError("Vui lòng chọn kết quả (được khen thưởng hoặc không) cho từng đề nghị trong tờ trình.")
        for nomination in nominations:
            nomination.higher_decision_number = decision_number
            nomination.higher_decision_date = decision_date
            nomination.higher_result_recorded_by = actor
            if answers[nomination.pk] == RESULT_CONFERRED:
                _move(nomination, "confer_above", actor=actor, comment=decision_number)
                _record(nomination, source=AwardRecord.Source.HIGHER, number=decision_number, issued_on=decision_date)
            else:
                _move(nomination, "refuse_above", actor=actor, comment=decision_number)
        conferred = sum(1 for value in answers.values() if value == RESULT_CONFERRED)
        DOCUMENT.apply(
            locked,
            "answer",
            actor=actor,
            comment=f"Quyết định số {decision_number} ngày {decision_date:%d/%m/%Y}: "
            f"{conferred} được khen thưởng, {len(answers) - conferred} không được khen thưởng.",
        )
        told = set()
        for unit_id, ones in _by_unit(nominations).items():
            lines = [
                f"{nomination.nominee_name} ({nomination.form}): "
                + ("được khen thưởng" if answers[nomination.pk] == RESULT_CONFERRED else "không được khen thưởng")
                for nomination in ones
            ]
            sent = notify(
                unit_managers(unit_id),
                f"Kết quả của cấp trên (Quyết định số {decision_number} ngày {decision_date:%d/%m/%Y}): "
                + "; ".join(lines)
                + ".",
                _url("awards:nomination_detail", ones[0].pk),
                actor=actor,
            )
            told |= {notification.recipient_id for notification in sent}
        notify(
            office_reviewers().exclude(pk__in=told),
            f"Đã ghi kết quả của cấp trên cho {locked}.",
            _url("awards:document_detail", locked.pk),
            actor=actor,
        )
    return locked


def document_retry(*, document, actor):
    """Render a failed document again."""
    _office(actor, "Chỉ Phòng Hành chính - Tổng hợp được tạo lại văn bản.")
    with transaction.atomic():
        locked = _locked_document(document)
        if locked.render_status != AwardDocument.RenderStatus.FAILED:
            raise InvalidTransition("Chỉ tạo lại được văn bản bị lỗi khi tạo.")
        return documents.request_render(document=locked, actor=actor, action="retry")
