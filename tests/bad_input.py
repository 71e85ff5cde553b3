"""The check every bad-input test makes: a scenario with one edit is refused with exit 2, a
message naming the file and the key, no traceback, and no results folder left behind."""

from __future__ import annotations

from pathlib import Path

from scsim.cli import main


def assert_refused(tmp_path: Path, capsys, good: str, edit: tuple[str, str],
                   words: list[str]) -> None:
    old, new = edit
    assert old in good, f"the edit {old!r} does not apply"
    bad = tmp_path / "bad.toml"
    bad.write_text(good.replace(old, new, 1))
    out = tmp_path / "out"
    assert main(["run", str(bad), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
    for w in words:
        assert w in err, f"{w!r} not in {err!r}"
    assert not out.exists()
    assert not list(tmp_path.glob(".out.tmp-*"))
    # validate says the same, with the same status
    assert main(["validate", str(bad)]) == 2
    capsys.readouterr()
