"""Every write of the awards workflow. Views, admin actions, commands and Celery tasks call these.

Modules by area: rounds and nominations (`nominations`), eligibility (`eligibility`), the council
(`council`), leadership decisions and outcome documents (`outcomes`, `documents`), the award
register (`register`), notifications (`notify`).
"""
