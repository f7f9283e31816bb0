"""Forms whose fields come from the content (questions, topics) are parsed in the views; these carry CSRF."""

from flask_wtf import FlaskForm


class SubmitForm(FlaskForm):
    """A form posted with the CSRF token; its answers are read from the posted fields by name."""
