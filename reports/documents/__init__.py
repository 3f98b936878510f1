"""Official documents in the Nghị định 30/2020/NĐ-CP layout: one context, rendered to PDF, DOCX and XLSX.

Every document type (the consolidated report, a unit's own report, award decisions, proposals,
council minutes) builds one `Document` and hands it to `render_pdf`, `render_docx` and
`render_xlsx`, so the three files carry the same words and numbers.
"""

from .model import Annex, Document, Section, Signature, Table
from .render import render_docx, render_pdf, render_xlsx

__all__ = ["Annex", "Document", "Section", "Signature", "Table", "render_docx", "render_pdf", "render_xlsx"]
