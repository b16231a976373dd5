"""The demo's fixed reference data: a Russian business-software vendor's 24/7 support line.

Everything here is a constant; ``generator`` draws people and customers from it and ``seed``
writes it. The shape follows the source documents: 16 products, phone first with dedicated
e-mail and chat teams, 90 % of calls answered within 20 s, sites in the Urals, Siberia,
Moscow and Ho Chi Minh City.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from frontline.org.models import Channel

DEMO_EMAIL_DOMAIN = "demo.frontline.local"
# Shared by every demo account and printed by the CLI; a demo, never a production secret.
DEMO_PASSWORD = "frontline-demo"  # noqa: S105 - the published demo password

RUSSIAN = "ru"
VIETNAMESE = "vi"
ENGLISH = "en"


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    city: str
    country: str
    time_zone: str
    locale: str
    agent_share: int  # relative weight when agents are spread over sites


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class ProductGroup:
    """Products handled by one line of specialists, with shared e-mail and chat queues."""

    code: str
    name: str
    product_codes: tuple[str, ...]


@dataclass(frozen=True, order=True)
class SkillKey:
    """The natural key of a skill: product, language, channel."""

    product_code: str
    language: str
    channel: Channel


@dataclass(frozen=True)
class ServiceGoal:
    service_level_target: float
    target_answer_seconds: int
    wrap_up_limit_seconds: int


@dataclass(frozen=True)
class QueueSpec:
    code: str
    name: str
    skill: SkillKey
    goal: ServiceGoal


@dataclass(frozen=True)
class TeamSpec:
    """A team at one site; ``skills`` is the pool its agents' skills are drawn from."""

    site_code: str
    name: str
    share: int  # relative weight when a site's agents are spread over its teams
    skills: tuple[SkillKey, ...]


@dataclass(frozen=True)
class CitySpec:
    name: str
    inn_region: str  # first two digits of INNs registered there
    weight: int


SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        "EKB", "Контакт-центр Екатеринбург", "Екатеринбург", "RU", "Asia/Yekaterinburg", RUSSIAN, 40
    ),
    SiteSpec(
        "NSK", "Контакт-центр Новосибирск", "Новосибирск", "RU", "Asia/Novosibirsk", RUSSIAN, 25
    ),
    SiteSpec("MSK", "Контакт-центр Москва", "Москва", "RU", "Europe/Moscow", RUSSIAN, 20),
    SiteSpec(
        "HCM",
        "Trung tâm hỗ trợ Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "VN",
        "Asia/Ho_Chi_Minh",
        VIETNAMESE,
        8,
    ),
    SiteSpec("KZN", "Контакт-центр Казань", "Казань", "RU", "Europe/Moscow", RUSSIAN, 7),
)
HEAD_OFFICE = SITES[0]

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec("ACC", "Бухгалтерия", "Бухгалтерский и налоговый учёт для организаций"),
    ProductSpec("TAX", "Отчётность в ФНС", "Электронная отчётность в налоговую, СФР и Росстат"),
    ProductSpec("EDI", "Электронные счета-фактуры", "Обмен счетами-фактурами и актами (ЭДО)"),
    ProductSpec("SIGN", "Электронная подпись", "Выпуск и продление сертификатов подписи"),
    ProductSpec("KKT", "Онлайн-кассы", "Кассы по 54-ФЗ и передача чеков в ОФД"),
    ProductSpec("HR", "Зарплата и кадры", "Расчёт зарплаты, кадровый учёт, больничные"),
    ProductSpec("RETAIL", "Торговля и склад", "Учёт товаров, закупок и остатков"),
    ProductSpec("TENDER", "Торги и закупки", "Поиск тендеров и участие в электронных торгах"),
    ProductSpec("CHECK", "Проверка контрагентов", "Сведения о компаниях и оценка рисков"),
    ProductSpec("DOCS", "Корпоративный документооборот", "Согласование и хранение документов"),
    ProductSpec("BANK", "Интеграция с банками", "Выписки и платёжные поручения из учётной системы"),
    ProductSpec("EGAIS", "ЕГАИС", "Учёт алкогольной продукции в ЕГАИС"),
    ProductSpec("MARK", "Маркировка товаров", "Работа с «Честным знаком» и кодами маркировки"),
    ProductSpec(
        "CLOUD",
        "Онлайн-бухгалтерия для малого бизнеса",
        "Бухгалтерия и отчётность для ИП и небольших ООО",
    ),
    ProductSpec(
        "GOV",
        "Отчётность бюджетных учреждений",
        "Отчётность государственных и муниципальных учреждений",
    ),
    ProductSpec("EDU", "Обучение и вебинары", "Курсы и вебинары для бухгалтеров и кадровиков"),
)

