"""The one upload validator: what it accepts, what it refuses, and that any bytes give a ValidationError."""

import contextlib
import random
import struct
import zipfile
from io import BytesIO

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from portal.uploads import MAX_UPLOAD_BYTES, MAX_ZIP_ENTRIES, OLE2_MAGIC, validate_upload

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def make_docx():
    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả thực hiện phong trào thi đua.")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Giải ngân vốn đầu tư công"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data, *, replace=None, add=None):
    """The same zip with some entries' content replaced (bytes -> bytes function by name) and some added."""
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if replace and entry.filename in replace:
                content = replace[entry.filename](content)
            target.writestr(entry.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def ole2(*entry_names):
    """A minimal compound file (.doc/.xls): header, one FAT sector, one directory sector of named streams."""
    header = bytearray(512)
    header[:8] = OLE2_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)  # versions, byte order, sector sizes
    struct.pack_into("<LL", header, 44, 1, 1)  # one FAT sector; the directory starts at sector 1
    struct.pack_into("<LLLLL", header, 56, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header[76:512] = struct.pack("<L", 0) + b"\xff" * 432  # DIFAT: sector 0 holds the FAT
    fat = struct.pack("<LL", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * 504
    directory = bytearray()
    for index, name in enumerate(("Root Entry", *entry_names)):
        encoded = (name + "\0").encode("utf-16-le")
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), 5 if index == 0 else 2, 1)
        struct.pack_into("<LLL", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        directory += entry
    directory += b"\x00" * (-len(directory) % 512)
    return bytes(header + fat + directory)


def upload(name, content):
    return SimpleUploadedFile(name, content)


def refusal(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    return caught.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Công văn số 12.pdf", PDF, "application/pdf"),
        ("Báo cáo.docx", make_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Số liệu giải ngân.xlsx", make_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Ảnh hội nghị.png", PNG, "image/png"),
        ("Ảnh hội nghị.jpg", JPEG, "image/jpeg"),
        ("ANH.JPEG", JPEG, "image/jpeg"),
        ("Báo cáo cũ.doc", ole2("WordDocument", "1Table"), "application/msword"),
        ("Bảng cũ.xls", ole2("Workbook"), "application/vnd.ms-excel"),
    ],
)
def test_allowed_files_are_accepted(name, content, content_type):
    checked = validate_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.size == len(content)


def test_a_file_over_20_mb_is_refused():
    big = upload("Báo cáo.pdf", PDF)
    big.size = MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError, match="tối đa 20 MB"):
        validate_upload(big)


def test_a_file_of_exactly_20_mb_is_accepted(tmp_path):
    path = tmp_path / "lon.pdf"
    # A real PDF's cross-reference table at its end (pypdf reads it from there), the catalog at offset 9.
    tail = (
        b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
        b"trailer <</Size 2 /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n"
    )
    xref_at = MAX_UPLOAD_BYTES - len(tail % MAX_UPLOAD_BYTES)
    with path.open("wb") as file:
        file.write(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
        file.truncate(xref_at)  # sparse: no 20 MB in memory
        file.seek(xref_at)
        file.write(tail % xref_at)
    with path.open("rb") as file:
        checked = validate_upload(UploadedFile(file, name="lớn.pdf", size=MAX_UPLOAD_BYTES))
    assert checked.size == MAX_UPLOAD_BYTES


def test_an_empty_file_is_refused():
    assert refusal("Báo cáo.pdf", b"") == "Tệp rỗng."


@pytest.mark.parametrize("name", ["setup.exe", "hoso.zip", "Báo cáo.docm", "Bảng.xlsm", "không có đuôi", "a.pdf.exe"])
def test_other_extensions_are_refused(name):
    assert refusal(name, PDF).startswith("Chỉ chấp nhận tệp PDF, DOC, DOCX, XLS, XLSX, JPG, PNG")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Báo cáo.docx", PDF),
        ("Ảnh.pdf", PNG),
        ("Ảnh.png", JPEG),
        ("Ảnh.jpg", PNG),
        ("Bảng.xlsx", make_docx()),
        ("Báo cáo.docx", make_xlsx()),
        ("Báo cáo.doc", ole2("Workbook")),
        ("Bảng.xls", ole2("WordDocument")),
        ("Bảng.xls", make_xlsx()),
        ("Báo cáo.doc", PDF),
    ],
)
def test_content_not_matching_the_extension_is_refused(name, content):
    message = refusal(name, content)
    assert "không khớp với phần mở rộng" in message or "không phải là tệp" in message


