# marketrelay'in alıcılara ve satıcılara söyledikleri, Türkçe.
# locales/en/marketrelay.ftl ile aynı mesaj kimlikleri.

## Sayfalar

page-skip = İçeriğe geç

## Satıcının alıcıya gönderdiği iletinin altbilgisi

removal-notice = { $marketplace } bu iletiden iletişim bilgilerini kaldırdı. Lütfen konuşmanızı { $marketplace } üzerinde sürdürün.
footer-report-question = Bu iletide bir sorun mu var?
footer-report-link = Bildirin
footer-opt-out-question = { $seller } satıcısından siparişle ilgili olmayan iletiler almak istemiyor musunuz?
footer-opt-out-link = Durdurun

## Gönderene bildirimler

subject-files-not-delivered = Dosyalar teslim edilmedi: { $subject }
subject-held = İnceleme için bekletiliyor: { $subject }
subject-not-delivered = Teslim edilmedi: { $subject }
subject-warning = Uyarı: { $subject }
notice-held = "{ $subject }" iletiniz güven ve güvenlik ekibimiz tarafından incelenmek üzere bekletiliyor.
notice-rejected = "{ $subject }" iletiniz güven ve güvenlik ekibimiz tarafından incelendi ve teslim edilmedi.
notice-blocked = "{ $subject }" iletiniz mesajlaşma politikasını ihlal ettiği için teslim edilmedi.
notice-found = Bulduklarımız:
notice-held-next = İnceleme izin verirse teslim edilecek; aksi takdirde sizinle yeniden iletişime geçeceğiz.
notice-reference = Referans: { $id }
notice-files-taken-out = İletilmeyen türdeki dosyalar çıkarıldı: { $files }.
notice-advice = Doğrusu şöyle: { $advice }
messaging-rules = { $marketplace } üzerindeki iletiler doğrudan iletişim bilgileri, başka sitelere bağlantılar, { $marketplace } dışında ödeme talepleri veya değerlendirme karşılığında teklifler içeremez.

## Politikanın bulduğu

reason-email = bir e-posta adresi içeriyor
reason-phone = bir telefon numarası içeriyor
reason-url = başka bir siteye bağlantı içeriyor
reason-messaging-handle = bir mesajlaşma uygulaması kullanıcı adı içeriyor
reason-offsite-payment = { $marketplace } dışında ödeme istiyor
reason-review-manipulation = değerlendirme karşılığında bir şey teklif ediyor
reason-contact-request = karşı tarafın iletişim bilgilerini istiyor
reason-phishing = kart bilgileri, şifreler veya güvenlik kodları istiyor
reason-promotional = reklam yapıyor veya siparişin gerektirmediği bir şey istiyor
removed-email = Bir e-posta adresi kaldırıldı.
removed-phone = Bir telefon numarası kaldırıldı.
removed-url = Başka bir siteye bağlantı kaldırıldı.
removed-messaging-handle = Bir mesajlaşma uygulaması kullanıcı adı kaldırıldı.
found-blocked = Teslim edilmedi: { $reason }.
found-held = İnceleme için bekletiliyor: { $reason }.
found-reason = { $reason }.

## Doğrusu

advice-phone = Konuşmayı burada sürdürün. Bir sipariş için telefon numarası gerekiyorsa (teslimat, kurulum veya kişiselleştirme planlaması), satıcı konuşmadan bir onay talebi gönderir ve alıcı numarasını paylaşıp paylaşmayacağına karar verir.
advice-email = Konuşmayı burada sürdürün: her ileti karşı tarafa bu konuşma üzerinden ulaşır, başka bir adrese veya uygulamaya gerek yoktur.
advice-url = Yalnızca pazaryerindeki sayfalara veya onaylı yardım sitelerine bağlantı verin ya da sayfayı kelimelerle tarif edin.
advice-offsite-payment = Ödemeler yalnızca pazaryerinin ödeme adımından yapılır; bir fiyatı değiştirmek için ilanı veya siparişi değiştirin.
advice-review-manipulation = Dürüst bir değerlendirme isteyebilirsiniz, ancak karşılığında asla bir şey teklif etmeyin.
advice-phishing = Asla kart bilgileri, şifre veya güvenlik kodu istemeyin: ödeme pazaryerinin ödeme adımında yapılır.
advice-promotional = Alıcıya yalnızca siparişi hakkında yazın. Kampanyalar, yeni ürünler ve indirimler ilanlarınızda ve mağaza sayfanızda yer alır; değerlendirmeyi sipariş başına bir kez, teslimattan sonra isteyebilirsiniz.

## İletilmeyen iletiler

