/* Link map of the hypervisor image. Sections are page-aligned so that
 * mm.c can give text, read-only data and writable data different
 * permissions with 4 KiB mappings. */
#include <asm/memlayout.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
    . = HYP_VIRT_BASE;
    _start_image = .;

    .text : {
        __text_start = .;
        KEEP(*(.text.head))
        *(.text.vectors)
        *(.text .text.*)
        . = ALIGN(4096);
        __text_end = .;
    }

    .rodata : {
        __rodata_start = .;
        . = ALIGN(8);
        __keyhandler_start = .;
        KEEP(*(keyhandlers))
        __keyhandler_end = .;
        *(.rodata .rodata.*)
        /* XENVER_build_id reads it (common/boot/build_id.c). */
        . = ALIGN(4);
        __build_id_note_start = .;
        KEEP(*(.note.gnu.build-id))
        __build_id_note_end = .;
        . = ALIGN(4096);
        __rodata_end = .;
    }

    .data : {
        __data_start = .;
        . = ALIGN(8);
        __param_start = .;
        KEEP(*(.data.param))
        __param_end = .;
        *(.data .data.*)
    }

    .bss (NOLOAD) : {
        . = ALIGN(16);
        __bss_start = .;
        *(.bss.pagetables)
        *(.bss.stacks)
        *(.bss .bss.* COMMON)
        . = ALIGN(16);
        __bss_end = .;
    }

    . = ALIGN(4096);
    _end = .;
    __image_size = _end - _start_image;

    /DISCARD/ : { *(.note .note.* .comment .eh_frame .interp) }
}

ASSERT(_start == HYP_VIRT_BASE, "the Image header must come first")
ASSERT(_end - _start_image <= HYP_IMAGE_MAX, "image outgrew the boot mapping")
