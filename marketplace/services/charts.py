"""Charts as PNG images, drawn with matplotlib's Agg canvas (no display, no global pyplot state)."""

from __future__ import annotations

import io

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from marketplace.services.sales import SalesReport


def sales_chart_png(report: SalesReport, locale: str) -> bytes:
    """Bars of the takings per day, dates and amounts written the way `locale` writes them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: imported when first drawn
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=(8, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(report.days)))
    heights = [float(d.total.amount) for d in report.days]  # for drawing only; sums stay Decimal
    axes.bar(positions, heights, color="#2a7ab0", width=0.7)
    step = max(1, len(positions) // 10)
    axes.set_xticks(positions[::step])
    axes.set_xticklabels([format_skeleton("Md", d.day, locale=locale) for d in report.days[::step]])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: format_decimal(value, locale=locale)))
    axes.set_ylabel(report.currency)
    axes.set_ylim(bottom=0, top=max(heights + [1.0]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    first, last = (format_skeleton("yMd", d, locale=locale) for d in (report.start, report.end))
    axes.set_title(f"{first} – {last} · {report.currency}")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
