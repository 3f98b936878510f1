"""Documents of the awards workflow, built for the shared renderer (documents/)."""
