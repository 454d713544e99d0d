/* Device tree reader (fdt.c): validation of malformed blobs, walking,
 * properties and the reservation map, on blobs built here and on the DTB
 * QEMU's virt machine generates. Lookups and decoding are in
 * test_fdt_addr.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/lib.h>
#include "fdt_builder.h"
#include "fdt_sample_tree.h"

/* ---- Validation: malformed blobs -------------------------------------- */

/* A small valid tree to break: / { a { p = "x"; }; b { }; }; */
static struct fb *small_tree(void)
{
    struct fb *b = fb_new();

    fb_rsv(b, 0x1000, 0x1000);
    fb_begin(b, "");
    fb_prop_str(b, "model", "m");
    fb_begin(b, "a");
    fb_prop_str(b, "p", "x");
    fb_end(b);
    fb_begin(b, "b");
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    return b;
}

/* fdt_check must fail with rc and a reason containing 'why'. */
static void expect_bad(const void *blob, size_t len, int rc, const char *why)
{
    struct fdt fdt;

    assert_int_equal(fdt_check(&fdt, blob, len), rc);
    assert_non_null(fdt.error);
    if (strstr(fdt.error, why) == NULL) {
        fail_msg("error \"%s\" does not mention \"%s\"", fdt.error, why);
    }
    /* A failed check leaves nothing to walk. */
    assert_true(fdt_root(&fdt) < 0);
    assert_int_equal(fdt_rsv_count(&fdt), 0);
}

static void test_small_tree_is_valid(void **state)
{
    struct fb *b = small_tree();
    struct fdt fdt;

    (void)state;
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    assert_null(fdt.error);
    assert_int_equal(fdt.nr_nodes, 3);
    assert_int_equal(fdt.version, 17);
    assert_int_equal(fdt.total_size, b->out_len);
    free(b);
}

static void test_bad_header(void **state)
{
    struct fb *b = small_tree();
    struct fdt fdt;

    (void)state;
    assert_int_equal(fdt_check(&fdt, NULL, 100), -EINVAL);
    expect_bad(b->out, 39, -EINVAL, "smaller than the header");

    fb_set_hdr(b, FB_HDR_MAGIC, 0xd00dfeefU);
    expect_bad(b->out, b->out_len, -EINVAL, "magic");
    fb_set_hdr(b, FB_HDR_MAGIC, 0xd00dfeedU);

    fb_set_hdr(b, FB_HDR_VERSION, 15);
    expect_bad(b->out, b->out_len, -EOPNOTSUPP, "version");
    fb_set_hdr(b, FB_HDR_VERSION, 17);
    fb_set_hdr(b, FB_HDR_LAST_COMP, 18);
    expect_bad(b->out, b->out_len, -EOPNOTSUPP, "newer than 17");
    /* A future version that stays readable by a v17 reader is fine. */
    fb_set_hdr(b, FB_HDR_VERSION, 20);
    fb_set_hdr(b, FB_HDR_LAST_COMP, 17);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    fb_set_hdr(b, FB_HDR_VERSION, 16);
    expect_bad(b->out, b->out_len, -EINVAL, "newer than the version");
    fb_set_hdr(b, FB_HDR_VERSION, 17);
    fb_set_hdr(b, FB_HDR_LAST_COMP, 16);
    free(b);
}

static void test_bad_totalsize(void **state)
{
    struct fb *b = small_tree();

    (void)state;
    /* Truncated: the blob says it is longer than the buffer. */
    expect_bad(b->out, b->out_len - 1U, -EINVAL, "truncated");
    fb_set_hdr(b, FB_HDR_TOTALSIZE, 20);
    expect_bad(b->out, b->out_len, -EINVAL, "totalsize");
    fb_set_hdr(b, FB_HDR_TOTALSIZE, 0x80000000U);
    expect_bad(b->out, b->out_len, -EINVAL, "totalsize");
    free(b);
}

