"""Place point labels so they do not overlap each other, the points or the axes' edges.

A small greedy search over eight positions around each point (right, left, above, below and the
diagonals), in typographic points, using the axes' size on the page. Fast (no text rendering).

>>> place_labels([(0.5, 0.5), (0.5, 0.5)], ["Ministry of Health", "UNICEF"], (0, 1), (0, 1), (300, 200))
[(7, 0, 'left', 'center'), (-7, 0, 'right', 'center')]
"""
from __future__ import annotations

_CANDIDATES = [(7, 0, "left", "center"), (-7, 0, "right", "center"), (0, 8, "center", "bottom"),
               (0, -8, "center", "top"), (7, -11, "left", "top"), (7, 11, "left", "bottom"),
               (-7, 11, "right", "bottom"), (-7, -11, "right", "top")]


def _rect(px: float, py: float, dx: float, dy: float, ha: str, va: str, w: float, h: float):
    x0 = px + dx - (w if ha == "right" else w / 2 if ha == "center" else 0)
    y0 = py + dy - (h if va == "top" else h / 2 if va == "center" else 0)
    return (x0, y0, x0 + w, y0 + h)


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(points, texts, xlim, ylim, size_pt, fontsize: float = 8.0):
    """For each point and label, an offset ``(dx, dy)`` in points and an alignment ``(ha, va)``.

    ``xlim``/``ylim`` are the axes' data limits and ``size_pt`` its (width, height) in points.
    """
    W, H = size_pt
    sx = W / ((xlim[1] - xlim[0]) or 1)
    sy = H / ((ylim[1] - ylim[0]) or 1)
    pts = [((x - xlim[0]) * sx, (y - ylim[0]) * sy) for x, y in points]
    taken = [(px - 5, py - 5, px + 5, py + 5) for px, py in pts]
    out = []
    for (px, py), text in zip(pts, texts, strict=True):
        w = 0.56 * fontsize * max(1, len(text))
        h = 1.25 * fontsize
        best, best_cost = _CANDIDATES[0], float("inf")
        for cand in _CANDIDATES:
            r = _rect(px, py, *cand, w, h)
            cost = sum(_overlap(r, t) for t in taken)
            outside = max(0, -r[0]) + max(0, r[2] - W) + max(0, -r[1]) + max(0, r[3] - H)
            cost += outside * h * 4
            if cost < best_cost:
                best, best_cost = cand, cost
            if cost == 0:
                break
        taken.append(_rect(px, py, *best, w, h))
        out.append(best)
    return out


def axes_size_pt(ax) -> tuple[float, float]:
    """The axes' (width, height) in points, from its position on the figure."""
    fw, fh = ax.figure.get_size_inches()
    pos = ax.get_position()
    return pos.width * fw * 72, pos.height * fh * 72
