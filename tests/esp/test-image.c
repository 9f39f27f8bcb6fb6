/* test-image.c: ESP app and bootloader images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-image.h"

/* One segment, written out from esptool's image format documentation:
 *   header:   E9 (magic), 1 segment, mode 2 (DIO), 0x2F = 4 MiB (high
 *             nibble 2), 80 MHz (low nibble F), entry 0x40380000
 *   extended: wp pin EE, pin drive 00 00 00, chip id 0x0009 (ESP32-S3),
 *             min rev 1 (the major of v1.1, for old bootloaders), min rev
 *             full 0x0065 (v1.1), max rev full 0x00C7 (v1.99), reserved,
 *             hash appended 0
 *   segment:  load 0x3FC88000, length 4, data DE AD BE EF (offset 32)
 *   padding:  the data ends at 36; the checksum goes at 47, (47 + 1) % 16 == 0
 *   checksum: EF ^ DE ^ AD ^ BE ^ EF = DE ^ AD ^ BE = 73 ^ BE = CD */
static const guint8 tiny_image[] = {
  0xE9, 0x01, 0x02, 0x2F, 0x00, 0x00, 0x38, 0x40,
  0xEE, 0x00, 0x00, 0x00, 0x09, 0x00, 0x01, 0x65,
  0x00, 0xC7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x80, 0xC8, 0x3F, 0x04, 0x00, 0x00, 0x00,
  0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xCD,
};

#define TINY_CHECKSUM_OFFSET 47

static const FsImageBuildOptions tiny_options = {
  .chip = FS_CHIP_ESP32_S3,
  .entry = 0x40380000,
  .flash_mode = FS_FLASH_MODE_DIO,
  .flash_size_code = 2,
  .flash_freq_code = 0xF,
  .min_rev_full = 101,
  .max_rev_full = 199,
  .append_digest = FALSE,
};

static GBytes *
tiny_image_bytes (void)
{
  return g_bytes_new (tiny_image, sizeof (tiny_image));
}

/* @bytes with the byte at @offset replaced */
static GBytes *
bytes_with_byte (GBytes *bytes,
                 gsize   offset,
                 guint8  value)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint8 *copy = g_memdup2 (data, len);

  g_assert_cmpuint (offset, <, len);
  copy[offset] = value;
  return g_bytes_new_take (copy, len);
}

static FsImage *
parse_ok (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  FsImage *image = fs_image_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (image);
  return image;
}

static void
assert_parse_fails (GBytes     *bytes,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsImage) image = fs_image_new_from_bytes (bytes, &error);

  g_assert_null (image);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_validate_fails (FsImage    *image,
                       FsChipId    chip,
                       guint16     chip_rev_full,
                       gsize       max_size,
                       gint        code,
                       const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fs_image_validate (image, chip, chip_rev_full, max_size, &error));
  g_assert_error (error, FS_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static GPtrArray *
segments_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
}

static void
add_segment (GPtrArray    *segments,
             guint32       load_addr,
             const guint8 *data,
             gsize         len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  g_ptr_array_add (segments, fs_image_segment_new (load_addr, bytes));
}

