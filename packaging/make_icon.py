"""Draw Viva's icon (a microphone on a rounded square) as SVG and PNG from one set of shapes.

Run once after changing the shapes: `.venv/bin/python packaging/make_icon.py`; both files are committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
BG, FG, ACCENT = "#1f5fbf", "#ffffff", "#ffd166"
# (x0, y0, x1, y1) boxes in a 256 x 256 canvas
BACKGROUND = (8, 8, 248, 248, 48)  # with corner radius
CAPSULE = (96, 40, 160, 150, 32)
CRADLE = (68, 86, 188, 186)  # the U under the capsule: lower half of this ellipse's box
STROKE = 14
STEM = (128, 186, 128, 214)
BASE = (88, 214, 168, 214)
WAVES = ((196, 70, 236, 150), (20, 70, 60, 150))  # small sound arcs either side

OUT = Path(__file__).parent / "icons"


def svg() -> str:
    x0, y0, x1, y1, r = BACKGROUND
    cx0, cy0, cx1, cy1, cr = CAPSULE
    ux0, uy0, ux1, uy1 = CRADLE
    rx, ry, ucy = (ux1 - ux0) / 2, (uy1 - uy0) / 2, (uy0 + uy1) / 2
    right, left = WAVES
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">
  <title>Viva</title>
  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="{BG}"/>
  <rect x="{cx0}" y="{cy0}" width="{cx1 - cx0}" height="{cy1 - cy0}" rx="{cr}" fill="{FG}"/>
  <g fill="none" stroke="{FG}" stroke-width="{STROKE}" stroke-linecap="round">
    <path d="M {ux0} {ucy} A {rx} {ry} 0 0 0 {ux1} {ucy}"/>
    <line x1="{STEM[0]}" y1="{STEM[1]}" x2="{STEM[2]}" y2="{STEM[3]}"/>
    <line x1="{BASE[0]}" y1="{BASE[1]}" x2="{BASE[2]}" y2="{BASE[3]}"/>
  </g>
  <g fill="none" stroke="{ACCENT}" stroke-width="10" stroke-linecap="round">
    <path d="M {right[0] + 10} {right[1]} A 48 48 0 0 1 {right[0] + 10} {right[3]}"/>
    <path d="M {left[2] - 10} {left[1]} A 48 48 0 0 0 {left[2] - 10} {left[3]}"/>
  </g>
</svg>
"""


def png(size: int = SIZE, scale: int = 4) -> Image.Image:
    """The same shapes drawn at 4x and scaled down (antialiased edges)."""
    s = scale

    def box(b: tuple[float, ...]) -> tuple[float, float, float, float]:
        return (b[0] * s, b[1] * s, b[2] * s, b[3] * s)

    img = Image.new("RGBA", (SIZE * s, SIZE * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle(box(BACKGROUND), radius=BACKGROUND[4] * s, fill=BG)
    d.rounded_rectangle(box(CAPSULE), radius=CAPSULE[4] * s, fill=FG)
    d.arc(box(CRADLE), start=0, end=180, fill=FG, width=STROKE * s)
    for line in (STEM, BASE):
        d.line(box(line), fill=FG, width=STROKE * s)
        for x, y in ((line[0], line[1]), (line[2], line[3])):  # round caps
            r = STROKE * s / 2
            d.ellipse((x * s - r, y * s - r, x * s + r, y * s + r), fill=FG)
    right, left = WAVES
    d.arc(((right[0] - 30) * s, right[1] * s, (right[0] + 50) * s, right[3] * s), start=-65, end=65,
          fill=ACCENT, width=10 * s)
    d.arc(((left[2] - 50) * s, left[1] * s, (left[2] + 30) * s, left[3] * s), start=115, end=245,
          fill=ACCENT, width=10 * s)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "viva.svg").write_text(svg(), encoding="utf-8")
    png().save(OUT / "viva.png", optimize=True)
    print(f"wrote {OUT / 'viva.svg'} and {OUT / 'viva.png'}")


if __name__ == "__main__":
    main()
