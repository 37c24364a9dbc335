# ما يقوله marketrelay للمشترين والبائعين، بالعربية.
# معرّفات الرسائل نفسها الموجودة في locales/en/marketrelay.ftl.

## الصفحات

page-skip = انتقل إلى المحتوى

## تذييل رسالة البائع إلى المشتري

removal-notice = أزال { $marketplace } بيانات الاتصال من هذه الرسالة. يُرجى مواصلة محادثتك على { $marketplace }.
footer-report-question = هل في هذه الرسالة خطأ ما؟
footer-report-link = أبلغ عنها
footer-opt-out-question = لا تريد رسائل من { $seller } لا تتعلق بطلب؟
footer-opt-out-link = أوقفها

## إشعارات إلى المرسل

subject-files-not-delivered = لم تُسلَّم الملفات: { $subject }
subject-held = محتجزة للمراجعة: { $subject }
subject-not-delivered = لم تُسلَّم: { $subject }
subject-warning = تحذير: { $subject }
notice-held = رسالتك "{ $subject }" محتجزة لمراجعتها من قِبل فريق الثقة والأمان لدينا.
notice-rejected = راجع فريق الثقة والأمان لدينا رسالتك "{ $subject }" ولم تُسلَّم.
notice-blocked = لم تُسلَّم رسالتك "{ $subject }" لأنها تخالف سياسة المراسلة.
notice-found = ما وجدناه:
notice-held-next = ستُسلَّم إذا سمحت المراجعة بذلك؛ وإلا فسنتواصل معك مرة أخرى.
notice-reference = المرجع: { $id }
notice-files-taken-out = أُزيلت ملفات من نوع لا يُمرَّر: { $files }.
notice-advice = الطريقة الصحيحة: { $advice }
messaging-rules = لا يجوز أن تحتوي الرسائل على { $marketplace } على بيانات اتصال مباشرة أو روابط لمواقع أخرى أو طلبات دفع خارج { $marketplace } أو عروض مقابل التقييمات.

## ما وجدته السياسة

reason-email = تحتوي على عنوان بريد إلكتروني
reason-phone = تحتوي على رقم هاتف
reason-url = تحتوي على رابط لموقع آخر
reason-messaging-handle = تحتوي على اسم مستخدم في تطبيق مراسلة
reason-offsite-payment = تطلب الدفع خارج { $marketplace }
reason-review-manipulation = تعرض شيئًا مقابل تقييم
reason-contact-request = تطلب بيانات اتصال الطرف الآخر
reason-phishing = تطلب بيانات البطاقة أو كلمات المرور أو رموز الأمان
reason-promotional = تحتوي على إعلان أو تطلب شيئًا لا يحتاجه الطلب
removed-email = أُزيل عنوان بريد إلكتروني.
removed-phone = أُزيل رقم هاتف.
removed-url = أُزيل رابط لموقع آخر.
removed-messaging-handle = أُزيل اسم مستخدم في تطبيق مراسلة.
found-blocked = لم تُسلَّم: { $reason }.
found-held = محتجزة للمراجعة: { $reason }.
found-reason = { $reason }.

## الطريقة الصحيحة

advice-phone = أبقِ المحادثة هنا. عندما يحتاج طلب ما إلى رقم هاتف (لتحديد موعد التوصيل أو التركيب أو التخصيص)، يرسل البائع طلب موافقة من المحادثة ويقرر المشتري ما إذا كان سيشاركه.
advice-email = أبقِ المحادثة هنا: كل رسالة تصل إلى الطرف الآخر عبر هذه المحادثة، فلا حاجة إلى عنوان أو تطبيق آخر.
advice-url = ضع روابط لصفحات السوق أو لمواقع المساعدة المعتمدة فقط، أو صِف الصفحة بالكلمات.
advice-offsite-payment = تتم المدفوعات عبر صفحة الدفع في السوق فقط؛ لتغيير السعر، غيّر الإعلان أو الطلب.
advice-review-manipulation = يمكنك طلب تقييم صادق، لكن لا تعرض أي شيء مقابله أبدًا.
advice-phishing = لا تطلب أبدًا بيانات البطاقة أو كلمات المرور أو رموز الأمان: يتم الدفع في صفحة الدفع في السوق.
advice-promotional = راسل المشتري بخصوص طلبه فقط. العروض والمنتجات الجديدة والتخفيضات مكانها إعلاناتك وصفحة متجرك، ويمكنك طلب تقييم مرة واحدة لكل طلب بعد توصيله.

## رسائل لم تُمرَّر

