"""The few sentences the bot says itself (everything else comes from Rasa), in eight languages."""

from __future__ import annotations

LANGUAGES = {"en": "English", "es": "Español", "pt": "Português", "de": "Deutsch", "fr": "Français",
             "it": "Italiano", "nb": "Norsk bokmål", "zh": "中文"}

TEXTS: dict[str, dict[str, str]] = {
    "unavailable": {
        "en": "Sorry, I'm temporarily unavailable. Please try again in a moment.",
        "es": "Lo siento, no estoy disponible en este momento. Inténtalo de nuevo en un rato.",
        "pt": "Desculpe, estou temporariamente indisponível. Tente novamente daqui a pouco.",
        "de": "Entschuldigung, ich bin gerade nicht erreichbar. Bitte versuche es gleich noch einmal.",
        "fr": "Désolé, je suis momentanément indisponible. Réessaie dans un instant.",
        "it": "Scusa, al momento non sono disponibile. Riprova tra poco.",
        "nb": "Beklager, jeg er midlertidig utilgjengelig. Prøv igjen om litt.",
        "zh": "抱歉，我暂时无法使用。请稍后再试。",
    },
    "error": {
        "en": "Something went wrong on our side. Nothing was lost; please try again.",
        "es": "Algo salió mal de nuestro lado. No se perdió nada; inténtalo de nuevo.",
        "pt": "Algo deu errado do nosso lado. Nada foi perdido; tente novamente.",
        "de": "Bei uns ist etwas schiefgelaufen. Es ging nichts verloren; bitte versuche es erneut.",
        "fr": "Un problème est survenu de notre côté. Rien n'a été perdu ; réessaie.",
        "it": "Qualcosa è andato storto da parte nostra. Non si è perso nulla; riprova.",
        "nb": "Noe gikk galt hos oss. Ingenting gikk tapt; prøv igjen.",
        "zh": "我们这边出了点问题。没有丢失任何内容，请重试。",
    },
    "choose_language": {
        "en": "Which language would you like me to use?",
        "es": "¿En qué idioma quieres que te hable?",
        "pt": "Em que idioma você quer que eu fale?",
        "de": "In welcher Sprache soll ich mit dir sprechen?",
        "fr": "Dans quelle langue veux-tu que je te parle ?",
        "it": "In che lingua vuoi che ti parli?",
        "nb": "Hvilket språk vil du at jeg skal bruke?",
        "zh": "你希望我使用哪种语言？",
    },
    "language_set": {
        "en": "From now on I'll answer in English.",
        "es": "A partir de ahora te responderé en español.",
        "pt": "A partir de agora vou responder em português.",
        "de": "Ab jetzt antworte ich auf Deutsch.",
        "fr": "Désormais, je te répondrai en français.",
        "it": "D'ora in poi ti risponderò in italiano.",
        "nb": "Fra nå av svarer jeg på norsk.",
        "zh": "从现在起我会用中文回答你。",
    },
    "button_expired": {
        "en": "This button is no longer valid.",
        "es": "Este botón ya no es válido.",
        "pt": "Este botão não é mais válido.",
        "de": "Diese Schaltfläche ist nicht mehr gültig.",
        "fr": "Ce bouton n'est plus valide.",
        "it": "Questo pulsante non è più valido.",
        "nb": "Denne knappen er ikke lenger gyldig.",
        "zh": "此按钮已失效。",
    },
    "photo_failed": {
        "en": "I couldn't save that photo. Please send it again in a moment.",
        "es": "No pude guardar esa foto. Envíala de nuevo en un momento.",
        "pt": "Não consegui salvar essa foto. Envie de novo daqui a pouco.",
        "de": "Ich konnte das Foto nicht speichern. Bitte schick es gleich noch einmal.",
        "fr": "Je n'ai pas pu enregistrer cette photo. Renvoie-la dans un instant.",
        "it": "Non sono riuscito a salvare la foto. Inviala di nuovo tra poco.",
        "nb": "Jeg klarte ikke å lagre bildet. Send det igjen om litt.",
        "zh": "无法保存这张照片，请稍后重新发送。",
    },
    "only_text": {
        "en": "I can read text messages and button presses; please write to me.",
        "es": "Puedo leer mensajes de texto y botones; escríbeme, por favor.",
        "pt": "Consigo ler mensagens de texto e botões; escreva para mim, por favor.",
        "de": "Ich kann Textnachrichten und Schaltflächen lesen; schreib mir bitte.",
        "fr": "Je sais lire les messages texte et les boutons ; écris-moi, s'il te plaît.",
        "it": "So leggere messaggi di testo e pulsanti; scrivimi, per favore.",
        "nb": "Jeg kan lese tekstmeldinger og knappetrykk; skriv til meg.",
        "zh": "我能读取文字消息和按钮；请给我发文字。",
    },
    "mydata": {
        "en": "Here is everything Tradewind stores about you.", "es": "Aquí tienes todo lo que Tradewind guarda sobre ti.",
        "pt": "Aqui está tudo o que o Tradewind guarda sobre você.", "de": "Hier ist alles, was Tradewind über dich speichert.",
        "fr": "Voici tout ce que Tradewind conserve à ton sujet.", "it": "Ecco tutto ciò che Tradewind conserva su di te.",
        "nb": "Her er alt Tradewind lagrer om deg.", "zh": "这是 Tradewind 保存的关于你的全部数据。",
    },
    "nodata": {
        "en": "Tradewind stores nothing about you.", "es": "Tradewind no guarda nada sobre ti.",
        "pt": "O Tradewind não guarda nada sobre você.", "de": "Tradewind speichert nichts über dich.",
        "fr": "Tradewind ne conserve rien à ton sujet.", "it": "Tradewind non conserva nulla su di te.",
        "nb": "Tradewind lagrer ingenting om deg.", "zh": "Tradewind 没有保存任何关于你的数据。",
    },
    "forget_confirm": {
        "en": "Delete all your personal data? Finished orders stay, anonymised, for the sellers' books.",
        "es": "¿Borrar todos tus datos personales? Los pedidos terminados se quedan, anonimizados, para la contabilidad de los vendedores.",
        "pt": "Apagar todos os seus dados pessoais? Os pedidos concluídos ficam, anonimizados, para a contabilidade dos vendedores.",
        "de": "Alle deine persönlichen Daten löschen? Abgeschlossene Bestellungen bleiben anonymisiert für die Buchhaltung der Verkäufer.",
        "fr": "Supprimer toutes tes données personnelles ? Les commandes terminées restent, anonymisées, pour la comptabilité des vendeurs.",
        "it": "Cancellare tutti i tuoi dati personali? Gli ordini conclusi restano, anonimi, per la contabilità dei venditori.",
        "nb": "Slette alle personopplysningene dine? Fullførte ordrer blir værende, anonymisert, i selgernes regnskap.",
        "zh": "删除你的全部个人数据？已完成的订单会匿名保留，供卖家记账。",
    },
    "yes_delete": {"en": "Yes, delete", "es": "Sí, borrar", "pt": "Sim, apagar", "de": "Ja, löschen",
                   "fr": "Oui, supprimer", "it": "Sì, cancella", "nb": "Ja, slett", "zh": "是，删除"},
    "keep": {"en": "No, keep", "es": "No, mantener", "pt": "Não, manter", "de": "Nein, behalten",
             "fr": "Non, garder", "it": "No, tieni", "nb": "Nei, behold", "zh": "不，保留"},
    "forgotten": {
        "en": "Done: your personal data is deleted.", "es": "Listo: tus datos personales están borrados.",
        "pt": "Pronto: seus dados pessoais foram apagados.", "de": "Erledigt: deine persönlichen Daten sind gelöscht.",
        "fr": "C'est fait : tes données personnelles sont supprimées.", "it": "Fatto: i tuoi dati personali sono stati cancellati.",
        "nb": "Ferdig: personopplysningene dine er slettet.", "zh": "已完成：你的个人数据已删除。",
    },
    "kept": {"en": "Nothing was deleted.", "es": "No se borró nada.", "pt": "Nada foi apagado.",
             "de": "Es wurde nichts gelöscht.", "fr": "Rien n'a été supprimé.", "it": "Non è stato cancellato nulla.",
             "nb": "Ingenting ble slettet.", "zh": "没有删除任何内容。"},
    "paid": {
        "en": "Payment received for order #{order}. The money is held safely until you confirm delivery.",
        "es": "Pago recibido para el pedido #{order}. El dinero queda retenido hasta que confirmes la entrega.",
        "pt": "Pagamento recebido para o pedido #{order}. O dinheiro fica retido até você confirmar a entrega.",
        "de": "Zahlung für Bestellung #{order} erhalten. Das Geld wird verwahrt, bis du die Lieferung bestätigst.",
        "fr": "Paiement reçu pour la commande n° {order}. L'argent est conservé jusqu'à ce que tu confirmes la livraison.",
        "it": "Pagamento ricevuto per l'ordine #{order}. Il denaro resta in custodia finché non confermi la consegna.",
        "nb": "Betaling mottatt for ordre #{order}. Pengene holdes trygt til du bekrefter at varen har kommet.",
        "zh": "已收到订单 #{order} 的付款。在你确认收货之前，款项由平台托管。",
    },
    "forget_refused": {
        "en": "Not yet: {reason}", "es": "Todavía no: {reason}", "pt": "Ainda não: {reason}", "de": "Noch nicht: {reason}",
        "fr": "Pas encore : {reason}", "it": "Non ancora: {reason}", "nb": "Ikke ennå: {reason}", "zh": "暂时不行：{reason}",
    },
}


def pick_language(code: str | None) -> str:
    """A supported language from a Telegram `language_code` such as 'es-AR' or 'nb'."""
    base = (code or "en").lower().replace("_", "-").split("-")[0]
    return {"no": "nb", "nn": "nb"}.get(base, base) if base in LANGUAGES or base in ("no", "nn") else "en"


def in_language(variants: dict[str, str], language: str | None) -> str:
    """The variant for the person's language (a Telegram code is fine), English when we lack one."""
    return variants.get(pick_language(language), variants["en"])


def text(key: str, language: str | None) -> str:
    """A sentence in the person's language, English when we lack one."""
    return in_language(TEXTS[key], language)
