from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aimak.core.cache import cache_public_page

from .forms import LegalActSearchForm
from .models import LegalAct
from .selectors import (
    issuing_body_list,
    legal_act_get,
    legal_act_hits,
    legal_act_links,
    legal_act_search,
    legal_act_years,
)

PAGE_SIZE = 20


@require_GET
@cache_public_page
def search(request: HttpRequest) -> HttpResponse:
    """The legal-acts database: every act, or those matching the words and filters."""
    form = LegalActSearchForm(request.GET, bodies=issuing_body_list(), years=legal_act_years())
    query = form.query()
    results = legal_act_search(query=query, filters=form.filters())
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "legal/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "more": results.more,  # more acts match than were counted (COUNT_CAP)
            "count_cap": results.cap,
            "corrected": results.corrected,  # nothing matched as typed: spelling corrected
            "hits": legal_act_hits(acts=list(page.object_list), query=results.corrected or query),
            "params": params.urlencode(),
        },
    )


@require_GET
@cache_public_page
def detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        act = legal_act_get(key=key)
    except LegalAct.DoesNotExist as exc:
        raise Http404(_("There is no such legal act.")) from exc
    # The text in the page's language when there is one, else the other one (marked).
    language = "ky" if get_language() == "ky" else "ru"
    texts = {"ru": act.text_ru, "ky": act.text_ky}
    text_language = language if texts[language] else ("ru" if language == "ky" else "ky")
    links_out, links_in = legal_act_links(act=act)
    return render(
        request,
        "legal/detail.html",
        {
            "act": act,
            "text": texts[text_language],
            "text_language": text_language,
            "text_in_other_language": text_language != language,
            "links_out": links_out,
            "links_in": links_in,
            "attachments": list(act.attachments.all()),
        },
    )
