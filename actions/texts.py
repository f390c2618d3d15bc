"""Sentences the actions compose (with numbers and names), in the eight languages."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "add_to_cart": {"en": "🛒 Add to cart", "es": "🛒 Añadir al carrito", "pt": "🛒 Adicionar ao carrinho",
                    "de": "🛒 In den Warenkorb", "fr": "🛒 Ajouter au panier", "it": "🛒 Aggiungi al carrello",
                    "nb": "🛒 Legg i handlekurven", "zh": "🛒 加入购物车"},
    "ask_seller": {"en": "💬 Ask the seller", "es": "💬 Preguntar al vendedor", "pt": "💬 Perguntar ao vendedor",
                   "de": "💬 Verkäufer fragen", "fr": "💬 Demander au vendeur", "it": "💬 Chiedi al venditore",
                   "nb": "💬 Spør selgeren", "zh": "💬 询问卖家"},
    "more_like_this": {"en": "🔎 More like this", "es": "🔎 Más como este", "pt": "🔎 Mais como este",
                       "de": "🔎 Mehr davon", "fr": "🔎 Plus comme ça", "it": "🔎 Altri simili",
                       "nb": "🔎 Flere som denne", "zh": "🔎 更多类似商品"},
    "next": {"en": "Next ▶", "es": "Siguiente ▶", "pt": "Próximo ▶", "de": "Weiter ▶", "fr": "Suivant ▶",
             "it": "Avanti ▶", "nb": "Neste ▶", "zh": "下一页 ▶"},
    "previous": {"en": "◀ Previous", "es": "◀ Anterior", "pt": "◀ Anterior", "de": "◀ Zurück", "fr": "◀ Précédent",
                 "it": "◀ Indietro", "nb": "◀ Forrige", "zh": "◀ 上一页"},
    "results": {"en": "{total} results for “{query}” (page {page} of {pages}).",
                "es": "{total} resultados para «{query}» (página {page} de {pages}).",
                "pt": "{total} resultados para “{query}” (página {page} de {pages}).",
                "de": "{total} Treffer für „{query}“ (Seite {page} von {pages}).",
                "fr": "{total} résultats pour « {query} » (page {page} sur {pages}).",
                "it": "{total} risultati per «{query}» (pagina {page} di {pages}).",
                "nb": "{total} treff for «{query}» (side {page} av {pages}).",
                "zh": "“{query}”共有 {total} 个结果（第 {page}/{pages} 页）。"},
    "related": {"en": "Nothing matched every word; these match some of them.",
                "es": "Nada coincide con todas las palabras; estos coinciden con algunas.",
                "pt": "Nada corresponde a todas as palavras; estes correspondem a algumas.",
                "de": "Nichts passt zu allen Wörtern; diese passen zu einigen.",
                "fr": "Rien ne correspond à tous les mots ; ceux-ci correspondent à certains.",
                "it": "Nessun risultato con tutte le parole; questi ne contengono alcune.",
                "nb": "Ingenting passet med alle ordene; disse passer med noen av dem.",
                "zh": "没有商品同时符合所有关键词；以下商品符合其中一部分。"},
    "no_results": {"en": "I found nothing for “{query}”. Try fewer or more general words{hints}.",
                   "es": "No encontré nada para «{query}». Prueba con menos palabras o más generales{hints}.",
                   "pt": "Não encontrei nada para “{query}”. Tente menos palavras ou mais gerais{hints}.",
                   "de": "Ich habe nichts zu „{query}“ gefunden. Versuche weniger oder allgemeinere Wörter{hints}.",
                   "fr": "Je n'ai rien trouvé pour « {query} ». Essaie moins de mots ou des mots plus généraux{hints}.",
                   "it": "Non ho trovato nulla per «{query}». Prova con meno parole o più generiche{hints}.",
                   "nb": "Jeg fant ingenting for «{query}». Prøv færre eller mer generelle ord{hints}.",
                   "zh": "没有找到“{query}”。试试更少或更笼统的关键词{hints}。"},
    "hint_price": {"en": ", raise the price limit", "es": ", sube el precio máximo", "pt": ", aumente o preço máximo",
                   "de": ", erhöhe das Preislimit", "fr": ", augmente le prix maximum", "it": ", alza il prezzo massimo",
                   "nb": ", øk prisgrensen", "zh": "，提高价格上限"},
    "hint_country": {"en": ", or drop the country filter", "es": ", o quita el filtro de país",
                     "pt": ", ou remova o filtro de país", "de": ", oder entferne den Länderfilter",
                     "fr": ", ou retire le filtre de pays", "it": ", o togli il filtro del paese",
                     "nb": ", eller fjern landfilteret", "zh": "，或取消国家筛选"},
    "unavailable": {"en": "The shop is not answering right now; please try again in a moment.",
                    "es": "La tienda no responde en este momento; inténtalo de nuevo en un rato.",
                    "pt": "A loja não está respondendo agora; tente novamente daqui a pouco.",
                    "de": "Der Shop antwortet gerade nicht; bitte versuche es gleich noch einmal.",
                    "fr": "La boutique ne répond pas pour le moment ; réessaie dans un instant.",
                    "it": "Il negozio non risponde in questo momento; riprova tra poco.",
                    "nb": "Butikken svarer ikke akkurat nå; prøv igjen om litt.",
                    "zh": "商店暂时没有响应，请稍后再试。"},
}
LANGUAGES = ("en", "es", "pt", "de", "fr", "it", "nb", "zh")


def say(key: str, language: str | None, **values: object) -> str:
    """A sentence in `language` (English when unknown), with `values` filled in."""
    variants = TEXTS[key]
    return variants.get(language or "en", variants["en"]).format(**values)
