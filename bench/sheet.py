"""A contact sheet for the picture benchmarks: pictures in a grid, a few caption lines under each."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from seespeech.pictures.compose import label_font

INK = (20, 20, 20)


def contact_sheet(tiles: list[tuple[Image.Image, list[tuple[str, tuple]]]], path: Path, columns: int = 6,
                  tile: int = 256, caption: int = 74, font_size: int = 13) -> None:
    """``tiles``: (picture, [(caption line, its colour)]) each, drawn left to right, top to bottom."""
    rows = (len(tiles) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * tile, rows * (tile + caption)), "white")
    draw = ImageDraw.Draw(sheet)
    font = label_font(font_size)
    for n, (picture, lines) in enumerate(tiles):
        x, y = (n % columns) * tile, (n // columns) * (tile + caption)
        sheet.paste(picture.convert("RGB").resize((tile - 4, tile - 4)), (x + 2, y + 2))
        for k, (line, colour) in enumerate(lines):
            draw.text((x + 4, y + tile + 2 + (font_size + 4) * k), line, fill=colour, font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
