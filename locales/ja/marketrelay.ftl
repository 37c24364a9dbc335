# marketrelay が購入者と出品者に伝える言葉（日本語）。
# locales/en/marketrelay.ftl と同じメッセージ ID。

## ページ

page-skip = 本文へ移動

## 出品者から購入者へのメッセージのフッター

removal-notice = { $marketplace } はこのメッセージから連絡先情報を削除しました。やり取りは { $marketplace } 上で続けてください。
footer-report-question = このメッセージに問題がありますか？
footer-report-link = 報告する
footer-opt-out-question = { $seller } からの注文に関係のないメッセージを受け取りたくない場合は
footer-opt-out-link = 停止する

## 送信者への通知

subject-files-not-delivered = ファイルは配信されませんでした: { $subject }
subject-held = 審査のため保留中: { $subject }
subject-not-delivered = 配信されませんでした: { $subject }
subject-warning = 警告: { $subject }
notice-held = あなたのメッセージ「{ $subject }」は、信頼・安全チームによる審査のため保留されています。
notice-rejected = あなたのメッセージ「{ $subject }」は信頼・安全チームによって審査され、配信されませんでした。
notice-blocked = あなたのメッセージ「{ $subject }」はメッセージポリシーに違反するため配信されませんでした。
notice-found = 検出された内容:
notice-held-next = 審査で認められれば配信されます。認められない場合は改めてご連絡します。
notice-reference = 参照番号: { $id }
notice-files-taken-out = 転送されない種類のファイルが取り除かれました: { $files }。
notice-advice = 正しい方法: { $advice }
messaging-rules = { $marketplace } のメッセージには、直接の連絡先、他のサイトへのリンク、{ $marketplace } 以外での支払いの依頼、レビューの見返りの提案を含めることはできません。

## ポリシーが検出した内容

reason-email = メールアドレスが含まれています
reason-phone = 電話番号が含まれています
reason-url = 他のサイトへのリンクが含まれています
reason-messaging-handle = メッセージアプリのユーザー名が含まれています
reason-offsite-payment = { $marketplace } 以外での支払いを求めています
reason-review-manipulation = レビューの見返りを提案しています
reason-contact-request = 相手の連絡先を求めています
reason-phishing = カード情報、パスワード、セキュリティコードを求めています
reason-promotional = 広告であるか、注文に必要のないことを求めています
removed-email = メールアドレスが削除されました。
removed-phone = 電話番号が削除されました。
removed-url = 他のサイトへのリンクが削除されました。
removed-messaging-handle = メッセージアプリのユーザー名が削除されました。
found-blocked = 配信されませんでした: { $reason }。
found-held = 審査のため保留中: { $reason }。
found-reason = { $reason }。

## 正しい方法

advice-phone = やり取りはここで続けてください。注文に電話番号が必要な場合（配送日時の調整、設置、カスタマイズ）は、出品者がこのやり取りから同意リクエストを送り、購入者が共有するかどうかを決めます。
advice-email = やり取りはここで続けてください。すべてのメッセージはこのやり取りを通じて相手に届くので、他のアドレスやアプリは必要ありません。
advice-url = マーケットプレイス内のページか承認されたヘルプサイトだけにリンクするか、ページの内容を言葉で説明してください。
advice-offsite-payment = 支払いはマーケットプレイスの決済でのみ行います。価格を変えるには、出品または注文を変更してください。
advice-review-manipulation = 正直なレビューをお願いするのは構いませんが、見返りを提案してはいけません。
advice-phishing = カード情報、パスワード、セキュリティコードを求めないでください。支払いはマーケットプレイスの決済で行われます。
advice-promotional = 購入者には注文に関することだけを送ってください。セールや新商品のお知らせは出品ページやショップページに掲載してください。評価のお願いは、配達後に注文ごとに一度だけできます。

## 転送されなかったメッセージ

