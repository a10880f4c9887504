"""Phone numbers never reach the logs whole."""

import logging

from orders.logging import MaskPIIFilter, mask_phones


def test_mask_phones_in_free_text():
    assert mask_phones("call 13800138000 or +8613900139000") == "call 138****8000 or +86139****9000"


def test_numbers_that_are_not_phones_are_left_alone():
    assert mask_phones("order 20261122000123 costs 109.00") == "order 20261122000123 costs 109.00"


def test_filter_masks_formatted_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "recipient phone %s", ("13800138000",), None)

    MaskPIIFilter().filter(record)

    assert record.getMessage() == "recipient phone 138****8000"
