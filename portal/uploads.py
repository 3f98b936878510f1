"""The one upload validator of the portal and the private storage uploaded files live in.

Every app's uploads (evidence, dossier parts, signed documents) go through `validate_upload`:
allowed extension, size, content matching the extension, no macros; a PDF must parse (pypdf) and carry
no JavaScript, Launch action or embedded file (a digital signature is fine); a docx or xlsx may declare
at most 100 MB uncompressed. Files are stored under random names in a folder no URL serves; views that
check access stream them back.
"""

import hashlib
import logging
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.deconstruct import deconstructible
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)
ALLOWED_LABEL = "PDF, DOC, DOCX, XLS, XLSX, JPG, PNG"

MAGIC = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}

# OOXML (zip): the main part's content type names the kind of document.
OOXML_MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# Content types of macro-enabled documents, VBA projects and Excel 4.0 macro sheets (lower case).
OOXML_MACRO_MARKERS = ("macroenabled", "vbaproject", "macrosheet")
# Caps for looking inside a zip, checked from its end record before the zip module reads the
# central directory (which it would otherwise load whole, however many entries it declares).
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_DIRECTORY_BYTES = 2 * 1024 * 1024
# What a docx or xlsx may declare uncompressed in all (sum of the central directory's sizes, read without
# extracting: the zip module never yields more than an entry declares). An entry of at least
# ZIP_BOMB_MIN_BYTES squeezed more than ZIP_BOMB_RATIO times is a zip bomb's shape: Office's own XML
# compresses 5 to 20 times, a repetitive 16 MB sheet made by openpyxl 15 times.
MAX_ZIP_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
ZIP_BOMB_RATIO = 100
ZIP_BOMB_MIN_BYTES = 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
ZIP_END_RECORD = struct.Struct("<4s4H2LH")
ZIP_END_SIGNATURE = b"PK\x05\x06"
# What a damaged or hostile zip makes the zip module raise besides BadZipFile.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,  # encrypted member; NotImplementedError (unknown compression) is a RuntimeError
    OverflowError,
    struct.error,
    zlib.error,
)

# OLE2 compound files (.doc, .xls): directory entries are 128-byte records aligned on 128 bytes
# from the start of the file (the header and every sector are multiples of 128).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_ENTRY = struct.Struct("<64sHB61x")
OLE2_SCAN_CHUNK = 8192 * OLE2_ENTRY.size
OLE2_MAIN_STREAMS = {"doc": {"worddocument"}, "xls": {"workbook", "book"}}
# Storages and streams holding a VBA project: Word's "Macros", Excel's "_VBA_PROJECT_CUR", and inside them.
OLE2_MACRO_NAMES = {"macros", "_vba_project_cur", "vba", "_vba_project"}

MACRO_MESSAGE = "Tệp có chứa macro; không được tải lên tệp có macro."

# PDF: what a reader may run or drop on the computer. Checked on the parsed objects (pypdf), so a name
# written with #xx escapes or kept in a compressed object stream is seen as what it is. Objects reachable
# from the trailer only: what no reader can reach cannot run. A signature (/Sig, /ByteRange, /Contents)
# is plain data and passes. A 3,000-page file made by pypdf is read in 0.2 s; a hostile one packed with tiny objects
# is stopped at MAX_PDF_OBJECTS after about 2 s (a real report of a thousand pages holds about 10,000).
MAX_PDF_OBJECTS = 100_000
PDF_UNREADABLE_MESSAGE = "Không đọc được tệp PDF: tệp bị hỏng hoặc không phải là tệp PDF thật."
PDF_ENCRYPTED_MESSAGE = (
    "Tệp PDF được đặt mật khẩu nên không kiểm tra được nội dung; hãy tải lên bản không đặt mật khẩu."
)
PDF_SCRIPT_MESSAGE = "Tệp PDF có chứa mã lệnh JavaScript; không được tải lên tệp PDF có mã lệnh."
PDF_FORM_SCRIPT_MESSAGE = (
    "Tệp PDF là biểu mẫu động (XFA), có thể chứa mã lệnh; hãy in biểu mẫu ra tệp PDF thường rồi tải lên."
)
PDF_LAUNCH_MESSAGE = "Tệp PDF có lệnh mở chương trình hoặc tệp khác (Launch); không được tải lên tệp như vậy."
PDF_EMBEDDED_MESSAGE = "Tệp PDF có tệp khác đính kèm bên trong; hãy tải lên bản PDF không có tệp đính kèm."
PDF_TOO_COMPLEX_MESSAGE = "Tệp PDF có cấu trúc bất thường (quá nhiều đối tượng)."


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int


def _refuse(message):
    raise ValidationError(message, code="invalid_upload")


