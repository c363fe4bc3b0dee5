"""Proactive push (主动服务): rules (data) turn facts into notifications, in the inbox and on WeChat.

The package in the order it runs:

- ``rules`` loads ``config/rules/*.toml`` (audience, trigger, conditions, content) and the WeChat
  templates; ``content`` renders a rule's text for some facts, ``fitting`` fits values to WeChat's
  keyword types; ``facts`` builds a certificate's facts (a person's are ``app.people.facts``, a
  licence's ``app.licences.facts``).
- Where facts come from: ``scans`` (the daily date-window scans, in batches on the queue),
  ``newcomers`` (the same rules for one resident as soon as identity verifies them) and
  ``outbox`` (other capabilities' events, written in their own transaction; the only part of push
  they import) fired by ``events``.
- ``notify`` plans (``plan``, ``Planned``) and writes notifications exactly once, respecting
  ``preferences`` (categories, quiet hours, the daily cap) and ``consent`` (subscribe messages);
  ``delivery`` sends each WeChat message once (claim, call, settle, sweep), ``reports`` settles a
  send from WeChat's own report, ``wechat_messages`` receives WeChat's pushes to us.
- What people and staff see: ``inbox`` (a resident's notifications) and ``operations`` (dead
  letters, requeue).
"""
