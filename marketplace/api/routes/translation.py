"""`POST /translate`: machine translation for the other services (bot, actions); never 5xx."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from marketplace.api.routing import ReleasingRoute
from marketplace.services.translation import TranslationService

router = APIRouter(tags=["translation"], route_class=ReleasingRoute)
LANGUAGE = r"[a-z]{2,3}(-[A-Za-z]{2,4})?"


def get_translation(request: Request) -> TranslationService:
    """The app's translation service (built at startup)."""
    return request.app.state.translation


TranslationDep = Annotated[TranslationService, Depends(get_translation)]


class TranslateIn(BaseModel):
    """A text to translate; `source` may be "auto" (the provider detects it)."""

    text: str = Field(max_length=5000)
    source: str = Field(default="auto", pattern=rf"^(auto|{LANGUAGE})$")
    target: str = Field(pattern=rf"^{LANGUAGE}$")


class TranslateOut(BaseModel):
    """The translation, or the original with `translated=false` and a note saying why."""

    text: str
    original: str
    source: str
    target: str
    translated: bool
    note: str | None


@router.post("/translate")
def translate(body: TranslateIn, translation: TranslationDep) -> TranslateOut:
    """Translate a text (runs in the threadpool: the provider client blocks)."""
    return TranslateOut(**translation.translate_sync(body.text, body.source, body.target).as_dict())
