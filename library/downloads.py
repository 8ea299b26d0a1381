from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from aurastream.api.authentication import request_user_id
from aurastream.api.errors import json_error

from . import selectors


@require_GET
def rendition_download(request: HttpRequest, asset_id: str, label: str) -> HttpResponseBase:
    """Hand the owner one file, named for the platform; anyone else gets a 404.

    Browsers use their session; API clients send their bearer token.
    """
    user_id = request_user_id(request)
    if user_id is None:
        if request.headers.get("Authorization"):
            return json_error(
                request, 401, "not_authenticated", "Authentication credentials were not provided."
            )
        return redirect_to_login(request.get_full_path())
    rendition = selectors.rendition_get(user_id=user_id, asset_id=asset_id, label=label)
    asset = rendition.asset
    filename = (
        f"{slugify(asset.platform)}-{slugify(asset.asset_type)}-{rendition.label}.{rendition.extension}"
    )
    storage = rendition.file.storage
    if hasattr(storage, "bucket"):
        # S3: a short-lived signed link that makes the browser save the file under our name.
        url = storage.url(
            rendition.file.name,
            parameters={"ResponseContentDisposition": f'attachment; filename="{filename}"'},
        )
        return HttpResponseRedirect(url)
    inline = request.GET.get("inline") == "1"
    response = FileResponse(
        rendition.file.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=rendition.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
