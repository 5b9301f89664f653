"""The Django admin: reference data (sources, rating scales) and accounts; everything else is read-only here.

Sources are saved through the registry's service; a rating that verdicts carry keeps its label and value, and a
source that evidence cites is not deleted, so that no evidence or verdict changes here.

Claims, verdicts, evidence, captures, corrections, notifications, articles and the activity log change only through the
services, which hold the workflow's rules (the two-person rule, versions, the activity log). Accounts and roles
change through services.accounts, so that role changes are logged and nobody raises their own rights.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from knox.models import AuthToken

from . import roles, services
from .limits import MAX_NOTE
from .models import (
    Activity,
    Article,
    ArticleRevision,
    Capture,
    Claim,
    Correction,
    Evidence,
    Notification,
    Rating,
    RatingScale,
    RoleChange,
    Source,
    Verdict,
)

User = get_user_model()


class ReadOnly:
    """Shown, never added, changed or deleted here: a POST to the change or delete page answers 403."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyTabular(ReadOnly, admin.TabularInline):
    extra = 0


class ReadOnlyStacked(ReadOnly, admin.StackedInline):
    extra = 0


# --- Reference data: editable by admins ----------------------------------------------------------------------------


class SourceForm(forms.ModelForm):
    notes = forms.CharField(required=False, max_length=MAX_NOTE, widget=forms.Textarea)

    class Meta:
        model = Source
        fields = ["name", "domain", "kind", "reliability", "notes", "blocked"]

    def clean_domain(self):
        try:  # the registry's own rule, so that "https://www.SIPRI.org/x" is stored as sipri.org
            return services.normalise_domain(self.cleaned_data["domain"])
        except ValidationError as error:
            raise ValidationError(error.messages) from None


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["name", "domain", "kind", "reliability", "blocked"]
    list_filter = ["kind", "reliability", "blocked"]
    search_fields = ["name", "domain"]

    actions = None  # no bulk delete: a source that evidence cites stays (see has_delete_permission)

    def save_model(self, request, obj, form, change):
        # The registry's service: its rules and its activity record (the form has checked the same fields).
        services.source_save(actor=request.user, source=obj, **{name: form.cleaned_data[name] for name in form.fields})

    def has_delete_permission(self, request, obj=None):
        # Deleting a cited source would change its evidence (evidence.source is SET_NULL) outside the services.
        in_use = obj is not None and (obj.evidence.exists() or obj.articles.exists())
        return super().has_delete_permission(request, obj) and not in_use


class RatingForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        # A rating a verdict carries is part of that fact-check (a published one shows it to readers): renaming it
        # here would change the verdict outside the services. A new label is a new rating.
        changed = [name for name in ("label", "value") if name in self.changed_data]
        if changed and self.instance.pk and self.instance.verdicts.exists():
            raise ValidationError(
                f"Verdicts carry the rating {self.instance.label!r}: its {' and '.join(changed)} cannot change "
                "(add a new rating instead)."
            )
        return data


class RatingInline(admin.TabularInline):
    model = Rating
    form = RatingForm
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [RatingInline]


# --- The newsroom's work: read-only ---------------------------------------------------------------------------------


class RevisionInline(ReadOnlyTabular):
    model = ArticleRevision
    fields = ["number", "origin", "sha256", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    """Read-only: an article's title and outlet are on its published fact-checks, and imports keep its URL."""

    list_display = ["title", "outlet", "published_date", "url"]
    list_filter = ["outlet", "language"]
    search_fields = ["title", "url"]
    exclude = ["search_vector"]
    inlines = [RevisionInline]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdmin):
    list_display = ["article", "number", "origin", "created_at"]


class EvidenceInline(ReadOnlyStacked):
    model = Evidence
    fields = ["url", "stance", "quote", "note", "source", "quote_status", "author", "created_at"]
    readonly_fields = fields


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "article", "status", "anchor_state", "author", "created_at"]
    list_filter = ["status", "anchor_state"]
    search_fields = ["exact", "claim_reviewed", "claimant"]
    inlines = [EvidenceInline]


