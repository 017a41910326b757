"""Every area's models in one metadata, for Alembic and for tests that create schemas.

Each area registers its tables by being imported here.
"""

from desktop.db import models as core_models  # noqa: F401
from desktop.db.base import Base
from desktop.lifecycle import models as lifecycle_models  # noqa: F401
from desktop.outbox import models as outbox_models  # noqa: F401
from desktop.queue import models as queue_models  # noqa: F401
from desktop.reports import models as reports_models  # noqa: F401
from desktop.store import models as store_models  # noqa: F401

metadata = Base.metadata
