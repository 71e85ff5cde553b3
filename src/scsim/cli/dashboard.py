"""`scsim dashboard`: a local web app to turn the knobs of a preset and watch the effect."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("dashboard", help="turn the knobs in a browser (local web app)",
                       description="Serve the dashboard on 127.0.0.1 (this machine only) and "
                       "print its address. Needs the viz extra: pip install 'scsim[viz]'.")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--preset", default="points-city", help="preset shown first")
    p.add_argument("--open", action="store_true", help="open it in the default browser")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.errors import ScsimInputError

    try:
        from scsim.dashboard.app import serve
    except ImportError as err:
        raise ScsimInputError(f"the dashboard needs the viz extra ({err.name} is missing): "
                              "pip install 'scsim[viz]'") from None
    from scsim.scenario import load_scenario

    load_scenario(args.preset)  # an unknown preset fails here, with its message
    if not 0 <= args.port <= 65535:
        raise ScsimInputError(f"--port: expected 0 to 65535, got {args.port}")

    def ready(address: str) -> None:
        print(f"scsim dashboard: {address}  (Ctrl-C to stop)", flush=True)

    serve(args.port, show=args.open, default_preset=args.preset, ready=ready)
    return 0
