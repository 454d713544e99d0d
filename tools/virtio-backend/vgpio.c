/* virtio-gpio request and event handling (VirtIO 1.2, 5.17.6). */
#include <string.h>

#include "le.h"
#include "vgpio.h"
#include "virtio_abi.h"

/* A kept event buffer taken back under the lock, answered after it. */
struct answer {
    bool any;
    struct guest_mem *gm;
    uint8_t status;
    uint16_t head;
    uint64_t gpa;
};

void vgpio_init(struct vgpio *v, struct gpio_chip *chip,
                void (*give_back)(void *ctx, uint16_t head, uint32_t len), void *ctx)
{
    unsigned i;

    memset(v, 0, sizeof(*v));
    v->chip = chip;
    v->give_back = give_back;
    v->ctx = ctx;
    pthread_mutex_init(&v->lock, NULL);
    v->nlines = chip->nlines < VGPIO_MAX_LINES ? chip->nlines : VGPIO_MAX_LINES;
    for (i = 0; i < v->nlines; i++) {
        char name[VGPIO_NAME_MAX];
        size_t n;

        name[0] = '\0';
        chip->name(chip, i, name, sizeof(name));
        name[sizeof(name) - 1] = '\0';
        n = strlen(name) + 1;
        memcpy(v->names + v->names_size, name, n);
        v->names_size += (uint32_t)n;
    }
    put_le16(v->config, (uint16_t)v->nlines);
    put_le32(v->config + 4, v->names_size);
}

void vgpio_fini(struct vgpio *v)
{
    vgpio_reset(v);
    pthread_mutex_destroy(&v->lock);
}

uint64_t vgpio_features(void)
{
    return (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC) |
           (1ull << VIRTIO_GPIO_F_IRQ);
}

/* With v->lock held: whether a level interrupt's condition holds now. */
static bool level_holds(struct vgpio *v, unsigned line)
{
    uint8_t type = v->line[line].irq_type;
    int level;

    if (type != VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH && type != VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW)
        return false;
    level = v->chip->get(v->chip, line);
    return level == (type == VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH ? 1 : 0);
}

/* With v->lock held: take line's kept buffer back to answer with status. */
static void take_back(struct vgpio *v, unsigned line, uint8_t status, struct answer *a)
{
    struct vgpio_line *l = &v->line[line];

    l->held = false;
    a->any = true;
    a->gm = v->gm;
    a->status = status;
    a->head = l->head;
    a->gpa = l->status_gpa;
    if (status == VIRTIO_GPIO_IRQ_STATUS_VALID)
        v->events++;
}

static void answer(struct vgpio *v, const struct answer *a)
{
    if (!a->any)
        return;
    v->give_back(v->ctx, a->head, gm_write(a->gm, a->gpa, &a->status, 1) == 0 ? 1 : 0);
}

static unsigned edges_of(uint8_t type)
{
    switch (type) {
    case VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING:
    case VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH:
        return GPIO_EDGE_RISING;
    case VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING:
    case VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW:
        return GPIO_EDGE_FALLING;
    case VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH:
        return GPIO_EDGE_RISING | GPIO_EDGE_FALLING;
    default:
        return 0;
    }
}

static bool irq_type_known(uint32_t type)
{
    return type == VIRTIO_GPIO_IRQ_TYPE_NONE || (type <= 0xffu && edges_of((uint8_t)type) != 0);
}

/* With v->lock held: one request on line (in range) answered in resp. */
static void line_request(struct vgpio *v, uint16_t type, unsigned line, uint32_t value, bool irq,
                         uint8_t *resp, struct answer *a)
{
    struct vgpio_line *l = &v->line[line];
    struct gpio_chip *c = v->chip;
    int level;

    resp[0] = VIRTIO_GPIO_STATUS_ERR;
    resp[1] = 0;
    switch (type) {
    case VIRTIO_GPIO_MSG_GET_DIRECTION:
        resp[1] = l->dir;
        break;
    case VIRTIO_GPIO_MSG_SET_DIRECTION:
        if (value > VIRTIO_GPIO_DIRECTION_IN)
            return;
        /* An interrupt is an input's: turned off first, it says so. */
        if (l->irq_type != VIRTIO_GPIO_IRQ_TYPE_NONE && value != VIRTIO_GPIO_DIRECTION_IN)
            return;
        if (value == VIRTIO_GPIO_DIRECTION_NONE) {
            if (l->dir != VIRTIO_GPIO_DIRECTION_NONE)
                c->release(c, line);
        } else if (c->request(c, line, value == VIRTIO_GPIO_DIRECTION_OUT, l->value) != 0) {
            return;
        }
        l->dir = (uint8_t)value;
        break;
    case VIRTIO_GPIO_MSG_GET_VALUE:
        if (l->dir == VIRTIO_GPIO_DIRECTION_NONE)
            return;
        level = c->get(c, line);
        if (level < 0)
            return;
        resp[1] = (uint8_t)(level != 0);
        break;
    case VIRTIO_GPIO_MSG_SET_VALUE:
        if (value > 1)
            return;
        if (l->dir == VIRTIO_GPIO_DIRECTION_OUT && c->set(c, line, (int)value) != 0)
            return;
        /* Kept for an input too: the driver sets the value before it
         * makes the line an output. */
        l->value = (uint8_t)value;
        break;
    case VIRTIO_GPIO_MSG_IRQ_TYPE:
        if (!irq || !irq_type_known(value))
            return;
        if (value != VIRTIO_GPIO_IRQ_TYPE_NONE && l->dir != VIRTIO_GPIO_DIRECTION_IN)
            return;
        if (l->dir == VIRTIO_GPIO_DIRECTION_IN && c->edges(c, line, edges_of((uint8_t)value)) != 0)
            return;
        l->irq_type = (uint8_t)value;
        l->latched = false;
        if (l->held && value == VIRTIO_GPIO_IRQ_TYPE_NONE)
            take_back(v, line, VIRTIO_GPIO_IRQ_STATUS_INVALID, a);
        else if (l->held && level_holds(v, line))
            take_back(v, line, VIRTIO_GPIO_IRQ_STATUS_VALID, a);
        break;
    default:
        return;
    }
    resp[0] = VIRTIO_GPIO_STATUS_OK;
}

