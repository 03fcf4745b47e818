"""Legal pages (imprint, privacy notice, accessibility statement): texts admins edit as Markdown."""
