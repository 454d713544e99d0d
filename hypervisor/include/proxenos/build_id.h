/* The image's build id: the GNU build-id note the linker writes (a SHA-1
 * of the image), which XENVER_build_id reports as Xen does, so tools that
 * match a hypervisor to its debug symbols or live patches can. */
#ifndef PROXENOS_BUILD_ID_H
#define PROXENOS_BUILD_ID_H

#include <proxenos/types.h>

/* The id's bytes and their number: 0, or -ENODATA when the image has no
 * well-formed note. */
int build_id_get(const uint8_t **id, uint32_t *len);
/* The same from the size bytes of a note at note. */
int build_id_parse(const uint8_t *note, size_t size, const uint8_t **id, uint32_t *len);

#endif