PRODUCT_GROUPS: tuple[ProductGroup, ...] = (
    ProductGroup("BUH", "Бухгалтерия и зарплата", ("ACC", "HR", "CLOUD", "BANK")),
    ProductGroup("REP", "Отчётность", ("TAX", "GOV", "SIGN", "EDU")),
    ProductGroup("EDO", "ЭДО и документооборот", ("EDI", "DOCS", "CHECK", "TENDER")),
    ProductGroup("TRADE", "Торговля и кассы", ("KKT", "RETAIL", "EGAIS", "MARK")),
)
_GROUPS = {group.code: group for group in PRODUCT_GROUPS}

# Ho Chi Minh City serves Vietnamese-speaking clients of a few products, and English as a
# fallback; Russian is served for every product on every channel.
VIETNAMESE_PRODUCTS = ("CLOUD", "EDI", "KKT", "EDU")
ENGLISH_PRODUCTS = ("CLOUD", "EDI", "SIGN")
CONTACT_CHANNELS = (Channel.VOICE, Channel.EMAIL, Channel.CHAT)


def _skills(
    products: tuple[str, ...], language: str, channels: tuple[Channel, ...]
) -> tuple[SkillKey, ...]:
    return tuple(
        SkillKey(product, language, channel) for product in products for channel in channels
    )


SKILLS: tuple[SkillKey, ...] = (
    _skills(tuple(product.code for product in PRODUCTS), RUSSIAN, CONTACT_CHANNELS)
    # Orders and requests from the public web form (/request), per product.
    + _skills(tuple(product.code for product in PRODUCTS), RUSSIAN, (Channel.WEB,))
    + _skills(VIETNAMESE_PRODUCTS, VIETNAMESE, CONTACT_CHANNELS)
    + _skills(ENGLISH_PRODUCTS, ENGLISH, (Channel.VOICE, Channel.EMAIL))
)

# The source: 90 % of callers answered within 20 s. E-mail within a working day, chat a minute.
VOICE_GOAL = ServiceGoal(0.9, 20, 120)
EMAIL_GOAL = ServiceGoal(0.9, 8 * 3600, 600)
CHAT_GOAL = ServiceGoal(0.8, 60, 60)


def _group_queues(group: ProductGroup) -> tuple[QueueSpec, ...]:
    # A queue serves one skill, so a group's shared queues point at its lead product.
    lead = group.product_codes[0]
    return (
        QueueSpec(
            f"EMAIL-{group.code}",
            f"{group.name}: e-mail",
            SkillKey(lead, RUSSIAN, Channel.EMAIL),
            EMAIL_GOAL,
        ),
        QueueSpec(
            f"CHAT-{group.code}",
            f"{group.name}: чат",
            SkillKey(lead, RUSSIAN, Channel.CHAT),
            CHAT_GOAL,
        ),
    )


