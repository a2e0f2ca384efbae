"""What every command shares: the ``--index`` option's help and the index folder it names."""
from __future__ import annotations

from pathlib import Path

import click

import indexer

INDEX_HELP = "Index folder (default: $MINUTES_INDEX, else the project's index/, from any working directory)."


def index_folder(value: str | None) -> Path:
    """The index folder ``--index`` names (else $MINUTES_INDEX, else the project's), made absolute."""
    try:
        return indexer.index_location(value)
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
