"""Uploads a department should not keep: PDFs that do not parse or carry scripts, Launch actions or embedded
files, and docx/xlsx declaring too much uncompressed. A digitally signed PDF, as issued decisions are, passes.

Every file is made here, in memory: hand-written PDFs with a correct cross-reference table (so what is tested
is the check, not pypdf's repair of a broken file), and a signature made with a self-signed certificate.
"""

import datetime
import random
import re
import struct
import zipfile
import zlib
from io import BytesIO

import docx
import openpyxl
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from portal.uploads import (
    MACRO_MESSAGE,
    MAX_UPLOAD_BYTES,
    PDF_EMBEDDED_MESSAGE,
    PDF_ENCRYPTED_MESSAGE,
    PDF_FORM_SCRIPT_MESSAGE,
    PDF_LAUNCH_MESSAGE,
    PDF_SCRIPT_MESSAGE,
    PDF_TOO_COMPLEX_MESSAGE,
    PDF_UNREADABLE_MESSAGE,
    validate_upload,
)

PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
CONTENT = b"<< /Length 0 >>\nstream\n\nendstream"


def pdf_revision(objects, *, size, previous=b"", previous_xref=None, root=1):
    """`previous` with `objects` ({number: body}) appended as one revision: objects, cross-reference section, trailer.

    With no `previous`, a whole PDF; with one, an incremental update as signing tools write it (/Prev).
    """
    out = bytearray(previous or b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n"
    if not previous:
        out += b"0 1\n0000000000 65535 f \n"
    for number, offset in sorted(offsets.items()):
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    prev = b"" if previous_xref is None else b" /Prev %d" % previous_xref
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, prev, xref)
    return bytes(out), xref


def pdf(catalog_extra=b"", page_extra=b"", extra_objects=None):
    """A one-page PDF; `catalog_extra`/`page_extra` go inside the catalog's/page's dictionary."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        2: PAGES,
        3: PAGE[:-2] + page_extra + b">>",
        4: CONTENT,
        **(extra_objects or {}),
    }
    return pdf_revision(objects, size=max(objects) + 1)[0]


def self_signed():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Giám đốc Sở"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


SIGNATURE_HEX_LENGTH = 8192
BYTE_RANGE_PLACEHOLDER = b"/ByteRange [0 0000000000 0000000000 0000000000]"


def signed_pdf():
    """A decision as a signing tool leaves it: the document, then an incremental update adding a signature
    field whose /Contents holds a detached CMS (PKCS#7) signature of every byte but itself (/ByteRange)."""
    original, original_xref = pdf_revision(
        {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: PAGES, 3: PAGE, 4: CONTENT}, size=5
    )
    update = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>",
        3: PAGE[:-2] + b"/Annots [5 0 R] >>",
        5: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Chu ky Giam doc) /Rect [0 0 0 0] /F 132 "
        b"/P 3 0 R /V 6 0 R >>",
        6: b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
        + BYTE_RANGE_PLACEHOLDER
        + b" /Contents <"
        + b"0" * SIGNATURE_HEX_LENGTH
        + b"> /M (D:20261207090000+07'00') /Reason (Ky ban hanh quyet dinh) >>",
    }
    document, _ = pdf_revision(update, size=7, previous=original, previous_xref=original_xref)
    contents_start = document.index(b"/Contents <") + len(b"/Contents ")
    contents_end = contents_start + SIGNATURE_HEX_LENGTH + 2
    byte_range = [0, contents_start, contents_end, len(document) - contents_end]
    filled = b"/ByteRange [0 %010d %010d %010d]" % tuple(byte_range[1:])
    document = document.replace(BYTE_RANGE_PLACEHOLDER, filled)
    signed_bytes = document[:contents_start] + document[contents_end:]
    key, certificate = self_signed()
    signature = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(signed_bytes)
        .add_signer(certificate, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    )
    hex_signature = signature.hex().encode().ljust(SIGNATURE_HEX_LENGTH, b"0")
    assert len(hex_signature) == SIGNATURE_HEX_LENGTH
    document = document[: contents_start + 1] + hex_signature + document[contents_end - 1 :]
    return document, certificate


def upload(name, content):
    return SimpleUploadedFile(name, content)


