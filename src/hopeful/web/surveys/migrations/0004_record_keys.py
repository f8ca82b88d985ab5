"""Record keys for the cell-key perturbation of published counts.

Each existing submission and link gets its own random key (a field default would give every
existing row the same one): the field is added nullable, filled row by row, then made
required with its default for new rows.
"""

from django.db import migrations, models

import hopeful.web.surveys.models


def fill_keys(apps, schema_editor):
    from hopeful.stats import new_record_key

    for name in ("Submission", "CampaignLink"):
        model = apps.get_model("surveys", name)
        batch = []
        for row in model.objects.filter(record_key__isnull=True).only("id").iterator():
            row.record_key = new_record_key()
            batch.append(row)
            if len(batch) >= 2000:
                model.objects.bulk_update(batch, ["record_key"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["record_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_submission_demographics"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="record_key",
            field=models.PositiveIntegerField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="campaignlink",
            name="record_key",
            field=models.PositiveIntegerField(null=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="submission",
            name="record_key",
            field=models.PositiveIntegerField(
                default=hopeful.web.surveys.models.draw_record_key,
                editable=False,
                help_text="Random; perturbs published counts.",
            ),
        ),
        migrations.AlterField(
            model_name="campaignlink",
            name="record_key",
            field=models.PositiveIntegerField(
                default=hopeful.web.surveys.models.draw_record_key,
                editable=False,
                help_text="Random; perturbs published counts.",
            ),
        ),
    ]
