from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aimak.core.audit import TRACKED, audit_entries
from aimak.core.ratelimit import rate_limited

from .forms import MembershipFilterForm, MembershipForm, ProfileForm, SignupForm, TokenForm
from .models import ApiToken, Membership, User
from .selectors import membership_list, user_memberships
from .services import (
    api_token_create,
    api_token_revoke,
    membership_end,
    membership_grant,
    user_profile_update,
    user_signup,
)


@require_http_methods(["GET", "POST"])
@rate_limited("signup")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = user_signup(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            audience_category=data["audience_category"],
            organisation=data["organisation"],
            preferred_language=data["preferred_language"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Aimak! Your account is ready."))
        return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the e-mailed link also lifts a sign-in lock.

    The locked page sends people here; without this they would stay locked out with
    their new password until the cool-off ended.
    """

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user_profile_update(
            user=user,
            full_name=data["full_name"],
            audience_category=data["audience_category"],
            organisation=data["organisation"],
            preferred_language=data["preferred_language"],
        )
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": user_memberships(user=user),
            "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
            "token_form": TokenForm(),
            "new_token": request.session.pop("new_token", None),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, raw = api_token_create(
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
        )
        request.session["new_token"] = raw
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Only national administrators may do this."))


@login_required
@require_http_methods(["GET", "POST"])
def membership_list_view(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.manage_memberships")
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_grant(
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                municipality=form.cleaned_data["municipality"],
                granted_by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(membership)s: granted.") % {"membership": membership})
            return redirect("accounts:membership_list")
    filters = MembershipFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    qs = membership_list(
        role=data.get("role") or None,
        query=data.get("q", ""),
        include_ended=bool(data.get("include_ended")),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/memberships.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
        },
    )


@login_required
@require_POST
def membership_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "accounts.manage_memberships")
    membership = get_object_or_404(Membership.objects.select_related("user", "municipality"), pk=pk)
    membership_end(membership=membership, ended_by=request.user)
    messages.success(
        request, _("%(membership)s: ended. It stays on record.") % {"membership": membership}
    )
    return redirect("accounts:membership_list")


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.view_audit")
    key = request.GET.get("what", "membership")
    if key not in TRACKED:
        key = "membership"
    return render(
        request,
        "accounts/audit.html",
        {
            "entries": audit_entries(key=key, limit=100),
            "tracked": [(k, label) for k, (_a, _m, label) in TRACKED.items()],
            "current": key,
        },
    )
