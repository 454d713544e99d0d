/* The build id in the image's GNU build-id note, which the linker script
 * keeps between __build_id_note_start and __build_id_note_end. An ELF
 * note is a header (name size, description size, type), the name padded
 * to 4 bytes, then the description: the id. Nothing is trusted about the
 * note's sizes beyond what fits between the two symbols. */
#include <proxenos/build_id.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>

extern const uint8_t __build_id_note_start[];
extern const uint8_t __build_id_note_end[];

#define NT_GNU_BUILD_ID 3U
#define NOTE_HEADER 12U
#define GNU_NAME "GNU"
#define GNU_NAME_SIZE 4U        /* with its NUL, already a multiple of 4 */

static uint32_t read32(const uint8_t *p)
{
    uint32_t v;

    (void)memcpy(&v, p, sizeof(v));
    return v;
}

int build_id_parse(const uint8_t *note, size_t size, const uint8_t **id, uint32_t *len)
{
    uint32_t desc_size;

    if ((size < (NOTE_HEADER + GNU_NAME_SIZE)) || (read32(note) != GNU_NAME_SIZE) ||
        (read32(note + 8U) != NT_GNU_BUILD_ID) ||
        (memcmp(note + NOTE_HEADER, GNU_NAME, GNU_NAME_SIZE) != 0)) {
        return -ENODATA;
    }
    desc_size = read32(note + 4U);
    if ((desc_size == 0U) || (desc_size > (size - NOTE_HEADER - GNU_NAME_SIZE))) {
        return -ENODATA;
    }
    *id = note + NOTE_HEADER + GNU_NAME_SIZE;
    *len = desc_size;
    return 0;
}

int build_id_get(const uint8_t **id, uint32_t *len)
{
    /* Two linker symbols, not one object: their distance as addresses. */
    size_t size = (size_t)((uintptr_t)__build_id_note_end - (uintptr_t)__build_id_note_start);

    return build_id_parse(__build_id_note_start, size, id, len);
}