static GBytes *
build_ok (const FsImageBuildOptions *options,
          GPtrArray                 *segments)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = fs_image_build (options, segments, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

static void
test_parse_tiny (void)
{
  static const guint8 data[] = { 0xDE, 0xAD, 0xBE, 0xEF };
  g_autoptr(GBytes) bytes = tiny_image_bytes ();
  g_autoptr(FsImage) image = parse_ok (bytes);
  g_autoptr(GError) error = NULL;
  GPtrArray *segments = fs_image_get_segments (image);
  FsImageSegment *segment;

  g_assert_cmpuint (fs_image_get_entry (image), ==, 0x40380000);
  g_assert_cmpint (fs_image_get_flash_mode (image), ==, FS_FLASH_MODE_DIO);
  g_assert_cmpuint (fs_image_get_flash_size (image), ==, 4 * 1024 * 1024);
  g_assert_cmpuint (fs_image_get_flash_freq_mhz (image), ==, 80);
  g_assert_cmpuint (fs_image_get_chip_id (image), ==, FS_CHIP_ESP32_S3);
  g_assert_cmpuint (fs_image_get_min_rev_full (image), ==, 101);
  g_assert_cmpuint (fs_image_get_max_rev_full (image), ==, 199);
  g_assert_cmpuint (fs_image_get_size (image), ==, sizeof (tiny_image));
  g_assert_cmpuint (fs_image_get_checksum_stored (image), ==, 0xCD);
  g_assert_cmpuint (fs_image_get_checksum_computed (image), ==, 0xCD);
  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_false (fs_image_get_has_digest (image));
  g_assert_false (fs_image_get_digest_valid (image));
  g_assert_null (fs_image_get_digest (image));
  g_assert_null (fs_image_get_app_desc (image));

  g_assert_cmpuint (segments->len, ==, 1);
  segment = g_ptr_array_index (segments, 0);
  g_assert_cmpuint (segment->load_addr, ==, 0x3FC88000);
  g_assert_cmpuint (segment->file_offset, ==, 32);
  g_assert_cmpmem (g_bytes_get_data (segment->data, NULL), g_bytes_get_size (segment->data),
                   data, sizeof (data));

  g_assert_true (fs_image_validate (image, FS_CHIP_ESP32_S3, 101, sizeof (tiny_image), &error));
  g_assert_no_error (error);
}

static void
test_build_matches_tiny (void)
{
  static const guint8 data[] = { 0xDE, 0xAD, 0xBE, 0xEF };
  g_autoptr(GPtrArray) segments = segments_new ();
  g_autoptr(GBytes) bytes = NULL;

  add_segment (segments, 0x3FC88000, data, sizeof (data));
  bytes = build_ok (&tiny_options, segments);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   tiny_image, sizeof (tiny_image));
}

static void
test_build_round_trip (void)
{
  static const guint8 text[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  static const guint8 rodata[] = { 0xFF, 0x00, 0x55, 0xAA };
  g_autoptr(GPtrArray) segments = segments_new ();
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  FsImageBuildOptions options = {
    .chip = FS_CHIP_ESP32,
    .entry = 0x40081000,
    .flash_mode = FS_FLASH_MODE_QIO,
    .flash_size_code = 7,
    .flash_freq_code = 1,
    .min_rev_full = 300,
    .max_rev_full = 0xFFFF,
  };
  GPtrArray *parsed;

  add_segment (segments, 0x3F400020, rodata, sizeof (rodata));
  add_segment (segments, 0x40080000, text, sizeof (text));
  g_ptr_array_add (segments, fs_image_segment_new (0x3FFB0000, empty));
  bytes = build_ok (&options, segments);
  /* 24 + (8 + 4) + (8 + 12) + 8 = 64: already aligned, so the checksum
   * goes 15 bytes further, at 79 */
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 80);

  image = parse_ok (bytes);
  g_assert_cmpuint (fs_image_get_size (image), ==, 80);
  g_assert_cmpuint (fs_image_get_entry (image), ==, 0x40081000);
  g_assert_cmpint (fs_image_get_flash_mode (image), ==, FS_FLASH_MODE_QIO);
  g_assert_cmpuint (fs_image_get_flash_size (image), ==, 128 * 1024 * 1024);
  g_assert_cmpuint (fs_image_get_flash_freq_mhz (image), ==, 26);
  g_assert_cmpuint (fs_image_get_chip_id (image), ==, FS_CHIP_ESP32);
  g_assert_cmpuint (fs_image_get_min_rev_full (image), ==, 300);
  g_assert_cmpuint (fs_image_get_max_rev_full (image), ==, 0xFFFF);
  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_false (fs_image_get_has_digest (image));

  parsed = fs_image_get_segments (image);
  g_assert_cmpuint (parsed->len, ==, segments->len);
  for (guint i = 0; i < parsed->len; i++)
    {
      FsImageSegment *a = g_ptr_array_index (segments, i);
      FsImageSegment *b = g_ptr_array_index (parsed, i);

      g_assert_cmpuint (a->load_addr, ==, b->load_addr);
      g_assert_true (g_bytes_equal (a->data, b->data));
    }
  g_assert_cmpuint (((FsImageSegment *) g_ptr_array_index (parsed, 0))->file_offset, ==, 32);
  g_assert_cmpuint (((FsImageSegment *) g_ptr_array_index (parsed, 1))->file_offset, ==, 44);
  g_assert_cmpuint (((FsImageSegment *) g_ptr_array_index (parsed, 2))->file_offset, ==, 64);
}