def refusal(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    return caught.value.messages[0]


# PDF: accepted


def test_plain_pdf_is_accepted():
    assert validate_upload(upload("Quyết định.pdf", pdf())).content_type == "application/pdf"


def test_pdf_made_by_pypdf_with_compressed_object_streams_is_accepted():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Báo cáo tổng kết"})
    writer.compress_identical_objects()
    buffer = BytesIO()
    writer.write(buffer)
    assert validate_upload(upload("Báo cáo.pdf", buffer.getvalue())).extension == "pdf"


def test_pdf_opening_at_its_first_page_is_accepted():
    """/OpenAction is mostly a destination ("open at page 1, fit width"); only a script or Launch is refused."""
    assert validate_upload(upload("Tờ trình.pdf", pdf(b"/OpenAction [3 0 R /FitH 842] "))).size > 0


def test_digitally_signed_pdf_is_accepted():
    document, certificate = signed_pdf()
    # The test's PDF is signed for real: the signature covers every byte but its own /Contents, and carries
    # the signer's certificate; pypdf sees the signature field.
    byte_range = [int(number) for number in re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", document).groups()]
    assert byte_range[0] == 0
    assert byte_range[2] + byte_range[3] == len(document)
    contents = bytes.fromhex(document[byte_range[1] + 1 : byte_range[2] - 1].decode())
    assert pkcs7.load_der_pkcs7_certificates(contents.rstrip(b"\0")) == [certificate]
    fields = PdfReader(BytesIO(document)).get_fields()
    assert fields["Chu ky Giam doc"]["/FT"] == "/Sig"

    checked = validate_upload(upload("Quyết định khen thưởng (đã ký số).pdf", document))

    assert checked.extension == "pdf"
    assert checked.size == len(document)


# PDF: refused


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n",
        b"%PDF-1.4 ban da ky\n",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        # A catalog whose page tree points at nothing readable.
        pdf_revision({1: b"<< /Type /Catalog /Pages 9 0 R >>"}, size=2)[0],
    ],
    ids=["html-with-pdf-header", "header-only", "no-cross-reference", "broken-page-tree"],
)
def test_file_that_does_not_parse_as_pdf_is_refused(content):
    assert refusal("Quyết định.pdf", content) == PDF_UNREADABLE_MESSAGE


