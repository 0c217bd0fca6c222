import type { Catalogue } from './types';

export const tr: Catalogue = {
  'common.testMode': 'Test modu',
  'common.testModeHint': 'Bu bir test ödemesidir: gerçek para aktarılmaz.',
  'common.language': 'Dil',
  'common.copy': 'Kopyala',
  'common.copied': 'Kopyalandı',
  'common.help': 'Yardım',
  'common.contactMerchant': 'Satıcıyla iletişim: {contact}',
  'common.footer': 'Ödemeler {merchant} tarafından Tollgate ile işlenir',
  'common.durationDays': '{days} g {time}',
  'common.error.title': 'Bir şeyler ters gitti',
  'common.error.body': 'Lütfen birkaç dakika sonra tekrar deneyin. Sorun devam ederse satıcıyla iletişime geçin.',
  'common.notFound.title': 'Ödeme bulunamadı',
  'common.notFound.body': 'Bu ödeme bağlantısı mevcut değil veya yanlış yazılmış. Mağazanın size verdiği bağlantıyı kontrol edin.',
  'common.tooManyRequests': 'Çok fazla istek gönderildi. Lütfen bir dakika sonra tekrar deneyin.',

  'pay.heading': 'Ödeme',
  'pay.order': 'Sipariş {orderId}',
  'pay.amountToPay': 'Ödenecek tutar',
  'pay.chooseCurrency': 'Nasıl ödemek istediğinizi seçin',
  'pay.changeCurrency': 'Başka bir para birimi seçin',
  'pay.network': 'Ağ',
  'pay.payWith': '{network} ağında {currency} ile öde',
  'pay.email': 'E-posta',
  'pay.emailHint': 'Satıcı bu adresi yalnızca bu ödemeyle ilgili, örneğin bir iade için sizinle iletişime geçmek amacıyla kullanır.',
  'pay.emailRequired': 'Devam etmek için e-posta adresinizi girin.',
  'pay.emailInvalid': 'Bu e-posta adresi doğru görünmüyor.',
  'pay.continue': 'Devam et',
  'pay.address': 'Ödeme adresi',
  'pay.addressHint': 'Bu adres yalnızca bu ödeme içindir. Sonraki ödemeler için kaydetmeyin.',
  'pay.exactAmount': 'Tam tutar',
  'pay.networkFeeIncluded': '{fee} (yaklaşık {usd}) ağ ücreti dahildir: bu ödemenin {network} ağında aktarılmasının şu anki maliyeti.',
  'pay.sendExactly': 'Tam olarak {amount} {currency} gönderin',
  'pay.networkWarning':
    'Yalnızca {network} ağında {token} gönderin. Token sözleşmesi: {contract}. Başka bir ağda veya başka bir token olarak gönderilen tutarlar kaybolur ya da gecikir.',
  'pay.networkWarningNative':
    'Yalnızca {network} ağında {token} gönderin. Başka bir ağda veya başka bir coin olarak gönderilen tutarlar kaybolur ya da gecikir.',
  'pay.qrAlt': 'Ödeme adresini ve gönderilecek tutarı içeren QR kod',
  'pay.qrAltAddress': 'Ödeme adresini içeren QR kod',
  'pay.qrAddressOnly': 'QR kod yalnızca adresi içerir. Tam tutarı cüzdanınıza kendiniz yazın.',
  'pay.timeLeft': 'Kalan süre: {time}',
  'pay.status.waiting': 'Ödemeniz bekleniyor',
  'pay.status.seen': 'Ödeme görüldü, onaylar bekleniyor: {k}/{n}',
  'pay.status.seenFinality': 'Ödeme görüldü, ağın onaylaması bekleniyor',
  'pay.status.seenEta': 'Genellikle yaklaşık {minutes} dk sürer',
  'pay.status.paid': 'Ödendi. Teşekkürler!',
  'pay.status.partial': 'Ödenen: {paid} / {total}. Kalan {remaining} {currency} tutarını aynı adrese gönderin',
  'pay.status.overpaid': 'Ödendi, gerekenden {extra} fazla. Farkın iadesi için satıcıyla iletişime geçin',
  'pay.status.late': 'Ödemeniz fatura süresi dolduktan sonra ulaştı. Satıcı ödemeyi aldı; onunla iletişime geçin',
  'pay.status.expired': 'Bu faturanın süresi doldu. Bu adrese para göndermeyin',
  'pay.status.canceled': 'Bu fatura iptal edildi',
  'pay.rateLockedUntil': 'Kur {time} tarihine kadar sabit',
  'pay.rateLockedHint': 'Bu zamandan önce ödeyin. Daha sonra ulaşan bir ödeme o anki kurdan değerlendirilir ve yetmeyebilir.',
  'pay.quote': '1 {currency} = {rate} {fiat}',
  'pay.transaction': 'İşlem',
  'pay.returnToShop': 'Mağazaya dön',
  'pay.backToShop': 'Mağazaya geri dön',
  'pay.testWallet': 'Test cüzdanıyla öde',
  'pay.testWalletHint': 'Bu düğme yalnızca yerel test ortamında bulunur. Gerçek değil, test coin gönderir.',
  'pay.testWalletFailed': 'Test ödemesi gönderilemedi. Lütfen tekrar deneyin.',
  'pay.paying': 'Ödeniyor…',
  'pay.selectFailed': 'Bu para birimi şu anda seçilemiyor. Tekrar deneyin veya başka birini seçin.',
  'pay.noscript': 'Durumun canlı güncellenmesi için JavaScript’i açın; ya da güncel durumu görmek için sayfayı yenileyin.',

  'donate.heading': 'Destek olun: {name}',
  'donate.presets': 'Bir tutar seçin',
  'donate.customAmount': 'Başka bir tutar',
  'donate.limits': '{min} ile {max} arası',
  'donate.amountInvalid': '{min} ile {max} arasında bir tutar girin.',
  'donate.name': 'Adınız (isteğe bağlı)',
  'donate.message': 'Mesaj (isteğe bağlı)',
  'donate.submit': 'Bağış yap',
  'donate.closed': 'Bu sayfa şu anda bağış kabul etmiyor',
  'donate.thanks': 'Bağışınız için teşekkürler!',
  'donate.nextStep': 'Sonraki sayfada kripto parayı seçer, gönderilecek adresi ve tam tutarı görürsünüz.',
  'donate.continue': 'Ödemeye devam et',
  'donate.currencyNote': 'Tutarlar {currency} cinsinden',

  'pos.amount': 'Tutar',
  'pos.charge': 'Tahsil et',
  'pos.scanToPay': 'Ödemek için tarayın',
  'pos.paid': 'Ödendi',
  'pos.nextSale': 'Sonraki satış',
  'pos.cancel': 'İptal',
  'pos.limit': 'En fazla {max}',

  'widget.button': 'Kripto ile öde',
  'widget.close': 'Kapat',
  'widget.unavailable': 'Bu sitede kripto ile ödeme şu anda kullanılamıyor.',

  'wallet.heading': '{currency} yatırma adresiniz',
  'wallet.intro': 'Bu adrese dilediğiniz zaman, dilediğiniz tutarda {currency} gönderin. Bu, {merchant} için size ait kalıcı adrestir: değişmez, tekrar kullanabilirsiniz.',
  'wallet.qrAddressOnly': 'QR kod yalnızca adresi içerir. Tutarı cüzdanınıza kendiniz girin.',
  'wallet.addressHint': 'Bu adres kalıcıdır. Elle yazmak yerine düğmeyle kopyalayın: tek bir yanlış karakter, paranın başka bir adrese gitmesine yol açar.',
  'wallet.minimum': 'Yaklaşık {fee} altındaki transferler hesaba geçirilmez: ağ ücretini bile karşılamazlar.',
  'wallet.howTo': 'Nasıl gönderirim?',
  'wallet.step.open': 'Cüzdan uygulamanızı veya borsa hesabınızı açın ve Gönder’i seçin (borsada: Çekim).',
  'wallet.step.pick': '{token} ve {network} ağını seçin.',
  'wallet.step.address': 'QR kodu tarayın veya kopyaladığınız adresi yapıştırın.',
  'wallet.step.confirm': 'Tutarı girin, her şeyi kontrol edin ve onaylayın. Cüzdanınız ayrıca küçük bir ağ ücreti alır.',
  'wallet.step.wait': 'Transferiniz birkaç dakika içinde aşağıda görünür.',
  'wallet.blocked': '{merchant} bu adresin artık kullanılmamasını istedi.',
  'wallet.blockedHint': 'Bu adrese hiçbir şey göndermeyin. Yeni bir adres almak için {merchant} ile iletişime geçin.',
  'wallet.retiredAddress': 'Artık kullanılmayan adres',
  'wallet.receipts': 'Son transferleriniz',
  'wallet.receiptsEmpty': 'Henüz transfer yok. Gönderdikten sonra transferiniz birkaç dakika içinde burada görünür.',
  'wallet.receiptsMore': 'Yalnızca en son {count} transfer gösteriliyor.',
  'wallet.receiptsMissing': 'Transferinizi göremiyor musunuz? Birkaç dakika bekleyin. Başka bir coin ile, başka bir ağ üzerinden veya alt sınırın altında yapılan transfer otomatik olarak hesaba geçirilmez: cüzdanınızdaki işlem hash’i ile {merchant} ile iletişime geçin.',
  'wallet.latest': 'Son transfer: {amount}',
  'wallet.blockedHintContact': 'Bu adrese hiçbir şey göndermeyin. Yeni bir adres almak için {merchant} ile iletişime geçin: {contact}',
  'wallet.receiptsNone': 'Bu adrese yapılmış transfer yok.',
  'wallet.receipt.confirming': 'Onaylar bekleniyor: {k}/{n}',
  'wallet.receipt.confirmingFinality': 'Ağın onaylaması bekleniyor',
  'wallet.receipt.credited': 'Hesaba geçti',
  'wallet.receipt.notCredited': 'Hesaba geçmedi. Mağazayla iletişime geçin',
  'wallet.receipt.afterBlock': 'Bu adres kullanımdan kaldırıldıktan sonra geldi. Mağazayla iletişime geçin.',

  'help.heading': 'Ödemenizle ilgili yardım',
  'help.intro':
    'Sık sorulan sorulara kısa yanıtlar. Ödemeniz doğrudan satıcıya gider; bir sorun olursa iletişime geçmeniz gereken kişi de satıcıdır.',
  'help.backToPayment': 'Ödemeye dön',
  'help.related': 'İlgili sorular',
  'help.allTopics': 'Tüm yardım konuları',
  'help.stillStuck': 'Hâlâ çözemediniz mi?',
  'help.contactMerchant': '{merchant} ile iletişime geçin: {contact}',
  'help.contactMerchantInShop': 'Siparişinizi verdiğiniz mağaza üzerinden {merchant} ile iletişime geçin. Ödemenizi yalnızca satıcı kontrol edip sorunu çözebilir.',
  'help.contactShop': 'Siparişinizi verdiğiniz mağazayla iletişime geçin. Ödemenizi yalnızca satıcı kontrol edip sorunu çözebilir.',
  'help.group.paying': 'Ödeme yapmak',
  'help.group.problems': 'Bir sorun olduysa',

  'help.pay-from-wallet.title': 'Cüzdanımdan nasıl öderim?',
  'help.pay-from-wallet.body':
    'Cüzdan, kriptonuzu sakladığınız uygulamadır; örneğin telefonunuzdaki bir uygulama.\n\n' +
    '- Cüzdanınızı açın ve Gönder’i seçin.\n' +
    '- Bu sayfadakiyle aynı coin’i ve aynı ağı seçin.\n' +
    '- QR kodu tarayın ya da adresi Kopyala düğmesiyle kopyalayıp yapıştırın.\n' +
    '- Bu sayfada gösterilen tam tutarı girin.\n' +
    '- Her şeyi kontrol edip onaylayın.\n\n' +
    'Cüzdanınız tutarın üzerine küçük bir ağ ücreti ekler. Bu normaldir; ücret satıcıya değil, ağa gider.\n\n' +
    'Başka bir şey yapmanıza gerek yok. Bu sayfa ödemenizi kendiliğinden fark eder ve güncellenir.\n\n' +
    'Adres yalnızca bu ödeme için oluşturuldu. Daha sonra tekrar ödemek için kaydetmeyin.',

  'help.pay-from-exchange.title': 'Borsa hesabımdan nasıl öderim?',
  'help.pay-from-exchange.body':
    'Borsada ödeme yapmak, bu sayfadaki adrese çekim yapmak demektir.\n\n' +
    '- Bu sayfada gösterilen coin için Çekim bölümünü açın.\n' +
    '- Adresi yapıştırın ve buradakiyle aynı ağı seçin.\n' +
    '- Tutarı, bu sayfadaki tutarın tamamı ulaşacak şekilde girin.\n' +
    '- Çekimi onaylayın.\n\n' +
    'Çoğu borsa çekim ücretini girdiğiniz tutardan düşer. Bu ücreti tutarın üzerine ekleyin ya da alınacak tutarın bu sayfadaki tutarla tam olarak aynı olduğunu kontrol edin.\n\n' +
    'Borsalar bazen çekimleri incelemek için bekletir. Ödemenin süre dolmadan ulaşması için erkenden başlayın.\n\n' +
    'Bu adres için memo veya etiket gerekmez.',

  'help.buy-crypto.title': 'Hiç kriptom yok. Nasıl satın alırım?',
  'help.buy-crypto.body':
    'Kriptoyu, tanınmış bir borsada ya da Satın Al düğmesi olan bir cüzdan uygulamasında banka kartıyla veya havaleyle satın alabilirsiniz.\n\n' +
    'USDT veya USDC gibi stablecoin’lerin değeri yaklaşık bir ABD doları olduğu için tutarı anlamak kolaydır.\n\n' +
    'Ödenecek tutardan biraz fazlasını alın: gönderirken borsa veya ağ bir ücret keser.\n\n' +
    'İlk alımda genellikle kimlik doğrulaması gerekir ve bu biraz sürebilir. Bu sırada faturanın süresi dolarsa mağazaya dönüp yeni bir ödeme başlatın.\n\n' +
    'Yalnızca tanınmış hizmetlerden alın; size kendiliğinden ulaşan yabancılardan asla almayın.',

  'help.choose-network.title': 'Hangi ağı seçmeliyim?',
  'help.choose-network.body':
    'Aynı coin birden fazla ağda bulunabilir. Örneğin USDT; Ethereum, Tron ve BNB Smart Chain üzerinde bulunur ve bunlar birbirinden ayrı ağlardır.\n\n' +
    'Cüzdanınızın veya borsanızın bu coin için desteklediği bir ağ seçin. Ücretler farklıdır: Tron, BNB Smart Chain, Polygon ve diğer küçük ağlar genellikle Ethereum’dan çok daha ucuzdur.\n\n' +
    'Gönderirken cüzdanınızda veya borsanızda bu sayfadakiyle tam olarak aynı ağı seçin.\n\n' +
    'USDT gibi bir token göndermek için cüzdanınızda ücreti ödemeye yetecek kadar ağın kendi coin’inden de olmalıdır: Ethereum’da ETH, Tron’da TRX, BNB Smart Chain’de BNB.\n\n' +
    'Emin değilseniz coin’lerinizin şu anda hangi ağda olduğuna bakın ve o ağı seçin.',

  'help.exact-amount.title': 'Neden tam tutarı göndermem gerekiyor?',
  'help.exact-amount.body':
    'Satıcı, adrese ulaşan tutarı kontrol eder. Faturayı yalnızca tutarın tamamı öder.\n\n' +
    'Tutar eksiksiz ulaşmalıdır. Ücretler bunun üzerine eklenir: ağ ücretini cüzdanınız öder, çekim ücretini ise borsa alır ve çoğu zaman girdiğiniz tutardan düşer.\n\n' +
    'Tutarı elle yazmak yerine Kopyala düğmesiyle kopyalayın ve yuvarlamayın.\n\n' +
    'Daha az ulaşırsa bu sayfa eksik kalanı gösterir. Fatura açıkken kalanı aynı adrese gönderin; birkaç ayrı transferle ödemek sorun değildir.\n\n' +
    'Daha fazla ulaşırsa fatura ödenmiş olur ve satıcı farkı size iade edebilir.',

  'help.unconfirmed.title': 'Ödemem görünüyor ama henüz onaylanmadı',
  'help.unconfirmed.body':
    'Ödemeniz ağa ulaştı. Şimdi ağ, ödemenizin üzerine yeni bloklar ekliyor ve her yeni blok bir onay sayılır.\n\n' +
    'Satıcı, ödemenin artık geri alınamayacağından emin olmak için birkaç onay bekler. Bu sayfa şu ana kadar kaç onay olduğunu gösterir.\n\n' +
    'Bu genellikle birkaç dakika sürer; ağ yoğun olduğunda daha uzun sürebilir.\n\n' +
    'Bir şey yapmanıza gerek yok. Bu sayfayı açık bırakın veya daha sonra geri dönün.\n\n' +
    'Onay sürerken süre dolsa bile ödemeyi tekrar göndermeyin.',

  'help.wrong-amount.title': 'Farklı bir tutar gönderdim',
  'help.wrong-amount.body':
    'Daha az gönderdiyseniz bu sayfa ne kadar eksik olduğunu gösterir. Fatura açıkken kalanı aynı adrese, aynı coin ve aynı ağ ile gönderin.\n\n' +
    'Daha fazla gönderdiyseniz fatura ödenmiştir. Farkı geri almak için işlem hash’iyle birlikte satıcıyla iletişime geçin.\n\n' +
    'Faturanın süresi zaten dolduysa bu adrese başka bir şey göndermeyin. Satıcıyla iletişime geçin: paranız ona ulaştı ve siparişi tamamlayabilir ya da size iade yapabilir.\n\n' +
    'Cüzdanınızdaki veya borsadaki işlem hash’ini saklayın: transferinizi tanımlar ve satıcı bunu isteyecektir.',

  'help.paid-too-little.title': 'Eksik ödeme yaptım',
  'help.paid-too-little.body':
    'Bu genellikle borsa çekim ücretini tutardan düştüğünde ya da cüzdan ağ ücretini tutardan çıkardığında olur.\n\n' +
    'Bu sayfada gösterilen kalan tutarı aynı adrese, aynı coin ile ve aynı ağda gönderin.\n\n' +
    'Kalan tutarın eksiksiz ulaştığından emin olun: borsanın ücretini yine üzerine ekleyin.\n\n' +
    'Fatura açık olduğu sürece birkaç ayrı transferle ödeyebilirsiniz. Sayfa bunları toplar.\n\n' +
    'Kalan tutar ulaşmadan faturanın süresi dolarsa başka bir şey göndermeyin. Satıcıyla iletişime geçin: siparişi tamamlayabilir ya da ödediğinizi iade edebilir.',

  'help.expired.title': 'Faturanın süresi doldu',
  'help.expired.body':
    'Bir fatura yalnızca sınırlı bir süre açık kalır, çünkü kripto cinsinden fiyat yalnızca bu süre boyunca sabittir.\n\n' +
    'Süresi dolduktan sonra faturanın adresine hiçbir şey göndermeyin.\n\n' +
    'Ödemek için mağazaya dönüp yeni bir ödeme başlatın. Yeni bir adres ve yeni bir tutar alırsınız.\n\n' +
    'Süre dolduktan sonra zaten para gönderdiyseniz satıcı bu parayı aldı. İşlem hash’iyle birlikte satıcıyla iletişime geçin: siparişinizi tamamlayabilir ya da size iade yapabilir.',

  'help.goods-not-arrived.title': 'Ödeme yaptım ama siparişim gelmedi',
  'help.goods-not-arrived.body':
    'Ödemeniz doğrudan satıcıya gitti. Bu ödeme sayfasını ayrı bir ödeme şirketi değil, satıcının kendisi işletir.\n\n' +
    'Sayfada Ödendi yazıyorsa para satıcıdadır. Siparişin teslimi satıcının sorumluluğundadır.\n\n' +
    'Satıcıyla iletişime geçin ve şunları iletin:\n\n' +
    '- sipariş numarası;\n' +
    '- bu sayfanın bağlantısı;\n' +
    '- cüzdanınızdaki veya borsadaki işlem hash’i.\n\n' +
    'Bir siparişi yalnızca satıcı teslim edebilir, iptal edebilir veya iade edebilir.',

  'help.wrong-network.title': 'Yanlış ağdan veya yanlış coin gönderdim',
  'help.wrong-network.body':
    'Bu sayfa yalnızca gösterdiği coin’i ve ağı görür; başka bir yolla gönderilen ödeme bu faturaya sayılmaz.\n\n' +
    'Yine de paranızı geri almak mümkün olabilir. Ethereum, BNB Smart Chain, Polygon, Arbitrum, Optimism ve Base aynı adresleri kullanır, bu yüzden adres sizin kullandığınız ağda da bulunabilir.\n\n' +
    'Bu parayı yalnızca satıcı kurtarabilir. Bu iş elle yapılır, zaman alır ve garantisi yoktur.\n\n' +
    'Satıcıyla iletişime geçin ve şunları iletin:\n\n' +
    '- işlem hash’i;\n' +
    '- kullandığınız ağ ve coin;\n' +
    '- tutar ve sipariş numarası.\n\n' +
    'Satıcı yanıt verene kadar ödemeyi tekrar göndermeyin.',
};
