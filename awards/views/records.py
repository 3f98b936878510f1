"""The person's and the unit's record (hồ sơ thành tích) in the browser: the timeline by year, the office's entries
for past years (add, correct, delete), the import of past records from the XLSX template (preview, then "Nhập"), and
the mapping of the register's free-text rows to the catalogue.

Views are thin: awards.permissions answers who sees a record (404 for anyone else) and who writes (the office; 403
for those who see the record but may not write); awards.records reads; awards.services.records writes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import imports
from units.models import Person, Unit
from workflow.errors import Refused

from .. import permissions, records, selectors
from ..forms.records import (
    AwardMapForm,
    ClassificationForm,
    DisciplineForm,
    InitiativeForm,
    MembershipForm,
    RecordsApplyForm,
    RecordsUploadForm,
)
from ..models import AwardRecord, ClassificationRecord, Discipline, Initiative, Membership
from ..services import records as services
from . import lists
from .register import paginate, xlsx_response

# The kinds of rows the office enters: the URL's word, the model, the form, the heading.
KINDS = {
    "cong-tac": (Membership, MembershipForm, "Quá trình công tác"),
    "xep-loai": (ClassificationRecord, ClassificationForm, "Xếp loại hằng năm"),
    "sang-kien": (Initiative, InitiativeForm, "Sáng kiến, đề tài"),
    "ky-luat": (Discipline, DisciplineForm, "Kỷ luật"),
}
NOT_FOUND = "Không tìm thấy hồ sơ."


def _visible_person(user, pk):
    person = Person.objects.select_related("unit").filter(pk=pk).first()
    if person is None or not permissions.can_see_record(user, person):
        raise Http404(NOT_FOUND)
    return person


def _visible_unit(user, pk):
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not permissions.can_see_unit_record(user, unit):
        raise Http404(NOT_FOUND)
    return unit


def _office(user):
    if not permissions.can_edit_records(user):
        raise PermissionDenied(services.OFFICE_ONLY)


def _kind(word):
    if word not in KINDS:
        raise Http404(NOT_FOUND)
    return KINDS[word]


def _save(word, data, *, actor, person=None, unit=None, row=None):
    """Call the kind's service with the form's values."""
    if word == "cong-tac":
        return services.membership_save(actor=actor, person=person, membership=row, **data)
    if word == "xep-loai":
        return services.classification_save(actor=actor, person=person, unit=unit, row=row, **data)
    if word == "sang-kien":
        return services.initiative_save(actor=actor, person=person, row=row, **data)
    return services.discipline_save(actor=actor, person=person, row=row, **data)


def _refused_on_form(form, refusal):
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)


# --- The pages ---------------------------------------------------------------------------------------------------


def _person_page(request, person, *, bound=None, status=200):
    can_edit = permissions.can_edit_records(request.user)
    entry_forms = {}
    if can_edit:
        entry_forms = {word: form_class(prefix=word) for word, (_, form_class, _) in KINDS.items()}
        if bound is not None:
            entry_forms[bound[0]] = bound[1]
    return render(
        request,
        "awards/records/person.html",
        {
            "person": person,
            "record": records.person_record(person),
            "can_edit": can_edit,
            "entry_forms": [(word, KINDS[word][2], form) for word, form in entry_forms.items()],
            "open_kind": bound[0] if bound else "",
            "can_see_unit": permissions.can_see_unit_record(request.user, person.unit),
        },
        status=status,
    )


@require_GET
def person_record(request, pk):
    """Hồ sơ thành tích cá nhân: the person's units, classification, initiatives, discipline and awards by year."""
    return _person_page(request, _visible_person(request.user, pk))


@require_POST
def person_record_add(request, pk, kind):
    """The office adds a row of a past year to the person's record."""
    person = _visible_person(request.user, pk)
    _office(request.user)
    _, form_class, _ = _kind(kind)
    form = form_class(request.POST, request.FILES, prefix=kind)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "remove_file"}
        try:
            _save(kind, data, actor=request.user, person=person)
        except Refused as refusal:
            _refused_on_form(form, refusal)
        else:
            messages.success(request, f"Đã thêm vào hồ sơ: {KINDS[kind][2].lower()}.")
            return redirect("awards:person_record", pk=person.pk)
    return _person_page(request, person, bound=(kind, form), status=400)


