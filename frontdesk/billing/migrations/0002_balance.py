"""Each customer's balance per currency, kept with the ledger (billing.models.Balance),
summed once from the entries already booked."""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


def sum_existing_entries(apps, schema_editor):
    LedgerEntry = apps.get_model("billing", "LedgerEntry")
    Balance = apps.get_model("billing", "Balance")
    totals = (LedgerEntry.objects.values("organization_id", "customer_id", "currency")
              .annotate(total=models.Sum("amount")).order_by())
    Balance.objects.bulk_create([
        Balance(organization_id=row["organization_id"], customer_id=row["customer_id"],
                currency=row["currency"], amount=row["total"]) for row in totals])


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0001_billing'),
        ('customers', '0009_customer_managers'),
        ('organizations', '0002_fk_indexes_led_by_others'),
    ]

    operations = [
        migrations.CreateModel(
            name='Balance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('currency', models.CharField(max_length=3)),
                ('amount', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14)),
                ('customer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customers.customer')),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('customer', 'currency'), name='balance_unique')],
            },
        ),
        migrations.RunPython(sum_existing_entries, migrations.RunPython.noop),
    ]
