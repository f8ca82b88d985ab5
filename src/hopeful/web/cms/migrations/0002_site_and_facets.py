"""The library's vocabularies, the Spanish locale and the site's home page (in place of
Wagtail's "Welcome" page), so a fresh install has a public site to edit."""

from django.db import migrations

from hopeful.web.cms.vocab import facet_choices

INTRO = (
    "<p>HOPE (Healthy Outcomes from Positive Experiences) is a way of seeing children and "
    "families that starts from what is going well: the positive childhood experiences that "
    "help children grow into healthy, connected adults, even when life is hard.</p>"
)


def forwards(apps, schema_editor):
    Facet = apps.get_model("cms", "Facet")
    for kind, code in facet_choices():
        Facet.objects.get_or_create(kind=kind, code=code)

    Locale = apps.get_model("wagtailcore", "Locale")
    english, _ = Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="es")

    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("cms", "HomePage")
    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get_for_model(Page)
    # Wagtail's own starter page, if it is still what the site shows.
    Page.objects.filter(depth=2, slug="home", content_type=page_type).delete()
    root = Page.objects.get(depth=1)
    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    taken = set(Page.objects.filter(depth=2).values_list("path", flat=True))
    number = 1
    while f"{root.path}{number:04d}" in taken:
        number += 1
    home = HomePage.objects.create(
        title="HOPE: Healthy Outcomes from Positive Experiences",
        draft_title="HOPE: Healthy Outcomes from Positive Experiences",
        slug="home",
        content_type=home_type,
        path=f"{root.path}{number:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=english,
        live=True,
        intro=INTRO,
        body="[]",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="HOPEful"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
