"""The read models themselves: their schema, currency, rows and checksums, and rebuilding one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from kernel.errors import NotFound

from ..answers import Document, answer
from ..projections import Projection
from ..projections.queries import table_sizes
from ..rebuilds import Rebuilds
from .common import ReportingQueries, json_answer

TAG = "operations"


def router(q: ReportingQueries, rebuilds: Rebuilds) -> APIRouter:
    """The routes on the read models and their rebuilds."""
    api = APIRouter()

    def model_named(name: str) -> Projection:
        if name not in q.models:
            raise NotFound("unknown_read_model", f"no read model {name!r}", read_model=name, known=sorted(q.models))
        return q.models[name]

    @api.get("/read-models", tags=[TAG], summary="The read models: schema, currency, rows, rebuilds",
             responses=answer(Document))
    async def read_models_list(checksums: bool = Query(False, description="Also an md5 of each table.")) -> Response:
        found = []
        for name, model in q.models.items():
            item: dict[str, Any] = {"read_model": name, "consumer": model.name, "schema": model.live_schema,
                                    "topics": list(model.topics), "as_of": await q.as_of(model)}
            item["rows"], sums = await table_sizes(q.reader, model, checksums=checksums)
            if sums is not None:
                item["checksums"] = sums
            job = rebuilds.jobs.get(name)
            item["last_rebuild"] = job.as_dict() if job else None
            found.append(item)
        return json_answer({"read_models": found})

    @api.post("/read-models/{name}/rebuild", status_code=202, tags=[TAG],
              summary="Rebuild a read model from the beginning of its topics, then swap it in",
              description="Runs in the background; queries keep answering from the live tables until the swap. "
              "Follow it with GET on the same path. 409 rebuild_running while one runs.",
              responses=answer(Document, 202))
    async def start_rebuild(name: str = Path(...)) -> Response:
        model_named(name)
        job = rebuilds.start(name)
        return JSONResponse(status_code=202, content=jsonable_encoder(job.as_dict()))

    @api.get("/read-models/{name}/rebuild", tags=[TAG], summary="The latest rebuild of a read model",
             responses=answer(Document))
    async def rebuild_status(name: str = Path(...)) -> Response:
        model_named(name)
        job = rebuilds.jobs.get(name)
        if job is None:
            raise NotFound("no_rebuild", f"no rebuild of {name} since the service started", read_model=name)
        return json_answer(job.as_dict())

    return api