def add_document_script(writer, script):
    """A document-level script (the catalog's /Names /JavaScript tree), run by a viewer when the file opens."""
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("khoi-dong"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


def test_pdf_with_document_javascript_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    add_document_script(writer, "app.alert('Xin chào');")
    buffer = BytesIO()
    writer.write(buffer)
    assert refusal("Báo cáo.pdf", buffer.getvalue()) == PDF_SCRIPT_MESSAGE


@pytest.mark.parametrize(
    ("catalog_extra", "page_extra", "extra_objects"),
    [
        (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ", b"", None),
        # The action is an indirect object, its script a stream: still an action whose /S is /JavaScript.
        (
            b"/OpenAction 5 0 R ",
            b"",
            {5: b"<< /S /JavaScript /JS 6 0 R >>", 6: b"<< /Length 11 >>\nstream\napp.alert()\nendstream"},
        ),
        # Additional actions on the page: run when the page opens.
        (b"", b"/AA << /O << /S /JavaScript /JS (this.print()) >> >> ", None),
        # The name written with #xx escapes, as obfuscated files do: /J#53 is /JS.
        (b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> ", b"", None),
    ],
    ids=["open-action", "indirect-action-with-stream", "page-additional-action", "escaped-names"],
)
def test_pdf_running_javascript_when_opened_is_refused(catalog_extra, page_extra, extra_objects):
    assert refusal("Tờ trình.pdf", pdf(catalog_extra, page_extra, extra_objects)) == PDF_SCRIPT_MESSAGE


def test_pdf_hiding_javascript_in_a_compressed_object_stream_is_refused():
    """PDF 1.5 keeps objects inside a compressed stream: a byte scan of the file sees nothing, pypdf does."""
    header = b"5 0 "
    packed = zlib.compress(header + b"<< /S /JavaScript /JS (app.alert(1)) >>")
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: PAGES,
        3: PAGE,
        4: CONTENT,
        7: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(header), len(packed), packed),
    }
    document = _with_xref_stream(objects)
    assert b"JavaScript" not in document
    assert b"/JS" not in document
    assert refusal("Tờ trình.pdf", document) == PDF_SCRIPT_MESSAGE


def _with_xref_stream(objects):
    """A PDF 1.5 file whose cross-reference is a stream naming object 5 as entry 0 of object stream 7."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_number = 8
    offsets[xref_number] = len(out)
    rows = []
    for number in range(xref_number + 1):
        if number == 5:
            rows.append(struct.pack(">BIH", 2, 7, 0))
        elif number in offsets:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
        else:
            rows.append(struct.pack(">BIH", 0, 0, 65535))
    data = zlib.compress(b"".join(rows))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        len(data),
    )
    out += data + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def test_pdf_with_launch_action_is_refused():
    launch = b"/OpenAction << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >> "
    assert refusal("Tờ trình.pdf", pdf(launch)) == PDF_LAUNCH_MESSAGE


def test_pdf_with_launch_action_on_a_link_is_refused():
    link = b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /Launch /F (run.bat) >> >>] "
    assert refusal("Tờ trình.pdf", pdf(page_extra=link)) == PDF_LAUNCH_MESSAGE


def test_pdf_with_embedded_file_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("danh-sach.exe", b"MZ\x90\x00")
    buffer = BytesIO()
    writer.write(buffer)
    assert refusal("Báo cáo.pdf", buffer.getvalue()) == PDF_EMBEDDED_MESSAGE


def test_pdf_with_file_attachment_annotation_is_refused():
    annotation = b"/Annots [5 0 R] "
    attachment = {5: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS (ghi-chu.txt) >>"}
    assert refusal("Báo cáo.pdf", pdf(page_extra=annotation, extra_objects=attachment)) == PDF_EMBEDDED_MESSAGE


def test_dynamic_xfa_form_is_refused():
    form = b"/AcroForm << /Fields [] /XFA 5 0 R >> "
    xfa = {5: b"<< /Length 7 >>\nstream\n<xdp/>\nendstream"}
    assert refusal("Biểu mẫu.pdf", pdf(form, extra_objects=xfa)) == PDF_FORM_SCRIPT_MESSAGE


def test_pdf_that_needs_a_password_to_open_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="RC4-128")
    buffer = BytesIO()
    writer.write(buffer)
    assert refusal("Hồ sơ.pdf", buffer.getvalue()) == PDF_ENCRYPTED_MESSAGE


def test_pdf_protected_only_against_editing_is_inspected_like_any_other():
    """An owner password alone (printing/editing restricted) opens with an empty password: read, then judged."""
    for add_script, expected in ((False, None), (True, PDF_SCRIPT_MESSAGE)):
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        if add_script:
            add_document_script(writer, "app.alert(1);")
        writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="RC4-128")
        buffer = BytesIO()
        writer.write(buffer)
        if expected is None:
            assert validate_upload(upload("Hồ sơ.pdf", buffer.getvalue())).extension == "pdf"
        else:
            assert refusal("Hồ sơ.pdf", buffer.getvalue()) == expected


def test_size_message_keeps_the_decimal_comma():
    big = SimpleUploadedFile("Quyết định.pdf", pdf())
    big.size = 30 * 1024 * 1024
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert refusal_of(big) == "Tệp quá lớn (30,0 MB); mỗi tệp tối đa 20 MB."


def refusal_of(uploaded):
    with pytest.raises(ValidationError) as caught:
        validate_upload(uploaded)
    return caught.value.messages[0]


# docx / xlsx: declared size and compression ratio


def make_xlsx():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Giải ngân vốn đầu tư công"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def declare_size(data, member, declared):
    """The zip with `member`'s uncompressed size in the central directory set to `declared` (nothing extracted)."""
    data = bytearray(data)
    with zipfile.ZipFile(BytesIO(bytes(data))) as archive:
        names = [entry.filename for entry in archive.infolist()]
    position = 0
    for _ in names:
        position = data.index(b"PK\x01\x02", position)
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length].decode() == member:
            struct.pack_into("<L", data, position + 24, declared)
            return bytes(data)
        position += 46
    raise AssertionError(member)


