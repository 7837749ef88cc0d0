"""nbgrader integration: the course as nbgrader assignments, autograded by the kit's own graders.

``_build`` writes the nbgrader course directory (``course nbgrader build``), ``_cells`` the notebooks' cell
text, ``kernel`` what the notebooks run in their kernel, ``grade`` the fresh interpreter that grades an answer.
None of them imports nbgrader or Jupyter: building needs neither, and the kernel side needs only IPython.
"""

from coursekit._nbgrader.build import BuildError, Built, build, default_assignment, execution_timeout
from coursekit._nbgrader.cells import CellError

__all__ = ["BuildError", "Built", "CellError", "build", "default_assignment", "execution_timeout"]
