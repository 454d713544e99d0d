/* virtio-i2c as a device type of the back end: one request queue, the bus
 * behind it a dom0 adapter (PATH /dev/i2c-N) or the simulated EEPROMs
 * (PATH sim-eeprom:ADDR[,ADDR...], docs/virtio.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i2c_adapter.h"
#include "i2c_eeprom.h"
#include "log.h"
#include "vdev_types.h"
#include "vi2c.h"

#define SIM_PREFIX "sim-eeprom:"

struct i2c_dev {
    struct vi2c v;
    bool sim;
    struct i2c_adapter adapter;
    struct i2c_sim_bus sim_bus;
    unsigned long requests, failed;
};

/* "0x50,0x51": each address a simulated EEPROM; false on anything else. */
static bool add_eeproms(struct i2c_sim_bus *s, const char *list)
{
    const char *p = list;

    while (*p) {
        char *end;
        unsigned long a = strtoul(p, &end, 0);

        if (end == p || (*end != ',' && *end != '\0') || a > 0x7f ||
            i2c_sim_add_eeprom(s, (uint16_t)a) != 0)
            return false;
        log_msg("i2c: simulated 24c02 EEPROM at %#lx", a);
        p = *end ? end + 1 : end;
    }
    return s->n != 0;
}

static void *i2c_create(const struct vdev_opts *o, unsigned nvcpus, struct vdev_info *info)
{
    struct i2c_dev *i;

    (void)nvcpus;
    if (!o->path) {
        log_msg("i2c: no adapter given (/dev/i2c-N, or " SIM_PREFIX "ADDR[,ADDR...])");
        return NULL;
    }
    i = calloc(1, sizeof(*i));
    if (!i)
        return NULL;
    if (strncmp(o->path, SIM_PREFIX, strlen(SIM_PREFIX)) == 0) {
        i->sim = true;
        i2c_sim_init(&i->sim_bus);
        if (!add_eeproms(&i->sim_bus, o->path + strlen(SIM_PREFIX))) {
            log_msg("i2c: %s: up to %u addresses 0x08..0x77, each once", o->path,
                    I2C_EEPROM_MAX);
            free(i);
            return NULL;
        }
        vi2c_init(&i->v, &i->sim_bus.bus);
    } else {
        if (i2c_adapter_open(&i->adapter, o->path, NULL) != 0) {
            free(i);
            return NULL;
        }
        log_msg("i2c: adapter %s", o->path);
        vi2c_init(&i->v, &i->adapter.bus);
    }
    memset(info, 0, sizeof(*info));
    info->device_id = VIRTIO_ID_I2C;
    info->features = vi2c_features();
    info->nqueues = 1;
    snprintf(info->what, sizeof(info->what), "i2c on %s", o->path);
    return i;
}

static uint32_t i2c_request(void *dev, unsigned q, struct guest_mem *gm,
                            const struct vq_chain *chain, bool *failed)
{
    struct i2c_dev *i = dev;
    uint8_t status;
    uint32_t len = vi2c_request(&i->v, gm, chain, &status);

    (void)q;
    *failed = status != VIRTIO_I2C_MSG_OK;
    return len;
}

static void i2c_reset(void *dev)
{
    vi2c_reset(&((struct i2c_dev *)dev)->v);
}

static void i2c_destroy(void *dev)
{
    struct i2c_dev *i = dev;

    if (!i->sim)
        i2c_adapter_close(&i->adapter);
    free(i);
}

const struct vdev_type vdev_i2c = {
    .name = "i2c",
    .create = i2c_create,
    .request = i2c_request,
    .reset = i2c_reset,
    .destroy = i2c_destroy,
};
