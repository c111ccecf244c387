#!/usr/bin/env python3
"""Loads libtorch and TorchSharp's libLibTorchSharp.so the way TorchSharp 0.107.0 does for CUDA, without .NET or
`import torch`, and reports each step (dlerror text included). Run it with LD_LIBRARY_PATH pointing at torch/lib.

    probe.py /path/to/libLibTorchSharp.so

Steps, as TorchSharp's LoadNativeBackend(useCudaBackend: true): dlopen("libtorch_cuda.so"), then libLibTorchSharp.so;
then THSTorchCuda_is_available() (what torch.cuda.is_available() returns), device_count, cudnn_is_available.
libLibTorchSharp.so is opened first with RTLD_NOW (fails on the first unresolved symbol, and names it), then with
RTLD_LAZY (what .NET uses: only data symbols must resolve at load; a missing function only fails when called).
"""
import ctypes
import os
import sys


def step(name, fn):
    try:
        result = fn()
        print(f"  OK    {name}: {result}")
        return result
    except Exception as e:  # OSError carries dlerror()'s text
        print(f"  FAIL  {name}: {e}")
        return None


def main():
    sharp = sys.argv[1]
    mode_global = getattr(os, "RTLD_GLOBAL", 0x100)
    now, lazy = getattr(os, "RTLD_NOW", 2), getattr(os, "RTLD_LAZY", 1)
    print(f"LD_LIBRARY_PATH={os.environ.get('LD_LIBRARY_PATH', '')}")
    step("dlopen libc10.so", lambda: ctypes.CDLL("libc10.so", mode=mode_global) and "loaded")
    step("dlopen libtorch_cpu.so", lambda: ctypes.CDLL("libtorch_cpu.so", mode=mode_global) and "loaded")
    cuda = step("dlopen libtorch_cuda.so (TorchSharp's first CUDA load)", lambda: ctypes.CDLL("libtorch_cuda.so", mode=mode_global) and "loaded")
    lib = step("dlopen libLibTorchSharp.so RTLD_NOW (every symbol resolved now)", lambda: ctypes.CDLL(sharp, mode=now | mode_global))
    if lib is None:
        lib = step("dlopen libLibTorchSharp.so RTLD_LAZY (as .NET does)", lambda: ctypes.CDLL(sharp, mode=lazy | mode_global))
    if lib is None:
        print("RESULT: libLibTorchSharp.so does not load against these libraries")
        return 1

    def call(fn, restype):
        f = getattr(lib, fn)
        f.restype = restype
        f.argtypes = []
        return f()

    avail = step("THSTorchCuda_is_available()", lambda: call("THSTorchCuda_is_available", ctypes.c_bool))
    step("THSTorchCuda_device_count()", lambda: call("THSTorchCuda_device_count", ctypes.c_int))
    step("THSTorchCuda_cudnn_is_available()", lambda: call("THSTorchCuda_cudnn_is_available", ctypes.c_bool))
    step("THSTorch_get_num_threads()", lambda: call("THSTorch_get_num_threads", ctypes.c_int))
    print(f"RESULT: libLibTorchSharp.so loads; libtorch_cuda.so {'loaded' if cuda else 'did NOT load'}; "
          f"THSTorchCuda_is_available = {avail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