def _macro_enabled(content_types_main):
    def replace(content):
        return content.replace(content_types_main[0].encode(), content_types_main[1].encode())

    return replace


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "Báo cáo.docx",
            rezip(
                make_docx(),
                replace={"[Content_Types].xml": _macro_enabled((DOCX_MAIN, DOCM_MAIN))},
                add={"word/vbaProject.bin": OLE2_MAGIC + b"\x00" * 504},
            ),
        ),
        (
            "Bảng.xlsx",
            rezip(
                make_xlsx(),
                replace={"[Content_Types].xml": _macro_enabled((XLSX_MAIN, XLSM_MAIN))},
                add={"xl/vbaProject.bin": OLE2_MAGIC + b"\x00" * 504},
            ),
        ),
        # A VBA project slipped into an otherwise plain workbook, or a macro type without the project.
        ("Bảng.xlsx", rezip(make_xlsx(), add={"xl/vbaProject.bin": b"\x00" * 16})),
        ("Báo cáo.docx", rezip(make_docx(), replace={"[Content_Types].xml": _macro_enabled((DOCX_MAIN, DOCM_MAIN))})),
        ("Báo cáo.doc", ole2("WordDocument", "1Table", "Macros", "VBA", "_VBA_PROJECT")),
        ("Bảng.xls", ole2("Workbook", "_VBA_PROJECT_CUR", "VBA")),
    ],
)
def test_macro_enabled_files_are_refused(name, content):
    assert refusal(name, content) == "Tệp có chứa macro; không được tải lên tệp có macro."


def test_a_word_document_mentioning_macros_in_its_text_is_accepted():
    document = docx.Document()
    document.add_paragraph("Macros VBA _VBA_PROJECT vbaProject.bin")
    buffer = BytesIO()
    document.save(buffer)
    validate_upload(upload("Hướng dẫn.docx", buffer.getvalue()))
    text = "Macros".encode("utf-16-le") + b"\x00\x00"  # in the document stream, not a directory entry
    validate_upload(upload("Hướng dẫn.doc", ole2("WordDocument") + b"\x01" * 3 + text * 100))


def test_a_zip_with_too_many_entries_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"word/p{number}.xml", b"")
    assert "quá nhiều thành phần" in refusal("Báo cáo.docx", buffer.getvalue())


def test_a_zip_declaring_a_huge_uncompressed_size_is_refused():
    content = rezip(make_docx(), add={"word/media/big.bin": b"\x00" * (1024 * 1024)})
    # Patch the declared uncompressed size of the last entry in the central directory to 600 MB.
    position = content.rfind(b"PK\x01\x02")
    patched = bytearray(content)
    struct.pack_into("<L", patched, position + 24, 600 * 1024 * 1024)
    assert "bất thường" in refusal("Báo cáo.docx", bytes(patched))


def test_a_docx_without_content_types_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    assert refusal("Báo cáo.docx", buffer.getvalue()) == "Nội dung tệp không phải là tệp .docx hợp lệ."


def unexpected_errors(caplog):
    """Errors the validator only caught with its last-resort net: each one is a case it should handle itself."""
    return [record.exc_info for record in caplog.records if record.name == "portal.uploads"]


EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "png"]


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_random_bytes_give_a_validation_error_or_pass_never_a_crash(extension, caplog):
    generator = random.Random(f"fuzz-{extension}")
    prefixes = [b"", b"PK\x03\x04", OLE2_MAGIC, PDF[:5], PNG[:8], JPEG[:3]]
    for _ in range(150):
        length = generator.choice([1, 7, 22, 100, 600, 5000])
        content = generator.choice(prefixes) + generator.randbytes(length)
        with contextlib.suppress(ValidationError):
            validate_upload(upload(f"tệp.{extension}", content))
    assert not unexpected_errors(caplog)


@pytest.mark.parametrize(("extension", "make"), [("docx", make_docx), ("xlsx", make_xlsx)])
def test_damaged_office_files_give_a_validation_error_never_a_crash(extension, make, caplog):
    original = make()
    generator = random.Random(f"damage-{extension}")
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(generator.choice([1, 4, 32])):
            damaged[generator.randrange(len(damaged))] = generator.randrange(256)
        if generator.random() < 0.3:
            damaged = damaged[: generator.randrange(1, len(damaged))]
        with contextlib.suppress(ValidationError):
            validate_upload(upload(f"tệp.{extension}", bytes(damaged)))
    assert not unexpected_errors(caplog)


def test_damaged_ole2_files_give_a_validation_error_never_a_crash(caplog):
    original = ole2("WordDocument", "1Table")
    generator = random.Random("damage-ole2")
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(generator.choice([1, 8, 64])):
            damaged[generator.randrange(len(damaged))] = generator.randrange(256)
        with contextlib.suppress(ValidationError):
            validate_upload(upload("tệp.doc", bytes(damaged[: generator.randrange(1, len(damaged) + 1)])))
    assert not unexpected_errors(caplog)


def test_the_file_is_read_from_the_start_again_after_checking():
    checked = upload("Báo cáo.docx", make_docx())
    validate_upload(checked)
    assert checked.read(2) == b"PK"
