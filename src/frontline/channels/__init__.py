"""Written channels: e-mail in and out, and the public web request form."""
