from django.db import migrations


def keep_template_prompts_on_the_server(apps, schema_editor):
    """Assets made from a Quick Create template before their recipes hid its prompt: the recipe
    names the template instead of carrying its prompt, styles and the engine's reading of them
    (the job's items keep those for refine, remix and regenerate), and an asset named after the
    prompt is named after the template."""
    GenerationJob = apps.get_model("generation", "GenerationJob")
    Asset = apps.get_model("library", "Asset")
    templates = dict(GenerationJob.objects.exclude(template="").values_list("pk", "template"))
    if not templates:
        return
    for asset in Asset.objects.filter(source_job_id__in=list(templates)).iterator():
        key = templates[asset.source_job_id]
        name = key.replace("-", " ").replace("_", " ").capitalize()
        recipe = dict(asset.recipe or {})
        prompt = str(recipe.get("prompt") or asset.prompt or "")
        recipe.update({"prompt": "", "negative_prompt": "", "template": {"key": key, "name": name}})
        recipe.pop("reading", None)
        title = asset.title
        head, _, words = title.partition(" · ")
        if prompt and words and not recipe.get("text") and not recipe.get("tier") and prompt.startswith(
            words.rstrip("…")
        ):
            title = f"{head} · {name}"
        asset.recipe, asset.prompt, asset.title = recipe, "", title
        asset.save(update_fields=["recipe", "prompt", "title"])


class Migration(migrations.Migration):
    dependencies = [
        ("generation", "0007_job_dispatch_and_heartbeat"),
        ("library", "0005_row_level_security_fails_closed"),
    ]

    operations = [migrations.RunPython(keep_template_prompts_on_the_server, migrations.RunPython.noop)]
