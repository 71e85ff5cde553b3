"""A float64's bits as an integer and back, inside Numba kernels (an LLVM bitcast).

NumPy's `view` does this for arrays; a kernel needs it per value, to take a float apart
(exponent, mantissa) with integer operations that LLVM can vectorise, where libm's `log` or
`ldexp` would be a call per value.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.extending import intrinsic


@intrinsic
def float_bits(typingctx, x):
    """The float64's 64 bits as an unsigned integer (no instruction: a reinterpretation)."""
    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.uint64(types.float64), codegen


@intrinsic
def bits_float(typingctx, x):
    """The float64 whose 64 bits these are."""
    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.uint64), codegen
