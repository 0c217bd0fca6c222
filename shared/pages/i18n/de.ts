import type { Catalogue } from './types';

export const de: Catalogue = {
  'common.testMode': 'Testmodus',
  'common.testModeHint': 'Dies ist eine Testzahlung: Es fließt kein echtes Geld.',
  'common.language': 'Sprache',
  'common.copy': 'Kopieren',
  'common.copied': 'Kopiert',
  'common.help': 'Hilfe',
  'common.contactMerchant': 'Kontakt zum Händler: {contact}',
  'common.footer': 'Zahlungsabwicklung durch {merchant} mit Tollgate',
  'common.durationDays': '{days} T. {time}',
  'common.error.title': 'Etwas ist schiefgelaufen',
  'common.error.body': 'Bitte versuchen Sie es in ein paar Minuten erneut. Wenn der Fehler bleibt, wenden Sie sich an den Händler.',
  'common.notFound.title': 'Zahlung nicht gefunden',
  'common.notFound.body': 'Diesen Zahlungslink gibt es nicht, oder er wurde falsch eingegeben. Prüfen Sie den Link, den Sie vom Shop erhalten haben.',
  'common.tooManyRequests': 'Zu viele Anfragen. Bitte versuchen Sie es in einer Minute erneut.',

  'pay.heading': 'Zahlung',
  'pay.order': 'Bestellung {orderId}',
  'pay.amountToPay': 'Zu zahlender Betrag',
  'pay.chooseCurrency': 'Wählen Sie, womit Sie bezahlen möchten',
  'pay.changeCurrency': 'Andere Währung wählen',
  'pay.network': 'Netzwerk',
  'pay.payWith': 'Mit {currency} im Netzwerk {network} bezahlen',
  'pay.email': 'E-Mail',
  'pay.emailHint': 'Der Händler nutzt sie nur, um Sie zu dieser Zahlung zu kontaktieren, zum Beispiel für eine Erstattung.',
  'pay.emailRequired': 'Geben Sie Ihre E-Mail-Adresse ein, um fortzufahren.',
  'pay.emailInvalid': 'Diese E-Mail-Adresse scheint nicht zu stimmen.',
  'pay.continue': 'Weiter',
  'pay.address': 'Einzahlungsadresse',
  'pay.addressHint': 'Diese Adresse gilt nur für diese Zahlung. Speichern Sie sie nicht für spätere Zahlungen.',
  'pay.exactAmount': 'Genauer Betrag',
  'pay.networkFeeIncluded': 'Enthält die Netzwerkgebühr von {fee} (etwa {usd}): so viel kostet die Weiterleitung dieser Zahlung im Netzwerk {network} derzeit.',
  'pay.sendExactly': 'Senden Sie genau {amount} {currency}',
  'pay.networkWarning':
    'Senden Sie nur {token} im Netzwerk {network}. Token-Vertrag: {contract}. Beträge, die über ein anderes Netzwerk oder als anderer Token gesendet werden, gehen verloren oder kommen verspätet an.',
  'pay.networkWarningNative':
    'Senden Sie nur {token} im Netzwerk {network}. Beträge, die über ein anderes Netzwerk oder als andere Coin gesendet werden, gehen verloren oder kommen verspätet an.',
  'pay.qrAlt': 'QR-Code mit der Einzahlungsadresse und dem zu sendenden Betrag',
  'pay.qrAltAddress': 'QR-Code mit der Einzahlungsadresse',
  'pay.qrAddressOnly': 'Der QR-Code enthält nur die Adresse. Geben Sie den genauen Betrag selbst in Ihrer Wallet ein.',
  'pay.timeLeft': 'Verbleibende Zeit: {time}',
  'pay.status.waiting': 'Wir warten auf Ihre Zahlung',
  'pay.status.seen': 'Zahlung erkannt, wir warten auf Bestätigungen: {k} von {n}',
  'pay.status.seenFinality': 'Zahlung erkannt, wir warten auf die Bestätigung durch das Netzwerk',
  'pay.status.seenEta': 'Dauert meist etwa {minutes} Min.',
  'pay.status.paid': 'Bezahlt. Vielen Dank!',
  'pay.status.partial': '{paid} von {total} bezahlt. Senden Sie die restlichen {remaining} {currency} an dieselbe Adresse',
  'pay.status.overpaid': 'Bezahlt, und zwar {extra} mehr als nötig. Wenden Sie sich für die Erstattung der Differenz an den Händler',
  'pay.status.late': 'Ihre Zahlung ist nach Ablauf der Rechnung eingegangen. Der Händler hat sie erhalten; wenden Sie sich an ihn',
  'pay.status.expired': 'Diese Rechnung ist abgelaufen. Senden Sie kein Geld an diese Adresse',
  'pay.status.canceled': 'Diese Rechnung wurde storniert',
  'pay.rateLockedUntil': 'Kurs garantiert bis {time}',
  'pay.rateLockedHint': 'Zahlen Sie bis dahin. Eine spätere Zahlung wird zum dann gültigen Kurs bewertet und reicht womöglich nicht aus.',
  'pay.quote': '1 {currency} = {rate} {fiat}',
  'pay.transaction': 'Transaktion',
  'pay.returnToShop': 'Zurück zum Shop',
  'pay.backToShop': 'Zurück zum Shop',
  'pay.testWallet': 'Mit der Test-Wallet bezahlen',
  'pay.testWalletHint': 'Diese Schaltfläche gibt es nur in der lokalen Testumgebung. Sie sendet Test-Coins, kein echtes Geld.',
  'pay.testWalletFailed': 'Die Testzahlung konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
  'pay.paying': 'Wird bezahlt…',
  'pay.selectFailed': 'Diese Währung lässt sich gerade nicht auswählen. Versuchen Sie es erneut oder wählen Sie eine andere.',
  'pay.noscript': 'Aktivieren Sie JavaScript, damit sich der Status live aktualisiert, oder laden Sie die Seite neu, um den aktuellen Stand zu sehen.',

  'donate.heading': '{name} unterstützen',
  'donate.presets': 'Betrag wählen',
  'donate.customAmount': 'Anderer Betrag',
  'donate.limits': 'Von {min} bis {max}',
  'donate.amountInvalid': 'Geben Sie einen Betrag von {min} bis {max} ein.',
  'donate.name': 'Ihr Name (optional)',
  'donate.message': 'Nachricht (optional)',
  'donate.submit': 'Spenden',
  'donate.closed': 'Über diese Seite werden derzeit keine Spenden angenommen',
  'donate.thanks': 'Vielen Dank für Ihre Spende!',
  'donate.nextStep': 'Auf der nächsten Seite wählen Sie die Kryptowährung und sehen die Adresse und den genauen Betrag.',
  'donate.continue': 'Weiter zur Zahlung',
  'donate.currencyNote': 'Beträge in {currency}',

  'pos.amount': 'Betrag',
  'pos.charge': 'Kassieren',
  'pos.scanToPay': 'Zum Bezahlen scannen',
  'pos.paid': 'Bezahlt',
  'pos.nextSale': 'Nächster Verkauf',
  'pos.cancel': 'Abbrechen',
  'pos.limit': 'Bis {max}',

  'widget.button': 'Mit Krypto bezahlen',
  'widget.close': 'Schließen',
  'widget.unavailable': 'Die Zahlung mit Krypto ist auf dieser Website gerade nicht verfügbar.',

  'wallet.heading': 'Ihre Einzahlungsadresse für {currency}',
  'wallet.intro': 'Senden Sie {currency} an diese Adresse, wann immer Sie möchten und in beliebiger Höhe. Es ist Ihre feste Adresse bei {merchant}: Sie ändert sich nicht und kann wiederverwendet werden.',
  'wallet.qrAddressOnly': 'Der QR-Code enthält nur die Adresse. Geben Sie den Betrag in Ihrer Wallet ein.',
  'wallet.addressHint': 'Die Adresse bleibt immer gleich. Kopieren Sie sie mit der Schaltfläche, statt sie abzutippen: Ein falsches Zeichen, und das Geld geht an eine fremde Adresse.',
  'wallet.minimum': 'Überweisungen im Wert von weniger als etwa {fee} werden nicht gutgeschrieben: Sie decken nicht einmal die Netzwerkgebühr.',
  'wallet.howTo': 'Wie sende ich?',
  'wallet.step.open': 'Öffnen Sie Ihre Wallet-App oder Ihr Börsenkonto und wählen Sie „Senden“ (an einer Börse: „Auszahlen“).',
  'wallet.step.pick': 'Wählen Sie {token} und das Netzwerk {network}.',
  'wallet.step.address': 'Scannen Sie den QR-Code, oder fügen Sie die kopierte Adresse ein.',
  'wallet.step.confirm': 'Geben Sie den Betrag ein, prüfen Sie alles und bestätigen Sie. Ihre Wallet berechnet zusätzlich eine kleine Netzwerkgebühr.',
  'wallet.step.wait': 'Ihre Überweisung erscheint nach wenigen Minuten unten.',
  'wallet.blocked': '{merchant} bittet darum, diese Adresse nicht mehr zu verwenden.',
  'wallet.blockedHint': 'Senden Sie nichts mehr an sie. Wenden Sie sich an {merchant}, um eine neue Adresse zu erhalten.',
  'wallet.retiredAddress': 'Nicht mehr verwendete Adresse',
  'wallet.receipts': 'Ihre letzten Überweisungen',
  'wallet.receiptsEmpty': 'Noch keine Überweisungen. Nach dem Senden erscheint Ihre Überweisung hier innerhalb weniger Minuten.',
  'wallet.receiptsMore': 'Nur die {count} neuesten Überweisungen werden angezeigt.',
  'wallet.receiptsMissing': 'Sie sehen Ihre Überweisung nicht? Warten Sie ein paar Minuten. Eine Überweisung einer anderen Coin, über ein anderes Netzwerk oder unter dem Mindestbetrag wird nicht automatisch gutgeschrieben: Wenden Sie sich mit dem Transaktions-Hash aus Ihrer Wallet an {merchant}.',
  'wallet.latest': 'Letzte Überweisung: {amount}',
  'wallet.blockedHintContact': 'Senden Sie nichts mehr an sie. Für eine neue Adresse wenden Sie sich an {merchant}: {contact}',
  'wallet.receiptsNone': 'Keine Überweisungen an diese Adresse.',
  'wallet.receipt.confirming': 'Warten auf Bestätigungen: {k} von {n}',
  'wallet.receipt.confirmingFinality': 'Warten auf die Bestätigung durch das Netzwerk',
  'wallet.receipt.credited': 'Gutgeschrieben',
  'wallet.receipt.notCredited': 'Nicht gutgeschrieben. Wenden Sie sich an den Shop',
  'wallet.receipt.afterBlock': 'Eingegangen, nachdem diese Adresse stillgelegt wurde. Wenden Sie sich an den Shop.',

  'help.heading': 'Hilfe zu Ihrer Zahlung',
  'help.intro':
    'Kurze Antworten auf häufige Fragen. Ihre Zahlung geht direkt an den Händler, und er ist auch Ihr Ansprechpartner, wenn etwas nicht stimmt.',
  'help.backToPayment': 'Zurück zur Zahlung',
  'help.related': 'Ähnliche Fragen',
  'help.allTopics': 'Alle Hilfethemen',
  'help.stillStuck': 'Kommen Sie nicht weiter?',
  'help.contactMerchant': 'Kontakt zu {merchant}: {contact}',
  'help.contactMerchantInShop': 'Wenden Sie sich an {merchant} über den Shop, in dem Sie bestellt haben. Nur der Händler kann Ihre Zahlung prüfen und das Problem lösen.',
  'help.contactShop': 'Wenden Sie sich an den Shop, in dem Sie bestellt haben. Nur der Händler kann Ihre Zahlung prüfen und das Problem lösen.',
  'help.group.paying': 'Bezahlen',
  'help.group.problems': 'Wenn etwas schiefgegangen ist',

  'help.pay-from-wallet.title': 'Wie bezahle ich mit meiner Wallet?',
  'help.pay-from-wallet.body':
    'Eine Wallet ist die App, in der Sie Ihre Kryptowährung aufbewahren, zum Beispiel auf dem Handy.\n\n' +
    '- Öffnen Sie Ihre Wallet und wählen Sie „Senden“.\n' +
    '- Wählen Sie dieselbe Coin und dasselbe Netzwerk wie auf dieser Seite.\n' +
    '- Scannen Sie den QR-Code, oder kopieren Sie die Adresse mit „Kopieren“ und fügen Sie sie ein.\n' +
    '- Geben Sie den genauen Betrag von dieser Seite ein.\n' +
    '- Prüfen Sie alles und bestätigen Sie.\n\n' +
    'Ihre Wallet berechnet zusätzlich eine kleine Netzwerkgebühr. Das ist normal; sie geht an das Netzwerk, nicht an den Händler.\n\n' +
    'Mehr müssen Sie nicht tun. Diese Seite erkennt Ihre Zahlung von selbst und aktualisiert sich.\n\n' +
    'Die Adresse gilt nur für diese Zahlung. Speichern Sie sie nicht, um später erneut dorthin zu zahlen.',

  'help.pay-from-exchange.title': 'Wie bezahle ich von einem Börsenkonto?',
  'help.pay-from-exchange.body':
    'Auf einer Börse bezahlen Sie, indem Sie an die Adresse auf dieser Seite auszahlen.\n\n' +
    '- Öffnen Sie „Auszahlen“ für die Coin, die auf dieser Seite steht.\n' +
    '- Fügen Sie die Adresse ein und wählen Sie dasselbe Netzwerk wie hier.\n' +
    '- Geben Sie den Betrag so ein, dass der volle Betrag von dieser Seite ankommt.\n' +
    '- Bestätigen Sie die Auszahlung.\n\n' +
    'Die meisten Börsen ziehen eine Auszahlungsgebühr vom eingegebenen Betrag ab. Rechnen Sie die Gebühr hinzu, oder prüfen Sie, dass der Empfangsbetrag genau dem Betrag auf dieser Seite entspricht.\n\n' +
    'Börsen halten Auszahlungen manchmal zur Prüfung zurück. Beginnen Sie früh genug, damit die Zahlung ankommt, bevor die Zeit abläuft.\n\n' +
    'Für diese Adresse brauchen Sie kein Memo und keinen Tag.',

  'help.buy-crypto.title': 'Ich habe keine Kryptowährung. Wie kaufe ich welche?',
  'help.buy-crypto.body':
    'Sie können Kryptowährung per Bankkarte oder Überweisung auf einer bekannten Börse kaufen oder in einer Wallet-App mit „Kaufen“-Schaltfläche.\n\n' +
    'Stablecoins wie USDT oder USDC sind etwa einen US-Dollar wert, so behalten Sie den Betrag leicht im Blick.\n\n' +
    'Kaufen Sie etwas mehr als den zu zahlenden Betrag: Beim Senden verlangt die Börse oder das Netzwerk eine Gebühr.\n\n' +
    'Beim ersten Kauf ist oft eine Identitätsprüfung nötig, die dauern kann. Läuft die Rechnung in der Zwischenzeit ab, gehen Sie zurück zum Shop und starten Sie eine neue Zahlung.\n\n' +
    'Kaufen Sie nur bei bekannten Anbietern, nie bei Fremden, die Sie von sich aus ansprechen.',

  'help.choose-network.title': 'Welches Netzwerk soll ich wählen?',
  'help.choose-network.body':
    'Dieselbe Coin kann es in mehreren Netzwerken geben. USDT zum Beispiel gibt es auf Ethereum, Tron und BNB Smart Chain, und diese Netzwerke sind voneinander getrennt.\n\n' +
    'Wählen Sie ein Netzwerk, das Ihre Wallet oder Börse für diese Coin unterstützt. Die Gebühren unterscheiden sich: Tron, BNB Smart Chain, Polygon und die anderen kleineren Netzwerke sind meist deutlich günstiger als Ethereum.\n\n' +
    'Wählen Sie beim Senden in Ihrer Wallet oder Börse genau dasselbe Netzwerk wie auf dieser Seite.\n\n' +
    'Um einen Token wie USDT zu senden, braucht Ihre Wallet außerdem etwas von der eigenen Coin des Netzwerks für die Gebühr: ETH auf Ethereum, TRX auf Tron, BNB auf BNB Smart Chain.\n\n' +
    'Im Zweifel schauen Sie nach, in welchem Netzwerk Ihre Coins gerade liegen, und wählen Sie dieses.',

  'help.exact-amount.title': 'Warum muss ich den genauen Betrag senden?',
  'help.exact-amount.body':
    'Der Händler prüft, welcher Betrag an der Adresse ankommt. Nur der volle Betrag begleicht die Rechnung.\n\n' +
    'Der Betrag muss vollständig ankommen. Gebühren kommen obendrauf: die Netzwerkgebühr zahlt Ihre Wallet, die Auszahlungsgebühr verlangt die Börse, die sie oft vom eingegebenen Betrag abzieht.\n\n' +
    'Übernehmen Sie den Betrag mit „Kopieren“, statt ihn abzutippen, und runden Sie ihn nicht.\n\n' +
    'Kommt zu wenig an, zeigt diese Seite, was fehlt. Senden Sie den Rest an dieselbe Adresse, solange die Rechnung offen ist; mehrere Überweisungen sind in Ordnung.\n\n' +
    'Kommt zu viel an, ist die Rechnung bezahlt, und der Händler kann Ihnen die Differenz erstatten.',

  'help.unconfirmed.title': 'Meine Zahlung ist erkannt, aber noch nicht bestätigt',
  'help.unconfirmed.body':
    'Ihre Zahlung ist im Netzwerk angekommen. Jetzt hängt das Netzwerk neue Blöcke daran an, und jeder neue Block ist eine Bestätigung.\n\n' +
    'Der Händler wartet auf einige Bestätigungen, um sicher zu sein, dass die Zahlung nicht mehr rückgängig gemacht werden kann. Diese Seite zeigt, wie viele es schon sind.\n\n' +
    'Das dauert meist ein paar Minuten, bei starker Auslastung des Netzwerks auch länger.\n\n' +
    'Sie müssen nichts tun. Lassen Sie diese Seite offen oder kommen Sie später wieder.\n\n' +
    'Senden Sie die Zahlung nicht noch einmal, auch wenn die Zeit abläuft, während sie bestätigt wird.',

  'help.wrong-amount.title': 'Ich habe einen anderen Betrag gesendet',
  'help.wrong-amount.body':
    'Haben Sie zu wenig gesendet, zeigt diese Seite, wie viel fehlt. Senden Sie den Rest an dieselbe Adresse, mit derselben Coin im selben Netzwerk, solange die Rechnung offen ist.\n\n' +
    'Haben Sie zu viel gesendet, ist die Rechnung bezahlt. Wenden Sie sich mit dem Transaktions-Hash an den Händler, um die Differenz zurückzubekommen.\n\n' +
    'Ist die Rechnung schon abgelaufen, senden Sie nichts mehr an diese Adresse. Wenden Sie sich an den Händler: Er hat Ihr Geld erhalten und kann die Bestellung abschließen oder Ihnen das Geld erstatten.\n\n' +
    'Bewahren Sie den Transaktions-Hash aus Ihrer Wallet oder Börse auf: Er kennzeichnet Ihre Überweisung, und der Händler wird danach fragen.',

  'help.paid-too-little.title': 'Ich habe zu wenig bezahlt',
  'help.paid-too-little.body':
    'Das passiert meist, wenn eine Börse ihre Auszahlungsgebühr vom Betrag abgezogen hat oder eine Wallet die Netzwerkgebühr abgezogen hat.\n\n' +
    'Senden Sie den Restbetrag, den diese Seite anzeigt, an dieselbe Adresse, mit derselben Coin und im selben Netzwerk.\n\n' +
    'Achten Sie darauf, dass der Rest vollständig ankommt: Rechnen Sie die Gebühr der Börse wieder hinzu.\n\n' +
    'Mehrere Überweisungen sind in Ordnung, solange die Rechnung offen ist. Die Seite zählt sie zusammen.\n\n' +
    'Läuft die Rechnung ab, bevor der Rest ankommt, senden Sie nichts mehr. Wenden Sie sich an den Händler: Er kann die Bestellung abschließen oder Ihnen das Gezahlte erstatten.',

  'help.expired.title': 'Die Rechnung ist abgelaufen',
  'help.expired.body':
    'Eine Rechnung ist nur begrenzte Zeit offen, weil der Preis in Kryptowährung nur so lange feststeht.\n\n' +
    'Nach Ablauf senden Sie nichts mehr an ihre Adresse.\n\n' +
    'Um zu bezahlen, gehen Sie zurück zum Shop und starten Sie eine neue Zahlung. Sie erhalten eine neue Adresse und einen neuen Betrag.\n\n' +
    'Haben Sie nach Ablauf der Rechnung schon Geld gesendet, hat der Händler es erhalten. Wenden Sie sich mit dem Transaktions-Hash an ihn: Er kann Ihre Bestellung abschließen oder Ihnen das Geld erstatten.',

  'help.goods-not-arrived.title': 'Ich habe bezahlt, aber meine Bestellung ist nicht angekommen',
  'help.goods-not-arrived.body':
    'Ihre Zahlung ging direkt an den Händler. Diese Zahlungsseite betreibt der Händler selbst, nicht ein separater Zahlungsdienstleister.\n\n' +
    'Steht auf der Seite „Bezahlt“, hat der Händler Ihr Geld. Für die Lieferung ist der Händler zuständig.\n\n' +
    'Wenden Sie sich an den Händler und nennen Sie:\n\n' +
    '- die Bestellnummer;\n' +
    '- den Link zu dieser Seite;\n' +
    '- den Transaktions-Hash aus Ihrer Wallet oder Börse.\n\n' +
    'Nur der Händler kann eine Bestellung liefern, stornieren oder erstatten.',

  'help.wrong-network.title': 'Ich habe im falschen Netzwerk oder die falsche Coin gesendet',
  'help.wrong-network.body':
    'Diese Seite sieht nur die Coin und das Netzwerk, die sie anzeigt. Eine auf anderem Weg gesendete Zahlung zählt daher nicht für diese Rechnung.\n\n' +
    'Das Geld lässt sich womöglich trotzdem zurückholen. Ethereum, BNB Smart Chain, Polygon, Arbitrum, Optimism und Base verwenden dieselben Adressen, daher kann es die Adresse auch in dem Netzwerk geben, das Sie benutzt haben.\n\n' +
    'Nur der Händler kann solches Geld zurückholen. Das geschieht von Hand, dauert und ist nicht garantiert.\n\n' +
    'Wenden Sie sich an den Händler und nennen Sie:\n\n' +
    '- den Transaktions-Hash;\n' +
    '- das Netzwerk und die Coin, die Sie benutzt haben;\n' +
    '- den Betrag und die Bestellnummer.\n\n' +
    'Senden Sie die Zahlung nicht noch einmal, bevor der Händler geantwortet hat.',
};
