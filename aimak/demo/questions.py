"""Demo data for aimak.questions (all marked as demo): routing rules, answer templates and
ten questions in Kyrgyz and Russian — answered in time, late, on behalf of a state body,
private, open with the clock running, overdue and not yet routed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from aimak.accounts.models import User
from aimak.legal.models import IssuingBody
from aimak.practices.models import Expert, Theme
from aimak.questions.models import AnswerTemplate, Question, RoutingRule
from aimak.questions.services import (
    answer_add,
    question_ask,
    question_rate,
    question_route,
    rule_save,
    template_save,
)
from aimak.territories.models import Territory

H = datetime.timedelta(hours=1)

RULES = [
    # theme, expert name or None, body slug or None
    ("strategic-planning", "Марат Исаков (DEMO)", None),
    ("drinking-water", "Нургүл Асанова (DEMO)", None),
    ("local-revenue", None, "minfin"),
]

TEMPLATES = [
    (
        {"ky": "Куттуктоо жана шилтеме (демо)", "ru": "Приветствие и ссылка (демо)"},
        {
            "ky": "Урматтуу суроо берүүчү!\n\nСуроого рахмат. Бул маселе боюнча мыйзамдын "
            "тиешелүү беренесин Айымак порталындагы «Укуктук актылар» бөлүмүнөн таба аласыз.\n\n"
            "(демо)",
            "ru": "Уважаемый автор вопроса!\n\nСпасибо за вопрос. Соответствующую статью закона "
            "вы найдёте в разделе «Правовые акты» портала Аймак.\n\n(демо)",
        },
        None,
    ),
    (
        {"ky": "Мамлекеттик органга жөнөтүлдү (демо)", "ru": "Передано в госорган (демо)"},
        {
            "ky": "Сурооңуз тиешелүү мамлекеттик органга жөнөтүлдү. Алардын жообу ушул жерде "
            "жарыяланат.\n\n(демо)",
            "ru": "Ваш вопрос передан в профильный государственный орган. Его ответ будет "
            "опубликован здесь.\n\n(демо)",
        },
        None,
    ),
    (
        {"ky": "Ичүүчү суу тарифи (демо)", "ru": "Тариф на питьевую воду (демо)"},
        {
            "ky": "Ичүүчү суунун тарифи айылдык кеңештин токтому менен коомдук угуудан кийин "
            "бекитилет.\n\n(демо)",
            "ru": "Тариф на питьевую воду утверждается постановлением айылного кенеша после "
            "общественных слушаний.\n\n(демо)",
        },
        "drinking-water",
    ),
]

# asker, theme, language, title, body, visibility, hours ago, route (expert name | body slug
# | None for the rule or none), answerer, hours to the answer (None: no answer), rating
QUESTIONS = [
    ("demo-staff", "strategic-planning", "ru",
     "Как обновить ПСЭР айылного аймака в середине срока? (демо)",
     "Программа принята на 2024–2028 годы, но приоритеты изменились.", "public",
     40 * 24, None, "demo-expert", 5, 5),
    ("demo-monitor", "drinking-water", "ky",
     "Суу тарифин ким бекитет жана угуу милдеттүүбү? (демо)",
     "Айылда суу тарифи көтөрүлдү, бирок угуу болгон жок.", "public",
     35 * 24, None, "demo-content", 30, 3),
    ("demo-facilitator", "local-revenue", "ru",
     "Может ли айыл окмоту снизить ставку налога на имущество? (демо)",
     "", "public", 28 * 24, None, "demo-content", 20, 4),
    ("demo-deputy", "participation", "ky",
     "Коомдук угуунун протоколун ким жана канча күндө жарыялашы керек? (демо)",
     "", "public", 20 * 24, "body:gamsumo", "demo-content", 10, None),
    ("demo-enumerator", "budget-planning", "ky",
     "Айылдык бюджеттин долбоорун кайдан көрсө болот? (демо)",
     "Жеке суроо: атымды жарыялабаңыздар.", "private",
     12 * 24, "expert:Айгүл Токтосунова (DEMO)", "demo-content", 2, 5),
    ("demo-deputy", "municipal-property", "ru",
     "Нужен ли аукцион при сдаче в аренду муниципального помещения? (демо)",
     "", "public", 70 * 24, "expert:Бакыт Жумабеков (DEMO)", "demo-content", 23, 4),
    ("demo-staff", "pastures", "ky",
     "Жайыт билетинин баасын жайыт комитети өзү аныктай алабы? (демо)",
     "", "public", 3, "expert:Жылдыз Садыкова (DEMO)", None, None, None),
    ("demo-monitor", "monitoring", "ru",
     "Как часто нужно проводить отчётную карточку граждан? (демо)",
     "", "public", 30, "expert:Марат Исаков (DEMO)", None, None, None),
    ("demo-deputy", "waste", "ky",
     "Таштанды чыгаруу графигин ким бекитет? (демо)", "", "public",
     1, None, None, None, None),
    ("demo-facilitator", "digital", "ru",
     "Можно ли принимать заявления граждан по электронной почте? (демо)",
     "", "public", 65 * 24, "body:gamsumo", "demo-content", 50, None),
]  # fmt: skip

ANSWERS = {
    "ky": "Демо жооп: мыйзам боюнча бул маселени айылдык кеңеш чечет; угуу милдеттүү. "
    "Толук маалымат «Укуктук актылар» бөлүмүндө. (демо)",
    "ru": "Демо-ответ: по закону этот вопрос решает местный кенеш после обсуждения с "
    "жителями; подробнее — в разделе «Правовые акты». (демо)",
}


def seed_questions(municipality: Territory) -> None:
    """Add the demo's questions data; idempotent (a second seed changes nothing)."""
    content = User.objects.get(username="demo-content")
    themes = {t.slug: t for t in Theme.objects.all()}
    experts = {e.name: e for e in Expert.objects.all()}
    bodies = {b.slug: b for b in IssuingBody.objects.all()}
    for rule_theme, rule_expert, rule_body in RULES:
        if RoutingRule.objects.filter(theme=themes[rule_theme]).exists():
            continue
        if (rule_expert and rule_expert not in experts) or (rule_body and rule_body not in bodies):
            continue
        rule_save(
            by=content,
            theme=themes[rule_theme],
            expert=experts.get(rule_expert) if rule_expert else None,
            body=bodies.get(rule_body) if rule_body else None,
        )
    for t_title, t_text, t_theme in TEMPLATES:
        if AnswerTemplate.objects.filter(title_ru=t_title["ru"]).exists():
            continue
        template_save(by=content, title=t_title, body=t_text, theme=themes.get(t_theme or ""))
    now = timezone.now()
    for row in QUESTIONS:
        (asker, theme, language, title, body, visibility, hours_ago, route, answerer,
         answer_after, rating) = row  # fmt: skip
        if Question.objects.filter(title=title).exists():
            continue
        asked_at = now - hours_ago * H
        question = question_ask(
            author=User.objects.get(username=asker),
            theme=themes[theme],
            title=title,
            body=body,
            municipality=municipality,
            visibility=visibility,
            language=language,
            at=asked_at,
        )
        if route:
            kind, _sep, key = route.partition(":")
            target = experts.get(key) if kind == "expert" else bodies.get(key)
            if target is not None:
                question_route(
                    question=question,
                    by=content,
                    expert=target if kind == "expert" else None,
                    body=target if kind == "body" else None,
                    at=asked_at + H / 2,
                )
                question.refresh_from_db()
        if answerer and answer_after is not None:
            answer_add(
                question=question,
                by=User.objects.get(username=answerer),
                body=ANSWERS[language],
                at=asked_at + answer_after * H,
            )
        if rating:
            question_rate(
                question=question,
                by=question.author,
                rating=rating,
                comment="Рахмат, түшүнүктүү болду. (демо)"
                if language == "ky"
                else "Спасибо, всё понятно. (демо)",
            )
