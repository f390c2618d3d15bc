"""What the bot says around relayed buyer <-> seller messages, in the eight languages."""

from __future__ import annotations

from bot.texts import in_language

TEXTS: dict[str, dict[str, str]] = {
    "prompt_product": {
        "en": "✍️ Write your question about “{title}” for {shop}. I'll pass it on, translated into their language.",
        "es": "✍️ Escribe tu pregunta sobre «{title}» para {shop}. Se la haré llegar traducida a su idioma.",
        "pt": "✍️ Escreva sua pergunta sobre “{title}” para {shop}. Vou encaminhá-la traduzida para o idioma deles.",
        "de": "✍️ Schreib deine Frage zu „{title}“ an {shop}. Ich leite sie in ihre Sprache übersetzt weiter.",
        "fr": "✍️ Écris ta question sur « {title} » pour {shop}. Je la transmettrai, traduite dans sa langue.",
        "it": "✍️ Scrivi la tua domanda su «{title}» per {shop}. La inoltrerò tradotta nella sua lingua.",
        "nb": "✍️ Skriv spørsmålet ditt om «{title}» til {shop}. Jeg sender det videre, oversatt til deres språk.",
        "zh": "✍️ 请写下你想问 {shop} 关于“{title}”的问题。我会翻译成对方的语言后转达。",
    },
    "prompt_order_buyer": {
        "en": "✍️ Write your message to {shop} about order #{order}. I'll pass it on, translated into their language.",
        "es": "✍️ Escribe tu mensaje para {shop} sobre el pedido #{order}. Se lo haré llegar traducido a su idioma.",
        "pt": "✍️ Escreva sua mensagem para {shop} sobre o pedido #{order}. Vou encaminhá-la traduzida para o idioma deles.",
        "de": "✍️ Schreib deine Nachricht an {shop} zur Bestellung #{order}. Ich leite sie in ihre Sprache übersetzt weiter.",
        "fr": "✍️ Écris ton message pour {shop} au sujet de la commande n° {order}. Je le transmettrai, traduit dans sa langue.",
        "it": "✍️ Scrivi il tuo messaggio per {shop} sull'ordine #{order}. Lo inoltrerò tradotto nella sua lingua.",
        "nb": "✍️ Skriv meldingen din til {shop} om ordre #{order}. Jeg sender den videre, oversatt til deres språk.",
        "zh": "✍️ 请写下你要发给 {shop} 的关于订单 #{order} 的消息。我会翻译成对方的语言后转达。",
    },
    "prompt_order_seller": {
        "en": "✍️ Write your message to the buyer of order #{order}. I'll pass it on, translated into their language.",
        "es": "✍️ Escribe tu mensaje para el comprador del pedido #{order}. Se lo haré llegar traducido a su idioma.",
        "pt": "✍️ Escreva sua mensagem para o comprador do pedido #{order}. Vou encaminhá-la traduzida para o idioma dele.",
        "de": "✍️ Schreib deine Nachricht an den Käufer der Bestellung #{order}. Ich leite sie in seine Sprache übersetzt weiter.",
        "fr": "✍️ Écris ton message pour l'acheteur de la commande n° {order}. Je le transmettrai, traduit dans sa langue.",
        "it": "✍️ Scrivi il tuo messaggio per l'acquirente dell'ordine #{order}. Lo inoltrerò tradotto nella sua lingua.",
        "nb": "✍️ Skriv meldingen din til kjøperen av ordre #{order}. Jeg sender den videre, oversatt til kjøperens språk.",
        "zh": "✍️ 请写下你要发给订单 #{order} 买家的消息。我会翻译成对方的语言后转达。",
    },
    "placeholder": {"en": "Your message…", "es": "Tu mensaje…", "pt": "Sua mensagem…", "de": "Deine Nachricht…",
                    "fr": "Ton message…", "it": "Il tuo messaggio…", "nb": "Meldingen din…", "zh": "你的消息…"},
    "from_buyer_order": {
        "en": "💬 The buyer of order #{order} writes:", "es": "💬 El comprador del pedido #{order} escribe:",
        "pt": "💬 O comprador do pedido #{order} escreve:", "de": "💬 Der Käufer der Bestellung #{order} schreibt:",
        "fr": "💬 L'acheteur de la commande n° {order} écrit :", "it": "💬 L'acquirente dell'ordine #{order} scrive:",
        "nb": "💬 Kjøperen av ordre #{order} skriver:", "zh": "💬 订单 #{order} 的买家写道：",
    },
    "from_buyer_product": {
        "en": "💬 A buyer asks about “{title}”:", "es": "💬 Un comprador pregunta por «{title}»:",
        "pt": "💬 Um comprador pergunta sobre “{title}”:", "de": "💬 Ein Käufer fragt zu „{title}“:",
        "fr": "💬 Un acheteur pose une question sur « {title} » :", "it": "💬 Un acquirente chiede di «{title}»:",
        "nb": "💬 En kjøper spør om «{title}»:", "zh": "💬 一位买家询问“{title}”：",
    },
    "from_seller_order": {
        "en": "💬 {shop} writes about your order #{order}:", "es": "💬 {shop} escribe sobre tu pedido #{order}:",
        "pt": "💬 {shop} escreve sobre o seu pedido #{order}:", "de": "💬 {shop} schreibt zu deiner Bestellung #{order}:",
        "fr": "💬 {shop} écrit au sujet de ta commande n° {order} :", "it": "💬 {shop} scrive sul tuo ordine #{order}:",
        "nb": "💬 {shop} skriver om ordren din #{order}:", "zh": "💬 {shop} 就你的订单 #{order} 写道：",
    },
    "from_seller_product": {
        "en": "💬 {shop} answers about “{title}”:", "es": "💬 {shop} responde sobre «{title}»:",
        "pt": "💬 {shop} responde sobre “{title}”:", "de": "💬 {shop} antwortet zu „{title}“:",
        "fr": "💬 {shop} répond au sujet de « {title} » :", "it": "💬 {shop} risponde su «{title}»:",
        "nb": "💬 {shop} svarer om «{title}»:", "zh": "💬 {shop} 关于“{title}”回复：",
    },
    "reply_hint": {
        "en": "↩️ Reply to this message to answer.", "es": "↩️ Responde a este mensaje para contestar.",
        "pt": "↩️ Responda a esta mensagem para retornar.", "de": "↩️ Antworte auf diese Nachricht, um zu antworten.",
        "fr": "↩️ Réponds à ce message pour répondre.", "it": "↩️ Rispondi a questo messaggio per replicare.",
        "nb": "↩️ Svar på denne meldingen for å svare.", "zh": "↩️ 回复这条消息即可作答。",
    },
    "not_translated": {
        "en": "(not translated: translation service unavailable)",
        "es": "(sin traducir: servicio de traducción no disponible)",
        "pt": "(não traduzido: serviço de tradução indisponível)",
        "de": "(nicht übersetzt: Übersetzungsdienst nicht verfügbar)",
        "fr": "(non traduit : service de traduction indisponible)",
        "it": "(non tradotto: servizio di traduzione non disponibile)",
        "nb": "(ikke oversatt: oversettelsestjenesten er utilgjengelig)",
        "zh": "（未翻译：翻译服务不可用）",
    },
    "show_original": {"en": "🔤 Show original", "es": "🔤 Ver original", "pt": "🔤 Ver original",
                      "de": "🔤 Original anzeigen", "fr": "🔤 Voir l'original", "it": "🔤 Mostra originale",
                      "nb": "🔤 Vis original", "zh": "🔤 查看原文"},
    "original": {"en": "Original ({name}):", "es": "Original ({name}):", "pt": "Original ({name}):",
                 "de": "Original ({name}):", "fr": "Original ({name}) :", "it": "Originale ({name}):",
                 "nb": "Original ({name}):", "zh": "原文（{name}）："},
    "sent_to_seller": {
        "en": "✅ Sent to {shop}.", "es": "✅ Enviado a {shop}.", "pt": "✅ Enviado para {shop}.",
        "de": "✅ An {shop} gesendet.", "fr": "✅ Envoyé à {shop}.", "it": "✅ Inviato a {shop}.",
        "nb": "✅ Sendt til {shop}.", "zh": "✅ 已发送给 {shop}。",
    },
    "sent_to_buyer": {
        "en": "✅ Sent to the buyer.", "es": "✅ Enviado al comprador.", "pt": "✅ Enviado ao comprador.",
        "de": "✅ An den Käufer gesendet.", "fr": "✅ Envoyé à l'acheteur.", "it": "✅ Inviato all'acquirente.",
        "nb": "✅ Sendt til kjøperen.", "zh": "✅ 已发送给买家。",
    },
    "undelivered": {
        "en": "⚠️ Your message is saved, but I could not deliver it: the other person has not opened a chat with me.",
        "es": "⚠️ Tu mensaje está guardado, pero no pude entregarlo: la otra persona no ha abierto un chat conmigo.",
        "pt": "⚠️ Sua mensagem foi salva, mas não consegui entregá-la: a outra pessoa não abriu um chat comigo.",
        "de": "⚠️ Deine Nachricht ist gespeichert, aber ich konnte sie nicht zustellen: Die andere Person hat keinen Chat mit mir geöffnet.",
        "fr": "⚠️ Ton message est enregistré, mais je n'ai pas pu le remettre : l'autre personne n'a pas ouvert de discussion avec moi.",
        "it": "⚠️ Il tuo messaggio è salvato, ma non ho potuto consegnarlo: l'altra persona non ha aperto una chat con me.",
        "nb": "⚠️ Meldingen din er lagret, men jeg fikk ikke levert den: den andre personen har ikke åpnet en chat med meg.",
        "zh": "⚠️ 你的消息已保存，但无法送达：对方还没有与我开启对话。",
    },
    "not_participant": {
        "en": "Only the buyer and the seller can write in this conversation.",
        "es": "Solo el comprador y el vendedor pueden escribir en esta conversación.",
        "pt": "Apenas o comprador e o vendedor podem escrever nesta conversa.",
        "de": "Nur Käufer und Verkäufer können in dieser Unterhaltung schreiben.",
        "fr": "Seuls l'acheteur et le vendeur peuvent écrire dans cette conversation.",
        "it": "Solo l'acquirente e il venditore possono scrivere in questa conversazione.",
        "nb": "Bare kjøperen og selgeren kan skrive i denne samtalen.",
        "zh": "只有买家和卖家可以在此对话中发言。",
    },
}


def say(key: str, language: str | None, **values: object) -> str:
    """A relay sentence in the person's language (English when we lack one), with values filled in."""
    return in_language(TEXTS[key], language).format(**values)
