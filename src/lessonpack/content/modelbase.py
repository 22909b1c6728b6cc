"""The content model's building blocks: id and text types and the strict base model (unknown
keys are errors), shared by model.py, resources_model.py and checks_model.py."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SafeId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
BandId = Annotated[str, StringConstraints(pattern=r"^([0-9]{1,2}-[0-9]{1,2}|adults)$")]
EditionId = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}-[A-Z]{2}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|international)$")]
Text = Annotated[str, StringConstraints(min_length=1)]
PictureId = SafeId
"""A pictogram's id (``assets/pictograms/<id>.svg``; the list is content/pictures.py)."""
TextList = Annotated[list[Text], Field(min_length=1)]


class StrictModel(BaseModel):
    """A record whose unknown keys are errors and whose fields carry docstrings."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
