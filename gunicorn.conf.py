"""Gunicorn settings of the portal's web process, read from the checkout (deploy/systemd/congthidua-web.service).

Every value can be changed from the environment (the unit reads /etc/congthidua/env); the defaults fit one machine.
Command-line options still win, e.g. `gunicorn portal.wsgi --bind 127.0.0.1:8001 --workers 1`. See deploy/README.md.

The Server header: gunicorn 27 always sends "Server: gunicorn" and has no setting to drop it. nginx does not pass an
upstream's Server header on (deploy/nginx/congthidua.conf), so visitors see only nginx's own, without its version.
"""

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
# leak in a library never grows without bound.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

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