def _unit_page(request, unit, *, form=None, status=200):
    can_edit = permissions.can_edit_records(request.user)
    return render(
        request,
        "awards/records/unit.html",
        {
            "unit": unit,
            "record": records.unit_record(unit),
            "can_edit": can_edit,
            "form": (form or ClassificationForm(prefix="xep-loai")) if can_edit else None,
        },
        status=status,
    )


@require_GET
def unit_record(request, pk):
    """Hồ sơ thành tích của tập thể: the collective's classification, titles and awards, and its members by year."""
    return _unit_page(request, _visible_unit(request.user, pk))


@require_POST
def unit_record_add(request, pk):
    """The office adds a past year's classification of the collective."""
    unit = _visible_unit(request.user, pk)
    _office(request.user)
    form = ClassificationForm(request.POST, prefix="xep-loai")
    if form.is_valid():
        try:
            services.classification_save(actor=request.user, unit=unit, **form.cleaned_data)
        except Refused as refusal:
            _refused_on_form(form, refusal)
        else:
            messages.success(request, f"Đã thêm xếp loại năm {form.cleaned_data['year']} của {unit}.")
            return redirect("awards:unit_record", pk=unit.pk)
    return _unit_page(request, unit, form=form, status=400)


# --- A row: correct or delete ------------------------------------------------------------------------------------


def _visible_row(user, kind, pk):
    """The row and the record page it belongs to; 404 unless the user sees that record."""
    model, _, _ = _kind(kind)
    row = get_object_or_404(model.objects.select_related(*(["person__unit"] if model is not Membership else [])), pk=pk)
    if getattr(row, "person_id", None):
        _visible_person(user, row.person_id)
        return row, reverse("awards:person_record", args=[row.person_id])
    _visible_unit(user, row.unit_id)
    return row, reverse("awards:unit_record", args=[row.unit_id])


def _initial(kind, row):
    fields = KINDS[kind][1].base_fields
    return {name: getattr(row, name) for name in fields if name not in ("file", "remove_file") and hasattr(row, name)}


@require_http_methods(["GET", "POST"])
def record_row_edit(request, kind, pk):
    """The office corrects a row it entered or imported."""
    row, back = _visible_row(request.user, kind, pk)
    _office(request.user)
    form_class = KINDS[kind][1]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, prefix=kind)
        if form.is_valid():
            try:
                _save(kind, form.cleaned_data, actor=request.user, person=getattr(row, "person", None), row=row)
            except Refused as refusal:
                _refused_on_form(form, refusal)
            else:
                messages.success(request, "Đã lưu thay đổi.")
                return redirect(back)
        status = 400
    else:
        form = form_class(initial=_initial(kind, row), prefix=kind)
    return render(
        request,
        "awards/records/edit.html",
        {"form": form, "row": row, "heading": KINDS[kind][2], "back": back, "kind": kind},
        status=status,
    )


@require_POST
def record_row_delete(request, kind, pk):
    """The office deletes a row it entered or imported."""
    row, back = _visible_row(request.user, kind, pk)
    _office(request.user)
    try:
        services.record_row_delete(actor=request.user, row=row)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Đã xóa khỏi hồ sơ: {KINDS[kind][2].lower()}.")
    return redirect(back)


@require_GET
def initiative_file(request, pk):
    """The decision recognising an initiative (PDF), for whoever sees the person's record."""
    initiative = get_object_or_404(Initiative.objects.select_related("person"), pk=pk)
    _visible_person(request.user, initiative.person_id)
    if not initiative.file:
        raise Http404("Sáng kiến này chưa có tệp quyết định.")
    return FileResponse(
        initiative.file.open("rb"),
        as_attachment=True,
        filename=f"quyet-dinh-sang-kien-{initiative.pk}.pdf",
        content_type="application/pdf",
    )


# --- The import of past records ----------------------------------------------------------------------------------


def _import_office(user):
    """404 for whoever sees no record at all, 403 for leadership (who read records but do not import)."""
    if permissions.can_edit_records(user):
        return
    if permissions.is_leader(user):
        raise PermissionDenied(services.OFFICE_ONLY)
    raise Http404("Không tìm thấy trang.")


