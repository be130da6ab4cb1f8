import factory

from aimak.accounts.models import ApiToken, AudienceCategory, Membership, Role, User
from aimak.catalogue.models import ProviderType, Service, ServiceProvision
from aimak.territories.models import Territory

# The demo accounts are demo-<role> (aimak/demo/seed.py), one per role of BRIEF.md.
DEMO_ROLES = [
    "staff",
    "deputy",
    "monitor",
    "enumerator",
    "facilitator",
    "programme",
    "content",
    "clientbase",
    "expert",
    "admin",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kg")
    full_name = factory.Faker("name", locale="ru_RU")
    audience_category = AudienceCategory.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# Current municipalities of the loaded registry, in code order (evaluated on first use).
MUNICIPALITIES = Territory.objects.filter(
    level__in=("aimak", "city"), valid_to__isnull=True
).order_by("code")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A municipal membership; pass municipality=None with a national role."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF
    municipality = factory.Iterator(MUNICIPALITIES)
    granted_by = None


def api_token(user=None, **user_fields) -> tuple[ApiToken, str]:
    """A bearer token made the way the profile page makes it: (token, raw value)."""
    from aimak.accounts.services import api_token_create

    return api_token_create(user=user or UserFactory(**user_fields), name="test script")


class ServiceProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvision

    municipality = factory.Iterator(MUNICIPALITIES)
    service = factory.Iterator(Service.objects.order_by("order", "slug"))
    provider_type = ProviderType.LSG
    provider_name = factory.Sequence(lambda n: f"Provider {n}")
