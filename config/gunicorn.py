"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

The access log leaves out query strings: an admin search for a phone number must not land in it.
It listens on loopback unless GUNICORN_BIND says otherwise: the proxy in front of it is the way in.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
# What a client may send before Django sees it. Every request the API documents fits well within these
# (its query parameters have a maxLength); past them gunicorn answers by itself, not in JSON: 414 for the
# request line, 431 for the header fields. The OpenAPI description says so (orders/api/schema.py).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