def add_member(data, name, content):
    buffer = BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def test_xlsx_declaring_more_than_100_mb_uncompressed_is_refused():
    declared = declare_size(make_xlsx(), "xl/worksheets/sheet1.xml", 101 * 1024 * 1024)
    with zipfile.ZipFile(BytesIO(declared)) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) > 100 * 1024 * 1024
    assert refusal("Tổng hợp.xlsx", declared) == (
        "Tệp .xlsx có dung lượng giải nén bất thường (lớn hơn 100 MB); "
        "hãy chia thành nhiều tệp nhỏ hơn hoặc bớt nội dung rồi tải lên lại."
    )


@pytest.mark.parametrize(("declared_mb", "accepted"), [(99, True), (101, False)])
def test_xlsx_limit_is_100_mb_declared(declared_mb, accepted):
    """A 2 MB picture that does not compress, declared as 99 or 101 MB: the ratio (about 50) is honest-looking,
    so only the declared total decides."""
    picture = random.Random(16).randbytes(2 * 1024 * 1024)
    data = add_member(make_xlsx(), "xl/media/image1.bin", picture)
    data = declare_size(data, "xl/media/image1.bin", declared_mb * 1024 * 1024)
    if accepted:
        assert validate_upload(upload("Tổng hợp.xlsx", data)).extension == "xlsx"
    else:
        assert refusal("Tổng hợp.xlsx", data).startswith("Tệp .xlsx có dung lượng giải nén bất thường (lớn hơn 100 MB)")


def test_docx_declaring_more_than_100_mb_is_refused():
    document = docx.Document()
    document.add_paragraph("Báo cáo thành tích.")
    buffer = BytesIO()
    document.save(buffer)
    declared = declare_size(buffer.getvalue(), "word/document.xml", 150 * 1024 * 1024)
    assert refusal("Báo cáo.docx", declared).startswith("Tệp .docx có dung lượng giải nén bất thường (lớn hơn 100 MB)")


def test_zip_bomb_ratio_is_refused():
    """5 MB of zeros compresses about a thousand times: far past what any Office XML does."""
    bomb = add_member(make_xlsx(), "xl/worksheets/sheet2.xml", b"\0" * (5 * 1024 * 1024))
    with zipfile.ZipFile(BytesIO(bomb)) as archive:
        entry = archive.getinfo("xl/worksheets/sheet2.xml")
    assert entry.file_size > 100 * entry.compress_size
    assert refusal("Tổng hợp.xlsx", bomb) == (
        "Tệp .xlsx có tỉ lệ nén bất thường (dấu hiệu của tệp nén độc hại); không được tải lên."
    )


def test_real_spreadsheet_of_thousands_of_rows_is_accepted():
    workbook = openpyxl.Workbook()
    for number in range(5_000):
        workbook.active.append(["Sở Khoa học và Công nghệ", number, "Hoàn thành xuất sắc nhiệm vụ"])
    buffer = BytesIO()
    workbook.save(buffer)
    assert validate_upload(upload("Danh sách.xlsx", buffer.getvalue())).extension == "xlsx"


def test_macro_refusal_is_unchanged():
    macro = add_member(make_xlsx(), "xl/vbaProject.bin", b"\0" * 64)
    assert refusal("Tổng hợp.xlsx", macro) == MACRO_MESSAGE


def test_pdf_with_more_objects_than_the_cap_is_refused(monkeypatch):
    """The walk stops at MAX_PDF_OBJECTS (a hostile file packed with tiny objects); lowered here to 5."""
    monkeypatch.setattr("portal.uploads.MAX_PDF_OBJECTS", 5)
    extra = {5 + number: b"<< /N %d >>" % number for number in range(10)}
    crowded = pdf(b"/Extra [" + b" ".join(b"%d 0 R" % number for number in extra) + b"] ", extra_objects=extra)

    assert refusal("Báo cáo.pdf", crowded) == PDF_TOO_COMPLEX_MESSAGE
    monkeypatch.setattr("portal.uploads.MAX_PDF_OBJECTS", 100)
    assert validate_upload(upload("Báo cáo.pdf", crowded)).extension == "pdf"
