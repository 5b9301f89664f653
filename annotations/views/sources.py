from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from .. import roles, services
from ..forms import SourceForm, add_service_errors
from ..models import Source
from .common import role_required


@role_required(*roles.READ_SOURCES)
def source_list(request):
    sources = Source.objects.annotate(evidence_count=Count("evidence")).order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        sources = sources.filter(name__icontains=query) | sources.filter(domain__icontains=query.lower())
    return render(
        request,
        "annotations/source_list.html",
        {"sources": sources, "q": query, "can_manage": request.user.has_perm("annotations.manage_sources")},
    )


@role_required(*roles.MANAGE_SOURCES)
def source_edit(request, pk: int | None = None):
    source = get_object_or_404(Source, pk=pk) if pk else None
    initial = (
        {f: getattr(source, f) for f in ("name", "domain", "kind", "reliability", "notes", "blocked")}
        if source
        else {"kind": Source.Kind.OTHER, "reliability": Source.Reliability.UNRATED}
    )
    form = SourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.source_save(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {saved.name} ({saved.domain}).")
            return redirect("source_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "annotations/source_form.html", {"form": form, "source": source}, status=status)
