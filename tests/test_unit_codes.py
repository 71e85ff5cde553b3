"""Unit attributes of individuals are kept as 16-bit codes: value = code / 65535."""

import numpy as np

from scsim.population.attributes import (
    UNIT_CODE_MAX,
    attribute,
    code_scale,
    unit_codes,
    unit_values,
)


def test_codes_round_to_the_nearest_step_as_numpy_does():
    rng = np.random.default_rng(1)
    x = rng.random(100_000, dtype=np.float32)
    x[:6] = [0.0, 1.0, 0.5 / 65535, 1.5 / 65535, 2.5 / 65535, 0.99999]  # ties and ends
    codes = unit_codes(x)
    assert codes.dtype == np.uint16
    assert np.array_equal(codes, np.rint(x * np.float32(UNIT_CODE_MAX)).astype(np.uint16))
    back = unit_values(codes)
    assert back.dtype == np.float32 and back[0] == 0.0 and back[1] == 1.0
    # Half a step at most (and float32 rounding of the quotient).
    assert np.abs(back.astype(np.float64) - x).max() <= 0.5 / UNIT_CODE_MAX + 1e-7


def test_only_unit_attributes_stored_as_codes_are_scaled():
    loyalty = attribute("individual", "loyalty")
    region = attribute("individual", "region")
    assert code_scale(loyalty, np.zeros(3, np.uint16)) == UNIT_CODE_MAX
    assert code_scale(loyalty, np.zeros(3, np.float32)) == 1.0  # floats are values
    assert code_scale(region, np.zeros(3, np.uint16)) == 1.0  # a region is a number



def test_an_elastic_factor_of_codes_is_looked_up_as_computed():
    """A rate's elasticity on a 16-bit coded attribute is a table of 65,536 factors: on
    random candidates it gives, to the bit, the factor computed from the attribute."""
    from scsim.modifiers import _NO_IDS, _mul_elastic, compile_rate
    from scsim.scenario.schema import Modifier
    from scsim.sim import Sim

    sim = Sim("points-city", individuals=20_000, days=1)
    sim.build()
    values = sim.pop.attrs["individual"]["loyalty"]
    assert values.dtype == np.uint16
    rate = compile_rate(sim.pop, "individual", 10.0,
                        [Modifier(attribute="loyalty", elasticity=3.0)])
    local = np.random.default_rng(2).integers(0, values.size, 50_000)
    lo, hi = (x * UNIT_CODE_MAX for x in attribute("individual", "loyalty").span)
    expected = np.ones(local.size)
    _mul_elastic(expected, values[local], _NO_IDS, 0, 3.0, lo, hi - lo)
    got = rate.accept_prob(local) * rate.bound
    assert np.array_equal(rate.accept_prob(local), expected / rate.bound)
    assert np.unique(got).size > 1000  # many distinct factors, not a constant
