"""People drawn as people: an OpenMoji bust on a drawn body, in a pose.

OpenMoji draws every age, gender and role as a head-and-shoulders bust; its only
full-body people are faceless stick figures. A figure here is the bust (head, hair,
hat and the top of the clothes, rasterised from the OpenMoji SVG with resvg) on a body
drawn in the same flat style: a torso that continues the bust's clothing colour,
sleeves, hands in the face's colour (or gloves), trousers, a skirt, a robe or a coat,
and shoes, all with black outlines as thick as the bust's own strokes.

Proportions follow the age: a child's bust is a larger share of its height than an
adult's, a toddler's larger still. Roles are the OpenMoji role busts (astronaut, cook,
police officer...) with the body dressed to match; roles that OpenMoji lacks are a
plain bust plus drawn or OpenMoji additions (a pirate's tricorn and eyepatch, a king's
crown, a fisherman's rod). A prop that a role bust holds beside its shoulder (the
farmer's pitchfork, the mage's staff) gets a drawn hand on it.

Everything is drawn facing right and mirrored for ``facing="left"``. Drawing is
deterministic: no randomness at all.

What a person is (spec.py: ages, poses, roles, sizes), the OpenMoji busts and their colours
(busts.py), the body drawn under a bust in a pose (body.py) and the cached public call
(draw.py)."""

from __future__ import annotations

from seespeech.pictures.people.spec import (  # noqa: F401
    AGES, Figure, GENDERS, OPENMOJI_UNITS, POSES, PersonSpec, ROLES, ROLE_ALIASES, Role, bust_code,
    canonical_role, normalise, person_height_m,
)
from seespeech.pictures.people.draw import (  # noqa: F401
    _figure, draw_person,
)