static void test_bad_block_offsets(void **state)
{
    struct fb *b = small_tree();
    uint32_t total = fb_hdr(b, FB_HDR_TOTALSIZE);
    uint32_t st = fb_hdr(b, FB_HDR_OFF_STRUCT);
    uint32_t st_size = fb_hdr(b, FB_HDR_SIZE_STRUCT);
    uint32_t str = fb_hdr(b, FB_HDR_OFF_STRINGS);
    uint32_t str_size = fb_hdr(b, FB_HDR_SIZE_STRINGS);
    uint32_t rsv = fb_hdr(b, FB_HDR_OFF_RSVMAP);

    (void)state;
    fb_set_hdr(b, FB_HDR_OFF_STRUCT, total + 4U);
    expect_bad(b->out, b->out_len, -EINVAL, "structure block offset");
    fb_set_hdr(b, FB_HDR_OFF_STRUCT, 8);
    expect_bad(b->out, b->out_len, -EINVAL, "structure block offset");
    fb_set_hdr(b, FB_HDR_OFF_STRUCT, st + 2U);
    expect_bad(b->out, b->out_len, -EINVAL, "not 4-byte aligned");
    fb_set_hdr(b, FB_HDR_OFF_STRUCT, st);

    fb_set_hdr(b, FB_HDR_SIZE_STRUCT, total);
    expect_bad(b->out, b->out_len, -EINVAL, "structure block extends past");
    fb_set_hdr(b, FB_HDR_SIZE_STRUCT, 0xfffffffcU);
    expect_bad(b->out, b->out_len, -EINVAL, "structure block extends past");
    fb_set_hdr(b, FB_HDR_SIZE_STRUCT, st_size - 2U);
    expect_bad(b->out, b->out_len, -EINVAL, "multiple of 4");
    fb_set_hdr(b, FB_HDR_SIZE_STRUCT, st_size);

    fb_set_hdr(b, FB_HDR_OFF_STRINGS, total + 1U);
    expect_bad(b->out, b->out_len, -EINVAL, "strings block offset");
    fb_set_hdr(b, FB_HDR_OFF_STRINGS, str);
    fb_set_hdr(b, FB_HDR_SIZE_STRINGS, str_size + 1U);
    expect_bad(b->out, b->out_len, -EINVAL, "strings block extends past");
    fb_set_hdr(b, FB_HDR_SIZE_STRINGS, str_size);

    fb_set_hdr(b, FB_HDR_OFF_RSVMAP, total + 8U);
    expect_bad(b->out, b->out_len, -EINVAL, "reservation block offset");
    fb_set_hdr(b, FB_HDR_OFF_RSVMAP, rsv + 4U);
    expect_bad(b->out, b->out_len, -EINVAL, "8-byte aligned");
    fb_set_hdr(b, FB_HDR_OFF_RSVMAP, rsv);

    assert_int_equal(fdt_check(&(struct fdt){ 0 }, b->out, b->out_len), 0);
    free(b);
}

static void test_overlapping_blocks(void **state)
{
    struct fb *b = small_tree();
    uint32_t st = fb_hdr(b, FB_HDR_OFF_STRUCT);
    uint32_t str = fb_hdr(b, FB_HDR_OFF_STRINGS);

    (void)state;
    /* Strings starting inside the structure block. */
    fb_set_hdr(b, FB_HDR_OFF_STRINGS, st + 8U);
    expect_bad(b->out, b->out_len, -EINVAL, "structure and strings blocks overlap");
    fb_set_hdr(b, FB_HDR_OFF_STRINGS, str);
    /* The structure block starting inside the reservation map (one entry
     * and the terminator: bytes 40..71). */
    fb_set_hdr(b, FB_HDR_OFF_STRUCT, 64);
    expect_bad(b->out, b->out_len, -EINVAL, "memory reservation and structure blocks overlap");
    fb_set_hdr(b, FB_HDR_OFF_STRUCT, st);
    /* Strings placed over the reservation map. */
    fb_set_hdr(b, FB_HDR_OFF_STRINGS, 48);
    expect_bad(b->out, b->out_len, -EINVAL, "memory reservation and strings blocks overlap");
    free(b);
}

