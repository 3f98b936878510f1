"""Official documents (Nghị định 30/2020/NĐ-CP): the document model, its PDF, DOCX and XLSX renderers, and the
register of outgoing documents. Every app's documents go through here: one context, three files."""
