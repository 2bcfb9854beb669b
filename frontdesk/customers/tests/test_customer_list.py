import re
from typing import ClassVar

from django.urls import reverse

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Customer
from frontdesk.customers.services import create_customer


def listed(content: bytes) -> list[str]:
    """The names in a customer list page, in order (Jinja2 pages have no
    `response.context`)."""
    return re.findall(r'<a href="/app/[^/]+/customers/\d+/"[^>]*>([^<]*)</a>', content.decode())


class CustomerListTests(FrontdeskTestCase):
    def url(self) -> str:
        return reverse("customers:list", args=[self.org_a.slug])

    def test_it_lists_the_organizations_customers_by_name(self) -> None:
        create_customer(organization=self.org_a, short_name="acme")
        create_customer(organization=self.org_b, short_name="Bravo of B")
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        # Case-insensitive: "acme" sorts before "Globex".
        self.assertEqual(listed(response.content), ["acme", "Globex", "Initech"])

    def test_a_viewer_gets_no_create_button(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url())
        self.assertNotContains(response, reverse("customers:new", args=[self.org_a.slug]))

    def test_a_contributor_gets_the_create_button(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.get(self.url())
        self.assertContains(response, reverse("customers:new", args=[self.org_a.slug]))

    def test_it_shows_the_first_contact_and_how_many_more(self) -> None:
        add_contact(customer=self.customer_a1, first_name="Milton")
        add_contact(customer=self.customer_a1, first_name="Bill", last_name="Lumbergh")
        add_contact(customer=self.customer_a1, first_name="Bill", last_name="<Adams>")
        add_contact(customer=self.customer_a2, first_name="Milton")
        other = create_customer(organization=self.org_b, short_name="Initech")
        add_contact(customer=other, first_name="Aaron", last_name="Other")
        self.login_staff(self.viewer_a)
        page = self.client.get(self.url()).content.decode()
        row_a1 = re.search(r">Initech</a>.*?</tr>", page, re.S)
        row_a2 = re.search(r">Globex</a>.*?</tr>", page, re.S)
        assert row_a1 and row_a2
        # The first by first name, then last name; the others counted.
        self.assertIn("<td>Bill &lt;Adams&gt; <span class=\"muted\">+2 more</span></td>",
                      row_a1.group(0))
        self.assertIn("<td>Milton</td>", row_a2.group(0))  # no last name, no space
        self.assertNotIn("Aaron", page)

    def test_rows_remembered_show_a_new_contact_and_a_new_name_at_once(self) -> None:
        """Rows are written from memory while they are the same (lib/jinja_memo.py)."""
        add_contact(customer=self.customer_a1, first_name="Milton")
        self.login_staff(self.viewer_a)
        for _ in range(2):
            page = self.client.get(self.url()).content.decode()
            self.assertIn("<td>Milton</td>", page)
        add_contact(customer=self.customer_a1, first_name="Bill")
        Customer.objects.filter(pk=self.customer_a1.pk).update(short_name="Initrode")
        page = self.client.get(self.url()).content.decode()
        self.assertIn("<td>Bill <span class=\"muted\">+1 more</span></td>", page)
        self.assertIn(">Initrode</a>", page)
        self.viewer_a.language = "nl"
        self.viewer_a.save(update_fields=["language"])
        page = self.client.get(self.url()).content.decode()
        self.assertNotIn("+1 more", page)

    def next_link(self, content: bytes) -> str | None:
        found = re.search(r'<a href="\?([^"]*)" rel="next">', content.decode())
        return found.group(1).replace("&amp;", "&") if found else None

    def previous_link(self, content: bytes) -> str | None:
        found = re.search(r'<a href="\?([^"]*)" rel="prev">', content.decode())
        return found.group(1).replace("&amp;", "&") if found else None

    def test_it_pages_by_25_forwards_and_back(self) -> None:
        for number in range(30):
            create_customer(organization=self.org_a, short_name=f"Zeta {number:02}")
        self.login_staff(self.viewer_a)
        first = self.client.get(self.url())
        self.assertEqual(listed(first.content),
                         ["Globex", "Initech"] + [f"Zeta {n:02}" for n in range(23)])
        self.assertIsNone(self.previous_link(first.content))
        second = self.client.get(f"{self.url()}?{self.next_link(first.content)}")
        self.assertEqual(listed(second.content), [f"Zeta {n:02}" for n in range(23, 30)])
        self.assertIsNone(self.next_link(second.content))
        back = self.client.get(f"{self.url()}?{self.previous_link(second.content)}")
        self.assertEqual(listed(back.content), listed(first.content))
        self.assertIsNone(self.previous_link(back.content))
        self.assertIsNotNone(self.next_link(back.content))

    def test_equal_names_page_by_id_without_losing_or_repeating_anyone(self) -> None:
        created = [create_customer(organization=self.org_a, short_name="Same Name").pk
                   for _ in range(60)]
        self.login_staff(self.viewer_a)
        seen: list[str] = []
        query = ""
        pages = 0
        while True:
            response = self.client.get(f"{self.url()}?{query}")
            seen += re.findall(r'<a href="/app/[^/]+/customers/(\d+)/"[^>]*>Same Name</a>',
                               response.content.decode())
            pages += 1
            query = self.next_link(response.content) or ""
            if not query:
                break
        self.assertEqual(pages, 3)
        self.assertEqual([int(pk) for pk in seen], sorted(created))

    def test_a_bad_or_foreign_cursor_shows_a_page_instead_of_failing(self) -> None:
        other = create_customer(organization=self.org_b, short_name="Bravo of B")
        self.login_staff(self.viewer_a)
        for params in ({"after": "abc"}, {"before": "-1"}, {"after": "9" * 40},
                       {"page": "2"}, {"after": "99999"}):
            response = self.client.get(self.url(), params)
            self.assertEqual(response.status_code, 200, params)
        # Another organization's customer is no place in this list: nothing is listed after
        # or before it, and nothing of it shows.
        for key in ("after", "before"):
            response = self.client.get(self.url(), {key: str(other.pk)})
            self.assertEqual(listed(response.content), [], key)
            self.assertNotContains(response, "Bravo")

    def test_the_pager_keeps_the_search(self) -> None:
        for number in range(30):
            create_customer(organization=self.org_a, short_name=f"Zeta {number:02}")
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url(), {"q": "zeta"})
        link = self.next_link(response.content)
        self.assertIsNotNone(link)
        self.assertTrue(str(link).startswith("q=zeta&after="), link)
        second = self.client.get(f"{self.url()}?{link}")
        self.assertEqual(listed(second.content), [f"Zeta {n:02}" for n in range(25, 30)])

    def test_the_page_costs_the_same_queries_however_many_customers_and_contacts(self) -> None:
        for number in range(35):
            customer = create_customer(organization=self.org_a, short_name=f"Firm {number}")
            add_contact(customer=customer, first_name="Ann", email=f"ann{number}@firm.test")
            add_contact(customer=customer, first_name="Bob", email=f"bob{number}@firm.test")
        self.login_staff(self.viewer_a)
        # Session with the membership, the user and the unread notifications; the page with
        # each customer's first contact and number of contacts. No count, whatever the page.
        with self.assertNumQueries(2):
            response = self.client.get(self.url())
        self.assertEqual(len(listed(response.content)), 25)
        with self.assertNumQueries(2):
            self.client.get(f"{self.url()}?{self.next_link(response.content)}")
        with self.assertNumQueries(2):
            response = self.client.get(self.url(), {"q": "firm"})
        with self.assertNumQueries(2):
            self.client.get(f"{self.url()}?{self.next_link(response.content)}")
        with self.assertNumQueries(2):
            response = self.client.get(self.url(), {"q": "firm 3"})
        self.assertEqual(len(listed(response.content)), 6)  # Firm 3, Firm 30 … Firm 34
        self.assertIsNone(self.next_link(response.content))

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_a_visitor_is_sent_to_log_in(self) -> None:
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_it_answers_only_get(self) -> None:
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.post(self.url()).status_code, 405)