static void test_rsvmap_unterminated(void **state)
{
    struct fb *b = fb_new();
    uint8_t *blob;
    size_t rsv_bytes;

    (void)state;
    fb_begin(b, "");
    fb_end(b);
    fb_finish(b);
    /* Make the reservation map run to the end of the blob with no (0, 0):
     * fill everything after the header with non-zero entries. */
    blob = b->out;
    rsv_bytes = b->out_len - 40U;
    memset(&blob[40], 0x11, rsv_bytes);
    fb_set_hdr(b, FB_HDR_OFF_STRUCT, 40);
    fb_set_hdr(b, FB_HDR_SIZE_STRUCT, 0);
    fb_set_hdr(b, FB_HDR_SIZE_STRINGS, 0);
    fb_set_hdr(b, FB_HDR_OFF_STRINGS, 40);
    expect_bad(blob, b->out_len, -EINVAL, "not terminated");
    free(b);
}

static void test_unterminated_node_name(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    b->no_end = true;
    fb_begin(b, "");
    fb_word(b, FB_BEGIN_NODE);
    fb_bytes(b, "abcdefgh", 8);   /* no NUL before the block ends */
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "node name not terminated");
    free(b);
}

static void test_bad_property_names(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    fb_begin(b, "");
    fb_prop_nameoff(b, 4000, "x", 2);
    fb_end(b);
    fb_string(b, "ok");
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "name offset outside the strings block");
    free(b);

    /* The strings block ends in the middle of the name: the name's bytes
     * are there but its NUL lies past size_dt_strings. */
    b = fb_new();
    fb_begin(b, "");
    fb_prop(b, "name", "x", 2);
    fb_end(b);
    fb_finish(b);
    fb_set_hdr(b, FB_HDR_SIZE_STRINGS, 3);
    expect_bad(b->out, b->out_len, -EINVAL, "not terminated inside the strings block");
    free(b);

    b = fb_new();
    fb_string(b, "a");
    fb_begin(b, "");
    fb_prop_nameoff(b, 1, "x", 2);   /* offset 1 is the NUL of "a" */
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "empty property name");
    free(b);
}

static void test_prop_length_past_end(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    b->no_end = true;
    fb_begin(b, "");
    fb_word(b, FB_PROP);
    fb_word(b, 100);                 /* claims 100 bytes, only 8 follow */
    fb_word(b, fb_string(b, "p"));
    fb_word(b, 0);
    fb_word(b, FB_END);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "property value past the end");
    free(b);

    b = fb_new();
    b->no_end = true;
    fb_begin(b, "");
    fb_word(b, FB_PROP);
    fb_word(b, 0xffffffffU);         /* would wrap a 32-bit offset */
    fb_word(b, fb_string(b, "p"));
    fb_word(b, FB_END);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "property value past the end");
    free(b);

    b = fb_new();
    b->no_end = true;
    fb_begin(b, "");
    fb_word(b, FB_PROP);
    fb_word(b, 0);                   /* header cut short by the block end */
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "property header past the end");
    free(b);
}

static void test_missing_end(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    b->no_end = true;
    fb_begin(b, "");
    fb_begin(b, "a");
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "missing FDT_END");
    free(b);
}

static struct fb *nested(unsigned int levels)
{
    struct fb *b = fb_new();

    fb_begin(b, "");
    for (unsigned int i = 1; i < levels; i++) {
        fb_begin(b, "n");
    }
    for (unsigned int i = 0; i < levels; i++) {
        fb_end(b);
    }
    fb_finish(b);
    return b;
}

