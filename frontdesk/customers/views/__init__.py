"""Staff pages of the customers area, by page family: customers, contacts, custom fields."""
