from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def tiny() -> Path:
    return DATA / "tiny.toml"
