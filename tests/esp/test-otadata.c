/* test-otadata.c: the otadata partition and OTA slot selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-otadata.h"

static void
test_crc (void)
{
  /* python3: hex(binascii.crc32(struct.pack('<I', seq), 0xFFFFFFFF)) */
  g_assert_cmphex (fs_otadata_crc (1), ==, 0x4743989A);
  g_assert_cmphex (fs_otadata_crc (2), ==, 0x55F63774);
  g_assert_cmphex (fs_otadata_crc (3), ==, 0xED4A5011);
  g_assert_cmphex (fs_otadata_crc (0xFFFFFFFE), ==, 0x99F8B879);
}

/* An otadata partition as esp_ota_set_boot_partition() leaves it after
 * choosing ota_0 on erased flash: sequence 1, label and state erased */
static GBytes *
hand_otadata (void)
{
  static const guint8 entry0[FS_OTADATA_ENTRY_SIZE] = {
    0x01, 0x00, 0x00, 0x00,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF,
    0x9A, 0x98, 0x43, 0x47,
  };
  guint8 *data = g_malloc (FS_OTADATA_SIZE);

  memset (data, 0xFF, FS_OTADATA_SIZE);
  memcpy (data, entry0, sizeof (entry0));
  return g_bytes_new_take (data, FS_OTADATA_SIZE);
}

static void
test_parse_hand (void)
{
  g_autoptr(GBytes) bytes = hand_otadata ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsOtadata) otadata = fs_otadata_new_from_bytes (bytes, &error);
  g_autoptr(GBytes) again = NULL;
  const FsOtadataEntry *entry;

  g_assert_no_error (error);
  entry = fs_otadata_get_entry (otadata, 0);
  g_assert_cmpuint (entry->seq, ==, 1);
  g_assert_cmphex (entry->state, ==, FS_OTA_STATE_UNDEFINED);
  g_assert_cmphex (entry->crc, ==, 0x4743989A);
  g_assert_true (fs_otadata_entry_is_valid (entry));
  g_assert_false (fs_otadata_entry_is_valid (fs_otadata_get_entry (otadata, 1)));
  g_assert_cmpint (fs_otadata_get_active_entry (otadata), ==, 0);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 2), ==, 0);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 0), ==, -1);

  again = fs_otadata_to_bytes (otadata);
  g_assert_true (g_bytes_equal (again, bytes));
}

static void
test_erased (void)
{
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GBytes) bytes = fs_otadata_to_bytes (otadata);
  g_autoptr(FsOtadata) parsed = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, FS_OTADATA_SIZE);
  data = g_bytes_get_data (bytes, NULL);
  for (guint i = 0; i < FS_OTADATA_SIZE; i++)
    g_assert_cmpuint (data[i], ==, 0xFF);

  parsed = fs_otadata_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_otadata_get_active_entry (parsed), ==, -1);
  g_assert_cmpint (fs_otadata_get_boot_slot (parsed, 2), ==, -1);
}

static void
test_select_from_erased (void)
{
  for (guint slot = 0; slot < 4; slot++)
    {
      g_autoptr(FsOtadata) otadata = fs_otadata_new ();
      g_autoptr(GError) error = NULL;
      const FsOtadataEntry *entry;

      g_assert_cmpint (fs_otadata_select_slot (otadata, slot, 4, &error), ==, 0);
      g_assert_no_error (error);
      entry = fs_otadata_get_entry (otadata, 0);
      g_assert_cmpuint (entry->seq, ==, slot + 1);
      g_assert_cmphex (entry->state, ==, FS_OTA_STATE_UNDEFINED);
      /* the label is left as it was: erased */
      for (guint i = 0; i < sizeof (entry->label); i++)
        g_assert_cmpuint (entry->label[i], ==, 0xFF);
      g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 4), ==, slot);
    }
}

