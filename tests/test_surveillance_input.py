"""Bad sensing and platform input: one message naming the file and the key, exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from bad_input import assert_refused

GOOD = (Path(__file__).parent / "data" / "surveil.toml").read_text()
FACE = "face = { fpir = 0.02,"

CASES = [
    ("fpir and threshold", (FACE, "face = { fpir = 0.02, threshold = 0.95,"),
     ["sources.cam.face", "at most one of fpir and threshold"]),
    ("face table on a registry source", ('method = "face"\n', 'method = "registry"\n'),
     ["sources.cam", "face: only for method = 'face'"]),
    ("online without categories",
     ('online = { categories = { rumour = { recall = 0.6, false_flag = 0.01 } } }', ""),
     ["sources.web", "needs an [online] table"]),
    ("online category not a conduct", ("categories = { rumour =", "categories = { rumor ="),
     ["sources.web.online.categories.rumor", "unknown conduct 'rumor'"]),
    ("false_flag above 1", ("false_flag = 0.01", "false_flag = 1.5"),
     ["sources.web.online.categories.rumour.false_flag", "less than or equal to 1"]),
    ("unknown group multiplier", ("group_fpir = { b = 3.0 }", "group_fpir = { c = 3.0 }"),
     ["sources.cam.face.group_fpir.c", "unknown group 'c'"]),
    ("negative multiplier", ("group_fpir = { b = 3.0 }", "group_fpir = { b = -3.0 }"),
     ["sources.cam.face.group_fpir.b", "greater than or equal to 0"]),
    ("face for companies", ('kinds = ["individual"]\nrate = 10.0',
                            'kinds = ["individual", "company"]\nrate = 10.0'),
     ["conduct.jaywalk.kinds", "identifies faces"]),
    ("unknown method", ('method = "face"', 'method = "iris"'),
     ["sources.cam.method", "'registry', 'face' or 'online'"]),
    ("typo in a face key", ("same_demographic", "same_demographics"),
     ["sources.cam.face.same_demographics", "did you mean 'same_demographic'"]),
    ("bad region key", ("coverage = 1.0\nface",
                        'coverage = 1.0\nregion_factor = { "99" = 2.0 }\nface'),
     ["sources.cam.region_factor.99", "region index"]),
    ("unknown department in a pair", ("[sources.cam]", "[platform.pairs.courts.transprt]\n"
                                      "sharing = 1.0\n\n[sources.cam]"),
     ["platform.pairs.courts.transprt", "unknown department 'transprt'"]),
    ("sharing above 1", ("[sources.cam]", "[platform]\nsharing = 2.0\n\n[sources.cam]"),
     ["platform.sharing", "less than or equal to 1"]),
]


@pytest.mark.parametrize("what,edit,words", CASES, ids=[c[0] for c in CASES])
def test_bad_sensing_input_names_the_key(tmp_path, capsys, what, edit, words):
    assert_refused(tmp_path, capsys, GOOD, edit, words)
