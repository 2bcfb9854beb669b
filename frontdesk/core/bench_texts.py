"""The words of the bench's data, shared by Frontdesk's `seed_bench` and the bench's
`seed_helpdesk` (which loads this file by path: it runs in django-helpdesk's own virtualenv), so
both apps are measured on the same texts. Plain constants, no imports."""

RARE_WORD = "quixotrophy"
RARE_SHARE = 0.005

FIRST_NAMES = ["Ada", "Bram", "Chen", "Dilek", "Emre", "Fatma", "Goran", "Hana", "Ivo", "Jana",
               "Kees", "Lale", "Marek", "Nora", "Omid", "Pia", "Quinn", "Rana", "Sven", "Tara",
               "Umut", "Vera", "Wim", "Xenia", "Yusuf", "Zofia"]
LAST_NAMES = ["Aydin", "Bakker", "Cohen", "de Vries", "Ekinci", "Fischer", "Guler", "Hosseini",
              "Iwan", "Jansen", "Kowalski", "Lewandowski", "Meijer", "Nowak", "Ozturk",
              "Peters", "Rahimi", "Smit", "Tahmasebi", "Visser", "Wojcik", "Yilmaz", "Zielinski"]
COMPANY_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
                 "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Gringotts", "Oscorp", "Aperture",
                 "Massive", "Dynamic", "Nimbus", "Vertex", "Orbit", "Keystone", "Harbor"]
COMPANY_KINDS = ["B.V.", "GmbH", "Ltd.", "A.Ş.", "Sp. z o.o.", "Inc.", "Group", "Logistics",
                 "Foods", "Health", "Bank", "Systems"]
SUBJECTS = ["VPN", "Invoice", "Login", "Printer", "E-mail", "Backup", "Password reset",
            "Report export", "Mobile app", "Dashboard", "API key", "Shipment", "Contract",
            "Calendar sync", "Firewall", "Payment", "Laptop", "Website", "Database", "Phone line"]
PROBLEMS = ["does not work since Monday", "is very slow", "shows an error", "needs a change",
            "question", "fails every hour", "was charged twice", "cannot be opened",
            "keeps asking for the password", "is missing", "went offline", "gives wrong totals"]
SENTENCES = [
    "Since this morning it stops after a few minutes.",
    "We tried restarting it twice, without success.",
    "Could you have a look at it today?",
    "The error message says the connection was refused.",
    "Three colleagues in the Rotterdam office have the same problem.",
    "Attached is what we see on the screen.",
    "It worked fine until the update last week.",
    "Please call me back when you know more.",
    "The invoice number is in the subject of the e-mail we sent.",
    "Our accountant needs this before the end of the month.",
    "Thank you for the quick answer, that solved it.",
    "We checked the cables and the router, both look fine.",
    "Is there a workaround we can use in the meantime?",
    "The customer portal shows an older address.",
]
STAFF_REPLIES = [
    "Thanks for the report, we are looking into it.",
    "Could you send us the exact time it happened?",
    "We have changed the setting on our side; please try again.",
    "This is fixed in the release that went out this morning.",
    "I have forwarded this to the billing team.",
]
INTERNAL_NOTES = [
    "Same as last month: their gateway firmware is old.",
    "Check the maintenance contract before offering an upgrade.",
    "Customer is on the old price plan, do not promise the new features.",
    "Escalated to second line, waiting for Marek.",
]