def _import_page(request, *, form=None, preview=None, token="", status=200):
    return render(
        request,
        "awards/records/import.html",
        {
            "form": form or RecordsUploadForm(),
            "preview": preview,
            "apply_form": RecordsApplyForm(initial={"token": token}) if token else None,
            "sheets": services.RECORDS_IMPORT.sheets,
            "imports": selectors.recent_imports(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def records_import(request):
    """The office uploads past records: every row is read and checked, problems listed; nothing is written."""
    _import_office(request.user)
    if request.method != "POST":
        return _import_page(request)
    form = RecordsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    preview = services.records_preview(upload=upload, actor=request.user)
    if not preview.ok:
        imports.discard(request.session, services.RECORDS_IMPORT)
        return _import_page(request, preview=preview, status=400)
    token = imports.keep(request.session, services.RECORDS_IMPORT, upload)
    return _import_page(request, preview=preview, token=token)


@require_POST
def records_import_apply(request):
    """ "Nhập": the previewed file is read again and written whole, or nothing is."""
    _import_office(request.user)
    form = RecordsApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Không còn tệp đã xem trước; vui lòng tải tệp lên lại.")
        return redirect("awards:records_import")
    try:
        done = services.records_import(session=request.session, token=form.cleaned_data["token"], actor=request.user)
    except imports.ImportInvalid as refusal:
        messages.error(request, refusal.message)
        return _import_page(request, preview=refusal.preview, status=400)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("awards:records_import")
    counts = "; ".join(f"{sheet}: {count}" for sheet, count in done.created.items())
    messages.success(
        request,
        f"Đã nhập {done.register_import.rows_created} dòng ({counts}); "
        f"bỏ qua {done.register_import.rows_skipped} dòng đã có trong hồ sơ.",
    )
    return redirect("awards:records_import")


@require_GET
def records_template(request):
    """The XLSX template of past records: one tab per kind, its header and an example row."""
    _import_office(request.user)
    return xlsx_response(services.records_template_bytes(), "mau-nhap-ho-so-thanh-tich.xlsx")


# --- The register's free-text rows -------------------------------------------------------------------------------


@require_GET
def unmapped_awards(request):
    """The register's rows whose name matches nothing in the catalogue, each to map to a catalogue form."""
    _import_office(request.user)
    page, query_string = paginate(request, records.unmapped_awards())
    rows, forms = records.unmapped_rows(page.object_list)
    # Each row's form action from one reverse, and the whole catalogue's options written once for every row.
    action = lists.link_pattern("awards:award_map")
    for row in rows:
        row.action = action.format(row.record.pk)
    catalogue = lists.select_options([(form.pk, str(form)) for form in forms], None)
    return render(
        request,
        "awards/records/unmapped.html",
        {"page": page, "query_string": query_string, "rows": rows, "forms": forms, "catalogue": catalogue},
    )


@require_POST
def award_map(request, pk):
    """Map one free-text row to the chosen catalogue form (its name as written is kept)."""
    _import_office(request.user)
    record = get_object_or_404(AwardRecord, pk=pk)
    form = AwardMapForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("awards:unmapped_awards")
    try:
        services.award_record_map(actor=request.user, record=record, form=form.cleaned_data["form"])
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, f"Đã gắn “{record.form_name}” ({record.recipient_name}) với {form.cleaned_data['form']}."
        )
    return redirect("awards:unmapped_awards")


urlpatterns = [
    path("ho-so/ca-nhan/<int:pk>/", person_record, name="person_record"),
    path("ho-so/ca-nhan/<int:pk>/them/<slug:kind>/", person_record_add, name="person_record_add"),
    path("ho-so/don-vi/<int:pk>/", unit_record, name="unit_record"),
    path("ho-so/don-vi/<int:pk>/them-xep-loai/", unit_record_add, name="unit_record_add"),
    path("ho-so/muc/<slug:kind>/<int:pk>/sua/", record_row_edit, name="record_row_edit"),
    path("ho-so/muc/<slug:kind>/<int:pk>/xoa/", record_row_delete, name="record_row_delete"),
    path("ho-so/sang-kien/<int:pk>/tep/", initiative_file, name="initiative_file"),
    path("ho-so/nhap/", records_import, name="records_import"),
    path("ho-so/nhap/ap-dung/", records_import_apply, name="records_import_apply"),
    path("ho-so/nhap/mau.xlsx", records_template, name="records_template"),
    path("ho-so/khen-thuong-ngoai-danh-muc/", unmapped_awards, name="unmapped_awards"),
    path("ho-so/khen-thuong-ngoai-danh-muc/<int:pk>/", award_map, name="award_map"),
]
