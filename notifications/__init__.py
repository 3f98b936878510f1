"""Notifications: in the portal at once, by e-mail after commit, one public function (`services.notify`)."""
