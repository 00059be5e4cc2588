"""EarlyStopping and Recorder: the stopping rule on sequences worked by hand, and
a recorded weight equal to the one a hand loop moves."""

import pytest

from nn import SGD, EarlyStopping, Neuron, Recorder, ZScoreScaler, datasets, fit
from nn.history import format_number

X_RAW, Y01 = datasets.seed004_heights()
X_Z = ZScoreScaler().fit_transform(X_RAW)


def feed(cb, keys, values, model=None):
    """Run a callback over a sequence of logs; the epoch at which it stopped."""
    cb.on_train_begin(model or Neuron(1), keys)
    for epoch, logs in enumerate(values, 1):
        if cb.on_epoch_end(epoch, logs):
            return epoch
    return None


def test_patience_counts_epochs_without_improvement():
    # best 4.0 at epoch 2; epochs 3 and 4 do not beat it: patience 2 stops at 4
    losses = [5.0, 4.0, 4.5, 4.2, 3.0]
    es = EarlyStopping(patience=2)
    assert feed(es, ["loss"], [{"loss": v} for v in losses]) == 4
    assert (es.best, es.best_epoch, es.stopped_epoch) == (4.0, 2, 4)


def test_min_delta_is_the_improvement_that_counts():
    # 4.95 beats 5.0 by 0.05 < 0.1: not an improvement; 4.8 is
    es = EarlyStopping(patience=2, min_delta=0.1)
    assert feed(es, ["loss"], [{"loss": v} for v in (5.0, 4.95, 4.8, 4.75, 4.72)]) == 5
    assert (es.best, es.best_epoch) == (4.8, 3)


def test_accuracy_is_maximised_and_val_loss_preferred():
    es = EarlyStopping(monitor="accuracy", patience=1)
    logs = [{"loss": 1, "accuracy": a} for a in (0.5, 0.7, 0.7)]
    assert feed(es, ["loss", "accuracy"], logs) == 3
    es = EarlyStopping(patience=1)  # with validation data it watches val_loss, not loss
    logs = [{"loss": 3 - e, "val_loss": v} for e, v in enumerate((1.0, 0.9, 0.95))]
    assert feed(es, ["loss", "val_loss"], logs) == 3 and es.best == 0.9
    es = EarlyStopping(monitor="loss", mode="max", patience=1)
    assert feed(es, ["loss"], [{"loss": v} for v in (1.0, 2.0, 1.5)]) == 3


def test_never_stopping_leaves_stopped_epoch_none():
    es = EarlyStopping(patience=3)
    assert feed(es, ["loss"], [{"loss": 1 / e} for e in range(1, 10)]) is None
    assert es.stopped_epoch is None and es.best_epoch == 9


def test_early_stopping_in_fit_and_restoring_the_best_weights():
    # accuracy on this separable table climbs to 1 and cannot improve after
    model = Neuron(2, activation=None, seed=4)
    free = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=40)
    first_best = free["accuracy"].index(max(free["accuracy"])) + 1

    model = Neuron(2, activation=None, seed=4)
    es, rec = EarlyStopping(monitor="accuracy", patience=3, restore_best=True), Recorder()
    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=40,
            callbacks=[es, rec])
    assert len(h) == first_best + 3 and h.stopped_by is es
    assert h["accuracy"] == free["accuracy"][:len(h)]
    assert es.best_epoch == first_best and es.stopped_epoch == first_best + 3
    # the model ends with the weights it had after its best epoch
    assert model.state_dict() == {k: v[first_best] for k, v in rec.values.items()}
    assert f"stopped after epoch {first_best + 3} by EarlyStopping(monitor='accuracy'" in str(h)
    # and the table says so: its last rows are not the weights the model has
    best = format_number(free["accuracy"][first_best - 1])
    assert str(h).splitlines()[-1] == (f"the model has the weights of epoch {first_best}, its "
                                       f"best accuracy ({best}), restored by EarlyStopping")
    assert h.notes == [str(h).splitlines()[-1]]


def test_no_restore_note_when_the_best_epoch_is_the_last():
    model = Neuron(2, activation=None, seed=4)
    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.01), epochs=3,
            callbacks=[EarlyStopping(monitor="loss", restore_best=True)])
    assert h["loss"] == sorted(h["loss"], reverse=True)  # falling: epoch 3 is the best
    assert h.notes == [] and "restored" not in str(h)


def test_recorder_follows_a_weight_as_a_hand_loop_moves_it():
    # full batch: one update per epoch, w ← w − lr·∂L/∂w, by hand
    hand = Neuron(2, activation=None, seed=4)
    values, grads = [hand.w[0].data], []
    for _ in range(5):
        loss = sum((hand(x) - t) ** 2 for x, t in zip(X_Z, Y01)) / 9
        for p in hand.parameters():
            p.grad = 0.0
        loss.backward()
        grads.append(hand.w[0].grad)
        for p in hand.parameters():
            p.data -= 0.1 * p.grad
        values.append(hand.w[0].data)

    model = Neuron(2, activation=None, seed=4).relabel({"w1": "w_height"})
    rec = Recorder("w_height", "b", grads=True)
    fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=5,
        callbacks=[rec])
    assert rec.epochs == [0, 1, 2, 3, 4, 5]
    assert rec.values["w_height"] == pytest.approx(values, rel=1e-14)
    assert rec.grads["w_height"] == pytest.approx(grads, rel=1e-13)
    assert len(rec.values["b"]) == 6 and len(rec.grads["b"]) == 5


def test_recorder_defaults_to_every_parameter_by_name():
    model = Neuron(2, activation=None, seed=4)
    rec = Recorder()
    fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
        callbacks=[rec])
    assert list(rec.values) == ["w1", "w2", "b"] and rec.grads == {}
    assert [v[-1] for v in rec.values.values()] == [p.data for p in model.parameters()]


def test_callback_validation():
    with pytest.raises(ValueError, match="patience must be a positive int"):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max'"):
        EarlyStopping(mode="up")
    with pytest.raises(ValueError, match="min_delta must be at least 0"):
        EarlyStopping(min_delta=-1)
    with pytest.raises(TypeError, match="Recorder takes parameter names or labels"):
        Recorder(Neuron(1).w[0])
