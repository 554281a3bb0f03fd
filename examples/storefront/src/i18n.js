// The shop's interface texts, in English and Vietnamese (terms from the project's glossary).

export const LANGUAGES = ['en', 'vi'];

const TEXTS = {
  en: {
    shopName: 'Tactful Demo Shop',
    tagline: 'Personalized with tact',
    home: 'Home',
    cart: 'Cart',
    privacyCenter: 'Privacy center',
    privacyLink: 'Privacy',
    gpcLink: 'We honour Global Privacy Control (GPC)',
    gpcHelp:
      'If your browser sends a Global Privacy Control (GPC) signal, we treat it as a refusal of every personalization purpose, whatever you chose.',
    gpcMachine: 'Machine-readable GPC statement',
    bannerLinks: (notice, center) => ['Read the ', notice, ' or open the ', center, '.'],
    language: 'Language',
    why: 'Why am I seeing this?',
    whyDefault: 'Everyone sees this: nothing about you or this visit was used.',
    railTitle: 'Picked for this visit',
    continueTitle: 'Continue where you left off',
    addToCart: 'Add to cart',
    remove: 'Remove',
    subtotal: 'Subtotal',
    delivery: 'Delivery',
    free: 'Free',
    checkout: 'Checkout',
    keepShopping: 'Keep shopping',
    deliveryNote: (from) => `Free delivery on orders from ${from}; otherwise a small fee.`,
    deliveryTo: 'Where should we deliver?',
    fieldName: 'Full name',
    fieldPhone: 'Phone',
    fieldAddress: 'Delivery address',
    payment: 'Payment',
    cod: 'Cash on delivery',
    transfer: 'Bank transfer',
    checkoutPrivacy:
      'Demo shop: no order is made and nothing you type here is kept. A real shop uses these details only to deliver your order.',
    placeOrder: 'Place order',
    yourOrder: 'Your order',
    orderPlaced: 'Thank you!',
    orderPlacedText:
      'This is a demo, so no order was made, nothing was charged and nothing you typed was kept.',
    cartEmpty: 'Your cart is empty.',
    total: 'Total',
    inCategory: 'Category',
    backHome: 'Back to the shop',
    notFound: 'This page does not exist.',
    bannerTitle: 'Your privacy, your choice',
    bannerText:
      'We personalize this shop only with your consent. Nothing is switched on until you say so, and you can change your mind at any time in the privacy center.',
    acceptAll: 'Accept all',
    rejectAll: 'Reject all',
    chooseTitle: 'Choose for each purpose',
    saveChoices: 'Save my choices',
    gpcNotice:
      'Your browser sends a Global Privacy Control signal: we treat it as a refusal for every purpose it covers, whatever you tick.',
    demoPanel: 'Demo only: simulated context',
    demoExplain:
      'Pretend to visit from another time, place, weather or device. This panel exists only in the demo shop.',
    demoOff: 'Real context (no simulation)',
    demoActive: 'Simulating',
    pcIntro:
      'Here you control what this shop may do with your data: change your consent, see everything we hold about you, correct it, download a copy or delete it.',
    pcConsent: 'Your consent, purpose by purpose',
    pcConsentHelp: 'Tick what you allow. Unticking withdraws your consent from the very next page.',
    pcSave: 'Save consent',
    pcGranted: 'allowed',
    pcDenied: 'not allowed',
    pcCategories: 'Data it uses',
    pcKnow: 'What we know about you',
    pcKnowNothing: 'We hold nothing about you.',
    pcKnowNoId: 'We hold nothing about you: you have not made a consent choice on this browser.',
    pcInterests: 'Your interests (zero-party data: what you tell us)',
    pcInterestsHelp:
      'What you declare here outranks anything we infer, and "Not interested" always wins: we will not show you that topic.',
    pcInterested: 'Interested',
    pcNoOpinion: 'No opinion',
    pcNotInterested: 'Not interested',
    pcSaveInterests: 'Save my interests',
    pcInterestsNeedId: 'Make a consent choice first, so we have somewhere to keep your answers.',
    pcDelete: 'Delete my data',
    pcDeleteHelp: 'Erases everything held about you in every store, and gives you a receipt.',
    pcDeleteButton: 'Delete my data',
    pcNotice: 'Privacy notice',
    pcNoticeOther: 'Privacy notice in Vietnamese',
    saved: 'Saved.',
    errorTitle: 'Something went wrong',
    topics: {
      kids: "Kids' products",
      home: 'Home goods',
      rain: 'Rain gear',
      women: "Women's fashion",
      men: "Men's fashion",
    },
    footer:
      'A demo of Tactful: personalization that keeps a privacy policy’s promises. No data leaves this machine.',
  },
  vi: {
    shopName: 'Cửa hàng mẫu Tactful',
    tagline: 'Cá nhân hóa có chừng mực',
    home: 'Trang chủ',
    cart: 'Giỏ hàng',
    privacyCenter: 'Trung tâm quyền riêng tư',
    privacyLink: 'Quyền riêng tư',
    gpcLink: 'Chúng tôi tôn trọng tín hiệu Global Privacy Control (GPC)',
    gpcHelp:
      'Nếu trình duyệt của bạn gửi tín hiệu Global Privacy Control (GPC), chúng tôi coi đó là từ chối mọi mục đích cá nhân hóa, dù bạn đã chọn gì.',
    gpcMachine: 'Tuyên bố GPC máy đọc được',
    bannerLinks: (notice, center) => [`Đọc `, notice, ` hoặc mở `, center, '.'],
    language: 'Ngôn ngữ',
    why: 'Tại sao tôi thấy nội dung này?',
    whyDefault: 'Mọi người đều thấy nội dung này: không dùng thông tin nào về bạn hay lần truy cập này.',
    railTitle: 'Chọn cho lần truy cập này',
    continueTitle: 'Tiếp tục xem',
    addToCart: 'Thêm vào giỏ',
    remove: 'Bỏ khỏi giỏ',
    subtotal: 'Tạm tính',
    delivery: 'Phí giao hàng',
    free: 'Miễn phí',
    checkout: 'Thanh toán',
    keepShopping: 'Tiếp tục mua sắm',
    deliveryNote: (from) => `Miễn phí giao hàng cho đơn từ ${from}; dưới mức đó tính một khoản phí nhỏ.`,
    deliveryTo: 'Giao hàng đến đâu?',
    fieldName: 'Họ và tên',
    fieldPhone: 'Số điện thoại',
    fieldAddress: 'Địa chỉ giao hàng',
    payment: 'Thanh toán',
    cod: 'Thanh toán khi nhận hàng (COD)',
    transfer: 'Chuyển khoản ngân hàng',
    checkoutPrivacy:
      'Cửa hàng mẫu: không có đơn hàng nào được tạo và không lưu bất cứ thông tin nào bạn nhập ở đây. Cửa hàng thật chỉ dùng các thông tin này để giao hàng cho bạn.',
    placeOrder: 'Đặt hàng',
    yourOrder: 'Đơn hàng của bạn',
    orderPlaced: 'Cảm ơn bạn!',
    orderPlacedText:
      'Đây là bản demo: không có đơn hàng nào được tạo, không thu tiền và không lưu thông tin bạn đã nhập.',
    cartEmpty: 'Giỏ hàng của bạn đang trống.',
    total: 'Tổng cộng',
    inCategory: 'Danh mục',
    backHome: 'Quay lại cửa hàng',
    notFound: 'Trang này không tồn tại.',
    bannerTitle: 'Quyền riêng tư của bạn, lựa chọn của bạn',
    bannerText:
      'Chúng tôi chỉ cá nhân hóa cửa hàng khi có sự đồng ý của bạn. Không có gì được bật cho đến khi bạn đồng ý, và bạn có thể thay đổi bất cứ lúc nào trong trung tâm quyền riêng tư.',
    acceptAll: 'Đồng ý tất cả',
    rejectAll: 'Từ chối tất cả',
    chooseTitle: 'Chọn theo từng mục đích',
    saveChoices: 'Lưu lựa chọn của tôi',
    gpcNotice:
      'Trình duyệt của bạn gửi tín hiệu Global Privacy Control (GPC): chúng tôi coi đó là từ chối mọi mục đích mà tín hiệu này bao trùm, dù bạn chọn gì.',
    demoPanel: 'Chỉ dành cho bản demo: ngữ cảnh giả lập',
    demoExplain:
      'Giả lập truy cập ở thời điểm, địa điểm, thời tiết hoặc thiết bị khác. Bảng này chỉ có trong cửa hàng mẫu.',
    demoOff: 'Ngữ cảnh thật (không giả lập)',
    demoActive: 'Đang giả lập',
    pcIntro:
      'Tại đây bạn quyết định cửa hàng được làm gì với dữ liệu cá nhân của bạn: thay đổi sự đồng ý, xem mọi thứ chúng tôi lưu về bạn, chỉnh sửa dữ liệu, tải xuống bản sao hoặc xóa dữ liệu.',
    pcConsent: 'Sự đồng ý của bạn, theo từng mục đích',
    pcConsentHelp:
      'Đánh dấu những gì bạn cho phép. Bỏ đánh dấu là rút lại sự đồng ý ngay từ trang tiếp theo.',
    pcSave: 'Lưu sự đồng ý',
    pcGranted: 'đã cho phép',
    pcDenied: 'chưa cho phép',
    pcCategories: 'Dữ liệu được dùng',
    pcKnow: 'Những gì chúng tôi biết về bạn',
    pcKnowNothing: 'Chúng tôi không lưu gì về bạn.',
    pcKnowNoId:
      'Chúng tôi không lưu gì về bạn: bạn chưa đưa ra lựa chọn nào về sự đồng ý trên trình duyệt này.',
    pcInterests: 'Sở thích của bạn (dữ liệu Zero-Party: khách hàng chủ động chia sẻ)',
    pcInterestsHelp:
      'Những gì bạn khai báo ở đây được ưu tiên hơn mọi suy đoán, và "Không quan tâm" luôn được tôn trọng: chúng tôi sẽ không hiển thị chủ đề đó.',
    pcInterested: 'Quan tâm',
    pcNoOpinion: 'Không ý kiến',
    pcNotInterested: 'Không quan tâm',
    pcSaveInterests: 'Lưu sở thích',
    pcInterestsNeedId: 'Hãy đưa ra lựa chọn về sự đồng ý trước, để chúng tôi có chỗ lưu câu trả lời của bạn.',
    pcDelete: 'Xóa dữ liệu',
    pcDeleteHelp: 'Xóa mọi dữ liệu về bạn trong tất cả các kho lưu trữ và cấp cho bạn biên nhận.',
    pcDeleteButton: 'Xóa dữ liệu của tôi',
    pcNotice: 'Thông báo về xử lý dữ liệu cá nhân',
    pcNoticeOther: 'Privacy notice in English',
    saved: 'Đã lưu.',
    errorTitle: 'Đã xảy ra lỗi',
    topics: {
      kids: 'Đồ trẻ em',
      home: 'Đồ gia dụng',
      rain: 'Đồ đi mưa',
      women: 'Thời trang nữ',
      men: 'Thời trang nam',
    },
    footer:
      'Bản demo của Tactful: cá nhân hóa giữ đúng lời hứa của chính sách quyền riêng tư. Không dữ liệu nào rời khỏi máy này.',
  },
};

/** The texts of a language. */
export function texts(lang) {
  return TEXTS[lang] ?? TEXTS.en;
}

/** Picks a language: an explicit choice, else the first of Accept-Language we speak, else English. */
export function pickLanguage(chosen, acceptLanguage) {
  if (LANGUAGES.includes(chosen)) return chosen;
  for (const part of String(acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
    if (tag && LANGUAGES.includes(tag)) return tag;
  }
  return 'en';
}

/** The text of a localized value (`{ en, vi }`) in a language, falling back to English. */
export function localized(value, lang) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return value[lang] ?? value.en ?? '';
}