opt-out-notice = "{ $subject }" iletiniz teslim edilmedi: alıcı sizden siparişle ilgili olmayan iletiler almak istemediğini belirtti.
opt-out-notice-order = Siparişle ilgili iletiler ona ulaşmaya devam eder: iletide sipariş numarasını belirtin ya da siparişin gönderimi, teslimatı, takibi, iadesi, geri ödemesi, faturası veya iptali hakkında yazın (kendi siparişi olmayan bir konuşmada sipariş numarasını { $marketplace } API'sinin order_id alanında da verin).
rate-limited-notice = "{ $subject }" iletiniz teslim edilmedi: kısa sürede { $marketplace } tarafından izin verilenden fazla ileti yazdınız (tüm konuşmalarınızda saatlik veya bu konuşmada günlük).
rate-limited-notice-again = Kayıt için saklanır ancak gönderilmez. O saat veya gün geçince iletileriniz yeniden teslim edilir: o zaman tekrar gönderin.
files-removed-notice = "{ $subject }" iletiniz bu dosyalar olmadan teslim edildi, çünkü bu türdeki dosyalar iletilmez:
files-passed-on = İletilen dosyalar: { $types }.
undeliverable = { $date } tarihli "{ $subject }" iletiniz { $to ->
        [seller] satıcıya
       *[buyer] alıcıya
    } teslim edilemedi: posta sunucusu iletiyi kabul etmedi. { $marketplace } bilgilendirildi.
undeliverable-order = { $order } numaralı siparişle ilgili { $date } tarihli "{ $subject }" iletiniz { $to ->
        [seller] satıcıya
       *[buyer] alıcıya
    } teslim edilemedi: posta sunucusu iletiyi kabul etmedi. { $marketplace } bilgilendirildi.
undeliverable-retry = Daha sonra tekrar deneyebilir veya { $marketplace } desteğiyle iletişime geçebilirsiniz.

## Ekipten satıcıya uyarı

warning-intro = { $marketplace }, bir alıcıya gönderdiğiniz "{ $subject }" iletisi nedeniyle sizi uyardı: ileti { $marketplace } mesajlaşma kurallarını ihlal ediyor.
warning-rule-broken = İhlal edilen kural:
warning-reason = Güven ve güvenlik ekibimizin belirttiği neden: { $reason }
warning-counts = Bu uyarı bir ihlal sayılır. Ekibimizin reddettiği iletiler de sayılır ve tekrarlanan ihlaller hesabınızı otomatik olarak askıya alır: askıdayken gönderdiğiniz her ileti inceleme için bekletilir.

## Onay talepleri

contact-kind-phone = telefon numarası
purpose-delivery-scheduling = teslimatın planlanması
purpose-installation = kurulumun ayarlanması
purpose-customisation = siparişinizin kişiselleştirilmesinin görüşülmesi
purpose-technical-troubleshooting = teknik sorun giderme
consent-how-to-ask = Alıcının telefon numarasını almak için bunun yerine onayını isteyin: ilgili sipariş ve bir amaçla ({ $purposes }) POST /api/v1/conversations/{ $conversation }/consent-requests ya da gelen kutusundaki "Request phone number" düğmesi. Karar alıcınındır ve numara size yalnızca onayı geçerli olduğu sürece ulaşır.
consent-subject = { $seller } telefon numaranızı istiyor ({ $marketplace })
consent-ask = { $seller }, { $purpose } için telefon numaranızı istiyor (sipariş { $order }).
consent-terms = Kabul ederseniz { $seller } telefon numaranızı yalnızca bu konuşmada, { $days } gün boyunca veya onayınızı geri çekene kadar görür. Yalnızca { $purpose } için kullanılabilir, asla pazarlama için kullanılmaz ve hiç kimseyle paylaşılmaz. Reddederseniz veya yanıt vermezseniz hiçbir şey paylaşılmaz ve siparişiniz her durumda normal şekilde devam eder.
consent-mail-grant = Telefon numaranızı paylaşmak için açın:
consent-mail-decline = Reddetmek için açın:
consent-mail-revoke = Bu bağlantılar { $date } tarihine kadar geçerlidir. Paylaşırsanız paylaşmayı istediğiniz zaman durdurabilirsiniz; o andan itibaren satıcı telefon numaranızı artık görmez:
consent-mail-forward = Bu e-postayı iletmeyin: bağlantılar sizin adınıza yanıt verir.

## Onay sayfaları

consent-asks = { $seller }, { $purpose } için telefon numaranızı istiyor.
consent-email-label = E-posta adresiniz (bu talebin gönderildiği adres)
consent-keep-link = Geri dönmek için bu sayfanın adresini saklayın:
consent-keep-link-text = paylaşmayı durdur
consent-title-share = Telefon numaranız paylaşılsın mı?
consent-grant-terms = Kabul ederseniz { $seller } telefon numaranızı yalnızca bu konuşmada, { $days } gün boyunca ({ $until } tarihine kadar) veya geri çekene kadar görür.
consent-grant-use = Yalnızca { $purpose } için kullanılabilir, asla pazarlama için kullanılmaz ve hiç kimseyle paylaşılmaz. Kabul etseniz de etmeseniz de siparişiniz devam eder.
consent-button-share = Telefon numaramı paylaş
consent-title-decline = Talep reddedilsin mi?
consent-decline-nothing = Reddederseniz hiçbir şey paylaşılmaz.
consent-button-decline = Reddet
consent-title-revoke = Telefon numaranızı paylaşmayı durdurmak mı istiyorsunuz?
consent-can-see-until = { $seller } telefon numaranızı { $date } tarihine kadar görebilir.
consent-button-stop = Paylaşmayı durdur
consent-title-nothing-shared = Hiçbir şey paylaşılmıyor
consent-not-shared-yet = Telefon numaranızı paylaşmadınız. Paylaşmak istemiyorsanız talebi reddedin.
consent-title-nothing-to-do = Yapılacak bir şey yok
consent-already = Bu talep { $status ->
        [requested] hâlâ açık
        [granted] kabul edildi
        [declined] reddedildi
        [revoked] geri çekildi
       *[expired] süresi doldu
    }; bu bağlantı artık onu değiştiremez.
consent-title-not-shared = Paylaşılmadı
consent-wrong-address = Bu, talebin gönderildiği adres değil; bu yüzden hiçbir şey paylaşılmadı. Talebi yalnızca onu alan kişi yanıtlayabilir.
consent-too-many = Bu bağlantı çok sık yanlış adresle yanıtlandı; hiçbir şey paylaşılmadı. Yarın tekrar deneyin.
consent-title-thanks = Teşekkürler
consent-now-see-until = { $seller } artık telefon numaranızı { $date } tarihine kadar görebilir.
consent-stop-any-time = Paylaşmayı istediğiniz zaman durdurabilirsiniz:
consent-title-declined = Reddedildi
consent-declined = Reddettiniz. Hiçbir şey paylaşılmadı.
consent-title-stopped = Paylaşım durduruldu
consent-no-longer = { $seller } artık telefon numaranızı göremez.

## Bildirim sayfası

report-page-title = Bir iletiyi bildirin
report-title = Bu ileti bildirilsin mi?
report-title-thanks = Teşekkürler
report-title-already = Zaten bildirildi
report-from = Gönderen
report-filed = Bildirildi: bu ileti artık güven ve güvenlik ekibimizde.
report-already = Bu ileti zaten bildirildi; bizde.
report-reads-every = Güven ve güvenlik ekibimiz her bildirimi okur. Başka bir şey yapmanız gerekmez.
report-intro = Bu iletide neyin yanlış olduğunu güven ve güvenlik ekibimize anlatın. Satıcıya kimin bildirdiği söylenmez.
report-reason-label = Neden (isteğe bağlı)
report-reason-choose = Bir neden seçin
report-comment-label = Bilmemiz gereken başka bir şey var mı? (isteğe bağlı)
report-button = Bu iletiyi bildir
report-reason-spam = Spam veya istenmeyen reklam
report-reason-harassment = Kaba, hakaret içeren veya tehditkâr
report-reason-scam = Dolandırıcılık gibi görünüyor
report-reason-off-platform = Pazaryeri dışında ödeme veya iletişim istiyor
report-reason-other = Başka bir şey

## Abonelikten çıkma sayfası

opt-out-title = { $seller } satıcısından iletiler
opt-out-status = { $seller } satıcısından siparişle ilgili olmayan iletiler almıyorsunuz. Siparişle ilgili iletiler size ulaşmaya devam eder.
opt-out-email-label = E-posta adresiniz (bu iletilerin geldiği adres)
opt-out-button-resume = Tüm iletilerini yeniden al
opt-out-question = { $seller } satıcısından siparişle ilgili olmayan iletiler durdurulsun mu? Siparişle ilgili iletiler size ulaşmaya devam eder ve bu bağlantıyla fikrinizi değiştirebilirsiniz.
opt-out-button-stop = Bu iletileri durdur
opt-out-wrong-address = Bu, iletilerin geldiği adres değil; bu yüzden hiçbir şey değiştirilmedi.
opt-out-too-many = Bu bağlantı çok sık yanlış adresle yanıtlandı; hiçbir şey değiştirilmedi. Yarın tekrar deneyin.
opt-out-done-stop = Tamam: siparişle ilgili olmayan iletiler artık size ulaşmayacak.
opt-out-done-resume = Tamam: bu satıcının tüm iletilerini yeniden alıyorsunuz.
