"""The expression language: what it accepts, the graphs it builds, what it
rejects and where it says the problem is."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import NumericError, Value, ZeroDivisionNumericError
from autograd.expr import (FUNCTIONS, MAX_BRACKET_DEPTH, MAX_LENGTH, MAX_NODES, MAX_OPERATORS,
                           ExprError, parse)


def sig(z):
    return 1 / (1 + math.exp(-z))


def grads(text, **values):
    root, leaves = parse(text).evaluate(values)
    root.backward()
    return root.data, {n: v.grad for n, v in leaves.items()}


# -- what it builds -------------------------------------------------------------------

def test_issue_example_value_and_gradients_by_hand():
    # u = w1*x1 + w2*x2 = 0.17 + 3.85 = 4.02, s = σ(u), L = (s − 2)²
    s = sig(4.02)
    dl_du = 2 * (s - 2) * s * (1 - s)
    value, g = grads("(sigmoid(w1*x1 + w2*x2) - 2)**2", w1=0.1, w2=1.1, x1=1.7, x2=3.5)
    assert value == pytest.approx((s - 2) ** 2, rel=1e-12)
    assert g == pytest.approx({"w1": dl_du * 1.7, "x1": dl_du * 0.1,
                               "w2": dl_du * 3.5, "x2": dl_du * 1.1}, rel=1e-12)


def test_names_in_order_of_first_appearance():
    assert parse("(sigmoid(w1*x1 + w2*x2) - 2)**2").names == ("w1", "x1", "w2", "x2")
    assert parse("b + a*b + c").names == ("b", "a", "c")
    assert parse("2 * 3").names == ()


def test_each_name_is_one_shared_leaf():
    expr = parse("x*x + x")
    root, leaves = expr.evaluate({"x": 3.0})
    x = leaves["x"]
    assert isinstance(x, Value) and x.label == "x" and x.is_leaf
    product = root.parents[0]
    assert product.parents == (x, x)
    root.backward()
    assert x.grad == 7.0  # d(x² + x)/dx = 2x + 1 at x = 3


def test_numbers_stay_numbers_and_number_parts_fold():
    root, leaves = parse("x * 2").evaluate({"x": 5})
    assert root.parents == (leaves["x"],) and root.args == (leaves["x"], 2.0)
    root, leaves = parse("x * (2 * 3 - 1)").evaluate({"x": 5})
    assert root.args == (leaves["x"], 5.0) and root.data == 25.0
    root, leaves = parse("2 ** 3 + sigmoid(0)").evaluate({})
    assert leaves == {} and root.is_leaf and root.data == 8.5


def test_operators_become_the_engine_ops():
    def op(text):
        root, _ = parse(text).evaluate({n: 2.0 for n in parse(text).names})
        return root.op.name

    assert [op(t) for t in ("x + y", "x - y", "x * y", "x / y", "-x", "1 / x", "x ** 2",
                            "2 ** x", "x ** y", "abs(x)", "leaky_relu(x, 0.2)")] == [
        "add", "sub", "mul", "div", "neg", "reciprocal", "pow", "rpow", "powv", "abs",
        "leaky_relu"]
    root, leaves = parse("+x").evaluate({"x": 1.0})
    assert root is leaves["x"]


def test_precedence_and_associativity_follow_the_usual_rules():
    assert parse("-x**2").evaluate({"x": 3})[0].data == -9.0
    assert parse("x**y**z").evaluate({"x": 2, "y": 3, "z": 2})[0].data == 512.0
    assert parse("x - y - z").evaluate({"x": 10, "y": 3, "z": 2})[0].data == 5.0
    assert parse("x / y / z").evaluate({"x": 12, "y": 3, "z": 2})[0].data == 2.0
    assert parse("2**-1").evaluate({})[0].data == 0.5
    assert parse("1 + 2 * 3").evaluate({})[0].data == 7.0


@pytest.mark.parametrize("name, f, df", [
    ("sigmoid", sig, lambda x: sig(x) * (1 - sig(x))),
    ("tanh", math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    ("exp", math.exp, math.exp),
    ("log", math.log, lambda x: 1 / x),
    ("sqrt", math.sqrt, lambda x: 0.5 / math.sqrt(x)),
    ("softplus", lambda x: math.log(1 + math.exp(x)), sig),
    ("relu", lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0),
    ("abs", abs, lambda x: 1.0 if x > 0 else -1.0),
])
@pytest.mark.parametrize("x", [0.7, 2.5])
def test_unary_functions(name, f, df, x):
    value, g = grads(f"{name}(x)", x=x)
    assert value == pytest.approx(f(x), rel=1e-12)
    assert g["x"] == pytest.approx(df(x), rel=1e-12)


def test_relu_and_abs_on_the_negative_side():
    assert grads("relu(x)", x=-1.5) == (0.0, {"x": 0.0})
    assert grads("abs(x)", x=-1.5) == (1.5, {"x": -1.0})


def test_leaky_relu_default_and_given_slope():
    assert grads("leaky_relu(x)", x=-2.0) == (pytest.approx(-0.02), {"x": pytest.approx(0.01)})
    assert grads("leaky_relu(x, 0.2)", x=-2.0) == (pytest.approx(-0.4), {"x": pytest.approx(0.2)})
    assert grads("leaky_relu(x, -0.1 + 0.3)", x=3.0) == (3.0, {"x": 1.0})


def test_nary_functions():
    value, g = grads("sum(a, 2*b, c)", a=1, b=2, c=3)
    assert value == 8.0 and g == {"a": 1.0, "b": 2.0, "c": 1.0}
    value, g = grads("mean(a, b, 3)", a=1, b=2)
    assert value == 2.0 and g == pytest.approx({"a": 1 / 3, "b": 1 / 3})
    e = [math.exp(1), math.exp(2)]
    value, g = grads("logsumexp(a, b)", a=1, b=2)
    assert value == pytest.approx(math.log(sum(e)))
    assert g == pytest.approx({"a": e[0] / sum(e), "b": e[1] / sum(e)})


def test_dot_and_linear():
    value, g = grads("dot((w1, w2), (x1, x2))", w1=0.2, w2=0.1, x1=0.2, x2=0.5)
    assert value == pytest.approx(0.09)  # seed 000: z10 = 0.2×0.2 + 0.1×0.5
    assert g == pytest.approx({"w1": 0.2, "w2": 0.5, "x1": 0.2, "x2": 0.1})
    root, leaves = parse("linear([w1, w2], [x1, 2], b)").evaluate(
        {"w1": 1.0, "w2": 3.0, "x1": 4.0, "b": 0.5})
    assert root.op.name == "linear" and root.data == 10.5
    root.backward()
    assert {n: v.grad for n, v in leaves.items()} == {"w1": 4.0, "w2": 2.0, "x1": 1.0, "b": 1.0}


def test_whitespace_newlines_inside_brackets_and_leading_blanks():
    assert parse("  \t x *\ty").evaluate({"x": 2, "y": 3})[0].data == 6.0
    assert parse("(x\n + y)").evaluate({"x": 2, "y": 3})[0].data == 5.0
    assert parse("\r\n(x +\r\n y)").names == ("x", "y")


def test_number_literals():
    assert parse("1_000 + 0x10 + 1.5e-1 + .5").evaluate({})[0].data == 1016.65


def test_each_evaluation_builds_a_new_graph():
    expr = parse("x * y")
    a, la = expr.evaluate({"x": 2, "y": 3})
    b, lb = expr.evaluate({"x": 4, "y": 5})
    assert a.data == 6 and b.data == 20 and la["x"] is not lb["x"]


@settings(max_examples=200, deadline=None)
@given(st.recursive(
    st.sampled_from(["a", "b", "c", "0.5", "2"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["tanh", "sigmoid", "-"]), inner).map(
            lambda t: f"{t[0]}({t[1]})")),
    max_leaves=12),
    st.tuples(*[st.floats(-2, 2)] * 3))
def test_random_expressions_match_plain_math_and_finite_differences(text, point):
    env = dict(zip("abc", point))

    def value_at(env):  # the same text computed with Python floats and math, by hand
        return _evaluate_by_hand(text, env)

    expr = parse(text)
    values = {n: env[n] for n in expr.names}
    root, leaves = expr.evaluate(values)
    assert root.data == pytest.approx(value_at(env), rel=1e-9, abs=1e-12)
    root.backward()
    h = 1e-6
    for n, leaf in leaves.items():
        up, down = dict(env, **{n: env[n] + h}), dict(env, **{n: env[n] - h})
        numeric = (value_at(up) - value_at(down)) / (2 * h)
        assert leaf.grad == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def _evaluate_by_hand(text, env):
    """A tiny recursive-descent reader for the generated grammar (fully
    parenthesised binary ops, prefix functions): an oracle independent of ast."""
    pos = 0

    def term():
        nonlocal pos
        if text[pos] == "(":
            pos += 1
            left = term()
            op = text[pos + 1]
            pos += 3
            right = term()
            pos += 1  # ")"
            return {"+": left + right, "-": left - right, "*": left * right}[op]
        for fname, f in (("tanh(", math.tanh), ("sigmoid(", sig), ("-(", lambda v: -v)):
            if text.startswith(fname, pos):
                pos += len(fname)
                v = term()
                pos += 1
                return f(v)
        for token in ("0.5", "2", "a", "b", "c"):
            if text.startswith(token, pos):
                pos += len(token)
                return float(token) if token[0].isdigit() else env[token]
        raise AssertionError(f"unexpected text at {pos}: {text[pos:]}")

    return term()


# -- binding values ------------------------------------------------------------------------

def test_missing_and_extra_names_are_listed():
    expr = parse("w1*x1 + w2*x2")
    with pytest.raises(ExprError) as e:
        expr.evaluate({"w1": 1, "x1": 2, "z": 3, "q": 4})
    message = str(e.value)
    assert "no value for w2, x2" in message
    assert "z, q are not in the expression" in message
    assert "inputs: w1, x1, w2, x2" in message


@pytest.mark.parametrize("bad", ["0.5", True, None, float("nan"), float("inf")])
def test_values_must_be_finite_real_numbers(bad):
    with pytest.raises(ExprError, match="the value of y"):
        parse("x + y").evaluate({"x": 1.0, "y": bad})


# -- building on existing nodes ----------------------------------------------------------------

def test_names_can_be_existing_nodes():
    # a·x + a with a = p·q = 2·1 and x = 3: 8; ∂/∂a = x + 1 = 4, ∂/∂x = a = 2,
    # ∂/∂p = 4·q = 4, ∂/∂q = 4·p = 8
    p, q = Value(2.0, "p"), Value(1.0, "q")
    a = (p * q).named("a")
    root, by_name = parse("a*x + a").evaluate({"x": 3.0}, {"a": a})
    assert root.data == 8.0
    assert by_name["a"] is a and by_name["x"].label == "x" and by_name["x"].is_leaf
    root.backward()
    assert (a.grad, by_name["x"].grad, p.grad, q.grad) == (4.0, 2.0, 4.0, 8.0)
    # every name a node: no new leaf at all
    out, by_name = parse("a*a").evaluate({}, {"a": a})
    assert out.parents == (a, a) and by_name == {"a": a}


@pytest.mark.parametrize("values, nodes, error, message", [
    ({"a": 1.0, "x": 2.0}, {"a": Value(1.0)}, ExprError, "a is given both a value and a node"),
    ({"x": 2.0}, {"a": Value(1.0), "b": Value(1.0)}, ExprError,
     r"b is not in the expression \(the expression's inputs: a, x\)"),
    ({}, {"a": Value(1.0)}, ExprError, "no value for x"),
    ({"x": 2.0}, {"a": 1.0}, ExprError, "the node for a must be a Value, got float"),
    ({"x": 2.0}, [("a", Value(1.0))], TypeError, "nodes must be a mapping of name to Value"),
])
def test_nodes_must_fit_the_expression(values, nodes, error, message):
    with pytest.raises(error, match=message):
        parse("a*x + a").evaluate(values, nodes)


def test_a_math_error_leaves_given_nodes_unlabelled():
    u = Value(-1.0)
    with pytest.raises(NumericError, match=r"in 'log\(u\)'"):
        parse("x * log(u)").evaluate({"x": 1.0}, {"u": u})
    assert u.label is None


# -- math errors -------------------------------------------------------------------------------

def test_math_errors_name_the_part_of_the_text():
    with pytest.raises(NumericError) as e:
        parse("2 * log(x - 3)").evaluate({"x": 1})
    assert "log of a non-positive number" in str(e.value)
    assert "x - 3 = -2" in str(e.value)
    with pytest.raises(ZeroDivisionNumericError, match=r"y-1 = 0"):
        parse("x/(y-1)").evaluate({"x": 1, "y": 1})
    with pytest.raises(NumericError, match=r"sqrt of a negative number .* in 'sqrt\(0 - 1\)'"):
        parse("x + sqrt(0 - 1)").evaluate({"x": 1})


@pytest.mark.parametrize("text", ["9**9**9", "9**9**9**9", "x**9**9**9", "2.0**10000",
                                  "exp(710)", "10.0**308 * 10"])
def test_huge_numbers_overflow_cleanly_as_floats(text):
    expr = parse(text)
    with pytest.raises(NumericError, match="overflow|not finite"):
        expr.evaluate({n: 2.0 for n in expr.names})


# -- what it rejects, and where -------------------------------------------------------------

REJECTED = [
    # text, words in the message, column (1-based) of the caret
    ("__import__('os')", "unknown function '__import__'", 1),
    ("__import__('os').system('touch pwned')", "attribute access is not allowed: '.system'", 17),
    ("().__class__", "attribute access is not allowed: '.__class__'", 3),
    ("x.__class__.__bases__", "'.__class__'", 2),
    ("a.b.c.d", "'.b'", 2),
    ("open('f')", "unknown function 'open'", 1),
    ("eval('1')", "unknown function 'eval'", 1),
    ("exec('1')", "unknown function 'exec'", 1),
    ("lambda: 1", "lambda is not allowed", 1),
    ("[x for x in y]", "comprehensions are not allowed", 1),
    ("(x for x in y)", "generator expressions are not allowed", 1),
    ('"str"', "strings are not allowed", 1),
    ("x + 'a'", "strings are not allowed", 5),
    ("f'{x}'", "f-strings are not allowed", 1),
    ("x if y else z", "conditional expressions", 1),
    ("x < y", "comparisons are not allowed", 1),
    ("x and y", "'and'/'or' are not allowed", 1),
    ("not x", "'not' is not supported", 1),
    ("(y := 2)", "assignment (:=) is not allowed", 2),
    ("x[0]", "subscripts", 1),
    ("f(x)(y)", "can be called, by name", 1),
    ("sigmoid(x)(y)", "can be called, by name", 1),
    ("sigmoid(x, y, z)", "sigmoid takes 1 argument, got 3", 1),
    ("leaky_relu(x, slope=0.1)", "keyword arguments are not allowed", 15),
    ("sigmoid(*x)", "starred arguments", 9),
    ("leaky_relu(x, a)", "slope of leaky_relu must be a number", 15),
    ("sum()", "at least 1 argument", 1),
    ("dot(a, b)", "argument 1 of dot must be a tuple", 5),
    ("dot((a, b), (c,))", "differ in length (2 and 1)", 1),
    ("x, y", "only allowed as an argument of dot", 1),
    ("{x: 1}", "dictionaries are not allowed", 1),
    ("{x}", "sets are not allowed", 1),
    ("1j", "complex numbers are not allowed", 1),
    ("True", "True is not a number", 1),
    ("None + x", "None is not a number", 1),
    ("...", "Ellipsis is not a number", 1),
    ("__builtins__", "'__builtins__' is not allowed", 1),
    ("x + __class__", "'__class__' is not allowed", 5),
    ("sigmoid + 1", "'sigmoid' is a function", 1),
    ("x ^ 2", "write x**2", 3),
    ("(a) // b", "floor division", 5),
    ("x % 2", "remainder", 3),
    ("x @ y", "matrix product", 3),
    ("~x", "'~' is not supported", 1),
    ("x # comment", "comments (#) are not allowed", 3),
    ("x + \\\n y", "backslashes are not allowed", 5),
    ("x × y", "write *", 3),
    ("x − y", "write -", 3),
    ("1e999", "too large for a float", 1),
    ("x +", "syntax error: the expression ends too soon, after '+'", 3),  # Python: column 0
    ("x**", "the expression ends too soon, after '*'", 3),
    ("(x + y", "'(' was never closed", 1),
    ("", "empty", None),
    ("   ", "empty", None),
]


@pytest.mark.parametrize("text, words, column", REJECTED, ids=[r[0] for r in REJECTED])
def test_rejected_with_a_message_that_points_at_the_problem(text, words, column):
    with pytest.raises(ExprError) as e:
        parse(text)
    message = str(e.value)
    assert words in message
    if column is not None:
        assert e.value.column == column
        assert f"column {column}" in message
        line, caret = message.splitlines()[1:3]
        assert line == "  " + text.splitlines()[0]
        assert caret.index("^") == column + 1  # under the offending part


def test_position_on_a_later_line():
    with pytest.raises(ExprError) as e:
        parse("(x\n + y.z)")
    assert "(line 2, column 5)" in str(e.value)
    assert str(e.value).splitlines()[1:] == ["   + y.z)", "      ^~"]


def test_caret_window_on_a_long_line():
    text = "x + " * 300 + "x.y"
    with pytest.raises(ExprError) as e:
        parse(text)
    line, caret = str(e.value).splitlines()[1:]
    assert line.startswith("  ...") and len(line) < 100
    assert line[caret.index("^"):].startswith(".y")


def test_no_side_effects(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payloads = ["__import__('os').system('touch pwned')", "open('pwned', 'w')",
                "exec(\"open('pwned', 'w')\")", "[open('pwned', 'w') for x in y]",
                "(lambda: open('pwned', 'w'))()", "sigmoid(open('pwned', 'w'))"]
    for text in payloads:
        with pytest.raises(ExprError):
            parse(text)
    assert list(tmp_path.iterdir()) == []


# -- resource limits ----------------------------------------------------------------------------

def test_length_limit():
    parse("x" * MAX_LENGTH)
    with pytest.raises(ExprError, match="1,000,000 characters long; the limit is 10,000"):
        parse("x" * 1_000_000)


def test_bracket_depth_limit_comes_before_pythons_parser():
    deep = MAX_BRACKET_DEPTH
    assert parse("(" * deep + "x" + ")" * deep).names == ("x",)
    with pytest.raises(ExprError, match=f"nest more than {deep} deep") as e:
        parse("(" * 4000 + "x" + ")" * 4000)
    assert e.value.column == deep + 1
    with pytest.raises(ExprError, match="the limit is 10,000"):
        parse("(" * 100_000 + "x" + ")" * 100_000)
    with pytest.raises(ExprError, match="nest more than"):
        parse("sigmoid(" * 200 + "x" + ")" * 200)


def test_operator_limit_bounds_the_tree_depth():
    chain = "+".join(["x"] * MAX_OPERATORS + ["x"])
    root, leaves = parse(chain).evaluate({"x": 1.0})
    assert root.data == MAX_OPERATORS + 1
    with pytest.raises(ExprError, match="operators; the limit is 1,000"):
        parse(chain + "+x")
    with pytest.raises(ExprError, match="3,000 operators"):
        parse("-" * 3000 + "x")
    with pytest.raises(ExprError, match="operators"):
        parse("**".join(["x"] * 3000))


def test_node_limit():
    parse("sum(" + ",".join(["x"] * (MAX_NODES - 1)) + ")")
    with pytest.raises(ExprError, match="more than 3,000 parts"):
        parse("sum(" + ",".join(["x"] * MAX_NODES) + ")")


def test_huge_integer_literal():
    with pytest.raises(ExprError, match="too large for a float"):
        parse("9" * 400)
    with pytest.raises(ExprError, match="syntax error"):
        parse("9" * 5000)


def test_functions_list():
    assert FUNCTIONS == ("abs", "acos", "asin", "atan", "clip", "cos", "cosh", "dot", "exp",
                         "expm1", "leaky_relu", "linear", "log", "log10", "log1p", "log2",
                         "logsumexp", "max", "mean", "min", "relu", "sigmoid", "sin", "sinh",
                         "softplus", "sqrt", "sum", "tan", "tanh")


@pytest.mark.parametrize("text,at,value,grads", [
    ("max(x, 0) + min(x, y, 2)", {"x": -1.5, "y": 0.5}, 0 + -1.5, {"x": 1.0, "y": 0.0}),
    ("clip(x, lo, 1)", {"x": -2.0, "lo": -1.0}, -1.0, {"x": 0.0, "lo": 1.0}),
    ("cos(x)*sinh(y)", {"x": 0.0, "y": 0.0}, 0.0, {"x": 0.0, "y": 1.0}),  # −sin 0·sinh 0, cos 0·cosh 0
    ("log2(x) + log10(y)", {"x": 8.0, "y": 100.0}, 5.0,
     {"x": 1 / (8 * math.log(2)), "y": 1 / (100 * math.log(10))}),
])
def test_the_tables_new_functions_in_expressions(text, at, value, grads):
    out, leaves = parse(text).evaluate(at)
    out.backward()
    assert math.isclose(out.data, value, rel_tol=1e-15)
    for name, g in grads.items():
        assert math.isclose(leaves[name].grad, g, rel_tol=1e-15), name


def test_domain_errors_of_new_functions_name_the_node():
    with pytest.raises(NumericError, match=r"asin\(x\).*outside \[−1, 1\].*x = 2"):
        parse("asin(x)").evaluate({"x": 2.0})
    with pytest.raises(NumericError, match=r"log10\(x\).*non-positive.*x = 0"):
        parse("log10(x)").evaluate({"x": 0.0})


def test_not_a_string():
    with pytest.raises(TypeError, match="must be a string"):
        parse(b"x + 1")
