"""Demo data and scale seeding (`manage.py load_demo`, `manage.py seed_scale`): above every app, used by none."""