static void test_depth_limit(void **state)
{
    struct fb *b = nested(FDT_MAX_DEPTH);
    struct fdt fdt;
    int node;
    int depth = 0;

    (void)state;
    /* Exactly FDT_MAX_DEPTH levels (root at depth 0) is accepted and every
     * lookup copes with the deepest node. */
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    node = fdt_root(&fdt);
    for (int i = 1; i < FDT_MAX_DEPTH; i++) {
        node = fdt_next_node(&fdt, node, &depth);
        assert_true(node >= 0);
    }
    assert_int_equal(depth, FDT_MAX_DEPTH - 1);
    assert_int_equal(fdt_node_depth(&fdt, node), FDT_MAX_DEPTH - 1);
    assert_true(fdt_parent(&fdt, node) >= 0);
    free(b);

    b = nested(FDT_MAX_DEPTH + 1U);
    expect_bad(b->out, b->out_len, -EINVAL, "nested too deeply");
    free(b);
}

static void test_unbalanced_nodes(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "a");
    fb_end(b);
    fb_finish(b);                    /* root never closed */
    expect_bad(b->out, b->out_len, -EINVAL, "FDT_END inside a node");
    free(b);

    b = fb_new();
    fb_begin(b, "");
    fb_end(b);
    fb_end(b);                       /* one END_NODE too many */
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "FDT_END_NODE without a node");
    free(b);

    b = fb_new();
    fb_begin(b, "");
    fb_end(b);
    fb_begin(b, "second-root");
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "node after the root");
    free(b);

    b = fb_new();
    fb_finish(b);                    /* nothing but FDT_END */
    expect_bad(b->out, b->out_len, -EINVAL, "no root node");
    free(b);
}

static void test_misaligned_and_unknown_tokens(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    /* A property whose value is not padded to 4 bytes: the next token is
     * read from the wrong place. */
    fb_begin(b, "");
    fb_word(b, FB_PROP);
    fb_word(b, 1);
    fb_word(b, fb_string(b, "p"));
    fb_bytes(b, "\x07", 1);
    fb_word(b, FB_END_NODE);         /* lands at an offset 1 past the token slot */
    b->st_len += 3U;                 /* keep the block size a multiple of 4 */
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "unknown token");
    free(b);

    b = fb_new();
    fb_begin(b, "");
    fb_word(b, 7);
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "unknown token");
    free(b);
}

static void test_bad_structure_order(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    fb_prop_str(b, "early", "x");    /* before the root node */
    fb_begin(b, "");
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "property outside any node");
    free(b);

    b = fb_new();
    fb_begin(b, "");
    fb_begin(b, "child");
    fb_end(b);
    fb_prop_str(b, "late", "x");
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "property after a subnode");
    free(b);

    b = fb_new();
    fb_begin(b, "");
    fb_end(b);
    fb_finish(b);
    /* A NOP after FDT_END, counted inside the block. */
    memmove(&b->out[fb_hdr(b, FB_HDR_OFF_STRINGS) + 4U],
            &b->out[fb_hdr(b, FB_HDR_OFF_STRINGS)], b->strings_len);
    fb_put32(&b->out[fb_hdr(b, FB_HDR_OFF_STRINGS)], FB_NOP);
    fb_set_hdr(b, FB_HDR_SIZE_STRUCT, fb_hdr(b, FB_HDR_SIZE_STRUCT) + 4U);
    fb_set_hdr(b, FB_HDR_OFF_STRINGS, fb_hdr(b, FB_HDR_OFF_STRINGS) + 4U);
    fb_set_hdr(b, FB_HDR_TOTALSIZE, fb_hdr(b, FB_HDR_TOTALSIZE) + 4U);
    expect_bad(b->out, b->out_len + 4U, -EINVAL, "data after FDT_END");
    free(b);
}

