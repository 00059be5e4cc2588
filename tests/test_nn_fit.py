"""fit and evaluate: a convex problem reaching its closed-form minimum, micrograd's
moons demo reaching 100%, History's numbers equal to a hand-written loop's, and
every bad argument refused before the first step."""

import math

import numpy as np
import pytest

import autograd
from nn import (MLP, SGD, Adam, DataLoader, Layer, LinearLR, Neuron, ZScoreScaler, datasets,
                evaluate, fit)

X_RAW, Y01 = datasets.seed004_heights()
X_Z = ZScoreScaler().fit_transform(X_RAW)


def hand_loop(model, X, y, *, epochs, batch_size, seed, lr, l2=0.0, max_steps=None):
    """Seed 004's recipe written out with the engine: shuffled batches of M
    (DataLoader), each sample forward on its own, the batch's mean squared
    error (+ l2·Σp²) back-propagated, one SGD update; per epoch the
    size-weighted mean batch loss and the accuracy of the outputs seen
    (0/1 labels, threshold ½).  Stops after `max_steps` updates if given."""
    loader = DataLoader(list(zip(X, y)), batch_size, seed=seed)
    params = model.parameters()
    losses, accs, steps = [], [], []
    for _ in range(epochs):
        total = hits = seen = 0
        for batch in loader:
            if max_steps is not None and len(steps) == max_steps:
                return losses, accs, steps
            outs = [model(x) for x, _ in batch]
            loss = autograd.mean([(o - t) ** 2 for o, (_, t) in zip(outs, batch)])
            if l2:
                loss = loss + l2 * sum(p * p for p in params)
            for p in params:
                p.grad = 0.0
            loss.backward()
            for p in params:
                p.data -= lr * p.grad
            steps.append(loss.data)
            total += loss.data * len(batch)
            seen += len(batch)
            hits += sum((o.data > 0.5) == (t == 1) for o, (_, t) in zip(outs, batch))
        losses.append(total / seen)
        accs.append(hits / seen)
    return losses, accs, steps


def linear_neuron():
    return Neuron(2, activation=None, seed=4)


# -- independent expectations ----------------------------------------------------

def test_history_equals_a_hand_loop():
    by_hand = linear_neuron()
    losses, accs, steps = hand_loop(by_hand, X_Z, Y01, epochs=6, batch_size=4, seed=0, lr=0.1)
    model = linear_neuron()
    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=6,
            batch_size=4, seed=0, step_loss=True)
    assert h.epochs == [1, 2, 3, 4, 5, 6]
    assert h["loss"] == losses and h["accuracy"] == accs and h.step_loss == steps
    assert len(steps) == 6 * 3  # 9 samples in batches of 4: ⌈9/4⌉ = 3 updates per epoch
    assert model.state_dict() == by_hand.state_dict()


def test_history_with_an_l2_penalty_equals_a_hand_loop():
    by_hand = linear_neuron()
    losses, _, _ = hand_loop(by_hand, X_Z, Y01, epochs=4, batch_size=9, seed=0, lr=0.2, l2=0.01)
    model = linear_neuron()
    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.2), epochs=4,
            l2=0.01, metrics=())
    assert h["loss"] == pytest.approx(losses, rel=1e-14)
    assert model.state_dict() == pytest.approx(by_hand.state_dict(), rel=1e-13)


def test_a_convex_problem_reaches_its_closed_form_minimum():
    # least squares on seed 004's z-scored table: the optimum solves the normal
    # equations (numpy's lstsq); the mean squared error there is 0.0370
    A = np.column_stack([np.array(X_Z), np.ones(9)])
    best = np.linalg.lstsq(A, np.array(Y01, float), rcond=None)[0]
    best_loss = float(np.mean((A @ best - Y01) ** 2))
    model = Neuron(2, activation=None, init="zeros")
    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.3), epochs=1500,
            metrics=())
    assert [p.data for p in model.parameters()] == pytest.approx(list(best), abs=1e-10)
    assert h["loss"][-1] == pytest.approx(best_loss, abs=1e-12)
    assert round(best_loss, 4) == 0.0370
    assert all(a >= b - 1e-15 for a, b in zip(h["loss"], h["loss"][1:]))  # GD, lr < 1/L


