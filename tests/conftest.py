from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def tiny() -> Path:
    return DATA / "tiny.toml"


def need(module: str):
    """Import an optional dependency; skip when it is absent here, but fail in CI (CI=true),
    which installs every extra and must run these tests."""
    import importlib
    import os

    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed in CI: .ci/run must install the extras")
        pytest.skip(f"{module} not installed (pip install the scsim extra that provides it)")
