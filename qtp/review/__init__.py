"""Faculty and coach review of submitted worksheets: the queue, rubric scoring, approve or return."""