static void
test_switch_back_and_forth (void)
{
  const guint n_slots[] = { 2, 3, 5, 16 };

  for (guint n = 0; n < G_N_ELEMENTS (n_slots); n++)
    {
      g_autoptr(FsOtadata) otadata = fs_otadata_new ();
      guint32 last_seq = 0;
      gint last_index = -1;

      for (guint i = 0; i < 50; i++)
        {
          g_autoptr(GError) error = NULL;
          guint slot = (i * 7 + i / 3) % n_slots[n];
          gint index;
          guint32 seq;

          /* selecting the slot that boots already is tested on its own */
          if (fs_otadata_get_boot_slot (otadata, n_slots[n]) == (gint) slot)
            slot = (slot + 1) % n_slots[n];
          index = fs_otadata_select_slot (otadata, slot, n_slots[n], &error);
          g_assert_no_error (error);
          g_assert_cmpint (fs_otadata_get_boot_slot (otadata, n_slots[n]), ==, slot);
          g_assert_cmpint (fs_otadata_get_active_entry (otadata), ==, index);
          if (last_index >= 0)
            g_assert_cmpint (index, ==, !last_index);

          seq = fs_otadata_get_entry (otadata, index)->seq;
          /* growing, by less than one round of the slots */
          g_assert_cmpuint (seq, >, last_seq);
          g_assert_cmpuint (seq, <, last_seq + n_slots[n]);
          last_seq = seq;
          last_index = index;
        }
    }
}

static void
test_select_known_sequence (void)
{
  /* ESP-IDF's own example: entries 4 and 5 with 8 slots boot ota_4; to
   * boot ota_7 the other entry (the one with 4) gets 8. */
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (fs_otadata_select_slot (otadata, 3, 8, &error), ==, 0);
  g_assert_cmpint (fs_otadata_select_slot (otadata, 4, 8, &error), ==, 1);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 0)->seq, ==, 4);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 1)->seq, ==, 5);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 8), ==, 4);

  g_assert_cmpint (fs_otadata_select_slot (otadata, 7, 8, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 0)->seq, ==, 8);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 8), ==, 7);

  /* back to ota_0: the next round, 9 */
  g_assert_cmpint (fs_otadata_select_slot (otadata, 0, 8, &error), ==, 1);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 1)->seq, ==, 9);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 8), ==, 0);
}

static void
test_select_same_slot (void)
{
  /* As in ESP-IDF, the other entry gets the same sequence number; the
   * first entry wins the tie, so the second is written again next time. */
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (fs_otadata_select_slot (otadata, 1, 2, &error), ==, 0);
  g_assert_cmpint (fs_otadata_select_slot (otadata, 1, 2, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 0)->seq, ==, 2);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 1)->seq, ==, 2);
  g_assert_cmpint (fs_otadata_get_active_entry (otadata), ==, 0);
  g_assert_cmpint (fs_otadata_select_slot (otadata, 0, 2, &error), ==, 1);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 1)->seq, ==, 3);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 2), ==, 0);
}

static void
test_round_trip (void)
{
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(FsOtadata) parsed = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;

  fs_otadata_select_slot (otadata, 1, 3, &error);
  fs_otadata_select_slot (otadata, 2, 3, &error);
  g_assert_no_error (error);
  bytes = fs_otadata_to_bytes (otadata);

  /* each entry at the start of its sector, little-endian */
  data = g_bytes_get_data (bytes, NULL);
  g_assert_cmpuint (data[0], ==, 2);
  g_assert_cmpuint (data[0x1000], ==, 3);
  g_assert_cmpuint (data[0x1000 + 28], ==, 0x11);   /* CRC of 3: 0xED4A5011 */
  g_assert_cmpuint (data[0x1000 + 31], ==, 0xED);
  g_assert_cmpuint (data[32], ==, 0xFF);

  parsed = fs_otadata_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpmem (fs_otadata_get_entry (parsed, i), sizeof (FsOtadataEntry),
                     fs_otadata_get_entry (otadata, i), sizeof (FsOtadataEntry));
  g_assert_cmpint (fs_otadata_get_boot_slot (parsed, 3), ==, 2);
}

