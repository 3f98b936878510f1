"""Gunicorn settings of the portal's web process, read from the checkout (deploy/systemd/congthidua-web.service).

Every value can be changed from the environment (the unit reads /etc/congthidua/env); the defaults fit one machine.
Command-line options still win, e.g. `gunicorn portal.wsgi --bind 127.0.0.1:8001 --workers 1`. See deploy/README.md.

The Server header: gunicorn 27 always sends "Server: gunicorn" and has no setting to drop it. nginx does not pass an
upstream's Server header on (deploy/nginx/congthidua.conf), so visitors see only nginx's own, without its version.
"""

import ctypes
import ctypes.util
import functools
import gc
import os

from django.core.exceptions import ImproperlyConfigured


def _env_int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}.") from exc
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative; got {raw!r}.")
    return value


CPU_COUNT = os.cpu_count() or 1

wsgi_app = "portal.wsgi:application"
# The loopback on one machine: nginx alone talks to gunicorn. A web machine behind a proxy on another machine binds
# its private address (GUNICORN_BIND=10.10.0.11:8000) and lets only the proxy reach that port: the portal trusts the
# proxy's X-Forwarded-For and X-Forwarded-Proto (DJANGO_TRUSTED_PROXY_COUNT). Several addresses: comma separated.
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]

# Threads: a request waiting on PostgreSQL, Redis or the mail server holds one thread, not a whole process.
# Processes: one per core and one more, so a busy process (a spreadsheet export, a PDF check) leaves others free.
# Each thread keeps one PostgreSQL connection: workers × threads per web machine counts against max_connections.
worker_class = "gthread"
workers = _env_int("GUNICORN_WORKERS", CPU_COUNT + 1)
threads = _env_int("GUNICORN_THREADS", 4)

# A process is replaced after about this many requests (the jitter keeps them from restarting together), so a slow
# leak in a library never grows without bound. The memory check below replaces a process that grew; this is only the
# backstop, so it is large: a new process spends about 0.9 s of a core importing the portal and more warming its
# template cache, and at a deadline's 100 requests a second 1,000 requests replaced every process each 30 s — the
# burst's p95 went from 0.2-0.5 s to 2-7 s (bench.load, 60 s runs; docs/benchmarks.md). 10,000 is about five minutes
# per process at that rate, hours on an ordinary day.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 1000)

# A process keeps the memory a large request took (a spreadsheet built with openpyxl: 220-270 MiB) long after it
# answered: Python and the C allocator return little of it to the system. After each request a process above
# GUNICORN_MAX_RSS_MIB (resident memory, MiB; 0 turns this off) collects its garbage and hands the allocator's free
# pages back (glibc's malloc_trim); still above, it stops taking requests, finishes those it has and exits, and the
# arbiter starts a fresh one, as after max_requests. The limit must stay above a process that has served every page
# (about 145 MiB, bench.worker_rss), or processes are replaced again and again (deploy/README.md).
MAX_RSS_MIB = _env_int("GUNICORN_MAX_RSS_MIB", 150)


def _resident_mib():
    """This process's resident memory in MiB (Linux /proc), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@functools.cache
def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def _release():
    """Free what the last requests left: Python's garbage cycles (an openpyxl workbook is one, and waits for the
    oldest generation's rare collection), then glibc's free heap pages given back to the system (malloc_trim; False
    where there is no glibc: musl, macOS)."""
    gc.collect()
    try:
        return bool(_libc().malloc_trim(0))
    except (OSError, AttributeError):
        return False


def memory_check(worker, *, limit=MAX_RSS_MIB, resident=_resident_mib, release=_release):
    """After a request: "off", "under" the limit, "trimmed" back under it, or "recycle" (the process exits after
    its current requests: worker.alive = False, as gunicorn's max_requests does)."""
    if not limit:
        return "off"
    before = resident()
    if before is None or before <= limit:
        return "under"
    release()
    after = resident()
    if after is None or after <= limit:
        return "trimmed"
    if worker.alive:
        worker.log.info(
            "Worker %s uses %.0f MiB (%.0f MiB before gc and malloc_trim), above GUNICORN_MAX_RSS_MIB=%s: "
            "replaced after its current requests",
            worker.pid,
            after,
            before,
            limit,
        )
        worker.alive = False
    return "recycle"


def post_request(worker, req, environ, resp):
    memory_check(worker)


# A request running longer than this is killed (nginx waits 75 s, proxy_read_timeout); on stop or reload a process
# finishes its requests for at most graceful_timeout (the unit's TimeoutStopSec allows it).
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 2

# The heartbeat files of the processes in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's documented advice

# gunicornc's control socket only where it is asked for (the unit puts it under /run/congthidua-web/).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

proc_name = "congthidua-web"
# Logs to the journal; the first address is the visitor's as nginx saw it, then the proxy's.
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
