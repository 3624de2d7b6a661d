"""Every JSON document natosim prints, built in one place from the results.

Why one place: ``natosim … --format json`` and ``result.to_dict()`` in Python must give the
same document, and numbers written in one way (full precision, ISO dates, intervals as
``ci_low``/``ci_high``) read the same in every document.
"""