static GBytes *
tiny_image_with_digest (void)
{
  static const guint8 data[] = { 0xDE, 0xAD, 0xBE, 0xEF };
  g_autoptr(GPtrArray) segments = segments_new ();
  FsImageBuildOptions options = tiny_options;

  options.append_digest = TRUE;
  add_segment (segments, 0x3FC88000, data, sizeof (data));
  return build_ok (&options, segments);
}

static void
test_build_digest (void)
{
  g_autoptr(GBytes) bytes = tiny_image_with_digest ();
  g_autoptr(FsImage) image = parse_ok (bytes);
  g_autoptr(GChecksum) sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 expected[32];
  gsize expected_len = sizeof (expected);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  GBytes *digest;

  /* The same image as tiny_image but for the hash-appended byte, then
   * the SHA-256 of everything up to and including the checksum */
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, sizeof (tiny_image) + 32);
  g_assert_cmpuint (data[23], ==, 1);
  g_assert_cmpmem (data, 23, tiny_image, 23);
  g_assert_cmpmem (data + 24, sizeof (tiny_image) - 24, tiny_image + 24, sizeof (tiny_image) - 24);
  g_checksum_update (sha256, data, sizeof (tiny_image));
  g_checksum_get_digest (sha256, expected, &expected_len);
  g_assert_cmpmem (data + sizeof (tiny_image), 32, expected, sizeof (expected));

  g_assert_true (fs_image_get_has_digest (image));
  g_assert_true (fs_image_get_digest_valid (image));
  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_cmpuint (fs_image_get_size (image), ==, sizeof (tiny_image) + 32);
  digest = fs_image_get_digest (image);
  g_assert_nonnull (digest);
  g_assert_cmpmem (g_bytes_get_data (digest, NULL), g_bytes_get_size (digest),
                   expected, sizeof (expected));
}

/* As esptool's --flash-size writes a bootloader: the size nibble
 * changes, the frequency nibble, the checksum and the data stay, the
 * digest is the SHA-256 of the new header and the rest */
