"""What each intent means, said to a person in their language ("Did you mean: track an order?")."""

from __future__ import annotations

# intent -> (en, es, pt, de, fr, it, nb, zh)
_NAMES: dict[str, tuple[str, str, str, str, str, str, str, str]] = {
    "greet": ("say hello", "saludar", "dizer olá", "Hallo sagen", "dire bonjour", "salutare", "si hei", "打招呼"),
    "goodbye": ("say goodbye", "despedirte", "se despedir", "dich verabschieden", "dire au revoir", "salutarci",
                "si ha det", "说再见"),
    "thank": ("say thanks", "dar las gracias", "agradecer", "danke sagen", "dire merci", "ringraziare", "si takk",
              "道谢"),
    "affirm": ("say yes", "decir que sí", "dizer sim", "Ja sagen", "dire oui", "dire di sì", "si ja", "表示同意"),
    "deny": ("say no", "decir que no", "dizer não", "Nein sagen", "dire non", "dire di no", "si nei", "表示拒绝"),
    "help": ("see what I can do", "ver lo que puedo hacer", "ver o que eu sei fazer", "sehen, was ich kann",
             "voir ce que je sais faire", "vedere cosa so fare", "se hva jeg kan gjøre", "看看我能做什么"),
    "bot_challenge": ("know whether I am a bot", "saber si soy un bot", "saber se sou um robô",
                      "wissen, ob ich ein Bot bin", "savoir si je suis un robot", "sapere se sono un bot",
                      "vite om jeg er en bot", "确认我是不是机器人"),
    "search_product": ("search for a product", "buscar un producto", "procurar um produto", "ein Produkt suchen",
                       "chercher un produit", "cercare un prodotto", "søke etter en vare", "搜索商品"),
    "add_to_cart": ("add something to your cart", "añadir algo al carrito", "adicionar algo ao carrinho",
                    "etwas in den Warenkorb legen", "ajouter quelque chose au panier", "aggiungere qualcosa al carrello",
                    "legge noe i handlekurven", "把商品加入购物车"),
    "remove_from_cart": ("remove something from your cart", "quitar algo del carrito", "tirar algo do carrinho",
                         "etwas aus dem Warenkorb nehmen", "retirer quelque chose du panier",
                         "togliere qualcosa dal carrello", "fjerne noe fra handlekurven", "从购物车移除商品"),
    "view_cart": ("see your cart", "ver tu carrito", "ver seu carrinho", "deinen Warenkorb sehen", "voir ton panier",
                  "vedere il carrello", "se handlekurven", "查看购物车"),
    "checkout": ("check out and pay", "finalizar la compra y pagar", "finalizar a compra e pagar",
                 "zur Kasse gehen und bezahlen", "passer commande et payer", "completare l'acquisto e pagare",
                 "gå til kassen og betale", "结账付款"),
    "order_status": ("track an order", "seguir un pedido", "acompanhar um pedido", "eine Bestellung verfolgen",
                     "suivre une commande", "seguire un ordine", "spore en bestilling", "查询订单状态"),
    "cancel_order": ("cancel an order", "cancelar un pedido", "cancelar um pedido", "eine Bestellung stornieren",
                     "annuler une commande", "annullare un ordine", "kansellere en bestilling", "取消订单"),
    "confirm_delivery": ("confirm that an order arrived", "confirmar que llegó un pedido",
                         "confirmar que um pedido chegou", "bestätigen, dass eine Bestellung angekommen ist",
                         "confirmer qu'une commande est arrivée", "confermare che un ordine è arrivato",
                         "bekrefte at en bestilling har kommet", "确认收货"),
    "open_dispute": ("report a problem with an order (damaged, wrong item, refund)",
                     "reclamar por un pedido (dañado, equivocado, reembolso)",
                     "reclamar de um pedido (danificado, errado, reembolso)",
                     "ein Problem mit einer Bestellung melden (beschädigt, falsch, Erstattung)",
                     "signaler un problème de commande (abîmé, erroné, remboursement)",
                     "segnalare un problema con un ordine (danneggiato, sbagliato, rimborso)",
                     "klage på en bestilling (skadet, feil vare, refusjon)", "就订单提出问题（损坏、发错、退款）"),
    "rate": ("rate a shop", "valorar una tienda", "avaliar uma loja", "einen Shop bewerten", "noter une boutique",
             "valutare un negozio", "gi en butikk stjerner", "给店铺评分"),
    "ask_seller": ("ask the seller a question", "preguntarle algo al vendedor", "perguntar algo ao vendedor",
                   "dem Verkäufer eine Frage stellen", "poser une question au vendeur", "fare una domanda al venditore",
                   "spørre selgeren om noe", "询问卖家"),
    "talk_to_human": ("talk to a person from support", "hablar con una persona de soporte",
                      "falar com uma pessoa do suporte", "mit einem Menschen vom Support sprechen",
                      "parler à une personne du support", "parlare con una persona dell'assistenza",
                      "snakke med et menneske fra kundeservice", "联系人工客服"),
    "shipping_info": ("know about shipping, delivery times and customs", "saber de envíos, plazos y aduanas",
                      "saber sobre frete, prazos e alfândega", "etwas über Versand, Lieferzeit und Zoll wissen",
                      "savoir la livraison, les délais et la douane", "sapere di spedizione, tempi e dogana",
                      "vite om frakt, leveringstid og toll", "了解运费、送达时间和关税"),
    "payment_info": ("know how paying works", "saber cómo se paga", "saber como funciona o pagamento",
                     "wissen, wie das Bezahlen funktioniert", "savoir comment payer", "sapere come si paga",
                     "vite hvordan betaling fungerer", "了解如何付款"),
    "sell_register": ("open a shop and sell here", "abrir una tienda y vender aquí", "abrir uma loja e vender aqui",
                      "einen Shop eröffnen und hier verkaufen", "ouvrir une boutique et vendre ici",
                      "aprire un negozio e vendere qui", "åpne en butikk og selge her", "开店卖东西"),
    "add_product": ("list a new product", "publicar un producto nuevo", "anunciar um produto novo",
                    "ein neues Produkt einstellen", "mettre en vente un nouveau produit",
                    "mettere in vendita un nuovo prodotto", "legge ut en ny vare", "上架新商品"),
    "list_orders": ("see your shop's orders", "ver los pedidos de tu tienda", "ver os pedidos da sua loja",
                    "die Bestellungen deines Shops sehen", "voir les commandes de ta boutique",
                    "vedere gli ordini del negozio", "se butikkens bestillinger", "查看店铺订单"),
    "sales_summary": ("see your sales", "ver tus ventas", "ver suas vendas", "deine Verkäufe sehen",
                      "voir tes ventes", "vedere le vendite", "se salget ditt", "查看销售额"),
    "low_stock": ("see what is running out", "ver qué se está agotando", "ver o que está acabando",
                  "sehen, was knapp wird", "voir ce qui s'épuise", "vedere cosa sta finendo", "se hva som snart er utsolgt",
                  "查看库存不足的商品"),
    "mark_shipped": ("mark an order as shipped", "marcar un pedido como enviado", "marcar um pedido como enviado",
                     "eine Bestellung als versandt markieren", "marquer une commande comme expédiée",
                     "segnare un ordine come spedito", "markere en bestilling som sendt", "将订单标记为已发货"),
    "edit_product": ("change a product's price or stock, or pause it",
                     "cambiar el precio o el stock de un producto, o pausarlo",
                     "mudar o preço ou o estoque de um produto, ou pausá-lo",
                     "Preis oder Bestand eines Produkts ändern oder es pausieren",
                     "changer le prix ou le stock d'un produit, ou le mettre en pause",
                     "cambiare prezzo o scorte di un prodotto, o sospenderlo",
                     "endre pris eller lager på en vare, eller sette den på pause", "修改商品价格或库存，或暂停商品"),
    "choose": ("pick an answer", "elegir una respuesta", "escolher uma resposta", "eine Antwort wählen",
               "choisir une réponse", "scegliere una risposta", "velge et svar", "选择一个答案"),
    "skip": ("skip a question", "saltar una pregunta", "pular uma pergunta", "eine Frage überspringen",
             "passer une question", "saltare una domanda", "hoppe over et spørsmål", "跳过一个问题"),
    "send_photo": ("send a product photo", "enviar una foto del producto", "enviar uma foto do produto",
                   "ein Produktfoto schicken", "envoyer une photo du produit", "inviare una foto del prodotto",
                   "sende et produktbilde", "发送商品照片"),
}
_ORDER = ("en", "es", "pt", "de", "fr", "it", "nb", "zh")


def describe(intent: str, language: str | None) -> str | None:
    """The intent as a short phrase in the language (English when the language is unknown), or None."""
    names = _NAMES.get(intent)
    if names is None:
        return None
    index = _ORDER.index(language) if language in _ORDER else 0
    return names[index]


def known() -> frozenset[str]:
    """Intents that have a description."""
    return frozenset(_NAMES)
