"""KindCodes tells an entity's kind from its id as the per-entity array it replaced did."""

import numpy as np

from scsim.population.kinds import KindCodes


def test_kind_codes_match_the_array_they_replace():
    counts = [7, 0, 3, 5]  # a kind with no entities among them
    kinds = KindCodes(counts)
    array = np.repeat(np.arange(4, dtype=np.uint8), counts)
    assert kinds.size == len(kinds) == kinds.shape[0] == 15
    assert np.array_equal(np.asarray(kinds), array)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 15, 100)
    assert np.array_equal(kinds[ids], array[ids])
    assert kinds[ids].dtype == np.uint8
    mask = rng.random(15) < 0.5
    assert np.array_equal(kinds[mask], array[mask])
    assert np.array_equal(kinds[3:12], array[3:12])
    assert int(kinds[9]) == 2 and int(kinds[7]) == 2 and int(kinds[6]) == 0
    assert [int(kinds[np.int32(i)]) for i in range(15)] == array.tolist()  # one id
    grid = ids[:96].astype(np.int32).reshape(8, 12)  # any shape and integer type
    assert np.array_equal(kinds[grid], array[grid])
    assert np.array_equal(kinds != 2, array != 2)
    assert np.array_equal(kinds.starts, [0, 7, 7, 10, 15])


def test_cell_counts_equal_a_bincount_over_pieces_of_any_size(monkeypatch):
    """Cells counted piece by piece (no int64 copy of the whole array) add up to np.bincount,
    whether the last piece is partial or the whole array is one piece."""
    import scsim.population.generate as generate
    from scsim.rng import Streams
    from scsim.scenario import load_scenario

    sc = load_scenario("points-city", individuals=20_000).model
    pop = generate.generate_population(sc, Streams(4))
    expected = np.bincount(pop.cell, minlength=len(pop.cell_labels))
    assert expected.sum() == pop.n and expected.size == len(pop.cell_labels)
    for piece in (1_000, 7_777, pop.n, 1 << 22):
        monkeypatch.setattr(generate, "CELL_COUNT_PIECE", piece)
        counts = pop.cell_counts()
        assert counts.dtype == np.int64 and np.array_equal(counts, expected)
