/**
 * The English catalogue: the source of every message key (the other languages are typed against
 * it, so a missing key fails tsc). Placeholders are `{name}`; help bodies are paragraphs split by a
 * blank line, and a line starting with "- " is a list item. No HTML: views escape everything.
 */
export const en = {
  'common.testMode': 'Test mode',
  'common.testModeHint': 'This is a test payment: no real money moves.',
  'common.language': 'Language',
  'common.copy': 'Copy',
  'common.copied': 'Copied',
  'common.help': 'Help',
  'common.contactMerchant': 'Contact the merchant: {contact}',
  'common.footer': 'Payments processed by {merchant} with Tollgate',
  'common.durationDays': '{days} d {time}',
  'common.error.title': 'Something went wrong',
  'common.error.body': 'Please try again in a few minutes. If it keeps happening, contact the merchant.',
  'common.notFound.title': 'Payment not found',
  'common.notFound.body': 'This payment link does not exist or was mistyped. Check the link the shop gave you.',
  'common.tooManyRequests': 'Too many requests. Please try again in a minute.',

  'pay.heading': 'Payment',
  'pay.order': 'Order {orderId}',
  'pay.amountToPay': 'Amount to pay',
  'pay.chooseCurrency': 'Choose how you want to pay',
  'pay.changeCurrency': 'Choose another currency',
  'pay.network': 'Network',
  'pay.payWith': 'Pay with {currency} on {network}',
  'pay.email': 'E-mail',
  'pay.emailHint': 'The merchant uses it only to contact you about this payment, for example for a refund.',
  'pay.emailRequired': 'Enter your e-mail address to continue.',
  'pay.emailInvalid': 'This e-mail address does not look right.',
  'pay.continue': 'Continue',
  'pay.address': 'Deposit address',
  'pay.addressHint': 'This address belongs to this payment only. Do not save it for later payments.',
  'pay.exactAmount': 'Exact amount',
  'pay.networkFeeIncluded': 'Includes the network fee of {fee} (about {usd}): what moving this payment on the {network} network costs now.',
  'pay.sendExactly': 'Send exactly {amount} {currency}',
  'pay.networkWarning':
    'Send only {token} on the {network} network. Token contract: {contract}. Funds sent on another network or another token are lost or delayed.',
  'pay.networkWarningNative':
    'Send only {token} on the {network} network. Funds sent on another network or as another coin are lost or delayed.',
  'pay.qrAlt': 'QR code with the deposit address and the amount to send',
  'pay.qrAltAddress': 'QR code with the deposit address',
  'pay.qrAddressOnly': 'The QR code holds the address only. Type the exact amount in your wallet yourself.',
  'pay.timeLeft': 'Time left: {time}',
  'pay.status.waiting': 'Waiting for your payment',
  'pay.status.seen': 'Payment seen, waiting for confirmations: {k} of {n}',
  'pay.status.seenFinality': 'Payment seen, waiting for the network to confirm it',
  'pay.status.seenEta': 'Usually about {minutes} min',
  'pay.status.paid': 'Paid. Thank you!',
  'pay.status.partial': 'Paid {paid} of {total}. Send the remaining {remaining} {currency} to the same address',
  'pay.status.overpaid': 'Paid, with {extra} more than needed. Contact the merchant for a refund of the difference',
  'pay.status.late': 'Your payment arrived after the invoice expired. The merchant has received it; contact them',
  'pay.status.expired': 'This invoice expired. Do not send funds to this address',
  'pay.status.canceled': 'This invoice was canceled',
  'pay.rateLockedUntil': 'Rate fixed until {time}',
  'pay.rateLockedHint': 'Pay before then. A payment that arrives later is valued at the rate of that moment and may fall short.',
  'pay.quote': '1 {currency} = {rate} {fiat}',
  'pay.transaction': 'Transaction',
  'pay.returnToShop': 'Return to the shop',
  'pay.backToShop': 'Back to the shop',
  'pay.testWallet': 'Pay with the test wallet',
  'pay.testWalletHint': 'This button exists only in the local test runtime. It sends test coins, not real ones.',
  'pay.testWalletFailed': 'The test payment could not be sent. Please try again.',
  'pay.paying': 'Paying…',
  'pay.selectFailed': 'This currency could not be selected right now. Try again or choose another one.',
  'pay.noscript': 'Turn on JavaScript to see the status update live; reload the page to refresh.',

  'donate.heading': 'Support {name}',
  'donate.presets': 'Choose an amount',
  'donate.customAmount': 'Other amount',
  'donate.limits': 'From {min} to {max}',
  'donate.amountInvalid': 'Enter an amount from {min} to {max}.',
  'donate.name': 'Your name (optional)',
  'donate.message': 'Message (optional)',
  'donate.submit': 'Donate',
  'donate.closed': 'This page is not accepting donations',
  'donate.thanks': 'Thank you for your donation!',
  'donate.nextStep': 'On the next page you choose the cryptocurrency and see the address and the exact amount to send.',
  'donate.continue': 'Continue to payment',
  'donate.currencyNote': 'Amounts in {currency}',

  'pos.amount': 'Amount',
  'pos.charge': 'Charge',
  'pos.scanToPay': 'Scan to pay',
  'pos.paid': 'Paid',
  'pos.nextSale': 'Next sale',
  'pos.cancel': 'Cancel',
  'pos.limit': 'Up to {max}',

  'widget.button': 'Pay with crypto',
  'widget.close': 'Close',
  'widget.unavailable': 'Paying with crypto is not available on this site right now.',

  'wallet.heading': 'Your {currency} deposit address',
  'wallet.intro': 'Send any amount of {currency} here, whenever you like. This address is yours at {merchant} and never changes, so you can use it again next time.',
  'wallet.qrAddressOnly': 'The QR code holds the address only. Enter the amount in your wallet.',
  'wallet.addressHint': 'This address is permanent. Copy it with the button instead of typing it: one wrong character sends the funds somewhere else.',
  'wallet.minimum': 'Transfers worth less than about {fee} are not credited: they would not even cover the network fee.',
  'wallet.howTo': 'How do I send?',
  'wallet.step.open': 'Open your wallet app or exchange account and choose Send (on an exchange: Withdraw).',
  'wallet.step.pick': 'Choose {token} and the {network} network.',
  'wallet.step.address': 'Scan the QR code, or paste the address you copied.',
  'wallet.step.confirm': 'Enter the amount, check everything and confirm. Your wallet adds a small network fee on top.',
  'wallet.step.wait': 'Your transfer shows up below within a few minutes.',
  'wallet.blocked': '{merchant} has asked that this address no longer be used.',
  'wallet.blockedHint': 'Do not send anything to it. Contact {merchant} to get a new address.',
  'wallet.retiredAddress': 'Address no longer in use',
  'wallet.receipts': 'Your recent transfers',
  'wallet.receiptsEmpty': 'No transfers yet. After you send, your transfer shows up here within a few minutes.',
  'wallet.receiptsMore': 'Only the {count} most recent transfers are shown.',
  'wallet.receiptsMissing': 'Not seeing your transfer? Give it a few minutes. A transfer of another coin, on another network or below the minimum is not credited automatically: contact {merchant} with the transaction hash from your wallet.',
  'wallet.latest': 'Latest transfer: {amount}',
  'wallet.blockedHintContact': 'Do not send anything to it. To get a new address, contact {merchant}: {contact}',
  'wallet.receiptsNone': 'No transfers to this address.',
  'wallet.receipt.confirming': 'Waiting for confirmations: {k} of {n}',
  'wallet.receipt.confirmingFinality': 'Waiting for the network to confirm it',
  'wallet.receipt.credited': 'Credited',
  'wallet.receipt.notCredited': 'Not credited. Contact the shop',
  'wallet.receipt.afterBlock': 'Arrived after this address was retired. Contact the shop.',

  'help.heading': 'Help with your payment',
  'help.intro':
    'Short answers to common questions. Your payment goes straight to the merchant, and the merchant is the one to contact if something is not right.',
  'help.backToPayment': 'Back to the payment',
  'help.related': 'Related questions',
  'help.allTopics': 'All help topics',
  'help.stillStuck': 'Still stuck?',
  'help.contactMerchant': 'Contact {merchant}: {contact}',
  'help.contactMerchantInShop': 'Contact {merchant} through the shop where you placed your order. Only the merchant can see and fix your payment.',
  'help.contactShop': 'Contact the shop where you placed your order. Only the merchant can see and fix your payment.',
  'help.group.paying': 'Paying',
  'help.group.problems': 'If something went wrong',

  'help.pay-from-wallet.title': 'How do I pay from my wallet?',
  'help.pay-from-wallet.body':
    'A wallet is the app where you keep your crypto, for example on your phone.\n\n' +
    '- Open your wallet and choose Send.\n' +
    '- Pick the same coin and the same network as on this page.\n' +
    '- Scan the QR code, or copy the address with the Copy button and paste it.\n' +
    '- Enter the exact amount shown on this page.\n' +
    '- Check everything and confirm.\n\n' +
    'Your wallet charges a small network fee on top of the amount. That is normal and goes to the network, not to the merchant.\n\n' +
    'You do not need to do anything else. This page notices your payment by itself and updates.\n\n' +
    'The address is made for this payment only. Do not save it to pay again later.',

  'help.pay-from-exchange.title': 'How do I pay from an exchange account?',
  'help.pay-from-exchange.body':
    'On an exchange, paying means making a withdrawal to the address on this page.\n\n' +
    '- Open Withdraw for the coin shown on this page.\n' +
    '- Paste the address and choose the same network as on this page.\n' +
    '- Enter the amount so that the full amount shown here arrives.\n' +
    '- Confirm the withdrawal.\n\n' +
    'Most exchanges take a withdrawal fee out of the amount you enter. Add that fee on top, or check that the amount to be received is exactly the amount on this page.\n\n' +
    'Exchanges sometimes hold withdrawals for a review. Start early enough so the payment arrives before the time runs out.\n\n' +
    'No memo or tag is needed for this address.',

  'help.buy-crypto.title': "I don't have any crypto. How do I buy some?",
  'help.buy-crypto.body':
    'You can buy crypto with a bank card or a bank transfer on a well-known exchange or in a wallet app that offers a Buy button.\n\n' +
    'Stablecoins such as USDT or USDC keep a value of about one US dollar, so the amount is easy to understand.\n\n' +
    'Buy a little more than the amount to pay: the exchange or the network takes a fee when you send.\n\n' +
    'The first purchase often needs an identity check, which can take a while. If this invoice expires in the meantime, go back to the shop and start a new payment.\n\n' +
    'Buy only from a known service, never from a stranger who contacts you.',

  'help.choose-network.title': 'Which network should I choose?',
  'help.choose-network.body':
    'The same coin can exist on several networks. USDT, for example, exists on Ethereum, Tron and BNB Smart Chain, and each is separate.\n\n' +
    'Choose a network that your wallet or exchange supports for this coin. Fees differ: Tron, BNB Smart Chain, Polygon and the other smaller networks usually cost much less than Ethereum.\n\n' +
    'When you send, select exactly the same network in your wallet or exchange as on this page.\n\n' +
    'To send a token such as USDT, your wallet also needs a little of the network\'s own coin to pay the fee: ETH on Ethereum, TRX on Tron, BNB on BNB Smart Chain.\n\n' +
    'If you are not sure, look at where your coins are now and pick that network.',

  'help.exact-amount.title': 'Why must I send the exact amount?',
  'help.exact-amount.body':
    'The merchant checks the amount that arrives at the address. Only the full amount pays the invoice.\n\n' +
    'The amount must arrive in full. Fees are paid on top: the network fee by your wallet, and the withdrawal fee by the exchange, which often subtracts it from what you enter.\n\n' +
    'Use the Copy button for the amount instead of typing it, and do not round it.\n\n' +
    'If too little arrives, this page shows what is missing. Send the rest to the same address while the invoice is still open; paying in several transfers works.\n\n' +
    'If too much arrives, the invoice is paid, and the merchant can refund the difference.',

  'help.unconfirmed.title': 'My payment is seen but not confirmed yet',
  'help.unconfirmed.body':
    'Your payment has reached the network. Now the network adds new blocks on top of it, and every new block is one confirmation.\n\n' +
    'The merchant waits for a few confirmations to be sure the payment can no longer be reversed. This page shows how many there are so far.\n\n' +
    'This usually takes a few minutes, and sometimes longer when the network is busy.\n\n' +
    'You do not need to do anything. Keep this page open, or come back to it later.\n\n' +
    'Do not send the payment again, even if the time runs out while it is being confirmed.',

  'help.wrong-amount.title': 'I sent a different amount',
  'help.wrong-amount.body':
    'If you sent less, this page shows how much is missing. Send the rest to the same address, with the same coin and network, while the invoice is still open.\n\n' +
    'If you sent more, the invoice is paid. Contact the merchant with the transaction hash to get the difference back.\n\n' +
    'If the invoice has already expired, do not send anything more to this address. Contact the merchant: they have received your funds and can finish the order or refund you.\n\n' +
    'Keep the transaction hash from your wallet or exchange: it identifies your transfer, and the merchant will ask for it.',

  'help.paid-too-little.title': 'I paid too little',
  'help.paid-too-little.body':
    'This usually happens when an exchange took its withdrawal fee out of the amount, or when a wallet subtracted the network fee.\n\n' +
    'Send the remaining amount shown on this page to the same address, with the same coin and on the same network.\n\n' +
    'Make sure the remaining amount arrives in full: add the exchange fee on top again.\n\n' +
    'Paying in several transfers works as long as the invoice is open. The page adds them up.\n\n' +
    'If the invoice expires before the rest arrives, do not send more. Contact the merchant: they can complete the order or refund what you paid.',

  'help.expired.title': 'The invoice expired',
  'help.expired.body':
    'An invoice is open only for a limited time, because the price in crypto is fixed only for that time.\n\n' +
    'After it expires, do not send anything to its address.\n\n' +
    'To pay, go back to the shop and start a new payment. You will get a new address and a new amount.\n\n' +
    'If you already sent funds after the invoice expired, the merchant has received them. Contact the merchant with the transaction hash: they can complete your order or refund you.',

  'help.goods-not-arrived.title': 'I paid, but my order has not arrived',
  'help.goods-not-arrived.body':
    'Your payment went directly to the merchant. This payment page is run by the merchant, not by a separate payment company.\n\n' +
    'When the page says Paid, the merchant has your money. Delivering the order is up to the merchant.\n\n' +
    'Contact the merchant and include:\n\n' +
    '- the order number;\n' +
    '- the link to this page;\n' +
    '- the transaction hash from your wallet or exchange.\n\n' +
    'Only the merchant can deliver, cancel or refund an order.',

  'help.wrong-network.title': 'I sent on the wrong network or the wrong coin',
  'help.wrong-network.body':
    'This page only sees the coin and network it shows, so a payment sent another way does not count for this invoice.\n\n' +
    'The funds may still be recoverable. Ethereum, BNB Smart Chain, Polygon, Arbitrum, Optimism and Base share the same addresses, so the address may also exist on the network you used.\n\n' +
    'Only the merchant can recover such funds. It is done by hand, takes time and is not guaranteed.\n\n' +
    'Contact the merchant with:\n\n' +
    '- the transaction hash;\n' +
    '- the network and the coin you used;\n' +
    '- the amount and the order number.\n\n' +
    'Do not send the payment again until the merchant has answered.',
} as const;
