"""Machine-translate a new listing's title and description into the other supported languages.

Runs after the listing is created (a background step with its own sessions), so a slow or absent
translation provider never slows down or fails the seller's request: the listing then simply stays
in its original language. Languages that already have a text (given by the seller, or corrected
meanwhile) are left alone.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.search_text import SUPPORTED_LANGUAGES
from marketplace.services import catalog
from marketplace.services.errors import NotFound
from marketplace.services.translation import TranslationService

log = logging.getLogger(__name__)
TITLE_MAX = 200


def _translate_texts(translation: TranslationService, title: str, description: str, source: str,
                     target: str) -> tuple[str, str] | None:
    """Title and description in `target`, or None unless both translated (no half-translated listings)."""
    translated_title = translation.translate_sync(title, source, target)
    if not translated_title.translated:
        return None
    if not description.strip():
        return translated_title.text, ""
    translated_description = translation.translate_sync(description, source, target)
    if not translated_description.translated:
        return None
    return translated_title.text, translated_description.text


def translate_listing(translation: TranslationService, factory: sessionmaker[Session], product_id: int) -> list[str]:
    """Store machine translations of a listing; returns the languages added. Blocking: run it in a
    threadpool (FastAPI runs sync background tasks there). Never raises."""
    try:
        return _translate_listing(translation, factory, product_id)
    except Exception:  # noqa: BLE001 - a background step: log, the listing itself is already saved
        log.exception("translating listing %s failed", product_id)
        return []


def _translate_listing(translation: TranslationService, factory: sessionmaker[Session], product_id: int) -> list[str]:
    if not translation.enabled:
        return []
    with factory() as session:  # read, then let go of the connection while the provider works
        try:
            product = catalog.get_product(session, product_id)
        except NotFound:
            return []
        source = product.original_language
        original = catalog.text_in(product, source)
        title, description = original.title, original.description
        missing = [lang for lang in SUPPORTED_LANGUAGES if lang not in {t.language for t in product.translations}]
    texts = {}
    for language in missing:
        translated = _translate_texts(translation, title, description, source, language)
        if translated is not None:
            texts[language] = translated
    if not texts:
        return []
    added = []
    with transaction(factory) as session:
        try:
            product = catalog.get_product(session, product_id)
        except NotFound:
            return []
        present = {t.language for t in product.translations}
        for language, (new_title, new_description) in texts.items():
            if language in present or not new_title.strip():
                continue  # the seller wrote this one meanwhile
            catalog.set_translation(product, language=language, title=new_title[:TITLE_MAX],
                                    description=new_description, source="machine")
            added.append(language)
    log.info("listing %s translated into %s", product_id, ", ".join(added) or "nothing")
    return added
