"""The printed documents' font metrics: how wide a text runs in Liberation Serif (Times New Roman's metrics).

The DOCX renderer sizes its layout tables with them (documents/render.py); the chunked PDF render finds each table's
widest cells with them (documents/parallel_pdf.py).
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FILES = {False: "LiberationSerif-Regular.ttf", True: "LiberationSerif-Bold.ttf"}


@cache
def advance_widths(bold):
    """{code point: advance width in ems} of the regular or the bold face."""
    font = TTFont(FONTS_DIR / FONT_FILES[bold])
    advances, cmap = font["hmtx"].metrics, font.getBestCmap()
    scale = 1 / font["head"].unitsPerEm
    return {code: advances[name][0] * scale for code, name in cmap.items()}


def text_width_ems(text, *, bold=False):
    """How many ems `text` runs (a character the font lacks counts half an em)."""
    widths = advance_widths(bold)
    return sum(widths.get(ord(character), 0.5) for character in str(text))


def text_width_mm(text, *, size, bold=False):
    """How long `text` runs at `size` points."""
    return text_width_ems(text, bold=bold) * size * 25.4 / 72