def test_mini_batches_reach_an_exact_fit():
    # y = 2·x1 − 3·x2 + 0.5 holds on every sample, so every batch has the same
    # minimiser and shuffled mini-batch SGD converges to it exactly
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(20, 2)).tolist()
    y = [2 * a - 3 * b + 0.5 for a, b in X]
    model = Neuron(2, activation=None, init="zeros")
    h = fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=300,
            batch_size=5, seed=1, metrics=())
    assert [p.data for p in model.parameters()] == pytest.approx([2, -3, 0.5], abs=1e-9)
    assert h["loss"][-1] < 1e-18


def test_micrograds_moons_demo_reaches_100_percent():
    X, y = datasets.moons(100, noise=0.1, seed=0, labels=(-1, 1))
    model = MLP(2, [16, 16, 1], seed=1)
    opt = SGD(model.parameters(), lr=LinearLR(1.0, end_factor=0.1, total_iters=100))
    h = fit(model, X, y, loss="hinge", l2=1e-4, optimizer=opt, epochs=100)
    assert h["accuracy"][-1] == 1.0
    assert evaluate(model, X, y, loss="hinge")["accuracy"] == 1.0
    # micrograd's loop, scored by hand: every sample on the right side of 0
    with autograd.no_grad():
        assert all((model(x).data > 0) == (t > 0) for x, t in zip(X, y))


def test_validation_logs_are_the_models_numbers_after_each_epoch():
    Xv, yv = X_Z[:4], Y01[:4]
    model = linear_neuron()
    seen = []

    def after_epoch(epoch, logs):  # what evaluate says right after the epoch
        seen.append(evaluate(model, Xv, yv, loss="mse"))

    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=3,
            validation=(Xv, yv), callbacks=[after_epoch])
    assert h.keys() == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert h["val_loss"] == [s["loss"] for s in seen]
    assert h["val_accuracy"] == [s["accuracy"] for s in seen]
    with autograd.no_grad():
        by_hand = sum((model(x).data - t) ** 2 for x, t in zip(Xv, yv)) / 4
    assert h["val_loss"][-1] == pytest.approx(by_hand, rel=1e-14)


def test_losses_by_name_equal_losses_as_functions():
    import nn
    runs = []
    for loss in ("half_sse", nn.half_sse, lambda p, t: 0.5 * (p - t) ** 2):
        model = linear_neuron()
        runs.append(fit(model, X_Z, Y01, loss=loss, optimizer=SGD(model.parameters(), lr=0.1),
                        epochs=3, metrics=())["loss"])
    assert runs[0] == runs[1] == pytest.approx(runs[2], rel=1e-15)


def test_accuracy_of_logits_is_thresholded_at_zero():
    # logits 0.1 to 0.4 for every sample: σ > ½, all class 1, so 5 of 9 right
    model = MLP.from_weights([[[0.0, 0.0]]], [[0.25]], activations=None)
    logs = evaluate(model, X_Z, Y01, loss="bce_with_logits")
    assert logs["accuracy"] == 5 / 9
    assert logs["loss"] == pytest.approx(math.log1p(math.exp(-0.25)) * 5 / 9
                                         + math.log1p(math.exp(0.25)) * 4 / 9, rel=1e-14)
    assert evaluate(model, X_Z, Y01, loss="mse")["accuracy"] == 4 / 9  # 0.25 < ½: all class 0


def test_softmax_classes_train_and_score_by_argmax():
    X, y = datasets.blobs(60, centers=[[-2, 0], [2, 0], [0, 2.5]], std=0.3, seed=0)
    model = MLP(2, [8, 3], seed=0)
    h = fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters(), lr=0.05),
            epochs=40, batch_size=10, seed=0)
    with autograd.no_grad():
        argmax = [max(range(3), key=lambda k: model(x)[k].data) for x in X]
    assert evaluate(model, X, y, loss="softmax_cross_entropy")["accuracy"] == \
        sum(a == t for a, t in zip(argmax, y)) / 60 == 1.0
    assert h["loss"][-1] < h["loss"][0]


def test_a_layer_and_one_hot_targets():
    model = Layer(2, 2, activation="softmax", seed=0)
    y = [[1.0, 0.0] if t else [0.0, 1.0] for t in Y01]
    h = fit(model, X_Z, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=1.0),
            epochs=100)
    assert h["accuracy"][-1] == 1.0


# -- callbacks, stopping, exceptions ---------------------------------------------

def test_a_function_callback_stops_training():
    model = linear_neuron()
    logs_seen = []

    def enough(epoch, logs):
        logs_seen.append((epoch, logs["loss"]))
        return logs["loss"] < 0.1

    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=100,
            callbacks=[enough])
    first = next(k for k, v in enumerate(h["loss"]) if v < 0.1)
    assert len(h) == first + 1 and h["loss"][-2] >= 0.1
    assert logs_seen == list(zip(h.epochs, h["loss"]))
    assert "stopped after epoch" in str(h) and h.stopped_by is not None


