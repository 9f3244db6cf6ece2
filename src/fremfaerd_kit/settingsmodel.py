"""The base of the settings files' models: the kit file and the printer profiles.

They are pydantic models, read once per command that needs them. (The content classes in
`model.py` are dataclasses instead: the library they make is cached, and the commands that
print it never import pydantic.)
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Unknown keys are errors; types are strict (no "10" for 10)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
