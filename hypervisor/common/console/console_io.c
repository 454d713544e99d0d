/* The console_io hypercall: a domain's text on the hypervisor console
 * (CONSOLEIO_write) and the keys typed for it (CONSOLEIO_read).
 *
 * Who may call it: Xen 4.17's default policy lets the hardware domain and
 * every domain marked "is_console" do both; Xen marks each dom0less domain
 * so. Every Proxenos domain is either dom0 or built at boot from the
 * device tree, so every domain may write and read.
 *
 * Output: dom0's bytes go to the console as they come, as in Xen (it may
 * be an interactive shell). Other domains' text goes out a line at a time
 * with the "(dN) " prefix, through the same line buffering, filter and
 * rate limit as the vpl011 (guest_console.c). A write returns 0 when all
 * of it is consumed, as on Xen 4.17; each invocation handles at most
 * WRITE_BUDGET bytes and then restarts, and once the domain is over its
 * limit the rest of a write is dropped unread, so that a write of a gigabyte
 * costs no more than a short one.
 *
 * Input: a domain that takes console input and has no vpl011 registers
 * itself as a sink of the Ctrl-a cycle; bytes typed while it has the
 * focus wait in a small ring and raise VIRQ_CONSOLE, as Xen does for
 * dom0. */
#include <proxenos/console_io.h>
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/guest_console.h>
#include <proxenos/hypercall.h>
#include <proxenos/lib.h>
#include <proxenos/spinlock.h>
#include <proxenos/string.h>

/* Bytes copied in at a time (Xen's kernel buffer is 128 with its NUL). */
#define WRITE_CHUNK 127U
/* Bytes printed per invocation before the hypercall is restarted, so that
 * a long write does not hold the CPU. */
#define WRITE_BUDGET 2048U
#define RX_MASK (CONSOLE_IO_RX_SIZE - 1U)
#define READ_MAX 0x7fffffffU   /* INT_MAX: larger counts would look like errors */

_Static_assert((CONSOLE_IO_RX_SIZE & RX_MASK) == 0U, "ring size is a power of two");

struct pv_console {
    bool used;
    bool input_tried;       /* sink registration attempted */
    domid_t domid;
    char name[32];          /* the sink's name outlives nothing it points to */
    spinlock_t lock;
    struct guest_console out;
    char rx[CONSOLE_IO_RX_SIZE];
    uint32_t rx_prod;
    uint32_t rx_cons;
};

static struct pv_console consoles[MAX_DOMAINS];
static spinlock_t consoles_lock = SPINLOCK_INIT;

static struct pv_console *find_locked(domid_t id)
{
    for (unsigned int i = 0U; i < MAX_DOMAINS; i++) {
        if (consoles[i].used && (consoles[i].domid == id)) {
            return &consoles[i];
        }
    }
    return NULL;
}

static struct pv_console *find(domid_t id)
{
    unsigned long flags = spin_lock_irqsave(&consoles_lock);
    struct pv_console *pc = find_locked(id);

    spin_unlock_irqrestore(&consoles_lock, flags);
    return pc;
}

/* The input ring's free bytes, for the console's flow control. */
static unsigned int console_io_room(unsigned int domid)
{
    struct pv_console *pc = (domid < DOMID_FIRST_RESERVED) ? find((domid_t)domid) : NULL;
    unsigned long flags;
    unsigned int room = CONSOLE_IO_RX_SIZE;

    if (pc != NULL) {
        flags = spin_lock_irqsave(&pc->lock);
        room = CONSOLE_IO_RX_SIZE - (pc->rx_prod - pc->rx_cons);
        spin_unlock_irqrestore(&pc->lock, flags);
    }
    return room;
}

/* d's console, created on first use (NULL when the table is full). */
static struct pv_console *get(const struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&consoles_lock);
    struct pv_console *pc = find_locked(d->domain_id);

    for (unsigned int i = 0U; (pc == NULL) && (i < MAX_DOMAINS); i++) {
        if (!consoles[i].used) {
            pc = &consoles[i];
            (void)memset(pc, 0, sizeof(*pc));
            pc->used = true;
            pc->domid = d->domain_id;
            (void)memcpy(pc->name, d->name, sizeof(pc->name) - 1U);
            spin_lock_init(&pc->lock);
            guest_console_init(&pc->out, d->domain_id);
        }
    }
    spin_unlock_irqrestore(&consoles_lock, flags);
    return pc;
}

int console_io_domain_init(struct domain *d)
{
    struct pv_console *pc = get(d);
    bool try_input;

    if (pc == NULL) {
        return -ENOSPC;
    }
    try_input = (d->is_privileged || d->console_input) &&
                !__atomic_exchange_n(&pc->input_tried, true, __ATOMIC_ACQ_REL);
    if (try_input) {
        /* -EEXIST: the domain's vpl011 already takes its input. */
        (void)console_register_input_sink(d->domain_id, pc->name, console_io_receive,
                                          console_io_room);
    }
    return 0;
}