static void test_bad_node_names(void **state)
{
    struct fb *b = fb_new();

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "");
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "empty name");
    free(b);

    /* Namesakes under one parent would make paths ambiguous (dtc refuses
     * them too); under different parents they are fine. */
    b = fb_new();
    fb_begin(b, "");
    fb_begin(b, "x");
    fb_begin(b, "dup");
    fb_end(b);
    fb_end(b);
    fb_begin(b, "y");
    fb_begin(b, "dup");
    fb_end(b);
    fb_end(b);
    fb_begin(b, "dup@1");
    fb_end(b);
    fb_begin(b, "dup");
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&(struct fdt){ 0 }, b->out, b->out_len), 0);
    free(b);

    b = fb_new();
    fb_begin(b, "");
    fb_begin(b, "x");
    fb_begin(b, "dup@1");
    fb_end(b);
    fb_begin(b, "other");
    fb_begin(b, "dup@1");
    fb_end(b);
    fb_end(b);
    fb_begin(b, "dup@1");
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "two sibling nodes with the same name");
    free(b);

    b = fb_new();
    fb_begin(b, "");
    fb_begin(b, "a/b");
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    expect_bad(b->out, b->out_len, -EINVAL, "contains '/'");
    free(b);
}

static void test_version16_without_struct_size(void **state)
{
    struct fb *b = small_tree();
    struct fdt fdt;
    uint32_t st_size = fb_hdr(b, FB_HDR_SIZE_STRUCT);

    (void)state;
    fb_set_hdr(b, FB_HDR_VERSION, 16);
    fb_set_hdr(b, FB_HDR_SIZE_STRUCT, 0xdeadbeefU);  /* not a v16 field */
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    assert_int_equal(fdt.struct_size, st_size);
    assert_int_equal(fdt.nr_nodes, 3);
    free(b);
}

/* Every prefix of a valid blob is rejected, and no byte change makes the
 * reader touch memory outside the blob (ASan watches). */
static void walk_everything(const struct fdt *fdt, bool deep)
{
    int depth = 0;
    int node = fdt_root(fdt);
    unsigned int nodes = 0;

    while (node >= 0) {
        uint64_t a;
        uint64_t s;
        uint32_t intid;
        uint32_t flags;
        char buf[256];

        nodes++;
        for (int p = fdt_first_prop(fdt, node); p >= 0; p = fdt_next_prop(fdt, p)) {
            struct fdt_property prop;

            assert_int_equal(fdt_prop_at(fdt, p, &prop), 0);
            assert_non_null(fdt_getprop(fdt, node, prop.name, NULL));
        }
        (void)fdt_node_is_available(fdt, node);
        if (deep) {
            /* These walk from the root for every node: O(n^2). */
            (void)fdt_reg(fdt, node, 0, &a, &s);
            (void)fdt_irq(fdt, node, 0, &intid, &flags);
            (void)fdt_node_path(fdt, node, buf, sizeof(buf));
        }
        node = fdt_next_node(fdt, node, &depth);
    }
    assert_int_equal(node, -ENOENT);
    assert_int_equal(nodes, fdt->nr_nodes);
}

static void test_every_truncation_and_byte_flip(void **state)
{
    size_t len;
    uint8_t *blob = fb_load_fixture("qemu-virt.dtb", &len);
    struct fdt fdt;

    (void)state;
    for (size_t cut = 0; cut < len; cut++) {
        uint8_t *copy = malloc(cut + 1U);

        memcpy(copy, blob, cut);
        assert_int_not_equal(fdt_check(&fdt, copy, cut), 0);
        free(copy);
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t *copy = malloc(len);

        memcpy(copy, blob, len);
        copy[i] ^= (uint8_t)(0x5aU + i);
        if (fdt_check(&fdt, copy, len) == 0) {
            walk_everything(&fdt, (i % 61U) == 0U);
        } else {
            assert_non_null(fdt.error);
        }
        free(copy);
    }
    free(blob);
}

/* ---- Walking and lookups ------------------------------------------------ */

