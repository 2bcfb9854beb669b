"""The actions of the knowledge base (SPEC K1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.knowledge.models import Article, Category
from frontdesk.organizations.models import Organization
from frontdesk.support.models import Task


def add_category(*, organization: Organization, name: str) -> Category:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    try:
        with transaction.atomic():
            return Category.objects.create(organization=organization, name=name,
                                           position=Category.objects.for_org(organization)
                                           .count())
    except IntegrityError:
        raise ValidationError({"name": _("There is a category of that name already.")}) from None


def remove_category(*, category: Category) -> None:
    """Its articles stay, without a category."""
    category.delete()


def _check(organization: Organization, category: Category | None, title: str,
           body: str) -> None:
    if category is not None and category.organization_id != organization.pk:
        raise ValidationError({"category": _("Choose a category of this organization.")})
    if not title.strip() or not body.strip():
        raise ValidationError(_("An article needs a question and an answer."))


def write_article(*, organization: Organization, category: Category | None, title: str,
                  body: str, is_published: bool, by: User | None,
                  article: Article | None = None, source_task: Task | None = None) -> Article:
    """A new article (or `article` changed): published at once if `is_published`."""
    _check(organization, category, title, body)
    if source_task is not None and source_task.organization_id != organization.pk:
        raise ValidationError(_("Choose a request of this organization."))
    if article is None:
        article = Article(organization=organization, author=by, source_task=source_task)
    elif article.organization_id != organization.pk:
        raise ValidationError(_("Choose an article of this organization."))
    article.category, article.title, article.body, article.is_published = (
        category, title.strip(), body.strip(), is_published)
    article.save()
    return article


def delete_article(*, article: Article) -> None:
    article.delete()


def draft_from_request(task: Task) -> dict[str, str]:
    """What an article written from a solved request starts with: its title as the question,
    the solution staff wrote (SPEC T6) as the answer, or the request's description when it
    has none. Never a post: internal notes stay internal, even here."""
    return {"title": task.title, "body": task.solution or task.description}
