"""Write docs/award-rules.md from the award rules in the database (loaded from campaign/data/plan.toml).

manage.py award_rules_doc            # writes docs/award-rules.md
manage.py award_rules_doc --check    # fails when the committed file differs from the data
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from awards.models import AwardForm, AwardRule
from awards.services.rules import describe_params

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "award-rules.md"

HEADER = """# Điều kiện khen thưởng (award rules)

Tệp này được sinh tự động từ dữ liệu (`[[award_forms.rules]]` trong `campaign/data/plan.toml`, đã nạp vào cơ sở dữ
liệu) bằng lệnh `manage.py award_rules_doc`; không sửa tay. Mỗi điều kiện được kiểm tra trên hồ sơ thành tích của
cá nhân, tập thể qua các năm (`awards/services/rules.py`) và hiện trên từng đề nghị khen thưởng cùng căn cứ.

“Chặn” — không đạt thì không gửi được đề nghị; “Cảnh báo” — chỉ nhắc. “Chưa đối chiếu” — chưa đọc được văn bản gốc;
cột “Nguồn” ghi nơi điều kiện được nêu. Kết quả khen thưởng phong trào thi đua theo chuyên đề không được tính làm
căn cứ cho điều kiện về danh hiệu đã đạt (Nghị định 152/2025/NĐ-CP, Điều 4).
"""


def _cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def render_rules_doc():
    """The Markdown of docs/award-rules.md, from the active forms and rules."""
    forms = list(AwardForm.objects.filter(is_active=True).order_by("sort_order", "name"))
    forms_by_code = {form.code: form for form in AwardForm.objects.all()}
    rules = {}
    for rule in AwardRule.objects.filter(is_active=True).order_by("sort_order", "pk"):
        rules.setdefault(rule.form_id, []).append(rule)
    lines = [HEADER]
    without, unverified = [], []
    for form in forms:
        if form.pk not in rules:
            without.append(form)
            continue
        lines += [f"## {form}", "", f"Thẩm quyền: {form.conferring_authority}.", ""]
        lines += [
            "| Điều kiện | Tham số | Căn cứ | Chặn / cảnh báo | Đối chiếu văn bản gốc |",
            "| --- | --- | --- | --- | --- |",
        ]
        for rule in rules[form.pk]:
            checked = "Đã đối chiếu" if rule.verified else f"Chưa đối chiếu — nguồn: {rule.source_url}"
            if not rule.verified:
                unverified.append((form, rule))
            lines.append(
                f"| {_cell(rule.label)} | {_cell(describe_params(rule, forms_by_code))} | {_cell(rule.article)} | "
                f"{'Chặn' if rule.blocking else 'Cảnh báo'} | {_cell(checked)} |"
            )
        lines.append("")
    if without:
        lines += ["## Hình thức không có điều kiện kiểm tra trên hồ sơ", ""]
        lines += [f"- {form} ({form.conferring_authority})" for form in without]
        lines.append("")
    lines += ["## Điều kiện chưa đối chiếu văn bản gốc", ""]
    if unverified:
        lines += [f"- {form}: {_cell(rule.label)} ({_cell(rule.article)})" for form, rule in unverified]
    else:
        lines.append("Không có.")
    return "\n".join(lines).rstrip() + "\n"


class Command(BaseCommand):
    help = "Ghi docs/award-rules.md từ dữ liệu điều kiện khen thưởng."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="Tệp ghi ra (mặc định docs/award-rules.md).")
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra tệp đã khớp với dữ liệu.")

    def handle(self, *args, output, check, **options):
        text = render_rules_doc()
        path = Path(output)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} chưa khớp với dữ liệu; chạy manage.py award_rules_doc.")
            self.stdout.write(f"{path} khớp với dữ liệu.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Đã ghi {path}.")
