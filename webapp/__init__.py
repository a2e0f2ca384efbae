"""纪要检索's web front end: HTML pages and their JSON twins.

``create_app()`` follows Flask's tutorial factory: the defaults of indexer's settings
table, then the instance folder's ``config.py``, then ``MINUTES_*`` environment
variables (``MINUTES_INDEX`` names the index), then the test mapping. An undeclared
``MINUTES_*`` variable or config key stops it with :class:`indexer.SettingError`.
Nothing happens at import time.
"""
from __future__ import annotations

import os

from flask import Config, Flask

import indexer

from . import (
    admin,
    auth,
    errors,
    headers,
    index_holder,
    limits,
    overviews,
    uploads,
    views,
)


def _config_file(app: Flask) -> Config:
    """The instance folder's config.py, refused if it names a key that is neither declared in
    indexer's settings nor Flask's own or Flask-WTF's (``WTF_*``): a misspelt key is an error."""
    file = Config(app.config.root_path)
    file.from_pyfile("config.py", silent=True)
    flasks = set(app.default_config) | {key for key in file if key.startswith("WTF_")}
    indexer.check_config_keys(file, flasks, where=os.path.join(app.config.root_path, "config.py"))
    return file


def create_app(test_config: dict | None = None) -> Flask:
    indexer.check_environment()  # an undeclared MINUTES_* variable stops start-up here
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(indexer.config_defaults())  # every key, its default and meaning: indexer/settings.py
    app.config["INDEX"] = str(indexer.default_index_dir())
    app.config.from_mapping(_config_file(app))
    app.config.from_mapping(indexer.config_from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    limits.init_app(app)  # first: each route's body limit is set before anything reads the body
    index_holder.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(overviews.bp)  # meeting calendar, department workload
    uploads.init_app(app)  # adding minutes from the browser (editors)
    auth.init_app(app)  # after the blueprints: it exempts views of theirs from CSRF by endpoint
    return app
