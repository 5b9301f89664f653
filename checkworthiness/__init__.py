"""Check-worthiness: which sentences of a revision deserve a check, and the desk's own decisions about them.

The core (sentences, features, scorer, training, debates) is plain Python; models, services, the API view, the
command and the periodic task are the Django side. This app imports annotations; annotations never imports it.
"""
