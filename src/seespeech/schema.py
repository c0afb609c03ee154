"""One declaration per option a user sets: its default, bounds and help, in a pydantic model.

The library checks values against it (``Schema.check``), the CLI builds its options from it
(``cli.app.schema_option``) and the server its form and JSON fields (``server.service.schema_form``,
``Schema.field``), so the three never disagree. The schemas: ``speech.options.DecodingSchema``,
``speech.subtitles.SubtitleSchema``, ``pictures.options.PictureSchema``.
"""

from __future__ import annotations

import annotated_types
from pydantic import BaseModel, Field

from seespeech.errors import OptionError


class Schema(BaseModel):
    """A model whose fields are options (a ``Field`` with default, bounds and description)."""

    @classmethod
    def bounds(cls, name: str) -> dict[str, float]:
        """The option's bounds as pydantic and FastAPI spell them: {"ge": 1, "le": 20}, {"gt": 0, …}."""
        out: dict[str, float] = {}
        for rule in cls.model_fields[name].metadata:
            for key in ("ge", "gt", "le", "lt"):
                if isinstance(rule, getattr(annotated_types, key.capitalize())):
                    out[key] = getattr(rule, key)
        return out

    @classmethod
    def default(cls, name: str):
        return cls.model_fields[name].default

    @classmethod
    def help(cls, name: str) -> str:
        return cls.model_fields[name].description or ""

    @classmethod
    def is_int(cls, name: str) -> bool:
        return cls.model_fields[name].annotation in (int, int | None)

    @classmethod
    def field(cls, name: str, **extra):
        """The same option as a pydantic field of another model (a JSON request body)."""
        return Field(cls.default(name), description=cls.help(name), **cls.bounds(name), **extra)

    @classmethod
    def check(cls, name: str, value, param: str | None = None) -> None:
        """Refuse a value outside the option's bounds, saying what they are (None: unset, fine)."""
        if value is None:
            return
        b = cls.bounds(name)
        low_ok = value >= b["ge"] if "ge" in b else value > b["gt"] if "gt" in b else True
        high_ok = value <= b["le"] if "le" in b else value < b["lt"] if "lt" in b else True
        if low_ok and high_ok:
            return
        n = _number
        if "ge" in b and "le" in b:
            rule = f"between {n(b['ge'])} and {n(b['le'])}"
        else:
            rule = " and ".join(([f"at least {n(b['ge'])}"] if "ge" in b else [f"above {n(b['gt'])}"] if "gt" in b else [])
                                + ([f"at most {n(b['le'])}"] if "le" in b else [f"below {n(b['lt'])}"] if "lt" in b else []))
        raise OptionError(f"{param or name} must be {rule}, not {n(value)}", param or name)


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