static void
test_set_flash_size (void)
{
  g_autoptr(GBytes) with_digest = tiny_image_with_digest ();
  g_autoptr(GBytes) plain = tiny_image_bytes ();
  g_autoptr(GBytes) resized = NULL;
  g_autoptr(GBytes) resized_plain = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(FsImage) image = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;

  g_assert_cmpint (fs_image_flash_size_code (2 * 1024 * 1024), ==, 1);
  g_assert_cmpint (fs_image_flash_size_code (8 * 1024 * 1024), ==, 3);
  g_assert_cmpint (fs_image_flash_size_code (128 * 1024 * 1024), ==, 7);
  g_assert_cmpint (fs_image_flash_size_code (3 * 1024 * 1024), ==, -1);

  resized = fs_image_set_flash_size (with_digest, 8 * 1024 * 1024, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (resized, NULL);
  g_assert_cmpuint (data[3], ==, 0x3F);
  g_assert_cmpmem (data + 4, sizeof (tiny_image) - 4,
                   (const guint8 *) g_bytes_get_data (with_digest, NULL) + 4, sizeof (tiny_image) - 4);
  image = parse_ok (resized);
  g_assert_cmpuint (fs_image_get_flash_size (image), ==, 8 * 1024 * 1024);
  g_assert_cmpuint (fs_image_get_flash_freq_mhz (image), ==, 80);
  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_true (fs_image_get_digest_valid (image));

  resized_plain = fs_image_set_flash_size (plain, 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (resized_plain), ==, sizeof (tiny_image));
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (resized_plain, NULL))[3], ==, 0x0F);

  /* A digest that did not match before is not made to match */
  damaged = bytes_with_byte (with_digest, 33, 0x00);
  g_clear_object (&image);
  g_clear_pointer (&resized, g_bytes_unref);
  resized = fs_image_set_flash_size (damaged, 8 * 1024 * 1024, &error);
  g_assert_no_error (error);
  image = parse_ok (resized);
  g_assert_false (fs_image_get_digest_valid (image));

  g_assert_null (fs_image_set_flash_size (plain, 3 * 1024 * 1024, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&damaged, g_bytes_unref);
  damaged = bytes_with_byte (plain, 0, 0x00);
  g_assert_null (fs_image_set_flash_size (damaged, 8 * 1024 * 1024, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
}

static void
fill_app_desc (FsAppDesc *desc)
{
  memset (desc, 0, sizeof (*desc));
  desc->secure_version = 7;
  g_strlcpy (desc->version, "v1.2.3-dirty", sizeof (desc->version));
  /* 32 characters: the field holds no NUL */
  g_strlcpy (desc->project_name, "a-project-name-of-32-characters!", sizeof (desc->project_name));
  g_strlcpy (desc->time, "12:34:56", sizeof (desc->time));
  g_strlcpy (desc->date, "Jan  2 2025", sizeof (desc->date));
  g_strlcpy (desc->idf_version, "v5.3.1", sizeof (desc->idf_version));
  for (guint i = 0; i < sizeof (desc->elf_sha256); i++)
    desc->elf_sha256[i] = i * 7;
}

static void
assert_app_desc_equal (const FsAppDesc *a,
                       const FsAppDesc *b)
{
  g_assert_cmpuint (a->secure_version, ==, b->secure_version);
  g_assert_cmpstr (a->version, ==, b->version);
  g_assert_cmpstr (a->project_name, ==, b->project_name);
  g_assert_cmpstr (a->time, ==, b->time);
  g_assert_cmpstr (a->date, ==, b->date);
  g_assert_cmpstr (a->idf_version, ==, b->idf_version);
  g_assert_cmpmem (a->elf_sha256, sizeof (a->elf_sha256), b->elf_sha256, sizeof (b->elf_sha256));
}

static void
test_app_desc_bytes (void)
{
  FsAppDesc desc;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;

  fill_app_desc (&desc);
  g_assert_cmpuint (strlen (desc.project_name), ==, 32);
  bytes = fs_app_desc_to_bytes (&desc);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, FS_APP_DESC_SIZE);
  data = g_bytes_get_data (bytes, NULL);

  /* Offsets of esp_app_desc_t */
  g_assert_cmpmem (data, 8, "\x32\x54\xCD\xAB\x07\x00\x00\x00", 8);
  g_assert_cmpmem (data + 8, 8, "\0\0\0\0\0\0\0\0", 8);
  g_assert_cmpmem (data + 16, 13, "v1.2.3-dirty\0", 13);
  g_assert_cmpmem (data + 48, 32, "a-project-name-of-32-characters!", 32);
  g_assert_cmpmem (data + 80, 9, "12:34:56\0", 9);
  g_assert_cmpmem (data + 96, 12, "Jan  2 2025\0", 12);
  g_assert_cmpmem (data + 112, 7, "v5.3.1\0", 7);
  g_assert_cmpuint (data[144], ==, 0);
  g_assert_cmpuint (data[145], ==, 7);
  g_assert_cmpuint (data[175], ==, 31 * 7);
  for (guint i = 176; i < FS_APP_DESC_SIZE; i++)
    g_assert_cmpuint (data[i], ==, 0);
}

static void
test_app_desc_round_trip (void)
{
  static const guint8 code[] = { 0x13, 0x00, 0x00, 0x00 };
  FsAppDesc desc;
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GPtrArray) segments = segments_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  FsImageBuildOptions options = tiny_options;
  const FsAppDesc *parsed;

  fill_app_desc (&desc);
  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_ptr_array_add (segments, fs_image_segment_new (0x3C020020, desc_bytes));
  add_segment (segments, 0x42000020, code, sizeof (code));
  options.append_digest = TRUE;
  bytes = build_ok (&options, segments);
  image = parse_ok (bytes);

  parsed = fs_image_get_app_desc (image);
  g_assert_nonnull (parsed);
  assert_app_desc_equal (parsed, &desc);
  g_assert_true (fs_image_get_digest_valid (image));
}

