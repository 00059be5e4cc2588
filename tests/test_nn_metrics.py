"""accuracy on ±1 scores, 0/1 probabilities, logits and softmax outputs, counted by hand."""

import pytest

from autograd import Value
from nn import accuracy


def test_plus_minus_one_scores_split_at_zero():
    # micrograd: (y > 0) == (score > 0); a score of exactly 0 is the negative class
    scores = [0.3, -0.2, 0.0, 1.5, -4.0]
    labels = [1, -1, -1, -1, 1]          # right, right, right, wrong, wrong
    assert accuracy(scores, labels) == 3 / 5
    assert accuracy([Value(s) for s in scores], labels) == 3 / 5


def test_zero_one_labels_split_at_one_half():
    probs = [0.9, 0.6, 0.5, 0.2, 0.51]
    labels = [1, 0, 0, 0, 1]             # right, wrong, right, right, right
    assert accuracy(probs, labels) == 4 / 5
    assert accuracy(probs, [[t] for t in labels]) == 4 / 5   # one-element targets
    assert accuracy([[p] for p in probs], labels) == 4 / 5   # a Layer's one-element outputs


def test_logits_with_an_explicit_threshold():
    logits = [0.3, -0.1, 2.0, 0.2]
    labels = [1, 0, 1, 1]
    assert accuracy(logits, labels, threshold=0.0) == 4 / 4
    assert accuracy(logits, labels) == 2 / 4  # at ½: 0.3 and 0.2 become class 0


def test_several_outputs_take_the_largest():
    outs = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3], [2.0, -1.0, 3.0]]
    assert accuracy(outs, [0, 2, 0, 2]) == 3 / 4
    one_hot = [[1, 0, 0], [0, 0, 1], [1, 0, 0], [0, 0, 1]]
    assert accuracy(outs, one_hot) == 3 / 4


def test_targets_that_are_not_classes_are_refused():
    with pytest.raises(ValueError, match="target 2 is 0.3; with one output per sample, accuracy "
                                         "needs class labels, all 0/1 or all ±1"):
        accuracy([0.1, 0.2], [1, 0.3])
    with pytest.raises(ValueError, match="target 1 is 2; .*all 0/1 or all ±1"):
        accuracy([0.1], [2])
    with pytest.raises(ValueError, match="target 2 is class 3, outside 0..2 for 3 outputs"):
        accuracy([[1, 2, 3]] * 2, [0, 3])
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        accuracy([0.1, 0.2], [1])
