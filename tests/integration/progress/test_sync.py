from qtp.catalog.models import Module, ModuleText, Program
from qtp.catalog.sync import sync_content
from qtp.progress.models import ModuleProgress
from tests.content.builder import write_locale
from tests.integration.progress.conftest import LOCALES


def test_first_sync_indexes_programs_modules_and_texts(session, synced):
    assert synced.config["pass_mark"] == 75
    assert [m.slug for m in synced.modules] == ["01-basics", "02-aims", "03-tests"]
    assert session.query(ModuleText).count() == 9
    assert synced.synced_at is not None and len(synced.content_hash) == 32


def test_a_second_sync_changes_nothing(session, synced, tree):
    before = {(m.slug, m.content_hash, m.updated_at) for m in session.query(Module)}
    result = sync_content(session, tree, LOCALES)
    session.commit()
    assert result.unchanged
    assert {(m.slug, m.content_hash, m.updated_at) for m in session.query(Module)} == before


def test_a_changed_module_gets_a_new_version_and_history_keeps_the_old(session, synced, tree, participant):
    module = session.query(Module).filter_by(slug="01-basics").one()
    old_version = module.content_hash
    session.add(ModuleProgress(user_id=participant.id, module_id=module.id, content_version=old_version))
    session.commit()
    folder = tree / "test-program" / "01-basics"
    write_locale(folder, "en", body="## Changed\n\n" + "New lesson text about infusion-chair waits. " * 100)
    result = sync_content(session, tree, LOCALES)
    session.commit()
    assert (result.modules_updated, result.modules_unchanged) == (1, 2)
    session.expire_all()
    module = session.query(Module).filter_by(slug="01-basics").one()
    assert module.content_hash != old_version
    assert session.query(ModuleProgress).one().content_version == old_version
    statuses = {t.locale: t.status for t in module.texts}
    assert statuses == {"en": "source", "es": "stale", "pt_BR": "stale"}
    assert any("stale translation" in str(w) for w in result.warnings)


def test_a_removed_module_is_retired_not_deleted(session, synced, tree):
    import shutil

    import yaml

    shutil.rmtree(tree / "test-program" / "03-tests")
    path = tree / "test-program" / "program.yaml"
    data = yaml.safe_load(path.read_text())
    data["modules"].remove("03-tests")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = sync_content(session, tree, LOCALES)
    session.commit()
    assert result.modules_retired == 1
    retired = session.query(Module).filter_by(slug="03-tests").one()
    assert retired.is_active is False


def test_sync_command_reports_and_is_idempotent(app, committed_db, tree, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_CONTENT_ROOT", str(tree))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["qtp", "content", "sync"])
    assert first.exit_code == 0, first.output
    assert "3 new" in first.output
    second = runner.invoke(args=["qtp", "content", "sync"])
    assert "content unchanged" in second.output
    assert committed_db.query(Program).count() == 1
