"""The render job of award documents: decisions (QĐ), proposals (TTr) and council minutes (BB).

Same reliability rules as the consolidated report (reports/services/consolidation.py): the
AwardDocument row is written first (render_status queued) and the Celery task is enqueued on
commit; a worker claims the row with a lease (attempt token, expiry, heartbeat) by a conditional
UPDATE; only the holder of the current token may finish it; a periodic sweep re-enqueues queued
rows and rows whose lease expired; attempts are bounded.

Interface used by the other areas (implemented by the outcomes area):

    request_document(*, kind, award_round, actor, content, summary, recipient="", meeting=None)
        -> AwardDocument   # writes the row (queued) and enqueues rendering after commit

    BUILDERS: kind -> dotted path of a function `build(document) -> reports.documents.model.Document`
        built only from `document.content` (a JSON snapshot) and the document's own fields.
"""

BUILDERS = {
    "decision": "awards.documents.decision.build",
    "proposal": "awards.documents.proposal.build",
    "minutes": "awards.documents.minutes.build",
}
