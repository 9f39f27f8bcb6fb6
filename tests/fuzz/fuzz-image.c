/* fuzz-image.c: ESP app and bootloader images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fs-error.h"
#include "fs-image.h"
#include "fuzz.h"

static void
assert_app_desc_equal (const FsAppDesc *a,
                       const FsAppDesc *b)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a == NULL)
    return;
  g_assert_cmpuint (a->secure_version, ==, b->secure_version);
  g_assert_cmpstr (a->version, ==, b->version);
  g_assert_cmpstr (a->project_name, ==, b->project_name);
  g_assert_cmpstr (a->time, ==, b->time);
  g_assert_cmpstr (a->date, ==, b->date);
  g_assert_cmpstr (a->idf_version, ==, b->idf_version);
  g_assert_true (memcmp (a->elf_sha256, b->elf_sha256, sizeof (a->elf_sha256)) == 0);
  g_assert_true (g_utf8_validate (a->version, -1, NULL));
  g_assert_true (g_utf8_validate (a->project_name, -1, NULL));
}

static void
assert_segments_equal (GPtrArray *a,
                       GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      FsImageSegment *sa = g_ptr_array_index (a, i);
      FsImageSegment *sb = g_ptr_array_index (b, i);

      g_assert_cmpuint (sa->load_addr, ==, sb->load_addr);
      g_assert_true (g_bytes_equal (sa->data, sb->data));
    }
}

static void
exercise_getters (FsImage *image,
                  gsize    input_size)
{
  g_autoptr(GError) error = NULL;
  gboolean valid;

  g_assert_cmpuint (fs_image_get_size (image), <=, input_size);
  g_assert_cmpuint ((fs_image_get_size (image) - (fs_image_get_has_digest (image) ? 32 : 0)) % 16, ==, 0);
  g_assert_true (fs_image_get_checksum_valid (image) ==
                 (fs_image_get_checksum_stored (image) == fs_image_get_checksum_computed (image)));
  g_assert_true ((fs_image_get_digest (image) != NULL) == fs_image_get_has_digest (image));
  if (!fs_image_get_has_digest (image))
    g_assert_false (fs_image_get_digest_valid (image));
  (void) fs_image_get_flash_freq_mhz (image);
  (void) fs_image_get_flash_size (image);

  valid = fs_image_validate (image, fs_image_get_chip_id (image), fs_image_get_min_rev_full (image),
                             fs_image_get_size (image), &error);
  g_assert_true (valid == (error == NULL));
  if (valid)
    g_assert_true (fs_image_get_checksum_valid (image));
}

static void
round_trip (FsImage      *image,
            const guint8 *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) rebuilt = NULL;
  g_autoptr(FsImage) again = NULL;
  GPtrArray *segments = fs_image_get_segments (image);
  FsImageBuildOptions options = {
    .chip = fs_image_get_chip_id (image),
    .entry = fs_image_get_entry (image),
    .flash_mode = fs_image_get_flash_mode (image),
    /* The getters turn unknown codes into 0: take them as stored */
    .flash_size_code = data[3] >> 4,
    .flash_freq_code = data[3] & 0x0F,
    .min_rev_full = fs_image_get_min_rev_full (image),
    .max_rev_full = fs_image_get_max_rev_full (image),
    .append_digest = fs_image_get_has_digest (image),
  };
  gboolean buildable = segments->len > 0;

  for (guint i = 0; i < segments->len; i++)
    {
      FsImageSegment *segment = g_ptr_array_index (segments, i);

      if (g_bytes_get_size (segment->data) % 4 != 0)
        buildable = FALSE;
    }

  rebuilt = fs_image_build (&options, segments, &error);
  if (!buildable)
    {
      g_assert_null (rebuilt);
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
      return;
    }
  g_assert_no_error (error);

  again = fs_image_new_from_bytes (rebuilt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_image_get_size (again), ==, g_bytes_get_size (rebuilt));
  g_assert_true (fs_image_get_checksum_valid (again));
  g_assert_cmpuint (fs_image_get_checksum_computed (again), ==, fs_image_get_checksum_computed (image));
  g_assert_true (fs_image_get_has_digest (again) == fs_image_get_has_digest (image));
  g_assert_true (fs_image_get_digest_valid (again) == fs_image_get_has_digest (image));
  g_assert_cmpuint (fs_image_get_entry (again), ==, fs_image_get_entry (image));
  g_assert_cmpint (fs_image_get_flash_mode (again), ==, fs_image_get_flash_mode (image));
  g_assert_cmpuint (fs_image_get_flash_size (again), ==, fs_image_get_flash_size (image));
  g_assert_cmpuint (fs_image_get_flash_freq_mhz (again), ==, fs_image_get_flash_freq_mhz (image));
  g_assert_cmpuint (fs_image_get_chip_id (again), ==, fs_image_get_chip_id (image));
  g_assert_cmpuint (fs_image_get_min_rev_full (again), ==, fs_image_get_min_rev_full (image));
  g_assert_cmpuint (fs_image_get_max_rev_full (again), ==, fs_image_get_max_rev_full (image));
  assert_segments_equal (fs_image_get_segments (again), segments);
  assert_app_desc_equal (fs_image_get_app_desc (again), fs_image_get_app_desc (image));
}

static void
app_desc_round_trip (const FsAppDesc *desc)
{
  g_autoptr(GBytes) desc_bytes = fs_app_desc_to_bytes (desc);
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  FsImageBuildOptions options = { .chip = FS_CHIP_ESP32 };

  g_assert_cmpuint (g_bytes_get_size (desc_bytes), ==, FS_APP_DESC_SIZE);
  g_ptr_array_add (segments, fs_image_segment_new (0x3F400020, desc_bytes));
  bytes = fs_image_build (&options, segments, NULL);
  g_assert_nonnull (bytes);
  image = fs_image_new_from_bytes (bytes, NULL);
  g_assert_nonnull (image);
  assert_app_desc_equal (fs_image_get_app_desc (image), desc);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsImage) image = fs_image_new_from_bytes (bytes, &error);
  const FsAppDesc *desc;

  if (image == NULL)
    {
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      return 0;
    }
  g_assert_no_error (error);

  exercise_getters (image, size);
  round_trip (image, data);
  desc = fs_image_get_app_desc (image);
  if (desc != NULL)
    app_desc_round_trip (desc);
  return 0;
}
