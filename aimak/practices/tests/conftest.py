import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aimak.accounts.models import Membership, Role
from aimak.practices.models import Theme
from aimak.practices.services import PracticeData, practice_create
from tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory(username="author1")


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger1")


@pytest.fixture
def admin(db):
    user = UserFactory(username="content1")
    Membership.objects.create(user=user, role=Role.CONTENT_ADMIN, municipality=None)
    return user


@pytest.fixture
def themes(db):
    return {t.slug: t for t in Theme.objects.all()}


def practice_data(theme_map, **overrides):
    data = PracticeData(
        title={"ky": "Суу ассоциациясы тест", "ru": "Ассоциация водопользователей тест"},
        problem={"ky": "Суу жок болчу.", "ru": "Не было воды."},
        solution={"ky": "Ассоциация түзүлдү.", "ru": "Создали ассоциацию."},
        results={"ky": "Суу бар.", "ru": "Вода есть."},
        themes=[theme_map["drinking-water"]],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def make_practice(themes):
    def make(author, **overrides):
        return practice_create(author=author, data=practice_data(themes, **overrides))

    return make


def png_file(name="photo.png", size=(2000, 1200)):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_file(name="report.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def docx_file(name="plan.docx"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
