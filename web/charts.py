"""Server-side SVG charts (no JavaScript, no CDN): a grouped bar chart of per-part accuracy."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#2f6fb0", "#d9822b", "#3a9a5b", "#b0413e", "#7d5ba6", "#8c6d31", "#3c9fb0", "#c05a9c")
"""Series colours (colour-blind friendly enough; each series also has its own legend label)."""


@dataclass(frozen=True)
class Bar:
    """One bar: the share of correct answers of one series in one group."""

    group: str
    series: str
    correct: int
    total: int

    @property
    def share(self) -> float:
        """Correct / total, 0 when there is nothing to count."""
        return self.correct / self.total if self.total else 0.0


def accuracy_chart_svg(groups: list[str], series: list[str], bars: list[Bar], title: str = "") -> Markup:
    """A grouped bar chart: one group of bars per part, one bar per model, y = share correct.

    Labels are escaped; each bar carries a ``<title>`` tooltip with ``correct/total``.
    """
    by_key = {(b.group, b.series): b for b in bars}
    bar_w, gap, pad_l, pad_r, pad_t, plot_h = 16, 16, 44, 16, 48, 180
    # Each group is as wide as its bars or its label, whichever is wider, so labels never overlap.
    widths = [max(max(1, len(series)) * bar_w, 7 * len(g) + 4) + gap for g in groups]
    width = max(420, pad_l + pad_r + sum(widths))
    height = pad_t + plot_h + 40
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title or "per-part accuracy by model")}">'
    ]
    if title:
        out.append(f'<text x="{pad_l}" y="16" class="chart-title">{escape(title)}</text>')
    # Legend: one swatch per series, wrapping onto a second row if needed.
    lx, ly = pad_l, 32
    for i, name in enumerate(series):
        label_w = 22 + 7 * len(name)
        if lx + label_w > width - pad_r:
            lx, ly = pad_l, ly + 14
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{lx + 14}" y="{ly}" class="chart-legend">{escape(name)}</text>')
        lx += label_w
    base = pad_t + plot_h
    for pct in (0, 25, 50, 75, 100):
        y = base - plot_h * pct / 100
        out.append(f'<line x1="{pad_l}" y1="{y:.1f}" x2="{width - pad_r}" y2="{y:.1f}" class="chart-grid"/>')
        out.append(
            f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-axis">{pct}%</text>'
        )
    gx0 = float(pad_l)
    for group, group_w in zip(groups, widths, strict=True):
        center = gx0 + group_w / 2
        bars_x = center - len(series) * bar_w / 2
        for si, name in enumerate(series):
            bar = by_key.get((group, name))
            if bar is None or bar.total == 0:
                continue
            h = plot_h * bar.share
            tip = f"{name}, {group}: {bar.correct}/{bar.total} correct"
            out.append(
                f'<rect x="{bars_x + si * bar_w:.1f}" y="{base - max(h, 1):.1f}" width="{bar_w - 2}" '
                f'height="{max(h, 1):.1f}" fill="{PALETTE[si % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
        out.append(
            f'<text x="{center:.1f}" y="{base + 16}" text-anchor="middle" class="chart-axis">{escape(group)}</text>'
        )
        gx0 += group_w
    out.append("</svg>")
    return Markup("".join(out))
