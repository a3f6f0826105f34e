"""Masking of personal identifiers (身份证号, phone numbers) for roles that do not need them."""


def mask_id_number(value):
    """152501199001011234 -> 152501********1234"""
    if not value:
        return value
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value):
    """13912345678 -> 139****5678"""
    if not value:
        return value
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value):
    """张三丰 -> 张**"""
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1)
