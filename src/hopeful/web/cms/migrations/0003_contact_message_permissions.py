"""Wagtail's Editors and Moderators groups (network staff who edit the site) may read the
contact form's messages in the CMS."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("cms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="cms", codename="view_contactmessage")
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_site_and_facets"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
