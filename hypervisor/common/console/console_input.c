/* Console input routing: bytes the console driver receives go to the
 * domain that has the input focus, or to the debug keys. Apart from
 * console.c (output) because the debug keys print: input sits above
 * printk, and printk never calls back into input. */
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>
#include <proxenos/spinlock.h>
#include <proxenos/string.h>
#include <proxenos/timer.h>

#define MAX_SINKS 16U
#define SWITCH_PRESSES 3U

struct input_sink {
    unsigned int id;
    const char *name;
    console_sink_fn fn;
    console_room_fn room;
};

static struct input_sink sinks[MAX_SINKS];
static unsigned int nr_sinks;
/* Guards sinks, nr_sinks and the focus (input arrives in interrupt context). */
static spinlock_t sinks_lock = SPINLOCK_INIT;
/* The focus is a domain id, not a table slot, as Xen's: a domain that is
 * rebuilt (reboot) registers again under the same id and keeps the input,
 * and sinks coming and going never move it to someone else. */
static bool focus_on_domain;
static unsigned int focus_id;
static char switch_char = 'a';
static bool keep_input_at_boot;
/* Bytes for a focused domain without a sink are dropped; say so once. */
static bool drop_reported;
/* Switch keys received in a row (only the UART interrupt touches it). */
static unsigned int switch_presses;

/* Flow control (console.h). stalled: the driver stopped receiving and
 * waits for rx_resume; set by the UART interrupt, cleared by whoever
 * resumes it first (an atomic exchange, so that it resumes once). */
static bool stalled;
static const struct console_driver *stalled_driver;
/* The focused domain took nothing for CONSOLE_INPUT_STALL_MS: its bytes
 * are no longer held back for it, until it takes some or the input moves. */
static bool not_waiting;
static struct timer stall_timer;
static bool stall_timer_ready;

void console_set_switch_char(char c)
{
    switch_char = c;
}

void console_set_keep_input_at_boot(bool keep)
{
    keep_input_at_boot = keep;
}

int console_register_input_sink(unsigned int id, const char *name, console_sink_fn fn,
                                console_room_fn room)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    unsigned int at = 0U;
    int rc = 0;

    /* One sink per domain: the first (its emulated UART) keeps the input;
     * a domain may try again later (dom0's PV console does, at run time). */
    for (unsigned int i = 0U; i < nr_sinks; i++) {
        if (sinks[i].id == id) {
            rc = -EEXIST;
        } else if (sinks[i].id < id) {
            at = i + 1U;
        } else {
            /* after id */
        }
    }
    if ((rc == 0) && (nr_sinks >= MAX_SINKS)) {
        rc = -ENOSPC;
    }
    if (rc == 0) {
        /* Domain id order, as Xen's CTRL-a cycle: hypervisor, dom0, dom1... */
        (void)memmove(&sinks[at + 1U], &sinks[at], (nr_sinks - at) * sizeof(sinks[0]));
        sinks[at] = (struct input_sink){ id, name, fn, room };
        nr_sinks++;
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
    return rc;
}

void console_unregister_input_sink(unsigned int id)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);

    for (unsigned int i = 0U; i < nr_sinks; i++) {
        if (sinks[i].id == id) {
            (void)memmove(&sinks[i], &sinks[i + 1U], (nr_sinks - i - 1U) * sizeof(sinks[0]));
            nr_sinks--;
            break;
        }
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
}

static void announce_focus(const struct input_sink *to)
{
    /* Xen names the key as conswitch= gave it: 'CTRL-a'. */
    if (to == NULL) {
        pr_info("*** Serial input to Proxenos (type 'CTRL-%c' three times to switch input)\n",
                switch_char);
    } else {
        pr_info("*** Serial input to %s (type 'CTRL-%c' three times to switch input)\n",
                to->name, switch_char);
    }
}

/* The sink the focus names, copied out under the lock (it is called
 * without the lock: it may print). false: the hypervisor has the input, or
 * the focused domain has no sink at the moment (being rebuilt). */
static bool focused_sink_locked(struct input_sink *out)
{
    bool found = false;

    for (unsigned int i = 0U; focus_on_domain && (i < nr_sinks) && !found; i++) {
        if (sinks[i].id == focus_id) {
            *out = sinks[i];
            found = true;
        }
    }
    return found;
}

