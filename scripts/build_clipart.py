#!/usr/bin/env python3
"""Build seespeech's packaged subset of Open Clip Art from Debian's openclipart packages.

Reads the curated list ``scripts/clipart_list.tsv`` (one row per drawing: noun, synonyms, the
file's path under ``/usr/share/openclipart/png``, facing, notes) and the installed (or extracted)
Debian packages ``openclipart-png`` and ``openclipart-svg`` (1:0.18+dfsg-19), and writes:

* ``src/seespeech/data/clipart/ocal/<id>.png``: the drawing, cropped to its visible pixels, an
  opaque near-white page background turned transparent (flood-filled from the picture's border,
  so white *inside* the drawing stays), longest side at most 320 px, palette-quantised with
  alpha;
* ``src/seespeech/data/clipart/manifest.json``: one entry per drawing with its nouns, facing,
  the SVG's RDF metadata (title, creator, keywords, description), where it came from, its
  licence, the SHA-256 of the original PNG and the packaged size.

Usage (defaults read the installed packages)::

    python scripts/build_clipart.py          # /usr/share/openclipart/{png,svg}
    python scripts/build_clipart.py --png-root <dir>/usr/share/openclipart/png \\
                                    --svg-root <dir>/usr/share/openclipart/svg

Only numpy and Pillow are needed. The output is deterministic for a given list and input.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LIST = ROOT / "scripts" / "clipart_list.tsv"
DEFAULT_OUT = ROOT / "src" / "seespeech" / "data" / "clipart"
DEBIAN_VERSION = "1:0.18+dfsg-19"
LICENCE = "public domain (Creative Commons Public Domain Dedication)"
UPSTREAM = "https://openclipart.org"
FACINGS = ("left", "right", "front")

MAX_SIDE = 320  # longest side of a packaged drawing
COLOURS = 96  # palette size (transparency included)
WHITE = 236  # a pixel is "near-white" when all of R, G, B are at least this
ALPHA_MIN = 12  # alpha below this counts as empty when cropping

# some of the collection's A4 pages are rendered at poster size; they are trusted files
Image.MAX_IMAGE_PIXELS = 700_000_000


# ----------------------------------------------------------------------------- list


def read_list(path: Path) -> list[dict]:
    """Rows of the curated list: noun, synonyms, path, facing, notes (``#`` lines are comments).

    A row's notes may contain flags: ``[white-bg]`` (force the white-background removal) or
    ``[keep-white]`` (never remove white), overriding the automatic detection; ``[alpha-cut=N]``
    (drop pixels less opaque than N/255 before cropping: faint drop shadows and stray lines);
    ``[opaque]`` (then make every remaining pixel fully opaque: see-through flames or glass);
    ``[crop=x0,y0,x1,y1]`` (keep only that part of the cropped drawing, in fractions of its size).
    """
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 4:
            raise SystemExit(f"{path}:{n}: expected 5 tab-separated cells, got {len(cells)}")
        cells += [""] * (5 - len(cells))
        noun, synonyms, rel, facing, notes = (c.strip() for c in cells[:5])
        if facing not in FACINGS:
            raise SystemExit(f"{path}:{n}: facing must be one of {FACINGS}, not {facing!r}")
        nouns = [noun.lower()] + [s.strip().lower() for s in synonyms.split(",") if s.strip()]
        rows.append(dict(noun=noun.lower(), nouns=nouns, path=rel, facing=facing, notes=notes, line=n))
    return rows


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def assign_ids(rows: list[dict]) -> None:
    """id = the noun's slug; the 2nd, 3rd... drawing of the same noun get -2, -3..."""
    seen: dict[str, int] = {}
    for row in rows:
        base = slugify(row["noun"])
        seen[base] = seen.get(base, 0) + 1
        row["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


# ----------------------------------------------------------------------------- metadata


def _text(s: str) -> str:
    s = re.sub(r"<[^>]+>", "", s)
    for _ in range(3):  # some titles are escaped twice ("B&amp;Atilde;&amp;uml;r")
        t = html.unescape(s)
        if t == s:
            break
        s = t
    return " ".join(s.split())


def svg_metadata(svg: Path) -> dict:
    """Title, creator, keywords and description from an Open Clip Art SVG's RDF block."""
    meta = dict(title="", creator="", keywords=[], description="", licence="")
    if not svg.is_file():
        return meta
    text = svg.read_text(encoding="utf-8", errors="replace")[:400_000]
    m = re.search(r"<cc:Work.*?</cc:Work>", text, re.S) or re.search(r"<metadata.*?</metadata>", text, re.S)
    if not m:
        return meta
    work = m.group(0)
    creator = re.search(r"<dc:creator>.*?<dc:title>(.*?)</dc:title>", work, re.S)
    if creator:
        meta["creator"] = _text(creator.group(1))
    work_wo_agents = re.sub(r"<dc:(creator|rights|publisher)>.*?</dc:\1>", "", work, flags=re.S)
    title = re.search(r"<dc:title>(.*?)</dc:title>", work_wo_agents, re.S)
    if title:
        meta["title"] = _text(title.group(1))
    desc = re.search(r"<dc:description>(.*?)</dc:description>", work_wo_agents, re.S)
    if desc:
        meta["description"] = _text(desc.group(1))[:300]
    licence = re.search(r"<cc:license\s+rdf:resource=\"([^\"]*)\"", work)
    if licence:
        meta["licence"] = licence.group(1)
    subject = re.search(r"<dc:subject>(.*?)</dc:subject>", work, re.S)
    if subject:
        words = [_text(k) for k in re.findall(r"<rdf:li>(.*?)</rdf:li>", subject.group(1), re.S)]
        if not words:  # some files keep the keywords as plain text
            words = re.split(r"[,\s]+", _text(subject.group(1)))
        seen: list[str] = []
        for w in words:
            w = w.strip().lower()
            if w and w not in seen:
                seen.append(w)
        meta["keywords"] = seen
    return meta


# ----------------------------------------------------------------------------- pixels


def _dilate(mask: np.ndarray) -> np.ndarray:
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def flood_from_border(candidate: np.ndarray) -> np.ndarray:
    """The part of ``candidate`` (bool HxW) 4-connected to the picture's border."""
    seed = np.zeros_like(candidate)
    seed[0, :] = candidate[0, :]
    seed[-1, :] = candidate[-1, :]
    seed[:, 0] |= candidate[:, 0]
    seed[:, -1] |= candidate[:, -1]
    region = seed
    while True:
        grown = region
        for _ in range(16):  # check for convergence every 16 steps
            grown = _dilate(grown) & candidate
        if np.array_equal(grown, region):
            return region
        region = grown


def _bbox(alpha: np.ndarray, threshold: int = ALPHA_MIN) -> tuple[int, int, int, int] | None:
    ys = np.flatnonzero((alpha >= threshold).any(axis=1))
    xs = np.flatnonzero((alpha >= threshold).any(axis=0))
    if len(xs) == 0:
        return None
    return int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1


def has_white_background(rgba: np.ndarray) -> bool:
    """Whether much of the border is visible near-white (a page the drawing sits on)."""
    border = np.concatenate([rgba[0], rgba[-1], rgba[:, 0], rgba[:, -1]])
    white = (border[:, 3] >= ALPHA_MIN) & (border[:, :3].min(axis=1) >= WHITE)
    return bool(white.mean() > 0.3)


def remove_white_background(rgba: np.ndarray) -> np.ndarray:
    """Make the near-white page around a drawing transparent; white inside the drawing stays.

    The background is the near-white (or already transparent) region connected to the border.
    The 2-pixel ring just inside it is de-matted: an anti-aliased edge pixel ``c`` that was
    blended with white gets alpha ``(255 - min(c)) / 255`` and its colour un-blended, so no
    white halo is left around the outline.
    """
    rgba = rgba.copy()
    rgb = rgba[..., :3].astype(np.int16)
    near_white = (rgb.min(axis=2) >= WHITE) | (rgba[..., 3] < ALPHA_MIN)
    background = flood_from_border(near_white)
    ring = _dilate(_dilate(background)) & ~background
    lightest = rgb.min(axis=2)
    est = np.clip((255 - lightest) / (255 - 60), 0.0, 1.0)  # 60: darkest "outline" level
    ring &= est < 1.0
    a = est[ring]
    keep = a > 0.04
    colours = rgb[ring].astype(np.float32)
    unblended = (colours - (1.0 - a[:, None]) * 255.0) / np.maximum(a[:, None], 1e-3)
    unblended = np.clip(unblended, 0, 255)
    new = rgba[ring]
    new[:, :3] = np.where(keep[:, None], unblended, colours).astype(np.uint8)
    new[:, 3] = np.minimum(new[:, 3], np.where(keep, np.round(a * 255), 0)).astype(np.uint8)
    rgba[ring] = new
    rgba[background] = (0, 0, 0, 0)
    return rgba


def _content_box(rgba: np.ndarray) -> tuple[int, int, int, int] | None:
    """Bounding box of what is visible and not near-white (for a first rough crop)."""
    ink = (rgba[..., 3] >= ALPHA_MIN) & (rgba[..., :3].min(axis=2) < WHITE)
    return _bbox(np.where(ink, 255, 0).astype(np.uint8), 1)


def trim_specks(rgba: np.ndarray, share: float = 0.004) -> np.ndarray:
    """Clear stray specks near an edge: a band of rows or columns beyond an empty gap that
    holds less than ``share`` of the visible pixels (a dot left on the page, a stray line)."""
    rgba = rgba.copy()
    for _ in range(4):
        changed = False
        for axis in (0, 1):
            ink = (rgba[..., 3] >= ALPHA_MIN).sum(axis=axis)  # per column (0) or row (1)
            total = ink.sum()
            if total == 0:
                return rgba
            filled = np.flatnonzero(ink)
            gaps = np.flatnonzero(np.diff(filled) > 1)  # filled[g] | gap | filled[g + 1]
            for g in gaps:
                for lo, hi in ((filled[0], filled[g] + 1), (filled[g + 1], filled[-1] + 1)):
                    if ink[lo:hi].sum() < share * total:
                        if axis == 0:
                            rgba[:, lo:hi] = 0
                        else:
                            rgba[lo:hi] = 0
                        changed = True
        if not changed:
            break
    return rgba


def process(
    png: Path,
    mode: str = "auto",
    alpha_cut: int = 0,
    opaque: bool = False,
    crop: tuple[float, float, float, float] | None = None,
) -> Image.Image:
    """The drawing in ``png`` as a tightly cropped RGBA image, longest side ≤ MAX_SIDE.

    ``mode``: "auto" (remove an opaque white page when the border is one), "white-bg" (always
    remove the white connected to the border) or "keep-white" (only crop). ``alpha_cut``: pixels
    with a lower alpha are dropped (semi-transparent drop shadows); ``opaque``: the rest is made
    fully opaque (before the downscale, which smooths the edges again). ``crop``: keep only this
    part (fractions of the cropped drawing's width and height), then crop again.
    """
    im = Image.open(png)
    im.load()
    rgba = np.asarray(im.convert("RGBA")).copy()
    white_bg = mode == "white-bg" or (mode == "auto" and has_white_background(rgba))
    if white_bg:
        box = _content_box(rgba)
        if box is not None:  # crop to the ink plus a white margin, so the flood has a border
            x0, y0, x1, y1 = box
            h, w = rgba.shape[:2]
            rgba = rgba[max(0, y0 - 3) : min(h, y1 + 3), max(0, x0 - 3) : min(w, x1 + 3)]
            pad = np.full((rgba.shape[0] + 2, rgba.shape[1] + 2, 4), 255, np.uint8)
            pad[1:-1, 1:-1] = rgba
            rgba = remove_white_background(pad)
    if alpha_cut:
        rgba[rgba[..., 3] < alpha_cut] = 0
    if opaque:
        rgba[rgba[..., 3] >= max(alpha_cut, ALPHA_MIN), 3] = 255
    rgba = trim_specks(rgba)
    box = _bbox(rgba[..., 3])
    if box is None:
        raise ValueError(f"{png}: nothing visible")
    x0, y0, x1, y1 = box
    if crop is not None:
        w, h = x1 - x0, y1 - y0
        fx0, fy0, fx1, fy1 = crop
        rgba = rgba[y0 + round(fy0 * h) : y0 + round(fy1 * h), x0 + round(fx0 * w) : x0 + round(fx1 * w)]
        box = _bbox(rgba[..., 3])
        if box is None:
            raise ValueError(f"{png}: nothing visible in {crop}")
        x0, y0, x1, y1 = box
    out = Image.fromarray(rgba[y0:y1, x0:x1], "RGBA")
    w, h = out.size
    scale = MAX_SIDE / max(w, h)
    if scale < 1:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        out = out.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)  # premultiplied
    return out


def quantise(im: Image.Image, colours: int = COLOURS) -> Image.Image:
    """Palette image with per-entry alpha (PNG tRNS); alpha snapped to 16 levels first."""
    arr = np.asarray(im).copy()
    a = arr[..., 3].astype(np.int32)
    a = np.where(a < 8, 0, np.where(a > 247, 255, (a + 8) // 17 * 17))
    arr[..., 3] = a.astype(np.uint8)
    arr[a == 0, :3] = 0  # one transparent colour
    rgba = Image.fromarray(arr, "RGBA")
    return rgba.quantize(colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


# ----------------------------------------------------------------------------- build


def build(rows: list[dict], png_root: Path, svg_root: Path, out: Path) -> list[dict]:
    pics = out / "ocal"
    pics.mkdir(parents=True, exist_ok=True)
    for old in pics.glob("*.png"):
        old.unlink()
    manifest = []
    for row in rows:
        src = png_root / row["path"]
        if not src.is_file():
            raise SystemExit(f"missing {src} (line {row['line']} of the list)")
        notes = row["notes"]
        mode = "white-bg" if "[white-bg]" in notes else "keep-white" if "[keep-white]" in notes else "auto"
        cut = re.search(r"\[alpha-cut=(\d+)\]", notes)
        part = re.search(r"\[crop=([0-9.]+),([0-9.]+),([0-9.]+),([0-9.]+)\]", notes)
        crop = tuple(float(v) for v in part.groups()) if part else None
        im = process(src, mode, int(cut.group(1)) if cut else 0, "[opaque]" in notes, crop)
        pal = quantise(im)
        box = _bbox(np.asarray(pal.convert("RGBA"))[..., 3], 1)  # faint edge pixels snapped to 0
        if box != (0, 0) + pal.size:
            pal = pal.crop(box)
        name = f"{row['id']}.png"
        pal.save(pics / name, optimize=True)
        meta = svg_metadata(svg_root / (row["path"][: -len(".png")] + ".svg"))
        if svg_root.is_dir() and "PublicDomain" not in meta["licence"]:
            print(f"warning: {row['path']}: its SVG names no public-domain licence", file=sys.stderr)
        manifest.append(
            {
                "id": row["id"],
                "file": f"ocal/{name}",
                "nouns": row["nouns"],
                "facing": row["facing"],
                "title": meta["title"],
                "creator": meta["creator"],
                "keywords": meta["keywords"],
                "description": meta["description"],
                "source": f"Debian openclipart-png {DEBIAN_VERSION}: {row['path']}",
                "upstream": UPSTREAM,
                "licence": LICENCE,
                "sha256_original": hashlib.sha256(src.read_bytes()).hexdigest(),
                "size": list(pal.size),
            }
        )
    lines = ",\n".join(" " + json.dumps(entry, ensure_ascii=False) for entry in manifest)
    (out / "manifest.json").write_text(f"[\n{lines}\n]\n", encoding="utf-8")  # one entry a line
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", type=Path, default=DEFAULT_LIST, help="the curated TSV list")
    ap.add_argument("--png-root", type=Path, default=Path("/usr/share/openclipart/png"))
    ap.add_argument("--svg-root", type=Path, default=Path("/usr/share/openclipart/svg"))
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the package's data/clipart folder")
    args = ap.parse_args(argv)
    if not args.png_root.is_dir():
        raise SystemExit(f"{args.png_root} not found: install openclipart-png or pass --png-root")
    if not args.svg_root.is_dir():
        print(f"warning: {args.svg_root} not found: no titles, creators or keywords", file=sys.stderr)
    rows = read_list(args.list)
    assign_ids(rows)
    manifest = build(rows, args.png_root, args.svg_root, args.out)
    total = sum((args.out / e["file"]).stat().st_size for e in manifest)
    print(f"{len(manifest)} drawings, {total / 1e6:.2f} MB in {args.out / 'ocal'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
