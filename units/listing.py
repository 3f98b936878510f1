"""The office's lists of units (the reports' status matrix, the year's registrations and assessments), filtered and
sorted on the server over plain rows: dicts with the unit's "name" (and "code"), its "order", a "status",
"submitted_at" and "is_late". Each list keeps its own statuses; the rules of filtering and sorting are these."""


def filter_unit_rows(rows, *, status=None, late_only=False, search=""):
    """The rows of one status, only the late ones, and/or whose unit name or code holds `search` (case-insensitive)."""
    needle = search.strip().casefold()
    return [
        row
        for row in rows
        if (not status or row["status"] == status)
        and (not late_only or row["is_late"])
        and (not needle or needle in row["name"].casefold() or needle in row.get("code", "").casefold())
    ]


def sort_unit_rows(rows, sort, action_rank):
    """The rows in the order `sort` names: "action" (by `action_rank` of their status: what needs the office first),
    "submitted" (the latest sent first, those not sent after); otherwise, and between equals, the units' order."""
    if sort == "action":
        return sorted(rows, key=lambda row: (action_rank[row["status"]], row["order"]))
    if sort == "submitted":
        sent = sorted((row for row in rows if row["submitted_at"]), key=lambda row: row["submitted_at"], reverse=True)
        return sent + [row for row in rows if not row["submitted_at"]]
    return rows
