"""What the bot says about /translation (a seller correcting a listing's text), in eight languages."""

from __future__ import annotations

from bot.texts import in_language

TEXTS: dict[str, dict[str, str]] = {
    "usage": {
        "en": "To correct how your listing reads in another language: /translation <product number> <language> "
              "<title>, e.g. /translation 12 es Suéter de lana noruego. Languages: {languages}.",
        "es": "Para corregir cómo se lee tu anuncio en otro idioma: /translation <número de producto> <idioma> "
              "<título>, p. ej. /translation 12 en Norwegian wool sweater. Idiomas: {languages}.",
        "pt": "Para corrigir como seu anúncio aparece em outro idioma: /translation <número do produto> <idioma> "
              "<título>, p. ex. /translation 12 es Suéter de lana noruego. Idiomas: {languages}.",
        "de": "So korrigierst du dein Angebot in einer anderen Sprache: /translation <Produktnummer> <Sprache> "
              "<Titel>, z. B. /translation 12 es Suéter de lana noruego. Sprachen: {languages}.",
        "fr": "Pour corriger ton annonce dans une autre langue : /translation <numéro du produit> <langue> "
              "<titre>, p. ex. /translation 12 es Suéter de lana noruego. Langues : {languages}.",
        "it": "Per correggere il tuo annuncio in un'altra lingua: /translation <numero prodotto> <lingua> "
              "<titolo>, ad es. /translation 12 es Suéter de lana noruego. Lingue: {languages}.",
        "nb": "Slik retter du annonsen din på et annet språk: /translation <varenummer> <språk> <tittel>, "
              "f.eks. /translation 12 es Suéter de lana noruego. Språk: {languages}.",
        "zh": "更正商品在其他语言中的标题：/translation <商品编号> <语言> <标题>，"
              "例如 /translation 12 es Suéter de lana noruego。语言：{languages}。",
    },
    "saved": {
        "en": "✅ #{id} now reads “{title}” in {lang_name}.", "es": "✅ #{id} ahora se lee «{title}» en {lang_name}.",
        "pt": "✅ #{id} agora aparece como “{title}” em {lang_name}.", "de": "✅ #{id} heißt auf {lang_name} jetzt „{title}“.",
        "fr": "✅ n° {id} s'affiche maintenant « {title} » en {lang_name}.",
        "it": "✅ #{id} ora si legge «{title}» in {lang_name}.", "nb": "✅ #{id} heter nå «{title}» på {lang_name}.",
        "zh": "✅ #{id} 的{lang_name}标题已改为“{title}”。",
    },
    "not_yours": {
        "en": "I can't find product #{id} in your shop.", "es": "No encuentro el producto #{id} en tu tienda.",
        "pt": "Não encontro o produto #{id} na sua loja.", "de": "Produkt #{id} finde ich in deinem Shop nicht.",
        "fr": "Je ne trouve pas le produit n° {id} dans ta boutique.",
        "it": "Non trovo il prodotto #{id} nel tuo negozio.", "nb": "Jeg finner ikke vare #{id} i butikken din.",
        "zh": "在你的店铺里找不到商品 #{id}。",
    },
}


def say(key: str, language: str | None, **values: object) -> str:
    return in_language(TEXTS[key], language).format(**values)