QUEUES: tuple[QueueSpec, ...] = (
    tuple(
        QueueSpec(
            f"VOICE-{product.code}",
            f"{product.name}: звонки",
            SkillKey(product.code, RUSSIAN, Channel.VOICE),
            VOICE_GOAL,
        )
        for product in PRODUCTS
    )
    + tuple(queue for group in PRODUCT_GROUPS for queue in _group_queues(group))
    + tuple(
        QueueSpec(
            f"WEB-{product.code}",
            f"{product.name}: заявки с сайта",
            SkillKey(product.code, RUSSIAN, Channel.WEB),
            EMAIL_GOAL,
        )
        for product in PRODUCTS
    )
    + (
        QueueSpec(
            "VOICE-VI",
            "Hỗ trợ tiếng Việt: cuộc gọi",
            SkillKey(VIETNAMESE_PRODUCTS[0], VIETNAMESE, Channel.VOICE),
            VOICE_GOAL,
        ),
        QueueSpec(
            "EMAIL-EN",
            "English support: e-mail",
            SkillKey(ENGLISH_PRODUCTS[0], ENGLISH, Channel.EMAIL),
            EMAIL_GOAL,
        ),
    )
)


def _product_team(site_code: str, group_code: str) -> TeamSpec:
    group = _GROUPS[group_code]
    # Phone specialists also answer their products' e-mail when calls are quiet.
    skills = _skills(group.product_codes, RUSSIAN, (Channel.VOICE, Channel.EMAIL))
    return TeamSpec(site_code, group.name, 3, skills)


def _channel_team(site_code: str, name: str, *channels: Channel) -> TeamSpec:
    products = tuple(product.code for product in PRODUCTS)
    return TeamSpec(site_code, name, 2, _skills(products, RUSSIAN, channels))


TEAMS: tuple[TeamSpec, ...] = (
    _product_team("EKB", "BUH"),
    _product_team("EKB", "REP"),
    _product_team("EKB", "EDO"),
    _product_team("EKB", "TRADE"),
    # The e-mail teams also answer web requests: both are written and answered by e-mail.
    _channel_team("EKB", "E-mail", Channel.EMAIL, Channel.WEB),
    _channel_team("EKB", "Чат", Channel.CHAT),
    _product_team("NSK", "BUH"),
    _product_team("NSK", "REP"),
    _product_team("NSK", "TRADE"),
    _channel_team("NSK", "Чат", Channel.CHAT),
    _product_team("MSK", "REP"),
    _product_team("MSK", "EDO"),
    _channel_team("MSK", "E-mail", Channel.EMAIL, Channel.WEB),
    TeamSpec(
        "HCM", "Hỗ trợ tiếng Việt", 3, _skills(VIETNAMESE_PRODUCTS, VIETNAMESE, CONTACT_CHANNELS)
    ),
    TeamSpec(
        "HCM",
        "English support",
        1,
        _skills(ENGLISH_PRODUCTS, ENGLISH, (Channel.VOICE, Channel.EMAIL))
        + _skills(VIETNAMESE_PRODUCTS, VIETNAMESE, (Channel.EMAIL,)),
    ),
    _product_team("KZN", "BUH"),
    _product_team("KZN", "TRADE"),
)

