// The privacy center's sentences for people, in English and Vietnamese (terms from the project's
// glossary): what we hold, where it came from, since and until when, and why.

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A moment as a person reads it, in the shop's time zone ("3 December 2026 at 16:15"). */
export function formatMoment(iso, lang) {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return '';
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(at);
}

/** A date as a person reads it ("3 January 2027"). */
export function formatDay(msOrIso, lang) {
  const at = typeof msOrIso === 'number' ? msOrIso : Date.parse(msOrIso);
  if (!Number.isFinite(at)) return '';
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'long',
    timeZone: TIME_ZONE,
  }).format(at);
}

/** A label used inside a sentence: its first letter in lower case ("Local weather" → "local weather"). */
export function inSentence(label, lang) {
  return label === '' ? label : label[0].toLocaleLowerCase(lang) + label.slice(1);
}

/** A list joined the way the language does ("a, b and c"). */
export function joinList(items, lang) {
  return new Intl.ListFormat(lang === 'vi' ? 'vi' : 'en', { type: 'conjunction' }).format(items);
}

const WORDS = {
  en: {
    told: 'You told us',
    toldHelp: 'What you chose or declared yourself.',
    saw: 'We saw on this site',
    sawHelp: 'What we recorded while you used this shop.',
    inferred: 'We worked out',
    inferredHelp: 'Groups we placed you in from what you told us or did here.',
    visit: 'This visit only',
    visitHelp: 'Kept in this browser visit and gone when it ends.',
    consentItem: (status, since, how) =>
      `${status === 'granted' ? 'allowed' : 'not allowed'}, since ${since} (${how}).`,
    consentUntil: (until) => ` Until ${until}, or until you change it.`,
    consentUntilChange: ' Until you change it.',
    consentWhy: 'We keep each choice you make as proof of what you agreed to, and when.',
    consentKept: (days) => `We keep each record for ${days} days.`,
    method: {
      banner: 'in the consent banner',
      'preference-center': 'in the privacy center',
      api: 'through an app of ours',
      import: 'imported from an earlier system',
      'gpc-signal': 'from your browser’s privacy signal',
    },
    methodOther: 'recorded by us',
    interests: (list) => `You are interested in: ${list}.`,
    notInterested: (list) => `You are not interested in: ${list}. We never show you content about it.`,
    preferencesWhy: 'Used to choose what to show you, if you allow personalization from your profile.',
    answers: (n) => `${n} answers you gave to our questions.`,
    untilDeleted: 'Until you change or delete it.',
    attributes: (n) => `${n} details you gave us about yourself.`,
    purchases: (n, last) => `${n} purchases, the latest on ${last}.`,
    pageviews: (n, last) => `${n} pages you viewed, the latest on ${last}.`,
    cart: (n) => `${n} items in your saved cart.`,
    segments: (list) => `You are in these customer groups: ${list}.`,
    decisions: (n, first, last) =>
      n === 1
        ? `We recorded 1 personalization decision, on ${first}: which content we chose for you and which data it used.`
        : `We recorded ${n} personalization decisions, from ${first} to ${last}: which content we chose for you and which data it used.`,
    decisionsKept: (days, until) =>
      `Each is deleted ${days} days after it was made (the oldest on ${until}), so we can show an authority, or you, what we did.`,
    decisionsWhy: 'Kept to account for how we personalized this shop.',
    decisionLine: (at, data) => `${at}: ${data}.`,
    decisionUsed: (list) => `used ${list}`,
    decisionNothing: 'nothing about you was used',
    other: (name, n) => `${n} items kept by “${name}”.`,
    sessionItem: (n) => `${n} things you did during this visit.`,
    nothing: 'We hold nothing about you.',
    exportLink: 'Download everything as a machine-readable file (JSON)',
    exportShow: 'Show the machine-readable export',
    receiptTitle: 'Your data has been deleted',
    receiptWhen: (at) => `Done on ${at}.`,
    receiptNothing: 'We held nothing about you any more: nothing needed deleting.',
    receiptItems: (n) => `We deleted ${n} ${n === 1 ? 'item' : 'items'} about you:`,
    receiptHolder: (label, n) => `${label}: ${n}`,
    receiptKept: (name, reason) => `Kept: ${name} — ${reason}`,
    receiptKeep: 'Keep the receipt file: it proves what was deleted and when, without containing your data.',
    receiptDownload: 'The receipt, machine-readable (JSON)',
    receiptNext:
      'Your consent choices were deleted too, so nothing is personalized now. Make a new choice below if you wish.',
    holder: {
      subject: 'your profile (interests and what you did on this site)',
      consent: 'your consent records',
      audit: 'entries in the decision log',
      store: 'other stored data',
      source: 'data held by a connected service',
    },
    stale:
      'Your consent changed since this page was shown (for example, your data was deleted). Nothing was saved: here is your consent as it is now. Check it and save again.',
    withdrawAll: 'Withdraw all consent',
    withdrawAllHelp: 'One click: nothing is personalized from the next page on.',
  },
  vi: {
    told: 'Bạn đã cho chúng tôi biết',
    toldHelp: 'Những gì bạn tự chọn hoặc khai báo (dữ liệu Zero-Party).',
    saw: 'Chúng tôi ghi nhận trên trang này',
    sawHelp: 'Những gì chúng tôi ghi lại khi bạn dùng cửa hàng (dữ liệu First-Party).',
    inferred: 'Chúng tôi suy ra',
    inferredHelp: 'Các phân khúc khách hàng mà bạn thuộc về, dựa trên điều bạn cho biết hoặc đã làm ở đây.',
    visit: 'Chỉ trong lần truy cập này',
    visitHelp: 'Chỉ lưu trong phiên truy cập hiện tại và mất đi khi phiên kết thúc.',
    consentItem: (status, since, how) =>
      `${status === 'granted' ? 'đã cho phép' : 'chưa cho phép'}, từ ${since} (${how}).`,
    consentUntil: (until) => ` Đến ${until}, hoặc đến khi bạn thay đổi.`,
    consentUntilChange: ' Đến khi bạn thay đổi.',
    consentWhy: 'Chúng tôi lưu mỗi lựa chọn của bạn để chứng minh bạn đã đồng ý điều gì và khi nào.',
    consentKept: (days) => `Mỗi bản ghi được lưu ${days} ngày.`,
    method: {
      banner: 'trên biểu ngữ xin sự đồng ý',
      'preference-center': 'trong trung tâm quyền riêng tư',
      api: 'qua ứng dụng của chúng tôi',
      import: 'chuyển từ hệ thống cũ',
      'gpc-signal': 'từ tín hiệu quyền riêng tư của trình duyệt',
    },
    methodOther: 'do chúng tôi ghi nhận',
    interests: (list) => `Bạn quan tâm đến: ${list}.`,
    notInterested: (list) =>
      `Bạn không quan tâm đến: ${list}. Chúng tôi không bao giờ hiển thị nội dung về chủ đề đó cho bạn.`,
    preferencesWhy:
      'Dùng để chọn nội dung hiển thị cho bạn, nếu bạn cho phép cá nhân hóa dựa trên hồ sơ của bạn.',
    answers: (n) => `${n} câu trả lời bạn đã đưa ra.`,
    untilDeleted: 'Đến khi bạn chỉnh sửa dữ liệu hoặc xóa dữ liệu.',
    attributes: (n) => `${n} thông tin bạn đã cung cấp về bản thân.`,
    purchases: (n, last) => `${n} lần mua hàng, gần nhất vào ${last}.`,
    pageviews: (n, last) => `${n} trang bạn đã xem, gần nhất vào ${last}.`,
    cart: (n) => `${n} sản phẩm trong giỏ hàng đã lưu.`,
    segments: (list) => `Bạn thuộc các phân khúc khách hàng: ${list}.`,
    decisions: (n, first, last) =>
      n === 1
        ? `Chúng tôi đã ghi lại 1 quyết định cá nhân hóa, vào ${first}: nội dung nào được chọn cho bạn và dữ liệu nào được dùng.`
        : `Chúng tôi đã ghi lại ${n} quyết định cá nhân hóa, từ ${first} đến ${last}: nội dung nào được chọn cho bạn và dữ liệu nào được dùng.`,
    decisionsKept: (days, until) =>
      `Mỗi bản ghi bị xóa sau ${days} ngày (bản cũ nhất vào ${until}), để chúng tôi có thể giải trình với cơ quan có thẩm quyền, hoặc với bạn.`,
    decisionsWhy: 'Lưu để giải trình cách chúng tôi cá nhân hóa cửa hàng.',
    decisionLine: (at, data) => `${at}: ${data}.`,
    decisionUsed: (list) => `đã dùng ${list}`,
    decisionNothing: 'không dùng dữ liệu nào về bạn',
    other: (name, n) => `${n} mục do “${name}” lưu.`,
    sessionItem: (n) => `${n} hành động của bạn trong phiên truy cập hiện tại.`,
    nothing: 'Chúng tôi không lưu gì về bạn.',
    exportLink: 'Tải xuống bản sao đầy đủ, máy đọc được (JSON)',
    exportShow: 'Xem bản xuất máy đọc được',
    receiptTitle: 'Dữ liệu của bạn đã được xóa',
    receiptWhen: (at) => `Hoàn tất lúc ${at}.`,
    receiptNothing: 'Chúng tôi không còn lưu gì về bạn: không có gì cần xóa.',
    receiptItems: (n) => `Chúng tôi đã xóa ${n} mục dữ liệu về bạn:`,
    receiptHolder: (label, n) => `${label}: ${n}`,
    receiptKept: (name, reason) => `Được giữ lại: ${name} — ${reason}`,
    receiptKeep:
      'Hãy giữ tệp biên nhận: nó chứng minh dữ liệu nào đã bị xóa và khi nào, mà không chứa dữ liệu của bạn.',
    receiptDownload: 'Biên nhận, máy đọc được (JSON)',
    receiptNext:
      'Các lựa chọn về sự đồng ý của bạn cũng đã bị xóa, nên hiện không có gì được cá nhân hóa. Bạn có thể chọn lại bên dưới.',
    holder: {
      subject: 'hồ sơ của bạn (sở thích và những gì bạn đã làm trên trang)',
      consent: 'các bản ghi sự đồng ý',
      audit: 'các mục trong nhật ký quyết định',
      store: 'dữ liệu khác được lưu',
      source: 'dữ liệu do dịch vụ kết nối lưu',
    },
    stale:
      'Sự đồng ý của bạn đã thay đổi kể từ khi trang này được hiển thị (ví dụ: dữ liệu của bạn đã bị xóa). Chưa có gì được lưu: đây là sự đồng ý hiện tại của bạn. Hãy kiểm tra và lưu lại.',
    withdrawAll: 'Rút lại toàn bộ sự đồng ý',
    withdrawAllHelp: 'Chỉ một lần bấm: không có gì được cá nhân hóa từ trang tiếp theo.',
  },
};

/** The privacy center's sentences in a language. */
export function privacyWords(lang) {
  return WORDS[lang] ?? WORDS.en;
}
