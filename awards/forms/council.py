"""Forms of the council's pages: members, convening a meeting, the agenda, attendance, the tally and the ballot.

They read and check what was typed; awards.services.council persists. Dates and times are typed
as dd/mm/yyyy hh:mm.
"""

from django import forms

from portal.forms import CrispyForm
from units.models import User

from ..models import AwardRound, BallotTally, CouncilMeeting, CouncilMember, CouncilRole, Nomination

DATETIME_FORMAT = "%d/%m/%Y %H:%M"


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        unit = f" — {user.unit.name}" if user.unit_id else ""
        return f"{user.get_full_name()}{unit}"


class CouncilMemberForm(CrispyForm):
    user = _UserChoiceField(
        label="Thành viên",
        queryset=User.objects.none(),
        error_messages={
            "required": "Vui lòng chọn người được bổ sung vào Hội đồng.",
            "invalid_choice": "Người được chọn không hợp lệ hoặc đã là thành viên Hội đồng.",
        },
    )
    role = forms.ChoiceField(
        label="Vai trò",
        choices=CouncilRole.choices,
        initial=CouncilRole.MEMBER,
        error_messages={"required": "Vui lòng chọn vai trò.", "invalid_choice": "Vai trò không hợp lệ."},
    )
    title_in_council = forms.CharField(
        label="Chức danh trong Hội đồng (không bắt buộc)",
        max_length=200,
        required=False,
        help_text="Ví dụ: Phó Giám đốc Sở, Ủy viên thường trực.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seated = CouncilMember.objects.filter(is_active=True).values("user_id")
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True).exclude(pk__in=seated).select_related("unit").order_by("full_name")
        )


class MeetingForm(CrispyForm):
    round = forms.ModelChoiceField(
        label="Đợt xét khen thưởng",
        queryset=AwardRound.objects.filter(status__in=[AwardRound.Status.OPEN, AwardRound.Status.CLOSED]),
        error_messages={"required": "Vui lòng chọn đợt xét.", "invalid_choice": "Đợt xét không hợp lệ."},
    )
    title = forms.CharField(
        label="Tên cuộc họp",
        max_length=255,
        error_messages={"required": "Vui lòng nhập tên cuộc họp."},
    )
    scheduled_at = forms.DateTimeField(
        label="Thời gian họp",
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
        help_text="Ví dụ: 05/12/2026 14:00.",
        error_messages={
            "required": "Vui lòng nhập thời gian họp (dd/mm/yyyy hh:mm).",
            "invalid": "Thời gian không hợp lệ; vui lòng nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 05/12/2026 14:00.",
        },
    )
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    voting = forms.ChoiceField(
        label="Hình thức bỏ phiếu",
        choices=CouncilMeeting.Voting.choices,
        initial=CouncilMeeting.Voting.PAPER,
        widget=forms.RadioSelect,
        error_messages={"required": "Vui lòng chọn hình thức bỏ phiếu.", "invalid_choice": "Hình thức không hợp lệ."},
    )


class _NominationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, nomination):
        return f"{nomination.nominee_name} — {nomination.form} — {nomination.unit.name}"


class AgendaAddForm(CrispyForm):
    nominations = _NominationChoiceField(
        label="Hồ sơ đã gửi của đợt xét",
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Vui lòng chọn ít nhất một đề nghị khen thưởng.",
            "invalid_choice": "Đề nghị được chọn không còn ở trạng thái đã gửi.",
            "invalid_pk_value": "Đề nghị được chọn không hợp lệ.",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates


class _MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, member):
        return f"{member.name} ({member.get_role_display()})"


