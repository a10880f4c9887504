"""Colour flags (插旗备注): categories, colour rules, the flagging service and warehouse views."""
