"""Hyvinvointilähete: partners with agreements, referrals with consent, delivery and retention."""
