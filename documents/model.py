"""The content of an official document, independent of its file format."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ARTICLE_LEAD = re.compile(r"Điều \d+\.")


def _grouped(value, decimals):
    """Vietnamese digits: dots between thousands, a comma before the decimals (1.250.000,50)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@dataclass(frozen=True)
class Amount:
    """A sum of money or a quantity in a table cell: printed as Vietnamese write it (27.700.000.000),
    kept a number in the XLSX ("#,##0", which a Vietnamese Excel shows with dots)."""

    value: Decimal

    def __post_init__(self):
        object.__setattr__(self, "value", Decimal(str(self.value)))

    @property
    def is_whole(self):
        return self.value == self.value.to_integral_value()

    def __str__(self):
        return _grouped(self.value, 0 if self.is_whole else 2)

    @property
    def spreadsheet_value(self):
        return int(self.value) if self.is_whole else float(self.value)

    @property
    def spreadsheet_format(self):
        return "#,##0" if self.is_whole else "#,##0.00"


@dataclass(frozen=True)
class Rate:
    """A rate in a table cell, `value` in its unit (87.5 with "%"): printed with two decimals (87,50%), kept a
    number in the XLSX — a percentage as the fraction (0.875) formatted "0.00%"."""

    value: Decimal
    unit: str = "%"

    def __post_init__(self):
        object.__setattr__(self, "value", Decimal(str(self.value)))

    def __str__(self):
        return f"{self.value:.2f}".replace(".", ",") + self.unit

    @property
    def spreadsheet_value(self):
        return float(self.value / 100) if self.unit == "%" else float(self.value)

    @property
    def spreadsheet_format(self):
        return "0.00%" if self.unit == "%" else "#,##0.00"


@dataclass
class Table:
    header: list
    rows: list
    title: str = ""
    # Columns holding numbers are right-aligned in the PDF and DOCX and written as numbers in the XLSX.
    numeric_columns: tuple = ()
    # "matrix": a long table of short marks, printed smaller with its mark columns centred (nd30.css).
    layout: str = ""
    # The table's sheet in the XLSX, at most 31 characters saying what it holds ("PL I. Giải ngân vốn đầu tư công").
    sheet_name: str = ""
    # (mark, meaning) pairs of the marks its cells hold; the XLSX lists them on its "Chú giải" sheet.
    legend: list = field(default_factory=list)


@dataclass
class Section:
    """A heading with its paragraphs, tables and subsections. `paragraphs` hold plain text."""

    heading: str = ""
    paragraphs: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    subsections: list = field(default_factory=list)
    # "QUYẾT ĐỊNH:" above a decision's articles is centred (Nghị định 30, Mẫu 1.2).
    centered: bool = False
    # Paragraphs that are articles: their "Điều N." is bold (Phụ lục I, Mục II "Điều").
    articles: bool = False

    @property
    def paragraph_parts(self):
        """Each paragraph as (bold lead, rest): ("Điều 2.", " Quyết định này …") for an article, ("", text) else."""
        parts = []
        for text in self.paragraphs:
            match = ARTICLE_LEAD.match(text) if self.articles else None
            parts.append((match.group(0), text[match.end() :]) if match else ("", text))
        return parts


@dataclass
class Annex:
    label: str  # "Phụ lục I"
    title: str  # "SỐ LIỆU CHỈ SỐ THI ĐUA CỦA CÁC ĐƠN VỊ"
    reference: str  # "(Kèm theo Báo cáo số …/BC-SKHCN ngày …)"
    tables: list = field(default_factory=list)
    landscape: bool = True


