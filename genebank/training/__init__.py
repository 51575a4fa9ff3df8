"""The training programme: courses, participants, enrolments, attendance, certificates and
reports."""
