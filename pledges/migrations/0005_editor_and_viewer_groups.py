"""The two roles of the editors' workspace, as groups with their permissions.

Editors keep the data true: they add and change pledges, companies, sources and status updates,
review the suggestions of the re-check jobs, and manage their own API token. Deleting is kept
narrow: links (sources of a pledge, places, aliases) and draft pledges only; the admin lets
superusers alone delete published pledges. Viewers may look at everything and change nothing.

Permissions are normally created after `migrate` (post_migrate); this migration creates the
ones it needs first, so it also works on an empty database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = [
    "pledge",
    "company",
    "companyalias",
    "pledgelocation",
    "pledgesource",
    "source",
    "statusupdate",
    "newsfeed",
]
DELETABLE = ["pledge", "company", "companyalias", "pledgelocation", "pledgesource"]
READ_ONLY = ["suggestion", "sourcecheck", "snapshot"]
ALL = EDITABLE + READ_ONLY

EDITORS = (
    [("pledges", f"{action}_{model}") for model in EDITABLE for action in ("view", "add", "change")]
    + [("pledges", f"delete_{model}") for model in DELETABLE]
    + [("pledges", f"view_{model}") for model in READ_ONLY]
    + [("pledges", "change_suggestion")]
    + [("authtoken", f"{action}_tokenproxy") for action in ("view", "add", "delete")]
)
VIEWERS = [("pledges", f"view_{model}") for model in ALL]


def _create_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _grant(apps, group_name, wanted):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in wanted:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)


def forwards(apps, schema_editor):
    _create_permissions(apps, schema_editor)
    _grant(apps, "Editors", EDITORS)
    _grant(apps, "Viewers", VIEWERS)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Viewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0004_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
