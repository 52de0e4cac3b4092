"""Error-value preprocessing and exact Jaccard clustering of the study."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from nbcrash_kernel.study.cluster import cluster_error_values, cluster_processed_values
from nbcrash_kernel.study.errtext import preprocess_error_value, tokens
from nbcrash_kernel.study.jaccard import canonical_labels, is_linked, jaccard_components, naive_components


def test_issue_examples():
    assert preprocess_error_value("name 'x' is not defined") == "name is not defined"
    assert preprocess_error_value("'GridSearchCV' object has no attribute 'best_params_'") == "object has no attribute"
    assert preprocess_error_value("[Errno 2] No such file or directory: 'GloVe/glove.840B.300d.txt'") == \
        "errno no such file or directory"


def test_each_preprocessing_step():
    assert preprocess_error_value("a\r\nb\rc\nd\\ne") == "a b c d e"          # newline forms
    assert preprocess_error_value("see np.array now") == "see now"            # dotted tokens
    assert preprocess_error_value("x1 y_z plain") == "plain"                  # digits, underscores
    assert preprocess_error_value("keep 'drop me' and 'me too' end") == "keep and end"  # non-greedy quotes
    assert preprocess_error_value("Shape (a, b)!  MISMATCH") == "shape a b mismatch"
    assert preprocess_error_value(None) == "" and preprocess_error_value("'k'") == ""


def test_threshold_is_inclusive_and_exact():
    seven = frozenset("abcdefg")
    assert is_linked(seven, seven | {"h", "i", "j"})         # 7/10 = 0.7
    assert not is_linked(seven, seven | {"h", "i", "j", "k"})  # 7/11
    assert not is_linked(frozenset(), frozenset())


def test_empty_values_form_one_extra_cluster():
    values = ["'a'", "name 'x' is not defined", "12", "name 'y' is not defined", "totally different words"]
    result = cluster_error_values(values)
    assert result.cluster[0] == result.cluster[2]                    # both empty
    assert result.cluster[1] == result.cluster[3]                    # same processed value
    assert len({result.cluster[0], result.cluster[1], result.cluster[4]}) == 3
    assert result.n_clusters == 3


def test_clusters_numbered_by_size():
    processed = ["b c d", "x y", "b c d", "b c d e", "x y"]
    labels = cluster_processed_values(processed)
    assert labels == [0, 1, 0, 0, 1]


def test_transitive_chain_joins_components():
    a = {f"t{i}" for i in range(1, 8)}
    b = a | {"t8"}
    c = (b - {"t1"}) | {"t9"}
    assert is_linked(frozenset(a), frozenset(b)) and is_linked(frozenset(b), frozenset(c))
    assert not is_linked(frozenset(a), frozenset(c))
    assert len(set(jaccard_components([a, c, b]))) == 1
    assert len(set(jaccard_components([a, c]))) == 2


words = st.sampled_from([f"w{i}" for i in range(12)])
token_sets = st.lists(st.frozensets(words, min_size=0, max_size=9), min_size=0, max_size=40)


@settings(max_examples=200, deadline=None)
@given(token_sets)
def test_fast_components_equal_all_pairs(sets):
    assert canonical_labels(jaccard_components(sets)) == canonical_labels(naive_components(sets))


@settings(max_examples=50, deadline=None)
@given(token_sets, st.sampled_from([0.5, 0.7, 0.9, 1.0]))
def test_fast_components_equal_all_pairs_any_threshold(sets, threshold):
    assert canonical_labels(jaccard_components(sets, threshold)) == \
        canonical_labels(naive_components(sets, threshold))


def test_tokens_are_word_sets():
    assert tokens("a b a") == frozenset({"a", "b"})
