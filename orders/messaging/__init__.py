"""Buyer messages: the outbox, its rendering and channels, the send and the buyer's signed link.

Every message to a buyer is a row first (the outbox), and each is sent once. Three modules do the
work, each importing only the ones before it:

* ``queue``: a message is queued (the confirmation, the return-policy reminder, an agent's resend
  or retry) in the transaction of the change, and its send task published after the commit;
* ``send``: one message is claimed, handed to its channel and recorded as sent or failed;
* ``periodic``: the beat's work, the drain of due reminders and the sweep of lost sends.

Their module docstrings hold the reasoning of "once". Below them: ``models``, ``channels`` (the
backends, and which channel reaches a buyer), ``rendering``, ``policies`` and ``links``; beside
them, ``buyer`` and ``views`` answer the buyer's link. This ``__init__`` stays empty so that
``orders.models`` can register the models without import cycles.
"""
