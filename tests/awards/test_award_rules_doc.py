"""docs/award-rules.md is what `manage.py award_rules_doc` writes from the rules as loaded from the plan."""

import pytest
from django.core.management import CommandError, call_command

from awards.management.commands.award_rules_doc import DEFAULT_OUTPUT, render_rules_doc
from awards.models import AwardRule

pytestmark = pytest.mark.django_db


def test_the_committed_rules_table_equals_what_the_command_writes(plan, tmp_path):
    written = tmp_path / "award-rules.md"
    call_command("award_rules_doc", output=str(written))
    assert written.read_text(encoding="utf-8") == DEFAULT_OUTPUT.read_text(encoding="utf-8")
    call_command("award_rules_doc", check=True)


def test_the_table_names_each_article_and_the_unverified_mark(plan):
    text = render_rules_doc()
    assert "## Chiến sĩ thi đua cấp tỉnh" in text
    assert "03 lần liên tục “Chiến sĩ thi đua cơ sở”, đến năm xét" in text
    assert "Luật Thi đua, khen thưởng 2022, Điều 22" in text
    assert text.count("Chưa đối chiếu — nguồn:") == AwardRule.objects.filter(verified=False).count()


def test_a_changed_rule_makes_the_check_fail(plan):
    params = {"of_form": "lao-dong-tien-tien", "percent": 20, "rounding": "floor"}
    AwardRule.objects.filter(code="ty-le-15-phan-tram").update(params=params)
    with pytest.raises(CommandError, match="chưa khớp"):
        call_command("award_rules_doc", check=True)