uint32_t vgpio_request(struct vgpio *v, struct guest_mem *gm, const struct vq_chain *c, bool irq,
                       uint8_t *status)
{
    uint8_t req[VGPIO_REQ_LEN], resp[2] = { VIRTIO_GPIO_STATUS_ERR, 0 };
    struct answer a = { 0 };
    uint32_t n;

    *status = 0xff;
    if (c->error != 0 || c->writable == 0)
        return 0;
    if (c->readable == VGPIO_REQ_LEN && vq_chain_read(gm, c, 0, req, sizeof(req)) == 0) {
        uint16_t type = le16(req), line = le16(req + 2);

        if (type == VIRTIO_GPIO_MSG_GET_NAMES) {
            if (c->writable >= 1u + v->names_size &&
                vq_chain_write(gm, c, 1, v->names, v->names_size) == 0) {
                resp[0] = VIRTIO_GPIO_STATUS_OK;
                if (vq_chain_write(gm, c, 0, resp, 1) != 0)
                    return 0;
                *status = resp[0];
                return 1u + v->names_size;
            }
        } else if (c->writable >= 2 && line < v->nlines) {
            pthread_mutex_lock(&v->lock);
            line_request(v, type, line, le32(req + 4), irq, resp, &a);
            pthread_mutex_unlock(&v->lock);
            answer(v, &a);
        }
    }
    n = c->writable < 2 ? (uint32_t)c->writable : 2u;
    if (vq_chain_write(gm, c, 0, resp, n) != 0)
        return 0;
    *status = resp[0];
    return n;
}

/* Where the chain's first writable byte is. */
static uint64_t first_writable(const struct vq_chain *c)
{
    unsigned i;

    for (i = 0; i < c->nseg; i++) {
        if (c->seg[i].device_writes && c->seg[i].len != 0)
            return c->seg[i].gpa;
    }
    return 0;
}

uint32_t vgpio_event_buffer(struct vgpio *v, struct guest_mem *gm, const struct vq_chain *c,
                            bool irq)
{
    uint8_t req[2], st = VIRTIO_GPIO_IRQ_STATUS_INVALID;

    if (c->error != 0 || c->writable == 0)
        return 0;
    if (irq && c->readable == sizeof(req) && vq_chain_read(gm, c, 0, req, sizeof(req)) == 0 &&
        le16(req) < v->nlines) {
        unsigned line = le16(req);
        struct vgpio_line *l = &v->line[line];

        pthread_mutex_lock(&v->lock);
        v->gm = gm;
        if (l->irq_type != VIRTIO_GPIO_IRQ_TYPE_NONE && !l->held) {
            if (l->latched || level_holds(v, line)) {
                l->latched = false;
                v->events++;
                st = VIRTIO_GPIO_IRQ_STATUS_VALID;
            } else {
                l->held = true;
                l->head = c->head;
                l->status_gpa = first_writable(c);
                pthread_mutex_unlock(&v->lock);
                return VGPIO_HELD;
            }
        }
        pthread_mutex_unlock(&v->lock);
    }
    return vq_chain_write(gm, c, 0, &st, 1) == 0 ? 1 : 0;
}

void vgpio_edge(struct vgpio *v, unsigned line, bool rising)
{
    struct answer a = { 0 };
    struct vgpio_line *l;
    uint8_t type;

    if (line >= v->nlines)
        return;
    l = &v->line[line];
    pthread_mutex_lock(&v->lock);
    type = l->irq_type;
    if (edges_of(type) & (rising ? GPIO_EDGE_RISING : GPIO_EDGE_FALLING)) {
        if (l->held)
            take_back(v, line, VIRTIO_GPIO_IRQ_STATUS_VALID, &a);
        else if (type & VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH)
            l->latched = true;
    }
    pthread_mutex_unlock(&v->lock);
    answer(v, &a);
}

void vgpio_reset(struct vgpio *v)
{
    unsigned i;

    pthread_mutex_lock(&v->lock);
    for (i = 0; i < v->nlines; i++) {
        struct vgpio_line *l = &v->line[i];

        if (l->dir != VIRTIO_GPIO_DIRECTION_NONE) {
            if (l->irq_type != VIRTIO_GPIO_IRQ_TYPE_NONE)
                v->chip->edges(v->chip, i, 0);
            v->chip->release(v->chip, i);
        }
        memset(l, 0, sizeof(*l));
    }
    pthread_mutex_unlock(&v->lock);
}
