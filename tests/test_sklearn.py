"`LogisticProbe` as a scikit-learn estimator, and the bad hyperparameters and inputs it refuses"
import warnings
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_estimator
from w2s_nb.probes import LogisticProbe, auroc, l2_from_C


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 8))
    y = (X @ rng.normal(size=8) + rng.normal(size=600) > 0).astype(int)
    return X, y


def test_params_and_clone():
    probe = LogisticProbe(l2=0.01, solver="newton", device="cpu")
    assert is_classifier(probe)
    assert probe.get_params() == dict(l2=0.01, max_iter=500, tol=1e-6, solver="newton", device="cpu")
    copy = clone(probe)
    assert copy is not probe and copy.get_params() == probe.get_params()
    assert copy.set_params(l2=0.5).l2 == 0.5 and probe.l2 == 0.01
    assert clone(LogisticProbe()).get_params()["device"] is None    # None is kept, resolved only in fit


def test_predict_proba_two_columns(data):
    X, y = data
    probe = LogisticProbe(device="cpu").fit(X, y)
    proba = probe.predict_proba(X)
    assert proba.shape == (len(X), 2) and list(probe.classes_) == [0, 1] and probe.n_features_in_ == 8
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(proba[:, 1], probe.predict_proba1(X))
    np.testing.assert_array_equal(probe.predict(X), probe.classes_[proba.argmax(1)])


def test_same_accuracy_as_logistic_regression(data):
    X, y = data
    train, test = slice(0, 400), slice(400, None)
    probe = LogisticProbe(l2=l2_from_C(1.0, 400), tol=1e-8, device="cpu").fit(X[train], y[train])
    sk = LogisticRegression(C=1.0, tol=1e-8).fit(X[train], y[train])
    assert probe.score(X[test], y[test]) == sk.score(X[test], y[test])
    np.testing.assert_allclose(probe.predict_proba(X[test]), sk.predict_proba(X[test]), atol=1e-4)


def test_cross_val_pipeline_and_grid_search(data):
    X, y = data
    scores = cross_val_score(LogisticProbe(device="cpu"), X, y, cv=4)
    assert scores.shape == (4,) and scores.min() > 0.8
    pipe = make_pipeline(StandardScaler(), LogisticProbe(device="cpu")).fit(X[:400], y[:400])
    assert pipe.predict_proba(X[400:]).shape == (200, 2) and pipe.score(X[400:], y[400:]) > 0.8
    search = GridSearchCV(LogisticProbe(device="cpu"), {"l2": [1e-4, 1e-2]}, cv=3).fit(X, y)
    assert search.best_params_["l2"] in (1e-4, 1e-2)


def test_bad_hyperparameters_and_inputs(data):
    X, y = data
    with pytest.raises(TypeError, match="l2 must be a real number"): LogisticProbe(l2="0.1").fit(X, y)
    with pytest.raises(ValueError, match="max_iter must be >= 1"): LogisticProbe(max_iter=0).fit(X, y)
    with pytest.raises(ValueError, match="max_iter must be >= 1"): LogisticProbe(max_iter=-3).fit(X, y)
    with pytest.raises(ValueError, match="max_iter"): LogisticProbe().set_params(max_iter=0).fit(X, y)
    with pytest.raises(ValueError, match="0 feature"): LogisticProbe().fit(X[:, :0], y)
    with pytest.raises(ValueError, match="standardize"): LogisticProbe(device="cpu").fit(X * 1e20, y)
    with pytest.raises(ValueError, match="too large for the float32 fit"): LogisticProbe(device="cpu").fit(X * 1e300, y)
    with pytest.raises(TypeError, match="complex"): LogisticProbe().fit(X + 1j, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert np.isnan(auroc([1, 1, 1], [0.1, 0.2, 0.3]))
    assert any("one class" in str(w.message) for w in caught)


def test_scikit_learn_estimator_checks():
    "scikit-learn's own estimator checks, with the tag that says the probe is binary (multiclass targets are refused)"
    results = check_estimator(LogisticProbe(device="cpu"), on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"]
    assert not failed, failed
    assert sum(r["status"] == "passed" for r in results) >= 50
    skipped = {r["check_name"] for r in results if r["status"] == "skipped"}
    assert skipped <= {"check_array_api_input"}, skipped        # needs SCIPY_ARRAY_API set; nothing else may be skipped


def test_parameters_are_checked_in_fit_not_init(data):
    X, y = data
    probe = LogisticProbe(l2=-1, max_iter=0, solver="sgd")       # stored as given: scikit-learn's searches set them later
    assert probe.get_params()["l2"] == -1
    with pytest.raises(ValueError, match="l2 must be >= 0"): probe.fit(X, y)


def test_labels_other_than_zero_one(data):
    X, y = data
    ref = LogisticProbe(device="cpu").fit(X, y)
    for labels, classes in ((y + 1, [1, 2]), (2 * y - 1, [-1, 1]), (np.where(y == 1, "pos", "neg"), ["neg", "pos"])):
        probe = LogisticProbe(device="cpu").fit(X, labels)
        assert list(probe.classes_) == classes
        np.testing.assert_allclose(probe.coef_, ref.coef_, atol=1e-6)
        np.testing.assert_array_equal(probe.predict(X), np.asarray(classes)[ref.predict(X)])
        assert probe.score(X, labels) == ref.score(X, y)


def test_unsupported_input_is_named(data):
    from scipy import sparse
    X, y = data
    with pytest.raises(NotFittedError): LogisticProbe().predict(X)
    with pytest.raises(ValueError, match="Only binary classification is supported"): LogisticProbe().fit(X, np.arange(len(X)) % 3)
    with pytest.raises(ValueError, match="Unknown label type: continuous"): LogisticProbe().fit(X, X[:, 0] * 10)
    with pytest.raises(ValueError, match="the target y is None"): LogisticProbe().fit(X, None)
    with pytest.raises(TypeError, match="sparse input is not supported"): LogisticProbe().fit(sparse.csr_matrix(X), y)
    with pytest.raises(ValueError, match="Complex data not supported"): LogisticProbe().fit(X + 1j, y)
    with pytest.raises(ValueError, match="X is empty"): LogisticProbe().fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="one class"): LogisticProbe().fit(X[:1], y[:1])
    with pytest.raises(TypeError, match="must be numeric"): LogisticProbe().fit(np.array([["a", "b"]] * 4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="X is ragged"): LogisticProbe().fit([[1.0, 2.0], [3.0]], [0, 1])
