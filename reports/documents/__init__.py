"""The reports' documents, built for the shared renderer (documents/): the consolidated report, a unit's report."""
