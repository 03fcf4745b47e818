"""Organisations as their officers and the administration keep them: name, description,
contact, website and logo, and the public page that shows them."""