static void test_walk_order_and_depth(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    static const char *const expect[] = {
        "", "aliases", "chosen", "gic@8000000", "soc", "uart@1000", "bus@20000", "dev@30",
        "off@200000", "isolated", "thing@10", "inherit", "thing", "badreg", "short", "wide",
        "y", "notctrl", "dev", "twocell", "ctrl", "dev", "values",
    };
    static const int depths[] = {
        0, 1, 1, 1, 1, 2, 2, 3, 2, 1, 2, 1, 2, 1, 2, 2, 3, 1, 2, 1, 2, 2, 1,
    };
    int depth = 0;
    int node = fdt_root(fdt);
    size_t i = 0;

    while (node >= 0) {
        assert_true(i < ARRAY_SIZE(expect));
        assert_string_equal(fdt_node_name(fdt, node), expect[i]);
        assert_int_equal(depth, depths[i]);
        assert_int_equal(fdt_node_depth(fdt, node), depths[i]);
        node = fdt_next_node(fdt, node, &depth);
        i++;
    }
    assert_int_equal(node, -ENOENT);
    assert_int_equal(i, ARRAY_SIZE(expect));
    assert_int_equal(fdt->nr_nodes, ARRAY_SIZE(expect));
}

static void test_children_and_parents(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int soc = path(fdt, "/soc");
    int child;
    int chain[FDT_MAX_DEPTH];
    int dev = path(fdt, "/soc/bus@20000/dev@30");

    child = fdt_first_child(fdt, soc);
    assert_string_equal(fdt_node_name(fdt, child), "uart@1000");
    child = fdt_next_sibling(fdt, child);
    assert_string_equal(fdt_node_name(fdt, child), "bus@20000");
    /* The sibling after bus@20000 skips its child dev@30. */
    child = fdt_next_sibling(fdt, child);
    assert_string_equal(fdt_node_name(fdt, child), "off@200000");
    assert_int_equal(fdt_next_sibling(fdt, child), -ENOENT);
    assert_int_equal(fdt_first_child(fdt, child), -ENOENT);
    /* The last child of the root has no sibling: no cousins either. */
    assert_int_equal(fdt_next_sibling(fdt, path(fdt, "/values")), -ENOENT);

    assert_int_equal(fdt_parent(fdt, child), soc);
    assert_int_equal(fdt_parent(fdt, soc), fdt_root(fdt));
    assert_int_equal(fdt_parent(fdt, fdt_root(fdt)), -ENOENT);
    assert_int_equal(fdt_ancestors(fdt, dev, chain), 4);
    assert_int_equal(chain[0], fdt_root(fdt));
    assert_int_equal(chain[1], soc);
    assert_int_equal(chain[3], dev);

    /* Offsets that are not nodes are refused, not followed. */
    assert_int_equal(fdt_next_node(fdt, -1, NULL), -EINVAL);
    assert_int_equal(fdt_next_node(fdt, dev + 4, NULL), -EINVAL);
    assert_null(fdt_node_name(fdt, 3));
    assert_int_equal(fdt_parent(fdt, 0x7ffffff0), -ENOENT);
    assert_int_equal(fdt_first_prop(fdt, 1), -EINVAL);
}

static void test_node_path(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    char buf[64];
    char tiny[10];

    assert_int_equal(fdt_node_path(fdt, fdt_root(fdt), buf, sizeof(buf)), 1);
    assert_string_equal(buf, "/");
    assert_int_equal(fdt_node_path(fdt, path(fdt, "/soc/bus/dev"), buf, sizeof(buf)),
                     (int)strlen("/soc/bus@20000/dev@30"));
    assert_string_equal(buf, "/soc/bus@20000/dev@30");
    assert_int_equal(fdt_node_path(fdt, path(fdt, "/soc/bus/dev"), tiny, sizeof(tiny)),
                     -ENAMETOOLONG);
}