opt-out-notice = あなたのメッセージ「{ $subject }」は配信されませんでした。購入者は、注文に関係のないメッセージを受け取らないよう希望しています。
opt-out-notice-order = 注文に関するメッセージは引き続き届きます。メッセージに注文番号を記載するか、注文の発送、配送、追跡、返品、返金、請求書、キャンセルについて書いてください（独自の注文がないやり取りでは、{ $marketplace } API の order_id フィールドにも注文番号を指定してください）。
rate-limited-notice = あなたのメッセージ「{ $subject }」は配信されませんでした。短時間に { $marketplace } が認める数を超えるメッセージが書かれました（すべてのやり取りで1時間あたり、またはこのやり取りで1日あたり）。
rate-limited-notice-again = 記録として保存されますが、送信されません。その1時間または1日が過ぎればメッセージは再び配信されますので、その後にもう一度送ってください。
files-removed-notice = あなたのメッセージ「{ $subject }」は、この種類のファイルが転送されないため、次のファイルを除いて配信されました:
files-passed-on = 転送されるファイル: { $types }。
undeliverable = { $date } のあなたのメッセージ「{ $subject }」を{ $to ->
        [seller] 出品者
       *[buyer] 購入者
    }に配信できませんでした。相手のメールサーバーが受け付けませんでした。{ $marketplace } に通知済みです。
undeliverable-order = 注文 { $order } に関する { $date } のあなたのメッセージ「{ $subject }」を{ $to ->
        [seller] 出品者
       *[buyer] 購入者
    }に配信できませんでした。相手のメールサーバーが受け付けませんでした。{ $marketplace } に通知済みです。
undeliverable-retry = 後でもう一度お試しいただくか、{ $marketplace } のサポートにお問い合わせください。

## 出品者への警告

warning-intro = { $marketplace } は、購入者へのあなたのメッセージ「{ $subject }」について警告しました。このメッセージは { $marketplace } のメッセージルールに違反しています。
warning-rule-broken = 違反したルール:
warning-reason = 信頼・安全チームによる理由: { $reason }
warning-counts = この警告は違反として数えられます。チームが却下したメッセージも数えられ、違反を繰り返すとアカウントは自動的に停止されます。停止中は、送信するすべてのメッセージが審査のため保留されます。

## 同意リクエスト

contact-kind-phone = 電話番号
purpose-delivery-scheduling = 配送日時の調整
purpose-installation = 設置の手配
purpose-customisation = ご注文のカスタマイズについての相談
purpose-technical-troubleshooting = 技術的なトラブルの解決
consent-how-to-ask = 購入者の電話番号が必要な場合は、代わりに同意を求めてください: 対象の注文と目的（{ $purposes }）を指定して POST /api/v1/conversations/{ $conversation }/consent-requests を送るか、受信箱の「Request phone number」を使います。決めるのは購入者で、番号は同意が有効な間だけあなたに届きます。
consent-subject = { $seller } があなたの{ $kind }を求めています（{ $marketplace }）
consent-ask = { $seller } は{ $purpose }のため、あなたの{ $kind }を希望しています（注文 { $order }）。
consent-terms = 同意すると、{ $seller } はこのやり取りの中でのみ、{ $days } 日間または同意を取り消すまで、あなたの{ $kind }を見ることができます。{ $purpose }にのみ使用され、マーケティングには決して使われず、他の誰とも共有されません。拒否するか回答しない場合は何も共有されず、どちらの場合でもご注文は通常どおり進みます。
consent-mail-grant = { $kind }を共有するには、次を開いてください:
consent-mail-decline = 拒否するには、次を開いてください:
consent-mail-revoke = これらのリンクは { $date } まで有効です。共有した場合でもいつでも共有を停止でき、その時点から出品者はあなたの{ $kind }を見られなくなります:
consent-mail-forward = このメールを転送しないでください。リンクはあなたに代わって回答します。

## 同意ページ

