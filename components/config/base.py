"""The base class of every stack-file model: frozen, strict about unknown keys, documented fields."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

SLUG = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")


class ConfigModel(BaseModel):
    """Frozen pydantic model that refuses unknown keys (so typos are reported, not ignored)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
