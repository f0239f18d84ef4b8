"""Index definitions every supported database can build."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.expressions import OrderBy


def _without_nulls_order(expression: Any) -> Any:
    if isinstance(expression, OrderBy) and (expression.nulls_first or expression.nulls_last):
        return OrderBy(expression.expression, descending=expression.descending)
    return expression


class NullsLastIndex(models.Index):
    """An index of expressions such as `F("jobs_promised").desc(nulls_last=True)`, the order
    the lists sort by (unknown figures last), so PostgreSQL reads the largest first without a
    sort. SQLite (the demo) cannot index a NULLS ordering: there it is left out."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql" and self.expressions:
            plain = self.clone()
            plain.expressions = tuple(_without_nulls_order(e) for e in self.expressions)
            return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)
