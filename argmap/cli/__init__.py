"""The `argmap` command. Sub-commands import what they need when they run, so
`argmap --help` and `argmap check` stay fast."""

from __future__ import annotations


def main() -> None:
    from argmap.cli.app import app

    app()
