"""The error the queueing math raises on bad input, and the checks that raise it.

Every public function checks its arguments here before any arithmetic, so a caller sees
``aht_seconds must be > 0, got -5`` instead of a NaN or a traceback from SciPy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

_PLAIN_NUMBERS = (int, float)


class QueueingArgumentError(ValueError):
    """An argument out of range; ``argument`` names the parameter at fault."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument} {message}")
        self.argument = argument


def as_float_array(argument: str, values: ArrayLike) -> FloatArray:
    """``values`` as a float array, refusing text, None and NaN or infinite values."""
    # NumPy turns None into NaN, which would be reported as "got nan"; name it instead.
    if values is None or (
        isinstance(values, list | tuple) and any(value is None for value in values)
    ):
        raise QueueingArgumentError(argument, "must be a number, got None")
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise QueueingArgumentError(argument, f"must be a number, got {values!r}") from None
    if not np.isfinite(array).all():
        raise QueueingArgumentError(
            argument, f"must be finite, got {_first(array, ~np.isfinite(array))}"
        )
    return array


def check_range(
    argument: str,
    values: ArrayLike,
    *,
    low: float,
    high: float = np.inf,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    why_below_high: str = "",
) -> FloatArray:
    """``values`` as a float array, every element within the given bounds.

    ``why_below_high``, when given, is added to the message for a value at or above
    ``high``, where the bound alone would not tell the caller what is impossible.
    """
    if type(values) in _PLAIN_NUMBERS:  # the common scalar argument, checked cheaply
        value = float(values)  # type: ignore[arg-type]  # an int or a float, as just checked
        if (
            math.isfinite(value)
            and (low <= value if low_inclusive else low < value)
            and (value <= high if high_inclusive else value < high)
        ):
            return np.asarray(value)
    array = as_float_array(argument, values)
    bad = array < low if low_inclusive else array <= low
    if high != np.inf:  # finite, as checked, is below an infinite bound: no pass needed
        above = array > high if high_inclusive else array >= high
        bad |= above
    if bad.any():
        bounds = _describe(low, high, low_inclusive, high_inclusive)
        message = f"must be {bounds}, got {_first(array, bad)}"
        if why_below_high and array[bad].flat[0] >= high:  # the value quoted is too high
            message += f" ({why_below_high})"
        raise QueueingArgumentError(argument, message)
    return array


def check_non_negative(argument: str, values: ArrayLike) -> FloatArray:
    return check_range(argument, values, low=0.0)


def check_positive(argument: str, values: ArrayLike) -> FloatArray:
    return check_range(argument, values, low=0.0, low_inclusive=False)


def check_share(argument: str, values: ArrayLike) -> FloatArray:
    """A cap on a share, such as occupancy: above 0, at most 1."""
    return check_range(argument, values, low=0.0, high=1.0, low_inclusive=False)


def check_fraction(argument: str, values: ArrayLike, *, why_below_high: str = "") -> FloatArray:
    """A share that must leave something over, such as shrinkage: from 0, below 1."""
    return check_range(
        argument, values, low=0.0, high=1.0, high_inclusive=False, why_below_high=why_below_high
    )


def check_whole(argument: str, values: ArrayLike) -> NDArray[np.int64]:
    """Agent counts: whole numbers >= 0 (``14.0`` is accepted, ``14.5`` is not)."""
    array = check_range(argument, values, low=0.0)
    fractional = array != np.floor(array)
    if fractional.any():
        raise QueueingArgumentError(
            argument, f"must be a whole number, got {_first(array, fractional)}"
        )
    return array.astype(np.int64)


def broadcast_shape(**arrays: NDArray[Any]) -> tuple[int, ...]:
    """The shape the arrays broadcast to, or an error naming the arguments and their shapes."""
    try:
        return np.broadcast_shapes(*(array.shape for array in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in arrays.items())
        raise QueueingArgumentError(
            ", ".join(arrays), f"cannot be broadcast together: {shapes}"
        ) from None


def broadcast(**arrays: NDArray[Any]) -> tuple[NDArray[Any], ...]:
    """The arrays broadcast to one shape, or an error naming the arguments and their shapes."""
    shape = broadcast_shape(**arrays)
    # Cheaper than np.broadcast_arrays, which these few-microsecond calls would notice;
    # a scalar is filled in rather than viewed, which is cheaper still.
    return tuple(
        array
        if array.shape == shape
        else np.full(shape, array)
        if array.ndim == 0
        else np.broadcast_to(array, shape)
        for array in arrays.values()
    )


def _first(array: NDArray[Any], mask: NDArray[np.bool_]) -> str:
    """The first offending value, as the user typed it where possible (-5, not -5.0)."""
    value = float(array[mask].flat[0])
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _describe(low: float, high: float, low_inclusive: bool, high_inclusive: bool) -> str:
    low_part = f"{'>=' if low_inclusive else '>'} {low:g}"
    if high == np.inf:
        return low_part
    return f"{low_part} and {'<=' if high_inclusive else '<'} {high:g}"
