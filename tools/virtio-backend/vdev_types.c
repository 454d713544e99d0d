/* The device types this back end can serve, by --type name. */
#include <stddef.h>
#include <string.h>

#include "vdev.h"
#include "vdev_types.h"

static const struct vdev_type *const types[] = {
    &vdev_blk,
    &vdev_i2c,
    &vdev_gpio,
    &vdev_net,
};

const struct vdev_type *vdev_type_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(types[i]->name, name) == 0)
            return types[i];
    }
    return NULL;
}

const char *vdev_type_names(void)
{
    static char names[128];
    size_t i, n = 0;

    if (names[0] != '\0')
        return names;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t l = strlen(types[i]->name);

        if (n + l + 2 > sizeof(names))
            break;
        if (n != 0)
            names[n++] = '|';
        memcpy(names + n, types[i]->name, l);
        n += l;
        names[n] = '\0';
    }
    return names;
}
