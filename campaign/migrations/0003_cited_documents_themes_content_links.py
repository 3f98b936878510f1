"""The plan and the documents it rests on become CitedDocument rows; the campaign's four plan fields go.

load_plan creates the rows from campaign/data/plan.toml. A plan number an administrator entered on the
campaign (the file's is blank, "/KH-SKHCN") is kept: its row is created here, and load_plan then leaves it
alone as an administrator's edit.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


PLAN_TITLE = "về tổ chức thực hiện Phong trào thi đua “{name}”"
BLANK_NUMBERS = {"", "/KH-SKHCN"}


def keep_the_plan_number_an_administrator_entered(apps, schema_editor):
    Campaign = apps.get_model("campaign", "Campaign")
    CitedDocument = apps.get_model("campaign", "CitedDocument")
    for campaign in Campaign.objects.all():
        number = (campaign.plan_reference or "").strip()
        if number in BLANK_NUMBERS:
            continue
        CitedDocument.objects.get_or_create(
            campaign=campaign,
            role="plan",
            defaults={
                "plan_key": "cited-plan",
                "kind": "Kế hoạch",
                "number": number,
                "issued_on": campaign.plan_date,
                "issuer": "Sở Khoa học và Công nghệ",
                "title": PLAN_TITLE.format(name=campaign.name),
                "sort_order": 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaign", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="criterion",
            name="content_areas",
            field=models.ManyToManyField(
                blank=True,
                help_text="Các nội dung của mục II Kế hoạch mà kết quả tiêu chí này phản ánh (phần tổng hợp theo nội dung).",
                related_name="criteria",
                to="campaign.contentarea",
                verbose_name="nội dung thi đua",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="half_year_target",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Nếu Kế hoạch đặt mốc cho 6 tháng đầu năm; để trống thì kết quả 6 tháng chỉ báo tiến độ so với chỉ tiêu cả năm.",
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="mốc 6 tháng",
            ),
        ),
        migrations.CreateModel(
            name="Theme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "plan_key",
                    models.CharField(
                        editable=False, max_length=100, unique=True, verbose_name="khóa trong tệp kế hoạch"
                    ),
                ),
                ("plan_digest", models.CharField(blank=True, editable=False, max_length=64)),
                ("label", models.CharField(max_length=200, verbose_name="chủ đề")),
                (
                    "keywords",
                    models.JSONField(
                        default=list,
                        help_text="Danh sách từ, cụm từ (không phân biệt hoa thường) nhận ra chủ đề.",
                        verbose_name="từ khóa",
                    ),
                ),
                ("sort_order", models.PositiveIntegerField(verbose_name="thứ tự")),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="themes", to="campaign.campaign"
                    ),
                ),
            ],
            options={
                "verbose_name": "chủ đề tổng hợp",
                "verbose_name_plural": "chủ đề tổng hợp",
                "ordering": ["campaign", "sort_order"],
            },
        ),
        migrations.CreateModel(
            name="CitedDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "plan_key",
                    models.CharField(
                        editable=False, max_length=100, unique=True, verbose_name="khóa trong tệp kế hoạch"
                    ),
                ),
                ("plan_digest", models.CharField(blank=True, editable=False, max_length=64)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("plan", "Kế hoạch của Sở tổ chức thực hiện Phong trào"),
                            ("provincial_plan", "Kế hoạch của UBND tỉnh mà Sở thực hiện"),
                            ("law", "Luật Thi đua, khen thưởng"),
                            ("decree", "Nghị định quy định chi tiết Luật Thi đua, khen thưởng"),
                            ("functions", "Quyết định quy định chức năng, nhiệm vụ của Sở"),
                            ("emulation_rules", "Quy định về công tác thi đua, khen thưởng của tỉnh"),
                            ("other", "Căn cứ khác"),
                        ],
                        max_length=20,
                        verbose_name="vai trò",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        help_text="Ví dụ: Luật, Nghị định, Quyết định, Kế hoạch.",
                        max_length=50,
                        verbose_name="loại văn bản",
                    ),
                ),
                (
                    "number",
                    models.CharField(
                        blank=True,
                        help_text="Ví dụ 152/2025/NĐ-CP; để trống nếu chưa rõ.",
                        max_length=50,
                        verbose_name="số, ký hiệu",
                    ),
                ),
                ("issued_on", models.DateField(blank=True, null=True, verbose_name="ngày ban hành")),
                (
                    "issuer",
                    models.CharField(
                        blank=True, help_text="Ví dụ: Chính phủ.", max_length=200, verbose_name="cơ quan ban hành"
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="Viết như khi trích dẫn, sau tên cơ quan ban hành, ví dụ “quy định chi tiết thi hành …”.",
                        max_length=500,
                        verbose_name="trích yếu",
                    ),
                ),
                ("signer", models.CharField(blank=True, max_length=200, verbose_name="người ký")),
                (
                    "confirmed",
                    models.BooleanField(
                        default=True,
                        help_text="Bỏ chọn khi số, ngày lấy từ nguồn chưa kiểm chứng (cần đối chiếu Công báo, bản gốc).",
                        verbose_name="đã đối chiếu bản gốc",
                    ),
                ),
                (
                    "decision_basis",
                    models.BooleanField(
                        default=False,
                        help_text="In trong phần “Căn cứ” của mọi quyết định khen thưởng của Sở.",
                        verbose_name="là căn cứ của quyết định khen thưởng",
                    ),
                ),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="thứ tự")),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cited_documents",
                        to="campaign.campaign",
                    ),
                ),
            ],
            options={
                "verbose_name": "văn bản căn cứ",
                "verbose_name_plural": "văn bản căn cứ",
                "ordering": ["campaign", "sort_order", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("role", "other"), _negated=True),
                        fields=("campaign", "role"),
                        name="one_cited_document_per_role",
                    )
                ],
            },
        ),
        migrations.RunPython(keep_the_plan_number_an_administrator_entered, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="campaign",
            name="basis",
        ),
        migrations.RemoveField(
            model_name="campaign",
            name="plan_date",
        ),
        migrations.RemoveField(
            model_name="campaign",
            name="plan_reference",
        ),
        migrations.RemoveField(
            model_name="campaign",
            name="plan_summary",
        ),
    ]