static void test_names_and_compatible(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int uart = path(fdt, "serial0");
    int gic;

    assert_true(fdt_node_name_is(fdt, uart, "uart"));
    assert_true(fdt_node_name_is(fdt, uart, "uart@1000"));
    assert_false(fdt_node_name_is(fdt, uart, "uar"));
    assert_false(fdt_node_name_is(fdt, uart, "uart@10"));

    assert_true(fdt_node_is_compatible(fdt, uart, "arm,pl011"));
    assert_true(fdt_node_is_compatible(fdt, uart, "arm,primecell"));
    assert_false(fdt_node_is_compatible(fdt, uart, "arm,pl01"));
    assert_false(fdt_node_is_compatible(fdt, path(fdt, "/chosen"), "arm,pl011"));
    assert_true(fdt_stringlist_contains("a\0bc\0", 5, "bc"));
    assert_false(fdt_stringlist_contains("a\0bc", 4, "bc"));    /* last not terminated */
    assert_false(fdt_stringlist_contains("", 0, ""));

    gic = fdt_find_compatible(fdt, -1, "arm,gic-v3");
    assert_int_equal(gic, path(fdt, "/gic@8000000"));
    assert_int_equal(fdt_find_compatible(fdt, gic, "arm,gic-v3"), -ENOENT);
    assert_int_equal(fdt_find_compatible(fdt, -1, "test,board"), fdt_root(fdt));

    assert_true(fdt_node_is_available(fdt, uart));                       /* "okay" */
    assert_true(fdt_node_is_available(fdt, path(fdt, "/soc/bus/dev"))); /* "ok" */
    assert_true(fdt_node_is_available(fdt, path(fdt, "/soc")));         /* absent */
    assert_false(fdt_node_is_available(fdt, path(fdt, "/soc/off")));    /* "disabled" */
}

static void test_properties(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int v = path(fdt, "/values");
    uint32_t len = 99;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    const char *names[8];
    int n = 0;

    assert_int_equal(fdt_getprop_u64(fdt, v, "v64", &u64), 0);
    assert_int_equal(u64, 0x123456789abcdef0ULL);
    assert_int_equal(fdt_getprop_u32(fdt, v, "v32", &u32), 0);
    assert_int_equal(u32, 5);
    assert_int_equal(fdt_getprop_u32(fdt, v, "v64", &u32), -EINVAL);
    assert_int_equal(fdt_getprop_u64(fdt, v, "v32", &u64), -EINVAL);
    assert_int_equal(fdt_getprop_u32(fdt, v, "missing", &u32), -ENOENT);
    assert_int_equal(fdt_getprop_u64(fdt, v, "missing", &u64), -ENOENT);

    assert_string_equal(fdt_getprop_string(fdt, v, "str"), "hello");
    assert_null(fdt_getprop_string(fdt, v, "unterminated"));
    assert_null(fdt_getprop_string(fdt, v, "empty"));
    assert_non_null(fdt_getprop(fdt, v, "empty", &len));
    assert_int_equal(len, 0);
    assert_non_null(fdt_getprop(fdt, v, "odd", &len));
    assert_int_equal(len, 3);
    /* A NOP between properties does not end the list. */
    assert_string_equal(fdt_getprop_string(fdt, v, "after-nop"), "x");
    /* Properties of a child are not the parent's. */
    assert_null(fdt_getprop(fdt, path(fdt, "/soc"), "interrupts", NULL));

    for (int p = fdt_first_prop(fdt, v); p >= 0; p = fdt_next_prop(fdt, p)) {
        struct fdt_property prop;

        assert_int_equal(fdt_prop_at(fdt, p, &prop), 0);
        assert_true(n < 8);
        names[n++] = prop.name;
    }
    assert_int_equal(n, 7);
    assert_string_equal(names[0], "v64");
    assert_string_equal(names[6], "after-nop");
    assert_int_equal(fdt_first_prop(fdt, path(fdt, "/chosen")), -ENOENT);
}