# fmt: off
RUSSIAN_CITIES: tuple[CitySpec, ...] = (
    CitySpec("Москва", "77", 22), CitySpec("Санкт-Петербург", "78", 10),
    CitySpec("Екатеринбург", "66", 8), CitySpec("Новосибирск", "54", 6),
    CitySpec("Казань", "16", 5), CitySpec("Нижний Новгород", "52", 4),
    CitySpec("Челябинск", "74", 4), CitySpec("Самара", "63", 4), CitySpec("Омск", "55", 3),
    CitySpec("Ростов-на-Дону", "61", 4), CitySpec("Уфа", "02", 3),
    CitySpec("Красноярск", "24", 3), CitySpec("Пермь", "59", 3), CitySpec("Воронеж", "36", 3),
    CitySpec("Волгоград", "34", 2), CitySpec("Краснодар", "23", 4), CitySpec("Тюмень", "72", 3),
    CitySpec("Ижевск", "18", 2), CitySpec("Барнаул", "22", 2), CitySpec("Иркутск", "38", 2),
    CitySpec("Хабаровск", "27", 2), CitySpec("Владивосток", "25", 2),
    CitySpec("Ярославль", "76", 2), CitySpec("Томск", "70", 2), CitySpec("Оренбург", "56", 1),
    CitySpec("Кемерово", "42", 1), CitySpec("Рязань", "62", 1),
    CitySpec("Набережные Челны", "16", 1), CitySpec("Пенза", "58", 1),
    CitySpec("Сургут", "86", 2), CitySpec("Нижний Тагил", "66", 1),
    CitySpec("Магнитогорск", "74", 1), CitySpec("Курган", "45", 1),
)
VIETNAMESE_CITIES: tuple[str, ...] = (
    "Thành phố Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Nha Trang",
    "Biên Hòa", "Huế", "Vũng Tàu",
)
# fmt: on

# fmt: off
# Operator codes whose whole 9XX range ``phonenumbers`` accepts as mobile (930-939 is not).
RUSSIAN_MOBILE_CODES: tuple[str, ...] = (
    "900", "901", "902", "903", "904", "905", "906", "908", "909", "912", "913", "914", "915",
    "916", "917", "919", "922", "923", "925", "926", "929", "950", "951", "952", "953", "960",
    "961", "964", "965", "977", "978", "982", "985", "987", "991", "995", "999",
)
# Vietnamese mobile prefixes (nine-digit national numbers) accepted by ``phonenumbers``.
VIETNAMESE_MOBILE_CODES: tuple[str, ...] = (
    "32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82",
    "83", "84", "85", "86", "88", "90", "91", "93", "94", "96", "97", "98",
)
RUSSIAN_MAIL_DOMAINS: tuple[str, ...] = (
    "mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru", "ya.ru",
)
VIETNAMESE_MAIL_DOMAINS: tuple[str, ...] = ("gmail.com", "yahoo.com.vn", "outlook.com")

# Company names are built as «<stem><suffix>», the way small Russian firms name themselves.
COMPANY_STEMS: tuple[str, ...] = (
    "Урал", "Сибирь", "Волга", "Север", "Восток", "Техно", "Агро", "Альфа", "Вектор", "Гранит",
    "Кедр", "Меридиан", "Ресурс", "Стандарт", "Прогресс", "Исток", "Магистраль", "Спектр",
    "Эталон", "Горизонт", "Азимут", "Лидер", "Феникс", "Байкал", "Алтай", "Кама", "Ладога",
)
COMPANY_SUFFIXES: tuple[str, ...] = (
    "", "строй", "торг", "сервис", "снаб", "пром", "логистик", "маркет", "инвест", "энерго",
    "мед", "фарм", "авто", "трейд",
)
# fmt: on
VIETNAMESE_COMPANY_FORMS: tuple[str, ...] = ("Công ty TNHH", "Công ty Cổ phần")
VIETNAMESE_BUSINESS_LINES: tuple[str, ...] = (
    "Thương mại",
    "Dịch vụ",
    "Công nghệ",
    "Xây dựng",
    "Sản xuất",
    "Thương mại Dịch vụ",
)

VULNERABLE_NOTES: tuple[str, ...] = (
    "Пожилой клиент, плохо слышит: говорить медленно и громко",
    "Одинокий пенсионер, звонит часто; при необходимости предложить связь с соцработником",
    "Клиент с нарушением зрения: документы отправлять в крупном шрифте",
    "Клиент в трудной жизненной ситуации, просил не звонить вечером",
)
ABUSIVE_NOTES: tuple[str, ...] = (
    "Грубит операторам; при оскорблениях перевести на супервизора",
    "Звонит, чтобы спорить; разговор ограничить 10 минутами",
    "Угрожал жалобами в соцсетях; все обещания фиксировать письменно",
)