class CustomerSearchTests(FrontdeskTestCase):
    hooli: ClassVar[Customer]
    other_hooli: ClassVar[Customer]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hooli = create_customer(organization=cls.org_a, short_name="Hooli",
                                    full_name="Hooli XYZ Inc.", phone="+1 650 555 0100")
        add_contact(customer=cls.hooli, first_name="Gavin", last_name="Belson",
                    email="Gavin@Hooli.test", phone="+1 650 555 0199")
        add_contact(customer=cls.hooli, first_name="Gavin", last_name="Junior",
                    email="gavin.jr@hooli.test")
        cls.other_hooli = create_customer(organization=cls.org_b, short_name="Hooli of B")
        add_contact(customer=cls.other_hooli, first_name="Gavin", email="gavin@hooli.test")

    def search(self, query: str) -> list[str]:
        self.login_staff(self.viewer_a)
        response = self.client.get(reverse("customers:list", args=[self.org_a.slug]),
                                   {"q": query})
        self.assertEqual(response.status_code, 200)
        return listed(response.content)

    def test_a_contact_changed_removed_or_moved_is_searched_as_it_is_now(self) -> None:
        # On PostgreSQL a customer's searched text is kept with its contacts' by triggers
        # (migration 0008): each change of a contact or of the customer must reach it.
        from frontdesk.customers.contacts import remove_contact, update_contact
        from frontdesk.customers.models import Contact
        from frontdesk.customers.services import update_customer

        junior = Contact.objects.get(customer=self.hooli, email="gavin.jr@hooli.test")
        update_contact(contact=junior, first_name="Peter", email="peter@piper.test")
        self.assertEqual(self.search("peter"), ["Hooli"])
        self.assertEqual(self.search("piper.test"), ["Hooli"])
        self.assertEqual(self.search("gavin.jr"), [])
        update_customer(customer=self.hooli, short_name="Hooli Two")
        self.assertEqual(self.search("hooli two"), ["Hooli Two"])
        self.assertEqual(self.search("piper.test"), ["Hooli Two"])
        self.assertEqual(self.search("belson"), ["Hooli Two"])
        other = create_customer(organization=self.org_a, short_name="Pied Piper")
        Contact.objects.filter(pk=junior.pk).update(customer=other)
        self.assertEqual(self.search("piper.test"), ["Pied Piper"])
        remove_contact(contact=Contact.objects.get(pk=junior.pk))
        self.assertEqual(self.search("piper.test"), [])
        self.assertEqual(self.search("peter@"), [])
        self.assertEqual(self.search("pied piper"), ["Pied Piper"])
        self.assertEqual(self.search("belson"), ["Hooli Two"])

    def test_it_finds_by_contact_email(self) -> None:
        self.assertEqual(self.search("GAVIN@hooli.test"), ["Hooli"])

    def test_it_finds_by_contact_phone(self) -> None:
        self.assertEqual(self.search("555 0199"), ["Hooli"])

    def test_it_finds_by_company_phone_full_name_and_email(self) -> None:
        self.assertEqual(self.search("650 555 0100"), ["Hooli"])
        self.assertEqual(self.search("xyz inc"), ["Hooli"])
        self.assertEqual(self.search("office@initech"), ["Initech"])

    def test_it_finds_a_contact_by_first_and_last_name_together(self) -> None:
        self.assertEqual(self.search("gavin bel"), ["Hooli"])
        self.assertEqual(self.search("Belson"), ["Hooli"])

    def test_searches_of_every_shape_one_after_another_find_what_they_should(self) -> None:
        # Each shape (short, no space, one or two name splits) is its own prepared query;
        # a query prepared for one shape never answers another.
        expected = {"gavin bel": ["Hooli"], "gavin j": ["Hooli"], "gavin jun x": [],
                    "ga": ["Hooli"], "zz": [], "avin bel": ["Hooli"], "gavin  bel": ["Hooli"],
                    "initech": ["Initech"], "gavin belsonx": []}
        for _ in range(2):
            for query, customers in expected.items():
                self.assertEqual(self.search(query), customers, query)

    def test_case_and_accents_do_not_matter(self) -> None:
        create_customer(organization=self.org_a, short_name="Łódź Sp. z o.o.")
        wroclaw = create_customer(organization=self.org_a, short_name="Wro")
        add_contact(customer=wroclaw, first_name="Şule", last_name="Yılmaz")
        add_contact(customer=wroclaw, first_name="علي", last_name="كريمي")
        self.assertEqual(self.search("lodz"), ["Łódź Sp. z o.o."])
        self.assertEqual(self.search("ŁÓDŹ SP"), ["Łódź Sp. z o.o."])
        self.assertEqual(self.search("sule yilmaz"), ["Wro"])
        self.assertEqual(self.search("ŞULE"), ["Wro"])
        self.assertEqual(self.search("علی کریمی"), ["Wro"])  # typed with Persian letters

    def test_a_phone_number_is_found_however_it_is_written(self) -> None:
        self.assertEqual(self.search("6505550199"), ["Hooli"])  # a contact's
        self.assertEqual(self.search("(650) 555-0100"), ["Hooli"])  # the customer's own
        self.assertEqual(self.search("650-555-0111"), [])

    def test_a_term_never_matches_across_two_fields(self) -> None:
        # Full name "Hooli XYZ Inc." then phone "+1 650 …": not one text.
        self.assertEqual(self.search("inc. +1"), [])
        self.assertEqual(self.search("xyz inc."), ["Hooli"])

    def test_a_customer_with_several_matching_contacts_is_listed_once(self) -> None:
        self.assertEqual(self.search("gavin"), ["Hooli"])

    def test_each_length_of_term_gets_its_own_shape_of_query(self) -> None:
        # Under three characters, EXISTS (the first page fills after a few rows); from three
        # on, on SQLite a UNION of what each trigram index finds, on PostgreSQL the column of
        # each customer's text with its contacts'. Prepared per shape, never per value.
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        long_shape = "SEARCH_ALL\" LIKE" if connection.vendor == "postgresql" else "UNION"
        for query, shape in (("gavin", long_shape), ("ga", "EXISTS"), ("hooli", long_shape),
                             ("ho", "EXISTS")):
            with CaptureQueriesContext(connection) as captured:
                self.search(query)
            sql = " ".join(q["sql"] for q in captured.captured_queries
                           if "customers_contact" in q["sql"])
            self.assertIn(shape, sql.upper(), query)

    def test_short_terms_search_the_same_fields(self) -> None:
        # Under three characters the search takes another path (no trigrams to look up).
        self.assertEqual(self.search("ga"), ["Hooli"])
        self.assertEqual(self.search("LS"), ["Hooli"])  # BeLSon
        self.assertEqual(self.search("99"), ["Hooli"])

    def test_it_never_finds_another_organizations_customers(self) -> None:
        self.assertNotIn("Hooli of B", self.search("hooli"))
        self.assertNotIn("Hooli of B", self.search("ho"))

    def test_percent_and_underscore_are_plain_characters(self) -> None:
        self.assertEqual(self.search("%"), [])
        self.assertEqual(self.search("_"), [])

    def test_it_says_when_nothing_matches(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(reverse("customers:list", args=[self.org_a.slug]),
                                   {"q": "<nothing>"})
        self.assertContains(response, "No customer matches “&lt;nothing&gt;”.")

    def test_a_very_long_search_is_cut_not_refused(self) -> None:
        self.assertEqual(self.search("hooli" + "x" * 5000), [])
        self.assertEqual(Customer.objects.for_org(self.org_a).count(), 3)


class CustomerPageIndexTests(FrontdeskTestCase):
    def test_a_later_page_seeks_its_place_in_the_name_index(self) -> None:
        from django.db import connection

        from frontdesk.core.testing import query_plan
        from frontdesk.customers.queries import _rows_by_name

        build = getattr(_rows_by_name, "__wrapped__")  # noqa: B009 (untyped attribute)
        for before, after in ((None, self.customer_a1.pk), (self.customer_a1.pk, None)):
            plan = query_plan(build(self.org_a.pk, before, after))
            if connection.vendor == "postgresql":
                self.assertIn("customer_org_name", plan)
                self.assertIn("Index Cond: ((organization_id = ", plan)
                self.assertIn("lower((short_name)::text) ", plan)
            else:
                self.assertRegex(
                    plan, r"customer_org_name \(organization_id=\? AND <expr>[<>]\?\)")
            self.assertNotIn("TEMP B-TREE", plan)
            self.assertNotIn("Sort", plan)
