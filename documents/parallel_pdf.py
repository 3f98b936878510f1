"""A long document's PDF rendered in several processes: its annex tables in chunks, merged with pypdf.

WeasyPrint lays a document out on one core (about 5–8 table pages a second here). A document whose annexes hold
at least MIN_ROWS table rows is cut into chunks of about equal weight: the body (up to the first annex, which
starts a page), then runs of annex rows. Where a chunk starts inside a table, the document starts a page
(`tr.page-cut`, a forced break): `render_html` marks those rows whatever renders it, so that the document prints
the same pages in one process or in several, on any machine (its files are stored with their sha256). The cuts
depend on the document alone, never on the cores at hand. The page before a cut ends with the chunk, so it may
hold fewer rows than a full page: a few short pages in a long annex, the price of knowing where chunks start
without laying the rows out first (finding where the single render breaks its pages costs half of rendering them).

Each chunk is rendered by a render process (documents/pdf_worker.py — a subprocess: a Celery prefork child is
daemonic and may not start multiprocessing children), as many at once as `processes()`:

- a chunk that starts inside a table repeats its header row and continues it without its title or top margin,
  as WeasyPrint continues a table after a page break; its first row holds, unseen and of no height, the widest
  cells of the whole table, so that its columns are as wide as in the whole table;
- the chunks carry no page numbers: WeasyPrint lays the numbers on empty pages of the same sizes under the same
  @page rules (the first page unnumbered) and pypdf stamps them on the merged pages, so they run on.

`render_parallel` returns None when the document is rendered in one process: below MIN_ROWS annex rows, or one
process available. A render process that fails raises ParallelRenderError (documents/render.py then renders in
one process). A time limit reached in the parent (Celery's SoftTimeLimitExceeded) ends the render processes and
removes the temporary files on its way out; a parent killed outright takes its render processes with it.
"""

import contextlib
import json
import os
import selectors
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from .fonts import text_width_ems
from .model import Document

MIN_ROWS = 400  # annex rows below which one process is as fast as several
CHUNK_WEIGHT = 4000  # about 250 rows of a 14-column table: each chunk costs its fonts and stylesheet again
MAX_CHUNKS = 8  # an even number of chunks of equal weight keeps two processes equally busy
NUMBERS_BATCH = 60  # pages numbered by one job, unless they are the last
MIN_CHUNK_ROWS = 40  # a cut at least this far into a table and from its end
WITNESSES = 6  # cells per column, the widest by each measure, whose widths every chunk of a table shares
MAX_PROCESSES = 4
WORKER_STOP_SECONDS = 5
WORKER_MODULE = "documents.pdf_worker"
NO_PAGE_NUMBERS = "@page { @top-center { content: none; } }"


class ParallelRenderError(RuntimeError):
    """A render process failed: render in one process instead."""


def processes():
    """Render processes for one document: DOCUMENTS_PDF_PROCESSES, or the cores this process may run on (at most
    MAX_PROCESSES); 1 renders in this process."""
    configured = getattr(settings, "DOCUMENTS_PDF_PROCESSES", 0)
    if configured:
        return max(1, configured)
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


# --- Where the document is cut --------------------------------------------------------------------------------


@dataclass
class TablePart:
    """Rows first_row… of the document's annex table number `index` (its annexes' tables counted in order)."""

    index: int
    first_row: int
    header: list
    rows: list
    title: str
    numeric_columns: tuple
    layout: str
    continued: bool  # starts inside the table: no title, no top margin
    witnessed_row: list = field(default_factory=list)  # the first row: (value, [widest values]) per column
    cut_rows: frozenset = frozenset()  # rows (of `rows`) that start a page


@dataclass
class AnnexPart:
    label: str
    title: str
    reference: str
    landscape: bool
    continued: bool  # starts inside the annex: no label, title and reference
    tables: list


@dataclass(frozen=True)
class Chunk:
    start: tuple  # (table, row) of its first row
    stop: tuple  # (table, row) of the next chunk's first row


def _tables(document):
    """(annex, table index, table) for every annex table, numbered in order."""
    index = 0
    for annex in document.annexes:
        for table in annex.tables:
            yield annex, index, table
            index += 1


def _row_weight(row):
    return 2 + len(row)  # WeasyPrint's time for a row grows with its cells


def chunks(document):
    """The document's annex rows cut into chunks of about CHUNK_WEIGHT, as [Chunk]; [] for a short document.
    A chunk starts at an annex (a page starts there anyway) or at least MIN_CHUNK_ROWS into a table."""
    tables = list(_tables(document))
    rows = sum(len(table.rows) for _, _, table in tables)
    if rows < MIN_ROWS or not all(annex.tables for annex in document.annexes):
        return []
    total = sum(_row_weight(row) for _, _, table in tables for row in table.rows)
    count = max(2, min(MAX_CHUNKS, 2 * round(total / CHUNK_WEIGHT / 2)))
    target = total / count
    annex_starts = {index for annex, index, table in tables if annex.tables[0] is table}
    starts, carried = [(0, 0)], 0
    for _, index, table in tables:
        if index in annex_starts and index and carried >= target / 2 and len(starts) < count:
            starts.append((index, 0))
            carried = 0
        for number, row in enumerate(table.rows):
            carried += _row_weight(row)
            cut = number + 1
            if carried >= target and MIN_CHUNK_ROWS <= cut <= len(table.rows) - MIN_CHUNK_ROWS and len(starts) < count:
                starts.append((index, cut))
                carried = 0
    stops = [*starts[1:], (len(tables), 0)]
    return [Chunk(start, stop) for start, stop in zip(starts, stops, strict=True)]


