import type { Catalogue } from './types';

export const fr: Catalogue = {
  'common.testMode': 'Mode test',
  'common.testModeHint': 'Ceci est un paiement de test : aucun argent réel n’est transféré.',
  'common.language': 'Langue',
  'common.copy': 'Copier',
  'common.copied': 'Copié',
  'common.help': 'Aide',
  'common.contactMerchant': 'Contacter le marchand : {contact}',
  'common.footer': 'Paiements traités par {merchant} avec Tollgate',
  'common.durationDays': '{days} j {time}',
  'common.error.title': 'Une erreur s’est produite',
  'common.error.body': 'Veuillez réessayer dans quelques minutes. Si le problème persiste, contactez le marchand.',
  'common.notFound.title': 'Paiement introuvable',
  'common.notFound.body': 'Ce lien de paiement n’existe pas ou a été mal saisi. Vérifiez le lien que la boutique vous a donné.',
  'common.tooManyRequests': 'Trop de demandes. Veuillez réessayer dans une minute.',

  'pay.heading': 'Paiement',
  'pay.order': 'Commande {orderId}',
  'pay.amountToPay': 'Montant à payer',
  'pay.chooseCurrency': 'Choisissez votre moyen de paiement',
  'pay.changeCurrency': 'Choisir une autre monnaie',
  'pay.network': 'Réseau',
  'pay.payWith': 'Payer en {currency} sur le réseau {network}',
  'pay.email': 'E-mail',
  'pay.emailHint': 'Le marchand l’utilise uniquement pour vous contacter au sujet de ce paiement, par exemple pour un remboursement.',
  'pay.emailRequired': 'Saisissez votre adresse e-mail pour continuer.',
  'pay.emailInvalid': 'Cette adresse e-mail ne semble pas valide.',
  'pay.continue': 'Continuer',
  'pay.address': 'Adresse de dépôt',
  'pay.addressHint': 'Cette adresse sert uniquement à ce paiement. Ne la conservez pas pour de futurs paiements.',
  'pay.exactAmount': 'Montant exact',
  'pay.networkFeeIncluded': 'Comprend les frais de réseau de {fee} (environ {usd}) : ce que coûte actuellement le transfert de ce paiement sur le réseau {network}.',
  'pay.sendExactly': 'Envoyez exactement {amount} {currency}',
  'pay.networkWarning':
    'Envoyez uniquement des {token} sur le réseau {network}. Contrat du jeton : {contract}. Les fonds envoyés sur un autre réseau ou sous forme d’un autre jeton sont perdus ou retardés.',
  'pay.networkWarningNative':
    'Envoyez uniquement des {token} sur le réseau {network}. Les fonds envoyés sur un autre réseau ou dans une autre cryptomonnaie sont perdus ou retardés.',
  'pay.qrAlt': 'QR code contenant l’adresse de dépôt et le montant à envoyer',
  'pay.qrAltAddress': 'QR code contenant l’adresse de dépôt',
  'pay.qrAddressOnly': 'Le QR code ne contient que l’adresse. Saisissez vous-même le montant exact dans votre portefeuille.',
  'pay.timeLeft': 'Temps restant : {time}',
  'pay.status.waiting': 'En attente de votre paiement',
  'pay.status.seen': 'Paiement détecté, en attente des confirmations : {k} sur {n}',
  'pay.status.seenFinality': 'Paiement détecté, en attente de la confirmation du réseau',
  'pay.status.seenEta': 'Environ {minutes} min en général',
  'pay.status.paid': 'Payé. Merci !',
  'pay.status.partial': '{paid} payés sur {total}. Envoyez les {remaining} {currency} restants à la même adresse',
  'pay.status.overpaid': 'Payé, avec {extra} de plus que nécessaire. Contactez le marchand pour vous faire rembourser la différence',
  'pay.status.late': 'Votre paiement est arrivé après l’expiration de la facture. Le marchand l’a reçu ; contactez-le',
  'pay.status.expired': 'Cette facture a expiré. N’envoyez pas de fonds à cette adresse',
  'pay.status.canceled': 'Cette facture a été annulée',
  'pay.rateLockedUntil': 'Taux garanti jusqu’au {time}',
  'pay.rateLockedHint': 'Payez avant cette échéance. Un paiement qui arrive plus tard est évalué au taux du moment et risque d’être insuffisant.',
  'pay.quote': '1 {currency} = {rate} {fiat}',
  'pay.transaction': 'Transaction',
  'pay.returnToShop': 'Retourner à la boutique',
  'pay.backToShop': 'Retour à la boutique',
  'pay.testWallet': 'Payer avec le portefeuille de test',
  'pay.testWalletHint': 'Ce bouton n’existe que dans l’environnement de test local. Il envoie des jetons de test, pas de vrais fonds.',
  'pay.testWalletFailed': 'Le paiement de test n’a pas pu être envoyé. Veuillez réessayer.',
  'pay.paying': 'Paiement en cours…',
  'pay.selectFailed': 'Impossible de choisir cette monnaie pour le moment. Réessayez ou choisissez-en une autre.',
  'pay.noscript': 'Activez JavaScript pour voir le statut se mettre à jour en direct ; sinon, rechargez la page pour l’actualiser.',

  'donate.heading': 'Soutenir {name}',
  'donate.presets': 'Choisissez un montant',
  'donate.customAmount': 'Autre montant',
  'donate.limits': 'De {min} à {max}',
  'donate.amountInvalid': 'Saisissez un montant de {min} à {max}.',
  'donate.name': 'Votre nom (facultatif)',
  'donate.message': 'Message (facultatif)',
  'donate.submit': 'Faire un don',
  'donate.closed': 'Cette page n’accepte pas de dons pour le moment',
  'donate.thanks': 'Merci pour votre don !',
  'donate.nextStep': 'Sur la page suivante, vous choisissez la cryptomonnaie et voyez l’adresse et le montant exact à envoyer.',
  'donate.continue': 'Continuer vers le paiement',
  'donate.currencyNote': 'Montants en {currency}',

  'pos.amount': 'Montant',
  'pos.charge': 'Encaisser',
  'pos.scanToPay': 'Scannez pour payer',
  'pos.paid': 'Payé',
  'pos.nextSale': 'Vente suivante',
  'pos.cancel': 'Annuler',
  'pos.limit': 'Jusqu’à {max}',

  'widget.button': 'Payer en crypto',
  'widget.close': 'Fermer',
  'widget.unavailable': 'Le paiement en cryptomonnaie n’est pas disponible sur ce site pour le moment.',

  'wallet.heading': 'Votre adresse de dépôt {currency}',
  'wallet.intro': 'Envoyez des {currency} à cette adresse quand vous voulez, du montant que vous voulez. C’est votre adresse permanente chez {merchant} : elle ne change pas, vous pouvez la réutiliser.',
  'wallet.qrAddressOnly': 'Le QR code ne contient que l’adresse. Saisissez le montant dans votre portefeuille.',
  'wallet.addressHint': 'L’adresse est permanente. Copiez-la avec le bouton au lieu de la recopier à la main : un seul caractère faux et les fonds partent ailleurs.',
  'wallet.minimum': 'Les transferts de moins d’environ {fee} ne sont pas crédités : ils ne couvrent même pas les frais de réseau.',
  'wallet.howTo': 'Comment envoyer ?',
  'wallet.step.open': 'Ouvrez l’application de votre portefeuille ou votre compte sur une plateforme d’échange, puis choisissez Envoyer (sur une plateforme : Retrait).',
  'wallet.step.pick': 'Choisissez {token} et le réseau {network}.',
  'wallet.step.address': 'Scannez le QR code, ou collez l’adresse copiée.',
  'wallet.step.confirm': 'Saisissez le montant, vérifiez tout et confirmez. Votre portefeuille ajoute de petits frais de réseau.',
  'wallet.step.wait': 'Votre transfert apparaît ci-dessous en quelques minutes.',
  'wallet.blocked': '{merchant} a demandé que cette adresse ne soit plus utilisée.',
  'wallet.blockedHint': 'N’y envoyez plus rien. Contactez {merchant} pour obtenir une nouvelle adresse.',
  'wallet.retiredAddress': 'Adresse qui n’est plus utilisée',
  'wallet.receipts': 'Vos transferts récents',
  'wallet.receiptsEmpty': 'Aucun transfert pour l’instant. Après l’envoi, votre transfert apparaît ici en quelques minutes.',
  'wallet.receiptsMore': 'Seuls les {count} transferts les plus récents sont affichés.',
  'wallet.receiptsMissing': 'Vous ne voyez pas votre transfert ? Patientez quelques minutes. Un transfert d’une autre monnaie, sur un autre réseau ou sous le minimum n’est pas crédité automatiquement : contactez {merchant} avec le hash de transaction indiqué par votre portefeuille.',
  'wallet.latest': 'Dernier transfert : {amount}',
  'wallet.blockedHintContact': 'N’y envoyez plus rien. Pour obtenir une nouvelle adresse, contactez {merchant} : {contact}',
  'wallet.receiptsNone': 'Aucun transfert vers cette adresse.',
  'wallet.receipt.confirming': 'En attente de confirmations : {k} sur {n}',
  'wallet.receipt.confirmingFinality': 'En attente de la confirmation du réseau',
  'wallet.receipt.credited': 'Crédité',
  'wallet.receipt.notCredited': 'Non crédité. Contactez la boutique',
  'wallet.receipt.afterBlock': 'Arrivé après la mise hors service de cette adresse. Contactez la boutique.',

  'help.heading': 'Aide pour votre paiement',
  'help.intro':
    'Des réponses courtes aux questions fréquentes. Votre paiement va directement au marchand, et c’est lui qu’il faut contacter si quelque chose ne va pas.',
  'help.backToPayment': 'Retour au paiement',
  'help.related': 'Questions liées',
  'help.allTopics': 'Toutes les rubriques d’aide',
  'help.stillStuck': 'Toujours un problème ?',
  'help.contactMerchant': 'Contacter {merchant} : {contact}',
  'help.contactMerchantInShop': 'Contactez {merchant} via la boutique où vous avez passé commande. Seul le marchand peut vérifier votre paiement et résoudre le problème.',
  'help.contactShop': 'Contactez la boutique où vous avez passé commande. Seul le marchand peut vérifier votre paiement et résoudre le problème.',
  'help.group.paying': 'Payer',
  'help.group.problems': 'En cas de problème',

  'help.pay-from-wallet.title': 'Comment payer depuis mon portefeuille ?',
  'help.pay-from-wallet.body':
    'Un portefeuille est l’application où vous gardez vos cryptomonnaies, par exemple sur votre téléphone.\n\n' +
    '- Ouvrez votre portefeuille et choisissez Envoyer.\n' +
    '- Sélectionnez la même cryptomonnaie et le même réseau que sur cette page.\n' +
    '- Scannez le QR code, ou copiez l’adresse avec le bouton Copier et collez-la.\n' +
    '- Saisissez le montant exact indiqué sur cette page.\n' +
    '- Vérifiez tout, puis confirmez.\n\n' +
    'Votre portefeuille ajoute de petits frais de réseau au montant. C’est normal : ils vont au réseau, pas au marchand.\n\n' +
    'Vous n’avez rien d’autre à faire. Cette page détecte votre paiement toute seule et se met à jour.\n\n' +
    'L’adresse a été créée pour ce paiement uniquement. Ne l’enregistrez pas pour payer à nouveau plus tard.',

  'help.pay-from-exchange.title': 'Comment payer depuis un compte sur une plateforme d’échange ?',
  'help.pay-from-exchange.body':
    'Sur une plateforme d’échange, payer revient à faire un retrait vers l’adresse de cette page.\n\n' +
    '- Ouvrez Retrait pour la cryptomonnaie indiquée sur cette page.\n' +
    '- Collez l’adresse et choisissez le même réseau qu’ici.\n' +
    '- Saisissez le montant de sorte que le montant complet de cette page arrive.\n' +
    '- Confirmez le retrait.\n\n' +
    'La plupart des plateformes déduisent des frais de retrait du montant saisi. Ajoutez ces frais au montant, ou vérifiez que le montant reçu correspond exactement à celui de cette page.\n\n' +
    'Les plateformes bloquent parfois un retrait le temps de le vérifier. Commencez assez tôt pour que le paiement arrive avant la fin du délai.\n\n' +
    'Aucun mémo ni tag n’est nécessaire pour cette adresse.',

  'help.buy-crypto.title': 'Je n’ai pas de cryptomonnaie. Comment en acheter ?',
  'help.buy-crypto.body':
    'Vous pouvez acheter des cryptomonnaies par carte bancaire ou par virement sur une plateforme d’échange connue, ou dans une application de portefeuille qui propose un bouton Acheter.\n\n' +
    'Les stablecoins comme l’USDT ou l’USDC valent environ un dollar américain, ce qui rend le montant facile à comprendre.\n\n' +
    'Achetez un peu plus que le montant à payer : la plateforme ou le réseau prélève des frais lors de l’envoi.\n\n' +
    'Le premier achat demande souvent une vérification d’identité, qui peut prendre du temps. Si la facture expire entre-temps, retournez à la boutique et lancez un nouveau paiement.\n\n' +
    'N’achetez qu’auprès de services connus, jamais auprès d’inconnus qui vous contactent.',

  'help.choose-network.title': 'Quel réseau choisir ?',
  'help.choose-network.body':
    'Une même cryptomonnaie peut exister sur plusieurs réseaux. L’USDT, par exemple, existe sur Ethereum, Tron et BNB Smart Chain, et ces réseaux sont distincts.\n\n' +
    'Choisissez un réseau que votre portefeuille ou votre plateforme prend en charge pour cette cryptomonnaie. Les frais varient : Tron, BNB Smart Chain, Polygon et les autres réseaux plus petits coûtent en général bien moins cher qu’Ethereum.\n\n' +
    'Au moment d’envoyer, sélectionnez dans votre portefeuille ou sur votre plateforme exactement le même réseau que sur cette page.\n\n' +
    'Pour envoyer un jeton comme l’USDT, votre portefeuille a aussi besoin d’un peu de la cryptomonnaie propre au réseau pour payer les frais : de l’ETH sur Ethereum, du TRX sur Tron, du BNB sur BNB Smart Chain.\n\n' +
    'En cas de doute, regardez sur quel réseau se trouvent vos fonds actuellement et choisissez celui-là.',

  'help.exact-amount.title': 'Pourquoi dois-je envoyer le montant exact ?',
  'help.exact-amount.body':
    'Le marchand vérifie le montant qui arrive à l’adresse. Seul le montant complet règle la facture.\n\n' +
    'Le montant doit arriver en entier. Les frais s’ajoutent par-dessus : les frais de réseau sont payés par votre portefeuille, et les frais de retrait par la plateforme, qui les déduit souvent du montant saisi.\n\n' +
    'Copiez le montant avec le bouton Copier plutôt que de le taper, et ne l’arrondissez pas.\n\n' +
    'S’il arrive moins, cette page indique ce qui manque. Envoyez le reste à la même adresse tant que la facture est ouverte ; payer en plusieurs virements fonctionne.\n\n' +
    'S’il arrive plus, la facture est payée et le marchand peut vous rembourser la différence.',

  'help.unconfirmed.title': 'Mon paiement est détecté mais pas encore confirmé',
  'help.unconfirmed.body':
    'Votre paiement a bien atteint le réseau. Le réseau ajoute maintenant de nouveaux blocs par-dessus, et chaque nouveau bloc compte comme une confirmation.\n\n' +
    'Le marchand attend quelques confirmations pour être sûr que le paiement ne peut plus être annulé. Cette page indique combien il y en a déjà.\n\n' +
    'Cela prend en général quelques minutes, parfois plus quand le réseau est chargé.\n\n' +
    'Vous n’avez rien à faire. Laissez cette page ouverte ou revenez plus tard.\n\n' +
    'N’envoyez pas le paiement une deuxième fois, même si le délai se termine pendant la confirmation.',

  'help.wrong-amount.title': 'J’ai envoyé un autre montant',
  'help.wrong-amount.body':
    'Si vous avez envoyé moins, cette page indique combien il manque. Envoyez le reste à la même adresse, avec la même cryptomonnaie et le même réseau, tant que la facture est ouverte.\n\n' +
    'Si vous avez envoyé plus, la facture est payée. Contactez le marchand en indiquant le hash de la transaction pour récupérer la différence.\n\n' +
    'Si la facture a déjà expiré, n’envoyez plus rien à cette adresse. Contactez le marchand : il a reçu vos fonds et peut finaliser la commande ou vous rembourser.\n\n' +
    'Conservez le hash de la transaction, visible dans votre portefeuille ou sur votre plateforme : il identifie votre virement, et le marchand vous le demandera.',

  'help.paid-too-little.title': 'J’ai payé trop peu',
  'help.paid-too-little.body':
    'Cela arrive souvent quand une plateforme a déduit ses frais de retrait du montant, ou quand un portefeuille a soustrait les frais de réseau.\n\n' +
    'Envoyez le montant restant indiqué sur cette page à la même adresse, avec la même cryptomonnaie et sur le même réseau.\n\n' +
    'Vérifiez que le reste arrive en entier : ajoutez à nouveau les frais de la plateforme.\n\n' +
    'Vous pouvez payer en plusieurs virements tant que la facture est ouverte. La page les additionne.\n\n' +
    'Si la facture expire avant l’arrivée du reste, n’envoyez plus rien. Contactez le marchand : il peut finaliser la commande ou vous rembourser ce que vous avez payé.',

  'help.expired.title': 'La facture a expiré',
  'help.expired.body':
    'Une facture n’est ouverte que pendant un temps limité, car le prix en cryptomonnaie n’est garanti que pendant ce temps.\n\n' +
    'Une fois la facture expirée, n’envoyez plus rien à son adresse.\n\n' +
    'Pour payer, retournez à la boutique et lancez un nouveau paiement. Vous obtiendrez une nouvelle adresse et un nouveau montant.\n\n' +
    'Si vous avez déjà envoyé des fonds après l’expiration, le marchand les a reçus. Contactez-le en indiquant le hash de la transaction : il peut finaliser votre commande ou vous rembourser.',

  'help.goods-not-arrived.title': 'J’ai payé, mais ma commande n’est pas arrivée',
  'help.goods-not-arrived.body':
    'Votre paiement est allé directement au marchand. Cette page de paiement est gérée par le marchand lui-même, pas par une société de paiement distincte.\n\n' +
    'Quand la page indique Payé, le marchand a bien reçu votre argent. La livraison de la commande relève de sa responsabilité.\n\n' +
    'Contactez le marchand en indiquant :\n\n' +
    '- le numéro de commande ;\n' +
    '- le lien vers cette page ;\n' +
    '- le hash de la transaction, visible dans votre portefeuille ou sur votre plateforme.\n\n' +
    'Seul le marchand peut livrer, annuler ou rembourser une commande.',

  'help.wrong-network.title': 'J’ai envoyé sur le mauvais réseau ou la mauvaise cryptomonnaie',
  'help.wrong-network.body':
    'Cette page ne voit que la cryptomonnaie et le réseau qu’elle affiche : un paiement envoyé autrement ne compte pas pour cette facture.\n\n' +
    'Les fonds peuvent parfois être récupérés. Ethereum, BNB Smart Chain, Polygon, Arbitrum, Optimism et Base utilisent les mêmes adresses, donc l’adresse peut aussi exister sur le réseau que vous avez utilisé.\n\n' +
    'Seul le marchand peut récupérer ces fonds. Cela se fait à la main, prend du temps et n’est pas garanti.\n\n' +
    'Contactez le marchand en indiquant :\n\n' +
    '- le hash de la transaction ;\n' +
    '- le réseau et la cryptomonnaie utilisés ;\n' +
    '- le montant et le numéro de commande.\n\n' +
    'N’envoyez pas le paiement une deuxième fois avant la réponse du marchand.',
};
