"""Command line: `grade PATH`, `grade check PATH`, `grade kit DIR`."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="dl-assignment5-grader")
def main() -> None:
    """Grade Deep Learning Assignment #5 submissions."""
