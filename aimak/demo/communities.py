"""Demo data for aimak.communities (all marked as demo): three communities of practice in
ky/ru with threads and replies from demo users, a mention, a post hidden by reports and a
post edited by a moderator. Idempotent: a community already there is left as it is."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from aimak.accounts.models import User
from aimak.communities.models import Access, Community, Post, Thread
from aimak.communities.services import (
    CommunityData,
    community_join,
    community_save,
    member_approve,
    post_create,
    post_moderate,
    post_report,
    thread_create,
)
from aimak.practices.models import Theme
from aimak.territories.models import Territory

COMMUNITIES = (
    (
        "demo-pastures",
        "pastures",
        Access.OPEN,
        ("Жайыттарды башкаруу (демо)", "Управление пастбищами (демо)", "Pasture management (DEMO)"),
        (
            "Жайыт комитеттери, айыл өкмөттөрү жана эксперттер үчүн тажрыйба алмашуу (демо).",
            "Обмен опытом для пастбищных комитетов, айыл окмоту и экспертов (демо).",
        ),
        ("demo-facilitator",),
    ),
    (
        "demo-local-budget",
        "budget-planning",
        Access.OPEN,
        ("Жергиликтүү бюджет (демо)", "Местный бюджет (демо)", "Local budget (DEMO)"),
        (
            "Бюджетти пландоо, ачык бюджет жана коомдук угуулар тууралуу (демо).",
            "Планирование бюджета, открытый бюджет и публичные слушания (демо).",
        ),
        ("demo-expert",),
    ),
    (
        "demo-waste",
        "waste",
        Access.MEMBERS,
        ("Таштандыларды башкаруу (демо)", "Управление отходами (демо)", "Waste management (DEMO)"),
        (
            "Катуу тиричилик калдыктарын чогултуу жана тарифтер; мүчөлөр үчүн гана (демо).",
            "Сбор твёрдых бытовых отходов и тарифы; только для участников (демо).",
        ),
        (),
    ),
)

# community slug -> threads: (author, title, [(author, body), ...]); the first body opens it.
THREADS = {
    "demo-pastures": [
        (
            "demo-staff",
            "Жайыт билетинин акысын кантип эсептейсиздер? (демо)",
            [
                (
                    "demo-staff",
                    "Биздин айыл аймакта жайыт билетинин акысы 2019-жылдан бери "
                    "өзгөргөн жок. Башка аймактарда кантип эсептешет? (демо)",
                ),
                (
                    "demo-facilitator",
                    "У нас считают по условным головам: корова = 1, овца = 0,2. "
                    "Тариф утверждает кенеш по предложению жайыт комитета. (демо)",
                ),
                (
                    "demo-monitor",
                    "@demo-staff, биз былтыр коомдук угуу өткөрдүк, протоколун бөлүшө алам. (демо)",
                ),
            ],
        ),
        (
            "demo-deputy",
            "Пастбищные маршруты и ротация (демо)",
            [
                ("demo-deputy", "Какие карты пастбищ вы используете для ротации? (демо)"),
                ("demo-enumerator", "КУПИТЕ ДЕШЁВЫЙ КОРМ!!! Звоните прямо сейчас (демо)"),
                (
                    "demo-expert",
                    "Смотрите методичку по пастбищной ротации, там есть шаблоны "
                    "карт. Позвоните мне по телефону 0555 123 456 (демо)",
                ),
            ],
        ),
    ],
    "demo-local-budget": [
        (
            "demo-programme",
            "Ачык бюджет: жарандар үчүн бюджет (демо)",
            [
                (
                    "demo-programme",
                    "Кто уже публикует «бюджет для граждан»? Поделитесь примерами. (демо)",
                ),
                ("demo-staff", "Биз былтыр биринчи жолу чыгардык, 4 барак, сүрөттөр менен. (демо)"),
            ],
        ),
    ],
    "demo-waste": [
        (
            "demo-staff",
            "Таштанды чогултуунун тарифи (демо)",
            [
                ("demo-staff", "Тарифти кайра эсептөө үчүн кандай маалымат керек? (демо)"),
                ("demo-deputy", "Чыгымдардын толук тизмеси жана абоненттердин саны. (демо)"),
            ],
        ),
    ],
}

SPAM_BODY = "КУПИТЕ ДЕШЁВЫЙ КОРМ!!! Звоните прямо сейчас (демо)"
EDITED_BODY_START = "Смотрите методичку"
REPORTERS = ("demo-deputy", "demo-monitor", "demo-staff")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def seed_communities(municipality: Territory) -> None:
    """Create the demo communities once (idempotent: existing ones are kept as they are)."""
    admin = _user("demo-content")
    themes = {t.slug: t for t in Theme.objects.all()}
    for slug, theme, access, names, descriptions, moderators in COMMUNITIES:
        if Community.objects.filter(slug=slug).exists():
            continue
        with transaction.atomic():
            community = community_save(
                by=admin,
                data=CommunityData(
                    slug=slug,
                    name=dict(zip(("ky", "ru", "en"), names, strict=True)),
                    description={"ky": descriptions[0], "ru": descriptions[1]},
                    theme=themes.get(theme),
                    access=access,
                    moderators=[_user(m) for m in moderators],
                ),
            )
            _fill(community)


def _fill(community: Community) -> None:
    people = {p for _a, _t, posts in THREADS[community.slug] for p, _b in posts}
    admin = _user("demo-content")
    for username in sorted(people | {"demo-monitor"}):
        member = community_join(user=_user(username), community=community)
        if member.status != "active":
            member_approve(moderator=admin, community=community, member=member)
    now = timezone.now()
    for days_ago, (author, title, posts) in enumerate(reversed(THREADS[community.slug]), 1):
        opened = now - datetime.timedelta(days=3 * days_ago)
        thread = thread_create(
            author=_user(author), community=community, title=title, body=posts[0][1]
        )
        for username, body in posts[1:]:
            post_create(author=_user(username), thread=thread, body=body)
        # Spread the demo over days, so the 30-minute edit window is over.
        for i, post in enumerate(thread.posts.order_by("pk")):
            Post.objects.filter(pk=post.pk).update(
                created_at=opened + datetime.timedelta(hours=5 * i)
            )
        last = opened + datetime.timedelta(hours=5 * (len(posts) - 1))
        Thread.objects.filter(pk=thread.pk).update(created_at=opened, last_post_at=last)
    spam = Post.objects.filter(thread__community=community, body__contains="КУПИТЕ").first()
    if spam is not None:
        for username in REPORTERS:
            post_report(reporter=_user(username), post=spam, reason="spam", text="(демо)")
    edited = Post.objects.filter(
        thread__community=community, body__contains=EDITED_BODY_START
    ).first()
    if edited is not None:
        post_moderate(
            moderator=admin,
            post=edited,
            action="edit",
            note="Личный номер телефона убран (демо)",
            body="Смотрите методичку по пастбищной ротации, там есть шаблоны карт. "
            "Контакты — в личных сообщениях. (демо)",
        )
