"""The base of the printer profiles' pydantic models (`printers.py`).

They are read once per printer command. (The content classes in `model.py` and the kit
file's in `kitfile.py` are dataclasses instead: the commands that print never import
pydantic once what they read is cached.)
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Unknown keys are errors; types are strict (no "10" for 10)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
