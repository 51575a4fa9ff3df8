"""The ``genebank`` command's entry point: ``genebank --version`` answers before the
command line's modules (SQLAlchemy, the models, every command) are imported, since a
script or an installer asks it to learn which Genebank is there (issue 15: at most 1.5x
the time to import SQLAlchemy; bench/bench_startup.py measures it). Everything else is
:func:`genebank.cli.main`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from genebank import __version__


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:  # what argparse's version action prints, without it
        print(f"genebank {__version__}")
        return 0
    from genebank import cli

    return cli.main(arguments)


if __name__ == "__main__":
    sys.exit(main())
