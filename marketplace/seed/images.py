"""Generated placeholder photos for the demo catalog.

`render_product_image` draws a small, deterministic PNG for a listing: a gradient background in
the product colour, a flat vector motif chosen by category (a sweater for clothing, a cup for
drinks, a ring for jewelry, ...) and the English title on a band at the bottom. Same inputs give
the same bytes, so seeding is reproducible.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageColor, ImageDraw, ImageFont

RGB = tuple[int, int, int]
Point = tuple[float, float]
# A motif gets the canvas, a mapper from unit coordinates (0..1) to pixels, a stroke width,
# the ink colour and the "hole" colour (used to cut details out of filled shapes).
Motif = Callable[[ImageDraw.ImageDraw, Callable[[float, float], Point], int, RGB, RGB], None]


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def _box(p: Callable[[float, float], Point], x0: float, y0: float, x1: float, y1: float) -> list[float]:
    return [*p(x0, y0), *p(x1, y1)]


def _clothing(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    outline = [(.30, .10), (.42, .06), (.50, .15), (.58, .06), (.70, .10), (.95, .36), (.84, .48),
               (.75, .40), (.75, .95), (.25, .95), (.25, .40), (.16, .48), (.05, .36)]
    d.polygon([p(x, y) for x, y in outline], fill=ink)
    for y in (.55, .65, .75):
        d.line([p(.30, y), p(.70, y)], fill=hole, width=max(1, w // 2))


def _accessories(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.arc(_box(p, .30, .08, .70, .60), 180, 360, fill=ink, width=w)
    d.rounded_rectangle(_box(p, .12, .34, .88, .95), radius=w * 2, fill=ink)
    d.rectangle(_box(p, .44, .44, .56, .54), fill=hole)


def _home(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.polygon([p(.06, .48), p(.50, .08), p(.94, .48)], fill=ink)
    d.rectangle(_box(p, .18, .46, .82, .95), fill=ink)
    d.rectangle(_box(p, .42, .66, .58, .95), fill=hole)
    d.rectangle(_box(p, .24, .56, .36, .68), fill=hole)


def _kitchen(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.rounded_rectangle(_box(p, .16, .42, .84, .92), radius=w * 2, fill=ink)
    d.ellipse(_box(p, .10, .32, .90, .46), fill=ink)
    d.ellipse(_box(p, .44, .20, .56, .32), fill=ink)
    d.line([p(.02, .52), p(.16, .52)], fill=ink, width=w)
    d.line([p(.84, .52), p(.98, .52)], fill=ink, width=w)


def _food(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.rounded_rectangle(_box(p, .26, .14, .74, .28), radius=w, fill=ink)
    d.rounded_rectangle(_box(p, .22, .30, .78, .95), radius=w * 3, fill=ink)
    d.rectangle(_box(p, .30, .52, .70, .74), fill=hole)


def _drinks(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    for x in (.32, .45, .58):
        d.arc(_box(p, x - .05, .05, x + .05, .30), 100, 260, fill=ink, width=max(1, w // 2))
    d.ellipse(_box(p, .58, .46, .90, .76), outline=ink, width=w)
    d.polygon([p(.14, .38), p(.74, .38), p(.68, .92), p(.20, .92)], fill=ink)


def _jewelry(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.ellipse(_box(p, .20, .34, .80, .94), outline=ink, width=w * 2)
    d.polygon([p(.50, .06), p(.64, .20), p(.50, .40), p(.36, .20)], fill=ink)
    d.line([p(.36, .20), p(.64, .20)], fill=hole, width=max(1, w // 3))


def _crafts(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.ellipse(_box(p, .12, .20, .80, .88), fill=ink)
    for i in range(4):
        d.arc(_box(p, .12 + i * .08, .20, .80 + i * .08, .88), 200, 280, fill=hole, width=max(1, w // 2))
    d.line([p(.60, .10), p(.95, .60)], fill=ink, width=max(1, w // 2))


def _art(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.rectangle(_box(p, .08, .14, .92, .88), outline=ink, width=w)
    d.polygon([p(.14, .82), p(.38, .44), p(.54, .66), p(.66, .52), p(.86, .82)], fill=ink)
    d.ellipse(_box(p, .64, .22, .78, .36), fill=ink)


def _beauty(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.rectangle(_box(p, .40, .08, .66, .16), fill=ink)
    d.rectangle(_box(p, .44, .16, .56, .32), fill=ink)
    d.rounded_rectangle(_box(p, .28, .32, .72, .95), radius=w * 3, fill=ink)
    d.ellipse(_box(p, .40, .54, .60, .74), fill=hole)


def _toys(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    for x0, y0 in ((.08, .56), (.52, .56), (.30, .16)):
        d.rectangle(_box(p, x0, y0, x0 + .38, y0 + .38), fill=ink)
        d.ellipse(_box(p, x0 + .12, y0 + .12, x0 + .26, y0 + .26), fill=hole)


def _outdoor(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.polygon([p(.04, .92), p(.46, .16), p(.88, .92)], fill=ink)
    d.polygon([p(.36, .92), p(.46, .62), p(.56, .92)], fill=hole)
    d.line([p(.02, .93), p(.98, .93)], fill=ink, width=w)


def _fallback(d: ImageDraw.ImageDraw, p: Callable[[float, float], Point], w: int, ink: RGB, hole: RGB) -> None:
    d.ellipse(_box(p, .2, .2, .8, .8), fill=ink)


MOTIFS: dict[str, Motif] = {
    "clothing": _clothing, "accessories": _accessories, "home": _home, "kitchen": _kitchen,
    "food": _food, "drinks": _drinks, "jewelry": _jewelry, "crafts": _crafts, "art": _art,
    "beauty": _beauty, "toys": _toys, "outdoor": _outdoor,
}


def _fit_title(draw: ImageDraw.ImageDraw, title: str, size: int, max_width: float) -> tuple[str, ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    """Shrink the font, then truncate with an ellipsis, until the title fits on the band."""
    text = " ".join(title.split()) or "Untitled"
    for font_size in range(max(10, size // 16), max(7, size // 32) - 1, -1):
        font = ImageFont.load_default(size=font_size)
        if draw.textlength(text, font=font) <= max_width:
            return text, font
    while len(text) > 1 and draw.textlength(text + "…", font=font) > max_width:
        text = text[:-1].rstrip()
    return text + "…", font


def render_product_image(*, title: str, category: str, color: str, seed: int, size: int = 512) -> bytes:
    """A deterministic square PNG for a product: colour gradient, category motif and title band."""
    if size < 32:
        raise ValueError("size must be at least 32 pixels")
    base: RGB = ImageColor.getrgb(color)[:3]  # type: ignore[assignment]
    light = sum(c * k for c, k in zip(base, (0.299, 0.587, 0.114))) > 150
    top, bottom = _mix(base, (255, 255, 255), 0.18), _mix(base, (0, 0, 0), 0.22)
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for y in range(size):
        draw.line([(0, y), (size, y)], fill=_mix(top, bottom, y / (size - 1)))
    rng = random.Random(seed)
    speck = _mix(base, (0, 0, 0) if light else (255, 255, 255), 0.12)
    for _ in range(24):
        x, y, r = rng.uniform(0, size), rng.uniform(0, size * 0.8), rng.uniform(size / 90, size / 30)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=speck)
    ink = _mix(base, (0, 0, 0), 0.7) if light else _mix(base, (255, 255, 255), 0.88)
    hole = _mix(top, bottom, 0.4)
    extent, cx, cy = size * 0.52, size / 2, size * 0.42

    def to_px(u: float, v: float) -> Point:
        return cx + (u - 0.5) * extent, cy + (v - 0.5) * extent

    MOTIFS.get(category.strip().lower(), _fallback)(draw, to_px, max(2, size // 40), ink, hole)
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