static void test_big_endian_reads(void **state)
{
    static const uint8_t bytes[] = { 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

    (void)state;
    /* Reads at odd addresses work and are big-endian. */
    assert_int_equal(fdt_be32(&bytes[1]), 0x01020304U);
    assert_int_equal(fdt_be64(&bytes[1]), 0x0102030405060708ULL);
    assert_int_equal(fdt_read_cells(&bytes[1], 1), 0x01020304U);
    assert_int_equal(fdt_read_cells(&bytes[1], 2), 0x0102030405060708ULL);
    assert_int_equal(fdt_read_cells(&bytes[1], 0), 0);
}

static void test_reservation_map(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    uint64_t a;
    uint64_t s;

    assert_int_equal(fdt_rsv_count(fdt), 2);
    assert_int_equal(fdt_rsv_entry(fdt, 0, &a, &s), 0);
    assert_int_equal(a, 0x48000000);
    assert_int_equal(s, 0x1000);
    assert_int_equal(fdt_rsv_entry(fdt, 1, &a, &s), 0);
    assert_int_equal(a, 0x123456789000ULL);
    assert_int_equal(s, 0x2000);
    assert_int_equal(fdt_rsv_entry(fdt, 2, &a, &s), -ENOENT);
}

/* ---- The DTB QEMU generates for -M virt,gic-version=3 ------------------- */

static void test_qemu_virt_blob(void **state)
{
    size_t len;
    uint8_t *blob = fb_load_fixture("qemu-virt.dtb", &len);
    struct fdt fdt;
    int cpus;
    int n = 0;

    (void)state;
    assert_int_equal(fdt_check(&fdt, blob, len), 0);
    assert_int_equal(fdt.version, 17);
    assert_int_equal(fdt.total_size, len);
    assert_int_equal(fdt_rsv_count(&fdt), 0);
    /* /cpus holds cpu-map and the four cpu@N nodes. */
    cpus = fdt_first_child(&fdt, fdt_root(&fdt));
    while ((cpus >= 0) && !fdt_node_name_is(&fdt, cpus, "cpus")) {
        cpus = fdt_next_sibling(&fdt, cpus);
    }
    assert_true(cpus >= 0);
    for (int c = fdt_first_child(&fdt, cpus); c >= 0; c = fdt_next_sibling(&fdt, c)) {
        if (fdt_node_name_is(&fdt, c, "cpu")) {
            assert_string_equal(fdt_getprop_string(&fdt, c, "device_type"), "cpu");
            n++;
        }
    }
    assert_int_equal(n, 4);
    assert_true(fdt_find_compatible(&fdt, -1, "arm,gic-v3") >= 0);
    walk_everything(&fdt, true);
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_tree_is_valid),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_bad_totalsize),
        cmocka_unit_test(test_bad_block_offsets),
        cmocka_unit_test(test_overlapping_blocks),
        cmocka_unit_test(test_rsvmap_unterminated),
        cmocka_unit_test(test_unterminated_node_name),
        cmocka_unit_test(test_bad_property_names),
        cmocka_unit_test(test_prop_length_past_end),
        cmocka_unit_test(test_missing_end),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_unbalanced_nodes),
        cmocka_unit_test(test_misaligned_and_unknown_tokens),
        cmocka_unit_test(test_bad_structure_order),
        cmocka_unit_test(test_bad_node_names),
        cmocka_unit_test(test_version16_without_struct_size),
        cmocka_unit_test(test_every_truncation_and_byte_flip),
        cmocka_unit_test_setup_teardown(test_walk_order_and_depth, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_children_and_parents, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_node_path, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_names_and_compatible, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_properties, good_setup, good_teardown),
        cmocka_unit_test(test_big_endian_reads),
        cmocka_unit_test_setup_teardown(test_reservation_map, good_setup, good_teardown),
        cmocka_unit_test(test_qemu_virt_blob),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
