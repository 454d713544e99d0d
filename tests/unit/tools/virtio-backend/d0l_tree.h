/* A /proc/device-tree/chosen/proxenos-virtio made in a temporary
 * directory, as Linux shows the hypervisor's list: a directory per
 * device, a file per property holding its raw bytes. Static helpers for
 * the discovery mode's tests. */
#ifndef D0L_TREE_H
#define D0L_TREE_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tree_dir[] = "/tmp/test_d0l.XXXXXX";

static void tree_make(void)
{
    strcpy(tree_dir, "/tmp/test_d0l.XXXXXX");
    assert_non_null(mkdtemp(tree_dir));
}

static void tree_remove(void)
{
    char cmd[64];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", tree_dir);
    assert_int_equal(system(cmd), 0);
}

static void tree_prop(const char *node, const char *name, const void *bytes, size_t len)
{
    char path[512];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", tree_dir, node);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/%s/%s", tree_dir, node, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    close(fd);
}

static void tree_unprop(const char *node, const char *name)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s/%s", tree_dir, node, name);
    assert_int_equal(unlink(path), 0);
}

static void tree_str(const char *node, const char *name, const char *s)
{
    tree_prop(node, name, s, strlen(s) + 1);
}

static void tree_u32(const char *node, const char *name, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

    tree_prop(node, name, b, sizeof(b));
}

static void tree_u64(const char *node, const char *name, uint64_t v)
{
    uint8_t b[8];
    int i;

    for (i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
    tree_prop(node, name, b, sizeof(b));
}

/* A device as the hypervisor writes it; args NULL leaves backend-args out. */
static void tree_device(const char *node, uint32_t domid, const char *domain, const char *device,
                        const char *type, uint64_t base, uint32_t irq, const char *args)
{
    tree_str(node, "compatible", "proxenos,virtio-mmio-device-v1");
    tree_u32(node, "proxenos,domid", domid);
    tree_str(node, "proxenos,domain", domain);
    tree_str(node, "proxenos,device", device);
    tree_str(node, "proxenos,device-type", type);
    tree_u32(node, "proxenos,device-id", strcmp(type, "net") == 0 ? 1 : 2);
    tree_u64(node, "proxenos,base", base);
    tree_u64(node, "proxenos,size", 0x200);
    tree_u32(node, "proxenos,irq", irq);
    if (args)
        tree_str(node, "proxenos,backend-args", args);
}

#endif