class AttendanceForm(CrispyForm):
    present = _MemberChoiceField(
        label="Thành viên có mặt",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Người được chọn không phải thành viên của cuộc họp."},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = meeting.members.all()
        self.fields["present"].queryset = members
        self.fields["present"].initial = [member.pk for member in members if member.attended]


CASTING_CHOICES = (
    ("", "—"),
    ("agree", "Đồng ý"),
    ("disagree", "Không đồng ý"),
)
COUNT_ERRORS = {
    "invalid": "Số phiếu phải là số nguyên.",
    "min_value": "Số phiếu không được âm.",
    "max_value": "Số phiếu quá lớn.",
}


class TallyForm(forms.Form):
    """Per agenda item: agree and disagree counts, and the chair's casting vote where a tie allows one.

    With the electronic ballot only the casting votes are asked (the counts come from the ballots).
    """

    def __init__(self, *args, items, counts_editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.counts_editable = counts_editable
        for item in items:
            form = item.nomination.form
            if counts_editable:
                for name in ("agree", "disagree"):
                    self.fields[f"{name}-{item.pk}"] = forms.IntegerField(
                        label="Đồng ý" if name == "agree" else "Không đồng ý",
                        required=False,
                        min_value=0,
                        max_value=999,
                        initial=getattr(item, name),
                        error_messages=COUNT_ERRORS,
                        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric", "min": 0}),
                    )
            if form.chair_breaks_ties and not form.requires_council_ballot:
                initial = {True: "agree", False: "disagree"}.get(item.chair_casting_vote, "")
                self.fields[f"casting-{item.pk}"] = forms.ChoiceField(
                    label="Chủ tịch quyết định khi ngang phiếu",
                    choices=CASTING_CHOICES,
                    required=False,
                    initial=initial,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )

    def rows(self):
        """(item, agree field, disagree field, casting field) per agenda item, for the template."""
        return [
            (
                item,
                self[f"agree-{item.pk}"] if f"agree-{item.pk}" in self.fields else None,
                self[f"disagree-{item.pk}"] if f"disagree-{item.pk}" in self.fields else None,
                self[f"casting-{item.pk}"] if f"casting-{item.pk}" in self.fields else None,
            )
            for item in self.items
        ]

    def _casting(self, item):
        raw = self.cleaned_data.get(f"casting-{item.pk}") or ""
        return {"agree": True, "disagree": False}.get(raw)

    def counts(self):
        """{item id: {"agree", "disagree", "chair_casting_vote"}} for the rows where something was typed."""
        result = {}
        for item in self.items:
            agree = self.cleaned_data.get(f"agree-{item.pk}")
            disagree = self.cleaned_data.get(f"disagree-{item.pk}")
            if agree is None and disagree is None:
                continue
            result[item.pk] = {"agree": agree, "disagree": disagree, "chair_casting_vote": self._casting(item)}
        return result

    def casting_votes(self):
        """{item id: True/False} of the casting votes chosen (electronic ballot)."""
        result = {}
        for item in self.items:
            vote = self._casting(item) if f"casting-{item.pk}" in self.fields else None
            if vote is not None:
                result[item.pk] = vote
        return result


class BallotForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        choices=BallotTally.Choice.choices,
        error_messages={
            "required": "Vui lòng chọn Đồng ý hoặc Không đồng ý.",
            "invalid_choice": "Vui lòng chọn Đồng ý hoặc Không đồng ý.",
        },
    )


class CloseForm(CrispyForm):
    ended_at = forms.DateTimeField(
        label="Thời gian kết thúc",
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
        help_text="Ghi vào biên bản họp; ví dụ: 05/12/2026 10:30.",
        error_messages={
            "required": "Vui lòng nhập thời gian kết thúc cuộc họp (dd/mm/yyyy hh:mm).",
            "invalid": "Thời gian kết thúc không hợp lệ; vui lòng nhập theo dạng dd/mm/yyyy hh:mm, "
            "ví dụ 05/12/2026 10:30.",
        },
    )
    notes = forms.CharField(
        label="Ý kiến tại cuộc họp (ghi vào biên bản, không bắt buộc)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Ý kiến dài quá 5.000 ký tự."},
    )
