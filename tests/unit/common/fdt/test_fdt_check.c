/* Device tree validation (fdt_check.c): blobs built here and broken one way
 * each (header, block layout, tokens, names, nesting) are rejected with a
 * reason. Walking a valid tree is in test_fdt.c, the DTB QEMU generates in
 * test_fdt_qemu_virt.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include "fdt_builder.h"

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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
