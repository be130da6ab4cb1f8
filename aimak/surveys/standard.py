"""The standard citizen report card, one template per municipal service, in ky, ru and en.

Follows the citizen report card method (World Bank, Social Development Note 91; Public
Affairs Centre, CRC resource kit): a respondent profile, then for each service its
availability and access, quality and reliability, the problems met, complaints and how the
provider responded, payments (official and informal), overall satisfaction, how it changed,
and the priority for improvement. Scales have five points and an off-scale "don't know".

Every template holds the profile group (with the question whether the household uses
*its* service) and one group for its service; combining templates (definition_combine)
gives one form with the profile once and a group per chosen service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .definition import (
    OTHER_VILLAGE,
    VILLAGES_LIST,
    YES_NO_LIST,
    Choice,
    ChoiceList,
    Definition,
    Group,
    Question,
    QuestionType,
    Text,
)

PROFILE = "profile"
T = tuple[str, str, str]  # ky, ru, en


def text(t: T) -> Text:
    return Text(ky=t[0], ru=t[1], en=t[2])


def choices(name: str, items: list[tuple[str, T]]) -> ChoiceList:
    return ChoiceList(name=name, choices=[Choice(name=n, label=text(t)) for n, t in items])


DK: tuple[str, T] = ("dk", ("Айтууга кыйын", "Затрудняюсь ответить", "Don't know"))
OTHER: tuple[str, T] = ("other", ("Башка", "Другое", "Other"))
NONE_EXCLUSIVE = "not(selected(., 'none') and count-selected(.) > 1)"
NONE_MESSAGE: T = (
    "«Булардын бири да эмес» деген жоопту башка жооптор менен бирге тандоого болбойт.",
    "Вариант «Ничего из перечисленного» нельзя выбирать вместе с другими.",
    "“None of these” cannot be chosen together with other answers.",
)
NO_PROBLEM_MESSAGE: T = (
    "«Эч кандай көйгөй болгон жок» деген жоопту башка жооптор менен бирге тандоого болбойт.",
    "Вариант «Проблем не было» нельзя выбирать вместе с другими.",
    "“No problems” cannot be chosen together with other answers.",
)

COMMON_LISTS = [
    choices(YES_NO_LIST, [("yes", ("Ооба", "Да", "Yes")), ("no", ("Жок", "Нет", "No"))]),
    choices(
        "yes_no_dk",
        [
            ("yes", ("Ооба", "Да", "Yes")),
            ("no", ("Жок", "Нет", "No")),
            ("dk", ("Билбейм", "Не знаю", "Don't know")),
        ],
    ),
    choices(
        "yes_no_refuse",
        [
            ("yes", ("Ооба", "Да", "Yes")),
            ("no", ("Жок", "Нет", "No")),
            ("refuse", ("Жооп бергим келбейт", "Предпочитаю не отвечать", "Prefer not to say")),
        ],
    ),
    choices(
        "sex", [("female", ("Аял", "Женский", "Female")), ("male", ("Эркек", "Мужской", "Male"))]
    ),
    choices(
        "age_group",
        [
            ("18_29", ("18–29 жаш", "18–29 лет", "18–29")),
            ("30_44", ("30–44 жаш", "30–44 года", "30–44")),
            ("45_59", ("45–59 жаш", "45–59 лет", "45–59")),
            ("60_plus", ("60 жана андан улуу", "60 лет и старше", "60 and older")),
        ],
    ),
    choices(
        "vulnerable",
        [
            (
                "disability",
                ("Майыптыгы бар адам", "Человек с инвалидностью", "A person with a disability"),
            ),
            ("pensioner", ("Пенсионер", "Пенсионер", "A pensioner")),
            (
                "many_children",
                ("Көп балалуу үй-бүлө", "Многодетная семья", "A family with many children"),
            ),
            (
                "low_income",
                ("Аз камсыз болгон үй-бүлө", "Малообеспеченная семья", "A low-income family"),
            ),
            (
                "single_parent",
                ("Баласын жалгыз баккан ата же эне", "Родитель-одиночка", "A single parent"),
            ),
            (
                "migrant",
                (
                    "Эмгек мигрантынын үй-бүлөсү",
                    "Семья трудового мигранта",
                    "A labour migrant's family",
                ),
            ),
            ("none", ("Булардын бири да эмес", "Ничего из перечисленного", "None of these")),
        ],
    ),
    choices(
        VILLAGES_LIST,
        [(OTHER_VILLAGE, ("Башка калктуу конуш", "Другой населённый пункт", "Another settlement"))],
    ),
    choices(
        "sat5",
        [
            ("1", ("Такыр канааттанбайм", "Совсем не удовлетворён(а)", "Very dissatisfied")),
            ("2", ("Канааттанбайм", "Скорее не удовлетворён(а)", "Dissatisfied")),
            ("3", ("Орточо", "И да, и нет", "Neither satisfied nor dissatisfied")),
            ("4", ("Канааттанам", "Скорее удовлетворён(а)", "Satisfied")),
            ("5", ("Толук канааттанам", "Полностью удовлетворён(а)", "Very satisfied")),
            DK,
        ],
    ),
    choices(
        "quality5",
        [
            ("1", ("Өтө начар", "Очень плохо", "Very poor")),
            ("2", ("Начар", "Плохо", "Poor")),
            ("3", ("Орточо", "Удовлетворительно", "Fair")),
            ("4", ("Жакшы", "Хорошо", "Good")),
            ("5", ("Өтө жакшы", "Очень хорошо", "Very good")),
            DK,
        ],
    ),
    choices(
        "ease5",
        [
            ("1", ("Өтө кыйын", "Очень трудно", "Very difficult")),
            ("2", ("Кыйын", "Скорее трудно", "Difficult")),
            ("3", ("Орточо", "Ни трудно, ни легко", "Neither difficult nor easy")),
            ("4", ("Оңой", "Скорее легко", "Easy")),
            ("5", ("Өтө оңой", "Очень легко", "Very easy")),
            DK,
        ],
    ),
    choices(
        "complaint_to",
        [
            ("provider", ("Кызмат көрсөтүүчүгө", "К поставщику услуги", "The service provider")),
            (
                "lsg",
                (
                    "Айыл өкмөтүнө же мэрияга",
                    "В айыл окмоту или мэрию",
                    "The ayil okmotu or town hall",
                ),
            ),
            (
                "deputy",
                (
                    "Жергиликтүү кеңештин депутатына",
                    "Депутату местного кенеша",
                    "A local council deputy",
                ),
            ),
            ("elsewhere", ("Башка жакка", "В другое место", "Elsewhere")),
        ],
    ),
    choices(
        "response",
        [
            ("solved", ("Маселе чечилди", "Проблему решили", "The problem was solved")),
            ("partly", ("Жарым-жартылай чечилди", "Решили частично", "It was partly solved")),
            (
                "promised",
                (
                    "Убада беришти, бирок эч нерсе жасалган жок",
                    "Обещали, но ничего не сделали",
                    "They promised but did nothing",
                ),
            ),
            (
                "waiting",
                (
                    "Азырынча жооп күтүп жатам",
                    "Пока жду ответа",
                    "I am still waiting for an answer",
                ),
            ),
            (
                "ignored",
                (
                    "Эч кандай жооп болгон жок",
                    "Никакой реакции не было",
                    "There was no response at all",
                ),
            ),
        ],
    ),
    choices(
        "no_complaint",
        [
            ("no_problem", ("Көйгөй болгон жок", "Проблем не было", "There were no problems")),
            (
                "useless",
                ("Пайдасы жок деп ойлойм", "Считаю, что это бесполезно", "I think it is useless"),
            ),
            (
                "where",
                (
                    "Кайда кайрыларын билбейм",
                    "Не знаю, куда обращаться",
                    "I don't know where to turn",
                ),
            ),
            ("time", ("Убактым жок", "Нет времени", "I have no time")),
            (
                "fear",
                ("Кесепетинен корком", "Опасаюсь последствий", "I am afraid of the consequences"),
            ),
            OTHER,
        ],
    ),
    choices(
        "trend",
        [
            ("better", ("Жакшырды", "Улучшилась", "It got better")),
            ("same", ("Өзгөргөн жок", "Не изменилась", "It stayed the same")),
            ("worse", ("Начарлады", "Ухудшилась", "It got worse")),
            DK,
        ],
    ),
    choices(
        "visit_freq",
        [
            (
                "weekly",
                ("Жумасына бир жолу же андан көп", "Раз в неделю или чаще", "Once a week or more"),
            ),
            ("monthly", ("Айына бир нече жолу", "Несколько раз в месяц", "Several times a month")),
            ("yearly", ("Жылына бир нече жолу", "Несколько раз в год", "Several times a year")),
            (
                "rarely",
                ("Жылына бир жолу же андан сейрек", "Раз в год или реже", "Once a year or less"),
            ),
        ],
    ),
]


def q(
    name: str,
    qtype: QuestionType,
    label: T,
    *,
    list_name: str = "",
    required: bool = True,
    relevant: str = "",
    constraint: str = "",
    message: T | None = None,
    hint: T | None = None,
) -> Question:
    fixed = {QuestionType.YES_NO: YES_NO_LIST, QuestionType.VILLAGE: VILLAGES_LIST}
    return Question(
        name=name,
        type=qtype,
        label=text(label),
        list_name=fixed.get(qtype, list_name),
        required=required,
        relevant=relevant,
        constraint=constraint,
        constraint_message=text(message) if message else Text(),
        hint=text(hint) if hint else Text(),
    )


CONSENTED = "${consent} = 'yes'"


def profile_questions() -> list[Question]:
    return [
        q(
            "consent",
            QuestionType.YES_NO,
            (
                "Сурамжылоого катышууга макулсузбу?",
                "Согласны ли вы принять участие в опросе?",
                "Do you agree to take part in the survey?",
            ),
            hint=(
                "Саламатсызбы! Жергиликтүү өз алдынча башкаруу органы кызматтардын сапатын "
                "жакшыртуу үчүн тургундардын пикирин сурап жатат. Сурамжылоо 15–20 мүнөткө "
                "созулат. Жоопторуңуз жашыруун сакталат жана жалпыланган түрдө гана колдонулат.",
                "Здравствуйте! Орган местного самоуправления изучает мнение жителей, чтобы "
                "улучшить качество услуг. Опрос займёт 15–20 минут. Ваши ответы "
                "конфиденциальны и будут использованы только в обобщённом виде.",
                "Hello! Your local government is asking residents' views in order to improve "
                "its services. The survey takes 15–20 minutes. Your answers are confidential "
                "and will only be used in aggregate.",
            ),
        ),
        q(
            "sex",
            QuestionType.SELECT_ONE,
            (
                "Респонденттин жынысы",
                "Пол респондента",
                "Respondent's sex",
            ),
            list_name="sex",
            relevant=CONSENTED,
        ),
        q(
            "age_group",
            QuestionType.SELECT_ONE,
            (
                "Сиз канча жаштасыз?",
                "Сколько вам лет?",
                "How old are you?",
            ),
            list_name="age_group",
            relevant=CONSENTED,
        ),
        q(
            "village",
            QuestionType.VILLAGE,
            (
                "Кайсы айылда жашайсыз?",
                "В каком селе вы живёте?",
                "Which village do you live in?",
            ),
            relevant=CONSENTED,
        ),
        q(
            "household_size",
            QuestionType.INTEGER,
            (
                "Үй-бүлөңүздө өзүңүздү кошо алганда канча адам жашайт?",
                "Сколько человек живёт в вашем домохозяйстве, включая вас?",
                "How many people live in your household, including you?",
            ),
            relevant=CONSENTED,
            constraint=". >= 1 and . <= 30",
            message=(
                "1ден 30га чейинки санды жазыңыз.",
                "Введите число от 1 до 30.",
                "Enter a number from 1 to 30.",
            ),
        ),
        q(
            "vulnerable",
            QuestionType.SELECT_MULTIPLE,
            (
                "Сиздин үй-бүлөңүз төмөнкү топтордун бирине киреби? Тиешелүүлөрүнүн баарын "
                "белгилеңиз.",
                "Относится ли ваше домохозяйство к одной из следующих групп? Отметьте все "
                "подходящие варианты.",
                "Does your household belong to any of the following groups? Mark all that apply.",
            ),
            list_name="vulnerable",
            relevant=CONSENTED,
            constraint=NONE_EXCLUSIVE,
            message=NONE_MESSAGE,
        ),
    ]


@dataclass(frozen=True)
class ServiceSpec:
    slug: str
    prefix: str
    name: T
    uses: T
    availability: Question
    quality: T
    reliability: T
    problems: list[tuple[str, T]]
    priorities: list[tuple[str, T]]
    paid: bool
    extra_lists: list[ChoiceList] = field(default_factory=list)


def avail(
    prefix: str,
    qtype: QuestionType,
    label: T,
    *,
    list_name: str = "",
    constraint: str = "",
    message: T | None = None,
) -> Question:
    return q(
        f"{prefix}_availability",
        qtype,
        label,
        list_name=list_name,
        constraint=constraint,
        message=message,
    )


SERVICES: list[ServiceSpec] = [
    ServiceSpec(
        slug="drinking-water",
        prefix="water",
        name=("Ичүүчү суу менен камсыздоо", "Питьевое водоснабжение", "Drinking water supply"),
        uses=(
            "Сиздин үй-бүлөңүз борборлоштурулган ичүүчү суу түтүгүн (үйдөгү, короодогу же "
            "көчөдөгү кранды) колдонобу?",
            "Пользуется ли ваше домохозяйство централизованным питьевым водоснабжением "
            "(кран в доме, во дворе или уличная колонка)?",
            "Does your household use the piped drinking water supply (a tap in the house or "
            "yard, or a street standpipe)?",
        ),
        availability=avail(
            "water",
            QuestionType.INTEGER,
            (
                "Акыркы айда суу күнүнө орточо канча саат берилди?",
                "Сколько часов в сутки в среднем подавалась вода в последний месяц?",
                "On average, for how many hours a day was water supplied in the last month?",
            ),
            constraint=". >= 0 and . <= 24",
            message=(
                "0дөн 24кө чейинки санды жазыңыз.",
                "Введите число от 0 до 24.",
                "Enter a number from 0 to 24.",
            ),
        ),
        quality=(
            "Ичүүчү суунун сапатын (даамын, түсүн, жытын) кандай баалайсыз?",
            "Как вы оцениваете качество питьевой воды (вкус, цвет, запах)?",
            "How do you rate the quality of the drinking water (taste, colour, smell)?",
        ),
        reliability=(
            "Суунун үзгүлтүксүз берилишин кандай баалайсыз?",
            "Как вы оцениваете бесперебойность подачи воды?",
            "How do you rate the regularity of the water supply?",
        ),
        problems=[
            (
                "interruptions",
                (
                    "Суу көп үзгүлтүккө учурайт",
                    "Частые перебои с подачей воды",
                    "Frequent interruptions of supply",
                ),
            ),
            ("low_pressure", ("Суунун басымы начар", "Слабый напор воды", "Low water pressure")),
            (
                "dirty",
                (
                    "Суу лай же жыты бар",
                    "Вода мутная или с запахом",
                    "The water is muddy or smells",
                ),
            ),
            (
                "far_tap",
                (
                    "Кран же колонка алыс жайгашкан",
                    "Кран или колонка далеко",
                    "The tap or standpipe is far away",
                ),
            ),
            (
                "leaks",
                (
                    "Түтүктөр эскирип, суу агып кетет",
                    "Трубы изношены, есть утечки",
                    "The pipes are worn out and leak",
                ),
            ),
            (
                "no_notice",
                (
                    "Суу өчүрүлөрү тууралуу алдын ала кабарлашпайт",
                    "Об отключениях не предупреждают заранее",
                    "Cuts are not announced in advance",
                ),
            ),
        ],
        priorities=[
            (
                "more_hours",
                (
                    "Суу берүү убактысын көбөйтүү",
                    "Увеличить время подачи воды",
                    "Supply water for more hours",
                ),
            ),
            (
                "quality",
                ("Суунун сапатын жакшыртуу", "Улучшить качество воды", "Improve the water quality"),
            ),
            (
                "pipes",
                (
                    "Эскирген түтүктөрдү алмаштыруу",
                    "Заменить изношенные трубы",
                    "Replace worn-out pipes",
                ),
            ),
            (
                "connections",
                (
                    "Жаңы көчөлөрдү жана үйлөрдү суу түтүгүнө туташтыруу",
                    "Подключить к водопроводу новые улицы и дома",
                    "Connect new streets and houses",
                ),
            ),
            (
                "transparency",
                (
                    "Тарифти жана төлөмдөрдү ачык кылуу",
                    "Сделать тариф и оплату прозрачными",
                    "Make the tariff and payments transparent",
                ),
            ),
        ],
        paid=True,
    ),
    ServiceSpec(
        slug="solid-waste",
        prefix="waste",
        name=("Таштанды чогултуу жана чыгаруу", "Сбор и вывоз ТБО", "Solid waste collection"),
        uses=(
            "Сиздин үй-бүлөңүздүн таштандысын таштанды чыгаруучу кызмат алып кетеби?",
            "Вывозит ли служба по вывозу мусора бытовые отходы вашего домохозяйства?",
            "Does a waste collection service take away your household's rubbish?",
        ),
        availability=avail(
            "waste",
            QuestionType.SELECT_ONE,
            (
                "Таштанды сиздин көчөдөн канча жолу чыгарылат?",
                "Как часто вывозят мусор с вашей улицы?",
                "How often is rubbish collected from your street?",
            ),
            list_name="waste_frequency",
        ),
        quality=(
            "Таштанды чогултуу жана чыгаруу кызматынын сапатын кандай баалайсыз?",
            "Как вы оцениваете качество сбора и вывоза мусора?",
            "How do you rate the quality of waste collection?",
        ),
        reliability=(
            "Таштанды графикке ылайык чыгарылышын кандай баалайсыз?",
            "Как вы оцениваете соблюдение графика вывоза мусора?",
            "How do you rate how well the collection schedule is kept?",
        ),
        problems=[
            (
                "missed",
                (
                    "Таштанды убагында чыгарылбайт",
                    "Мусор не вывозят вовремя",
                    "Rubbish is not collected on time",
                ),
            ),
            (
                "containers",
                (
                    "Контейнерлер же таштанды аянтчалары жетишсиз",
                    "Не хватает контейнеров или площадок",
                    "Not enough containers or collection points",
                ),
            ),
            (
                "dumps",
                (
                    "Уруксатсыз таштанды төгүлгөн жерлер бар",
                    "Есть стихийные свалки",
                    "There are illegal dumps",
                ),
            ),
            ("burning", ("Таштандыны өрттөшөт", "Мусор сжигают", "Rubbish is burnt")),
            (
                "schedule",
                (
                    "Чыгаруу графиги белгисиз",
                    "График вывоза неизвестен",
                    "The collection schedule is not known",
                ),
            ),
            (
                "mess",
                (
                    "Таштанды чыгарылгандан кийин тазаланбай калат",
                    "После вывоза остаётся грязь",
                    "Collectors leave a mess behind",
                ),
            ),
        ],
        priorities=[
            (
                "regular",
                (
                    "Таштандыны үзгүлтүксүз чыгарууну камсыз кылуу",
                    "Обеспечить регулярный вывоз",
                    "Ensure regular collection",
                ),
            ),
            (
                "containers",
                (
                    "Контейнерлерди жана аянтчаларды көбөйтүү",
                    "Больше контейнеров и площадок",
                    "More containers and collection points",
                ),
            ),
            (
                "dumps",
                (
                    "Уруксатсыз таштанды төгүлгөн жерлерди жоюу",
                    "Ликвидировать стихийные свалки",
                    "Clear the illegal dumps",
                ),
            ),
            (
                "coverage",
                (
                    "Бардык көчөлөрдү кызмат менен камтуу",
                    "Охватить все улицы",
                    "Cover every street",
                ),
            ),
            (
                "sorting",
                (
                    "Таштандыны бөлүп чогултууну киргизүү",
                    "Ввести раздельный сбор",
                    "Introduce separate collection",
                ),
            ),
        ],
        paid=True,
        extra_lists=[
            choices(
                "waste_frequency",
                [
                    (
                        "more_weekly",
                        ("Жумасына бир жолудан көп", "Чаще раза в неделю", "More than once a week"),
                    ),
                    ("weekly", ("Жумасына бир жолу", "Раз в неделю", "Once a week")),
                    (
                        "fortnightly",
                        ("Эки жумада бир жолу", "Раз в две недели", "Once every two weeks"),
                    ),
                    (
                        "monthly",
                        (
                            "Айына бир жолу же андан сейрек",
                            "Раз в месяц или реже",
                            "Once a month or less often",
                        ),
                    ),
                    (
                        "irregular",
                        (
                            "Белгилүү бир графиги жок",
                            "Без определённого графика",
                            "No fixed schedule",
                        ),
                    ),
                ],
            )
        ],
    ),
    ServiceSpec(
        slug="street-lighting",
        prefix="light",
        name=("Көчө жарыгы", "Уличное освещение", "Street lighting"),
        uses=(
            "Сиз жашаган көчөдө көчө жарыгы орнотулганбы?",
            "Есть ли уличное освещение на вашей улице?",
            "Is there street lighting on your street?",
        ),
        availability=avail(
            "light",
            QuestionType.SELECT_ONE,
            (
                "Караңгы түшкөндө көчөңүздөгү шамдардын канчасы күйөт?",
                "Сколько фонарей на вашей улице горит в тёмное время суток?",
                "How many street lights on your street work after dark?",
            ),
            list_name="light_working",
        ),
        quality=(
            "Көчөңүз канчалык жакшы жарыктандырылганын кандай баалайсыз?",
            "Как вы оцениваете освещённость вашей улицы?",
            "How do you rate how well your street is lit?",
        ),
        reliability=(
            "Көчө жарыгынын үзгүлтүксүз иштешин кандай баалайсыз?",
            "Как вы оцениваете бесперебойность работы уличного освещения?",
            "How do you rate the reliability of the street lighting?",
        ),
        problems=[
            (
                "broken",
                (
                    "Бузулган шамдар узак убакыт оңдолбойт",
                    "Сломанные фонари долго не ремонтируют",
                    "Broken lights stay unrepaired for a long time",
                ),
            ),
            (
                "dark_spots",
                (
                    "Жарыгы жок көчөлөр же участоктор бар",
                    "Есть неосвещённые улицы или участки",
                    "Some streets or stretches are unlit",
                ),
            ),
            (
                "schedule",
                (
                    "Шамдар кеч күйүп, эрте өчөт",
                    "Фонари включают поздно и выключают рано",
                    "Lights go on late and off early",
                ),
            ),
            (
                "daytime",
                (
                    "Шамдар күндүз да күйүп турат",
                    "Фонари горят днём",
                    "Lights stay on during the day",
                ),
            ),
            (
                "unsafe",
                (
                    "Мамылар же зымдар коркунучтуу абалда",
                    "Столбы или провода в опасном состоянии",
                    "Poles or wires are in a dangerous state",
                ),
            ),
        ],
        priorities=[
            (
                "repair",
                (
                    "Бузулган шамдарды оңдоо",
                    "Отремонтировать сломанные фонари",
                    "Repair broken lights",
                ),
            ),
            (
                "extend",
                (
                    "Жарыгы жок көчөлөргө жарык орнотуу",
                    "Осветить неосвещённые улицы",
                    "Light the unlit streets",
                ),
            ),
            (
                "saving",
                (
                    "Энергияны үнөмдөөчү шамдарга өтүү",
                    "Перейти на энергосберегающие светильники",
                    "Switch to energy-saving lamps",
                ),
            ),
            (
                "safe_routes",
                (
                    "Мектептерге жана аялдамаларга баруучу жолдорду жарыктандыруу",
                    "Осветить подходы к школам и остановкам",
                    "Light the way to schools and bus stops",
                ),
            ),
            (
                "schedule",
                (
                    "Күйгүзүү жана өчүрүү убактысын тууралоо",
                    "Наладить график включения",
                    "Fix the on and off times",
                ),
            ),
        ],
        paid=False,
        extra_lists=[
            choices(
                "light_working",
                [
                    (
                        "all",
                        (
                            "Дээрлик бардык шамдар күйөт",
                            "Горят почти все фонари",
                            "Nearly all of them",
                        ),
                    ),
                    ("most", ("Көпчүлүгү күйөт", "Горит большинство", "Most of them")),
                    ("few", ("Бир нечеси гана күйөт", "Горят лишь некоторые", "Only a few")),
                    ("none", ("Бири да күйбөйт", "Не горит ни один", "None")),
                ],
            )
        ],
    ),
    ServiceSpec(
        slug="local-roads",
        prefix="roads",
        name=("Жергиликтүү жолдор", "Местные дороги", "Local roads"),
        uses=(
            "Сиз айылдын ички жолдорун жана көчөлөрүн үзгүлтүксүз колдоносузбу?",
            "Пользуетесь ли вы регулярно местными дорогами и улицами села?",
            "Do you regularly use the local roads and streets of your village?",
        ),
        availability=avail(
            "roads",
            QuestionType.SELECT_ONE,
            (
                "Жылдын каалаган мезгилинде үйүңүзгө унаа менен жетүүгө болобу?",
                "Можно ли в любое время года подъехать к вашему дому на машине?",
                "Can a car reach your house at any time of the year?",
            ),
            list_name="roads_access",
        ),
        quality=(
            "Көчөңүздөгү жолдун абалын кандай баалайсыз?",
            "Как вы оцениваете состояние дороги на вашей улице?",
            "How do you rate the condition of the road on your street?",
        ),
        reliability=(
            "Жолдордун күтүлүшүн (чуңкурларды оңдоо, кардан тазалоо) кандай баалайсыз?",
            "Как вы оцениваете содержание дорог (ямочный ремонт, очистка от снега)?",
            "How do you rate road maintenance (pothole repair, snow clearing)?",
        ),
        problems=[
            ("potholes", ("Жолдо чуңкурлар көп", "Много ям на дороге", "Many potholes")),
            ("mud", ("Жаан-чачында баткак болот", "В непогоду грязь", "Mud in bad weather")),
            ("dust", ("Чаң көп", "Много пыли", "A lot of dust")),
            (
                "drainage",
                ("Суу агуучу арыктар жок", "Нет водоотводных арыков", "No drainage ditches"),
            ),
            (
                "snow",
                (
                    "Кышында кар тазаланбайт",
                    "Зимой не чистят снег",
                    "Snow is not cleared in winter",
                ),
            ),
            (
                "sidewalks",
                (
                    "Жөө жүргүнчүлөр үчүн тротуар жок",
                    "Нет тротуаров",
                    "No pavements for pedestrians",
                ),
            ),
        ],
        priorities=[
            ("repair", ("Жолдорду оңдоо", "Отремонтировать дороги", "Repair the roads")),
            (
                "surface",
                (
                    "Шагыл төшөө же асфальттоо",
                    "Отсыпать гравием или заасфальтировать",
                    "Lay gravel or asphalt",
                ),
            ),
            (
                "drainage",
                (
                    "Суу агуучу арыктарды казуу",
                    "Сделать водоотводные арыки",
                    "Dig drainage ditches",
                ),
            ),
            (
                "snow",
                ("Кардан үзгүлтүксүз тазалоо", "Регулярно чистить снег", "Clear snow regularly"),
            ),
            (
                "sidewalks",
                (
                    "Тротуарларды жана жөө жүргүнчүлөр өткөөлдөрүн куруу",
                    "Построить тротуары и пешеходные переходы",
                    "Build pavements and crossings",
                ),
            ),
        ],
        paid=False,
        extra_lists=[
            choices(
                "roads_access",
                [
                    ("always", ("Ар дайым", "Всегда", "Always")),
                    (
                        "mostly",
                        (
                            "Көбүнчө, бирок жаан-чачында кыйын",
                            "Чаще всего, но в непогоду трудно",
                            "Mostly, but it is hard in bad weather",
                        ),
                    ),
                    (
                        "often_not",
                        ("Көп учурда кыйын", "Часто затруднено", "It is often difficult"),
                    ),
                    ("never", ("Дээрлик мүмкүн эмес", "Практически невозможно", "Almost never")),
                ],
            )
        ],
    ),
    ServiceSpec(
        slug="kindergartens",
        prefix="kinder",
        name=("Бала бакчалар", "Детские сады", "Kindergartens"),
        uses=(
            "Сиздин үй-бүлөңүздөгү балдардын бирөөсү бала бакчага барабы?",
            "Посещает ли кто-то из детей вашей семьи детский сад?",
            "Does a child of your household attend a kindergarten?",
        ),
        availability=avail(
            "kinder",
            QuestionType.SELECT_ONE,
            (
                "Балаңызды бала бакчага орноштуруу канча убакытты алды?",
                "Сколько времени заняло устройство ребёнка в детский сад?",
                "How long did it take to get a place in the kindergarten?",
            ),
            list_name="kinder_wait",
        ),
        quality=(
            "Бала бакчадагы тарбиянын жана тамактануунун сапатын кандай баалайсыз?",
            "Как вы оцениваете качество воспитания и питания в детском саду?",
            "How do you rate the quality of care and meals at the kindergarten?",
        ),
        reliability=(
            "Бала бакчанын имаратынын абалын (жылуулук, суу, даараткана) кандай баалайсыз?",
            "Как вы оцениваете состояние здания детского сада (отопление, вода, туалеты)?",
            "How do you rate the state of the kindergarten building (heating, water, toilets)?",
        ),
        problems=[
            ("places", ("Орун жетишсиз", "Не хватает мест", "Not enough places")),
            (
                "crowded",
                ("Топтордо балдар өтө көп", "Группы переполнены", "Groups are overcrowded"),
            ),
            ("cold", ("Кышында суук", "Зимой холодно", "It is cold in winter")),
            ("meals", ("Тамак-аш начар", "Плохое питание", "Poor meals")),
            ("far", ("Бала бакча алыс", "Детский сад далеко", "The kindergarten is far away")),
            (
                "sanitation",
                (
                    "Даараткана жана суу начар абалда",
                    "Плохие туалеты и водоснабжение",
                    "Poor toilets and water",
                ),
            ),
        ],
        priorities=[
            ("places", ("Жаңы орундарды ачуу", "Открыть новые места", "Open more places")),
            ("building", ("Имаратты оңдоо", "Отремонтировать здание", "Repair the building")),
            ("meals", ("Тамактанууну жакшыртуу", "Улучшить питание", "Improve the meals")),
            ("staff", ("Тарбиячылардын санын көбөйтүү", "Больше воспитателей", "More teachers")),
            (
                "fees",
                (
                    "Төлөмдөрдү азайтуу же ачык кылуу",
                    "Снизить оплату или сделать её прозрачной",
                    "Lower the fees or make them transparent",
                ),
            ),
        ],
        paid=True,
        extra_lists=[
            choices(
                "kinder_wait",
                [
                    ("at_once", ("Дароо эле орноштурдук", "Сразу", "Straight away")),
                    ("under_6m", ("Алты айга чейин", "До полугода", "Less than six months")),
                    (
                        "under_1y",
                        (
                            "Алты айдан бир жылга чейин",
                            "От полугода до года",
                            "Six months to a year",
                        ),
                    ),
                    ("over_1y", ("Бир жылдан ашык", "Больше года", "More than a year")),
                    DK,
                ],
            )
        ],
    ),
    ServiceSpec(
        slug="culture",
        prefix="culture",
        name=(
            "Маданият (маданият үйү, китепкана)",
            "Культура (дом культуры, библиотека)",
            "Culture (culture house, library)",
        ),
        uses=(
            "Акыркы бир жылда сиз же үй-бүлөңүздүн мүчөлөрү маданият үйүнө же "
            "китепканага бардыңыздарбы?",
            "Посещали ли вы или члены вашей семьи дом культуры или библиотеку за последний год?",
            "In the last year, have you or members of your household visited the culture "
            "house or library?",
        ),
        availability=avail(
            "culture",
            QuestionType.SELECT_ONE,
            (
                "Маданият үйүнө же китепканага канчалык көп барасыз?",
                "Как часто вы посещаете дом культуры или библиотеку?",
                "How often do you visit the culture house or library?",
            ),
            list_name="visit_freq",
        ),
        quality=(
            "Маданий иш-чаралардын жана ийримдердин сапатын кандай баалайсыз?",
            "Как вы оцениваете качество культурных мероприятий и кружков?",
            "How do you rate the quality of cultural events and clubs?",
        ),
        reliability=(
            "Маданият үйүнүн же китепкананын имаратынын жана жабдууларынын абалын "
            "кандай баалайсыз?",
            "Как вы оцениваете состояние здания и оборудования дома культуры или библиотеки?",
            "How do you rate the state of the building and equipment of the culture "
            "house or library?",
        ),
        problems=[
            (
                "building",
                (
                    "Имарат начар абалда",
                    "Здание в плохом состоянии",
                    "The building is in poor repair",
                ),
            ),
            (
                "cold",
                ("Кышында жылытылбайт", "Зимой не отапливается", "It is not heated in winter"),
            ),
            ("few_events", ("Иш-чаралар аз өткөрүлөт", "Мероприятий мало", "There are few events")),
            (
                "no_clubs",
                (
                    "Балдар жана жаштар үчүн ийримдер жок",
                    "Нет кружков для детей и молодёжи",
                    "No clubs for children and young people",
                ),
            ),
            ("old_books", ("Китептер эскирген", "Книги устарели", "The books are out of date")),
            (
                "hours",
                (
                    "Иштөө убактысы ыңгайсыз",
                    "Неудобный график работы",
                    "Inconvenient opening hours",
                ),
            ),
        ],
        priorities=[
            ("repair", ("Имаратты оңдоо", "Отремонтировать здание", "Repair the building")),
            (
                "clubs",
                (
                    "Балдар жана жаштар үчүн ийримдерди ачуу",
                    "Открыть кружки для детей и молодёжи",
                    "Open clubs for children and young people",
                ),
            ),
            (
                "events",
                ("Иш-чараларды көбөйтүү", "Проводить больше мероприятий", "Hold more events"),
            ),
            (
                "books",
                ("Китеп корун жаңылоо", "Обновить книжный фонд", "Renew the book collection"),
            ),
            (
                "internet",
                (
                    "Интернет жана компьютер менен камсыз кылуу",
                    "Обеспечить интернет и компьютеры",
                    "Provide internet and computers",
                ),
            ),
        ],
        paid=False,
    ),
    ServiceSpec(
        slug="sport",
        prefix="sport",
        name=("Дене тарбия жана спорт", "Физкультура и спорт", "Sport"),
        uses=(
            "Акыркы бир жылда сиз же үй-бүлөңүздүн мүчөлөрү айылдын спорт аянтчаларын же "
            "спорт залын колдондуңуздарбы?",
            "Пользовались ли вы или члены вашей семьи спортивными площадками или "
            "спортзалом села за последний год?",
            "In the last year, have you or members of your household used the village's "
            "sports grounds or gym?",
        ),
        availability=avail(
            "sport",
            QuestionType.SELECT_ONE,
            (
                "Спорт аянтчаларын же залды канчалык көп колдоносуз?",
                "Как часто вы пользуетесь спортивными площадками или залом?",
                "How often do you use the sports grounds or gym?",
            ),
            list_name="visit_freq",
        ),
        quality=(
            "Спорт аянтчаларынын жана спорт шаймандарынын абалын кандай баалайсыз?",
            "Как вы оцениваете состояние спортивных площадок и инвентаря?",
            "How do you rate the state of the sports grounds and equipment?",
        ),
        reliability=(
            "Спорт секцияларынын жана мелдештердин уюштурулушун кандай баалайсыз?",
            "Как вы оцениваете организацию спортивных секций и соревнований?",
            "How do you rate the organisation of sports sections and competitions?",
        ),
        problems=[
            (
                "no_grounds",
                ("Спорт аянтчалары жок же аз", "Площадок нет или мало", "Few or no sports grounds"),
            ),
            (
                "equipment",
                ("Спорт шаймандары бузулган", "Инвентарь сломан", "The equipment is broken"),
            ),
            ("coaches", ("Машыктыруучулар жок", "Нет тренеров", "No coaches")),
            (
                "women",
                (
                    "Кыздар жана аялдар үчүн секциялар жок",
                    "Нет секций для девочек и женщин",
                    "No sections for girls and women",
                ),
            ),
            ("cost", ("Секциялар кымбат", "Секции дорогие", "The sections are expensive")),
            (
                "far",
                (
                    "Спорт жайлары алыс",
                    "Спортивные объекты далеко",
                    "The sports facilities are far away",
                ),
            ),
        ],
        priorities=[
            (
                "grounds",
                (
                    "Жаңы спорт аянтчаларын куруу",
                    "Построить новые площадки",
                    "Build new sports grounds",
                ),
            ),
            ("equipment", ("Спорт шаймандарын сатып алуу", "Закупить инвентарь", "Buy equipment")),
            ("coaches", ("Машыктыруучуларды тартуу", "Привлечь тренеров", "Bring in coaches")),
            (
                "women",
                (
                    "Кыздар жана аялдар үчүн секцияларды ачуу",
                    "Открыть секции для девочек и женщин",
                    "Open sections for girls and women",
                ),
            ),
            (
                "competitions",
                (
                    "Мелдештерди көбүрөөк өткөрүү",
                    "Проводить больше соревнований",
                    "Hold more competitions",
                ),
            ),
        ],
        paid=False,
    ),
    ServiceSpec(
        slug="cemeteries",
        prefix="cemetery",
        name=("Көрүстөндөрдү күтүү", "Содержание кладбищ", "Cemeteries"),
        uses=(
            "Акыркы бир жылда сиз же үй-бүлөңүздүн мүчөлөрү айылдын көрүстөнүнө бардыңыздарбы?",
            "Посещали ли вы или члены вашей семьи кладбище села за последний год?",
            "In the last year, have you or members of your household visited the village cemetery?",
        ),
        availability=avail(
            "cemetery",
            QuestionType.SELECT_ONE,
            (
                "Көрүстөн тосулганбы?",
                "Огорожено ли кладбище?",
                "Is the cemetery fenced?",
            ),
            list_name="yes_no_dk",
        ),
        quality=(
            "Көрүстөндүн тазалыгын жана күтүлүшүн кандай баалайсыз?",
            "Как вы оцениваете чистоту и содержание кладбища?",
            "How do you rate the cleanliness and upkeep of the cemetery?",
        ),
        reliability=(
            "Көрүстөнгө баруучу жолдун абалын кандай баалайсыз?",
            "Как вы оцениваете состояние дороги к кладбищу?",
            "How do you rate the state of the road to the cemetery?",
        ),
        problems=[
            (
                "fence",
                (
                    "Тосмосу жок же бузулган",
                    "Нет ограды или она разрушена",
                    "No fence, or it is broken",
                ),
            ),
            (
                "litter",
                ("Таштанды жана бадал басып кеткен", "Мусор и заросли", "Litter and overgrowth"),
            ),
            ("road", ("Жолу начар", "Плохая дорога", "A poor access road")),
            ("water", ("Суу жок", "Нет воды", "No water")),
            ("space", ("Жер жетишсиз", "Не хватает места", "Running out of space")),
            ("livestock", ("Мал кирип кетет", "Заходит скот", "Livestock get in")),
        ],
        priorities=[
            (
                "fence",
                (
                    "Тосмо тосуу же оңдоо",
                    "Установить или починить ограду",
                    "Build or repair the fence",
                ),
            ),
            ("cleaning", ("Үзгүлтүксүз тазалап туруу", "Регулярно убирать", "Clean it regularly")),
            ("road", ("Жолду оңдоо", "Отремонтировать дорогу", "Repair the road")),
            ("water", ("Суу жеткирүү", "Провести воду", "Bring in water")),
            (
                "land",
                (
                    "Көрүстөнгө кошумча жер бөлүү",
                    "Выделить землю для расширения",
                    "Allocate land to extend it",
                ),
            ),
        ],
        paid=False,
    ),
    ServiceSpec(
        slug="pastures",
        prefix="pasture",
        name=("Жайыттарды башкаруу", "Управление пастбищами", "Pastures"),
        uses=(
            "Сиздин үй-бүлөңүз малын айыл аймагынын жайыттарында багабы?",
            "Выпасает ли ваше домохозяйство скот на пастбищах айылного аймака?",
            "Does your household graze livestock on the ayil aimak's pastures?",
        ),
        availability=avail(
            "pasture",
            QuestionType.SELECT_ONE,
            (
                "Сиздин үй-бүлөңүз быйыл жайыт билетин алдыбы?",
                "Получило ли ваше домохозяйство пастбищный билет в этом году?",
                "Did your household get a pasture ticket this year?",
            ),
            list_name="yes_no_dk",
        ),
        quality=(
            "Жайыттардын абалын (чөбү, суусу) кандай баалайсыз?",
            "Как вы оцениваете состояние пастбищ (травостой, водопои)?",
            "How do you rate the condition of the pastures (grass, watering points)?",
        ),
        reliability=(
            "Жайыт комитетинин ишин кандай баалайсыз?",
            "Как вы оцениваете работу пастбищного комитета?",
            "How do you rate the work of the pasture committee?",
        ),
        problems=[
            (
                "degraded",
                ("Жайыттар тозгон", "Пастбища деградировали", "The pastures are degraded"),
            ),
            ("watering", ("Мал сугаруучу жайлар жок", "Нет водопоев", "No watering points")),
            (
                "access",
                (
                    "Жайытка баруучу жолдор жана көпүрөлөр начар",
                    "Плохие дороги и мосты к пастбищам",
                    "Poor roads and bridges to the pastures",
                ),
            ),
            (
                "unfair",
                (
                    "Жайыттар адилетсиз бөлүштүрүлөт",
                    "Пастбища распределяются несправедливо",
                    "Pastures are shared out unfairly",
                ),
            ),
            (
                "fee",
                (
                    "Жайыт үчүн төлөм кымбат",
                    "Высокая плата за пастбища",
                    "The pasture fee is too high",
                ),
            ),
            (
                "vet",
                (
                    "Малдын ооруларынын алдын алуу иштери жүргүзүлбөйт",
                    "Не проводится профилактика болезней скота",
                    "Livestock diseases are not prevented",
                ),
            ),
        ],
        priorities=[
            (
                "watering",
                ("Мал сугаруучу жайларды куруу", "Построить водопои", "Build watering points"),
            ),
            (
                "access",
                (
                    "Жайытка баруучу жолдорду жана көпүрөлөрдү оңдоо",
                    "Отремонтировать дороги и мосты к пастбищам",
                    "Repair roads and bridges to the pastures",
                ),
            ),
            (
                "rotation",
                (
                    "Жайыттарды кезектештирип пайдаланууну уюштуруу",
                    "Организовать пастбищеоборот",
                    "Organise pasture rotation",
                ),
            ),
            (
                "fair",
                (
                    "Жайыттарды адилеттүү бөлүштүрүү",
                    "Справедливо распределять пастбища",
                    "Share the pastures fairly",
                ),
            ),
            (
                "vet",
                (
                    "Ветеринардык кызматты жакшыртуу",
                    "Улучшить ветеринарное обслуживание",
                    "Improve veterinary services",
                ),
            ),
        ],
        paid=True,
    ),
    ServiceSpec(
        slug="irrigation",
        prefix="irrigation",
        name=("Сугат суу", "Ирригация", "Irrigation"),
        uses=(
            "Сиздин үй-бүлөңүз жер тилкесин сугат тармагынын суусу менен сугарабы?",
            "Поливает ли ваше домохозяйство свой участок водой из оросительной сети?",
            "Does your household irrigate its land with water from the irrigation network?",
        ),
        availability=avail(
            "irrigation",
            QuestionType.SELECT_ONE,
            (
                "Өткөн сезондо сугат сууну өз убагында ала алдыңызбы?",
                "Получали ли вы поливную воду вовремя в прошлом сезоне?",
                "Did you get irrigation water on time last season?",
            ),
            list_name="irrigation_on_time",
        ),
        quality=(
            "Сугат суунун жетиштүүлүгүн кандай баалайсыз?",
            "Как вы оцениваете достаточность поливной воды?",
            "How do you rate how much irrigation water you get?",
        ),
        reliability=(
            "Сугат кезегинин сакталышын кандай баалайсыз?",
            "Как вы оцениваете соблюдение очерёдности полива?",
            "How do you rate how well the irrigation rota is kept?",
        ),
        problems=[
            ("shortage", ("Суу жетишпейт", "Воды не хватает", "Not enough water")),
            ("late", ("Суу кечигип келет", "Вода приходит с опозданием", "The water comes late")),
            (
                "canals",
                (
                    "Арыктар жана каналдар тазаланбайт",
                    "Арыки и каналы не чистят",
                    "Ditches and canals are not cleaned",
                ),
            ),
            (
                "unfair",
                (
                    "Суу адилетсиз бөлүштүрүлөт",
                    "Вода распределяется несправедливо",
                    "Water is shared out unfairly",
                ),
            ),
            (
                "gates",
                (
                    "Суу бөлүштүргүч курулмалар бузулган",
                    "Разрушены водораспределительные сооружения",
                    "The water gates are broken",
                ),
            ),
            (
                "fee",
                (
                    "Сугат суу үчүн төлөм кымбат",
                    "Высокая плата за поливную воду",
                    "The fee for irrigation water is too high",
                ),
            ),
        ],
        priorities=[
            (
                "cleaning",
                (
                    "Арыктарды жана каналдарды тазалоо",
                    "Очистить арыки и каналы",
                    "Clean the ditches and canals",
                ),
            ),
            (
                "gates",
                (
                    "Суу бөлүштүргүч курулмаларды оңдоо",
                    "Отремонтировать водораспределительные сооружения",
                    "Repair the water gates",
                ),
            ),
            (
                "rota",
                (
                    "Ачык сугат кезегин киргизүү",
                    "Ввести прозрачный график полива",
                    "Introduce a transparent rota",
                ),
            ),
            (
                "lining",
                ("Каналдарды бетондоо", "Забетонировать каналы", "Line the canals with concrete"),
            ),
            (
                "drip",
                (
                    "Тамчылатып сугарууну жайылтуу",
                    "Развивать капельное орошение",
                    "Promote drip irrigation",
                ),
            ),
        ],
        paid=True,
        extra_lists=[
            choices(
                "irrigation_on_time",
                [
                    ("always", ("Ар дайым өз убагында", "Всегда вовремя", "Always on time")),
                    ("mostly", ("Көбүнчө өз убагында", "Чаще всего вовремя", "Mostly on time")),
                    ("rarely", ("Сейрек", "Редко", "Rarely")),
                    ("never", ("Эч качан", "Никогда", "Never")),
                ],
            )
        ],
    ),
    ServiceSpec(
        slug="landscaping",
        prefix="green",
        name=(
            "Көрктөндүрүү жана жашылдандыруу",
            "Благоустройство и озеленение",
            "Landscaping and greening",
        ),
        uses=(
            "Сиз же үй-бүлөңүздүн мүчөлөрү айылдын парктарына, сейил бактарына же башка "
            "коомдук жайларына барасыздарбы?",
            "Бываете ли вы или члены вашей семьи в парках, скверах и других общественных "
            "местах села?",
            "Do you or members of your household go to the village's parks, squares and "
            "other public spaces?",
        ),
        availability=avail(
            "green",
            QuestionType.SELECT_ONE,
            (
                "Парктарга жана коомдук жайларга канчалык көп барасыз?",
                "Как часто вы бываете в парках и общественных местах?",
                "How often do you go to parks and public spaces?",
            ),
            list_name="visit_freq",
        ),
        quality=(
            "Айылдын көчөлөрүнүн жана коомдук жайларынын тазалыгын жана көрктүүлүгүн "
            "кандай баалайсыз?",
            "Как вы оцениваете чистоту и благоустроенность улиц и общественных мест?",
            "How do you rate the cleanliness and appearance of streets and public spaces?",
        ),
        reliability=(
            "Дарактарды жана жашыл аймактарды күтүүнү кандай баалайсыз?",
            "Как вы оцениваете уход за деревьями и зелёными насаждениями?",
            "How do you rate the care of trees and green areas?",
        ),
        problems=[
            (
                "no_parks",
                ("Парктар жана сейил бактар жок", "Нет парков и скверов", "No parks or squares"),
            ),
            (
                "litter",
                (
                    "Коомдук жайларда таштанды көп",
                    "Мусор в общественных местах",
                    "Litter in public spaces",
                ),
            ),
            (
                "benches",
                (
                    "Отургучтар жана таштанды челектери жок",
                    "Нет скамеек и урн",
                    "No benches or bins",
                ),
            ),
            (
                "trees",
                (
                    "Дарактар кыйылып, ордуна жаңылары отургузулбайт",
                    "Деревья вырубают и не сажают новые",
                    "Trees are cut down and not replaced",
                ),
            ),
            ("playgrounds", ("Балдар аянтчалары жок", "Нет детских площадок", "No playgrounds")),
            (
                "unlit",
                (
                    "Коомдук жайлар караңгы",
                    "Общественные места не освещены",
                    "Public spaces are unlit",
                ),
            ),
        ],
        priorities=[
            (
                "park",
                ("Парк же сейил бак түзүү", "Создать парк или сквер", "Create a park or square"),
            ),
            (
                "playground",
                ("Балдар аянтчасын куруу", "Построить детскую площадку", "Build a playground"),
            ),
            ("trees", ("Дарак отургузуу", "Посадить деревья", "Plant trees")),
            (
                "benches",
                (
                    "Отургучтарды жана таштанды челектерин коюу",
                    "Поставить скамейки и урны",
                    "Put up benches and bins",
                ),
            ),
            (
                "cleaning",
                (
                    "Үзгүлтүксүз тазалоону уюштуруу",
                    "Организовать регулярную уборку",
                    "Organise regular cleaning",
                ),
            ),
        ],
        paid=False,
    ),
]

SERVICES_BY_SLUG = {spec.slug: spec for spec in SERVICES}

TITLE: T = ("Жарандардын отчеттук карточкасы", "Отчетная карточка граждан", "Citizen report card")


def service_group(spec: ServiceSpec) -> tuple[Group, list[ChoiceList]]:
    p = spec.prefix
    uses = f"${{{p}_uses}} = 'yes'"
    complained = f"${{{p}_complained}} = 'yes'"
    items: list[Question | Group] = [
        q(
            f"{p}_access",
            QuestionType.RATING,
            (
                "Бул кызматты алуу сиз үчүн канчалык оңой?",
                "Насколько легко вам получить эту услугу?",
                "How easy is it for you to get this service?",
            ),
            list_name="ease5",
        ),
        spec.availability,
        q(f"{p}_quality", QuestionType.RATING, spec.quality, list_name="quality5"),
        q(f"{p}_reliability", QuestionType.RATING, spec.reliability, list_name="quality5"),
        q(
            f"{p}_problems",
            QuestionType.SELECT_MULTIPLE,
            (
                "Акыркы 12 айда бул кызмат боюнча кандай көйгөйлөргө туш болдуңуз? "
                "Тиешелүүлөрүнүн баарын белгилеңиз.",
                "С какими проблемами этой услуги вы сталкивались за последние 12 месяцев? "
                "Отметьте все подходящие варианты.",
                "Which problems with this service have you met in the last 12 months? "
                "Mark all that apply.",
            ),
            list_name=f"{p}_problems",
            constraint=NONE_EXCLUSIVE,
            message=NO_PROBLEM_MESSAGE,
        ),
        q(
            f"{p}_complained",
            QuestionType.YES_NO,
            (
                "Акыркы 12 айда бул кызмат боюнча даттанып кайрылдыңызбы?",
                "Обращались ли вы с жалобой по этой услуге за последние 12 месяцев?",
                "Have you complained about this service in the last 12 months?",
            ),
        ),
        q(
            f"{p}_complaint_to",
            QuestionType.SELECT_MULTIPLE,
            (
                "Кимге кайрылдыңыз?",
                "Куда вы обращались?",
                "Who did you complain to?",
            ),
            list_name="complaint_to",
            relevant=complained,
        ),
        q(
            f"{p}_response",
            QuestionType.SELECT_ONE,
            (
                "Сиздин даттанууңузга кандай жооп берилди?",
                "Как отреагировали на вашу жалобу?",
                "How was your complaint handled?",
            ),
            list_name="response",
            relevant=complained,
        ),
        q(
            f"{p}_response_satisfaction",
            QuestionType.RATING,
            (
                "Даттанууңузга берилген жоопко канчалык канааттандыңыз?",
                "Насколько вы удовлетворены реакцией на вашу жалобу?",
                "How satisfied are you with the response to your complaint?",
            ),
            list_name="sat5",
            relevant=complained,
        ),
        q(
            f"{p}_no_complaint",
            QuestionType.SELECT_ONE,
            (
                "Эмне үчүн даттанган жоксуз?",
                "Почему вы не обращались с жалобой?",
                "Why did you not complain?",
            ),
            list_name="no_complaint",
            relevant=f"${{{p}_complained}} = 'no'",
        ),
    ]
    if spec.paid:
        items += [
            q(
                f"{p}_pays",
                QuestionType.YES_NO,
                (
                    "Сиздин үй-бүлөңүз бул кызмат үчүн расмий төлөм төлөйбү?",
                    "Платит ли ваше домохозяйство официальную плату за эту услугу?",
                    "Does your household pay an official fee for this service?",
                ),
            ),
            q(
                f"{p}_paid_amount",
                QuestionType.DECIMAL,
                (
                    "Акыркы 12 айда бул кызмат үчүн жалпысынан канча сом төлөдүңүз?",
                    "Сколько сомов всего вы заплатили за эту услугу за последние 12 месяцев?",
                    "In total, how many soms did you pay for this service in the last 12 months?",
                ),
                relevant=f"${{{p}_pays}} = 'yes'",
                required=False,
                constraint=". >= 0 and . <= 1000000",
                message=(
                    "0дөн 1 000 000го чейинки сумманы жазыңыз.",
                    "Введите сумму от 0 до 1 000 000.",
                    "Enter an amount from 0 to 1,000,000.",
                ),
            ),
        ]
    items += [
        q(
            f"{p}_informal",
            QuestionType.SELECT_ONE,
            (
                "Акыркы 12 айда бул кызматты алуу үчүн расмий эмес төлөм (белек, «ыраазычылык», "
                "кошумча акча) берүүгө туура келдиби?",
                "Приходилось ли вам за последние 12 месяцев делать неофициальные платежи "
                "(подарок, «благодарность», доплату), чтобы получить эту услугу?",
                "In the last 12 months, did you have to make an informal payment (a gift, a "
                "“thank-you”, an extra charge) to get this service?",
            ),
            list_name="yes_no_refuse",
        ),
        q(
            f"{p}_trend",
            QuestionType.SELECT_ONE,
            (
                "Акыркы бир жылда бул кызмат кандай өзгөрдү?",
                "Как изменилась эта услуга за последний год?",
                "How has this service changed over the last year?",
            ),
            list_name="trend",
        ),
        q(
            f"{p}_satisfaction",
            QuestionType.RATING,
            (
                "Жалпысынан бул кызматка канчалык канааттанасыз?",
                "В целом насколько вы удовлетворены этой услугой?",
                "Overall, how satisfied are you with this service?",
            ),
            list_name="sat5",
        ),
        q(
            f"{p}_priority",
            QuestionType.SELECT_ONE,
            (
                "Бул кызматта биринчи кезекте эмнени жакшыртуу керек?",
                "Что в этой услуге нужно улучшить в первую очередь?",
                "What should be improved first in this service?",
            ),
            list_name=f"{p}_priorities",
        ),
    ]
    lists = [
        choices(
            f"{p}_problems",
            [
                *spec.problems,
                OTHER,
                ("none", ("Эч кандай көйгөй болгон жок", "Проблем не было", "No problems")),
            ],
        ),
        choices(f"{p}_priorities", [*spec.priorities, OTHER]),
        *spec.extra_lists,
    ]
    group = Group(name=p, label=text(spec.name), relevant=uses, items=items)
    return group, lists


def uses_question(spec: ServiceSpec) -> Question:
    return q(f"{spec.prefix}_uses", QuestionType.YES_NO, spec.uses, relevant=CONSENTED)


def template_definition(slug: str) -> Definition:
    """The standard report card for one service: the profile, then the service's group."""
    spec = SERVICES_BY_SLUG[slug]
    profile = Group(
        name=PROFILE,
        label=text(
            (
                "Респондент жөнүндө маалымат",
                "Сведения о респонденте",
                "About the respondent",
            )
        ),
        items=[*profile_questions(), uses_question(spec)],
    )
    group, lists = service_group(spec)
    used = {
        qn.list_name
        for qn in [*profile.items, *group.items]
        if isinstance(qn, Question) and qn.list_name
    }
    all_lists = [cl for cl in [*COMMON_LISTS, *lists] if cl.name in used]
    return Definition(items=[profile, group], lists=all_lists)


def template_title(slug: str) -> Text:
    name = SERVICES_BY_SLUG[slug].name
    return Text(
        ky=f"{TITLE[0]}: {name[0][0].lower()}{name[0][1:]}",
        ru=f"{TITLE[1]}: {name[1][0].lower()}{name[1][1:]}",
        en=f"{TITLE[2]}: {name[2][0].lower()}{name[2][1:]}",
    )


def template_key(slug: str) -> str:
    return f"template:{slug}"