def test_an_exception_in_a_callback_leaves_the_last_finished_step():
    by_hand = linear_neuron()
    hand_loop(by_hand, X_Z, Y01, epochs=3, batch_size=4, seed=0, lr=0.1)

    def boom(epoch, logs):
        if epoch == 3:
            raise RuntimeError("the callback failed")

    model = linear_neuron()
    with pytest.raises(RuntimeError, match="the callback failed"):
        fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=10,
            batch_size=4, seed=0, callbacks=[boom])
    assert model.state_dict() == by_hand.state_dict()


def test_an_exception_mid_epoch_leaves_the_last_finished_step():
    # the loss fails while epoch 2's second batch runs forward: 3 + 1 updates done
    by_hand = linear_neuron()
    hand_loop(by_hand, X_Z, Y01, epochs=2, batch_size=4, seed=0, lr=0.1, max_steps=4)
    calls = []

    def fragile(pred, target):
        calls.append(1)
        if len(calls) == 9 + 9 + 4 + 2:  # the up-front check, epoch 1, batch 1, 2 samples
            raise ArithmeticError("the loss failed")
        return (pred - target) ** 2

    model = linear_neuron()
    with pytest.raises(ArithmeticError):
        fit(model, X_Z, Y01, loss=fragile, optimizer=SGD(model.parameters(), lr=0.1), epochs=5,
            batch_size=4, seed=0)
    assert model.state_dict() == by_hand.state_dict()


def test_a_callback_returning_something_else_is_an_error():
    model = linear_neuron()
    with pytest.raises(TypeError, match=r"returned \[1\]; on_epoch_end returns True to stop"):
        fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=3,
            callbacks=[lambda e, logs: [1]])


# -- bad input: refused before any training ----------------------------------------

def fresh():
    model = MLP(2, [3, 1], seed=0)
    return model, SGD(model.parameters(), lr=0.1)


BAD = [
    (dict(y=Y01[:8]), ValueError, r"X has 9 samples but y has 8: each input needs one target"),
    (dict(model=MLP(2, [3]), loss="hinge", y=[1, -1] * 4 + [1]), ValueError,
     r"y\[0\] = 1 does not fit the loss hinge for a model with 3 outputs: hinge: predictions "
     r"and targets differ in length \(3 and 1\)"),
    (dict(model=MLP(2, [1]), loss="softmax_cross_entropy", y=[2] * 9), ValueError,
     r"y\[0\] = 2 does not fit the loss softmax_cross_entropy for a model with 1 output: .*"
     r"class index 2 is out of range for 1 classes"),
    (dict(loss="hinge"), ValueError,
     r"y\[3\] = 0 does not fit the loss hinge for a model with 1 output: hinge: label 1 is 0.0; "
     r"labels must be the numbers -1 or \+1 \(map 0/1 labels with 2y − 1\)"),
    (dict(X=X_Z[:3] + [[math.nan, 0.0]] + X_Z[4:]), ValueError,
     r"X\[3\]\[0\] must be a finite number, got nan"),
    (dict(epochs=0), ValueError, "epochs must be at least 1, got 0"),
    (dict(batch_size=10), ValueError,
     r"batch_size 10 is larger than the data \(9 samples\); use batch_size=None"),
    (dict(X=[[1.0, 2.0, 3.0]] * 9), ValueError, r"X\[0\] has 3 features but the model takes 2"),
    (dict(loss="mean_squared"), ValueError,
     "unknown loss 'mean_squared'; losses by name: sse, mse, "),
    (dict(optimizer=SGD(MLP(2, [1]).parameters(), lr=0.1)), ValueError,
     r"the optimizer holds 3 parameters that are not this model's"),
    (dict(y=[0.3] * 9, loss="mse"), ValueError,
     r"metric accuracy: accuracy: target 1 is 0.3; .*for a regression give metrics=\(\)"),
    (dict(loss="binary_cross_entropy"), ValueError,
     r"y\[0\] = 1 does not fit the loss binary_cross_entropy for a model with 1 output: .*"
     r"probability 1 is 1.05.*, outside the open interval \(0, 1\)"),  # a linear output
    (dict(model=MLP(2, [1], activations="sigmoid"), loss="binary_cross_entropy", y=[2] * 9),
     ValueError, r"y\[0\] = 2 does not fit the loss binary_cross_entropy.*targets lie in \[0, 1\]"),
    (dict(metrics=("precision",)), ValueError, "unknown metric 'precision'"),
    (dict(l2=-1e-4), ValueError, "l2 must be at least 0"),
    (dict(validation=(X_Z, Y01[:2])), ValueError,
     "validation: X has 9 samples but y has 2"),
    (dict(callbacks=[42]), TypeError, "a callback is an nn.Callback or a function"),
    (dict(validation=(X_Z,)), TypeError,  # was the whole of X_Z, printed
     r"^validation must be a pair \(X, y\), got a tuple of 1$"),
    (dict(validation=X_Z), TypeError, r"^validation must be a pair \(X, y\), got a list of 9$"),
    (dict(validation="val.csv"), TypeError, r"^validation must be a pair \(X, y\), got 'val.csv'$"),
    (dict(epochs=2.5), TypeError, "epochs must be a positive int, got 2.5"),
    (dict(model=lambda x: x), TypeError, "fit trains an nn model"),
]


