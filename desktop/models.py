"""Every area's models in one metadata, for Alembic and for tests that create schemas.

Each area registers its tables by being imported here.
"""

from desktop.db import models as core_models  # noqa: F401
from desktop.db.base import Base

metadata = Base.metadata
