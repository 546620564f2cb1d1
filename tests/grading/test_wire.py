"""The channel: plain arrays only, sizes judged before copying, no pickle."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from grader.sandbox import wire


def _roundtrip(value: object, limit: int = 1 << 20) -> object:
    r, w = os.pipe()
    try:
        arrays: list[bytes] = []
        wire.write_message(w, {"value": wire.encode(value, arrays, limit)}, arrays)
        header, arrs = wire.read_message(r, limit)
        return wire.decode(header["value"], arrs)
    finally:
        os.close(r)
        os.close(w)


def test_values_round_trip_with_order_tuples_and_nan() -> None:
    value = {"b": (1, 2.5), "a": [np.arange(6.0).reshape(2, 3), float("nan")], 3: None}
    back = _roundtrip(value)
    assert list(back) == ["b", "a", 3] and back["b"] == (1, 2.5)
    assert np.array_equal(back["a"][0], value["a"][0]) and np.isnan(back["a"][1])


def test_object_arrays_and_pickles_are_refused() -> None:
    with pytest.raises(wire.WireError, match="numbers only"):
        _roundtrip(np.array([object()], dtype=object))
    buf = io.BytesIO()
    np.save(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(wire.WireError):
        wire.array_from(buf.getvalue(), 1 << 20)


def test_a_strided_view_claiming_terabytes_is_refused_before_any_copy() -> None:
    huge = np.lib.stride_tricks.as_strided(np.zeros(1), shape=(10**6, 10**6), strides=(0, 0))
    with pytest.raises(wire.WireError, match="exceeds the limit"):
        wire.array_bytes(huge, 1 << 20)


def test_a_header_announcing_a_huge_array_is_refused() -> None:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": (10**9,)})
    with pytest.raises(wire.WireError, match="refused"):
        wire.array_from(buf.getvalue() + b"\0" * 64, 1 << 20)


@pytest.mark.parametrize("arr", [
    np.arange(6.0).reshape(2, 3), np.zeros((0, 3)), np.array(3.5), np.arange(10, dtype=np.int32)[::2],
    np.ones((2, 2), dtype=bool), np.array([1 + 2j]), np.zeros(3, dtype=">f4"),
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
])
def test_our_frames_are_npy_files_and_npy_files_are_read_as_ours(arr: np.ndarray) -> None:
    ours = wire.array_bytes(arr, 1 << 20)
    assert np.array_equal(np.load(io.BytesIO(ours), allow_pickle=False), arr)  # a real .npy
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    for data in (ours, buf.getvalue()):
        back = wire.array_from(data, 1 << 20)
        assert back.dtype == arr.dtype and back.shape == arr.shape and np.array_equal(back, arr)
        assert back.flags.writeable  # student code may write into what it is given, as into any array


def test_a_frame_whose_data_does_not_fill_its_shape_is_refused() -> None:
    data = wire.array_bytes(np.arange(6.0), 1 << 20)
    with pytest.raises(wire.WireError, match="refused"):
        wire.array_from(data[:-8], 1 << 20)
    with pytest.raises(wire.WireError, match="refused"):
        wire.array_from(data + b"\0" * 8, 1 << 20)
