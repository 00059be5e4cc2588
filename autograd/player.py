"""Backpropagation as a film: the graph, and one frame per chain-rule step.

`player(root)` runs `backward_steps(root)` (so afterwards the gradients are
`backward()`'s) and draws the graph once; the page then replays the steps
on that drawing: frame k highlights step k's edge, writes its chain-rule line
(`step.line`) with the local derivative and the auto-names the step is first
to use (`t1 = x·y = 6`) under it, and shows every card's gradient as the
running sum after k steps; earlier edges dim, and a card whose gradient is
complete gets a check mark.  Clicking a card shows its `explain()` derivation beside the
graph.  Frame 0 is the start of backward (the root's gradient 1, every other
0); the last frame shows exactly the gradients `backward()` gives.

The page is one HTML file that needs nothing else: the SVG, the frames (as
JSON) and the script are inline, and its Content-Security-Policy lets it
load nothing at all, so it works from `file://`, offline, mailed to a class.
Labels come from users and the file is opened by others, so user text only
ever reaches the page as text: Graphviz escapes it in the SVG, the JSON
escapes `<`, `>` and `&`, the script writes `textContent` only, and the
policy runs no script but the page's own (by its hash) even if something
slipped through.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .draw import Drawing, draw
from .draw_dot import grad_line
from .explain import explain
from .graph import backward_order
from .notation import DIGITS, derivative_name
from .steps import Step, backward_steps
from .value import Value

_NOT_FOR_PLAYER = ("highlight", "highlight_edges")
_IFRAME_MAX_HEIGHT = 760  # px: a notebook cell shows the player without a page of scrolling


class Player:
    """The backward pass of `root`, step by step, as an interactive page:
    `.save("backprop.html")`, `.html` (the page's text), and in Jupyter it
    shows inline (`_repr_html_`).  `.steps` are the `Step`s it replays and
    `.drawing` the `Drawing` it replays them on."""

    def __init__(self, root: Value, steps: list[Step], drawing: Drawing, digits: int):
        self.root, self.steps, self.drawing = root, steps, drawing
        self._digits = digits
        self._html: str | None = None

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = _page(self)
        return self._html

    def save(self, path: str | Path) -> Path:
        """Write the page to `path` (`.html` or `.htm`)."""
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"cannot save a player as {path.name!r}: the suffix must be "
                             f".html (it is one web page)")
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        """The page in a sandboxed frame: its script and styles stay inside
        it (several players in one notebook do not meet), and it can read
        nothing of the notebook."""
        import html
        height = min(_IFRAME_MAX_HEIGHT, int(_svg_height(self.drawing.to_svg())) + 260)
        return (f'<iframe sandbox="allow-scripts" srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width: 100%; height: {height}px; border: 1px solid #e5e7eb" '
                f'title="backpropagation, step by step"></iframe>')

    def __repr__(self) -> str:
        return (f"<Player: {len(self.steps)} backward steps of "
                f"{self.steps[0].names[self.root] if self.steps else 'a leaf'}; "
                f".save('backprop.html'), or show it in Jupyter>")


def player(root: Value, *, digits: int = DIGITS, **draw_options) -> Player:
    """An interactive step-through of `root.backward()`: see `Player`.

    It runs the backward pass (the gradients afterwards are `backward()`'s)
    and draws the graph with `autograd.draw.draw(root, digits=digits,
    **draw_options)`: `model=`, `collapse=`, `rankdir=`, `max_nodes=`,
    `show_contributions=` … as there; the player does its own highlighting.
    """
    if not isinstance(root, Value):
        raise TypeError(f"player needs a Value as root, got {type(root).__name__}")
    for name in _NOT_FOR_PLAYER:
        if name in draw_options:
            raise TypeError(f"player() does not take {name}=: it highlights each step's "
                            f"edge itself")
    steps = list(backward_steps(root, digits=digits))
    drawing = draw(root, digits=digits, **draw_options)
    return Player(root, steps, drawing, digits)


# -- the frames -------------------------------------------------------------------

def _frames(p: Player) -> dict:
    """The page's data: each step's line, the elements that draw its edge,
    the boxes it flows from and into and the grad lines it changes; each
    box's grad line at the start, the frame after which its gradient is
    complete, and its derivation."""
    root, d, digits = p.root, p.drawing, p._digits
    names = p.steps[0].names if p.steps else {root: root.label or "it"}
    running = {v: 0.0 for v in backward_order(root)}
    running[root] = 1.0
    shown_in: dict[Value, list[str]] = {}  # node → the boxes whose grad line lists it
    for box, (values, _) in d.grad_lines.items():
        for v in values:
            shown_in.setdefault(v, []).append(box)

    def line(box: str) -> str:
        values, more = d.grad_lines[box]
        return grad_line([running[v] for v in values], digits, more)

    initial = {box: line(box) for box in d.grad_lines}
    last: dict[Value, int] = {}  # node → the frame after which its gradient is complete
    frames = []
    for i, s in enumerate(p.steps, start=1):
        last[s.parent] = i
        running[s.parent] = s.total
        # the line, and under it the local derivative and the auto-names the step defines
        frames.append({"line": s.line,
                       "where": "; ".join([f"{s.local_name} = {s.formula}", *s.defines]),
                       "edge": list(d.edges.get((s.node, s.k), ())),
                       "from": d.ids.get(s.node), "to": d.ids.get(s.parent),
                       "grads": {box: line(box) for box in shown_in.get(s.parent, ())}})
    done: dict[str, int] = {}
    for v, box in d.ids.items():
        done[box] = max(done.get(box, 0), last.get(v, 0))
    explained = {}
    for box, (values, _) in d.grad_lines.items():
        es = [explain(root, v, digits=digits) for v in values]
        explained[box] = {"title": ", ".join(e.name for e in es),
                          "text": "\n\n".join(str(e) for e in es)}
    return {
        "root": names[root],
        "start": f"{derivative_name(names[root], names[root])} = 1: backward starts at "
                 f"{names[root]}; "
                 f"every other gradient starts at 0",
        "initial": initial,
        "done": done,
        "steps": frames,
        "explain": explained,
    }


# -- the page ---------------------------------------------------------------------

def _asset(name: str) -> str:
    from importlib import resources
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _json_for_html(data) -> str:
    """JSON that cannot end its <script> element or open another: `<`, `>`
    and `&` are written as \\u escapes (the same string to JSON.parse)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for c in "<>&\u2028\u2029":
        text = text.replace(c, f"\\u{ord(c):04x}")
    return text


def _sha256(text: str) -> str:
    import base64
    import hashlib
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _inline_svg(svg: str) -> str:
    """Graphviz's SVG file as an element of the page: no XML prolog or
    doctype, no comments (they only repeat node ids)."""
    return _COMMENT.sub("", _PROLOG.sub("", svg, count=1)).strip()


def _svg_height(svg: str) -> float:
    m = re.search(r'<svg\b[^>]*?\bheight="([\d.]+)pt"', svg)
    return float(m.group(1)) * 4 / 3 if m else 400.0


def _page(p: Player) -> str:
    import html  # here, not at the top: `import autograd` stays quick
    data = _frames(p)
    script, style = _asset("player.js"), _asset("player.css")
    policy = (f"default-src 'none'; script-src '{_sha256(script)}'; "
              f"style-src '{_sha256(style)}'")
    title = html.escape(f"backpropagation of {data['root']}, step by step")
    n = len(p.steps)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="hg-controls" role="toolbar" aria-label="backward steps">
<button type="button" id="hg-first" title="first frame (Home)" aria-label="first frame">|◀</button>
<button type="button" id="hg-prev" title="previous step (←)" aria-label="previous step">◀</button>
<button type="button" id="hg-play" title="play or pause (space)" aria-label="play">▶ play</button>
<button type="button" id="hg-next" title="next step (→)" aria-label="next step">▶</button>
<button type="button" id="hg-last" title="last frame (End)" aria-label="last frame">▶|</button>
<input type="range" id="hg-slider" min="0" max="{n}" value="0" step="1" aria-label="step">
<span id="hg-count" aria-live="polite">step 0 of {n}</span>
<label>speed <select id="hg-speed" aria-label="steps per second">
<option value="0.5">½ step/s</option><option value="1" selected>1 step/s</option>
<option value="2">2 steps/s</option><option value="4">4 steps/s</option>
<option value="10">10 steps/s</option><option value="60">60 steps/s</option>
</select></label>
<label>zoom <select id="hg-zoom" aria-label="zoom">
<option value="fit" selected>fit</option><option value="0.5">50%</option>
<option value="0.75">75%</option><option value="1">100%</option><option value="1.5">150%</option>
</select></label>
</div>
<p id="hg-line" class="hg-line" aria-live="polite"></p>
<p id="hg-where" class="hg-where"></p>
<p class="hg-hint">Click a card to see how its gradient is derived.</p>
</header>
<main>
<div id="hg-graph" class="hg-graph">
{_inline_svg(p.drawing.to_svg())}
</div>
<aside id="hg-explain" class="hg-explain" aria-live="polite" hidden>
<button type="button" id="hg-close" class="hg-close" title="close (Esc)" aria-label="close">×</button>
<h2 id="hg-explain-title"></h2>
<p id="hg-explain-note" class="hg-note"></p>
<pre id="hg-explain-text"></pre>
</aside>
</main>
<script type="application/json" id="hg-data">{_json_for_html(data)}</script>
<script>{script}</script>
</body>
</html>
"""
