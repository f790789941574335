"""Routers by area; each is thin: parse, call the domain or a service, render."""