@dataclass
class Signature:
    """The signature block: "GIÁM ĐỐC", or "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" when a deputy signs."""

    title: str
    name: str
    on_behalf_of: str = ""  # e.g. "KT. GIÁM ĐỐC"

    @classmethod
    def for_signer(cls, *, name, is_deputy, head_title="GIÁM ĐỐC", deputy_title=None, is_acting=False):
        """The head signs under their title; a deputy "KT. <TITLE>" over "PHÓ <TITLE>"; an acting head "Q. <TITLE>"."""
        head_title = head_title.upper()
        if is_deputy:
            return cls(title=deputy_title or f"PHÓ {head_title}", name=name, on_behalf_of=f"KT. {head_title}")
        if is_acting:
            return cls(title=f"Q. {head_title}", name=name)
        return cls(title=head_title, name=name)


@dataclass
class Document:
    """An official document. A công văn (`is_letter`: no type code, no type name) prints its trích yếu "V/v …"
    under its number in the header's left column, and its issuer code names the drafting unit ("SKHCN-HCTH")."""

    governing_body: str  # "UBND TỈNH QUẢNG NGÃI" (not bold)
    issuing_body: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ" (bold, ruled)
    type_code: str  # "BC", "QĐ", "TTr", "BB"; "" for a công văn
    issuer_code: str  # "SKHCN"; a công văn's "SKHCN-HCTH"
    type_name: str  # "BÁO CÁO"; "" for a công văn
    summary: str  # the trích yếu under the type name; a công văn's "V/v …"
    place: str  # "Quảng Ngãi"
    sections: list
    signature: Signature
    recipients: list  # the "Nơi nhận" list, each line as printed
    # "Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)" for "Kính gửi:"; several addressees one per line.
    addressee: str = ""
    basis: list = field(default_factory=list)  # "Căn cứ …" lines (decisions)
    authority: str = ""  # "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ" above the decision's articles
    number: int | None = None
    issued_on: date | None = None
    year: int | None = None  # the year of a draft's date line before it has a date
    annexes: list = field(default_factory=list)
    draft: bool = True
    # False for a unit without a seal and register of its own: no "Số:" line at all, never an empty one.
    numbered: bool = True
    # A second signer beside the first, on the left: the secretary of a biên bản (Mẫu 1.9), the chair on the right.
    co_signature: Signature | None = None
    period: str = ""  # the reporting period a report covers ("6 tháng đầu năm 2026"), in its XLSX title block

    @property
    def is_letter(self):
        """A công văn (Nghị định 30, Phụ lục I, Mẫu 1.4): no type name, the trích yếu under the number."""
        return not self.type_code

    @property
    def addressee_lines(self):
        """Several addressees as Nghị định 30 lists them under "Kính gửi:": "- Sở Nội vụ;" … "- Khối thi đua …."."""
        names = [line.strip().lstrip("-").strip().rstrip(";.") for line in self.addressee.split("\n")]
        names = [name for name in names if name]
        if len(names) < 2:
            return []
        return [f"- {name};" for name in names[:-1]] + [f"- {names[-1]}."]

    @property
    def symbol(self):
        """ "BC-SKHCN"; a công văn's "SKHCN-HCTH"."""
        return f"{self.type_code}-{self.issuer_code}" if self.type_code else self.issuer_code

    @property
    def number_line(self):
        number = f"{self.number:02d}" if self.number else "\u00a0" * 6
        return f"Số: {number}/{self.symbol}"

    @property
    def reference(self):
        """How other documents cite this one: "Báo cáo số 07/BC-SKHCN ngày 05/12/2026"."""
        number = f"{self.number:02d}" if self.number else "…"
        when = f" ngày {self.issued_on:%d/%m/%Y}" if self.issued_on else " ngày …"
        return f"số {number}/{self.symbol}{when}"

    @property
    def date_line(self):
        if self.issued_on:
            day = self.issued_on.day
            month = self.issued_on.month
            # Nghị định 30: days below 10 and months 1 and 2 take a leading zero.
            day_text = f"{day:02d}"
            month_text = f"{month:02d}" if month < 3 else str(month)
            return f"{self.place}, ngày {day_text} tháng {month_text} năm {self.issued_on.year}"
        year = self.year or ""
        gap = "\u00a0" * 5
        return f"{self.place}, ngày{gap}tháng{gap}năm {year}"
