"""`scsim resume DIR`: finish a run started with `--checkpoint-every` from its last checkpoint."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("resume", help="finish a stopped run from its last checkpoint",
                       description="Continue `scsim run ... --out DIR --checkpoint-every N` "
                       "from its last checkpoint; the results are those of an uninterrupted run.")
    p.add_argument("folder", help="the --out folder of the stopped run")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.checkpoint import resume
    from scsim.cli.run import headline

    res = resume(args.folder, progress=not args.quiet)
    if not args.quiet:
        print(headline(res.summary))
        print(f"results: {args.folder}")
    return 0