opt-out-notice = لم تُسلَّم رسالتك "{ $subject }": طلب المشتري عدم تلقي رسائل منك لا تتعلق بطلب.
opt-out-notice-order = ما زالت الرسائل المتعلقة بطلب تصل إليه: اذكر رقم الطلب في الرسالة، أو اكتب عن شحنه أو توصيله أو تتبعه أو إرجاعه أو استرداد ثمنه أو فاتورته أو إلغائه (في محادثة ليس لها طلب خاص بها، اذكر رقم الطلب أيضًا في الحقل order_id في واجهة برمجة { $marketplace }).
rate-limited-notice = لم تُسلَّم رسالتك "{ $subject }": كتبت رسائل أكثر مما يسمح به { $marketplace } في وقت قصير (في الساعة عبر جميع محادثاتك، أو في اليوم في هذه المحادثة).
rate-limited-notice-again = تُحفظ للسجل لكنها لن تُرسل. بعد مرور تلك الساعة أو ذلك اليوم تُسلَّم رسائلك من جديد: أرسلها مرة أخرى حينها.
files-removed-notice = سُلِّمت رسالتك "{ $subject }" دون هذه الملفات، لأن الملفات من نوعها لا تُمرَّر:
files-passed-on = الملفات التي تُمرَّر: { $types }.
undeliverable = تعذّر تسليم رسالتك "{ $subject }" المؤرخة { $date } إلى { $to ->
        [seller] البائع
       *[buyer] المشتري
    }: لم يقبلها خادم بريده. تم إبلاغ { $marketplace }.
undeliverable-order = تعذّر تسليم رسالتك "{ $subject }" المؤرخة { $date } بشأن الطلب { $order } إلى { $to ->
        [seller] البائع
       *[buyer] المشتري
    }: لم يقبلها خادم بريده. تم إبلاغ { $marketplace }.
undeliverable-retry = يمكنك المحاولة مرة أخرى لاحقًا، أو التواصل مع دعم { $marketplace }.

## تحذير من الفريق إلى بائع

warning-intro = وجّه إليك { $marketplace } تحذيرًا بشأن رسالتك "{ $subject }" إلى مشترٍ: إنها تخالف قواعد المراسلة في { $marketplace }.
warning-rule-broken = القاعدة المخالَفة:
warning-reason = السبب الذي ذكره فريق الثقة والأمان لدينا: { $reason }
warning-counts = يُحتسب هذا التحذير مخالفة. وتُحتسب أيضًا الرسائل التي يرفضها فريقنا، وتؤدي المخالفات المتكررة إلى تعليق حسابك تلقائيًا: وطوال فترة التعليق تُحتجز كل رسالة ترسلها للمراجعة.

## طلبات الموافقة

contact-kind-phone = رقم الهاتف
purpose-delivery-scheduling = تحديد موعد التوصيل
purpose-installation = ترتيب التركيب
purpose-customisation = مناقشة تخصيص طلبك
purpose-technical-troubleshooting = حل المشكلات التقنية
consent-how-to-ask = للحصول على رقم هاتف المشتري، اطلب موافقته بدلًا من ذلك: POST /api/v1/conversations/{ $conversation }/consent-requests مع الطلب المعني وغرض ({ $purposes })، أو استخدم "Request phone number" في صندوق الوارد. القرار للمشتري، ولا يصلك الرقم إلا ما دامت موافقته سارية.
consent-subject = يطلب { $seller } { $kind } الخاص بك ({ $marketplace })
consent-ask = يرغب { $seller } في الحصول على { $kind } الخاص بك من أجل { $purpose } (الطلب { $order }).
consent-terms = إذا وافقت، سيرى { $seller } { $kind } الخاص بك في هذه المحادثة فقط، لمدة { $days } يومًا أو حتى تسحب موافقتك. لا يجوز استخدامه إلا من أجل { $purpose }، ولا يُستخدم أبدًا للتسويق، ولا يُشارَك مع أي شخص آخر. إذا رفضت أو لم تُجب، فلن يُشارَك شيء، ويمضي طلبك كالمعتاد في كلتا الحالتين.
consent-mail-grant = لمشاركة { $kind } الخاص بك، افتح:
consent-mail-decline = للرفض، افتح:
consent-mail-revoke = تعمل هذه الروابط حتى { $date }. إذا شاركته، يمكنك التوقف عن المشاركة في أي وقت؛ ومن حينها لن يرى البائع { $kind } الخاص بك:
consent-mail-forward = لا تُعِد توجيه هذه الرسالة: الروابط تجيب نيابةً عنك.

## صفحات الموافقة

