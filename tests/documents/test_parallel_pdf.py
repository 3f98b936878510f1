"""A long document's PDF rendered in chunks by several processes (documents/parallel_pdf.py) prints the pages the
single render of the same HTML prints: every row once, the same pages, numbered on from page 2."""

import re
import shutil
import subprocess
from datetime import date
from io import BytesIO
from unittest import mock

import pytest
from billiard.exceptions import SoftTimeLimitExceeded
from pypdf import PdfReader

from documents import parallel_pdf, pdf_worker
from documents.model import Amount, Annex, Document, Section, Signature, Table
from documents.render import STATIC_DIR, render_html, render_pdf

UNIT = re.compile(r"Đơn vị thử số (\d{3})\b")


def document_with_annexes(rows=30, second_rows=10):
    """A short body and two landscape annexes, the first with a long table that wraps in its name column."""

    def table(title, count, offset):
        return Table(
            header=["STT", "Đơn vị", "Kế hoạch vốn được giao (đồng)", "Đã giải ngân (đồng)"],
            rows=[
                [
                    number,
                    f"Đơn vị thử số {number + offset:03d}" + (" thuộc khu vực miền núi phía tây" if number % 3 else ""),
                    # One wide figure, in the first rows only: every chunk's columns must be as wide as with it.
                    Amount(1_000_000 * number * (10**20 if number == 2 else 1)),
                    Amount(900_000 * number),
                ]
                for number in range(1, count + 1)
            ],
            title=title,
            numeric_columns=(2, 3),
        )

    return Document(
        governing_body="UBND TỈNH QUẢNG NGÃI",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        type_code="BC",
        issuer_code="SKHCN",
        type_name="BÁO CÁO",
        summary="Kết quả thực hiện Phong trào thi đua năm 2026",
        place="Quảng Ngãi",
        sections=[Section("I. KẾT QUẢ", ["Đoạn văn bản tiếng Việt có dấu đầy đủ: ế, ạ, đ, ữ, ỗ."] * 3)],
        signature=Signature.for_signer(name="Trần Minh Quang", is_deputy=False),
        recipients=["- UBND tỉnh (báo cáo);", "- Lưu: VT, HCTH."],
        number=7,
        issued_on=date(2026, 2, 5),
        draft=True,
        annexes=[
            Annex("Phụ lục I", "SỐ LIỆU THỬ", "(Kèm theo Báo cáo số 07/BC-SKHCN)", [table("Bảng 1", rows, 0)]),
            Annex(
                "Phụ lục II",
                "SỐ LIỆU THỬ NỮA",
                "(Kèm theo Báo cáo số 07/BC-SKHCN)",
                [table("Bảng 2", second_rows, 500)],
            ),
        ],
    )


# Chunks of a page or two, so that a small document (40 rows, five pages) is cut as a long one is: four chunks,
# two of them starting inside the first annex's table.
SMALL_CHUNKS = {"MIN_ROWS": 30, "MIN_CHUNK_ROWS": 5, "CHUNK_WEIGHT": 60}