static void
test_invalid_entries (void)
{
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GByteArray) corrupt = g_byte_array_new ();
  g_autoptr(GByteArray) aborted = g_byte_array_new ();
  g_autoptr(FsOtadata) parsed = NULL;
  g_autoptr(FsOtadata) parsed_aborted = NULL;

  fs_otadata_select_slot (otadata, 0, 2, &error);
  fs_otadata_select_slot (otadata, 1, 2, &error);
  g_assert_no_error (error);
  bytes = fs_otadata_to_bytes (otadata);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 2), ==, 1);

  /* a flipped CRC bit in the newer entry: the older one boots */
  g_byte_array_append (corrupt, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  corrupt->data[0x1000 + 28] ^= 0x01;
  parsed = fs_otadata_new_from_bytes (g_byte_array_free_to_bytes (g_steal_pointer (&corrupt)), &error);
  g_assert_no_error (error);
  g_assert_false (fs_otadata_entry_is_valid (fs_otadata_get_entry (parsed, 1)));
  g_assert_cmpint (fs_otadata_get_active_entry (parsed), ==, 0);
  g_assert_cmpint (fs_otadata_get_boot_slot (parsed, 2), ==, 0);

  /* the newer entry marked aborted: likewise */
  g_byte_array_append (aborted, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  aborted->data[0x1000 + 24] = FS_OTA_STATE_ABORTED;
  aborted->data[0x1000 + 25] = 0;
  aborted->data[0x1000 + 26] = 0;
  aborted->data[0x1000 + 27] = 0;
  parsed_aborted = fs_otadata_new_from_bytes (g_byte_array_free_to_bytes (g_steal_pointer (&aborted)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_otadata_get_entry (parsed_aborted, 1)->state, ==, FS_OTA_STATE_ABORTED);
  g_assert_cmpint (fs_otadata_get_boot_slot (parsed_aborted, 2), ==, 0);
}

static void
test_entry_validity (void)
{
  const struct { FsOtadataEntry entry; gboolean valid; } cases[] = {
    { { 1, { 0 }, FS_OTA_STATE_VALID, 0x4743989A }, TRUE },
    { { 1, { 0 }, FS_OTA_STATE_NEW, 0x4743989A }, TRUE },
    { { 1, { 0 }, FS_OTA_STATE_PENDING_VERIFY, 0x4743989A }, TRUE },
    { { 1, { 0 }, FS_OTA_STATE_UNDEFINED, 0x4743989A }, TRUE },
    { { 1, { 0 }, FS_OTA_STATE_INVALID, 0x4743989A }, FALSE },
    { { 1, { 0 }, FS_OTA_STATE_ABORTED, 0x4743989A }, FALSE },
    { { 2, { 0 }, FS_OTA_STATE_VALID, 0x4743989A }, FALSE },
    { { 0xFFFFFFFF, { 0 }, FS_OTA_STATE_VALID, 0xFFFFFFFF }, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (fs_otadata_entry_is_valid (&cases[i].entry), ==, cases[i].valid);
}

static void
test_errors (void)
{
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GBytes) short_bytes = g_bytes_new_static ("\xFF\xFF", 2);
  guint8 *sector = g_malloc0 (0x1000);
  g_autoptr(GBytes) one_sector = g_bytes_new_take (sector, 0x1000);
  g_autoptr(GError) error_short = NULL;
  g_autoptr(GError) error_sector = NULL;
  g_autoptr(GError) error_none = NULL;
  g_autoptr(GError) error_slot = NULL;
  g_autoptr(GError) error_slot_one = NULL;

  g_assert_null (fs_otadata_new_from_bytes (short_bytes, &error_short));
  g_assert_error (error_short, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error_short->message, ==, "the otadata partition is 2 bytes long instead of 8 KiB");
  g_assert_null (fs_otadata_new_from_bytes (one_sector, &error_sector));
  g_assert_cmpstr (error_sector->message, ==, "the otadata partition is 4 KiB long instead of 8 KiB");

  g_assert_cmpint (fs_otadata_select_slot (otadata, 0, 0, &error_none), ==, -1);
  g_assert_error (error_none, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error_none->message, ==, "there is no OTA app partition to boot");

  g_assert_cmpint (fs_otadata_select_slot (otadata, 2, 2, &error_slot), ==, -1);
  g_assert_error (error_slot, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error_slot->message, ==,
                   "There is no slot ota_2: the partition table has 2 OTA app partitions");
  g_assert_cmpint (fs_otadata_select_slot (otadata, 1, 1, &error_slot_one), ==, -1);
  g_assert_cmpstr (error_slot_one->message, ==,
                   "There is no slot ota_1: the partition table has 1 OTA app partition");

  /* nothing was changed */
  g_assert_cmpint (fs_otadata_get_active_entry (otadata), ==, -1);
}

static void
test_sequence_exhausted (void)
{
  /* the highest sequence number an entry can hold boots ota_1 of 3 */
  g_autoptr(GBytes) bytes = hand_otadata ();
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(FsOtadata) otadata = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 entry1[] = { 0xFE, 0xFF, 0xFF, 0xFF };
  static const guint8 crc1[] = { 0x79, 0xB8, 0xF8, 0x99 };

  g_byte_array_append (array, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  memcpy (array->data + 0x1000, entry1, sizeof (entry1));
  memcpy (array->data + 0x1000 + 28, crc1, sizeof (crc1));
  otadata = fs_otadata_new_from_bytes (g_byte_array_free_to_bytes (g_steal_pointer (&array)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_otadata_get_active_entry (otadata), ==, 1);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 3), ==, (0xFFFFFFFEu - 1) % 3);

  /* the same slot still fits, another does not */
  g_assert_cmpint (fs_otadata_select_slot (otadata, 1, 3, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (fs_otadata_select_slot (otadata, 2, 3, &error), ==, -1);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "The otadata sequence number has run out; erase the otadata partition to start again");
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 3), ==, 1);
}

static void
test_sequence_zero (void)
{
  /* Sequence 0 has the CRC 0xFFFFFFFF, so four zero bytes on erased flash
   * make a valid entry; (0 - 1) % n wraps around to a slot of its own. */
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(FsOtadata) otadata = NULL;
  g_autoptr(GError) error = NULL;

  g_byte_array_set_size (array, FS_OTADATA_SIZE);
  memset (array->data, 0xFF, FS_OTADATA_SIZE);
  memset (array->data, 0x00, 4);
  otadata = fs_otadata_new_from_bytes (g_byte_array_free_to_bytes (g_steal_pointer (&array)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_otadata_get_active_entry (otadata), ==, 0);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 31), ==, 0xFFFFFFFFu % 31);

  /* the slot that sequence 0 would give must not keep it */
  g_assert_cmpint (fs_otadata_select_slot (otadata, 30, 31, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_otadata_get_entry (otadata, 1)->seq, ==, 31);
  g_assert_cmpint (fs_otadata_get_boot_slot (otadata, 31), ==, 30);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/otadata/crc", test_crc);
  g_test_add_func ("/otadata/parse-hand", test_parse_hand);
  g_test_add_func ("/otadata/erased", test_erased);
  g_test_add_func ("/otadata/select-from-erased", test_select_from_erased);
  g_test_add_func ("/otadata/switch-back-and-forth", test_switch_back_and_forth);
  g_test_add_func ("/otadata/select-known-sequence", test_select_known_sequence);
  g_test_add_func ("/otadata/select-same-slot", test_select_same_slot);
  g_test_add_func ("/otadata/round-trip", test_round_trip);
  g_test_add_func ("/otadata/invalid-entries", test_invalid_entries);
  g_test_add_func ("/otadata/entry-validity", test_entry_validity);
  g_test_add_func ("/otadata/errors", test_errors);
  g_test_add_func ("/otadata/sequence-exhausted", test_sequence_exhausted);
  g_test_add_func ("/otadata/sequence-zero", test_sequence_zero);

  return g_test_run ();
}
