"""Generated placeholder photos for the demo catalog.

`render_product_image` draws a small, deterministic PNG for a listing: a gradient background in
the product colour, a flat vector motif chosen by category (a sweater for clothing, a cup for
drinks, a ring for jewelry, ...) and the English title on a band at the bottom. The same inputs
give the same bytes, so seeding is reproducible.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageColor, ImageDraw, ImageFont

RGB = tuple[int, int, int]
Point = tuple[float, float]
# A shape is (kind, paint, coordinates): coordinates are x, y pairs in the unit square of the
# motif box (an arc adds its start and end angle); paint is "ink" or "hole" (cut-out details).
Shape = tuple[str, str, tuple[float, ...]]

MOTIFS: dict[str, list[Shape]] = {
    "clothing": [
        ("polygon", "ink", (.30, .10, .42, .06, .50, .15, .58, .06, .70, .10, .95, .36, .84, .48,
                            .75, .40, .75, .95, .25, .95, .25, .40, .16, .48, .05, .36)),
        ("line", "hole", (.30, .58, .70, .58)), ("line", "hole", (.30, .72, .70, .72))],
    "accessories": [
        ("arc", "ink", (.30, .08, .70, .60, 180, 360)), ("rrect", "ink", (.12, .34, .88, .95)),
        ("rect", "hole", (.44, .44, .56, .54))],
    "home": [
        ("polygon", "ink", (.06, .48, .50, .08, .94, .48)), ("rect", "ink", (.18, .46, .82, .95)),
        ("rect", "hole", (.42, .66, .58, .95)), ("rect", "hole", (.24, .56, .36, .68))],
    "kitchen": [
        ("rrect", "ink", (.16, .42, .84, .92)), ("ellipse", "ink", (.10, .32, .90, .46)),
        ("ellipse", "ink", (.44, .20, .56, .32)), ("line", "ink", (.02, .52, .16, .52)),
        ("line", "ink", (.84, .52, .98, .52))],
    "food": [
        ("rrect", "ink", (.26, .14, .74, .28)), ("rrect", "ink", (.22, .30, .78, .95)),
        ("rect", "hole", (.30, .52, .70, .74))],
    "drinks": [
        ("arc", "ink", (.27, .05, .37, .30, 100, 260)),
        ("arc", "ink", (.40, .05, .50, .30, 100, 260)),
        ("arc", "ink", (.53, .05, .63, .30, 100, 260)), ("ring", "ink", (.58, .46, .90, .76)),
        ("polygon", "ink", (.14, .38, .74, .38, .68, .92, .20, .92))],
    "jewelry": [
        ("ring", "ink", (.20, .34, .80, .94)), ("ring", "ink", (.23, .37, .77, .91)),
        ("polygon", "ink", (.50, .06, .64, .20, .50, .40, .36, .20)),
        ("line", "hole", (.36, .20, .64, .20))],
    "crafts": [
        ("ellipse", "ink", (.12, .20, .80, .88)), ("arc", "hole", (.12, .20, .80, .88, 200, 280)),
        ("arc", "hole", (.22, .20, .90, .88, 200, 270)),
        ("arc", "hole", (.32, .22, 1.0, .88, 205, 260)), ("line", "ink", (.60, .10, .95, .60))],
    "art": [
        ("frame", "ink", (.08, .14, .92, .88)), ("ellipse", "ink", (.64, .22, .78, .36)),
        ("polygon", "ink", (.14, .82, .38, .44, .54, .66, .66, .52, .86, .82))],
    "beauty": [
        ("rect", "ink", (.40, .08, .66, .16)), ("rect", "ink", (.44, .16, .56, .32)),
        ("rrect", "ink", (.28, .32, .72, .95)), ("ellipse", "hole", (.40, .54, .60, .74))],
    "toys": [
        ("rect", "ink", (.08, .56, .46, .94)), ("ellipse", "hole", (.20, .68, .34, .82)),
        ("rect", "ink", (.52, .56, .90, .94)), ("ellipse", "hole", (.64, .68, .78, .82)),
        ("rect", "ink", (.30, .16, .68, .54)), ("ellipse", "hole", (.42, .28, .56, .42))],
    "outdoor": [
        ("polygon", "ink", (.04, .92, .46, .16, .88, .92)),
        ("polygon", "hole", (.36, .92, .46, .62, .56, .92)), ("line", "ink", (.02, .93, .98, .93))],
}
FALLBACK: list[Shape] = [("ellipse", "ink", (.2, .2, .8, .8))]


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def _draw_motif(draw: ImageDraw.ImageDraw, shapes: Sequence[Shape],
                to_px: Callable[[float, float], Point], width: int, paints: dict[str, RGB]) -> None:
    """Draw unit-square shapes onto the canvas through `to_px`."""
    for kind, paint, coords in shapes:
        colour = paints[paint]
        xy = coords[:-2] if kind == "arc" else coords
        points = [to_px(xy[i], xy[i + 1]) for i in range(0, len(xy), 2)]
        flat = [v for point in points for v in point]
        if kind == "polygon":
            draw.polygon(points, fill=colour)
        elif kind == "rect":
            draw.rectangle(flat, fill=colour)
        elif kind == "rrect":
            draw.rounded_rectangle(flat, radius=width * 2, fill=colour)
        elif kind == "ellipse":
            draw.ellipse(flat, fill=colour)
        elif kind == "ring":
            draw.ellipse(flat, outline=colour, width=width)
        elif kind == "frame":
            draw.rectangle(flat, outline=colour, width=width)
        elif kind == "arc":
            draw.arc(flat, coords[-2], coords[-1], fill=colour, width=width)
        elif kind == "line":
            draw.line(points, fill=colour, width=width)


def _fit_title(draw: ImageDraw.ImageDraw, title: str, size: int,
               max_width: float) -> tuple[str, ImageFont.FreeTypeFont]:
    """Shrink the font, then cut the text with an ellipsis, until the title fits the band."""
    text = " ".join(title.split()) or "Untitled"
    font = ImageFont.load_default(size=max(10, size // 16))
    for font_size in range(max(10, size // 16), max(7, size // 32) - 1, -1):
        font = ImageFont.load_default(size=font_size)
        if draw.textlength(text, font=font) <= max_width:
            return text, font
    while len(text) > 1 and draw.textlength(text + "…", font=font) > max_width:
        text = text[:-1].rstrip()
    return text + "…", font


def render_product_image(*, title: str, category: str, color: str, seed: int,
                         size: int = 512) -> bytes:
    """A deterministic square PNG for a product: colour gradient, category motif and title band."""
    if size < 32:
        raise ValueError("size must be at least 32 pixels")
    r, g, b = ImageColor.getrgb(color)[:3]
    base: RGB = (r, g, b)
    light = 0.299 * r + 0.587 * g + 0.114 * b > 150
    top, bottom = _mix(base, (255, 255, 255), 0.18), _mix(base, (0, 0, 0), 0.22)
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for y in range(size):
        draw.line([(0, y), (size, y)], fill=_mix(top, bottom, y / (size - 1)))
    rng = random.Random(seed)  # scattered soft dots, placed by the seed
    dot = _mix(base, (0, 0, 0) if light else (255, 255, 255), 0.1)
    for _ in range(24):
        x, y = rng.uniform(0, size), rng.uniform(0, size * 0.8)
        radius = rng.uniform(size / 90, size / 30)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=dot)
    ink = _mix(base, (0, 0, 0), 0.7) if light else _mix(base, (255, 255, 255), 0.88)
    extent, cx, cy = size * 0.52, size / 2, size * 0.42

    def to_px(u: float, v: float) -> Point:
        return cx + (u - 0.5) * extent, cy + (v - 0.5) * extent

    shapes = MOTIFS.get(category.strip().lower(), FALLBACK)
    paints = {"ink": ink, "hole": _mix(top, bottom, 0.4)}
    _draw_motif(draw, shapes, to_px, max(2, size // 40), paints)
    band_top = round(size * 0.82)
    overlay = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(overlay).rectangle([0, band_top, size, size], fill=(0, 0, 0, 150))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    text, font = _fit_title(draw, title, size, size * 0.9)
    draw.text((size / 2, (band_top + size) / 2), text, font=font, fill=(255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
