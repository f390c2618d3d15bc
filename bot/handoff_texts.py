"""What the bot says during a support handoff: to the person in their language (eight of them), and
to staff in the staff group (English, the staff console's language; STAFF_LANGUAGE only sets the
language messages are translated into for staff)."""

from __future__ import annotations

from bot.texts import in_language

PERSON: dict[str, dict[str, str]] = {
    "waiting": {
        "en": "A colleague from support will answer you here. You are number {position} in the queue; until then "
              "your messages go straight to them.",
        "es": "Una persona del equipo de soporte te responderá aquí. Eres el número {position} de la cola; mientras "
              "tanto, tus mensajes le llegan directamente.",
        "pt": "Uma pessoa do suporte vai responder aqui. Você é o número {position} na fila; até lá, suas mensagens "
              "vão direto para ela.",
        "de": "Jemand vom Support antwortet dir hier. Du bist Nummer {position} in der Warteschlange; bis dahin gehen "
              "deine Nachrichten direkt an das Team.",
        "fr": "Un collègue du support va te répondre ici. Tu es le numéro {position} dans la file ; en attendant, tes "
              "messages lui parviennent directement.",
        "it": "Una persona del supporto ti risponderà qui. Sei il numero {position} in coda; nel frattempo i tuoi "
              "messaggi le arrivano direttamente.",
        "nb": "En kollega fra kundeservice svarer deg her. Du er nummer {position} i køen; til da går meldingene "
              "dine rett til dem.",
        "zh": "客服同事会在这里回复你。你目前排在第 {position} 位；在此期间，你的消息会直接发给客服。"},
    "with_staff": {
        "en": "{name} from support is handling your conversation and will answer here.",
        "es": "{name}, del equipo de soporte, está atendiendo tu conversación y te responderá aquí.",
        "pt": "{name}, do suporte, está cuidando da sua conversa e vai responder aqui.",
        "de": "{name} vom Support kümmert sich um dein Anliegen und antwortet dir hier.",
        "fr": "{name}, du support, s'occupe de ta demande et te répondra ici.",
        "it": "{name} del supporto si sta occupando della tua conversazione e ti risponderà qui.",
        "nb": "{name} fra kundeservice tar seg av saken din og svarer deg her.",
        "zh": "客服 {name} 正在处理你的问题，会在这里回复你。"},
    "no_support": {
        "en": "Sorry, no human colleague is available right now. I'll keep helping you as well as I can.",
        "es": "Lo siento, ahora mismo no hay nadie del equipo disponible. Seguiré ayudándote lo mejor que pueda.",
        "pt": "Desculpe, não há ninguém da equipe disponível agora. Vou continuar ajudando como puder.",
        "de": "Leider ist gerade niemand aus dem Team erreichbar. Ich helfe dir weiter, so gut ich kann.",
        "fr": "Désolé, aucun collègue n'est disponible pour le moment. Je continue à t'aider de mon mieux.",
        "it": "Mi dispiace, al momento non c'è nessuno del team disponibile. Continuerò ad aiutarti come posso.",
        "nb": "Beklager, ingen kollegaer er tilgjengelige akkurat nå. Jeg hjelper deg videre så godt jeg kan.",
        "zh": "抱歉，目前没有人工客服可以接待。我会继续尽力帮助你。"},
    "claimed": {
        "en": "{name} from support has taken your case and will answer here.",
        "es": "{name}, del equipo de soporte, se ha hecho cargo de tu caso y te responderá aquí.",
        "pt": "{name}, do suporte, assumiu o seu caso e vai responder aqui.",
        "de": "{name} vom Support hat deinen Fall übernommen und antwortet dir hier.",
        "fr": "{name}, du support, a pris ta demande en charge et te répondra ici.",
        "it": "{name} del supporto ha preso in carico il tuo caso e ti risponderà qui.",
        "nb": "{name} fra kundeservice har tatt saken din og svarer deg her.",
        "zh": "客服 {name} 已接手你的问题，会在这里回复你。"},
    "staff_says": {
        "en": "💬 {name} · Tradewind support", "es": "💬 {name} · soporte de Tradewind",
        "pt": "💬 {name} · suporte Tradewind", "de": "💬 {name} · Tradewind-Support",
        "fr": "💬 {name} · support Tradewind", "it": "💬 {name} · supporto Tradewind",
        "nb": "💬 {name} · Tradewind kundeservice", "zh": "💬 {name} · Tradewind 客服"},
    "original": {
        "en": "Original ({code})", "es": "Original ({code})", "pt": "Original ({code})",
        "de": "Original ({code})", "fr": "Original ({code})", "it": "Originale ({code})",
        "nb": "Original ({code})", "zh": "原文（{code}）"},
    "closed": {
        "en": "Support has handed you back to me; I'm here if you need anything else. How would you rate the help "
              "you got?",
        "es": "El equipo de soporte te ha devuelto conmigo; aquí estoy si necesitas algo más. ¿Cómo valoras la "
              "ayuda que recibiste?",
        "pt": "O suporte devolveu a conversa para mim; estou aqui se precisar de mais alguma coisa. Como você avalia "
              "a ajuda recebida?",
        "de": "Der Support hat dich wieder an mich übergeben; ich bin da, wenn du noch etwas brauchst. Wie "
              "bewertest du die Hilfe?",
        "fr": "Le support m'a rendu la main ; je suis là si tu as besoin d'autre chose. Comment évalues-tu l'aide "
              "reçue ?",
        "it": "Il supporto ti ha riaffidato a me; sono qui se ti serve altro. Come valuti l'aiuto ricevuto?",
        "nb": "Kundeservice har gitt deg tilbake til meg; jeg er her om du trenger noe mer. Hvordan vil du "
              "vurdere hjelpen du fikk?",
        "zh": "客服已将对话交还给我，如有其他需要随时告诉我。你对这次的帮助打几分？"},
    "rated": {
        "en": "Thank you! You rated the help {stars}★.", "es": "¡Gracias! Valoraste la ayuda con {stars}★.",
        "pt": "Obrigado! Você avaliou a ajuda com {stars}★.", "de": "Danke! Du hast die Hilfe mit {stars}★ bewertet.",
        "fr": "Merci ! Tu as noté l'aide {stars}★.", "it": "Grazie! Hai valutato l'aiuto con {stars}★.",
        "nb": "Takk! Du ga hjelpen {stars}★.", "zh": "谢谢！你给这次帮助打了 {stars}★。"},
    "already_rated": {
        "en": "This conversation has already been rated.", "es": "Esta conversación ya fue valorada.",
        "pt": "Esta conversa já foi avaliada.", "de": "Dieses Gespräch wurde bereits bewertet.",
        "fr": "Cette conversation a déjà été notée.", "it": "Questa conversazione è già stata valutata.",
        "nb": "Denne samtalen er allerede vurdert.", "zh": "这次对话已经评过分了。"},
    "busy": {
        "en": "A colleague from support has your conversation now: just write here.",
        "es": "Ahora te atiende una persona del equipo de soporte: escribe aquí.",
        "pt": "Agora uma pessoa do suporte está com a sua conversa: é só escrever aqui.",
        "de": "Gerade kümmert sich jemand vom Support um dich: schreib einfach hier.",
        "fr": "Un collègue du support s'occupe de toi maintenant : écris simplement ici.",
        "it": "Ora ti segue una persona del supporto: scrivi pure qui.",
        "nb": "En kollega fra kundeservice har samtalen nå: bare skriv her.",
        "zh": "现在由客服同事为你服务：直接在这里留言即可。"},
    "not_delivered": {
        "en": "Your message could not reach support just now; please send it again in a moment.",
        "es": "Tu mensaje no pudo llegar al equipo de soporte; vuelve a enviarlo en un momento.",
        "pt": "Sua mensagem não chegou ao suporte agora; envie de novo daqui a pouco.",
        "de": "Deine Nachricht konnte den Support gerade nicht erreichen; bitte schick sie gleich noch einmal.",
        "fr": "Ton message n'a pas pu parvenir au support ; renvoie-le dans un instant.",
        "it": "Il tuo messaggio non è arrivato al supporto; rimandalo tra poco.",
        "nb": "Meldingen din kom ikke fram til kundeservice; send den igjen om litt.",
        "zh": "你的消息暂时无法送达客服，请稍后重新发送。"},
}

