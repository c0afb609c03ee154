"""Drawn props: everyday things that neither OpenMoji nor Open Clip Art pictures well.

Each prop is drawn with Pillow in OpenMoji's look: flat fills, black outlines (about 2.5 % of
the prop's size, at least 1 px), friendly saturated colours. ``draw_prop`` returns an RGBA
image of exactly the requested size; props whose contents sit *inside* them (a baby in a
crib, hay in a cart, fish in an aquarium) also come as a "back" and a "front" part, so the
composer can draw the back, then the contents, then the front (bars, a side board, glass).

``PROPS`` describes every prop: its real-world size (metres), the aspect of its drawing and
its *surfaces* as fractions of the drawing's box:

* ``top``: ``(x0, y, x1, y)`` the line things stand on (table top, mattress, shelf top);
* ``seat``: ``(x0, y, x1, y)`` where someone sits (bench, swing, sled);
* ``deck``: ``(x0, y, x1, y)`` where people walk on a bridge;
* ``interior``: ``(x0, y0, x1, y1)`` the box things are in (crib, cart, cage, aquarium);
* ``door`` / ``window``: boxes on buildings (shop, barn).

Everything is drawn from this package's own geometry (no third-party artwork), so there is no
clip-art licence to record. Drawing is deterministic and cached per (name, size, colour, sign).

The pen and shared strokes (pen.py), the drawers of things found outdoors (outdoors.py) and
indoors (indoors.py), the table of props with their sizes and surfaces (table.py), and the
cached drawing (draw.py)."""

from __future__ import annotations

from seespeech.pictures.props.pen import (  # noqa: F401
    shade, tint,
)
from seespeech.pictures.props.table import (  # noqa: F401
    PROPS, PropInfo, lookup, prop_names,
)
from seespeech.pictures.props.draw import (  # noqa: F401
    CACHE_BUDGET, clear_cache, draw_prop,
)
