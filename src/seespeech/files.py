"""Writing what seespeech makes: atomically, with the permissions the user's umask gives,
and pictures with their metadata.

Pictures carry text chunks in their PNG: the compose engine's plan and licence credits,
a raw audio picture's pixel scale (``read_raw`` needs it to get the numbers back).
``keep_metadata`` stores them in the image's ``info`` and in its ``encoderinfo``, so a plain
``image.save("x.png")`` keeps them too (Pillow ≥ 11.1 writes an image's own encoderinfo);
``save_image`` and ``png_bytes`` rebuild them from ``info``, so copies keep them as well.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo

#: text chunks seespeech writes (anything else in ``info`` is Pillow's own reading)
METADATA_KEYS = ("Software", "Description", "Copyright")
METADATA_PREFIX = "seespeech:"


def user_mode(mode: int = 0o666) -> int:
    """``mode`` as the process's umask allows: what ``open()`` would give a new file."""
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file; the file
    gets the permissions a plain ``open()`` would (the temporary file is private until then)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, user_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def keep_metadata(image: Image.Image, entries: dict[str, str]) -> Image.Image:
    """Attach PNG text chunks that survive ``image.save(...)`` and ``save_image``."""
    image.info.update({k: str(v) for k, v in entries.items()})
    image.encoderinfo = {**getattr(image, "encoderinfo", {}), "pnginfo": png_info(image)}
    return image


def png_info(image: Image.Image) -> PngInfo | None:
    entries = {k: v for k, v in image.info.items()
               if isinstance(v, str) and (k in METADATA_KEYS or k.startswith(METADATA_PREFIX))}
    if not entries:
        return None
    info = PngInfo()
    for key, value in entries.items():
        info.add_text(key, value)
    return info


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=png_info(image))
    return buffer.getvalue()


def save_image(image: Image.Image, path: Path) -> None:
    """Save atomically; a .png keeps seespeech's metadata (plan, credits, pixel scale)."""
    path = Path(path)
    if path.suffix.lower() in ("", ".png"):
        write_atomic(path, png_bytes(image))
        return
    kind = Image.registered_extensions().get(path.suffix.lower(), "PNG")
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    write_atomic(path, buffer.getvalue())