static void
test_app_desc_only_first_segment (void)
{
  static const guint8 code[] = { 0x13, 0x00, 0x00, 0x00 };
  FsAppDesc desc;
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GBytes) short_desc = NULL;
  g_autoptr(GPtrArray) segments = segments_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  g_autoptr(FsImage) image2 = NULL;
  g_autoptr(GPtrArray) segments2 = segments_new ();
  g_autoptr(GBytes) bytes2 = NULL;

  fill_app_desc (&desc);
  desc_bytes = fs_app_desc_to_bytes (&desc);
  add_segment (segments, 0x42000020, code, sizeof (code));
  g_ptr_array_add (segments, fs_image_segment_new (0x3C020020, desc_bytes));
  bytes = build_ok (&tiny_options, segments);
  image = parse_ok (bytes);
  g_assert_null (fs_image_get_app_desc (image));

  /* The magic, but too short to hold a description */
  short_desc = g_bytes_new_from_bytes (desc_bytes, 0, 128);
  g_ptr_array_add (segments2, fs_image_segment_new (0x3C020020, short_desc));
  bytes2 = build_ok (&tiny_options, segments2);
  image2 = parse_ok (bytes2);
  g_assert_null (fs_image_get_app_desc (image2));
}

static void
test_app_desc_not_utf8 (void)
{
  FsAppDesc desc;
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autoptr(GPtrArray) segments = segments_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  const FsAppDesc *parsed;

  fill_app_desc (&desc);
  desc_bytes = fs_app_desc_to_bytes (&desc);
  bad = bytes_with_byte (desc_bytes, 16 + 1, 0xFF);
  g_ptr_array_add (segments, fs_image_segment_new (0x3C020020, bad));
  bytes = build_ok (&tiny_options, segments);
  image = parse_ok (bytes);
  parsed = fs_image_get_app_desc (image);
  g_assert_nonnull (parsed);
  g_assert_cmpstr (parsed->version, ==, "v?.2.3-dirty");
}

static void
test_checksum_corrupt (void)
{
  g_autoptr(GBytes) good = tiny_image_bytes ();
  g_autoptr(GBytes) bytes = bytes_with_byte (good, TINY_CHECKSUM_OFFSET, 0xCC);
  g_autoptr(FsImage) image = parse_ok (bytes);

  g_assert_false (fs_image_get_checksum_valid (image));
  g_assert_cmpuint (fs_image_get_checksum_stored (image), ==, 0xCC);
  g_assert_cmpuint (fs_image_get_checksum_computed (image), ==, 0xCD);
  assert_validate_fails (image, FS_CHIP_ESP32_S3, 0, 0, FS_ERROR_INVALID_DATA,
                         "the stored checksum is 0xcc, but the segments’ data gives 0xcd");
}

static void
test_data_corrupt (void)
{
  g_autoptr(GBytes) good = tiny_image_bytes ();
  g_autoptr(GBytes) bytes = bytes_with_byte (good, 33, 0xAC);
  g_autoptr(FsImage) image = parse_ok (bytes);

  g_assert_false (fs_image_get_checksum_valid (image));
  g_assert_cmpuint (fs_image_get_checksum_computed (image), ==, 0xCC);
}

static void
test_digest_corrupt (void)
{
  g_autoptr(GBytes) good = tiny_image_with_digest ();
  g_autoptr(GBytes) bytes = bytes_with_byte (good, sizeof (tiny_image) + 5,
                                             ((const guint8 *) g_bytes_get_data (good, NULL))[sizeof (tiny_image) + 5] ^ 0x01);
  g_autoptr(FsImage) image = parse_ok (bytes);

  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_true (fs_image_get_has_digest (image));
  g_assert_false (fs_image_get_digest_valid (image));
  assert_validate_fails (image, FS_CHIP_ESP32_S3, 0, 0, FS_ERROR_INVALID_DATA,
                         "the appended SHA-256 digest does not match the image’s contents");
}

