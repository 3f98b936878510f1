"""The nginx site of deploy/: nginx accepts it as shipped, and a real nginx serving it keeps its promises.

`nginx -t` checks the site unchanged but for the certificate's directory (a self-signed pair made here). Then one
nginx per module serves the site on free ports of the loopback in front of a small recording upstream: the
redirect, the forwarded headers, the intranet/public split, static files and the body limit. No root is needed:
the pid file, logs and temporary files live in a temporary prefix.

A missing nginx skips these tests locally with the reason; in CI (CI=true) it fails them, as a missing
PostgreSQL or Redis does (tests/conftest.py). `.ci/run` installs nginx-light.
"""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from portal.uploads import MAX_UPLOAD_BYTES
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "congthidua.conf"
HOST = "thidua.skhcn.quangngai.gov.vn"
CERT_DIR = "/etc/ssl/congthidua/"
STATIC_ROOT = "/srv/congthidua/var/staticfiles/"
INSTALL = "apt-get install -y nginx-light"


def _need(program, reason):
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")
    if path is None:
        if IN_CI:
            pytest.fail(f"CI must run this test with {program}: {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def nginx():
    return _need("nginx", f"needs nginx: {INSTALL}")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for the portal's name: the directory holding fullchain.pem and privkey.pem."""
    openssl = _need("openssl", "needs openssl to make a test certificate: apt-get install -y openssl")
    directory = tmp_path_factory.mktemp("tls")
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={HOST}",
            "-keyout",
            str(directory / "privkey.pem"),
            "-out",
            str(directory / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return directory


def _wrapper(prefix, site, *, daemon):
    """A minimal nginx.conf around the site: everything nginx writes goes under `prefix`."""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    mime = "    include /etc/nginx/mime.types;\n" if Path("/etc/nginx/mime.types").exists() else ""
    # As root the worker processes would otherwise run as nobody, who cannot read the test's private directories.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}daemon {'on' if daemon else 'off'};\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n{mime}    access_log {prefix / 'access.log'};\n{temp}\n    include {site};\n}}\n"
    )


def test_nginx_accepts_the_site(nginx, certificate, tmp_path):
    """`nginx -t -p <tmp> -c <conf>` on the site as shipped, with only the certificate's directory replaced."""
    text = SITE.read_text(encoding="utf-8")
    assert text.count(CERT_DIR) == 4, "both servers name the certificate and its key under /etc/ssl/congthidua/"
    site = tmp_path / "congthidua.conf"
    site.write_text(text.replace(CERT_DIR, f"{certificate}/"), encoding="utf-8")
    conf = tmp_path / "nginx.conf"
    conf.write_text(_wrapper(tmp_path, site, daemon=True), encoding="utf-8")
    finished = subprocess.run(  # noqa: S603 - the test's own files
        [nginx, "-t", "-p", f"{tmp_path}/", "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "test is successful" in finished.stderr


def test_nginx_refuses_a_broken_site(nginx, certificate, tmp_path):
    """The check above can fail: the same site with a certificate path that does not exist is refused."""
    site = tmp_path / "congthidua.conf"
    site.write_text(SITE.read_text(encoding="utf-8").replace(CERT_DIR, f"{tmp_path}/missing/"), encoding="utf-8")
    conf = tmp_path / "nginx.conf"
    conf.write_text(_wrapper(tmp_path, site, daemon=True), encoding="utf-8")
    finished = subprocess.run(  # noqa: S603 - the test's own files
        [nginx, "-t", "-p", f"{tmp_path}/", "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert finished.returncode != 0
    assert "fullchain.pem" in finished.stderr


def test_upload_limit_matches_the_portal():
    """The intranet server's body limit lets the largest upload through with its form, and not much more."""
    limits = re.findall(r"client_max_body_size\s+(\d+)([km]?);", SITE.read_text(encoding="utf-8"))
    assert limits == [("23", "m"), ("64", "k")]
    intranet = 23 * 1024 * 1024
    # 20 MiB of file and 2.5 MiB of other fields: 20971520 + 2621440 = 23592960 bytes, under 24117248.
    assert MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 23_592_960
    assert MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE < intranet <= MAX_UPLOAD_BYTES + 4 * 1024 * 1024


# A real nginx in front of a recording upstream.


class _Upstream(BaseHTTPRequestHandler):
    """Answers every request with its path and remembers what arrived (the path, the headers, the body's size)."""

    seen = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining:
            remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
        self.seen.append((self.path, dict(self.headers), length))
        body = f"upstream {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        return


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _served_site(text, ports, upstream_port, static_root):
    """The shipped site on the loopback's free ports; 127.0.0.1 alone counts as the intranet (127.0.0.2 does not)."""
    replacements = {
        "    listen 80;\n": f"    listen 127.0.0.1:{ports['http']};\n",
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{ports['intranet']} ssl http2;\n",
        "    listen 8443 ssl http2;\n": f"    listen 127.0.0.1:{ports['public']} ssl http2;\n",
        "    127.0.0.0/8     1;\n": "    127.0.0.1/32    1;\n",
        "server 127.0.0.1:8000 ": f"server 127.0.0.1:{upstream_port} ",
        STATIC_ROOT: f"{static_root}/",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return re.sub(r"    listen \[::\]:\d+.*\n", "", text)


@pytest.fixture(scope="module")
def served(nginx, certificate, tmp_path_factory):
    prefix = tmp_path_factory.mktemp("nginx")
    static_root = prefix / "staticfiles"
    (static_root / "css").mkdir(parents=True)
    (static_root / "css" / "portal.0123456789ab.css").write_text("body{}", encoding="utf-8")
    (static_root / "css" / "portal.css").write_text("body{}", encoding="utf-8")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    ports = {"http": _free_port(), "intranet": _free_port(), "public": _free_port()}
    served = dict(ports, upstream=upstream)
    text = SITE.read_text(encoding="utf-8").replace(CERT_DIR, f"{certificate}/")
    site = prefix / "congthidua.conf"
    site.write_text(_served_site(text, ports, upstream.server_address[1], static_root), encoding="utf-8")
    conf = prefix / "nginx.conf"
    conf.write_text(_wrapper(prefix, site, daemon=False), encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603 - the test's own files
        [nginx, "-p", f"{prefix}/", "-e", str(prefix / "error.log"), "-c", str(conf)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", ports["public"]), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.communicate()[0]) from None
                time.sleep(0.05)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)
        served["upstream"].shutdown()
        served["upstream"].server_close()


def _request(port, path, *, tls=True, source="127.0.0.1", method="GET", headers=None, body=None):
    """One request from `source` to nginx; the response's status, headers and body, and what reached the upstream."""
    _Upstream.seen.clear()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    kwargs = {"timeout": 10, "source_address": (source, 0)}
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, **kwargs)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, **kwargs)
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        names = [name.lower() for name, _ in response.getheaders()]
        assert len(names) == len(set(names)), f"a header sent twice: {response.getheaders()}"
        return response.status, dict(response.getheaders()), response.read(), list(_Upstream.seen)
    finally:
        connection.close()


def test_http_redirects_to_https_on_the_canonical_name(served):
    status, headers, _, seen = _request(served["http"], "/reports/?ky=1", tls=False, headers={"Host": "evil.example"})
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/reports/?ky=1"
    assert headers["Server"] == "nginx"
    assert seen == []


def test_intranet_reaches_the_portal_with_forwarded_headers(served):
    status, headers, body, seen = _request(
        served["intranet"],
        "/accounts/login/",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"},
    )
    assert (status, body) == (200, b"upstream /accounts/login/")
    # The upstream's own Server header (Python's here, gunicorn's in production) is not passed on.
    assert headers["Server"] == "nginx"
    [(path, forwarded, _)] = seen
    assert path == "/accounts/login/"
    assert forwarded["Host"] == HOST
    # nginx appends the address it saw; the portal (DJANGO_TRUSTED_PROXY_COUNT=1) reads that last entry.
    assert forwarded["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"
    assert forwarded["X-Forwarded-Proto"] == "https"


def test_outside_the_intranet_only_public_pages_and_static_files(served):
    status, _, body, seen = _request(served["intranet"], "/cong-khai/khen-thuong/", source="127.0.0.2")
    assert (status, body) == (200, b"upstream /cong-khai/khen-thuong/")
    assert seen[0][1]["X-Forwarded-For"] == "127.0.0.2"
    for path in ("/accounts/login/", "/admin/", "/healthz", "/", "/cong-khaix"):
        status, _, _, seen = _request(served["intranet"], path, source="127.0.0.2")
        assert (path, status, seen) == (path, 404, [])
    # The prefix without its slash is sent to the public pages, on the visitor's own host and port.
    status, headers, _, seen = _request(served["intranet"], "/cong-khai", source="127.0.0.2")
    assert (status, headers["Location"], seen) == (301, "/cong-khai/", [])


def test_static_files_come_from_static_root(served):
    status, headers, body, seen = _request(
        served["intranet"], "/static/css/portal.0123456789ab.css", source="127.0.0.2"
    )
    assert (status, body, seen) == (200, b"body{}", [])
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, _, seen = _request(served["intranet"], "/static/css/missing.css")
    assert (status, seen) == (404, [])
    # A name without a content hash may change with the next deploy: an hour.
    status, headers, _, _ = _request(served["intranet"], "/static/css/portal.css")
    assert (status, headers["Cache-Control"]) == (200, "max-age=3600")


def test_public_listener_serves_public_pages_only_even_to_the_intranet(served):
    status, _, body, seen = _request(served["public"], "/cong-khai/")
    assert (status, body) == (200, b"upstream /cong-khai/")
    assert seen[0][1]["X-Forwarded-Proto"] == "https"
    status, _, body, _ = _request(served["public"], "/static/css/portal.0123456789ab.css")
    assert (status, body) == (200, b"body{}")
    for path in ("/accounts/login/", "/admin/", "/healthz", "/"):
        status, _, _, seen = _request(served["public"], path)
        assert (path, status, seen) == (path, 404, [])
    # nginx listens on 8443 behind the firewall's 443: its own redirects must not name its port.
    status, headers, _, _ = _request(served["public"], "/cong-khai")
    assert (status, headers["Location"]) == (301, "/cong-khai/")


def test_body_limits(served):
    # The largest upload with its form's other fields (20 MiB + 2.5 MiB) reaches the portal whole.
    largest = 23_592_960
    status, _, _, seen = _request(served["intranet"], "/reports/1/evidence/", method="POST", body=b"x" * largest)
    assert status == 200
    assert seen[0][2] == largest
    # Above 23 MiB nginx answers itself, in Vietnamese, before the body is sent.
    status, headers, body, seen = _request(
        served["intranet"],
        "/reports/1/evidence/",
        method="POST",
        headers={"Content-Length": str(23 * 1024 * 1024 + 1)},
    )
    assert (status, seen) == (413, [])
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Mỗi tệp tải lên tối đa 20 MB" in body.decode()
    # The public listener takes a comment's few lines, not a file.
    status, _, _, seen = _request(
        served["public"], "/cong-khai/gop-y/", method="POST", headers={"Content-Length": str(64 * 1024 + 1)}
    )
    assert (status, seen) == (413, [])


def test_portal_down_answers_a_vietnamese_page(served):
    """gunicorn stopped (a restart, a deploy): the visitor reads why, with the gateway's status kept."""
    stopped = served["upstream"]
    address = stopped.server_address
    stopped.shutdown()
    stopped.server_close()
    try:
        status, headers, body, _ = _request(served["intranet"], "/reports/")
    finally:
        served["upstream"] = ThreadingHTTPServer(address, _Upstream)
        threading.Thread(target=served["upstream"].serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    assert (status, headers["Content-Type"]) == (502, "text/html; charset=utf-8")
    assert "Cổng thi đua tạm thời gián đoạn" in body.decode()
    status, _, body, _ = _request(served["intranet"], "/reports/")
    assert (status, body) == (200, b"upstream /reports/")
