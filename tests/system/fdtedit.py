"""Just enough of the flattened device tree format (devicetree spec, chapter 5)
to find a property in a DTB and damage it on purpose."""

import struct

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def header(blob):
    names = ("magic", "totalsize", "off_dt_struct", "off_dt_strings", "off_mem_rsvmap",
             "version", "last_comp_version", "boot_cpuid_phys", "size_dt_strings",
             "size_dt_struct")
    h = dict(zip(names, struct.unpack_from(">10I", blob, 0)))
    if h["magic"] != FDT_MAGIC:
        raise ValueError("not a flattened device tree")
    return h


def properties(blob):
    """Yield (node_path, prop_name_or_None, nameoff, offset_of_nameoff_field)
    for every property, in structure-block order."""
    h = header(blob)
    strings = blob[h["off_dt_strings"]:h["off_dt_strings"] + h["size_dt_strings"]]
    off = h["off_dt_struct"]
    end = off + h["size_dt_struct"]
    path = []
    while off < end:
        (tag,) = struct.unpack_from(">I", blob, off)
        off += 4
        if tag == FDT_BEGIN_NODE:
            nul = blob.index(b"\0", off)
            path.append(blob[off:nul].decode())
            off = (nul + 1 + 3) & ~3
        elif tag == FDT_END_NODE:
            path.pop()
        elif tag == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", blob, off)
            name = None
            if nameoff < len(strings):
                name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            node = "/" + "/".join(p for p in path[1:])
            yield node, name, nameoff, off + 4
            off = (off + 8 + length + 3) & ~3
        elif tag == FDT_NOP:
            pass
        elif tag == FDT_END:
            return
        else:
            raise ValueError(f"bad structure tag {tag:#x} at {off - 4:#x}")


def find_property(blob, node, name):
    for n, p, nameoff, field in properties(blob):
        if n == node and p == name:
            return nameoff, field
    raise KeyError(f"{node}:{name} not found")


def set_nameoff(blob, node, name, nameoff):
    """Return a copy of blob whose property node:name points its name at
    offset nameoff of the strings block."""
    _, field = find_property(blob, node, name)
    out = bytearray(blob)
    struct.pack_into(">I", out, field, nameoff)
    return bytes(out)


def nameoff_at(blob, node, index):
    """nameoff of the index-th property of node (None if absent)."""
    found = [nameoff for n, _, nameoff, _ in properties(blob) if n == node]
    return found[index] if index < len(found) else None