/* Hypervisor, then each domain in id order, then the hypervisor again. */
static void switch_focus(void)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    struct input_sink to = { 0U, NULL, NULL, NULL };
    bool next_found = false;

    for (unsigned int i = 0U; (i < nr_sinks) && !next_found; i++) {
        if (!focus_on_domain || (sinks[i].id > focus_id)) {
            to = sinks[i];
            next_found = true;
        }
    }
    focus_on_domain = next_found;
    focus_id = to.id;
    drop_reported = false;
    /* The new owner of the input is waited for again. */
    __atomic_store_n(&not_waiting, false, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&sinks_lock, flags);
    announce_focus(next_found ? &to : NULL);
}

void console_endboot(void)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    struct input_sink dom0 = { 0U, NULL, NULL, NULL };
    bool have_dom0 = (nr_sinks > 0U) && (sinks[0].id == 0U);

    if (have_dom0) {
        dom0 = sinks[0];
        /* conswitch=<c>x: Xen still says where the input is. */
        focus_on_domain = !keep_input_at_boot;
        focus_id = 0U;
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
    if (have_dom0) {
        announce_focus(keep_input_at_boot ? NULL : &dom0);
    }
}

static void deliver(char c)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    struct input_sink to = { 0U, NULL, NULL, NULL };
    bool on_domain = focus_on_domain;
    bool found = focused_sink_locked(&to);
    bool report = on_domain && !found && !drop_reported;

    if (report) {
        drop_reported = true;
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
    if (found) {
        to.fn(to.id, c);
    } else if (!on_domain) {
        handle_keypress(c);
    } else if (report) {
        /* The domain is gone or being rebuilt: its input is lost, as on Xen. */
        pr_info("Cannot send input to domain %u: it has no console now\n", focus_id);
    } else {
        /* already reported */
    }
}

void console_receive(char c)
{
    /* CTRL-<switch_char> is switch_char & 0x1f. */
    char code = (char)((unsigned char)switch_char & 0x1fU);
    unsigned int held = switch_presses;

    if (c == code) {
        switch_presses++;
        if (switch_presses == SWITCH_PRESSES) {
            switch_presses = 0U;
            switch_focus();
        }
        return;
    }
    switch_presses = 0U;
    /* Fewer than three: the switch keys held back were meant for whoever
     * has the input (an editor's or a shell's Ctrl-a), as on Xen. */
    for (; held > 0U; held--) {
        deliver(code);
    }
    deliver(c);
}

bool console_input_ready(void)
{
    unsigned long flags;
    struct input_sink to = { 0U, NULL, NULL, NULL };
    bool found;

    if (__atomic_load_n(&not_waiting, __ATOMIC_ACQUIRE)) {
        return true;
    }
    flags = spin_lock_irqsave(&sinks_lock);
    found = focused_sink_locked(&to);
    spin_unlock_irqrestore(&sinks_lock, flags);
    /* The hypervisor's keys, a domain without a sink (its input is
     * dropped) and a sink without a limit take every byte. A byte after
     * held switch keys delivers them too: room for all of them. */
    return !found || (to.room == NULL) || (to.room(to.id) > switch_presses);
}

static void resume(void)
{
    const struct console_driver *drv;

    if (__atomic_exchange_n(&stalled, false, __ATOMIC_ACQ_REL)) {
        drv = __atomic_load_n(&stalled_driver, __ATOMIC_ACQUIRE);
        drv->rx_resume(drv);
    }
}

static void stall_expired(void *data)
{
    (void)data;
    if (__atomic_load_n(&stalled, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&not_waiting, true, __ATOMIC_RELEASE);
        resume();
    }
}

void console_input_stall(const struct console_driver *drv)
{
    if (!stall_timer_ready) {
        init_timer(&stall_timer, stall_expired, NULL, 0U);
        stall_timer_ready = true;
    }
    __atomic_store_n(&stalled_driver, drv, __ATOMIC_RELEASE);
    __atomic_store_n(&stalled, true, __ATOMIC_SEQ_CST);
    set_timer(&stall_timer, NOW() + MILLISECS(CONSOLE_INPUT_STALL_MS));
    /* The domain may have made room between the driver's check and now,
     * when nobody was stalled yet to be resumed. */
    if (console_input_ready()) {
        resume();
    }
}

void console_input_drained(void)
{
    if (__atomic_load_n(&stalled, __ATOMIC_ACQUIRE) ||
        __atomic_load_n(&not_waiting, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&not_waiting, false, __ATOMIC_RELEASE);
        resume();
    }
}
