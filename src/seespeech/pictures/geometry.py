"""The geometry the layout works in: pixel boxes, the things it places (with their real sizes
and what the stage tells of each), the relations between them, the stage's ground, and the
scale rules (how much of the picture the main things fill, the least a thing is drawn)."""

from __future__ import annotations

from dataclasses import dataclass, field


#: the share of the picture's height the tallest main thing stands
TARGET_HEIGHT = 0.62
#: the share of the picture's width the main things may take together
TARGET_WIDTH = 0.86
#: nothing said is drawn smaller than this share of the picture (the checker's floor is 0.8 %)
MIN_AREA = 0.011
#: a thing the sentence is about is drawn at least this big (close-ups: "a snail on a mushroom")
MIN_SUBJECT_AREA = 0.025
#: and no thing is taller than this share of the picture
MAX_HEIGHT = 0.86
PLANE_SCALES = (1.0, 0.7, 0.49)
#: the tallest a thing in the air is drawn (a plane over the mountains is far away)
SKY_HEIGHT = 0.32
#: things on the water stand this share of the picture at most (seen across the water)
WATER_HEIGHT = 0.24
#: indoors nothing is drawn as if it were smaller than this (metres filling TARGET_HEIGHT)
INDOOR_MIN_M = 1.3
#: what something stands in front of, under or behind counts this much of its height for the camera
BACKDROP = 0.3
MIN_SIDE = 12


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def __post_init__(self) -> None:  # never an inverted or empty box
        if self.x1 < self.x0 + 1:
            self.x1 = self.x0 + 1
        if self.y1 < self.y0 + 1:
            self.y1 = self.y0 + 1

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def moved(self, dx: float, dy: float) -> "Box":
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def as_list(self) -> list[int]:
        return [round(self.x0), round(self.y0), round(self.x1), round(self.y1)]

    @classmethod
    def at(cls, cx: float, bottom: float, w: float, h: float) -> "Box":
        """A box of size w x h standing with its bottom centre at (cx, bottom)."""
        return cls(cx - w / 2, bottom - h, cx + w / 2, bottom)


@dataclass
class Thing:
    """One said thing (``count`` instances) as the layout sees it."""

    index: int
    noun: str
    count: int
    height_m: float          # real height (sky things: a share of the picture's height)
    aspect: float            # width / height of its picture
    rests: str               # ground | sky | water | table | wall | held
    facing: str = "front"    # which way its picture faces: left | right | front
    #: fractions of its box: top (y), seat (y, x0, x1), interior (x0, y0, x1, y1), hand ((x, y) per instance)
    surfaces: dict = field(default_factory=dict)
    subject: bool = False    # a thing the sentence is about
    far: bool = False        # sun, moon, stars, emblems: sized as a share of the picture
    feature: bool = False    # drawn by the stage; its box is given
    given: Box | None = None
    region: str | None = None
    scale: float = 1.0       # said size (big, small)
    on_table: bool = False   # a small thing that stands on a table or counter when there is one
    raised: bool = False     # it stands on a counter, not on the floor
    #: results
    boxes: list[Box] = field(default_factory=list)
    layers: list[int] = field(default_factory=list)
    facings: list[str] = field(default_factory=list)
    #: per instance: the part of its box drawn over what is inside it (front-layer props), or None
    occludes: list = field(default_factory=list)
    opacity: list = field(default_factory=list)
    depth: int = 0
    enlarged: bool = False
    placed_by: str | None = None   # the relation that placed it


@dataclass
class Link:
    subject: int
    relation: str
    anchor: int
    said: str = ""


@dataclass
class Ground:
    """The stage's geometry the layout needs."""

    width: int
    height: int
    planes: tuple[int, int, int]
    horizon: int
    indoor: bool = False
    water: tuple[int, int, int, int] | None = None
    sky: tuple[int, int, int, int] | None = None
    features: dict = field(default_factory=dict)
    ground_free: bool = True     # False in space: nothing stands
    counter: tuple[int, int, int, int] | None = None   # a kitchen counter: small things stand on it
    close_up: bool = False       # only small things: the camera comes close, whatever the room


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _union(boxes: list[Box]) -> Box:
    if not boxes:
        return Box(0, 0, 1, 1)
    return Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes))
