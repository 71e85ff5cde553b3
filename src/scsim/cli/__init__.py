"""The `scsim` command: a thin layer over the Python API.

Each subcommand lives in its own module with `add_parser(subparsers)` that registers it and
sets `func`. Heavy imports happen inside the command functions, so `scsim --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from scsim.errors import ScsimInputError

# Order here is the order shown by `scsim --help`.
COMMAND_MODULES = [
    "scsim.cli.run",
    "scsim.cli.presets",
    "scsim.cli.validate",
    "scsim.cli.query",
    "scsim.cli.bench",
    "scsim.cli.calibrate",
    "scsim.cli.dashboard",
    "scsim.cli.resume",
    "scsim.cli.sweep",
    "scsim.cli.sweep_summary",
    "scsim.cli.report",
    "scsim.cli.compare",
    "scsim.cli.audit",
    "scsim.cli.epstein",
]


def build_parser() -> argparse.ArgumentParser:
    from scsim import __version__

    parser = argparse.ArgumentParser(
        prog="scsim",
        description="Agent-based simulator of social credit systems (synthetic populations only).",
    )
    parser.add_argument("--version", action="version", version=f"scsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from scsim.allocator import keep_freed_memory

    parser = build_parser()
    args = parser.parse_args(argv)
    keep_freed_memory()  # the command owns its process: large arrays reuse freed memory
    try:
        return int(args.func(args) or 0)
    except ScsimInputError as err:
        print(f"scsim: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("scsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `scsim query ... | head`: the reader left; nothing to report
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
