/* fuzz-otadata.c: the otadata partition and slot selection
 *
 * An input of FS_OTADATA_SIZE bytes is a partition as read. Otherwise its
 * first 64 bytes are the two entries (placed at the start of each sector)
 * and each following pair of bytes asks for a slot out of a number of slots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "fs-error.h"
#include "fs-otadata.h"
#include "fuzz.h"

static void
check_round_trip (FsOtadata *otadata)
{
  g_autoptr(GBytes) bytes = fs_otadata_to_bytes (otadata);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsOtadata) again = fs_otadata_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpmem (fs_otadata_get_entry (again, i), sizeof (FsOtadataEntry),
                     fs_otadata_get_entry (otadata, i), sizeof (FsOtadataEntry));
}

static void
check_select (FsOtadata *otadata,
              guint      slot,
              guint      n_slots)
{
  g_autoptr(GError) error = NULL;
  FsOtadataEntry before[2];
  gint active = fs_otadata_get_active_entry (otadata);
  gint index;

  for (guint i = 0; i < 2; i++)
    before[i] = *fs_otadata_get_entry (otadata, i);

  index = fs_otadata_select_slot (otadata, slot, n_slots, &error);
  if (index < 0)
    {
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
      for (guint i = 0; i < 2; i++)
        g_assert_cmpmem (fs_otadata_get_entry (otadata, i), sizeof (FsOtadataEntry),
                         &before[i], sizeof (FsOtadataEntry));
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, active < 0 ? 0 : !active);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, n_slots), ==, slot);
  g_assert_true (fs_otadata_entry_is_valid (fs_otadata_get_entry (otadata, index)));
  if (active >= 0)
    g_assert_cmpuint (fs_otadata_get_entry (otadata, index)->seq, >=, before[active].seq);
  g_assert_cmpmem (fs_otadata_get_entry (otadata, !index), sizeof (FsOtadataEntry),
                   &before[!index], sizeof (FsOtadataEntry));
  g_assert_cmpmem (fs_otadata_get_entry (otadata, index)->label, 20, before[index].label, 20);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) raw = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsOtadata) otadata = fs_otadata_new_from_bytes (raw, &error);

  if (size != FS_OTADATA_SIZE)
    {
      g_autofree guint8 *partition = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_assert_null (otadata);
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      g_clear_error (&error);
      if (size < 2 * FS_OTADATA_ENTRY_SIZE)
        return 0;
      partition = g_malloc (FS_OTADATA_SIZE);
      memset (partition, 0xFF, FS_OTADATA_SIZE);
      memcpy (partition, data, FS_OTADATA_ENTRY_SIZE);
      memcpy (partition + 0x1000, data + FS_OTADATA_ENTRY_SIZE, FS_OTADATA_ENTRY_SIZE);
      bytes = g_bytes_new_take (g_steal_pointer (&partition), FS_OTADATA_SIZE);
      otadata = fs_otadata_new_from_bytes (bytes, &error);
    }
  g_assert_no_error (error);
  g_assert_nonnull (otadata);

  for (guint n_slots = 0; n_slots <= 17; n_slots++)
    {
      gint slot = fs_otadata_get_boot_slot (otadata, n_slots);
      g_assert_cmpint (slot, <, (gint) n_slots);
      g_assert_cmpint (slot >= 0, ==, n_slots > 0 && fs_otadata_get_active_entry (otadata) >= 0);
    }
  check_round_trip (otadata);

  if (size == FS_OTADATA_SIZE)
    return 0;
  for (gsize i = 2 * FS_OTADATA_ENTRY_SIZE; i + 1 < size; i += 2)
    {
      check_select (otadata, data[i] & 0x1F, data[i + 1] & 0x1F);
      check_round_trip (otadata);
    }
  return 0;
}
