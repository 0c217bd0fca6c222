import type { Catalogue } from './types';

export const es: Catalogue = {
  'common.testMode': 'Modo de prueba',
  'common.testModeHint': 'Este es un pago de prueba: no se mueve dinero real.',
  'common.language': 'Idioma',
  'common.copy': 'Copiar',
  'common.copied': 'Copiado',
  'common.help': 'Ayuda',
  'common.contactMerchant': 'Contacte con el vendedor: {contact}',
  'common.footer': 'Pagos procesados por {merchant} con Tollgate',
  'common.durationDays': '{days} d {time}',
  'common.error.title': 'Algo salió mal',
  'common.error.body': 'Vuelva a intentarlo dentro de unos minutos. Si el problema continúa, contacte con el vendedor.',
  'common.notFound.title': 'Pago no encontrado',
  'common.notFound.body': 'Este enlace de pago no existe o está mal escrito. Compruebe el enlace que le dio la tienda.',
  'common.tooManyRequests': 'Demasiadas solicitudes. Vuelva a intentarlo dentro de un minuto.',

  'pay.heading': 'Pago',
  'pay.order': 'Pedido {orderId}',
  'pay.amountToPay': 'Importe a pagar',
  'pay.chooseCurrency': 'Elija cómo quiere pagar',
  'pay.changeCurrency': 'Elegir otra moneda',
  'pay.network': 'Red',
  'pay.payWith': 'Pagar con {currency} en la red {network}',
  'pay.email': 'Correo electrónico',
  'pay.emailHint': 'El vendedor solo lo usará para contactarle sobre este pago, por ejemplo para un reembolso.',
  'pay.emailRequired': 'Introduzca su correo electrónico para continuar.',
  'pay.emailInvalid': 'Este correo electrónico no parece correcto.',
  'pay.continue': 'Continuar',
  'pay.address': 'Dirección de depósito',
  'pay.addressHint': 'Esta dirección es solo para este pago. No la guarde para pagos futuros.',
  'pay.exactAmount': 'Importe exacto',
  'pay.networkFeeIncluded': 'Incluye la comisión de red de {fee} (unos {usd}): lo que cuesta ahora mover este pago en la red {network}.',
  'pay.sendExactly': 'Envíe exactamente {amount} {currency}',
  'pay.networkWarning':
    'Envíe solo {token} en la red {network}. Contrato del token: {contract}. Los fondos enviados por otra red o en otro token se pierden o se retrasan.',
  'pay.networkWarningNative':
    'Envíe solo {token} en la red {network}. Los fondos enviados por otra red o en otra moneda se pierden o se retrasan.',
  'pay.qrAlt': 'Código QR con la dirección de depósito y el importe a enviar',
  'pay.qrAltAddress': 'Código QR con la dirección de depósito',
  'pay.qrAddressOnly': 'El código QR contiene solo la dirección. Escriba usted el importe exacto en su billetera.',
  'pay.timeLeft': 'Tiempo restante: {time}',
  'pay.status.waiting': 'Esperando su pago',
  'pay.status.seen': 'Pago detectado, esperando confirmaciones: {k} de {n}',
  'pay.status.seenFinality': 'Pago detectado, esperando la confirmación de la red',
  'pay.status.seenEta': 'Suele tardar unos {minutes} min',
  'pay.status.paid': 'Pagado. ¡Gracias!',
  'pay.status.partial': 'Pagado {paid} de {total}. Envíe los {remaining} {currency} restantes a la misma dirección',
  'pay.status.overpaid': 'Pagado, con {extra} más de lo necesario. Contacte con el vendedor para que le devuelva la diferencia',
  'pay.status.late': 'Su pago llegó después de que venciera la factura. El vendedor lo ha recibido; contacte con él',
  'pay.status.expired': 'Esta factura ha vencido. No envíe fondos a esta dirección',
  'pay.status.canceled': 'Esta factura fue cancelada',
  'pay.rateLockedUntil': 'Tipo de cambio fijo hasta {time}',
  'pay.rateLockedHint': 'Pague antes de esa hora. Un pago que llegue después se valora al tipo de cambio de ese momento y puede quedarse corto.',
  'pay.quote': '1 {currency} = {rate} {fiat}',
  'pay.transaction': 'Transacción',
  'pay.returnToShop': 'Volver a la tienda',
  'pay.backToShop': 'Volver a la tienda',
  'pay.testWallet': 'Pagar con la billetera de prueba',
  'pay.testWalletHint': 'Este botón solo existe en el entorno local de pruebas. Envía monedas de prueba, no reales.',
  'pay.testWalletFailed': 'No se pudo enviar el pago de prueba. Vuelva a intentarlo.',
  'pay.paying': 'Pagando…',
  'pay.selectFailed': 'Ahora mismo no se puede elegir esta moneda. Vuelva a intentarlo o elija otra.',
  'pay.noscript': 'Active JavaScript para ver el estado actualizado en directo, o recargue la página para actualizarlo.',

  'donate.heading': 'Apoye a {name}',
  'donate.presets': 'Elija un importe',
  'donate.customAmount': 'Otro importe',
  'donate.limits': 'De {min} a {max}',
  'donate.amountInvalid': 'Introduzca un importe de {min} a {max}.',
  'donate.name': 'Su nombre (opcional)',
  'donate.message': 'Mensaje (opcional)',
  'donate.submit': 'Donar',
  'donate.closed': 'Esta página no acepta donaciones en este momento',
  'donate.thanks': '¡Gracias por su donación!',
  'donate.nextStep': 'En la página siguiente elige la criptomoneda y ve la dirección y el importe exacto que debe enviar.',
  'donate.continue': 'Continuar al pago',
  'donate.currencyNote': 'Importes en {currency}',

  'pos.amount': 'Importe',
  'pos.charge': 'Cobrar',
  'pos.scanToPay': 'Escanee para pagar',
  'pos.paid': 'Pagado',
  'pos.nextSale': 'Siguiente venta',
  'pos.cancel': 'Cancelar',
  'pos.limit': 'Hasta {max}',

  'widget.button': 'Pagar con cripto',
  'widget.close': 'Cerrar',
  'widget.unavailable': 'El pago con criptomonedas no está disponible en este sitio en este momento.',

  'wallet.heading': 'Su dirección de depósito de {currency}',
  'wallet.intro': 'Envíe {currency} a esta dirección cuando quiera y por el importe que quiera. Es su dirección permanente en {merchant}: no cambia, así que puede volver a usarla.',
  'wallet.qrAddressOnly': 'El código QR solo contiene la dirección. Introduzca el importe en su billetera.',
  'wallet.addressHint': 'La dirección es permanente. Cópiela con el botón en lugar de escribirla: un solo carácter erróneo envía los fondos a otra dirección.',
  'wallet.minimum': 'Las transferencias de menos de unos {fee} no se abonan: ni siquiera cubren la comisión de la red.',
  'wallet.howTo': '¿Cómo envío?',
  'wallet.step.open': 'Abra la aplicación de su billetera o su cuenta en el exchange y elija Enviar (en un exchange: Retirar).',
  'wallet.step.pick': 'Elija {token} y la red {network}.',
  'wallet.step.address': 'Escanee el código QR o pegue la dirección que copió.',
  'wallet.step.confirm': 'Introduzca el importe, revíselo todo y confirme. Su billetera añade una pequeña comisión de red.',
  'wallet.step.wait': 'Su transferencia aparecerá abajo en unos minutos.',
  'wallet.blocked': '{merchant} ha pedido que ya no se use esta dirección.',
  'wallet.blockedHint': 'No envíe nada a ella. Contacte con {merchant} para obtener una dirección nueva.',
  'wallet.retiredAddress': 'Dirección que ya no se usa',
  'wallet.receipts': 'Sus transferencias recientes',
  'wallet.receiptsEmpty': 'Todavía no hay transferencias. Después de enviar, su transferencia aparecerá aquí en unos minutos.',
  'wallet.receiptsMore': 'Solo se muestran las {count} transferencias más recientes.',
  'wallet.receiptsMissing': '¿No ve su transferencia? Espere unos minutos. Una transferencia de otra moneda, por otra red o por debajo del mínimo no se abona automáticamente: contacte con {merchant} con el hash de la transacción de su billetera.',
  'wallet.latest': 'Última transferencia: {amount}',
  'wallet.blockedHintContact': 'No envíe nada a ella. Para obtener una dirección nueva, contacte con {merchant}: {contact}',
  'wallet.receiptsNone': 'No hay transferencias a esta dirección.',
  'wallet.receipt.confirming': 'Esperando confirmaciones: {k} de {n}',
  'wallet.receipt.confirmingFinality': 'Esperando a que la red la confirme',
  'wallet.receipt.credited': 'Abonado',
  'wallet.receipt.notCredited': 'No abonado. Contacte con la tienda',
  'wallet.receipt.afterBlock': 'Llegó después de que esta dirección dejara de usarse. Contacte con la tienda.',

  'help.heading': 'Ayuda con su pago',
  'help.intro':
    'Respuestas breves a las preguntas más frecuentes. Su pago va directamente al vendedor, y es a él a quien debe contactar si algo no va bien.',
  'help.backToPayment': 'Volver al pago',
  'help.related': 'Preguntas relacionadas',
  'help.allTopics': 'Todos los temas de ayuda',
  'help.stillStuck': '¿Sigue sin resolverlo?',
  'help.contactMerchant': 'Contacte con {merchant}: {contact}',
  'help.contactMerchantInShop': 'Contacte con {merchant} a través de la tienda donde hizo su pedido. Solo el vendedor puede revisar su pago y resolver el problema.',
  'help.contactShop': 'Contacte con la tienda donde hizo su pedido. Solo el vendedor puede revisar su pago y resolver el problema.',
  'help.group.paying': 'Cómo pagar',
  'help.group.problems': 'Si algo salió mal',

  'help.pay-from-wallet.title': '¿Cómo pago desde mi billetera?',
  'help.pay-from-wallet.body':
    'Una billetera es la aplicación donde guarda sus criptomonedas, por ejemplo en el móvil.\n\n' +
    '- Abra su billetera y elija Enviar.\n' +
    '- Elija la misma moneda y la misma red que en esta página.\n' +
    '- Escanee el código QR, o copie la dirección con el botón Copiar y péguela.\n' +
    '- Introduzca el importe exacto que aparece en esta página.\n' +
    '- Revíselo todo y confirme.\n\n' +
    'Su billetera cobra, además del importe, una pequeña comisión de red. Es normal: va a la red, no al vendedor.\n\n' +
    'No tiene que hacer nada más. Esta página detecta su pago por sí sola y se actualiza.\n\n' +
    'La dirección se ha creado solo para este pago. No la guarde para volver a pagar más adelante.',

  'help.pay-from-exchange.title': '¿Cómo pago desde una cuenta en un exchange?',
  'help.pay-from-exchange.body':
    'En un exchange, pagar consiste en hacer un retiro a la dirección de esta página.\n\n' +
    '- Abra Retirar para la moneda indicada en esta página.\n' +
    '- Pegue la dirección y elija la misma red que aquí.\n' +
    '- Introduzca el importe de forma que llegue el importe completo de esta página.\n' +
    '- Confirme el retiro.\n\n' +
    'La mayoría de los exchanges descuentan una comisión de retiro del importe que introduce. Súmela al importe, o compruebe que el importe a recibir es exactamente el de esta página.\n\n' +
    'A veces los exchanges retienen los retiros para revisarlos. Empiece con tiempo para que el pago llegue antes de que se acabe el plazo.\n\n' +
    'Esta dirección no necesita memo ni etiqueta.',

  'help.buy-crypto.title': 'No tengo criptomonedas. ¿Cómo las compro?',
  'help.buy-crypto.body':
    'Puede comprar criptomonedas con una tarjeta bancaria o una transferencia en un exchange conocido, o en una aplicación de billetera que tenga un botón Comprar.\n\n' +
    'Las stablecoins como USDT o USDC valen aproximadamente un dólar estadounidense, así que es fácil entender el importe.\n\n' +
    'Compre un poco más del importe a pagar: al enviar, el exchange o la red cobran una comisión.\n\n' +
    'La primera compra suele requerir una verificación de identidad, que puede tardar. Si mientras tanto vence esta factura, vuelva a la tienda e inicie un nuevo pago.\n\n' +
    'Compre solo en servicios conocidos, nunca a desconocidos que le escriban.',

  'help.choose-network.title': '¿Qué red debo elegir?',
  'help.choose-network.body':
    'Una misma moneda puede existir en varias redes. USDT, por ejemplo, existe en Ethereum, Tron y BNB Smart Chain, y cada una es independiente.\n\n' +
    'Elija una red que su billetera o su exchange admitan para esta moneda. Las comisiones varían: Tron, BNB Smart Chain, Polygon y las demás redes más pequeñas suelen costar mucho menos que Ethereum.\n\n' +
    'Al enviar, seleccione en su billetera o exchange exactamente la misma red que en esta página.\n\n' +
    'Para enviar un token como USDT, su billetera también necesita un poco de la moneda propia de la red para pagar la comisión: ETH en Ethereum, TRX en Tron, BNB en BNB Smart Chain.\n\n' +
    'Si tiene dudas, mire en qué red están ahora sus monedas y elija esa.',

  'help.exact-amount.title': '¿Por qué tengo que enviar el importe exacto?',
  'help.exact-amount.body':
    'El vendedor comprueba el importe que llega a la dirección. Solo el importe completo paga la factura.\n\n' +
    'El importe tiene que llegar completo. Las comisiones se pagan aparte: la de red la añade su billetera, y la de retiro la cobra el exchange, que a menudo la descuenta de lo que usted introduce.\n\n' +
    'Copie el importe con el botón Copiar en lugar de escribirlo, y no lo redondee.\n\n' +
    'Si llega menos, esta página muestra lo que falta. Envíe el resto a la misma dirección mientras la factura siga abierta; se puede pagar en varias transferencias.\n\n' +
    'Si llega más, la factura queda pagada y el vendedor puede devolverle la diferencia.',

  'help.unconfirmed.title': 'Mi pago aparece, pero aún no está confirmado',
  'help.unconfirmed.body':
    'Su pago ya ha llegado a la red. Ahora la red va añadiendo bloques nuevos encima, y cada bloque nuevo es una confirmación.\n\n' +
    'El vendedor espera unas cuantas confirmaciones para estar seguro de que el pago ya no se puede revertir. Esta página muestra cuántas hay hasta ahora.\n\n' +
    'Suele tardar unos minutos, y a veces más cuando la red está muy cargada.\n\n' +
    'No tiene que hacer nada. Deje esta página abierta o vuelva a ella más tarde.\n\n' +
    'No vuelva a enviar el pago, aunque el tiempo se acabe mientras se confirma.',

  'help.wrong-amount.title': 'Envié un importe distinto',
  'help.wrong-amount.body':
    'Si envió menos, esta página muestra cuánto falta. Envíe el resto a la misma dirección, con la misma moneda y red, mientras la factura siga abierta.\n\n' +
    'Si envió más, la factura está pagada. Contacte con el vendedor e indique el hash de la transacción para que le devuelva la diferencia.\n\n' +
    'Si la factura ya ha vencido, no envíe nada más a esta dirección. Contacte con el vendedor: ha recibido sus fondos y puede completar el pedido o hacerle un reembolso.\n\n' +
    'Guarde el hash de la transacción de su billetera o exchange: identifica su transferencia y el vendedor se lo pedirá.',

  'help.paid-too-little.title': 'Pagué de menos',
  'help.paid-too-little.body':
    'Suele pasar cuando un exchange descontó su comisión de retiro del importe, o cuando una billetera restó la comisión de red.\n\n' +
    'Envíe el importe restante que muestra esta página a la misma dirección, con la misma moneda y en la misma red.\n\n' +
    'Asegúrese de que el resto llegue completo: vuelva a sumar la comisión del exchange.\n\n' +
    'Se puede pagar en varias transferencias mientras la factura esté abierta. La página las suma.\n\n' +
    'Si la factura vence antes de que llegue el resto, no envíe nada más. Contacte con el vendedor: puede completar el pedido o devolverle lo que pagó.',

  'help.expired.title': 'La factura ha vencido',
  'help.expired.body':
    'Una factura está abierta solo durante un tiempo limitado, porque el precio en criptomoneda solo se mantiene fijo durante ese tiempo.\n\n' +
    'Una vez vencida, no envíe nada a su dirección.\n\n' +
    'Para pagar, vuelva a la tienda e inicie un nuevo pago. Recibirá una dirección nueva y un importe nuevo.\n\n' +
    'Si ya envió fondos después de que venciera la factura, el vendedor los ha recibido. Contacte con él e indique el hash de la transacción: puede completar su pedido o hacerle un reembolso.',

  'help.goods-not-arrived.title': 'Pagué, pero mi pedido no ha llegado',
  'help.goods-not-arrived.body':
    'Su pago fue directamente al vendedor. Esta página de pago la gestiona el propio vendedor, no una empresa de pagos aparte.\n\n' +
    'Si la página indica Pagado, el vendedor tiene su dinero. La entrega del pedido es responsabilidad suya.\n\n' +
    'Contacte con el vendedor e indique:\n\n' +
    '- el número de pedido;\n' +
    '- el enlace a esta página;\n' +
    '- el hash de la transacción de su billetera o exchange.\n\n' +
    'Solo el vendedor puede entregar, cancelar o reembolsar un pedido.',

  'help.wrong-network.title': 'Envié por la red equivocada o la moneda equivocada',
  'help.wrong-network.body':
    'Esta página solo ve la moneda y la red que muestra, así que un pago enviado de otra forma no cuenta para esta factura.\n\n' +
    'Puede que los fondos aún se puedan recuperar. Ethereum, BNB Smart Chain, Polygon, Arbitrum, Optimism y Base comparten las mismas direcciones, así que la dirección puede existir también en la red que usó.\n\n' +
    'Solo el vendedor puede recuperar esos fondos. Se hace a mano, lleva tiempo y no está garantizado.\n\n' +
    'Contacte con el vendedor e indique:\n\n' +
    '- el hash de la transacción;\n' +
    '- la red y la moneda que usó;\n' +
    '- el importe y el número de pedido.\n\n' +
    'No vuelva a enviar el pago hasta que el vendedor le responda.',
};
