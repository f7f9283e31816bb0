"""Bundles built from the content files: an editable PowerPoint and a 16:9 PDF per module and language, a
manifest whose hashes match the files, reproducible bytes, nothing rebuilt while the content is unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, gettext
from pptx import Presentation

from qtp.catalog.content import load_content
from qtp.licensing.bundles.build import BUILDER_VERSION, build_bundles
from qtp.licensing.models import Bundle
from tests.content.builder import write_highlights, write_program
from tests.pdf.support import pdf_info, pdf_text, words

LOCALES = ("en", "es", "pt_BR")
EPOCH = "1764547200"  # 2025-12-01T00:00:00Z


FILES_ONLY = pytest.mark.files_only  # build_bundles reads courses/ and writes files, nothing else


@pytest.fixture
def courses(tmp_path):
    root = tmp_path / "courses"
    write_program(root)
    return root


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def gettext_in(app, locale: str, message: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message)


def _outline(courses, locale: str):
    (program,) = load_content(courses, LOCALES).programs
    return program, [(m, m.texts[locale]) for m in program.modules]


@FILES_ONLY
def test_each_module_becomes_a_powerpoint_and_a_pdf_in_each_language(app, courses, tmp_path, epoch):
    out = tmp_path / "bundles"
    with app.app_context():
        report = build_bundles(courses, out, LOCALES)
    assert sorted(report.built) == ["six_month/en", "six_month/es", "six_month/pt_BR"]
    for locale in LOCALES:
        program, modules = _outline(courses, locale)
        folder = out / "six_month" / locale
        for module, text in modules:
            deck = Presentation(io.BytesIO((folder / "slides" / f"{module.slug}.pptx").read_bytes()))
            assert len(deck.slides) == 2 + len(text.slides), "a title slide, the objectives, then the outline"
            cover = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
            assert text.title in cover and program.config["titles"][locale] in cover, "the module's title slide"
            objectives = " ".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)
            assert all(objective in objectives for objective in text.objectives.values())
            first = deck.slides[2]
            shown = " ".join(shape.text_frame.text for shape in first.shapes if shape.has_text_frame)
            assert text.slides[0].title in shown and text.slides[0].bullets[0] in shown
            assert first.notes_slide.notes_text_frame.text == text.slides[0].notes, "facilitator notes"
            assert all(slide.notes_slide.notes_text_frame.text.strip() for slide in deck.slides), "notes on every slide"
            assert deck.core_properties.title.startswith(text.title)
            pdf = (folder / "slides" / f"{module.slug}.pdf").read_bytes()
            info = pdf_info(pdf)
            slides = 2 + len(text.slides)
            pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
            assert slides < pages < 2 * slides, "the slides, then the notes pages"
            assert "960 x 540 pts" in info, "16:9, the PowerPoint's size"
            extracted = words(pdf_text(pdf))
            assert gettext_in(app, locale, "Facilitator notes") in extracted
            assert all(slide.title in extracted and slide.notes in extracted for slide in text.slides)
            assert program.config["titles"][locale] in extracted


@FILES_ONLY
def test_the_manifest_lists_every_file_with_its_hash(app, courses, tmp_path, epoch):
    out = tmp_path / "bundles"
    with app.app_context():
        build_bundles(courses, out, LOCALES)
    folder = out / "six_month" / "es"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["product"] == "six_month" and manifest["locale"] == "es"
    assert manifest["built_at"] == "2025-12-01T00:00:00Z"
    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == on_disk and len(listed) == 6 + 1 + 5  # two decks per module, the manual, the logo pack
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()


@FILES_ONLY
def test_the_logo_pack_holds_the_svg_three_pngs_and_the_guidelines_in_the_language(app, courses, tmp_path, epoch):
    from PIL import Image

    from qtp.core.pdf import static_path

    out = tmp_path / "bundles"
    with app.app_context():
        build_bundles(courses, out, LOCALES)
    for locale in LOCALES:
        logo = out / "six_month" / locale / "logo"
        assert (logo / "qtp-logo.svg").read_bytes() == static_path("img/qtp-mark.svg").read_bytes()
        for size in (256, 512, 1024):
            assert Image.open(logo / f"qtp-logo-{size}.png").size == (size, size)
        with app.test_request_context(), force_locale(locale):
            title = gettext("Using the QTP logo")
        assert title in words(pdf_text((logo / "logo-usage-guidelines.pdf").read_bytes()))


@FILES_ONLY
def test_only_the_bundles_asked_for_are_built(app, courses, tmp_path, epoch):
    write_highlights(courses)
    out = tmp_path / "bundles"
    steps = []
    with app.app_context():
        report = build_bundles(
            courses, out, LOCALES, only=frozenset({"symposium_highlights/es"}), progress=lambda d, t: steps.append(t)
        )
        assert report.built == ["symposium_highlights/es"] and report.skipped == []
        assert steps == [1], "one step: the one package"
        assert sorted(str(p.relative_to(out)) for p in out.glob("*/*")) == ["symposium_highlights/es"]
        again = build_bundles(courses, out, LOCALES, only=frozenset({"six_month/pt_BR", "symposium_highlights/es"}))
    assert again.built == ["six_month/pt_BR"] and again.skipped == ["symposium_highlights/es"]


@FILES_ONLY
def test_builds_are_reproducible_and_skipped_when_nothing_changed(app, courses, tmp_path, epoch):
    write_highlights(courses)
    first, second = tmp_path / "one", tmp_path / "two"
    with app.app_context():
        build_bundles(courses, first, LOCALES)
        build_bundles(courses, second, LOCALES)
        for path in first.rglob("*"):
            if path.is_file():
                assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path
        again = build_bundles(courses, first, LOCALES)
        assert again.built == [] and len(again.skipped) == 6, (
            "the program's and the package's bundles, in three languages"
        )

        slides = courses / "test-program" / "01-basics" / "slides.en.md"
        slides.write_text(slides.read_text("utf-8").replace("Notes:", "Notes:\nA new first sentence.", 1), "utf-8")
        changed = build_bundles(courses, first, LOCALES)
    assert sorted(changed.built) == ["six_month/en", "six_month/es", "six_month/pt_BR"]
    manifest = json.loads((first / "six_month" / "en" / "manifest.json").read_text("utf-8"))
    assert (
        BUILDER_VERSION
        and manifest["content_version"]
        != json.loads((second / "six_month" / "en" / "manifest.json").read_text("utf-8"))["content_version"]
    )


def test_the_command_shows_progress_records_the_bundles_and_refuses_broken_content(
    app, session, courses, tmp_path, epoch, monkeypatch
):
    monkeypatch.setitem(app.config, "QTP_CONTENT_ROOT", str(courses))
    monkeypatch.setitem(app.config, "QTP_BUNDLE_DIR", str(tmp_path / "bundles"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qtp", "bundles", "build"])
    assert result.exit_code == 0, result.output
    assert "Building the licensed-content bundles" in result.output and "100% (" in result.output
    assert "3 built, 0 unchanged" in result.output
    bundles = {(b.product, b.locale): b for b in session.query(Bundle)}
    assert set(bundles) == {("six_month", "en"), ("six_month", "es"), ("six_month", "pt_BR")}
    spanish = bundles[("six_month", "es")]
    assert spanish.file_count == 12 and spanish.size > 0 and spanish.built_at.year == 2025
    assert "0 built, 3 unchanged" in runner.invoke(args=["qtp", "bundles", "build"]).output
    assert session.query(Bundle).count() == 3
    # Beside the server (make run): every line says it is the bundles', the process yields to the server.
    niceness = []
    monkeypatch.setattr("os.nice", niceness.append)
    beside = runner.invoke(args=["qtp", "bundles", "build", "--background", "--force"])
    lines = beside.output.splitlines()
    assert beside.exit_code == 0 and niceness == [10] and lines[-1].endswith("3 built, 0 unchanged.")
    assert all(line.startswith("bundles: ") for line in lines) and "not built yet" in lines[0]
    (courses / "test-program" / "program.yaml").write_text("slug: [broken", "utf-8")
    broken = runner.invoke(args=["qtp", "bundles", "build", "--force"])
    assert broken.exit_code != 0 and "program.yaml" in broken.output


@FILES_ONLY
def test_the_manual_holds_the_guide_then_each_module_in_the_bundle_language(app, courses, tmp_path, epoch):
    out = tmp_path / "bundles"
    with app.app_context():
        build_bundles(courses, out, LOCALES)
    for locale in ("es", "pt_BR"):
        program, modules = _outline(courses, locale)
        manual = (out / "six_month" / locale / "manual" / "faculty-manual.pdf").read_bytes()
        text = words(pdf_text(manual))
        assert program.faculty[locale].title in text and f"Aims workshop [{locale}]" in text, "the guide comes first"
        assert "09:00–10:30" in text, "with the agendas' timings"
        for _module, outline in modules:
            assert outline.title in text
            for objective in outline.objectives.values():
                assert objective in text
            for slide in outline.slides:
                assert slide.title in text and slide.notes in text, "each slide's facilitator notes"
            for question in outline.questions.values():
                assert question["prompt"] in text
                assert all(option["feedback"] in text for option in question["options"].values())
        other = "pt_BR" if locale == "es" else "es"
        assert f"Say this about 0 [{other}]." not in text, "nothing from another language"
        assert "Pages:" in pdf_info(manual)


@FILES_ONLY
def test_the_highlights_package_holds_the_abstracts_and_only_the_slides_presenters_released(
    app, courses, tmp_path, epoch
):
    write_highlights(courses)
    out = tmp_path / "bundles"
    with app.app_context():
        report = build_bundles(courses, out, LOCALES)
    assert sorted(name for name in report.built if name.startswith("symposium")) == [
        "symposium_highlights/en",
        "symposium_highlights/es",
        "symposium_highlights/pt_BR",
    ]
    folder = out / "symposium_highlights" / "pt_BR"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    paths = {entry["path"] for entry in manifest["files"]}
    assert {"original-slides/consent-first.pptx", "original-slides/consent-first.pdf"} <= paths
    assert not [path for path in paths if "unpublished-data" in path or "awaiting-reply" in path]
    assert manifest["left_out"] == [
        {
            "presentation": "unpublished-data",
            "title": "Abstract of unpublished-data [pt_BR]",
            "presenter": "Dr. Presenter unpublished-data",
            "reason": "permission_refused",
        },
        {
            "presentation": "awaiting-reply",
            "title": "Abstract of awaiting-reply [pt_BR]",
            "presenter": "Dr. Presenter awaiting-reply",
            "reason": "permission_pending",
        },
    ]
    book = words(pdf_text((folder / "abstracts" / "selected-abstracts.pdf").read_bytes()))
    for presentation in ("consent-first", "unpublished-data", "awaiting-reply"):
        assert f"Abstract of {presentation} [pt_BR]" in book, "every selected abstract, in the bundle's language"
    deck = Presentation(io.BytesIO((folder / "original-slides" / "consent-first.pptx").read_bytes()))
    assert len(deck.slides) == 1 + 4
    assert deck.slides[1].notes_slide.notes_text_frame.text == "Decir 0.", "the original slides, as presented"
    assert deck.core_properties.language == "es"


def test_a_built_bundle_downloads_as_a_zip_whose_entries_match_the_manifest(
    app, client, session, courses, tmp_path, epoch, monkeypatch
):
    from datetime import timedelta

    from qtp.licensing.models import License, LicenseSeat
    from qtp.licensing.services import record_bundles
    from tests.factories import make_organization, make_user
    from tests.helpers import login

    out = tmp_path / "bundles"
    monkeypatch.setitem(app.config, "QTP_BUNDLE_DIR", str(out))
    with app.app_context():
        build_bundles(courses, out, ("en", "es"))
    record_bundles(session, out)
    today = datetime.now(UTC).date()
    licence = License(
        number="QTP-L-2026-0077",
        organization=make_organization(session, "Instituto de Pruebas", kind="licensee", country="MX"),
        product="six_month",
        locales=["es"],
        territory=["MX"],
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
        seats=1,
    )
    holder = make_user(session, roles=["licensee"])
    session.add(licence)
    session.flush()
    session.add(LicenseSeat(license_id=licence.id, user_id=holder.id))
    session.commit()
    login(client, holder.email)
    page = client.get(f"/licenses/{licence.id}/bundles/es").get_data(as_text=True)
    start = page.index('href="/downloads/') + len('href="')
    archive = zipfile.ZipFile(io.BytesIO(client.get(page[start : page.index('"', start)]).data))
    manifest = json.loads(archive.read("qtp-six-month-es/manifest.json"))
    assert manifest == json.loads((out / "six_month" / "es" / "manifest.json").read_text("utf-8"))
    for entry in manifest["files"]:
        data = archive.read(f"qtp-six-month-es/{entry['path']}")
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"], entry["path"]
    extra = set(archive.namelist()) - {f"qtp-six-month-es/{e['path']}" for e in manifest["files"]}
    assert extra == {
        "qtp-six-month-es/manifest.json",
        "qtp-six-month-es/licence-certificate.pdf",
        "qtp-six-month-es/licence-terms.txt",
    }
