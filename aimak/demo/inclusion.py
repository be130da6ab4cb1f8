"""Demo data for aimak.inclusion (all marked as demo): Ак-Коргон's 2026 budget, made here
as a workbook with openpyxl and imported through the app's own service, then tagged."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from aimak.accounts.models import User
from aimak.council.models import DecisionKind, Resolution
from aimak.events.models import Event, EventKind
from aimak.inclusion.models import Budget, BudgetVersion, GrbTag
from aimak.inclusion.services import TagChange, budget_import, budget_links_set, line_tags_set
from aimak.inclusion.workbook import inspect
from aimak.territories.models import Territory

DEMO_FILE = "demo-ak-korgon-budget-2026.xlsx"
T, S, N = GrbTag.TARGETED, GrbTag.SENSITIVE, GrbTag.NEUTRAL

# (code, name ky / ru, planned som, tag or None, groups, note)
SECTIONS: list[tuple[str, list[tuple[str, str, int, str | None, list[str], str]]]] = [
    (
        "Жалпы мамлекеттик кызматтар / Общегосударственные услуги",
        [
            (
                "2111",
                "Айыл өкмөтүнүн кызматкерлеринин эмгек акысы / Оплата труда аппарата",
                6_840_000,
                N,
                [],
                "",
            ),
            ("2121", "Социалдык фондго чегерүүлөр / Отчисления в Соцфонд", 1_190_160, N, [], ""),
            ("2211", "Кеңсе буюмдары / Канцелярские товары", 145_000, N, [], ""),
            ("2212", "Байланыш кызматтары / Услуги связи", 96_000, N, [], ""),
            (
                "2215",
                "Айылдык кеңештин ачык сессияларын өткөрүү / Проведение открытых сессий айылного кенеша",
                60_000,
                S,
                ["women", "youth"],
                "Сессиялар кечинде, балдар үчүн бурч менен / Сессии вечером, с детским уголком",
            ),
            (
                "2216",
                "Бюджеттик угууларды уюштуруу / Организация бюджетных слушаний",
                45_000,
                S,
                ["women", "elderly"],
                "",
            ),
        ],
    ),
    (
        "Билим берүү / Образование",
        [
            (
                "2311",
                "Мектепке чейинки билим берүү (бала бакча «Балапан») / Дошкольное образование (детсад «Балапан»)",
                4_320_000,
                S,
                ["women"],
                "Энелердин ишке чыгышына жардам / Помогает матерям выйти на работу",
            ),
            (
                "2312",
                "Мектептердеги ысык тамак / Горячее питание в школах",
                1_560_000,
                S,
                ["low_income"],
                "",
            ),
            (
                "2313",
                "Кыздар үчүн STEM ийримдери / Кружки STEM для девочек",
                180_000,
                T,
                ["women", "youth"],
                "",
            ),
            (
                "2314",
                "Мектепке жеткирүү (автобус) / Подвоз школьников",
                520_000,
                S,
                ["low_income"],
                "",
            ),
            ("2315", "Мектептерди жылытуу / Отопление школ", 1_150_000, None, [], ""),
        ],
    ),
    (
        "Турак жай-коммуналдык чарба / Жилищно-коммунальное хозяйство",
        [
            (
                "2411",
                "Ичүүчү суу түтүктөрүн оңдоо / Ремонт водопроводных сетей",
                2_800_000,
                S,
                ["women"],
                "Суу ташуу убактысын кыскартат / Сокращает время на доставку воды",
            ),
            (
                "2412",
                "Катуу тиричилик калдыктарын чыгаруу / Вывоз твердых бытовых отходов",
                1_240_000,
                S,
                [],
                "",
            ),
            (
                "2413",
                "Көчө жарыгы / Уличное освещение",
                760_000,
                S,
                ["women", "elderly"],
                "Кечки коопсуздук / Безопасность вечером",
            ),
            (
                "2414",
                "Көчөлөрдү жана жолдорду оңдоо / Ремонт улиц и дорог",
                3_100_000,
                None,
                [],
                "",
            ),
            ("2415", "Көрүстөндү тосуу / Ограждение кладбища", 350_000, N, [], ""),
            ("2416", "Сугат арыктарын тазалоо / Очистка арыков", 410_000, None, [], ""),
        ],
    ),
    (
        "Социалдык коргоо / Социальная защита",
        [
            (
                "2511",
                "Аз камсыз болгон үй-бүлөлөргө материалдык жардам / Материальная помощь малообеспеченным семьям",
                900_000,
                T,
                ["low_income", "women"],
                "",
            ),
            (
                "2512",
                "Майыптыгы бар адамдар үчүн пандустар / Пандусы для лиц с инвалидностью",
                320_000,
                T,
                ["disability"],
                "",
            ),
            ("2513", "Карылар үйүнө жардам / Помощь на дому пожилым", 240_000, T, ["elderly"], ""),
            (
                "2514",
                "Кыз-келиндер үчүн кесиптик курстар / Курсы профобучения для девушек и женщин",
                210_000,
                T,
                ["women", "youth"],
                "",
            ),
            (
                "2515",
                "Үй-бүлөлүк зомбулукка каршы кеңеш берүү борбору / Консультационный центр против семейного насилия",
                150_000,
                T,
                ["women"],
                "",
            ),
        ],
    ),
    (
        "Маданият жана спорт / Культура и спорт",
        [
            ("2611", "Маданият үйүн күтүү / Содержание дома культуры", 980_000, None, [], ""),
            ("2612", "Жаштар борбору / Молодежный центр", 300_000, T, ["youth"], ""),
            (
                "2613",
                "Аялдар волейбол командасы / Женская волейбольная команда",
                85_000,
                T,
                ["women"],
                "",
            ),
            (
                "2614",
                "Спорт аянтчасы / Спортивная площадка",
                640_000,
                S,
                ["youth"],
                "Кыздар үчүн өзүнчө убакыт / Отдельное время для девочек",
            ),
        ],
    ),
    (
        "Саламаттыкты сактоо / Здравоохранение",
        [
            ("2711", "ФАПты оңдоо / Ремонт ФАПа", 560_000, S, ["women", "elderly"], ""),
            (
                "2712",
                "Айылдык саламаттык комитети / Сельский комитет здоровья",
                120_000,
                None,
                [],
                "",
            ),
            (
                "2713",
                "Энелер жана балдар үчүн ден соолук мектеби / Школа здоровья для матерей и детей",
                95_000,
                T,
                ["women"],
                "",
            ),
        ],
    ),
]


def demo_budget_xlsx() -> bytes:
    """Ак-Коргон's 2026 budget as a workbook a village office would make (title rows with a
    merged title, the header in row 3, section rows, a total with a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Бюджет 2026"
    sheet.append(
        [
            "ДЕМО / DEMO: Ак-Коргон айыл аймагынын 2026-жылга бюджети / Бюджет Ак-Коргонского айыл аймака на 2026 год"
        ]
    )
    sheet.merge_cells("A1:D1")
    sheet.append(["(демо-маалымат / демо-данные, сом)"])
    sheet.append(["Код", "Наименование / Аталышы", "План, сом", "Исполнено, сом"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    first = 4
    for section, lines in SECTIONS:
        sheet.append([None, section, None, None])
        sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
        for code, name, planned, *_rest in lines:
            sheet.append([code, name, planned, None])
    last = sheet.max_row
    sheet.append([None, "Итого расходов / Бардыгы чыгашалар", f"=SUM(C{first}:C{last})", None])
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 16
    fixed = datetime.datetime(2025, 11, 20, 9, 0)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "Aimak demo"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def seed_inclusion(municipality: Territory) -> None:
    """Add the demo's inclusion data; idempotent (a second seed changes nothing)."""
    staff = User.objects.filter(username="demo-staff").first()
    budget = Budget.objects.filter(municipality=municipality, file_name=DEMO_FILE).first()
    if budget is None:
        data = demo_budget_xlsx()
        found = inspect(data)
        budget = budget_import(
            municipality=municipality,
            data=data,
            file_name=DEMO_FILE,
            year=2026,
            version=BudgetVersion.APPROVED,
            header_row=found.header_row,
            mapping=found.suggestion,
            user=staff,
        )
        wanted = {
            code: (tag, groups, note)
            for _section, lines in SECTIONS
            for code, _name, _planned, tag, groups, note in lines
            if tag
        }
        line_tags_set(
            budget=budget,
            changes=[
                TagChange(
                    line_id=pk, tag=wanted[code][0], groups=wanted[code][1], note=wanted[code][2]
                )
                for pk, code in budget.lines.values_list("pk", "code")
                if code in wanted
            ],
            user=staff,
        )
    _link(budget, municipality, staff)


def _link(budget: Budget, municipality: Territory, user: User | None) -> None:
    """Link to B's demo budget hearing and budget resolution when they exist (by kind)."""
    hearings = list(
        Event.objects.filter(kind=EventKind.HEARING_BUDGET, municipalities=municipality).order_by(
            "-starts_at"
        )[:1]
    )
    resolution = (
        Resolution.objects.filter(municipality=municipality, decisions__kind=DecisionKind.BUDGET)
        .order_by("-date", "-pk")
        .first()
    )
    current = set(budget.hearings.values_list("pk", flat=True))
    if (resolution or budget.resolution) == budget.resolution and (
        not hearings or current == {e.pk for e in hearings}
    ):
        return
    budget_links_set(
        budget=budget,
        resolution=resolution or budget.resolution,
        hearings=hearings or list(budget.hearings.all()),
        user=user,
    )


TOTAL = sum(Decimal(p) for _s, lines in SECTIONS for _c, _n, p, *_r in lines)
