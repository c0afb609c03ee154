"""Time-of-day and weather light: how the sky and a sprite look at night, at sunset, in a storm."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import numpy as np
from PIL import Image

from seespeech.pictures.canvas import RGB

from typing import TYPE_CHECKING

if TYPE_CHECKING:   # annotations only
    from seespeech.pictures.stages.places import Stage


# -- light ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Look:
    """How colours change in a time of day and weather: desaturate, multiply, add, then mix with
    the haze colour in proportion to distance (``depth`` 0 near .. 1 at the horizon)."""

    desat: float
    mul: tuple[float, float, float]
    add: tuple[float, float, float]
    haze: float
    haze_colour: tuple[float, float, float]
    sky: tuple[RGB, ...]               # sky gradient stops, top to horizon
    night: bool
    cloudy: bool

    def colour(self, c: tuple, depth: float = 0.0) -> RGB:
        r, g, b = (float(v) for v in c[:3])
        if self.desat:
            y = 0.3 * r + 0.59 * g + 0.11 * b
            r, g, b = (v + (y - v) * self.desat for v in (r, g, b))
        out = [v * m + a for v, m, a in zip((r, g, b), self.mul, self.add)]
        k = self.haze * max(0.0, min(1.0, depth))
        if k:
            out = [v + (h - v) * k for v, h in zip(out, self.haze_colour)]
        return tuple(max(0, min(255, round(v))) for v in out)  # type: ignore[return-value]

    def apply(self, arr: np.ndarray) -> np.ndarray:
        """The same change (without haze) for an (..., 3) float array."""
        if self.desat:
            y = arr @ np.array([0.3, 0.59, 0.11], dtype=np.float32)
            arr = arr + (y[..., None] - arr) * self.desat
        return arr * np.array(self.mul, dtype=np.float32) + np.array(self.add, dtype=np.float32)


_SKY = {
    "day": ((70, 146, 226), (122, 186, 240), (186, 224, 246)),
    "sunset": ((72, 66, 150), (216, 104, 142), (255, 166, 96), (255, 208, 120)),
    "night": ((6, 10, 34), (18, 28, 66), (40, 56, 104)),
}
_WEATHER_SKY = {  # (greys of the clouded sky, how much they cover the clear sky)
    "storm": (((52, 58, 74), (84, 90, 106), (112, 118, 132)), 0.92),
    "rain": (((118, 130, 148), (150, 160, 174), (186, 192, 200)), 0.85),
    "snow": (((170, 180, 196), (198, 206, 218), (226, 230, 238)), 0.8),
    "fog": (((196, 202, 208), (212, 216, 220), (226, 228, 230)), 0.88),
}
_FOG = {"day": (226, 228, 230), "sunset": (232, 206, 190), "night": (70, 78, 100)}


def _mix(a: tuple, b: tuple, k: float) -> RGB:
    return tuple(round(x + (y - x) * k) for x, y in zip(a[:3], b[:3]))  # type: ignore[return-value]


def _stops(stops: tuple, n: int) -> tuple[RGB, ...]:
    """``stops`` resampled to ``n`` evenly spaced colours."""
    out = []
    for i in range(n):
        t = i / (n - 1) * (len(stops) - 1)
        j = min(int(t), len(stops) - 2)
        out.append(_mix(stops[j], stops[j + 1], t - j))
    return tuple(out)


@lru_cache(maxsize=64)
def _look(time: str, weather: tuple[str, ...], indoor: bool) -> _Look:
    desat, mul, add = 0.0, [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]
    if time == "sunset":
        if indoor:
            mul, add = [1.0, 0.93, 0.86], [10.0, 4.0, 4.0]
        else:
            mul, add = [1.0, 0.84, 0.74], [22.0, 8.0, 14.0]
    elif time == "night":
        if indoor:   # lamp light
            mul, add = [0.86, 0.8, 0.76], [0.0, 0.0, 6.0]
        else:
            desat, mul, add = 0.3, [0.36, 0.42, 0.62], [4.0, 6.0, 20.0]
    sky = _stops(_SKY[time], 4)
    haze_colour: tuple = sky[-1]
    haze = 0.0 if indoor else 0.32
    cloudy = False
    if not indoor:
        bright = {"day": 1.0, "sunset": 0.8, "night": 0.3}[time]
        for kind in ("storm", "rain", "snow", "fog"):
            if kind in weather:
                greys, cover = _WEATHER_SKY[kind]
                greys = _stops(greys, 4)
                sky = tuple(_mix(s, tuple(v * bright for v in g), cover) for s, g in zip(sky, greys))
                cloudy = True
                break
        if "storm" in weather:
            desat = max(desat, 0.45)
            mul = [m * k for m, k in zip(mul, (0.66, 0.68, 0.76))]
        elif "rain" in weather:
            desat = max(desat, 0.28)
            mul = [m * k for m, k in zip(mul, (0.86, 0.88, 0.94))]
        elif "snow" in weather:
            desat = max(desat, 0.15)
            add = [a + 6 for a in add]
        if "fog" in weather:
            desat = max(desat, 0.3)
            haze, haze_colour = 0.82, _FOG[time]
        else:
            haze_colour = sky[-1]
    return _Look(desat, tuple(mul), tuple(add), haze, tuple(float(v) for v in haze_colour),  # type: ignore[arg-type]
                 sky, time == "night", cloudy)


def light(sprite: Image.Image, stage: Stage) -> Image.Image:
    """``sprite`` (RGBA) as it looks in the stage's light: darker and bluer at night (warmer
    lamp light indoors), warmer at sunset, duller and darker in rain or a storm, paler in fog.
    Alpha is kept; a day without weather returns an unchanged copy."""
    look = _look(stage.time, tuple(stage.weather), stage.indoor)
    if stage.place in ("space", "moon") or (look.mul == (1.0, 1.0, 1.0) and not any(look.add)
                                             and not look.desat and "fog" not in stage.weather):
        return sprite.copy()
    rgba = sprite.convert("RGBA")
    arr = np.asarray(rgba, dtype=np.float32)
    rgb = look.apply(arr[..., :3])
    if "fog" in stage.weather and not stage.indoor:
        rgb = rgb + (np.array(look.haze_colour, dtype=np.float32) - rgb) * 0.12
    out = np.empty(arr.shape, dtype=np.uint8)
    out[..., :3] = np.clip(rgb, 0, 255)
    out[..., 3] = arr[..., 3]
    return Image.fromarray(out, "RGBA")
