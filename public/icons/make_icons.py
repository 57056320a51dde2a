#!/usr/bin/env python3
"""Draws the app's icons: the character 学 in white on the brand green (--brand in style.css).

The PNGs are committed, so a build never needs this script, Pillow or the font. Run it again
only to change the mark:

    python3 -m venv /tmp/icons && /tmp/icons/bin/pip install Pillow==13.0.0
    /tmp/icons/bin/python public/icons/make_icons.py

It needs Noto Sans CJK (Debian: apt-get install -y fonts-noto-cjk). The same Pillow, FreeType
and font give byte-identical files.

- icon-192.png, icon-512.png: a rounded square with transparent corners ("any" purpose).
- icon-maskable-512.png: full bleed, the character inside the central circle of 80 % of the
  width that every launcher mask keeps ("maskable" purpose, used by Android home screens).
- apple-touch-icon.png: 180 px, full bleed and opaque, since iOS rounds the corners itself and
  paints transparent pixels black.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (0x0B, 0x5D, 0x3B, 255)
WHITE = (255, 255, 255, 255)
MARK = "学"
FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
FONT_FACE = "Noto Sans CJK SC"
# Drawn this many times larger, then shrunk, so curves and corners get smooth edges.
SUPERSAMPLE = 4
# Every pixel is the green, white or a blend of the two (the character's edges), or the green
# partly transparent (the rounded corners' edges). A palette of a few exact steps of each keeps
# a PNG at a few kilobytes with the brand colour exact.
BLEND_STEPS = 12
ALPHA_STEPS = 8

HERE = Path(__file__).resolve().parent


def simplified_chinese_face(size: int) -> ImageFont.FreeTypeFont:
    """The Simplified Chinese face of the collection, looked up by name: its index differs
    between font packages."""
    for index in range(16):
        font = ImageFont.truetype(str(FONT_FILE), size, index=index)
        if font.getname()[0] == FONT_FACE:
            return font
    raise SystemExit(f"{FONT_FILE} holds no face named {FONT_FACE!r}; install fonts-noto-cjk")


def draw_icon(size: int, *, mark_height: float, corner_radius: float) -> Image.Image:
    """`mark_height` is the height of the character's ink as a share of the icon;
    `corner_radius` likewise (0 for a full-bleed square)."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(big * corner_radius), fill=BRAND)

    # Size the font so the ink (not the em box) has the wanted height, then centre the ink.
    probe = simplified_chinese_face(1000)
    left, top, right, bottom = probe.getbbox(MARK)
    font = simplified_chinese_face(round(1000 * big * mark_height / (bottom - top)))
    left, top, right, bottom = draw.textbbox((0, 0), MARK, font=font)
    origin = ((big - (right - left)) / 2 - left, (big - (bottom - top)) / 2 - top)
    draw.text(origin, MARK, font=font, fill=WHITE)

    return image.resize((size, size), Image.LANCZOS)


def to_palette(image: Image.Image) -> Image.Image:
    colours, alphas = [], []
    for step in range(BLEND_STEPS + 1):
        share = step / BLEND_STEPS
        colours.append(tuple(round(b + (w - b) * share) for b, w in zip(BRAND[:3], WHITE[:3])))
        alphas.append(255)
    first_alpha = len(colours)
    for step in range(ALPHA_STEPS):
        colours.append(BRAND[:3])
        alphas.append(round(255 * step / ALPHA_STEPS))

    def index(red: int, alpha: int) -> int:
        if alpha < 255 - 255 // (2 * ALPHA_STEPS):
            return first_alpha + round(alpha / 255 * ALPHA_STEPS)
        return round((red - BRAND[0]) / (WHITE[0] - BRAND[0]) * BLEND_STEPS)

    result = Image.new("P", image.size)
    result.putpalette([channel for colour in colours for channel in colour])
    rgba = image.tobytes()
    indices = (index(rgba[at], rgba[at + 3]) for at in range(0, len(rgba), 4))
    result.frombytes(bytes(min(max(found, 0), len(colours) - 1) for found in indices))
    result.info["transparency"] = bytes(alphas)
    return result


def save(image: Image.Image, name: str) -> None:
    path = HERE / name
    palette = to_palette(image)
    palette.save(path, optimize=True, transparency=palette.info["transparency"])
    print(f"{name}: {path.stat().st_size} bytes")


def main() -> None:
    save(draw_icon(192, mark_height=0.56, corner_radius=0.22), "icon-192.png")
    save(draw_icon(512, mark_height=0.56, corner_radius=0.22), "icon-512.png")
    save(draw_icon(512, mark_height=0.44, corner_radius=0), "icon-maskable-512.png")
    save(draw_icon(180, mark_height=0.54, corner_radius=0), "apple-touch-icon.png")


if __name__ == "__main__":
    main()