consent-asks = يطلب { $seller } { $kind } الخاص بك من أجل { $purpose }.
consent-email-label = عنوان بريدك الإلكتروني (الذي أُرسل إليه هذا الطلب)
consent-keep-link = احتفظ بعنوان هذه الصفحة للعودة إليها:
consent-keep-link-text = إيقاف المشاركة
consent-title-share = هل تشارك رقم هاتفك؟
consent-grant-terms = إذا وافقت، يرى { $seller } { $kind } الخاص بك في هذه المحادثة فقط، لمدة { $days } يومًا (حتى { $until }) أو حتى تسحب موافقتك.
consent-grant-use = لا يجوز استخدامه إلا من أجل { $purpose }، ولا يُستخدم أبدًا للتسويق، ولا يُشارَك مع أي شخص آخر. يمضي طلبك سواء وافقت أم لا.
consent-button-share = مشاركة رقم هاتفي
consent-title-decline = هل ترفض الطلب؟
consent-decline-nothing = إذا رفضت، فلن يُشارَك شيء.
consent-button-decline = رفض
consent-title-revoke = هل توقف مشاركة رقم هاتفك؟
consent-can-see-until = يمكن لـ { $seller } رؤية { $kind } الخاص بك حتى { $date }.
consent-button-stop = إيقاف المشاركة
consent-title-nothing-shared = لا تتم مشاركة أي شيء
consent-not-shared-yet = لم تشارك { $kind } الخاص بك. إذا كنت لا تريد ذلك، فارفض الطلب.
consent-title-nothing-to-do = لا شيء للقيام به
consent-already = هذا الطلب { $status ->
        [requested] ما زال مفتوحًا
        [granted] مقبول
        [declined] مرفوض
        [revoked] مسحوب
       *[expired] منتهي الصلاحية
    }؛ لم يعد بإمكان هذا الرابط تغييره.
consent-title-not-shared = لم تتم المشاركة
consent-wrong-address = هذا ليس العنوان الذي أُرسل إليه هذا الطلب، لذلك لم يُشارَك شيء. لا يمكن الإجابة عن الطلب إلا لمن تلقّاه.
consent-too-many = أُجيب عن هذا الرابط بعنوان خاطئ مرات كثيرة جدًا؛ لم يُشارَك شيء. حاول مرة أخرى غدًا.
consent-title-thanks = شكرًا لك
consent-now-see-until = يمكن لـ { $seller } الآن رؤية { $kind } الخاص بك حتى { $date }.
consent-stop-any-time = يمكنك إيقاف المشاركة في أي وقت:
consent-title-declined = مرفوض
consent-declined = لقد رفضت. لم يُشارَك شيء.
consent-title-stopped = توقفت المشاركة
consent-no-longer = لم يعد بإمكان { $seller } رؤية { $kind } الخاص بك.

## صفحة الإبلاغ

report-page-title = الإبلاغ عن رسالة
report-title = هل تبلغ عن هذه الرسالة؟
report-title-thanks = شكرًا لك
report-title-already = تم الإبلاغ مسبقًا
report-from = من
report-filed = تم الإبلاغ: هذه الرسالة الآن لدى فريق الثقة والأمان لدينا.
report-already = تم الإبلاغ عن هذه الرسالة مسبقًا؛ وهي لدينا.
report-reads-every = يقرأ فريق الثقة والأمان لدينا كل بلاغ. لا تحتاج إلى فعل أي شيء آخر.
report-intro = أخبر فريق الثقة والأمان لدينا بما هو خاطئ في هذه الرسالة. لن يُخبَر البائع بمن أبلغ عنها.
report-reason-label = السبب (اختياري)
report-reason-choose = اختر سببًا
report-comment-label = هل هناك أي شيء آخر يجب أن نعرفه؟ (اختياري)
report-button = الإبلاغ عن هذه الرسالة
report-reason-spam = رسائل مزعجة أو إعلانات غير مرغوب فيها
report-reason-harassment = وقحة أو مسيئة أو تتضمن تهديدًا
report-reason-scam = تبدو احتيالًا
report-reason-off-platform = تطلب الدفع أو التواصل خارج السوق
report-reason-other = شيء آخر

## صفحة إلغاء الاشتراك

opt-out-title = رسائل من { $seller }
opt-out-status = لا تتلقى رسائل من { $seller } لا تتعلق بطلب. ما زالت الرسائل المتعلقة بطلب تصل إليك.
opt-out-email-label = عنوان بريدك الإلكتروني (الذي تصل إليه هذه الرسائل)
opt-out-button-resume = تلقي جميع رسائله مرة أخرى
opt-out-question = هل توقف رسائل { $seller } التي لا تتعلق بطلب؟ ستظل الرسائل المتعلقة بطلب تصل إليك، ويمكنك تغيير رأيك عبر هذا الرابط.
opt-out-button-stop = إيقاف هذه الرسائل
opt-out-wrong-address = هذا ليس العنوان الذي تصل إليه هذه الرسائل، لذلك لم يتغير شيء.
opt-out-too-many = أُجيب عن هذا الرابط بعنوان خاطئ مرات كثيرة جدًا؛ لم يتغير شيء. حاول مرة أخرى غدًا.
opt-out-done-stop = تم: لن تصلك الرسائل التي لا تتعلق بطلب.
opt-out-done-resume = تم: تتلقى مجددًا جميع رسائل هذا البائع.