static void
test_digest_covers_header (void)
{
  g_autoptr(GBytes) good = tiny_image_with_digest ();
  /* The entry point is not in the checksum, only in the digest */
  g_autoptr(GBytes) bytes = bytes_with_byte (good, 4, 0x04);
  g_autoptr(FsImage) image = parse_ok (bytes);

  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_false (fs_image_get_digest_valid (image));
}

static void
test_parse_errors (void)
{
  g_autoptr(GBytes) good = tiny_image_bytes ();
  g_autoptr(GBytes) magic = bytes_with_byte (good, 0, 0xEA);
  g_autoptr(GBytes) header = g_bytes_new_from_bytes (good, 0, 10);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) segment_data = g_bytes_new_from_bytes (good, 0, 34);
  g_autoptr(GBytes) segment_header = g_bytes_new_from_bytes (good, 0, 28);
  g_autoptr(GBytes) too_many = bytes_with_byte (good, 1, 17);
  g_autoptr(GBytes) three = bytes_with_byte (good, 1, 3);
  g_autoptr(GBytes) huge = bytes_with_byte (good, 31, 0x80);
  g_autoptr(GBytes) checksum = g_bytes_new_from_bytes (good, 0, TINY_CHECKSUM_OFFSET);
  g_autoptr(GBytes) digest = bytes_with_byte (good, 23, 1);
  g_autoptr(GBytes) hash_byte = bytes_with_byte (good, 23, 2);

  assert_parse_fails (magic, "this is not an ESP image: it starts with 0xea, not 0xe9");
  assert_parse_fails (header, "the image header needs 24 bytes, but the file has only 10");
  assert_parse_fails (empty, "the image header needs 24 bytes, but the file has only 0");
  assert_parse_fails (segment_data,
                      "segment 1 at offset 0x18 claims 0x4 bytes, but the file ends at 0x22");
  assert_parse_fails (segment_header,
                      "the header of segment 1 at offset 0x18 is cut off: the file ends at 0x1c");
  assert_parse_fails (too_many, "the header claims 17 segments, but an image has at most 16");
  /* The padding reads as an empty segment 2, segment 3's header is cut */
  assert_parse_fails (three,
                      "the header of segment 3 at offset 0x2c is cut off: the file ends at 0x30");
  assert_parse_fails (huge,
                      "segment 1 at offset 0x18 claims 0x80000004 bytes, but the file ends at 0x30");
  assert_parse_fails (checksum, "the checksum belongs at offset 0x2f, but the file ends at 0x2f");
  assert_parse_fails (digest, "the SHA-256 digest belongs at offset 0x30, but the file ends at 0x30");
  assert_parse_fails (hash_byte, "the header’s “hash appended” byte is 0x02, not 0 or 1");
}

static void
test_chip_mismatch (void)
{
  g_autoptr(GBytes) bytes = tiny_image_bytes ();
  g_autoptr(FsImage) image = parse_ok (bytes);
  g_autoptr(GBytes) other = bytes_with_byte (bytes, 12, 0x17);
  g_autoptr(FsImage) unknown = parse_ok (other);

  assert_validate_fails (image, FS_CHIP_ESP32_C3, 0, 0, FS_ERROR_NOT_SUPPORTED,
                         "the image is built for ESP32-S3, not for ESP32-C3");
  assert_validate_fails (unknown, FS_CHIP_ESP32, 0, 0, FS_ERROR_NOT_SUPPORTED,
                         "the image is built for chip id 0x0017, not for ESP32");
}

