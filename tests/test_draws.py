"""The draw helpers: certain outcomes consume no random numbers."""

from __future__ import annotations

import numpy as np

from natosim.engine.draws import bernoulli, categorical


def test_certain_bernoulli_draws_consume_nothing() -> None:
    rng = np.random.default_rng(7)
    result = bernoulli(rng, [0.0, 1.0, 1.0, 0.0])
    assert result.tolist() == [False, True, True, False]
    assert rng.random() == np.random.default_rng(7).random()


def test_bernoulli_uses_one_number_per_uncertain_cell_in_order() -> None:
    result = bernoulli(np.random.default_rng(3), [0.0, 0.5, 1.0, 0.5])
    u = np.random.default_rng(3).random(2)
    assert result.tolist() == [False, bool(u[0] < 0.5), True, bool(u[1] < 0.5)]


def test_categorical_certain_cells_consume_nothing() -> None:
    probs = np.array([[[0.0, 1.0, 0.0, 0.0]], [[0.0, 0.0, 0.0, 1.0]]])
    rng = np.random.default_rng(11)
    drawn = categorical(rng, probs, 5)
    assert drawn.shape == (5, 2, 1)
    assert (drawn[:, 0, 0] == 1).all() and (drawn[:, 1, 0] == 3).all()
    assert rng.random() == np.random.default_rng(11).random()


def test_categorical_never_draws_a_zero_probability_category() -> None:
    probs = np.array([[0.1, 0.2, 0.7, 0.0]])
    drawn = categorical(np.random.default_rng(5), probs, 200_000)
    counts = np.bincount(drawn.ravel(), minlength=4) / 200_000
    assert counts[3] == 0
    # 4 standard errors of a proportion of 200,000 draws is at most 0.0045.
    assert np.allclose(counts[:3], [0.1, 0.2, 0.7], atol=0.0045)
