"""gunicorn settings for 纪要检索. Start with:

    gunicorn -c gunicorn.conf.py 'webapp:create_app()'

Environment: MINUTES_BIND (default 127.0.0.1:8000), MINUTES_WORKERS (default 2),
MINUTES_INDEX (index folder, read by the app itself; default: the project's
index/ folder, wherever gunicorn is started from); every setting is declared in
indexer/settings.py, and an undeclared MINUTES_* variable stops gunicorn here.
"""
import os
import sys

import indexer

# What the workers write — the sign-in state, uploaded files, the index's new segments — is for the
# service's user and group only, never other users of the machine (issue 26; users.json, secret_key
# and audit.log are 0600 whatever the umask).
os.umask(0o027)

try:
    indexer.check_environment()
except indexer.SettingError as e:
    sys.exit(f"Error: {e}")  # SystemExit passes through gunicorn's reading of this file: exit status 1

bind = indexer.setting_value("BIND")
workers = indexer.setting_value("WORKERS")
worker_class = "sync"  # one request at a time per worker: its searcher is not shared across threads
preload_app = True  # load the app (and jieba's dictionary, below) once, before forking
timeout = 30
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
loglevel = "info"


def on_starting(server):
    # The word dictionary takes about a second to load; do it once in the master
    # so forked workers share it, from the cache in the app's own index folder (the
    # app is loaded already: preload_app). The index itself is opened in each worker,
    # on first use: open files must not be shared across a fork.
    indexer.warm_up(server.app.wsgi().config["INDEX"])


WARM_S = 10  # per new worker, well within the worker timeout


def post_worker_init(worker):
    # A new worker opens its index (mapping the derived files minutes index wrote) and loads
    # the vocabulary of suggestions before it takes requests, and loads the cross-references
    # minutes index saved (or builds them, for an index without the file) on a thread of its
    # own while it answers searches; what WARM_S leaves undone, requests finish under their
    # deadlines.
    worker.wsgi.extensions["minutes"].warm(WARM_S)
    # The process uploads are read in is forked from a server of the worker's own, started now
    # (it imports the engine beside the worker) rather than by the first upload.
    indexer.start_upload_reader()
