"""Stages: the drawn backgrounds of the scene composer, with time-of-day light and weather.

``draw_stage`` paints a place (a meadow, a beach, a kitchen, the moon...) as a flat
illustration in OpenMoji's look (flat fills, black outlines about 2.5 % of a thing's height,
gradients only for skies and water) and says where things go: the horizon (or the wall/floor
line indoors), the baselines of the three depth planes, and named boxes (``surfaces``: the
ground, the water line, a cliff top, a kitchen counter...; ``features``: setting things the
plan may list as objects, such as a bridge or an island).

``light`` shows how a sprite looks in the stage's light (darker and bluer at night, warmer at
sunset, duller in a storm or fog); ``fog_veil`` lets the composer veil the planes it has drawn
so far (call it after each plane, farthest first); ``draw_weather`` adds rain, snow, lightning,
fog or wind on top once the objects are drawn.

Geometry. Outdoors the horizon is at about 46-60 % of the height (the ground covers the
lower ~40-45 %); indoors the wall meets the floor at 60 %. The depth planes' baselines are
in perspective: plane 0 at 93 % of the height and planes 1, 2 at 0.7 and 0.49 of that
distance below the horizon (their scales). ``surfaces`` always has "sky" when there is one
(indoors: the window glass) and "ground" where there is walkable ground (its y0 is the
horizon, or the top of the walkable part: the sand below the surf, the near river bank).
Per place (other surfaces / features):

=============  =====================================  =========================================
place          surfaces                               features
=============  =====================================  =========================================
outdoors       ground                                 -
park           ground                                 path
garden         ground                                 fence, flowers, flower bed
farm           ground                                 barn, field, fence
beach          ground (sand), water                   sea
lake           ground (near bank), water              lake
river          ground, water, far bank, [bridge]      river, [bridge] (``features={"bridge"}``)
sea            water (no ground)                      sea
island         water, island (its flat top)           sea, island (the whole hump)
mountains      ground                                 mountain (the highest near peak), mountains
cliff          cliff (flat top: x0..x1, y0), water    cliff, sea (no ground)
forest         ground                                 trees
desert         ground                                 dunes
snow           ground                                 -
city           ground, road, pavement                 -
space          sky = the whole picture (no ground)    planet
moon           ground                                 earth
shop           ground (pavement), shopfront           shop, [bakery], door, shop window, awning, sign
room           ground, window                         window, door
kitchen        ground, window, counter                counter, stove, window
living room    ground, window                         window, rug, picture
bedroom        ground, window                         window, rug, shelf
hospital       ground, window                         window, curtain, red cross
classroom      ground, window, blackboard             blackboard, clock, window
=============  =====================================  =========================================

"sun" and "moon" are added to ``features`` when drawn (``sun=True`` / ``moon=True``).

Everything is drawn from this file's own geometry (no third-party artwork). Drawing is
deterministic for a given ``random.Random``: the generator picks one of a few variants of a
place, and each variant is drawn once and cached (as are the weather overlays).

One module per kind of place (countryside, waterside, town, space, indoors), the scenery they
share (scenery.py), the light (lighting.py), the weather overlays (weather.py); stage.py draws one."""

from __future__ import annotations

from seespeech.pictures.stages.places import (  # noqa: F401
    ALIASES, INDOOR, PLACES, PLANE_SCALES, Stage, TIMES, WEATHERS, normalise_place, normalise_time,
    normalise_weather,
)
from seespeech.pictures.stages.lighting import (  # noqa: F401
    light,
)
from seespeech.pictures.stages.stage import (  # noqa: F401
    VARIANTS, draw_stage,
)
from seespeech.pictures.stages.weather import (  # noqa: F401
    draw_weather, fog_veil,
)