@pytest.mark.parametrize("change, error, message", BAD, ids=[m[:40] for _, _, m in BAD])
def test_bad_input_fails_before_training(change, error, message, capsys):
    model, opt = fresh()
    args = dict(model=model, X=X_Z, y=Y01, loss="mse", optimizer=opt, epochs=5)
    args.update(change)
    if "model" in change and isinstance(change["model"], MLP) and "optimizer" not in change:
        args["optimizer"] = SGD(change["model"].parameters(), lr=0.1)
    model, opt = args["model"], args["optimizer"]
    before = model.state_dict() if hasattr(model, "state_dict") else None
    with pytest.raises(error, match=message) as e:
        fit(args.pop("model"), args.pop("X"), args.pop("y"), **args)
    assert "\n" not in str(e.value)
    assert opt.step_count == 0
    if before is not None:
        assert model.state_dict() == before
    assert capsys.readouterr() == ("", "")


def test_a_callback_that_cannot_work_fails_before_training():
    from nn import EarlyStopping, Recorder
    model, opt = fresh()
    with pytest.raises(ValueError, match=r"EarlyStopping monitors 'val_loss', which fit does not "
                                         r"log \(val_… logs need fit\(..., validation="):
        fit(model, X_Z, Y01, loss="mse", optimizer=opt, epochs=3,
            callbacks=[EarlyStopping(monitor="val_loss")])
    with pytest.raises(KeyError, match="no parameter named or labelled 'w9'"):
        fit(model, X_Z, Y01, loss="mse", optimizer=opt, epochs=3, callbacks=[Recorder("w9")])
    assert opt.step_count == 0


def test_evaluate_checks_its_arguments_too():
    with pytest.raises(ValueError, match="X has 9 samples but y has 1"):
        evaluate(linear_neuron(), X_Z, [1], loss="mse")
    with pytest.raises(TypeError, match="the loss <lambda> must return a Value"):
        evaluate(linear_neuron(), X_Z, Y01, loss=lambda p, t: 0.0)


def test_a_number_per_sample_is_a_one_input_row():
    model = Neuron(1, activation=None, init="zeros")
    xs = [k / 4 for k in range(-4, 5)]
    h = fit(model, xs, [3 * x - 1 for x in xs], loss="mse",
            optimizer=SGD(model.parameters(), lr=0.3), epochs=300, metrics=())
    assert [p.data for p in model.parameters()] == pytest.approx([3, -1], abs=1e-9)
    assert all(type(v) is float for v in h["loss"])  # the logs are plain floats, not Values


def test_metrics_by_name_function_or_dict():
    def hits(outputs, targets):
        return sum((o > 0.5) == (t == 1) for o, t in zip(outputs, targets))

    model = linear_neuron()
    h = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
            metrics="accuracy")
    assert h.keys() == ["loss", "accuracy"] and h.stopped_by is None
    model = linear_neuron()
    h2 = fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
             metrics=[hits, "accuracy"])
    assert h2["hits"] == [9 * a for a in h["accuracy"]] and h2["accuracy"] == h["accuracy"]
    with pytest.raises(TypeError, match=r"a lambda: metrics=\{'name': f\}"):
        fit(model, X_Z, Y01, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
            metrics=[lambda o, t: 0.0])
    model = linear_neuron()
    h3 = fit(model, X_Z, Y01, loss="mse", epochs=1, optimizer=SGD(model.parameters(), lr=0.1),
             metrics={"zero": lambda o, t: 0})
    assert h3["zero"] == [0.0]
