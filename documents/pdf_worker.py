"""A WeasyPrint render process for documents/parallel_pdf.py, started as `python -m documents.pdf_worker STATIC_DIR`.

It does not load Django (a smaller process). It reads one job a line on stdin, {"html": path, "pdf": path},
renders the HTML file to the PDF file and answers one line on stdout: {"pages": n, "sizes": [(width,
height)], "rss_kib": …, "cpu_seconds": …} (its max RSS and CPU time so far), or {"error": …}. A subprocess,
not a multiprocessing child: a Celery prefork worker child is daemonic and may not start those. It exits at
the end of its stdin, and on its own when its parent dies (a hard time limit kills the parent with SIGKILL):
no render outlives the job.
"""

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher

PARENT_CHECK_SECONDS = 0.5


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint fetches any URL a document names; this one fetches only files under static/ (fonts, CSS)."""

    def __init__(self, static_dir, **kwargs):
        super().__init__(**kwargs)
        self.static_dir = Path(static_dir).resolve()

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Documents may not load {url}")
        path = Path(url2pathname(unquote(parsed.path))).resolve()
        if not path.is_relative_to(self.static_dir):
            raise ValueError(f"Documents may not load {url}")
        return super().fetch(url, headers)


def static_only_fetcher(static_dir):
    return StaticOnlyFetcher(static_dir, allowed_protocols={"file"}, allow_redirects=False)


def html_to_pdf(html, static_dir):
    """The PDF of an HTML string, with the documents' base URL and fetcher (one process, as documents/render.py)."""
    static_dir = Path(static_dir)
    return HTML(string=html, base_url=static_dir.as_uri() + "/", url_fetcher=static_only_fetcher(static_dir))


def render_job(job, static_dir):
    html = Path(job["html"]).read_text(encoding="utf-8")
    document = html_to_pdf(html, static_dir).render()
    document.write_pdf(job["pdf"])
    return {"pages": len(document.pages), "sizes": [(page.width, page.height) for page in document.pages]}


def _exit_with_parent(parent):
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(3)


def main(argv):
    static_dir = argv[0]
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    for line in sys.stdin:
        job = json.loads(line)
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_SELF)
        try:
            answer = render_job(job, static_dir)
        except Exception as error:  # the parent decides: it falls back to one process
            answer = {"error": f"{type(error).__name__}: {error}"}
        answer["seconds"] = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        answer["rss_kib"] = usage.ru_maxrss
        answer["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        answer["job_cpu_seconds"] = answer["cpu_seconds"] - before.ru_utime - before.ru_stime
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
