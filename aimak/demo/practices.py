"""Demo data for aimak.practices (all marked as demo): practices in ky and ru across the
themes, three international ones, one waiting for moderation, and six experts."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from aimak.accounts.models import User
from aimak.practices.models import Expert, Practice, Theme
from aimak.practices.services import (
    ExpertData,
    PracticeData,
    expert_save,
    practice_create,
    practice_feature,
    practice_photo_add,
    practice_publish,
    practice_review_start,
    practice_submit,
    practice_video_add,
)
from aimak.territories.models import Territory

# (title ky, title ru, themes, municipality code or (country, place), months ago (None: in
#  moderation), problem ky, problem ru, solution ky, solution ru, results ky, results ru,
#  cost, currency, photo colour or None, video url or "")
PRACTICES = [
    (
        "Жайыт комитетинин тарифтери малдын санына жараша (демо)",
        "Тарифы пастбищного комитета по поголовью скота (демо)",
        ["pastures", "local-revenue"],
        "41703204804000",
        1,
        "Жайыт үчүн төлөм бардык чарбалардан бирдей алынып, көп малы барлар аз төлөчү.",
        "Плата за пастбища была одинаковой для всех хозяйств, владельцы больших стад платили мало.",
        "Жайыт комитети ар бир баш малга тариф киргизип, жайыт билетин берүүнү ачык жүргүздү.",
        "Пастбищный комитет ввёл тариф за голову скота и открыто выдавал пастбищные билеты.",
        "Жайыт төлөмдөрүнөн түшкөн каражат эки эсе көбөйдү, жайыттарды калыбына келтирүүгө жумшалды.",
        "Сборы за пастбища выросли вдвое и пошли на восстановление пастбищ.",
        "45000",
        "KGS",
        (76, 140, 60),
        "",
    ),
    (
        "Катышуучу бюджет: айылдыктар долбоорлорду тандайт (демо)",
        "Партисипаторный бюджет: жители выбирают проекты (демо)",
        ["budget-planning", "participation"],
        "41703204806000",
        1,
        "Жергиликтүү бюджеттин чыгымдары тууралуу калк аз билчү жана ишенбечү.",
        "Жители мало знали о расходах местного бюджета и не доверяли им.",
        "Айыл өкмөтү бюджеттин 5 пайызын жарандар добуш берип тандаган долбоорлорго бөлдү.",
        "Айыл окмоту выделил 5 % бюджета на проекты, выбранные голосованием жителей.",
        "Үч жылда 14 долбоор ишке ашты, бюджеттик угууларга катышуу үч эсе өстү.",
        "За три года реализовано 14 проектов, участие в бюджетных слушаниях выросло втрое.",
        "600000",
        "KGS",
        (40, 96, 160),
        "https://www.youtube.com/watch?v=demo-aimak-1",
    ),
    (
        "Ичүүчү суу пайдалануучулар ассоциациясы (демо)",
        "Ассоциация пользователей питьевой воды (демо)",
        ["drinking-water", "communal-services"],
        "41702205805000",
        2,
        "Суу түтүгү эскирип, суу үчүн акы чогултулбай калган.",
        "Водопровод обветшал, плата за воду почти не собиралась.",
        "Айылдыктар СООПВ түзүп, эсептегичтерди коюп, тарифти жалпы жыйында бекитишти.",
        "Жители создали СООПВ, установили счётчики и утвердили тариф на общем собрании.",
        "Төлөмдөрдү чогултуу 40 пайыздан 92 пайызга чейин өстү.",
        "Собираемость платежей выросла с 40 до 92 %.",
        "1200000",
        "KGS",
        (30, 120, 180),
        "",
    ),
    (
        "Таштанды чыгаруу графиги SMS аркылуу (демо)",
        "График вывоза мусора по SMS (демо)",
        ["waste", "communications", "digital"],
        "41704220832000",
        3,
        "Таштанды машинасы качан келерин эч ким билбей, таштанды көчөлөрдө калчу.",
        "Никто не знал, когда придёт мусоровоз, и мусор оставался на улицах.",
        "Муниципалдык ишкана ар бир көчөгө SMS аркылуу чыгаруу күнүн эскертет.",
        "Муниципальное предприятие присылает жителям каждой улицы SMS о дне вывоза.",
        "Стихиялуу таштанды жайлар 60 пайызга азайды.",
        "Стихийных свалок стало на 60 % меньше.",
        "30000",
        "KGS",
        (120, 120, 40),
        "",
    ),
    (
        "Кызматтар боюнча жарандардын отчеттук карталары (демо)",
        "Гражданские отчётные карточки по услугам (демо)",
        ["monitoring", "participation"],
        "41703204804000",
        1,
        "Айыл өкмөтү кызматтардын сапаты тууралуу калктын пикирин билчү эмес.",
        "Айыл окмоту не знал мнения жителей о качестве услуг.",
        "Биргелешкен мониторинг тобу 400 үй чарбасынан сурамжылоо жүргүздү.",
        "Группа совместного мониторинга опросила 400 домохозяйств.",
        "Натыйжалар боюнча аракеттер планы кабыл алынып, суу кызматы жакшырды.",
        "По итогам принят план действий, водоснабжение улучшилось.",
        "80000",
        "KGS",
        None,
        "",
    ),
    (
        "Муниципалдык жерлерди ачык аукциондо ижарага берүү (демо)",
        "Аренда муниципальных земель через открытый аукцион (демо)",
        ["municipal-property", "local-revenue"],
        "41706255840000",
        5,
        "Жер ижарасы жабык шартта, төмөн баада берилчү.",
        "Земли сдавались в аренду закрыто и по низкой цене.",
        "Бардык жер участоктору электрондук аукцион аркылуу ижарага берилет.",
        "Все участки сдаются в аренду через электронный аукцион.",
        "Ижарадан түшкөн киреше 2,5 эсе көбөйдү.",
        "Доходы от аренды выросли в 2,5 раза.",
        "",
        "KGS",
        None,
        "",
    ),
    (
        "Майыптыгы бар адамдар үчүн пандустар (демо)",
        "Пандусы для людей с инвалидностью (демо)",
        ["social-inclusion"],
        "41708223845000",
        6,
        "Мектепке жана айыл өкмөтүнө майыптыгы бар адамдар кире алчу эмес.",
        "Люди с инвалидностью не могли попасть в школу и айыл окмоту.",
        "Жаштар тобу жергиликтүү демөөрчүлөр менен 12 пандус курду.",
        "Молодёжная группа с местными спонсорами построила 12 пандусов.",
        "Бардык коомдук имараттар жеткиликтүү болду.",
        "Все общественные здания стали доступными.",
        "150000",
        "KGS",
        (150, 80, 120),
        "",
    ),
    (
        "Айыл аймактарынын биргелешкен таштанды полигону (демо)",
        "Совместный полигон отходов нескольких айыл аймаков (демо)",
        ["inter-municipal", "waste"],
        "41704210820000",
        7,
        "Ар бир айыл аймагына өз полигонун куруу кымбатка турчу.",
        "Строить собственный полигон каждому айыл аймаку было дорого.",
        "Үч айыл аймагы келишим түзүп, бир полигонду бирге күтүшөт.",
        "Три айыл аймака заключили соглашение и содержат один полигон вместе.",
        "Чыгымдар ар бир муниципалитет үчүн үчтөн бирге азайды.",
        "Расходы каждого муниципалитета сократились на треть.",
        "2500000",
        "KGS",
        None,
        "",
    ),
    (
        "Социалдык-экономикалык өнүгүү программасын калк менен түзүү (демо)",
        "Разработка ПСЭР вместе с жителями (демо)",
        ["strategic-planning", "participation"],
        "41703204806000",
        None,
        "Программа кабинетте жазылып, айылдыктардын муктаждыктарын эске алчу эмес.",
        "Программу писали в кабинете, без учёта нужд жителей.",
        "Ар бир айылда фокус-топтор жана ачык угуулар өткөрүлдү.",
        "В каждом селе прошли фокус-группы и открытые слушания.",
        "",
        "",
        "",
        "KGS",
        None,
        "",
    ),
    # International practices.
    (
        "Грузия: муниципалитеттердеги жарандык бюджет (демо)",
        "Грузия: гражданский бюджет в муниципалитетах (демо)",
        ["budget-planning", "participation"],
        ("GE", "Тбилиси"),
        2,
        "Жарандар муниципалдык бюджетке таасир эте алчу эмес.",
        "Граждане не могли влиять на муниципальный бюджет.",
        "Тбилиси мэриясы жарандардын сунуштарын онлайн кабыл алып, добушка коёт.",
        "Мэрия Тбилиси принимает предложения жителей онлайн и выносит их на голосование.",
        "Жыл сайын жүздөгөн долбоорлор каржыланат.",
        "Ежегодно финансируются сотни проектов.",
        "",
        "GEL",
        (200, 90, 60),
        "https://vimeo.com/000000000",
    ),
    (
        "Казакстан: «Ашык бюджеттер» порталы (демо)",
        "Казахстан: портал «Открытые бюджеты» (демо)",
        ["budget-planning", "digital"],
        ("KZ", "Астана"),
        1,
        "Жергиликтүү бюджеттер тууралуу маалымат чачыранды болчу.",
        "Информация о местных бюджетах была разрозненной.",
        "Бардык деңгээлдеги бюджеттер бир порталда жарыяланып, талкууланат.",
        "Бюджеты всех уровней публикуются и обсуждаются на одном портале.",
        "Бюджеттик документтерди талкуулоого катышуу өстү.",
        "Выросло участие в обсуждении бюджетных документов.",
        "",
        "KZT",
        None,
        "",
    ),
    (
        "Эстония: муниципалдык кызматтар онлайн (демо)",
        "Эстония: муниципальные услуги онлайн (демо)",
        ["digital", "communal-services"],
        ("EE", "Тарту"),
        3,
        "Жарандар маалымкат алуу үчүн кезекте күтүшчү.",
        "Жители стояли в очередях за справками.",
        "Тарту шаары кызматтардын басымдуу бөлүгүн электрондук түргө өткөрдү.",
        "Город Тарту перевёл большую часть услуг в электронный вид.",
        "Кезектер жоюлду, кызмат көрсөтүү мөөнөтү кыскарды.",
        "Очереди исчезли, сроки оказания услуг сократились.",
        "",
        "EUR",
        (60, 60, 140),
        "",
    ),
]

EXPERTS = [
    # name, org ky, org ru, themes, languages, region codes, user
    ("Айгүл Токтосунова (DEMO)", "Өнүктүрүү саясаты институту", "Институт политики развития",
     ["budget-planning", "participation"], ["ky", "ru"], ["41703000000000"], None),
    ("Бакыт Жумабеков (DEMO)", "МӨБ Бирлиги", "Союз МСУ",
     ["local-revenue", "municipal-property"], ["ky", "ru"], ["41704000000000"], None),
    ("Нургүл Асанова (DEMO)", "«Таза суу» коомдук бирикмеси", "ОО «Таза суу»",
     ["drinking-water", "communal-services"], ["ky", "ru", "en"], ["41706000000000"], None),
    ("Марат Исаков (DEMO)", "Эксперт, СЭӨП", "Эксперт по ПСЭР",
     ["strategic-planning", "monitoring"], ["ru"], ["41702000000000", "41708000000000"],
     "demo-expert"),
    ("Жылдыз Садыкова (DEMO)", "Жайыт пайдалануучулар ассоциациясы", "Ассоциация пастбищепользователей",
     ["pastures"], ["ky"], ["41704000000000"], None),
    ("Elena Petrova (DEMO)", "Эл аралык консультант", "Международный консультант",
     ["digital", "inter-municipal"], ["ru", "en"], [], None),
]  # fmt: skip


def _photo(colour: tuple[int, int, int], label: str) -> io.BytesIO:
    image = Image.new("RGB", (1600, 1000), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1000, 40):
        shade = tuple(min(255, c + i // 12) for c in colour)
        draw.rectangle([0, i, 1600, i + 40], fill=shade)
    draw.ellipse([1100, 120, 1400, 420], fill=(250, 220, 120))
    draw.polygon([(0, 1000), (500, 450), (900, 1000)], fill=(60, 70, 60))
    draw.polygon([(600, 1000), (1100, 380), (1600, 1000)], fill=(80, 90, 80))
    draw.text((40, 40), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    out.name = "demo.jpg"
    out.size = out.tell()  # type: ignore[attr-defined]
    out.seek(0)
    return out


def _contacts(place: str) -> str:
    return f"{place}: +996 (000) 00-00-00 (демо)"


def seed_practices(municipality: Territory) -> None:
    """Add the demo's practices data; idempotent (a second seed changes nothing)."""
    content = User.objects.get(username="demo-content")
    authors = [
        User.objects.get(username=u) for u in ("demo-staff", "demo-facilitator", "demo-content")
    ]
    themes = {t.slug: t for t in Theme.objects.all()}
    now = timezone.now()
    for n, row in enumerate(PRACTICES):
        (title_ky, title_ru, theme_slugs, where, months_ago, prob_ky, prob_ru, sol_ky, sol_ru,
         res_ky, res_ru, cost, currency, colour, video) = row  # fmt: skip
        if Practice.objects.filter(title_ru=title_ru).exists():
            continue
        if isinstance(where, tuple):
            country, place, unit = where[0], where[1], None
        else:
            country, place, unit = "KG", "", Territory.objects.filter(code=where).first()
        author = content if country != "KG" else authors[n % 2]
        start = datetime.date(2022 + n % 3, 1 + n % 12, 1)
        practice = practice_create(
            author=author,
            data=PracticeData(
                title={"ky": title_ky, "ru": title_ru},
                problem={"ky": prob_ky, "ru": prob_ru},
                solution={"ky": sol_ky, "ru": sol_ru},
                results={"ky": res_ky, "ru": res_ru},
                cost_note={"ky": "болжолдуу (демо)", "ru": "ориентировочно (демо)"} if cost else {},
                cost_amount=Decimal(cost) if cost else None,
                cost_currency=currency,
                municipality=unit,
                country=country,
                country_name=place,
                themes=[themes[s] for s in theme_slugs if s in themes],
                period_start=start,
                contacts=_contacts((unit.name_ru or "") if unit else place),
            ),
        )
        if colour is not None:
            practice_photo_add(
                practice=practice, by=author, alt=f"{title_ru} — фото (демо)",
                file=_photo(colour, "DEMO"),
            )  # fmt: skip
        if video:
            practice_video_add(practice=practice, by=author, url=video, title="Видео (демо)")
        practice_submit(practice=practice, by=author)
        if months_ago is None:
            continue  # left waiting in the moderation queue
        practice_review_start(practice=practice, by=content)
        practice_publish(
            practice=practice,
            by=content,
            at=now - datetime.timedelta(days=30 * months_ago - 3),
        )
        if n in (0, 1, 9):
            practice_feature(practice=practice, by=content, featured=True)
    for name, org_ky, org_ru, theme_slugs, languages, regions, username in EXPERTS:
        if Expert.objects.filter(name=name).exists():
            continue
        user = User.objects.filter(username=username).first() if username else None
        expert_save(
            by=content,
            data=ExpertData(
                name=name,
                organisation={"ky": org_ky, "ru": org_ru},
                bio={
                    "ky": f"{org_ky}. Демо профиль: чыныгы адам эмес.",
                    "ru": f"{org_ru}. Демо-профиль: не реальный человек.",
                },
                themes=[themes[s] for s in theme_slugs if s in themes],
                languages=languages,
                regions=list(Territory.objects.filter(code__in=regions)),
                email=f"expert{len(name)}@example.kg",
                phone="+996 (000) 00-00-00",
                show_email=True,
                show_phone=len(name) % 2 == 0,
                user=user,
            ),
            photo=_photo((90, 110, 140), "DEMO") if username else None,
        )
