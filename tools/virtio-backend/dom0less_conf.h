/* The discovery mode's configuration file: what backs each dom0less
 * device, for devices whose boot tree says nothing (no
 * proxenos,backend-args) or says something dom0 wants otherwise. One
 * device a line (docs/virtio.md, "Finding dom0less devices"):
 *   DOMAIN/DEVICE  WORDS...     domU1/vdisk  target=/srv/domU1.img
 *   DOMAIN@BASE    WORDS...     domU1@0x2000200  tap=vtap1
 *   DOMID@BASE     WORDS...     1@0x2000400  sim-pairs
 *   DOMAIN/DEVICE  -            not ours: left to another back end
 * DOMAIN is a xen,domain node's name, DOMID a number (a node name starts
 * with a letter, so the two cannot be confused); WORDS are devargs.h's.
 * Blank lines and lines whose first non-blank is '#' say nothing. */
#ifndef VBE_DOM0LESS_CONF_H
#define VBE_DOM0LESS_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dom0less_dt.h"

#define D0L_CONF_DEFAULT "/etc/proxenos/virtio-backend.conf"
#define D0L_CONF_MAX 64

struct d0l_conf_entry {
    unsigned line;
    bool key_ok;                /* false: the line names no device */
    bool by_domid;              /* else by domain name */
    uint16_t domid;
    char domain[D0L_NAME_MAX];
    bool by_base;               /* else by device name */
    uint64_t base;
    char device[D0L_NAME_MAX];
    bool elsewhere;             /* "-": some other program serves it */
    char words[512];
    char error[192];            /* "" for a good line */
    bool used;                  /* matched a listed device */
};

struct d0l_conf {
    struct d0l_conf_entry e[D0L_CONF_MAX];
    unsigned n;
    unsigned dropped;           /* lines past D0L_CONF_MAX */
};

/* Read every line of f into c; the lines with error set are not used
 * (one with a good key still refuses the device it names). */
void d0l_conf_read(FILE *f, struct d0l_conf *c);

/* Whether entry e names device d. */
bool d0l_conf_matches(const struct d0l_conf_entry *e, const struct d0l_dev *d);

#endif
