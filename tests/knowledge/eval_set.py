"""The retrieval evaluation set: queries as customers and agents type them, with the
articles (by slug, from ``frontline/demo/kb``) that answer them.

Written for this project. Each query is tagged with what it tests: ``inflection``
(another grammatical form), ``diacritics`` (Vietnamese typed without tone marks or đ),
``typo``, ``paraphrase`` (other words for the same need), ``exact``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Judged:
    query: str
    relevant: frozenset[str]
    kind: str
    language: str


def _q(query: str, kind: str, language: str, *relevant: str) -> Judged:
    return Judged(query, frozenset(relevant), kind, language)


EVAL_SET: tuple[Judged, ...] = (
    # Russian
    _q("налоговая декларация", "inflection", "ru", "tax-vat-declaration", "tax-correction"),
    _q("декларацию по налогу", "inflection", "ru", "tax-vat-declaration", "tax-correction"),
    _q("отправить декларацию НДС", "exact", "ru", "tax-vat-declaration"),
    _q("сдать отчётность по ндс за квартал", "paraphrase", "ru", "tax-vat-declaration"),
    _q("исправить ошибку в декларации", "inflection", "ru", "tax-correction"),
    _q("уточненка", "paraphrase", "ru", "tax-correction"),
    _q("корректировка отчёта", "inflection", "ru", "tax-correction"),
    _q("налоговая не приняла отчёт", "inflection", "ru", "tax-rejected-report"),
    _q("отказ в приёме отчёта", "inflection", "ru", "tax-rejected-report"),
    _q("протокол входного контроля", "exact", "ru", "tax-rejected-report"),
    _q("требование из налоговой", "inflection", "ru", "tax-requirement-response"),
    _q("ответить на требования ФНС", "inflection", "ru", "tax-requirement-response"),
    _q("пояснения налоговой", "inflection", "ru", "tax-requirement-response"),
    _q("продлить электронную подпись", "inflection", "ru", "sign-renew-certificate"),
    _q("продление сертификата", "inflection", "ru", "sign-renew-certificate"),
    _q("сертификат заканчивается", "paraphrase", "ru", "sign-renew-certificate"),
    _q("сертфикат подписи продлить", "typo", "ru", "sign-renew-certificate"),
    _q("установить криптопро", "inflection", "ru", "sign-install-cryptopro"),
    _q("не найден закрытый ключ", "exact", "ru", "sign-install-cryptopro"),
    _q("крипто про установка", "paraphrase", "ru", "sign-install-cryptopro"),
    _q("потеряли токен", "inflection", "ru", "sign-lost-token"),
    _q("украли рутокен отозвать сертификат", "paraphrase", "ru", "sign-lost-token"),
    _q("счет-фактура не доставлена", "inflection", "ru", "edi-invoice-not-delivered"),
    _q("контрагент не видит счёт фактуру", "exact", "ru", "edi-invoice-not-delivered"),
    _q("настроить роуминг", "inflection", "ru", "edi-invoice-not-delivered"),
    _q("подписать упд", "exact", "ru", "edi-upd-sign"),
    _q("отказать в подписи документа поставщика", "inflection", "ru", "edi-upd-sign"),
    _q("зарегистрировать кассу", "inflection", "ru", "kkt-register-fns"),
    _q("регистрация ккт в фнс", "exact", "ru", "kkt-register-fns"),
    _q("фискальный накопитель номер", "inflection", "ru", "kkt-register-fns"),
    _q("касса не отправляет чеки", "inflection", "ru", "kkt-receipts-not-sent"),
    _q("чеки не уходят в офд", "paraphrase", "ru", "kkt-receipts-not-sent"),
    _q("касса заблокировалась", "inflection", "ru", "kkt-receipts-not-sent"),
    _q("больничный лист", "inflection", "ru", "hr-sick-leave"),
    _q("электронные больничные СФР", "inflection", "ru", "hr-sick-leave"),
    _q("посчитать отпускные", "inflection", "ru", "hr-vacation-pay"),
    _q("отпуск сотрудника начисление", "inflection", "ru", "hr-vacation-pay"),
    _q("загрузить выписку из банка", "inflection", "ru", "acc-bank-statement"),
    _q("банковские выписки", "inflection", "ru", "acc-bank-statement"),
    _q("приемка маркировки честный знак", "inflection", "ru", "mark-scan-codes"),
    _q("забыл пароль", "inflection", "ru", "cloud-password-reset"),
    _q("восстановить пароль от кабинета", "inflection", "ru", "cloud-password-reset"),
    _q("пороль не подходит", "typo", "ru", "cloud-password-reset"),
    _q("оплатить тариф", "inflection", "ru", "cloud-tariff-payment"),
    _q("продлить лицензию онлайн бухгалтерии", "inflection", "ru", "cloud-tariff-payment"),
    _q("возврат денег", "paraphrase", "ru", "cloud-tariff-payment"),
    # Vietnamese
    _q("hoa don", "diacritics", "vi", "vi-einvoice-issue", "vi-einvoice-cancel"),
    _q("lap hoa don dien tu", "diacritics", "vi", "vi-einvoice-issue"),
    _q("cách lập hóa đơn", "exact", "vi", "vi-einvoice-issue"),
    _q("huy hoa don", "diacritics", "vi", "vi-einvoice-cancel"),
    _q("hóa đơn sai sót điều chỉnh", "exact", "vi", "vi-einvoice-cancel"),
    _q("gia han chu ky so", "diacritics", "vi", "vi-digital-signature"),
    _q("chữ ký số hết hạn", "exact", "vi", "vi-digital-signature"),
    _q("chung thu so", "diacritics", "vi", "vi-digital-signature"),
    _q("cai dat usb token", "diacritics", "vi", "vi-token-driver"),
    _q("máy không nhận token", "exact", "vi", "vi-token-driver"),
    _q("to khai thue gtgt", "diacritics", "vi", "vi-tax-declaration"),
    _q("nộp tờ khai thuế", "exact", "vi", "vi-tax-declaration"),
    _q("quen mat khau", "diacritics", "vi", "vi-password-reset"),
    _q("đặt lại mật khẩu", "exact", "vi", "vi-password-reset"),
    _q("chuyen tuyen hai", "diacritics", "vi", "vi-escalation"),
    _q("hoa dơn dien tư", "typo", "vi", "vi-einvoice-issue", "vi-einvoice-cancel"),
    # English
    _q("reset password", "exact", "en", "en-reset-password"),
    _q("forgot my passwrod", "typo", "en", "en-reset-password"),
    _q("account locked after failed attempts", "inflection", "en", "en-reset-password"),
    _q("renew certificate", "inflection", "en", "en-renew-signature"),
    _q("electronic signature renewal", "inflection", "en", "en-renew-signature"),
    _q("expired signature", "inflection", "en", "en-renew-signature"),
    _q("refund", "inflection", "en", "en-refund-policy"),
    _q("money back for subscription", "paraphrase", "en", "en-refund-policy"),
    _q("refnd request", "typo", "en", "en-refund-policy"),
    _q("invoice not delivered", "exact", "en", "en-invoice-delivery"),
    _q("partner cannot see invoices", "inflection", "en", "en-invoice-delivery"),
    _q("receipts not transmitted", "inflection", "en", "en-cash-register-offline"),
    _q("cash register blocked", "inflection", "en", "en-cash-register-offline"),
    _q("escalate complaint", "inflection", "en", "en-escalation-rules"),
    _q("second line escalation", "exact", "en", "en-escalation-rules"),
    _q("file vat return", "inflection", "en", "en-vat-return"),
    _q("quarterly tax reporting", "paraphrase", "en", "en-vat-return"),
)