STAFF: dict[str, str] = {
    "title": "#{id} · {name} · {language} · {reason}",
    "reason_talk_to_human": "asked for a human",
    "reason_fallback": "bot could not help",
    "reason_dispute": "dispute",
    "reason_escalation": "escalation",
    "on_order": " on order {order}",
    "who": "<b>Who:</b> {name} (Telegram {user}) · {role} · language {language} · country {country}",
    "why": "<b>Why:</b> {reason}",
    "waiting": "<b>Queue:</b> position {position} · opened {opened} UTC",
    "history": "<b>Last messages</b> (original, then {target}):",
    "no_history": "<b>Last messages:</b> none kept (the bot restarted, or the person wrote nothing yet).",
    "orders": "<b>Orders:</b>",
    "no_orders": "<b>Orders:</b> none.",
    "order": "#{id} · {shop} · {total} · <b>{status}</b>",
    "commands": "In this topic: /claim · /note &lt;text&gt; · /refund &lt;order&gt; · /release &lt;order&gt; · /done",
    "asked_again": "↩️ {name} asked again ({reason}).",
    "from_person": "👤 <b>{name}</b>: {text}",
    "untranslated": " <i>(not translated: {note})</i>",
    "original": "<i>{language}: {text}</i>",
    "claimed": "🙋 {staff} took this handoff. The person was told.",
    "noted": "📝 Note saved (internal, never sent to the person).",
    "note_usage": "Usage: /note &lt;text&gt; (internal, never sent).",
    "resolve_usage": "Usage: /{action} &lt;order number&gt;, one of this person's orders.",
    "refunded": "💸 Order #{order} refunded ({amount} back to the buyer); logged as staff:{staff}.",
    "released": "💰 Order #{order}: {amount} released to the seller; logged as staff:{staff}.",
    "refused": "⚠️ Not done: {reason}",
    "closed": "✅ {staff} closed this handoff (outcome: {outcome}). The person is back with the bot and was "
              "asked to rate the help.",
    "rated": "⭐ {name} rated the help {stars}/5.",
    "not_handoff": "This topic has no open handoff.",
    "not_delivered": "⚠️ Not delivered: the person cannot be reached ({reason}).",
    "queue_empty": "The queue is empty.",
    "queue_title": "<b>Open handoffs</b> ({count}):",
    "queue_line": "{link} · waiting {waiting} · {assignee}",
    "unassigned": "<b>unassigned</b>",
    "stats_usage": "Usage: /stats [days], days between 1 and 366.",
    "stats": ("<b>Support, last {days} days</b>\n"
              "Handoffs: {handoffs} for {active} active people · handoff rate {rate}\n"
              "Median first response: {first} · median resolution: {resolution}\n"
              "Average rating: {rating} ({ratings} ratings)\n"
              "Open {open} · claimed {claimed} · closed {closed}\n"
              "By reason: {reasons}"),
}


def say(key: str, language: str | None, **values: object) -> str:
    """A sentence for the person in their language (English when we lack one)."""
    return in_language(PERSON[key], language).format(**values)


def staff(key: str, **values: object) -> str:
    """A sentence for staff in the staff group."""
    return STAFF[key].format(**values)
