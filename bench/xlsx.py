"""Benchmark of documents/xlsx.py on a long export (issue 17): 24,000 register-like rows of 10 columns.

    DJANGO_DEBUG=1 .venv/bin/python -m bench.xlsx [--rows 24000] [--module /tmp/xlsx_before.py]

Two sheets' shapes, each built by `sheets_bytes` in a fresh child process (so that its max RSS is its own, as a
web worker's would be): the caller's widths (the award register's export: the rows stream) and widths from the
content (the rows are read once first). For each: wall and CPU time of the plain run with the least CPU time of
`--repeat` (CPU time suffers less from a busy machine), the peak of Python's allocations under tracemalloc in
another run (tracing slows Python down), and how much the child's max RSS grew during the build (Django set up
before).
`--module` builds through another copy of the module, e.g. the one before a change:
`git show <commit>:documents/xlsx.py > /tmp/xlsx_before.py`. The load average is printed before and after:
the machine is shared, note it with the figures.
"""

import argparse
import datetime
import importlib.util
import multiprocessing
import os
import resource
import time
import tracemalloc
from decimal import Decimal


def _module(path):
    # Imported here: each measurement runs in a fresh child process, which sets Django up itself.
    import django

    django.setup()
    if not path:
        # Imported here: after django.setup() (the module reads the settings).
        from documents import xlsx

        return xlsx
    spec = importlib.util.spec_from_file_location("documents.xlsx_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(count):
    # Imported here: after django.setup() in the child process (_module).
    from documents.model import Amount

    forms = ["Bằng khen của Chủ tịch UBND tỉnh", "Chiến sĩ thi đua cơ sở", "Lao động tiên tiến", "Giấy khen"]
    for number in range(1, count + 1):
        yield (
            number,
            2015 + number % 11,
            f"Nguyễn Văn Thành {number}",
            f"Phòng Quản lý khoa học và công nghệ số {number % 40}",
            forms[number % len(forms)],
            f"{number % 900}/QĐ-UBND",
            datetime.date(2015 + number % 11, 1 + number % 12, 1 + number % 28),
            "Đã hoàn thành xuất sắc nhiệm vụ năm, có sáng kiến được công nhận" if number % 3 == 0 else "",
            Amount(Decimal(1_490_000 * (1 + number % 5))),
            "=ghi chú" if number % 97 == 0 else None,
        )


HEADER = ["STT", "Năm", "Họ và tên", "Đơn vị", "Hình thức", "Số quyết định", "Ngày", "Thành tích", "Tiền", "Ghi chú"]
WIDTHS = [6, 8, 28, 36, 30, 16, 12, 50, 14, 20]


def _build(module, rows, widths):
    sheet = module.Sheet(
        "Sổ theo dõi khen thưởng", HEADER, _rows(rows), title=["Sổ theo dõi khen thưởng", "Năm 2026"], widths=widths
    )
    return module.sheets_bytes([sheet])


def _measure(path, rows, widths, traced, queue):
    module = _module(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    content = _build(module, rows, widths)
    seconds = (time.perf_counter() - started, time.process_time() - cpu)
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    queue.put((seconds, peak, growth, len(content)))


def _in_child(*args):
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_measure, args=(*args, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=24_000)
    parser.add_argument("--module", help="path of another copy of documents/xlsx.py to measure")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many plain runs (default 3)")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    print(f"load average before: {os.getloadavg()}; module: {options.module or 'documents/xlsx.py'}")
    print("| widths | rows | wall (s) | CPU (s) | tracemalloc peak (MiB) | max RSS growth (MiB) | file (KiB) |")
    print("|---|---|---|---|---|---|---|")
    for label, widths in (("given", WIDTHS), ("from content", None)):
        runs = [_in_child(options.module, options.rows, widths, False) for _ in range(options.repeat)]
        (wall, cpu), _, rss, size = min(runs, key=lambda run: run[0][1])
        _, peak, _, _ = _in_child(options.module, options.rows, widths, True)
        figures = f"{wall:.2f} | {cpu:.2f} | {peak / 2**20:.1f} | {rss / 1024:.0f} | {size // 1024}"
        print(f"| {label} | {options.rows:,} | {figures} |")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