consent-asks = { $seller } が{ $purpose }のため、あなたの{ $kind }を求めています。
consent-email-label = あなたのメールアドレス（このリクエストが送られたアドレス）
consent-keep-link = 後で戻るには、このページのアドレスを保存してください:
consent-keep-link-text = 共有を停止
consent-title-share = 電話番号を共有しますか？
consent-grant-terms = 同意すると、{ $seller } はこのやり取りの中でのみ、{ $days } 日間（{ $until } まで）または取り消すまで、あなたの{ $kind }を見ることができます。
consent-grant-use = { $purpose }にのみ使用され、マーケティングには決して使われず、他の誰とも共有されません。同意してもしなくても、ご注文はそのまま進みます。
consent-button-share = 電話番号を共有する
consent-title-decline = リクエストを拒否しますか？
consent-decline-nothing = 拒否すると、何も共有されません。
consent-button-decline = 拒否する
consent-title-revoke = 電話番号の共有を停止しますか？
consent-can-see-until = { $seller } は { $date } まであなたの{ $kind }を見ることができます。
consent-button-stop = 共有を停止
consent-title-nothing-shared = 何も共有されていません
consent-not-shared-yet = あなたは{ $kind }を共有していません。共有したくない場合は、リクエストを拒否してください。
consent-title-nothing-to-do = 必要な操作はありません
consent-already = このリクエストは{ $status ->
        [requested] まだ回答待ちです
        [granted] 承認済みです
        [declined] 拒否済みです
        [revoked] 取り消し済みです
       *[expired] 期限切れです
    }。このリンクではもう変更できません。
consent-title-not-shared = 共有されませんでした
consent-wrong-address = このリクエストの送信先のアドレスではないため、何も共有されませんでした。回答できるのはリクエストを受け取った本人だけです。
consent-too-many = このリンクには誤ったアドレスで何度も回答されたため、何も共有されませんでした。明日もう一度お試しください。
consent-title-thanks = ありがとうございます
consent-now-see-until = { $seller } は { $date } まであなたの{ $kind }を見られるようになりました。
consent-stop-any-time = いつでも共有を停止できます:
consent-title-declined = 拒否しました
consent-declined = 拒否しました。何も共有されていません。
consent-title-stopped = 共有を停止しました
consent-no-longer = { $seller } はもうあなたの{ $kind }を見ることができません。

## 報告ページ

report-page-title = メッセージを報告
report-title = このメッセージを報告しますか？
report-title-thanks = ありがとうございます
report-title-already = 報告済み
report-from = 送信者
report-filed = 報告しました。このメッセージは信頼・安全チームに届いています。
report-already = このメッセージはすでに報告されています。受け付け済みです。
report-reads-every = 信頼・安全チームはすべての報告を確認します。これ以上の操作は必要ありません。
report-intro = このメッセージの何が問題かを信頼・安全チームにお知らせください。誰が報告したかは出品者に伝えられません。
report-reason-label = 理由（任意）
report-reason-choose = 理由を選択
report-comment-label = ほかに知らせておきたいことはありますか？（任意）
report-button = このメッセージを報告する
report-reason-spam = スパムまたは迷惑な広告
report-reason-harassment = 失礼、侮辱的、または脅迫的
report-reason-scam = 詐欺のように見える
report-reason-off-platform = マーケットプレイス外での支払いややり取りを求めている
report-reason-other = その他

## 配信停止ページ

opt-out-title = { $seller } からのメッセージ
opt-out-status = { $seller } からの注文に関係のないメッセージは受け取らない設定です。注文に関するメッセージは引き続き届きます。
opt-out-email-label = あなたのメールアドレス（これらのメッセージが届くアドレス）
opt-out-button-resume = すべてのメッセージを再び受け取る
opt-out-question = { $seller } からの注文に関係のないメッセージを停止しますか？注文に関するメッセージは引き続き届き、このリンクからいつでも変更できます。
opt-out-button-stop = これらのメッセージを停止する
opt-out-wrong-address = これらのメッセージが届くアドレスではないため、何も変更されませんでした。
opt-out-too-many = このリンクには誤ったアドレスで何度も回答されたため、何も変更されませんでした。明日もう一度お試しください。
opt-out-done-stop = 完了しました。注文に関係のないメッセージは今後届きません。
opt-out-done-resume = 完了しました。この出品者からのすべてのメッセージを再び受け取ります。