static void
test_revision (void)
{
  g_autoptr(GBytes) bytes = tiny_image_bytes ();
  g_autoptr(FsImage) image = parse_ok (bytes);
  g_autoptr(GBytes) max_zero_bytes = bytes_with_byte (bytes, 17, 0x00);
  g_autoptr(FsImage) max_zero = parse_ok (max_zero_bytes);
  g_autoptr(GBytes) max_none_bytes = NULL;
  g_autoptr(FsImage) max_none = NULL;
  g_autoptr(GBytes) tmp = NULL;

  /* tiny_image supports v1.1 to v1.99 */
  assert_validate_fails (image, FS_CHIP_ESP32_S3, 3, 0, FS_ERROR_NOT_SUPPORTED,
                         "the image needs chip revision v1.1 or later, but the chip is v0.3");
  assert_validate_fails (image, FS_CHIP_ESP32_S3, 100, 0, FS_ERROR_NOT_SUPPORTED,
                         "the image needs chip revision v1.1 or later, but the chip is v1.0");
  assert_validate_fails (image, FS_CHIP_ESP32_S3, 300, 0, FS_ERROR_NOT_SUPPORTED,
                         "the image supports chip revisions up to v1.99, but the chip is v3.0");
  g_assert_true (fs_image_validate (image, FS_CHIP_ESP32_S3, 101, 0, NULL));
  g_assert_true (fs_image_validate (image, FS_CHIP_ESP32_S3, 199, 0, NULL));
  g_assert_true (fs_image_validate (image, FS_CHIP_ESP32_S3, 0, 0, NULL));

  /* A maximum of 0 (older images) or 0xFFFF means none */
  g_assert_cmpuint (fs_image_get_max_rev_full (max_zero), ==, 0);
  g_assert_true (fs_image_validate (max_zero, FS_CHIP_ESP32_S3, 300, 0, NULL));
  tmp = bytes_with_byte (bytes, 17, 0xFF);
  max_none_bytes = bytes_with_byte (tmp, 18, 0xFF);
  max_none = parse_ok (max_none_bytes);
  g_assert_cmpuint (fs_image_get_max_rev_full (max_none), ==, 0xFFFF);
  g_assert_true (fs_image_validate (max_none, FS_CHIP_ESP32_S3, 9999, 0, NULL));
}

static void
test_too_large (void)
{
  g_autoptr(GBytes) bytes = tiny_image_bytes ();
  g_autoptr(FsImage) image = parse_ok (bytes);
  g_autoptr(GPtrArray) segments = segments_new ();
  g_autoptr(GBytes) data = g_bytes_new_take (g_malloc0 (0x10000), 0x10000);
  g_autoptr(GBytes) big_bytes = NULL;
  g_autoptr(FsImage) big = NULL;

  assert_validate_fails (image, FS_CHIP_ESP32_S3, 0, 32, FS_ERROR_INVALID_DATA,
                         "the image takes 48 bytes, but only 32 bytes are available for it");
  g_assert_true (fs_image_validate (image, FS_CHIP_ESP32_S3, 0, 48, NULL));

  g_ptr_array_add (segments, fs_image_segment_new (0x3C000000, data));
  big_bytes = build_ok (&tiny_options, segments);
  big = parse_ok (big_bytes);
  assert_validate_fails (big, FS_CHIP_ESP32_S3, 0, 0x10000, FS_ERROR_INVALID_DATA,
                         "the image takes 65584 bytes, but only 64 KiB are available for it");
}

static void
test_trailing_bytes (void)
{
  g_autoptr(GByteArray) padded = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  g_autoptr(GBytes) digest_image = tiny_image_with_digest ();
  g_autoptr(GByteArray) digest_padded = g_byte_array_new ();
  g_autoptr(GBytes) digest_bytes = NULL;
  g_autoptr(FsImage) digest_parsed = NULL;
  guint8 erased[4096];

  /* As read back from a 4 KiB flash region: erased flash is 0xFF */
  memset (erased, 0xFF, sizeof (erased));
  g_byte_array_append (padded, tiny_image, sizeof (tiny_image));
  g_byte_array_append (padded, erased, sizeof (erased) - sizeof (tiny_image));
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&padded));
  image = parse_ok (bytes);
  g_assert_cmpuint (fs_image_get_size (image), ==, sizeof (tiny_image));
  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_true (fs_image_validate (image, FS_CHIP_ESP32_S3, 0, 4096, NULL));

  g_byte_array_append (digest_padded, g_bytes_get_data (digest_image, NULL), g_bytes_get_size (digest_image));
  g_byte_array_append (digest_padded, erased, 100);
  digest_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&digest_padded));
  digest_parsed = parse_ok (digest_bytes);
  g_assert_cmpuint (fs_image_get_size (digest_parsed), ==, sizeof (tiny_image) + 32);
  g_assert_true (fs_image_get_digest_valid (digest_parsed));
}

