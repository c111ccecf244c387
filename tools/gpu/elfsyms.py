#!/usr/bin/env python3
"""Which dynamic symbols a shared library needs that none of the given libraries define (no binutils needed).

    elfsyms.py TARGET.so PROVIDER.so [PROVIDER.so ...] [--show N]

Reads only the ELF section headers and .dynsym/.dynstr of each file, so multi-GB libraries are cheap. Weak undefined
symbols are not counted (they may stay unresolved). Prints the count and the first N missing, demangled with c++filt
when it is installed. Exit status 0 whether or not symbols are missing; 2 on a bad file.
"""
import shutil
import struct
import subprocess
import sys

SHT_DYNSYM = 11
STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE = 1, 2, 10


def dynsyms(path):
    """(undefined non-weak names, undefined weak names, defined exported names) of an ELF64 little-endian file."""
    with open(path, "rb") as f:
        ident = f.read(64)
        if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
            raise ValueError(f"{path}: not a little-endian ELF64 file")
        e_shoff, = struct.unpack_from("<Q", ident, 0x28)
        e_shentsize, e_shnum = struct.unpack_from("<HH", ident, 0x3A)
        f.seek(e_shoff)
        raw = f.read(e_shentsize * e_shnum)
        sections = [struct.unpack_from("<IIQQQQIIQQ", raw, i * e_shentsize) for i in range(e_shnum)]
        undefined, weak_undefined, defined = set(), set(), set()
        for (_, sh_type, _, _, sh_offset, sh_size, sh_link, _, _, sh_entsize) in sections:
            if sh_type != SHT_DYNSYM:
                continue
            str_off, str_size = sections[sh_link][4], sections[sh_link][5]
            f.seek(str_off)
            strtab = f.read(str_size)
            f.seek(sh_offset)
            symtab = f.read(sh_size)
            entsize = sh_entsize or 24
            for i in range(1, sh_size // entsize):
                st_name, st_info, st_other, st_shndx = struct.unpack_from("<IBBH", symtab, i * entsize)
                if st_name == 0:
                    continue
                end = strtab.index(b"\0", st_name)
                name = strtab[st_name:end].decode("utf-8", "replace")
                bind = st_info >> 4
                if st_shndx == 0:
                    (weak_undefined if bind == STB_WEAK else undefined).add(name)
                elif bind in (STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE) and (st_other & 3) in (0, 3):
                    defined.add(name)
        return undefined, weak_undefined, defined


def demangle(names):
    if not names or not shutil.which("c++filt"):
        return names
    try:
        out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True, timeout=30).stdout
        lines = out.splitlines()
        return lines if len(lines) == len(names) else names
    except Exception:
        return names


def main(argv):
    show = 20
    if "--show" in argv:
        i = argv.index("--show")
        show = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) < 2:
        print(__doc__)
        return 2
    target, providers = argv[0], argv[1:]
    try:
        need, weak, _ = dynsyms(target)
    except (OSError, ValueError) as e:
        print(f"cannot read {target}: {e}")
        return 2
    have = set()
    for p in providers:
        try:
            have |= dynsyms(p)[2]
        except (OSError, ValueError) as e:
            print(f"  (skipped {p}: {e})")
    missing = sorted(need - have)
    print(f"{target}: {len(need)} undefined symbols ({len(weak)} weak ones not counted), "
          f"{len(have)} defined in {len(providers)} provider libraries; MISSING: {len(missing)}")
    for mangled, pretty in zip(missing[:show], demangle(missing[:show])):
        print(f"  {pretty}" + (f"   [{mangled}]" if pretty != mangled else ""))
    if len(missing) > show:
        print(f"  ... and {len(missing) - show} more")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
