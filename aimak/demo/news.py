"""Demo data for aimak.news (all marked as demo): categories and tags, ten news items and
articles in Kyrgyz and Russian (English for a few; one scheduled), and two issues of the
magazine «Муниципалитет» with sections, articles, generated covers and a small PDF.
Idempotent: items are keyed by slug, issues by number; a second run changes nothing."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from aimak.accounts.models import User
from aimak.news.models import Article, MagazineIssue, Status
from aimak.news.services import (
    ArticleData,
    article_save,
    category_save,
    issue_save,
    section_save,
    tag_save,
)
from aimak.territories.models import Territory

FONTS = Path(__file__).resolve().parent.parent / "reports" / "fonts"
DEMO = "(демо)"

CATEGORIES = {
    "report-cards": ("Жарандык баалоо", "Гражданская оценка", "Citizen report cards"),
    "budget": ("Бюджет жана угуулар", "Бюджет и слушания", "Budget and hearings"),
    "water": ("Ичүүчү суу", "Питьевая вода", "Drinking water"),
    "pastures": ("Жайыттар", "Пастбища", "Pastures"),
    "waste": ("Таштанды", "Отходы", "Waste"),
}
TAGS = {
    "demo": ("демо", "демо", "demo"),
    "ak-korgon": ("Ак-Коргон", "Ак-Коргон", "Ak-Korgon"),
    "council": ("айылдык кеңеш", "айылный кенеш", "local council"),
    "youth": ("жаштар", "молодёжь", "youth"),
}


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


# slug: (kind, category, tags, days ago (negative: scheduled in the future), colour,
#        (ky title, ky lead, ky body), (ru title, ru lead, ru body), English or None)
NEWS = [
    ("demo-report-card-results-2025", "news", "report-cards", ["demo", "ak-korgon"], 2, "#0b5d4b",
     ("Ак-Коргондо жарандык баалоонун жыйынтыгы жарыяланды",
      "Тургундар ичүүчү суу жана таштанды чыгаруу кызматтарын баалашты.",
      _p("Ак-Коргон айыл аймагында 2025-жылкы жарандык баалоонун жыйынтыктары ачык угууда "
         "талкууланды. 400дөн ашык үй чарба сурамжылоого катышты.",
         "Ичүүчү суу кызматына канааттануу 58% түздү, таштанды чыгарууга — 41%.")),
     ("В Ак-Коргоне опубликованы итоги гражданской оценки",
      "Жители оценили услуги питьевой воды и вывоза отходов.",
      _p("Итоги гражданской оценки 2025 года в Ак-Коргонском айыл аймаке обсуждены на открытых "
         "слушаниях. В опросе участвовали более 400 домохозяйств.",
         "Удовлетворённость питьевой водой составила 58%, вывозом отходов — 41%.")),
     ("Ak-Korgon publishes its citizen report card results",
      "Residents rated drinking water and waste collection.",
      _p("The 2025 citizen report card of Ak-Korgon was discussed at a public hearing; more "
         "than 400 households took part."))),
    ("demo-budget-hearing-2026", "news", "budget", ["demo", "council"], 5, "#8a5a00",
     ("2026-жылдын бюджети боюнча коомдук угуу өттү",
      "Айыл өкмөтү бюджеттин долбоорун тургундарга тааныштырды.",
      _p("Коомдук угууга 120 тургун катышып, 35 сунуш киргизилди. Эң көп сунуштар "
         "көчө жарыгына жана мектепке чейинки билим берүүгө тиешелүү болду.")),
     ("Прошли общественные слушания по бюджету на 2026 год",
      "Айыл окмоту представил жителям проект бюджета.",
      _p("В слушаниях участвовали 120 жителей, поступило 35 предложений. Больше всего "
         "предложений касалось уличного освещения и дошкольного образования.")),
     ("Public hearing on the 2026 budget",
      "The ayil okmotu presented the draft budget to residents.",
      _p("120 residents took part and made 35 proposals, most on street lighting and "
         "pre-school education."))),
    ("demo-water-tariff-hearing", "news", "water", ["demo", "ak-korgon"], 9, "#1f5f99",
     ("Ичүүчү суунун тарифи боюнча угуу",
      "АПС жаңы тарифтин эсебин көрсөттү.",
      _p("Айылдык ичүүчү суу колдонуучулардын коомдук бирикмеси (АПС) тарифтин эсебин "
         "ачык көрсөтүп, тургундардын суроолоруна жооп берди.")),
     ("Слушания по тарифу на питьевую воду",
      "СООППВ показало расчёт нового тарифа.",
      _p("Сельское общественное объединение потребителей питьевой воды (СООППВ) открыто "
         "представило расчёт тарифа и ответило на вопросы жителей.")),
     None),
    ("demo-pasture-committee-plan", "article", "pastures", ["demo"], 14, "#4d7c0f",
     ("Жайыт комитети жайыттарды пайдалануу планын бекитти",
      "Малдын санына жараша жайыттарды айлантуу пландалды.",
      _p("Жайыт комитети жайыттардын абалын баалап, айлантып пайдалануу планын бекитти.",
         "<strong>Эмне өзгөрөт:</strong> жайыт билети санарип түрдө берилет.")),
     ("Пастбищный комитет утвердил план использования пастбищ",
      "Запланирована ротация пастбищ с учётом поголовья скота.",
      _p("Пастбищный комитет оценил состояние пастбищ и утвердил план ротации.",
         "<strong>Что изменится:</strong> пастбищные билеты будут выдаваться в цифровом виде.")),
     None),
    ("demo-waste-collection-schedule", "news", "waste", ["demo", "ak-korgon"], 20, "#6b21a8",
     ("Таштанды чыгаруунун жаңы графиги",
      "Ар бир айылга жумасына бир жолу таштанды чыгарылат.",
      _p("Айыл өкмөтү таштанды чыгаруунун жаңы графигин бекитти. Графиктер "
         "дүкөндөрдө жана мектептерде илинет.")),
     ("Новый график вывоза отходов",
      "В каждое село мусоровоз будет приезжать раз в неделю.",
      _p("Айыл окмоту утвердил новый график вывоза отходов. Графики вывешены в магазинах "
         "и школах.")),
     None),
    ("demo-youth-monitoring-group", "news", "report-cards", ["demo", "youth"], 27, "#0f766e",
     ("Жаштар мониторинг тобуна кошулушту",
      "Мониторинг тобу сурамжылоого даярданып жатат.",
      _p("Ак-Коргондун жети жаш тургуну мониторинг тобуна кошулуп, интервью алуу боюнча "
         "окуудан өтүштү.")),
     ("Молодёжь вошла в группу мониторинга",
      "Группа мониторинга готовится к опросу.",
      _p("Семеро молодых жителей Ак-Коргона вошли в группу мониторинга и прошли обучение "
         "проведению интервью.")),
     None),
    ("demo-council-open-session", "news", "budget", ["demo", "council"], 33, "#9a3412",
     ("Айылдык кеңештин ачык сессиясы",
      "Депутаттар жарандык баалоонун сунуштарын карашты.",
      _p("Айылдык кеңеш ачык сессияда жарандык баалоонун негизинде даярдалган иш-аракеттер "
         "планын карап чыкты.")),
     ("Открытая сессия айылного кенеша",
      "Депутаты рассмотрели рекомендации гражданской оценки.",
      _p("Айылный кенеш на открытой сессии рассмотрел план действий, подготовленный по итогам "
         "гражданской оценки.")),
     ("Open session of the local council",
      "Deputies considered the report card recommendations.",
      _p("The local council discussed the action plan prepared from the report card."))),
    ("demo-water-pipe-repair", "news", "water", ["demo"], 41, "#1e40af",
     ("Суу түтүгү оңдолду",
      "Көк-Жар айылында 2 км суу түтүгү алмаштырылды.",
      _p("Жергиликтүү бюджеттин жана демөөрчүлөрдүн каражатына 2 км суу түтүгү "
         "алмаштырылды.")),
     ("Отремонтирован водопровод",
      "В селе Кок-Жар заменено 2 км водопровода.",
      _p("За счёт местного бюджета и спонсоров заменено 2 км водопроводных труб.")),
     None),
    ("demo-budget-explained", "article", "budget", ["demo"], 50, "#854d0e",
     ("Жергиликтүү бюджет жөнөкөй тил менен",
      "Айыл аймагынын кирешелери жана чыгашалары кайдан келет?",
      _p("Жергиликтүү бюджеттин негизги кирешелери — жер салыгы, мүлк салыгы жана "
         "тегиздөөчү гранттар.",
         "<h2>Чыгашалар</h2>",
         "Чыгашалардын басымдуу бөлүгү билим берүүгө жана коммуналдык кызматтарга кетет.")),
     ("Местный бюджет простым языком",
      "Откуда берутся доходы и куда идут расходы айыл аймака?",
      _p("Основные доходы местного бюджета — земельный налог, налог на имущество и "
         "выравнивающие гранты.",
         "<h2>Расходы</h2>",
         "Большая часть расходов приходится на образование и коммунальные услуги.")),
     None),
    # Scheduled: appears by itself in three days.
    ("demo-report-card-round-2026", "news", "report-cards", ["demo"], -3, "#334155",
     ("2026-жылкы жарандык баалоо башталат",
      "Сурамжылоо май айында өтөт.",
      _p("Мониторинг тобу 2026-жылкы жарандык баалоого даярдыкты баштады.")),
     ("Начинается гражданская оценка 2026 года",
      "Опрос пройдёт в мае.",
      _p("Группа мониторинга начала подготовку к гражданской оценке 2026 года.")),
     None),
]  # fmt: skip

ISSUES = [
    # number, overall, date, (ky, ru, en) title, sections [(ky, ru), [(slug, ky, ru, body)]]
    (
        1, 101, datetime.date(2025, 10, 1),
        ("Муниципалитет: жарандар баалайт", "Муниципалитет: граждане оценивают",
         "Municipality: citizens rate their services"),
        [
            (("Тажрыйба", "Практика"), [
                ("demo-mag-1-water-users", "Суу колдонуучулардын бирикмеси кантип иштейт",
                 "Как работает объединение потребителей воды"),
                ("demo-mag-1-monitoring", "Мониторинг тобу: биринчи жыл",
                 "Группа мониторинга: первый год"),
            ]),
            (("Мыйзам", "Закон"), [
                ("demo-mag-1-law-lsg", "Жергиликтүү өз алдынча башкаруу жөнүндө мыйзамдагы өзгөрүүлөр",
                 "Изменения в законе о местном самоуправлении"),
            ]),
            (("Маек", "Интервью"), [
                ("demo-mag-1-interview", "Айыл өкмөтүнүн башчысы менен маек",
                 "Интервью с главой айыл окмоту"),
            ]),
        ],
    ),
    (
        2, 102, datetime.date(2026, 1, 15),
        ("Муниципалитет: бюджет жана жайыттар", "Муниципалитет: бюджет и пастбища",
         "Municipality: budgets and pastures"),
        [
            (("Бюджет", "Бюджет"), [
                ("demo-mag-2-participatory-budget", "Катышуучу бюджет: биринчи кадамдар",
                 "Бюджет участия: первые шаги"),
                ("demo-mag-2-hearings", "Коомдук угууну кантип уюштуруу керек",
                 "Как организовать общественные слушания"),
            ]),
            (("Жайыттар", "Пастбища"), [
                ("demo-mag-2-pastures", "Жайыт комитеттери: көйгөйлөр жана чечимдер",
                 "Пастбищные комитеты: проблемы и решения"),
            ]),
            (("Таштанды", "Отходы"), [
                ("demo-mag-2-waste", "Таштандыны сорттоо: Ак-Коргондун тажрыйбасы",
                 "Сортировка отходов: опыт Ак-Коргона"),
                ("demo-mag-2-landfill", "Полигонду жабуу: эмнеден баштоо керек",
                 "Закрытие свалки: с чего начать"),
            ]),
        ],
    ),
]  # fmt: skip


def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def cover_image(title: str, colour: str, *, size: tuple[int, int] = (1200, 675)) -> bytes:
    """A plain coloured cover with its title and a DEMO mark (no downloads)."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, h - 12, w, h), fill="#ffffff")
    big, small = _font(int(h / 11)), _font(int(h / 20), bold=False)
    y = int(h * 0.18)
    for line in _wrap(title, 26 if w > h else 16)[:5]:
        draw.text((int(w * 0.06), y), line, font=big, fill="#ffffff")
        y += int(h / 9)
    draw.text((int(w * 0.06), int(h * 0.85)), f"Aimak · DEMO {DEMO}", font=small, fill="#ffffff")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def issue_pdf(number: int, titles: tuple[str, str, str], contents: list[str]) -> bytes:
    """A small PDF of the whole issue (reportlab, DejaVu for Cyrillic and Kyrgyz)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle(f"Муниципалитет № {number} {DEMO}")
    pdf.setFont("DejaVuSans", 20)
    y = 780
    for line in (f"«Муниципалитет» № {number}", titles[0], titles[1], f"DEMO {DEMO}"):
        pdf.drawString(60, y, line)
        y -= 32
    pdf.setFont("DejaVuSans", 12)
    for line in contents:
        y -= 20
        pdf.drawString(60, y, f"• {line}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _magazine_body(ky: str, ru: str) -> tuple[str, str]:
    return (
        _p(f"{ky}. Бул демо макала: Ак-Коргон айыл аймагынын тажрыйбасы, сандар жана "
           "сабактар.", "<blockquote>«Тургундардын пикири биз үчүн эң маанилүү.»</blockquote>"),
        _p(f"{ru}. Это демонстрационная статья: опыт Ак-Коргонского айыл аймака, цифры и "
           "уроки.", "<blockquote>«Мнение жителей для нас важнее всего.»</blockquote>"),
    )  # fmt: skip


def seed_news(municipality: Territory) -> None:
    """Add the demo's news data; idempotent (a second seed changes nothing)."""
    author = User.objects.filter(username="demo-content").first()
    categories = {
        slug: category_save(
            slug=slug, names=dict(zip(("ky", "ru", "en"), names, strict=True)), position=i
        )
        for i, (slug, names) in enumerate(CATEGORIES.items())
    }
    tags = {
        slug: tag_save(slug=slug, names=dict(zip(("ky", "ru", "en"), names, strict=True)))
        for slug, names in TAGS.items()
    }
    now = timezone.now().replace(second=0, microsecond=0)
    existing = set(Article.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    for slug, kind, category, tag_slugs, days, colour, ky, ru, en in NEWS:
        if slug in existing:
            continue
        scheduled = days < 0
        title = {"ky": f"{ky[0]} {DEMO}", "ru": f"{ru[0]} {DEMO}"}
        lead = {"ky": ky[1], "ru": ru[1]}
        body = {"ky": ky[2], "ru": ru[2]}
        alt = {"ky": f"Мукаба: {ky[0]}", "ru": f"Обложка: {ru[0]}"}
        if en:
            title["en"], lead["en"], body["en"] = f"{en[0]} (demo)", en[1], en[2]
            alt["en"] = f"Cover: {en[0]}"
        article_save(
            data=ArticleData(
                kind=kind,
                slug=slug,
                title=title,
                lead=lead,
                body=body,
                cover_alt=alt,
                category=categories[category],
                tags=[tags[t] for t in tag_slugs],
                status=Status.SCHEDULED if scheduled else Status.PUBLISHED,
                publish_at=now - datetime.timedelta(days=days, hours=3),
            ),
            user=author,
            cover=cover_image(ru[0], colour),
            reason="Demo seed",
        )
    for number, overall, date, titles, sections in ISSUES:
        if MagazineIssue.objects.filter(number=number).exists():
            continue
        contents = [ru for _s, arts in sections for _slug, _ky, ru in arts]
        issue = issue_save(
            number=number,
            overall_number=overall,
            date=date,
            titles={"ky": f"{titles[0]} {DEMO}", "ru": f"{titles[1]} {DEMO}",
                    "en": f"{titles[2]} (demo)"},
            user=author,
            published=True,
            cover=cover_image(f"Муниципалитет № {number}", "#0b5d4b", size=(600, 800)),
            cover_alt=f"«Муниципалитет» № {number} {DEMO}",
            pdf=issue_pdf(number, titles, contents),
            pdf_name=f"municipalitet-{number}-demo",
        )  # fmt: skip
        for position, ((section_ky, section_ru), articles) in enumerate(sections):
            section = section_save(
                issue=issue, position=position, titles={"ky": section_ky, "ru": section_ru}
            )
            for index, (slug, ky_title, ru_title) in enumerate(articles):
                body_ky, body_ru = _magazine_body(ky_title, ru_title)
                article_save(
                    data=ArticleData(
                        kind="magazine",
                        slug=slug,
                        title={"ky": f"{ky_title} {DEMO}", "ru": f"{ru_title} {DEMO}"},
                        lead={"ky": ky_title, "ru": ru_title},
                        body={"ky": body_ky, "ru": body_ru},
                        issue=issue,
                        section=section,
                        position=index,
                        status=Status.PUBLISHED,
                        publish_at=timezone.make_aware(
                            datetime.datetime.combine(date, datetime.time(9, 0))
                        ),
                    ),
                    user=author,
                    reason="Demo seed",
                )
