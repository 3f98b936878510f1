"""How the portal's documents cite the plan and the legal bases: in full, from CitedDocument rows.

"Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết thi hành một số điều
của Luật Thi đua, khen thưởng"; a law by its name and date ("Luật Thi đua, khen thưởng ngày 15 tháng 6 năm
2022"). A blank number is left out rather than printed as an empty "số"; what is missing is said by
`gaps`, for the pages to warn the office.
"""

from .models import CitedDocument

Role = CitedDocument.Role
LAW_KINDS = {"luật", "bộ luật"}


def long_date(day):
    """ "ngày 05 tháng 02 năm 2026": Nghị định 30 writes days below 10 and months 1 and 2 with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def cite(document):
    """The document cited in full, without a final punctuation mark."""
    if document.kind.strip().lower() in LAW_KINDS:
        parts = [f"{document.kind} {document.title}"]
        if document.issued_on:
            parts.append(long_date(document.issued_on))
        return " ".join(parts)
    parts = [document.kind]
    if document.number:
        parts.append(f"số {document.number}")
    if document.issued_on:
        parts.append(long_date(document.issued_on))
    if document.issuer:
        parts.append(f"của {document.issuer}")
    parts.append(document.title)
    return " ".join(part for part in parts if part)


def gaps(document):
    """What a reader of the citation would miss, as short Vietnamese phrases ([] when nothing)."""
    missing = []
    if not document.number and document.kind.strip().lower() not in LAW_KINDS:
        missing.append("chưa có số, ký hiệu")
    if not document.issued_on:
        missing.append("chưa có ngày ban hành")
    elif not document.confirmed:
        missing.append("số, ngày ban hành chưa được đối chiếu với bản gốc (Công báo)")
    return missing


def warning(document):
    """One sentence for the office, or "" when the citation is complete."""
    missing = gaps(document)
    if not missing:
        return ""
    return f"{document.get_role_display()} ({cite(document)}): {'; '.join(missing)}."


def frozen(document):
    """What a document's snapshot keeps of a citation: the text as cited then, and its gaps."""
    if document is None:
        return None
    return {
        "role": document.role,
        "citation": cite(document),
        "dated": document.issued_on is not None,
        "warning": warning(document),
    }


def cited(campaign, role):
    """The campaign's document in `role`, or None."""
    return next((document for document in campaign.cited_documents.all() if document.role == role), None)


def decision_bases(campaign):
    """The documents every award decision rests on, in order: those marked as its basis and dated."""
    return [document for document in campaign.cited_documents.all() if document.decision_basis]
