"""The private channel between the grader and a worker: length-prefixed frames, JSON and `.npy`.

A message is one JSON frame followed by as many `.npy` frames as it references. Arrays travel as
`.npy` bytes read with `allow_pickle=False`; nothing is ever unpickled. Values the JSON cannot hold
are tagged: `{"$nd": i}` (the i-th array frame), `{"$tuple": [...]}`, `{"$dict": [[k, v], ...]}`
(keeps order and non-string keys), `{"$ref": n, "type": ..., "bases": [...]}` (an object that stays
in the worker), `{"$float": "nan"}`.

This module is imported by the worker too: it depends on numpy and the standard library only.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import struct
from typing import Any

import numpy as np

HEADER = struct.Struct("<Q")
MAX_JSON = 8 << 20  # bytes of one JSON frame
ALLOWED_KINDS = frozenset("biufc")  # bool, int, uint, float, complex


class WireError(Exception):
    """A frame that breaks the protocol or a limit (too large, wrong type)."""


class Ref:
    """An object that lives in the worker, named by a handle."""

    __slots__ = ("id", "type", "bases")

    def __init__(self, id: int, type: str = "", bases: tuple[str, ...] = ()) -> None:
        self.id, self.type, self.bases = id, type, tuple(bases)

    def is_a(self, name: str) -> bool:
        return self.type == name or name in self.bases

    def __repr__(self) -> str:
        return f"<{self.type or 'object'} #{self.id}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("ref", self.id))


_MAGIC = b"\x93NUMPY"
# The header our writer makes (and numpy's): parsed by this pattern, not by evaluating it.
_NPY_HEADER = re.compile(r"\{'descr': '([<>|=]?[biufc][0-9]{1,2})', 'fortran_order': (False|True), "
                         r"'shape': \(((?:[0-9]+, ?)*[0-9]*)\), \} *\n")


def array_bytes(arr: np.ndarray, max_bytes: int) -> bytes:
    """Serialise an array as `.npy` (format 1.0), refusing object dtypes and arrays over `max_bytes`.

    The size is judged before any copy: a strided view over a small buffer that claims
    gigabytes is refused without being materialised.
    """
    if arr.dtype.kind not in ALLOWED_KINDS:
        raise WireError(f"array of dtype {arr.dtype} cannot be sent (numbers only)")
    nbytes = int(arr.size) * arr.dtype.itemsize
    if nbytes > max_bytes:
        raise WireError(f"array of shape {arr.shape} ({nbytes} bytes) exceeds the limit of {max_bytes} bytes")
    shape = tuple(int(n) for n in arr.shape)
    text = f"{{'descr': {arr.dtype.str!r}, 'fortran_order': False, 'shape': {shape!r}, }}"
    pad = -(len(_MAGIC) + 4 + len(text) + 1) % 64
    header = (text + " " * pad + "\n").encode("latin1")
    return b"".join((_MAGIC, b"\x01\x00", struct.pack("<H", len(header)), header, np.ascontiguousarray(arr).tobytes()))


def array_from(data: bytes, max_bytes: int) -> np.ndarray:
    """Read `.npy` bytes without pickle, checking the header before allocating."""
    parsed = _parse_header(data)
    if parsed is None:  # not our writer's header: numpy's reader (slower, as safe)
        return _array_from_numpy(data, max_bytes)
    dtype, fortran, shape, offset = parsed
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > max_bytes or len(data) - offset != nbytes:
        raise WireError(f"array of shape {shape} refused ({nbytes} bytes; limit {max_bytes})")
    arr = np.frombuffer(data, dtype, count=math.prod(shape), offset=offset)
    return arr.reshape(shape, order="F" if fortran else "C").copy(order="K")  # writable, like any array


def _parse_header(data: bytes) -> tuple[np.dtype, bool, tuple[int, ...], int] | None:
    if data[:6] != _MAGIC or len(data) < 10:
        return None
    if data[6:8] == b"\x01\x00":
        (size,), start = struct.unpack_from("<H", data, 8), 10
    elif data[6:8] in (b"\x02\x00", b"\x03\x00") and len(data) >= 12:
        (size,), start = struct.unpack_from("<I", data, 8), 12
    else:
        return None
    m = _NPY_HEADER.fullmatch(data[start:start + size].decode("latin1"))
    if m is None:
        return None
    shape = tuple(int(n) for n in m.group(3).replace(" ", "").split(",") if n)
    if len(shape) > 32:
        return None
    return np.dtype(m.group(1)), m.group(2) == "True", shape, start + size


def _array_from_numpy(data: bytes, max_bytes: int) -> np.ndarray:
    buf = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(buf)
        if version == (1, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_1_0(buf)
        else:
            shape, _fortran, dtype = np.lib.format.read_array_header_2_0(buf)
    except ValueError as exc:
        raise WireError(f"malformed array frame: {exc}") from None
    if dtype.kind not in ALLOWED_KINDS:
        raise WireError(f"array of dtype {dtype} refused (numbers only)")
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > max_bytes or len(data) < nbytes:
        raise WireError(f"array of shape {shape} refused ({nbytes} bytes; limit {max_bytes})")
    buf.seek(0)
    try:
        return np.lib.format.read_array(buf, allow_pickle=False)
    except ValueError as exc:
        raise WireError(f"malformed array frame: {exc}") from None


def encode(value: Any, arrays: list[bytes], max_bytes: int, make_ref: Any = None, depth: int = 0) -> Any:
    """Turn a value into JSON-ready data, appending `.npy` frames to `arrays`.

    `make_ref(obj) -> dict` is given by the worker: objects that are not plain data stay there
    and travel as handles. Without it (the grader's side), such objects are an error.
    """
    if depth > 20:
        raise WireError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) < 2**62 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.ndarray):
        arrays.append(array_bytes(value, max_bytes))
        return {"$nd": len(arrays) - 1}
    if isinstance(value, np.generic) and value.dtype.kind in ALLOWED_KINDS:
        return encode(value.item(), arrays, max_bytes, make_ref, depth + 1)
    if isinstance(value, Ref):
        return {"$ref": value.id, "type": value.type, "bases": list(value.bases)}
    if type(value) in (list, tuple):
        items = [encode(v, arrays, max_bytes, make_ref, depth + 1) for v in value]
        return items if type(value) is list else {"$tuple": items}
    if isinstance(value, dict):
        return {"$dict": [[encode(k, arrays, max_bytes, make_ref, depth + 1),
                           encode(v, arrays, max_bytes, make_ref, depth + 1)] for k, v in value.items()]}
    if make_ref is not None:
        return make_ref(value)
    raise WireError(f"cannot send a value of type {type(value).__name__}")


def decode(data: Any, arrays: list[np.ndarray]) -> Any:
    if isinstance(data, list):
        return [decode(v, arrays) for v in data]
    if not isinstance(data, dict):
        return data
    if "$nd" in data:
        return arrays[data["$nd"]]
    if "$tuple" in data:
        return tuple(decode(v, arrays) for v in data["$tuple"])
    if "$dict" in data:
        return {_key(decode(k, arrays)): decode(v, arrays) for k, v in data["$dict"]}
    if "$ref" in data:
        return Ref(int(data["$ref"]), str(data.get("type", "")), tuple(data.get("bases", ())))
    if "$float" in data:
        return float(data["$float"])
    raise WireError(f"unknown tag in {sorted(data)}")


def _key(k: Any) -> Any:
    return k if not isinstance(k, list) else tuple(k)


# ── framing ────────────────────────────────────────────────────────────────────────────────────

def write_message(fd: int, header: dict[str, Any], arrays: list[bytes]) -> None:
    payload = json.dumps({**header, "arrays": len(arrays)}, ensure_ascii=False).encode()
    chunks = [HEADER.pack(len(payload)), payload]
    for a in arrays:
        chunks += [HEADER.pack(len(a)), a]
    data = b"".join(chunks)
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_exact(fd: int, n: int, wait: Any = None) -> bytes:
    """Read exactly n bytes; `wait()` is called before each read (the grader's deadline check)."""
    parts, got = [], 0
    while got < n:
        if wait is not None:
            wait()
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("channel closed")
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def read_message(fd: int, max_bytes: int, wait: Any = None) -> tuple[dict[str, Any], list[np.ndarray]]:
    (size,) = HEADER.unpack(read_exact(fd, HEADER.size, wait))
    if size > MAX_JSON:
        raise WireError(f"message header of {size} bytes exceeds {MAX_JSON}")
    try:
        header = json.loads(read_exact(fd, size, wait))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"malformed message: {exc}") from None
    if not isinstance(header, dict):
        raise WireError("malformed message: not an object")
    arrays = []
    budget = max_bytes
    for _ in range(int(header.get("arrays", 0))):
        (n,) = HEADER.unpack(read_exact(fd, HEADER.size, wait))
        if n > budget + 4096:
            raise WireError(f"array frame of {n} bytes exceeds the output limit of {max_bytes} bytes")
        arr = array_from(read_exact(fd, n, wait), budget)
        budget -= arr.nbytes
        arrays.append(arr)
    return header, arrays
