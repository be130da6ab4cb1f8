"""gunicorn settings for Aimak: `gunicorn` (run from this directory) reads this file.

Environment: BIND (e.g. unix:/run/aimak/gunicorn.sock or 127.0.0.1:8000), else PORT (binds
0.0.0.0:$PORT, as gunicorn does), else 127.0.0.1:8000; WEB_CONCURRENCY (worker processes,
default 2 x cores + 1); GUNICORN_TIMEOUT (seconds, default 30); GUNICORN_LOG_LEVEL;
GUNICORN_CONTROL_SOCKET (off by default); DJANGO_SETTINGS_MODULE (default
aimak.settings.production).
"""

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimak.settings.production")

wsgi_app = "aimak.wsgi:application"

if os.environ.get("BIND"):
    bind = [item.strip() for item in os.environ["BIND"].split(",") if item.strip()]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{int(os.environ['PORT'])}"]
else:
    bind = ["127.0.0.1:8000"]

workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# gunicorn's runtime control socket ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl by
# default, one path shared by every instance of the user) is not used: off, unless
# GUNICORN_CONTROL_SOCKET names a path for this instance.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

accesslog = "-"  # stdout (journald under systemd)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