def _cut_small(patch):
    for name, value in SMALL_CHUNKS.items():
        patch.setattr(parallel_pdf, name, value)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few pages, so that a small document is cut as a long one is."""
    _cut_small(monkeypatch)


@pytest.fixture(scope="module")
def single_pdf():
    """The single render (one WeasyPrint document, in this process) of `document_with_annexes()` cut in small
    chunks: the reference the chunked and fallback renders are compared with, rendered once for the module."""
    with pytest.MonkeyPatch.context() as patch:
        _cut_small(patch)
        return single_render(document_with_annexes())


def page_texts(pdf):
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def page_images(pdf, directory):
    """Every page drawn in grey (poppler's pdftoppm, 50 dpi): what a reader sees, pixel by pixel."""
    # Our own arguments and a PDF we made: no untrusted input.
    subprocess.run(  # noqa: S603
        [shutil.which("pdftoppm"), "-r", "50", "-gray", "-", str(directory / "page")],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return [path.read_bytes() for path in sorted(directory.glob("page-*.pgm"))]


def single_render(document):
    return pdf_worker.html_to_pdf(render_html(document), STATIC_DIR).write_pdf()


def test_chunks_merged_print_the_single_renders_pages(small_chunks, single_pdf, tmp_path):
    document = document_with_annexes()
    chunks = parallel_pdf.chunks(document)
    assert len(chunks) >= 3
    assert any(chunk.start[1] > 0 for chunk in chunks), "a table must cross a chunk boundary"

    outcome = parallel_pdf.render_parallel(document, process_count=2)

    merged, single = page_texts(outcome.pdf), page_texts(single_pdf)
    assert len(merged) == len(single)
    assert merged == single
    if shutil.which("pdftoppm"):  # the same column widths, margins, header rows and page number positions
        (tmp_path / "merged").mkdir()
        (tmp_path / "single").mkdir()
        merged_images = page_images(outcome.pdf, tmp_path / "merged")
        assert merged_images == page_images(single_pdf, tmp_path / "single")
    units = [int(number) for text in merged for number in UNIT.findall(text)]
    assert units == [*range(1, 31), *range(501, 511)]  # every row once, in order
    assert not merged[0].endswith("1")
    for number, text in enumerate(merged[1:], start=2):
        assert text.endswith((f"DỰ THẢO {number}", f"DỰ THẢO{number}"))
    assert len(outcome.peak_rss_kib) == 2


def test_a_cut_starts_a_page_in_the_html_whatever_renders_it(small_chunks):
    document = document_with_annexes()
    cuts = sum(1 for chunk in parallel_pdf.chunks(document) if chunk.start[1] > 0)

    assert render_html(document).count('class="page-cut"') == cuts


def test_a_short_document_is_rendered_in_one_process_without_cuts():
    document = document_with_annexes(rows=20)

    assert parallel_pdf.chunks(document) == []
    assert "page-cut" not in render_html(document)
    with mock.patch.object(parallel_pdf.subprocess, "Popen", side_effect=AssertionError("a process started")):
        assert PdfReader(BytesIO(render_pdf(document))).pages


def test_one_free_core_renders_in_this_process(small_chunks, single_pdf, settings, monkeypatch):
    document = document_with_annexes()
    settings.DOCUMENTS_PDF_PROCESSES = 0
    monkeypatch.setattr(parallel_pdf.os, "sched_getaffinity", lambda pid: {0})
    assert parallel_pdf.processes() == 1

    with mock.patch.object(parallel_pdf.subprocess, "Popen", side_effect=AssertionError("a process started")):
        pdf = render_pdf(document)

    assert page_texts(pdf) == page_texts(single_pdf)


def test_the_setting_sets_the_processes(settings):
    settings.DOCUMENTS_PDF_PROCESSES = 3
    assert parallel_pdf.processes() == 3


def test_a_render_process_that_fails_ends_them_all_and_leaves_no_files(small_chunks, tmp_path, monkeypatch):
    document = document_with_annexes()
    monkeypatch.setattr(parallel_pdf.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(parallel_pdf, "WORKER_MODULE", "documents.no_such_worker")
    started = []
    real_popen = parallel_pdf.subprocess.Popen

    def popen(command, **kwargs):
        started.append(real_popen(command, **kwargs))
        return started[-1]

    with (
        mock.patch.object(parallel_pdf.subprocess, "Popen", side_effect=popen),
        pytest.raises(parallel_pdf.ParallelRenderError),
    ):
        parallel_pdf.render_parallel(document, process_count=2)

    assert len(started) == 2
    assert all(process.poll() is not None for process in started)
    assert list(tmp_path.iterdir()) == []


def test_render_pdf_renders_in_one_process_when_the_render_processes_fail(small_chunks, single_pdf):
    document = document_with_annexes()
    failing = mock.patch.object(parallel_pdf, "render_parallel", side_effect=parallel_pdf.ParallelRenderError("x"))

    with failing:
        pdf = render_pdf(document)

    assert page_texts(pdf) == page_texts(single_pdf)


def test_a_time_limit_in_the_job_ends_the_render_processes_and_leaves_no_files(small_chunks, tmp_path, monkeypatch):
    document = document_with_annexes()
    monkeypatch.setattr(parallel_pdf.tempfile, "tempdir", str(tmp_path))
    started = []
    real_popen = parallel_pdf.subprocess.Popen

    def popen(command, **kwargs):
        started.append(real_popen(command, **kwargs))
        return started[-1]

    with (
        mock.patch.object(parallel_pdf.subprocess, "Popen", side_effect=popen),
        mock.patch.object(parallel_pdf.RenderPool, "_next", side_effect=SoftTimeLimitExceeded()),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        parallel_pdf.render_parallel(document, process_count=2)

    assert len(started) == 2
    assert all(process.poll() is not None for process in started)
    assert list(tmp_path.iterdir()) == []
