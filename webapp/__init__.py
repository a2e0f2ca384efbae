"""纪要检索's web front end: HTML pages and their JSON twins.

``create_app()`` follows Flask's tutorial factory: defaults, then the instance
folder's ``config.py``, then ``MINUTES_*`` environment variables (``MINUTES_INDEX``
names the index), then the test mapping. Nothing happens at import time.
"""
from __future__ import annotations

from flask import Flask

import indexer


def create_app(test_config: dict | None = None) -> Flask:
    from . import admin, auth, errors, index_holder, meetings, security, uploads, views

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX=str(indexer.default_index_dir()),
        PAGE_SIZE=10,
        SEARCH_TIME_LIMIT=indexer.SEARCH_TIME_LIMIT_S,  # seconds per request (MINUTES_SEARCH_TIME_LIMIT); None: none
        JSON_AS_ASCII=False,
        **auth.DEFAULTS,  # accounts, sign-in and the audit log: see webapp/auth.py
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("MINUTES")
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    index_holder.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(meetings.bp)  # meeting calendar, department workload, the timeline's twin
    uploads.init_app(app)  # adding minutes from the browser (editors)
    return app
