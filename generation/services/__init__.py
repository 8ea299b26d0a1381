"""Every write of the generation app, by concern:

- ``requests``: what a creator asks for (``JobRequest``), checked once, and the items it makes;
- ``jobs``: accepting a job (quota, recipe, queue), making one again, canceling;
- ``dispatch``: handing a committed job to the broker;
- ``making``: the worker running a job, item by item, the library storing each result;
- ``finishing``: how a job ends (charged, or failed and refunded);
- ``recovery``: claims, heartbeats and the sweep that leaves no job behind;
- ``refine``: a new version of an asset as an instruction asks;
- ``animate``: an existing design made again on an animated asset type;
- ``media``: the creator's own images in a job.
"""

from billing.services import QuotaExceeded

from .animate import animate_targets, asset_animate
from .finishing import job_fail
from .jobs import (
    brand_kit_for,
    job_cancel,
    job_create,
    job_regenerate_with_current_kit,
    job_remix,
    job_retry,
)
from .making import RetryableJobError, brief_for, job_run
from .media import media_json, references_from
from .recovery import SweepReport, job_wait_for_retry, jobs_sweep
from .refine import asset_refine, refine_chips, refine_request, refine_scope
from .requests import (
    MAX_LOOPS,
    MAX_REFERENCES,
    MAX_VARIANTS,
    JobRequest,
    job_cost,
    job_items,
)

__all__ = [
    "MAX_LOOPS",
    "MAX_REFERENCES",
    "MAX_VARIANTS",
    "JobRequest",
    "QuotaExceeded",
    "RetryableJobError",
    "SweepReport",
    "animate_targets",
    "asset_animate",
    "asset_refine",
    "brand_kit_for",
    "brief_for",
    "job_cancel",
    "job_cost",
    "job_create",
    "job_fail",
    "job_items",
    "job_regenerate_with_current_kit",
    "job_remix",
    "job_retry",
    "job_run",
    "job_wait_for_retry",
    "jobs_sweep",
    "media_json",
    "references_from",
    "refine_chips",
    "refine_request",
    "refine_scope",
]