# Passport-style transliteration for demo e-mail addresses; the hard and soft signs vanish.
# fmt: off
CYRILLIC_TO_LATIN: Mapping[str, str] = MappingProxyType({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
})
# fmt: on

# The easy login of each role, printed by the CLI; the first supervisor and the first agent
# get these addresses, the others numbered ones.
ADMIN_LOGIN = f"admin@{DEMO_EMAIL_DOMAIN}"
SUPERVISOR_LOGIN = f"supervisor@{DEMO_EMAIL_DOMAIN}"
PLANNER_LOGIN = f"planner@{DEMO_EMAIL_DOMAIN}"
QUALITY_LOGIN = f"quality@{DEMO_EMAIL_DOMAIN}"
AGENT_LOGIN = f"agent@{DEMO_EMAIL_DOMAIN}"


# --- the core loop's reference data ------------------------------------------------------

# The same two-level reason catalogue for every product: what support lines of accounting
# software hear most (the source documents' "frequent requests analysed and passed on").
WRAP_UP_CATALOGUE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Подключение и настройка",
        ("Установка и вход", "Настройка рабочего места", "Перенос данных"),
    ),
    (
        "Ошибка в программе",
        ("Ошибка при отправке", "Не открывается документ", "Сбой после обновления"),
    ),
    (
        "Консультация по учёту",
        ("Как заполнить форму", "Сроки сдачи отчётности", "Изменения в законодательстве"),
    ),
    ("Договор и оплата", ("Продление лицензии", "Счёт и закрывающие документы", "Смена тарифа")),
    ("Жалоба", ("Долгое ожидание", "Некорректная консультация")),
)

# Standard solutions (the source documents: "courier late → free delivery at another time;
# a defective item → exchange it for a new one and offer a discount voucher"): product,
# problem, remedy, description, absolute maximum and the agent's own limit, in roubles.
DEMO_REMEDIES: tuple[tuple[str, str, str, str, int, int], ...] = (
    (
        "KKT",
        "Курьер опоздал",
        "Бесплатная доставка в другое время",
        "Согласовать с клиентом новое время; доставка за счёт компании.",
        0,
        0,
    ),
    (
        "KKT",
        "Касса оказалась бракованной",
        "Обмен на новую кассу и ваучер на скидку",
        "Обмен по акту; ваучер на скидку при следующей покупке.",
        5000,
        1500,
    ),
    (
        "SIGN",
        "Курьер опоздал",
        "Бесплатная доставка токена в другое время",
        "Новое время доставки носителя подписи без оплаты.",
        0,
        0,
    ),
    (
        "SIGN",
        "Неисправный токен",
        "Замена токена и скидка на продление сертификата",
        "Новый носитель бесплатно; скидка на следующее продление.",
        3000,
        1000,
    ),
    (
        "EDU",
        "Вебинар сорвался по нашей вине",
        "Бесплатное участие в следующем потоке и ваучер",
        "Запись на ближайший поток без оплаты; ваучер на любой курс.",
        2000,
        500,
    ),
)

# The demo telephone exchange: one number per product group, the IVR choice picks the
# product (1 to 4 in the group's order). The key is published, like the demo password.
DEMO_PBX_CODE = "demo-pbx"
DEMO_PBX_SECRET = "frontline-demo-pbx-shared-key"  # noqa: S105 - published demo key
DEMO_DIAL_PLAN: tuple[tuple[str, str, str], ...] = (
    *(
        (f"+7800100000{number}", str(choice), f"VOICE-{product}")
        for number, group in enumerate(PRODUCT_GROUPS, start=1)
        for choice, product in enumerate(group.product_codes, start=1)
    ),
    ("+84281000000", "", "VOICE-VI"),
)
# A caller waiting two minutes may be answered by any phone agent of the product's group.
VOICE_OVERFLOW_SECONDS = 120
