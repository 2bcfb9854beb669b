"""The knowledge base for staff (SPEC K1): articles by category, drafts included; writing,
publishing and deleting them; an article from a solved request."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.customers.forms import show_action_errors
from frontdesk.knowledge import services
from frontdesk.knowledge.forms import ArticleForm, CategoryForm
from frontdesk.knowledge.models import Article, Category
from frontdesk.knowledge.queries import shelves
from frontdesk.organizations.access import StaffRequest, require, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support.models import Task


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.VIEW)
def article_list(request: StaffRequest) -> HttpResponse:
    """Every article by category; a new category (with Contribute)."""
    form = CategoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(request, Area.SUPPORT, Level.CONTRIBUTE)
        if form.is_valid():
            try:
                services.add_category(organization=request.org, name=form.cleaned_data["name"])
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("Category added."))
                return redirect("knowledge:articles", request.org.slug)
    categories = list(Category.objects.for_org(request.org))
    return render(request, "knowledge/article_list.html", {
        "shelves": shelves(Article.objects.for_org(request.org), categories),
        "categories": categories, "form": form,
        "can_contribute": has_level(request.membership, Area.SUPPORT, Level.CONTRIBUTE),
        "can_delete": has_level(request.membership, Area.SUPPORT, Level.EDIT),
    }, status=400 if form.is_bound else 200)


def _edit(request: StaffRequest, article: Article | None, initial: Mapping[str, object],
          source_task: Task | None = None) -> HttpResponse:
    form = ArticleForm(request.POST if request.method == "POST" else None,
                       organization=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.write_article(
                organization=request.org, category=data["category"], title=data["title"],
                body=data["body"], is_published=data["is_published"], by=request.user,
                article=article, source_task=source_task)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Article saved.") if not saved.is_published
                             else _("Article saved and published in the portal."))
            return redirect("knowledge:articles", request.org.slug)
    return render(request, "knowledge/article_form.html", {
        "form": form, "article": article, "source_task": source_task,
        "can_delete": article is not None
        and has_level(request.membership, Area.SUPPORT, Level.EDIT),
    }, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def article_new(request: StaffRequest) -> HttpResponse:
    return _edit(request, None, {})


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def article_from_request(request: StaffRequest, task_id: int) -> HttpResponse:
    """A new article that starts from a solved request: its title and solution."""
    task = get_for_org(Task.objects.all(), request.org, pk=task_id)
    return _edit(request, None, services.draft_from_request(task), source_task=task)


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def article_edit(request: StaffRequest, article_id: int) -> HttpResponse:
    article = get_for_org(Article.objects.all(), request.org, pk=article_id)
    return _edit(request, article, {"title": article.title, "body": article.body,
                                    "category": article.category_id,
                                    "is_published": article.is_published})


@require_POST
@staff_view(Area.SUPPORT, Level.EDIT)
def article_delete(request: StaffRequest, article_id: int) -> HttpResponse:
    article = get_for_org(Article.objects.all(), request.org, pk=article_id)
    services.delete_article(article=article)
    messages.success(request, _("Article deleted."))
    return redirect("knowledge:articles", request.org.slug)


@require_POST
@staff_view(Area.SUPPORT, Level.EDIT)
def category_remove(request: StaffRequest, category_id: int) -> HttpResponse:
    category = get_for_org(Category.objects.all(), request.org, pk=category_id)
    services.remove_category(category=category)
    messages.success(request, _("Category removed; its articles have none now."))
    return redirect(reverse("knowledge:articles", args=[request.org.slug]))