def cut_rows(document):
    """{table index: rows that start a page} of a document rendered in chunks."""
    cuts = {}
    for chunk in chunks(document):
        if chunk.start[1]:
            cuts.setdefault(chunk.start[0], set()).add(chunk.start[1])
    return cuts


def _text_width(value):
    return text_width_ems(value)


def _word_width(value):
    return max((_text_width(word) for word in str(value).split()), default=0)


def _witnesses(table):
    """Per column, the values of the widest cells of `table` (widest text, widest word): what sets its widths."""
    columns = []
    for column in range(len(table.header)):
        values = [row[column] for row in table.rows if row[column] not in (None, "")]
        widest = sorted(values, key=_text_width, reverse=True)[:WITNESSES]
        longest_words = sorted(values, key=_word_width, reverse=True)[:WITNESSES]
        columns.append(list(dict.fromkeys(widest + longest_words)))
    return columns


def annex_parts(document, start=(0, 0), stop=None, *, witnesses=None, cuts=None):
    """The annexes from position `start` up to `stop` (all by default) as [AnnexPart]: with the widest cells of
    every table that is split (`witnesses`, a cache by table index), or with the rows that start a page (`cuts`)."""
    stop = stop or (sum(len(annex.tables) for annex in document.annexes), 0)
    parts = []
    for annex in document.annexes:
        tables = []
        for table_annex, index, table in _tables(document):
            if table_annex is not annex or index < start[0] or (index, 0) >= stop:
                continue
            first = start[1] if index == start[0] else 0
            end = stop[1] if index == stop[0] else len(table.rows)
            rows = table.rows[first:end]
            part = TablePart(
                index=index,
                first_row=first,
                header=table.header,
                rows=rows,
                title=table.title,
                numeric_columns=table.numeric_columns,
                layout=table.layout,
                continued=first > 0,
                cut_rows=frozenset((cuts or {}).get(index, ())),
            )
            split = witnesses is not None and rows and (first > 0 or end < len(table.rows))
            if split:
                if index not in witnesses:
                    witnesses[index] = _witnesses(table)
                part.witnessed_row = list(zip(rows[0], witnesses[index], strict=True))
                part.rows = rows[1:]
            tables.append(part)
        if tables:
            first_index = next(index for table_annex, index, _ in _tables(document) if table_annex is annex)
            continued = (first_index, 0) < start
            parts.append(AnnexPart(annex.label, annex.title, annex.reference, annex.landscape, continued, tables))
    return parts


def with_cuts(document):
    """The document with its annex tables' page cuts marked for the template, or itself when it has none."""
    cuts = cut_rows(document)
    if not cuts:
        return document
    return replace(document, annexes=annex_parts(document, cuts=cuts))


# --- The chunks' HTML -----------------------------------------------------------------------------------------


def chunk_html(document, chunk, witnesses):
    parts = annex_parts(document, chunk.start, chunk.stop, witnesses=witnesses)
    return render_to_string(
        "documents/nd30_part.html", {"document": document, "annexes": parts, "extra_css": NO_PAGE_NUMBERS}
    )


def body_html(document):
    """The document up to its annexes, without page numbers (they are stamped on the merged pages)."""
    html = render_to_string("documents/nd30.html", {"document": replace(document, annexes=[])})
    return html.replace("</head>", f"<style>{NO_PAGE_NUMBERS}</style>\n</head>", 1)


def numbers_html(page_sizes, first):
    """Empty pages of the given sizes (portrait or landscape) numbered from `first` as nd30.css's @page rules
    number pages, the document's first page without a number."""
    sheets = [
        {"landscape": width > height, "number": number if number > 1 else ""}
        for number, (width, height) in enumerate(page_sizes, start=first)
    ]
    return render_to_string("documents/nd30_numbers.html", {"sheets": sheets})


# --- Render processes -----------------------------------------------------------------------------------------


