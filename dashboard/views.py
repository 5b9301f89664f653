"""The desk dashboard's page and its CSV exports (reviewers and admins)."""

from django import forms
from django.http import JsonResponse
from django.shortcuts import render

from annotations.views.common import role_required

from . import export, figures, metrics, rules
from .period import WEEKS_DEFAULT, WEEKS_MAX, WEEKS_MIN, PeriodForm


class ExportForm(PeriodForm):
    section = forms.ChoiceField(
        choices=[(name, name) for name in figures.SECTIONS],
        error_messages={
            "required": "Name the section to export: " + ", ".join(figures.SECTIONS) + ".",
            "invalid_choice": "There is no section %(value)s; choose one of: " + ", ".join(figures.SECTIONS) + ".",
        },
    )


@role_required(*rules.SEE_DASHBOARD)
def dashboard(request):
    """Every section for the last `?weeks=` weeks; a bad value gets the form back with its error (400)."""
    form = PeriodForm(request.GET)
    context = {"form": form, "weeks_min": WEEKS_MIN, "weeks_max": WEEKS_MAX, "weeks_default": WEEKS_DEFAULT}
    if not form.is_valid():
        return render(request, "dashboard/dashboard.html", context, status=400)
    data = metrics.dashboard(form.period())
    context.update(data=data, period=data.period, figures=figures.all_figures(data))
    return render(request, "dashboard/dashboard.html", context)


@role_required(*rules.SEE_DASHBOARD)
def dashboard_export(request):
    """`?section=<name>&weeks=N`: that section's table as CSV; bad input is a 400 naming the field, as JSON."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return JsonResponse({name: list(errors) for name, errors in form.errors.items()}, status=400)
    period = form.period()
    figure = figures.section_figure(form.cleaned_data["section"], period)
    return export.csv_response(figure.table, f"dashboard-{figure.section}-{period.weeks}-weeks-to-{period.today}")
