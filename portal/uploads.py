"""The one upload validator of the portal and the private storage uploaded files live in.

Every app's uploads (evidence, dossier parts, signed documents) go through `validate_upload`:
allowed extension, size, content matching the extension, no macros. Files are stored under
random names in a folder no URL serves; views that check access stream them back.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
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
# Caps for looking inside OOXML (zip) files, against zip bombs.
MAX_ZIP_ENTRIES = 5000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
MAX_ZIP_UNCOMPRESSED_BYTES = 500 * 1024 * 1024

ALLOWED_LABEL = "PDF, DOC, DOCX, XLS, XLSX, JPG, PNG"


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int


def _refuse(message):
    raise ValidationError(message, code="invalid_upload")


def _extension(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def _head(upload, length):
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _check_ooxml(upload, extension):
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                _refuse("Tệp có cấu trúc bất thường (quá nhiều thành phần).")
            if sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED_BYTES:
                _refuse("Tệp có cấu trúc bất thường (dung lượng giải nén quá lớn).")
            names = {entry.filename.lower() for entry in entries}
            if any(name.endswith("vbaproject.bin") for name in names):
                _refuse("Tệp có chứa macro; không được tải lên tệp có macro.")
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                _refuse("Tệp có cấu trúc bất thường.")
            content_types = archive.read(info).decode("utf-8", errors="replace")
    except KeyError:
        _refuse(f"Nội dung tệp không phải là tệp .{extension} hợp lệ.")
    except zipfile.BadZipFile:
        _refuse(f"Nội dung tệp không khớp với phần mở rộng .{extension}.")
    finally:
        upload.seek(0)
    lowered = content_types.lower()
    if "macroenabled" in lowered or "vbaproject" in lowered:
        _refuse("Tệp có chứa macro; không được tải lên tệp có macro.")
    if OOXML_MAIN_TYPES[extension] not in content_types:
        _refuse(f"Nội dung tệp không khớp với phần mở rộng .{extension}.")


def _check_ole2(upload, extension):
    if _head(upload, 8) != OLE2_MAGIC:
        _refuse(f"Nội dung tệp không khớp với phần mở rộng .{extension}.")
    # A VBA project in a compound file is a storage named "VBA" or "_VBA_PROJECT" (UTF-16 names).
    upload.seek(0)
    body = upload.read()
    upload.seek(0)
    if "_VBA_PROJECT".encode("utf-16-le") in body or "Macros".encode("utf-16-le") in body:
        _refuse("Tệp có chứa macro; không được tải lên tệp có macro.")


def validate_upload(upload):
    """Check an uploaded file and return what it is; raise ValidationError in Vietnamese if refused."""
    extension = _extension(upload.name)
    if extension not in CONTENT_TYPES:
        _refuse(f"Chỉ chấp nhận tệp {ALLOWED_LABEL}.")
    if upload.size > MAX_UPLOAD_BYTES:
        _refuse(f"Tệp quá lớn ({upload.size / 1024 / 1024:.1f} MB); mỗi tệp tối đa 20 MB.")
    if upload.size == 0:
        _refuse("Tệp rỗng.")
    if extension == "pdf":
        if not _head(upload, 1024).lstrip().startswith(b"%PDF-"):
            _refuse("Nội dung tệp không khớp với phần mở rộng .pdf.")
    elif extension in ("jpg", "jpeg"):
        if _head(upload, 3) != b"\xff\xd8\xff":
            _refuse(f"Nội dung tệp không khớp với phần mở rộng .{extension}.")
    elif extension == "png":
        if _head(upload, 8) != b"\x89PNG\r\n\x1a\n":
            _refuse("Nội dung tệp không khớp với phần mở rộng .png.")
    elif extension in OOXML_MAIN_TYPES:
        _check_ooxml(upload, extension)
    else:
        _check_ole2(upload, extension)
    return CheckedUpload(extension=extension, content_type=CONTENT_TYPES[extension], size=upload.size)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT (the private folder), which no URL serves; access-checking views stream them."""

    def url(self, name):
        raise NotImplementedError("Private files have no URL; serve them through an access-checking view.")


private_storage = PrivateStorage()
