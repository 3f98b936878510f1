"""Admin of unit and consolidated reports: registered here once those models exist.

Derive from portal.admin.PortalModelAdmin so the status fields stay read-only and nothing is deleted.
"""
