import json

import pytest
from django.core.management import CommandError, call_command

from aimak.core.models import ContentVersion
from aimak.legal.loader import DEFAULT_FILES
from aimak.legal.models import ActStatus, ActType, IssuingBody, LegalAct, LegalActLink
from aimak.legal.services import legal_acts_load

pytestmark = pytest.mark.django_db


def test_demo_seed_loaded_every_act_with_its_links():
    assert LegalAct.objects.count() == 39
    code = LegalAct.objects.get(key="kr-budget-code-2016-59")
    assert code.act_type == ActType.CODE
    assert code.body.slug == "jogorku-kenesh"
    assert code.text_ru and code.text_ky and code.partial
    assert code.status == ActStatus.IN_FORCE
    assert LegalActLink.objects.filter(
        source__key="kr-law-2011-101", target__key="kr-law-2021-123", kind="replaced_by"
    ).exists()
    # an act known by its metadata only is partial and points to its source
    metadata_only = LegalAct.objects.get(key="kr-gov-res-2017-653")
    assert metadata_only.partial and not metadata_only.has_text and metadata_only.source_url
    assert IssuingBody.objects.get(slug="gamsumo").acts.count() == 2


def test_loading_twice_changes_nothing(django_capture_on_commit_callbacks):
    version = ContentVersion.objects.filter(key="public").values_list("version", flat=True).first()
    history = LegalAct.history.count()
    result = legal_acts_load(paths=DEFAULT_FILES)
    assert (result.created, result.updated, result.links) == (0, 0, 0)
    assert result.unchanged == 39
    assert LegalAct.history.count() == history
    after = ContentVersion.objects.filter(key="public").values_list("version", flat=True).first()
    assert after == version


def test_a_changed_act_is_updated_and_reindexed(tmp_path):
    line = DEFAULT_FILES[0].read_text(encoding="utf-8").splitlines()[0]
    raw = json.loads(line)
    raw["text_ru"] = "Совершенно новый текст о пастбищах"
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = legal_acts_load(paths=[path])
    assert (result.created, result.updated) == (0, 1)
    act = LegalAct.objects.get(key=raw["id"])
    assert " пастбищ" in act.search_text
    assert act.history.count() == 2


def test_a_bad_file_changes_nothing_and_lists_every_problem(tmp_path):
    good = DEFAULT_FILES[0].read_text(encoding="utf-8").splitlines()[0]
    raw = json.loads(good)
    raw["id"] = "new-act"
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(raw, ensure_ascii=False),  # valid, but must not be saved
                '{"id": "x", "type": "письмо", "date": "2020-13-01", "issuer": "Кто-то"}',
                "not json",
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_legal_acts", str(path), verbosity=0)
    message = str(exc.value)
    assert "unknown type" in message and "bad date" in message
    assert "unknown issuing body" in message and "not JSON" in message
    assert not LegalAct.objects.filter(key="new-act").exists()


def test_command_reports(capsys):
    call_command("load_legal_acts")
    assert "0 added, 0 changed, 39 unchanged" in capsys.readouterr().out
