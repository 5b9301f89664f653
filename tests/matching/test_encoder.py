"""The numpy MiniLM gives the reference implementation's similarities."""

import numpy as np
import pytest

from matching import encoder as enc


@pytest.fixture(scope="module")
def model():
    return enc.encoder()


def test_encoder_reproduces_the_model_cards_worked_example(model):
    # sentence-transformers' documentation for all-MiniLM-L6-v2 prints this similarity matrix for these sentences.
    vectors = model.encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    similarity = vectors @ vectors.T
    expected = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    assert np.abs(similarity - expected).max() < 5e-4


def test_vectors_are_unit_length_and_independent_of_the_batch(model):
    texts = ["Crime fell by 20% last year.", "x", "", "A much longer sentence " * 40]
    together = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.abs(together - alone).max() < 1e-4


def test_a_paraphrase_is_closer_than_an_unrelated_claim(model):
    claim, paraphrase, other = model.encode(
        [
            "Unemployment in Spain has fallen to its lowest level since 2008.",
            "Spanish joblessness is at a fourteen-year low.",
            "The Eiffel Tower was built for the 1889 World's Fair.",
        ]
    )
    assert claim @ paraphrase > claim @ other + 0.2


def test_stored_vectors_keep_three_decimals_of_cosine(model):
    a, b = model.encode(["Taxes went up.", "The government raised taxes."])
    stored = enc.from_bytes(enc.to_bytes(a))
    assert len(enc.to_bytes(a)) == 2 * enc.DIMENSIONS
    assert abs(stored @ b - a @ b) < 1e-3
