"""The intent classifier's weight layout: same predictions, no copy of the weights per message."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from nlu.components.intent_classifier import contiguous_transpose


def test_predictions_unchanged_and_transpose_contiguous() -> None:
    rng = np.random.default_rng(7)
    X = sp.random(300, 5000, density=0.01, format="csr", random_state=7)
    y = rng.integers(0, 6, size=300)
    clf = LogisticRegression(max_iter=300).fit(X, y)
    before = clf.predict_proba(X[:50])
    assert not clf.coef_.T.flags["C_CONTIGUOUS"]  # what scipy copies on every call
    contiguous_transpose(clf)
    assert clf.coef_.T.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(clf.predict_proba(X[:50]), before, rtol=1e-12)


def test_unfitted_model_is_left_alone() -> None:
    clf = LogisticRegression()
    contiguous_transpose(clf)
    assert not hasattr(clf, "coef_")