static void
assert_build_fails (const FsImageBuildOptions *options,
                    GPtrArray                 *segments,
                    const char                *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fs_image_build (options, segments, &error);

  g_assert_null (bytes);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_build_errors (void)
{
  static const guint8 word[] = { 1, 2, 3, 4 };
  g_autoptr(GPtrArray) none = segments_new ();
  g_autoptr(GPtrArray) many = segments_new ();
  g_autoptr(GPtrArray) odd = segments_new ();
  FsImageBuildOptions bad_code = tiny_options;

  assert_build_fails (&tiny_options, none, "an image has 1 to 16 segments, not 0");
  for (guint i = 0; i < 17; i++)
    add_segment (many, 0x40080000 + 4 * i, word, sizeof (word));
  assert_build_fails (&tiny_options, many, "an image has 1 to 16 segments, not 17");
  g_ptr_array_set_size (many, 16);
  g_bytes_unref (build_ok (&tiny_options, many));

  add_segment (odd, 0x40080000, word, sizeof (word));
  add_segment (odd, 0x40080004, word, 3);
  assert_build_fails (&tiny_options, odd, "segment 2 is 3 bytes long, which is not a multiple of 4");

  bad_code.flash_size_code = 0x10;
  assert_build_fails (&bad_code, many,
                      "the flash size code 0x10 and frequency code 0xf must each fit in 4 bits");
}

static void
test_segment_copy (void)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("abcd", 4);
  g_autoptr(FsImageSegment) segment = fs_image_segment_new (0x1234, data);
  g_autoptr(FsImageSegment) copy = NULL;

  segment->file_offset = 32;
  copy = fs_image_segment_copy (segment);
  g_assert_cmpuint (copy->load_addr, ==, 0x1234);
  g_assert_cmpuint (copy->file_offset, ==, 32);
  g_assert_true (g_bytes_equal (copy->data, data));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/parse/tiny", test_parse_tiny);
  g_test_add_func ("/image/parse/errors", test_parse_errors);
  g_test_add_func ("/image/parse/trailing-bytes", test_trailing_bytes);
  g_test_add_func ("/image/build/matches-tiny", test_build_matches_tiny);
  g_test_add_func ("/image/build/round-trip", test_build_round_trip);
  g_test_add_func ("/image/build/digest", test_build_digest);
  g_test_add_func ("/image/build/errors", test_build_errors);
  g_test_add_func ("/image/build/set-flash-size", test_set_flash_size);
  g_test_add_func ("/image/app-desc/bytes", test_app_desc_bytes);
  g_test_add_func ("/image/app-desc/round-trip", test_app_desc_round_trip);
  g_test_add_func ("/image/app-desc/only-first-segment", test_app_desc_only_first_segment);
  g_test_add_func ("/image/app-desc/not-utf8", test_app_desc_not_utf8);
  g_test_add_func ("/image/validate/checksum", test_checksum_corrupt);
  g_test_add_func ("/image/validate/data", test_data_corrupt);
  g_test_add_func ("/image/validate/digest", test_digest_corrupt);
  g_test_add_func ("/image/validate/digest-covers-header", test_digest_covers_header);
  g_test_add_func ("/image/validate/chip", test_chip_mismatch);
  g_test_add_func ("/image/validate/revision", test_revision);
  g_test_add_func ("/image/validate/too-large", test_too_large);
  g_test_add_func ("/image/segment/copy", test_segment_copy);

  return g_test_run ();
}