void console_io_domain_destroy(struct domain *d)
{
    struct pv_console *pc = find(d->domain_id);
    unsigned long flags;

    if (pc == NULL) {
        return;
    }
    if (pc->input_tried) {
        console_unregister_input_sink(d->domain_id);
    }
    flags = spin_lock_irqsave(&pc->lock);
    guest_console_flush(&pc->out);
    spin_unlock_irqrestore(&pc->lock, flags);
    flags = spin_lock_irqsave(&consoles_lock);
    pc->used = false;
    spin_unlock_irqrestore(&consoles_lock, flags);
}

void console_io_receive(unsigned int domid, char c)
{
    struct domain *d = (domid < DOMID_FIRST_RESERVED) ? domain_get_by_id((domid_t)domid) : NULL;
    struct pv_console *pc = (d != NULL) ? find(d->domain_id) : NULL;
    unsigned long flags;

    if (pc == NULL) {
        if (d != NULL) {
            domain_put(d);
        }
        return;
    }
    flags = spin_lock_irqsave(&pc->lock);
    /* A full ring drops the byte (the console waits for room first, unless
     * the domain stopped reading)... */
    if ((pc->rx_prod - pc->rx_cons) != CONSOLE_IO_RX_SIZE) {
        pc->rx[pc->rx_prod & RX_MASK] = c;
        pc->rx_prod++;
    }
    spin_unlock_irqrestore(&pc->lock, flags);
    /* ...but the guest is told every time, so a missed event cannot leave
     * it asleep with a full ring. */
    send_guest_global_virq(d, VIRQ_CONSOLE);
    domain_put(d);
}

static void print_chunk(const struct domain *d, struct pv_console *pc, const char *buf, size_t n)
{
    unsigned long flags;

    if (d->is_privileged) {
        console_write(buf, n);
        return;
    }
    flags = spin_lock_irqsave(&pc->lock);
    for (size_t i = 0U; i < n; i++) {
        guest_console_putc(&pc->out, buf[i]);
    }
    spin_unlock_irqrestore(&pc->lock, flags);
}

/* Whether a domU's console drops the count bytes left of a write unread
 * (it is over its rate limit); dom0's output is never limited. */
static bool drops_rest(const struct domain *d, struct pv_console *pc, uint32_t count)
{
    unsigned long flags;
    bool drop;

    if (d->is_privileged) {
        return false;
    }
    flags = spin_lock_irqsave(&pc->lock);
    drop = !guest_console_accepting(&pc->out);
    if (drop) {
        guest_console_drop(&pc->out, count);
    }
    spin_unlock_irqrestore(&pc->lock, flags);
    return drop;
}

static long console_write_op(struct hcall_args *args, const struct domain *d,
                             struct pv_console *pc)
{
    char buf[WRITE_CHUNK];
    uint32_t count = (uint32_t)args->a[1];
    uint64_t gva = args->a[2];
    uint32_t done = 0U;

    while (count > 0U) {
        uint32_t n = MIN(count, WRITE_CHUNK);

        if (drops_rest(d, pc, count)) {
            break;
        }
        if (done >= WRITE_BUDGET) {
            /* Come back for the rest: the guest re-issues the call. */
            args->a[1] = count;
            args->a[2] = gva;
            return -ERESTART;
        }
        if (copy_from_guest(buf, gva, n) != 0) {
            return -EFAULT;
        }
        print_chunk(d, pc, buf, n);
        gva += n;
        count -= n;
        done += n;
    }
    return 0;
}

static long console_read_op(const struct hcall_args *args, struct pv_console *pc)
{
    uint32_t count = (uint32_t)args->a[1];
    uint64_t gva = args->a[2];
    uint32_t got = 0U;
    unsigned long flags;
    long rc = 0;

    if (count > READ_MAX) {
        return -E2BIG;
    }
    flags = spin_lock_irqsave(&pc->lock);
    while ((rc == 0) && (pc->rx_cons != pc->rx_prod) && (got < count)) {
        uint32_t idx = pc->rx_cons & RX_MASK;
        uint32_t len = MIN(pc->rx_prod - pc->rx_cons, CONSOLE_IO_RX_SIZE - idx);

        len = MIN(len, count - got);
        if (copy_to_guest(gva + got, &pc->rx[idx], len) != 0) {
            rc = -EFAULT;
        } else {
            got += len;
            pc->rx_cons += len;
        }
    }
    spin_unlock_irqrestore(&pc->lock, flags);
    if (got > 0U) {
        console_input_drained();
    }
    return (rc != 0) ? rc : (long)got;
}

long do_console_io(struct hcall_args *args)
{
    struct vcpu *v = current_vcpu();
    /* Xen takes the command as an int: only the low 32 bits count. */
    uint32_t cmd = (uint32_t)args->a[0];
    struct pv_console *pc;

    if (v == NULL) {
        return -ESRCH;
    }
    if (console_io_domain_init(v->domain) != 0) {
        return -ENOMEM;
    }
    pc = find(v->domain->domain_id);
    if (pc == NULL) {
        return -ENOMEM;
    }
    switch (cmd) {
    case CONSOLEIO_write:
        return console_write_op(args, v->domain, pc);
    case CONSOLEIO_read:
        return console_read_op(args, pc);
    default:
        return -ENOSYS;
    }
}
