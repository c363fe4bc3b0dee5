from __future__ import annotations

from app.errors import NotFound


class DatasetNotFound(NotFound):
    code, message = "dataset_not_found", "数据集不存在或未开放"
