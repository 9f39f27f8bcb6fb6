/* test-flash.c: sizes and the shared region checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>

#include "fs-error.h"
#include "fs-flash.h"

static void
test_parse_size_valid (void)
{
  static const struct { const char *text; guint64 value; } cases[] = {
    { "4096", 4096 },
    { "0x1000", 0x1000 },
    { "0X9000", 0x9000 },
    { "16K", 16 * 1024 },
    { "16Kb", 16 * 1024 },
    { " 1216KB ", 1216 * 1024 },
    { "1M", 1024 * 1024 },
    { "4Mb", 4 * 1024 * 1024 },
    { "448 KiB", 448 * 1024 },
    { "0", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 value = 1;

      g_assert_true (fs_parse_size (cases[i].text, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (value, ==, cases[i].value);
    }
}

static void
test_parse_size_invalid (void)
{
  static const char *cases[] = {
    "", "K", "-1", "+4", "0x", "12Q", "1.5M", "0xZZ", "99999999999999999999",
    "18446744073709551615M",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 value = 7;

      g_assert_false (fs_parse_size (cases[i], &value, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      g_assert_cmpuint (value, ==, 7);
    }
}

static void
test_format_size (void)
{
  static const struct { guint64 value; const char *text; } cases[] = {
    { 0, "0 bytes" },
    { 1, "1 byte" },
    { 100, "100 bytes" },
    { 4096, "4 KiB" },
    { 1216 * 1024, "1216 KiB" },
    { 1024 * 1024, "1 MiB" },
    { 8 * 1024 * 1024, "8 MiB" },
    { 1025, "1025 bytes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = fs_format_size (cases[i].value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_size_approx (void)
{
  static const struct { guint64 value; const char *text; } cases[] = {
    { 368, "368 bytes" },
    { 4096, "4 KiB" },
    { 28 * 1024 + 512, "28.5\u00a0KiB" },   /* GLib's, with a no-break space */
    { 1216 * 1024, "1.2\u00a0MiB" },
    { 8 * 1024 * 1024, "8 MiB" },
    { 8800000, "8.4\u00a0MiB" },
  };
  g_autofree char *rate = fs_format_rate (88371.2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = fs_format_size_approx (cases[i].value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_cmpstr (rate, ==, "86.3\u00a0KiB/s");
}

static GPtrArray *
check (const FsRegionRef *regions,
       guint              n,
       guint64            flash_size)
{
  GPtrArray *problems = fs_problems_new ();

  fs_regions_check (regions, n, flash_size, problems);
  return problems;
}

static void
test_regions_clean (void)
{
  const FsRegionRef regions[] = {
    { "b", 0x10000, 0x10000, 0x10000, 0x1000 },
    { "a", 0x9000, 0x7000, 0x1000, 0x1000 },
  };
  g_autoptr(GPtrArray) problems = check (regions, G_N_ELEMENTS (regions), 0x400000);

  g_assert_cmpuint (problems->len, ==, 0);
}

static void
assert_one_problem (GPtrArray  *problems,
                    const char *subject,
                    const char *message)
{
  FsProblem *problem;

  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->subject, ==, subject);
  g_assert_cmpstr (problem->message, ==, message);
}

static void
test_regions_overlap (void)
{
  /* The seeds' table as printed: the last row starts inside "Reserved" */
  const FsRegionRef regions[] = {
    { "storage", 0x310000, 512 * 1024, 0x1000, 0x1000 },
    { "storage2", 0x392000, 4 * 1024 * 1024, 0x1000, 0x1000 },
    { "reserved", 0x390000, 448 * 1024, 0x1000, 0x1000 },
  };
  g_autoptr(GPtrArray) problems = check (regions, G_N_ELEMENTS (regions), 8 * 1024 * 1024);

  assert_one_problem (problems, "storage2",
                      "“storage2” (0x392000–0x792000) overlaps “reserved” (0x390000–0x400000)");
}

static void
test_regions_each_overlap_once (void)
{
  const FsRegionRef regions[] = {
    { "a", 0x0000, 0x3000, 0, 0 },
    { "b", 0x1000, 0x1000, 0, 0 },
    { "c", 0x2000, 0x2000, 0, 0 },
  };
  g_autoptr(GPtrArray) problems = check (regions, G_N_ELEMENTS (regions), 0);

  /* a–b, a–c; b ends where c starts */
  g_assert_cmpuint (problems->len, ==, 2);
}

static void
test_regions_beyond_flash (void)
{
  const FsRegionRef regions[] = {
    { "big", 0x300000, 0x200000, 0, 0 },
  };
  g_autoptr(GPtrArray) problems = check (regions, G_N_ELEMENTS (regions), 4 * 1024 * 1024);

  assert_one_problem (problems, "big", "“big” ends at 0x500000, beyond the end of the 4 MiB flash");
}

static void
test_regions_alignment (void)
{
  const FsRegionRef offset[] = { { "app", 0x11000, 0x10000, 0x10000, 0x1000 } };
  const FsRegionRef size[] = { { "nvs", 0x9000, 0x1800, 0x1000, 0x1000 } };
  const FsRegionRef empty[] = { { "none", 0x9000, 0, 0x1000, 0x1000 } };
  g_autoptr(GPtrArray) p1 = check (offset, 1, 0);
  g_autoptr(GPtrArray) p2 = check (size, 1, 0);
  g_autoptr(GPtrArray) p3 = check (empty, 1, 0);

  assert_one_problem (p1, "app", "“app” starts at 0x011000, which is not a multiple of 0x10000");
  assert_one_problem (p2, "nvs", "“nvs” has a size of 0x1800, which is not a multiple of 0x1000");
  assert_one_problem (p3, "none", "“none” has a size of zero");
}

static void
test_regions_duplicate (void)
{
  const FsRegionRef regions[] = {
    { "nvs", 0x9000, 0x1000, 0, 0 },
    { "nvs", 0xA000, 0x1000, 0, 0 },
  };
  g_autoptr(GPtrArray) problems = check (regions, G_N_ELEMENTS (regions), 0);

  assert_one_problem (problems, "nvs", "“nvs” is used as a name twice");
}

static void
test_flash_part (void)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("abc", 3);
  g_autoptr(FsFlashPart) part = fs_flash_part_new (0x1000, data, "boot.bin");
  g_autoptr(FsFlashPart) copy = fs_flash_part_copy (part);

  g_assert_cmpuint (copy->offset, ==, 0x1000);
  g_assert_true (g_bytes_equal (copy->data, data));
  g_assert_cmpstr (copy->name, ==, "boot.bin");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flash/parse-size/valid", test_parse_size_valid);
  g_test_add_func ("/flash/parse-size/invalid", test_parse_size_invalid);
  g_test_add_func ("/flash/format-size", test_format_size);
  g_test_add_func ("/flash/format-size-approx", test_format_size_approx);
  g_test_add_func ("/flash/regions/clean", test_regions_clean);
  g_test_add_func ("/flash/regions/overlap", test_regions_overlap);
  g_test_add_func ("/flash/regions/each-overlap-once", test_regions_each_overlap_once);
  g_test_add_func ("/flash/regions/beyond-flash", test_regions_beyond_flash);
  g_test_add_func ("/flash/regions/alignment", test_regions_alignment);
  g_test_add_func ("/flash/regions/duplicate", test_regions_duplicate);
  g_test_add_func ("/flash/flash-part", test_flash_part);

  return g_test_run ();
}
