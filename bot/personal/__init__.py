"""Personal data: the only place names, phone numbers and email addresses are kept.

Everything here lives in the personal store (``PERSONAL_DATABASE_URL``), encrypted at rest with
``HYTE_DATA_KEY``; every access is written to the audit log.
"""