class RenderPool:
    """Render processes (documents/pdf_worker.py), each given one job at a time; all ended on the way out."""

    def __init__(self, size, folder):
        self.folder = Path(folder)
        self.selector = selectors.DefaultSelector()
        self.workers = []
        self.busy = {}  # worker -> job key
        self.peak_rss_kib = {}  # worker pid -> its max RSS
        self.cpu_seconds = {}  # worker pid -> its CPU time
        for _ in range(size):
            # Our own interpreter and module, arguments we built: no untrusted input.
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", WORKER_MODULE, str(Path(settings.BASE_DIR) / "static")],
                cwd=settings.BASE_DIR,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
            self.workers.append(worker)
            self.selector.register(worker.stdout, selectors.EVENT_READ, worker)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(WORKER_STOP_SECONDS)
            for stream in (worker.stdin, worker.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
        self.selector.close()

    def _start(self, worker, key, html):
        source = self.folder / f"{key}.html"
        source.write_text(html, encoding="utf-8")
        self.busy[worker] = key
        try:
            worker.stdin.write(json.dumps({"html": str(source), "pdf": str(self.folder / f"{key}.pdf")}) + "\n")
            worker.stdin.flush()
        except BrokenPipeError as error:
            raise ParallelRenderError(f"a render process ended (exit status {worker.wait()})") from error

    def _next(self):
        for selected, _ in self.selector.select():
            worker = selected.data
            line = worker.stdout.readline()
            if not line:
                raise ParallelRenderError(f"a render process ended (exit status {worker.wait()})")
            answer = json.loads(line)
            key = self.busy.pop(worker)
            self.peak_rss_kib[worker.pid] = answer["rss_kib"]
            self.cpu_seconds[worker.pid] = answer["cpu_seconds"]
            if "error" in answer:
                raise ParallelRenderError(f"render job {key}: {answer['error']}")
            answer["pdf"] = self.folder / f"{key}.pdf"
            return key, answer
        raise ParallelRenderError("no render process answered")

    def run(self, jobs, *, then=None):
        """Render the jobs, [(key, a function making its HTML)], in order, as many at once as there are processes,
        the HTML made when a process is free; `then(key, answer)` may return more jobs, done next. {key: answer}."""
        waiting = list(jobs)
        answers = {}
        while waiting or self.busy:
            for worker in self.workers:
                if worker not in self.busy and waiting:
                    key, make_html = waiting.pop(0)
                    self._start(worker, key, make_html())
            key, answer = self._next()
            answers[key] = answer
            if then:
                waiting = then(key, answer) + waiting  # page numbers first: the last ones wait for the last chunk
        return answers


def merge(pdfs, numbered):
    """One PDF of the chunks' pages, each with its number drawn over it from `numbered` ([(numbers PDF, pages)]
    in order), as WeasyPrint draws the page-margin boxes after the page's content."""
    writer = PdfWriter()
    for path in pdfs:
        reader = PdfReader(path)
        if not writer.pages and reader.metadata:
            writer.add_metadata(dict(reader.metadata))
        for page in reader.pages:
            writer.add_page(page)
    numbers = [page for path in numbered for page in PdfReader(path).pages]
    if len(numbers) != len(writer.pages):
        raise ParallelRenderError(f"{len(numbers)} numbered pages for {len(writer.pages)}")
    for page, number_page in zip(writer.pages, numbers, strict=True):
        page.merge_page(number_page)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
    writer.compress_identical_objects()
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass
class Outcome:
    pdf: bytes
    jobs: int  # the body, the annex chunks and the page numbers
    peak_rss_kib: dict  # render process pid -> its max RSS
    cpu_seconds: dict  # render process pid -> its CPU time


class _Numbering:
    """The page numbers of the chunks done so far in order, each run of them a job as soon as it is known."""

    def __init__(self, order):
        self.order = order  # chunk keys in the document's order
        self.done = {}
        self.numbered = 0  # chunks numbered so far
        self.pages = 0  # pages numbered so far
        self.jobs = []  # numbers job keys in order

    def __call__(self, key, answer):
        if str(key).startswith("numbers"):
            return []
        self.done[key] = answer
        ready = self.numbered
        while ready < len(self.order) and self.order[ready] in self.done:
            ready += 1
        sizes = [size for key in self.order[self.numbered : ready] for size in self.done[key]["sizes"]]
        if not sizes or (len(sizes) < NUMBERS_BATCH and ready < len(self.order)):
            return []
        self.numbered = ready
        first, self.pages = self.pages + 1, self.pages + len(sizes)
        key = f"numbers{len(self.jobs)}"
        self.jobs.append(key)
        return [(key, lambda: numbers_html(sizes, first))]


def render_parallel(document: Document, *, process_count=None):
    """An Outcome with the PDF of `document` (through portal.text.clean_deep already) rendered in chunks by
    `process_count` processes, or None when it is rendered in one."""
    process_count = process_count or processes()
    parts = chunks(document)
    if process_count < 2 or not parts:
        return None
    witnesses = {}  # table index -> its widest values, shared by its chunks
    order = ["body", *range(len(parts))]
    jobs = [("body", lambda: body_html(document))]
    jobs += [(number, lambda chunk=chunk: chunk_html(document, chunk, witnesses)) for number, chunk in enumerate(parts)]
    numbering = _Numbering(order)
    with (
        tempfile.TemporaryDirectory(prefix="documents-pdf-") as folder,
        RenderPool(process_count, folder) as pool,
    ):
        answers = pool.run(jobs, then=numbering)
        pdf = merge([answers[key]["pdf"] for key in order], [answers[key]["pdf"] for key in numbering.jobs])
        return Outcome(
            pdf=pdf,
            jobs=len(answers),
            peak_rss_kib=dict(pool.peak_rss_kib),
            cpu_seconds=dict(pool.cpu_seconds),
        )