def _mismatch(extension):
    _refuse(f"Nội dung tệp không khớp với phần mở rộng .{extension}.")


def _extension(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def _head(upload, length):
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _check_zip_directory(upload, extension):
    """Refuse a zip whose end record declares too many entries or too large a directory."""
    size = upload.size
    tail_length = min(size, ZIP_END_RECORD.size + 0xFFFF)
    upload.seek(size - tail_length)
    tail = upload.read(tail_length)
    upload.seek(0)
    position = tail.rfind(ZIP_END_SIGNATURE)
    if position < 0 or len(tail) - position < ZIP_END_RECORD.size:
        _mismatch(extension)
    _, _, _, _, entries, directory_size, _, _ = ZIP_END_RECORD.unpack_from(tail, position)
    if entries > MAX_ZIP_ENTRIES or directory_size > MAX_ZIP_DIRECTORY_BYTES:
        _refuse("Tệp có cấu trúc bất thường (quá nhiều thành phần).")


def _bomb_shaped(entry):
    return entry.file_size >= ZIP_BOMB_MIN_BYTES and entry.file_size > ZIP_BOMB_RATIO * max(entry.compress_size, 1)


def _check_ooxml(upload, extension):
    _check_zip_directory(upload, extension)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                _refuse("Tệp có cấu trúc bất thường (quá nhiều thành phần).")
            if sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED_BYTES:
                limit = MAX_ZIP_UNCOMPRESSED_BYTES // 1024 // 1024
                _refuse(
                    f"Tệp .{extension} có dung lượng giải nén bất thường (lớn hơn {limit} MB); "
                    "hãy chia thành nhiều tệp nhỏ hơn hoặc bớt nội dung rồi tải lên lại."
                )
            if any(_bomb_shaped(entry) for entry in entries):
                _refuse(f"Tệp .{extension} có tỉ lệ nén bất thường (dấu hiệu của tệp nén độc hại); không được tải lên.")
            if any(PurePath(entry.filename).name.lower() == "vbaproject.bin" for entry in entries):
                _refuse(MACRO_MESSAGE)
            # Read at most the cap, whatever size the entry declares.
            with archive.open("[Content_Types].xml") as member:
                raw = member.read(MAX_CONTENT_TYPES_BYTES + 1)
    except ZIP_ERRORS:
        _refuse(f"Nội dung tệp không phải là tệp .{extension} hợp lệ.")
    finally:
        upload.seek(0)
    if len(raw) > MAX_CONTENT_TYPES_BYTES:
        _refuse("Tệp có cấu trúc bất thường.")
    content_types = raw.decode("utf-8", errors="replace")
    lowered = content_types.lower()
    if any(marker in lowered for marker in OOXML_MACRO_MARKERS):
        _refuse(MACRO_MESSAGE)
    if OOXML_MAIN_TYPES[extension] not in content_types:
        _mismatch(extension)


def _open_pdf(upload):
    """The parsed PDF, decrypted if it opens without a password; refuse what pypdf cannot read."""
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
    except Exception:  # noqa: BLE001 — whatever pypdf raises on these bytes, they are not a PDF we keep.
        _refuse(PDF_UNREADABLE_MESSAGE)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:  # noqa: BLE001 — AES without pypdf's crypto provider (DependencyError), a damaged /Encrypt.
            opened = False
        if not opened:
            _refuse(PDF_ENCRYPTED_MESSAGE)
    try:
        root = reader.trailer["/Root"].get_object()
        if not isinstance(root, DictionaryObject):
            _refuse(PDF_UNREADABLE_MESSAGE)
        if "/Pages" in root:
            # The page tree must read, as a viewer's first step would.
            len(reader.pages)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001
        _refuse(PDF_UNREADABLE_MESSAGE)
    return reader


def _pdf_value(node, key):
    value = dict.get(node, key)
    return None if value is None else value.get_object()


def _pdf_refusal(node):
    """The message refusing this dictionary of a PDF, or None when it is harmless."""
    action = _pdf_value(node, "/S")
    if "/JS" in node or "/JavaScript" in node or action == "/JavaScript":
        return PDF_SCRIPT_MESSAGE
    if action == "/Launch":
        return PDF_LAUNCH_MESSAGE
    if "/XFA" in node:
        return PDF_FORM_SCRIPT_MESSAGE
    if (
        "/EmbeddedFiles" in node
        or "/EF" in node
        or _pdf_value(node, "/Type") == "/EmbeddedFile"
        or _pdf_value(node, "/Subtype") in ("/FileAttachment", "/RichMedia")
    ):
        return PDF_EMBEDDED_MESSAGE
    return None


def _check_pdf(upload):
    reader = _open_pdf(upload)
    seen = set()
    pending = [reader.trailer]
    visited = 0
    try:
        while pending:
            node = pending.pop()
            if isinstance(node, IndirectObject):
                if (node.idnum, node.generation) in seen:
                    continue
                seen.add((node.idnum, node.generation))
                node = node.get_object()
            visited += 1
            if visited > MAX_PDF_OBJECTS:
                _refuse(PDF_TOO_COMPLEX_MESSAGE)
            if isinstance(node, DictionaryObject):
                if message := _pdf_refusal(node):
                    _refuse(message)
                # dict.values, not DictionaryObject's: references stay references, each followed once.
                pending.extend(dict.values(node))
            elif isinstance(node, ArrayObject):
                pending.extend(list.__iter__(node))
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — a reference pypdf cannot follow is a damaged file.
        _refuse(PDF_UNREADABLE_MESSAGE)
    finally:
        upload.seek(0)


def _ole2_entry_names(upload, wanted):
    """Which of the wanted names (lower case) label something that looks like an OLE2 directory entry."""
    names = set()
    upload.seek(0)
    while chunk := upload.read(OLE2_SCAN_CHUNK):
        usable = len(chunk) - len(chunk) % OLE2_ENTRY.size
        for raw_name, name_length, entry_type in OLE2_ENTRY.iter_unpack(memoryview(chunk)[:usable]):
            # A name is UTF-16 with its terminating NUL counted; types 1 storage, 2 stream, 5 root.
            if entry_type in (1, 2, 5) and 4 <= name_length <= 64 and name_length % 2 == 0:
                name = raw_name[: name_length - 2].decode("utf-16-le", errors="replace").lower()
                if name in wanted:
                    names.add(name)
        if len(chunk) < OLE2_SCAN_CHUNK:
            break
    upload.seek(0)
    return names


def _check_ole2(upload, extension):
    if _head(upload, len(OLE2_MAGIC)) != OLE2_MAGIC:
        _mismatch(extension)
    names = _ole2_entry_names(upload, OLE2_MACRO_NAMES | OLE2_MAIN_STREAMS[extension])
    if names & OLE2_MACRO_NAMES:
        _refuse(MACRO_MESSAGE)
    if not names & OLE2_MAIN_STREAMS[extension]:
        _mismatch(extension)


def _check(upload):
    extension = _extension(upload.name)
    if extension not in CONTENT_TYPES:
        _refuse(f"Chỉ chấp nhận tệp {ALLOWED_LABEL}.")
    if upload.size > MAX_UPLOAD_BYTES:
        # Vietnamese writes a decimal comma: "Tệp quá lớn (30,0 MB)".
        size = f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")
        _refuse(f"Tệp quá lớn ({size} MB); mỗi tệp tối đa {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
    if not upload.size:
        _refuse("Tệp rỗng.")
    if extension == "pdf":
        # Readers accept white space before the header; nothing else.
        if not _head(upload, 1024).lstrip().startswith(MAGIC["pdf"]):
            _mismatch(extension)
        _check_pdf(upload)
    elif extension in MAGIC:
        if _head(upload, len(MAGIC[extension])) != MAGIC[extension]:
            _mismatch(extension)
    elif extension in OOXML_MAIN_TYPES:
        _check_ooxml(upload, extension)
    else:
        _check_ole2(upload, extension)
    return CheckedUpload(extension=extension, content_type=CONTENT_TYPES[extension], size=upload.size)


def validate_upload(upload):
    """Check an uploaded file and return what it is; raise ValidationError in Vietnamese if refused.

    Whatever the bytes, the only exception that leaves is ValidationError: a file we cannot read
    is a file we refuse.
    """
    try:
        return _check(upload)
    except ValidationError:
        raise
    except Exception:
        logger.exception("upload %r could not be read", getattr(upload, "name", None))
        _refuse("Không đọc được nội dung tệp.")
    finally:
        upload.seek(0)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT (the private folder), which no URL serves; access-checking views stream them."""

    def url(self, name):
        raise NotImplementedError("Private files have no URL; serve them through an access-checking view.")


private_storage = PrivateStorage()


def upload_sha256(upload):
    """The SHA-256 of an uploaded file's content, read in chunks; the file is rewound afterwards."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def store_upload(record, upload):
    """Write a checked upload into `record.file` under a random name, then save the row.

    If the row cannot be written the stored file is removed again, so no orphan stays behind.
    """
    record.file.save(upload.name, upload, save=False)
    stored_name, storage = record.file.name, record.file.storage
    try:
        record.save()
    except BaseException:
        storage.delete(stored_name)
        raise
    return record


def delete_stored_file(record):
    """Delete the row now and its file once the transaction commits (the file goes only with the row)."""
    stored_name, storage = record.file.name, record.file.storage
    record.delete()
    transaction.on_commit(lambda: storage.delete(stored_name))
