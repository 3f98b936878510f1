"""The consolidated report's outline per kind of period: what the office reads and saves on its outline page.

Saving changes what the next compile writes; reports already compiled keep their sections.
There is no history model for outlines: each save is logged with who made it.
"""

import logging

from django.db import transaction

from campaign.models import ReportingPeriod

from ..models import ConsolidatedOutline
from .compile import DEFAULT_OUTLINE, DEFAULT_RECIPIENTS, PHASE_OUTLINE

logger = logging.getLogger("portal.security")


def default_outline(period_kind):
    """The built-in outline of a kind of period, as reports.services.compile.outline_for falls back to."""
    sections = PHASE_OUTLINE if period_kind == ReportingPeriod.Kind.PHASE_REVIEW else DEFAULT_OUTLINE
    return [dict(item) for item in sections], list(DEFAULT_RECIPIENTS)


def outlines_by_kind():
    """Every kind of period with the outline its next compile uses, the office's own (`custom`) or the default."""
    custom = {outline.period_kind: outline for outline in ConsolidatedOutline.objects.all()}
    rows = []
    for kind, label in ReportingPeriod.Kind.choices:
        sections, recipients = default_outline(kind)
        saved = custom.get(kind)
        if saved is not None:
            sections, recipients = saved.sections, saved.recipients or recipients
        rows.append(
            {
                "kind": kind,
                # "báo cáo 6 tháng", "báo cáo năm", "báo cáo sơ kết, tổng kết giai đoạn"
                "title": f"báo cáo {label.lower()}",
                "sections": sections,
                "recipients": recipients,
                "custom": saved is not None,
            }
        )
    return rows


def outline_of(period_kind):
    """The outline the next compile of this kind of period uses, and whether the office has saved one."""
    return next(row for row in outlines_by_kind() if row["kind"] == period_kind)


def outline_save(*, period_kind, sections, recipients, actor):
    """Write the outline of a kind of period (creating its row the first time) and log who changed it.

    Raises django.core.exceptions.ValidationError, saving nothing, if the outline is not valid.
    """
    candidate = ConsolidatedOutline(period_kind=period_kind, sections=sections, recipients=recipients)
    candidate.full_clean(validate_unique=False)
    with transaction.atomic():
        outline, created = ConsolidatedOutline.objects.select_for_update().update_or_create(
            period_kind=period_kind, defaults={"sections": sections, "recipients": recipients}
        )
    logger.info(
        "consolidated outline %s %s by %s (user %s): %d sections [%s], %d recipients",
        period_kind,
        "created" if created else "changed",
        actor.get_username(),
        actor.pk,
        len(sections),
        ", ".join(item["key"] for item in sections),
        len(recipients),
    )
    return outline


def outline_reset(*, period_kind, actor):
    """ "Khôi phục đề cương mặc định": the built-in outline saved into the row (nothing is ever deleted)."""
    sections, recipients = default_outline(period_kind)
    return outline_save(period_kind=period_kind, sections=sections, recipients=recipients, actor=actor)
