"""The FAQ in the customer portal (SPEC K1): published articles, for anyone who opens the
portal (no log-in), when the organization shows it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from frontdesk.knowledge.models import Article, Category
from frontdesk.knowledge.queries import MAX_QUERY_LENGTH, matching, shelves
from frontdesk.portal.access import PortalRequest, portal_view


def _published(request: PortalRequest) -> QuerySet[Article]:
    if not request.portal_settings.show_faq:
        raise Http404
    return Article.objects.for_org(request.org).filter(is_published=True)


@require_http_methods(["GET"])
@portal_view(signed_in=False)
def faq(request: PortalRequest) -> HttpResponse:
    articles = _published(request)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if query:
        return render(request, "knowledge/portal_faq.html", {
            "query": query, "found": matching(articles.order_by("title", "id"), query)})
    return render(request, "knowledge/portal_faq.html", {
        "query": "", "shelves": shelves(articles, Category.objects.for_org(request.org))})


@require_http_methods(["GET"])
@portal_view(signed_in=False)
def faq_article(request: PortalRequest, article_id: int) -> HttpResponse:
    article = _published(request).select_related("category").filter(pk=article_id).first()
    if article is None:
        raise Http404
    return render(request, "knowledge/portal_article.html", {"article": article})
