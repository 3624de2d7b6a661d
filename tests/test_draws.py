"""The draw helpers: certain outcomes consume no random numbers."""

from __future__ import annotations

import numpy as np

from natosim.engine.draws import categorical, cell_bernoulli


def test_categorical_certain_cells_keep_their_category() -> None:
    probs = np.array([[[0.0, 1.0, 0.0, 0.0]], [[0.0, 0.0, 0.0, 1.0]]])
    drawn = categorical(np.random.default_rng(11), probs, 5)
    assert drawn.shape == (5, 2, 1)
    assert (drawn[:, 0, 0] == 1).all() and (drawn[:, 1, 0] == 3).all()


def test_making_one_cell_certain_does_not_shift_the_others() -> None:
    uncertain = np.array([[0.5, 0.5, 0.0, 0.0], [0.2, 0.3, 0.1, 0.4], [0.0, 0.6, 0.0, 0.4]])
    certain = uncertain.copy()
    certain[0] = [0.0, 0.0, 0.0, 1.0]
    a = categorical(np.random.default_rng(2), uncertain, 1000)
    b = categorical(np.random.default_rng(2), certain, 1000)
    assert (b[:, 0] == 3).all()
    assert np.array_equal(a[:, 1:], b[:, 1:])


def test_cell_bernoulli_has_one_number_per_cell() -> None:
    p = np.array([0.0, 0.3, 1.0])
    drawn = cell_bernoulli(np.random.default_rng(4), p, 3)
    u = np.random.default_rng(4).random((3, 3))
    assert np.array_equal(drawn, u < p)
    assert not drawn[:, 0].any() and drawn[:, 2].all()


def test_categorical_never_draws_a_zero_probability_category() -> None:
    probs = np.array([[0.1, 0.2, 0.7, 0.0]])
    drawn = categorical(np.random.default_rng(5), probs, 200_000)
    counts = np.bincount(drawn.ravel(), minlength=4) / 200_000
    assert counts[3] == 0
    # 4 standard errors of a proportion of 200,000 draws is at most 0.0045.
    assert np.allclose(counts[:3], [0.1, 0.2, 0.7], atol=0.0045)