@admin.register(Capture)
class CaptureAdmin(ReadOnlyAdmin):
    list_display = ["url", "status", "http_status", "error_code", "attempts", "created_at"]
    list_filter = ["status", "error_code"]
    search_fields = ["url", "final_url"]


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    list_display = ["claim", "rating", "status", "author", "reviewer", "updated_at"]
    list_filter = ["status", "rating"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Corrections are public notes: published through the service, never edited or deleted afterwards."""

    list_display = ["created_at", "verdict", "author"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """What each person was told and when it was emailed: read-only, as the services and the worker write it."""

    list_display = ["created_at", "recipient", "kind", "message", "read_at", "emailed_at"]
    list_filter = ["kind"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "from_state", "to_state", "claim", "subject"]
    list_filter = ["action"]


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """Accounts created and roles granted or removed, for every admin to see who gave whom which rights."""

    list_display = ["created_at", "actor", "action", "subject", "from_state", "to_state", "comment"]
    list_filter = ["action"]
    fields = list_display

    def get_queryset(self, request):
        return super().get_queryset(request).filter(action__in=RoleChange.ACTIONS).select_related("actor", "subject")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("auth.view_user")


# --- Accounts: roles through the service ---------------------------------------------------------------------------

ROLE_CHOICES = [("", "No role"), *((role, role) for role in roles.ROLES)]


def role_groups(user) -> str | None:
    return roles.highest({group.name for group in user.groups.all()})  # the prefetched groups: no query per row


class AccountChangeForm(forms.ModelForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False)
    actor = None  # set by AccountAdmin.get_form

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial_role = role_groups(self.instance) or ""
        self.fields["role"].initial = self.initial_role

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role != self.initial_role and (refusal := services.role_refusal(self.actor, self.instance)):
            raise ValidationError(refusal)
        return role


class AccountCreationForm(forms.ModelForm):
    password1 = forms.CharField(
        label="First password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Give it to the account's owner, who changes it after logging in.",
    )
    password2 = forms.CharField(
        label="First password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False)
    actor = None

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        elif data.get("password1"):
            try:
                validate_password(data["password1"], User(username=data.get("username", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


admin.site.unregister(User)  # django.contrib.auth's UserAdmin edits passwords, flags, groups and permissions


@admin.register(User)
class AccountAdmin(admin.ModelAdmin):
    """Names, e-mail and role. No passwords (owners change their own), no staff or superuser flags, no groups."""

    list_display = ["username", "email", "role", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "email", "first_name", "last_name"]
    readonly_fields = ["username", "is_active", "is_staff", "is_superuser", "last_login", "date_joined"]
    ordering = ["username"]

    @admin.display(description="Role")
    def role(self, user):
        return role_groups(user) or ("Superuser" if user.is_superuser else "—")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.pk == request.user.pk:
            return self.readonly_fields
        # Another account's e-mail is where its password reset goes: changing it would hand that account (a
        # reviewer's approvals, an admin's rights) to whoever set it. Names stay editable, except a superuser's.
        locked = ["first_name", "last_name", "email"] if obj.is_superuser else ["email"]
        return [*self.readonly_fields, *locked]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "first_name", "last_name", "email", "password1", "password2", "role"]
        return ["username", "first_name", "last_name", "email", "role", *self.readonly_fields[1:]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = AccountChangeForm if obj is not None else AccountCreationForm
        form = type(base.__name__, (base,), {"actor": request.user})
        return super().get_form(request, obj, change=change, form=form, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts hold the history of what they did; take their role away instead

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.account_create(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"] or None,
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db
            return
        obj.save(update_fields=["first_name", "last_name", "email"])
        if data["role"] != form.initial_role:
            services.role_assign(actor=request.user, user=obj, role=data["role"] or None)

    def save_related(self, request, form, formsets, change):
        pass  # groups change only through role_assign, above


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdmin):
    """The role groups and their permissions come from annotations.roles (the data migration), not from here."""

    list_display = ["name"]


# knox registers a token admin whose add form mints a working token for any user and shows it: an admin could act
# as anyone through the API. Tokens are listed and can be revoked (deleted) here; only their owners create them.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["digest", "user", "created", "expiry"]  # not token_key: even a token's prefix stays private
    fields = ["digest", "user", "created", "expiry"]
    search_fields = ["user__username"]

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("knox.delete_authtoken")
