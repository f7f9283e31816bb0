from qtp.catalog.content import load_content
from tests.content.builder import write_program

LOCALES = ("en", "es", "pt_BR")


def test_the_builders_tree_is_valid(tmp_path):
    write_program(tmp_path)
    content = load_content(tmp_path, LOCALES)
    assert content.problems == []
    program = content.programs[0]
    assert [m.slug for m in program.modules] == ["01-basics", "02-aims", "03-tests"]
    module = program.modules[0]
    assert set(module.texts) == set(LOCALES)
    assert module.texts["es"].status == "current"
    assert module.texts["es"].title.endswith("[es]")
    assert len(module.texts["pt_BR"].slides) == 8
    assert "<strong>Well done.</strong>" in module.texts["en"].body_html
