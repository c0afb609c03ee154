"""Drawing speed: a stage (place + weather + fog) and a person figure, first draw and cached.

    python bench/drawing.py

Prints medians and worst cases; no target is asserted (the picture stage's budget is checked
end to end by bench/imagine.py). These were two timing "tests" that could not fail.
"""

import random
import time

import numpy as np

from seespeech.pictures import people
from seespeech.pictures import stages as S
from seespeech.pictures.people import POSES, PersonSpec, draw_person


def stages() -> None:
    rng = random.Random(0)
    for place in S.PLACES:                                           # warm up (imports, fonts)
        S.draw_stage(place, "day", (), 512, 512, rng)
    first, again = [], []
    for place in S.PLACES:
        for k, (time_, weather) in enumerate((("day", ()), ("night", ("rain",)), ("sunset", ("storm", "fog")))):
            for times in (first, again):                             # a new variant, then the same again
                t = time.perf_counter()
                stage = S.draw_stage(place, time_, weather, 512, 512, random.Random(k))
                for plane in (2, 1, 0):
                    S.fog_veil(stage.image, stage, plane)
                S.draw_weather(stage.image, stage, random.Random(k))
                times.append(time.perf_counter() - t)
    for name, times in (("first draw", first), ("cached", again)):
        print(f"stage + weather at 512x512, {name}: mean {np.mean(times) * 1e3:.1f} ms, "
              f"median {np.median(times) * 1e3:.1f} ms, worst {max(times) * 1e3:.1f} ms over {len(times)}")


def figures() -> None:
    specs = [PersonSpec("adult", "m"), PersonSpec("child", "f"), PersonSpec("adult", None, "astronaut"),
             PersonSpec("adult", None, "farmer")]
    for spec in specs:
        draw_person(spec, "stand", 150)  # busts rendered once
    people._figure.cache_clear()
    times = []
    for spec in specs:
        for pose in POSES:
            start = time.perf_counter()
            draw_person(spec, pose, 150)
            times.append(time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(100):
        draw_person(specs[0], "walk", 150)
    hit = (time.perf_counter() - start) / 100
    times.sort()
    print(f"figure 150 px, bust cached: median {times[len(times) // 2] * 1000:.1f} ms, "
          f"max {times[-1] * 1000:.1f} ms; cached figure {hit * 1000:.3f} ms")


if __name__ == "__main__":
    stages()
    figures()
