/* test-partition-table.c: ESP-IDF partition tables, binary and CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-partition-table.h"

/* ESP-IDF's partitions_singleapp.csv ("factory") as gen_esp32part.py writes
 * it, entry by entry from the format: magic AA 50, type, subtype, offset LE,
 * size LE, label NUL-padded to 16, flags LE. */
static const guint8 factory_entries[] = {
  /* nvs, data, nvs, 0x9000, 0x6000 */
  0xAA, 0x50, 0x01, 0x02, 0x00, 0x90, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00,
  'n', 'v', 's', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x00, 0x00, 0x00, 0x00,
  /* phy_init, data, phy, 0xf000, 0x1000 */
  0xAA, 0x50, 0x01, 0x01, 0x00, 0xF0, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
  'p', 'h', 'y', '_', 'i', 'n', 'i', 't', 0, 0, 0, 0, 0, 0, 0, 0,
  0x00, 0x00, 0x00, 0x00,
  /* factory, app, factory, 0x10000, 1M */
  0xAA, 0x50, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00,
  'f', 'a', 'c', 't', 'o', 'r', 'y', 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x00, 0x00, 0x00, 0x00,
};

/* EB EB, 14 × FF, then the MD5 of the 96 bytes above, computed once with
 * python3's hashlib.md5: f4ad4f4538564b5d7435b62c75b69524 */
static const guint8 factory_md5_entry[] = {
  0xEB, 0xEB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
  0xF4, 0xAD, 0x4F, 0x45, 0x38, 0x56, 0x4B, 0x5D,
  0x74, 0x35, 0xB6, 0x2C, 0x75, 0xB6, 0x95, 0x24,
};

static const char factory_csv[] =
  "# ESP-IDF Partition Table\n"
  "# Name,   Type, SubType, Offset,  Size, Flags\n"
  "nvs,      data, nvs,     0x9000,  0x6000,\n"
  "phy_init, data, phy,     0xf000,  0x1000,\n"
  "factory,  app,  factory, 0x10000, 1M,\n";

static const char factory_csv_out[] =
  "# Name, Type, SubType, Offset, Size, Flags\n"
  "nvs, data, nvs, 0x9000, 0x6000\n"
  "phy_init, data, phy, 0xf000, 0x1000\n"
  "factory, app, factory, 0x10000, 0x100000\n";

/* @len bytes: the factory entries, the MD5 entry when asked, 0xFF after */
static guint8 *
factory_binary (gboolean with_md5,
                gsize    len)
{
  guint8 *data = g_malloc (len);

  memset (data, 0xFF, len);
  memcpy (data, factory_entries, sizeof (factory_entries));
  if (with_md5)
    memcpy (data + sizeof (factory_entries), factory_md5_entry, sizeof (factory_md5_entry));
  return data;
}

static FsPartitionTable *
parse_binary (const guint8 *data,
              gsize         len,
              GError      **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  return fs_partition_table_new_from_binary (bytes, error);
}

static FsPartitionTable *
parse_csv (const char *text)
{
  g_autoptr(GError) error = NULL;
  FsPartitionTable *table = fs_partition_table_new_from_csv (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

static void
assert_partition (const FsPartition *partition,
                  const char        *label,
                  guint8             type,
                  guint8             subtype,
                  guint32            offset,
                  guint32            size,
                  guint32            flags)
{
  g_assert_nonnull (partition);
  g_assert_cmpstr (partition->label, ==, label);
  g_assert_cmpuint (partition->type, ==, type);
  g_assert_cmpuint (partition->subtype, ==, subtype);
  g_assert_cmpuint (partition->offset, ==, offset);
  g_assert_cmpuint (partition->size, ==, size);
  g_assert_cmpuint (partition->flags, ==, flags);
}

static void
assert_factory_table (FsPartitionTable *table)
{
  g_assert_cmpuint (fs_partition_table_get_n_partitions (table), ==, 3);
  assert_partition (fs_partition_table_get_partition (table, 0), "nvs", 0x01, 0x02, 0x9000, 0x6000, 0);
  assert_partition (fs_partition_table_get_partition (table, 1), "phy_init", 0x01, 0x01, 0xF000, 0x1000, 0);
  assert_partition (fs_partition_table_get_partition (table, 2), "factory", 0x00, 0x00, 0x10000, 0x100000, 0);
}

static void
test_names (void)
{
  g_assert_cmpstr (fs_partition_type_to_string (0x00), ==, "app");
  g_assert_cmpstr (fs_partition_type_to_string (0x01), ==, "data");
  g_assert_null (fs_partition_type_to_string (0x40));
  g_assert_cmpstr (fs_partition_subtype_to_string (0x00, 0x00), ==, "factory");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x00, 0x10), ==, "ota_0");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x00, 0x1F), ==, "ota_15");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x00, 0x20), ==, "test");
  g_assert_null (fs_partition_subtype_to_string (0x00, 0x01));
  g_assert_null (fs_partition_subtype_to_string (0x00, 0x21));
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x00), ==, "ota");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x01), ==, "phy");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x02), ==, "nvs");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x03), ==, "coredump");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x04), ==, "nvs_keys");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x05), ==, "efuse");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x06), ==, "undefined");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x80), ==, "esphttpd");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x81), ==, "fat");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x82), ==, "spiffs");
  g_assert_cmpstr (fs_partition_subtype_to_string (0x01, 0x83), ==, "littlefs");
  g_assert_null (fs_partition_subtype_to_string (0x01, 0x07));
  g_assert_null (fs_partition_subtype_to_string (0x40, 0x00));
}

static void
test_type_from_string (void)
{
  static const struct { const char *text; guint8 type; } valid[] = {
    { "app", 0x00 }, { "APP", 0x00 }, { "data", 0x01 }, { "Data", 0x01 },
    { "0", 0x00 }, { "1", 0x01 }, { "64", 0x40 }, { "0x40", 0x40 }, { "0XfE", 0xFE },
    { "255", 0xFF },
  };
  static const char *invalid[] = { "", "foo", "256", "0x100", "-1", "+1", "0x", "1k", " app" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      guint8 type = 0x77;

      g_assert_true (fs_partition_type_from_string (valid[i].text, &type, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (type, ==, valid[i].type);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = g_strdup_printf ("“%s” is not a partition type (app, data or a number up to 0xFF)",
                                                  invalid[i]);
      guint8 type = 0x77;

      g_assert_false (fs_partition_type_from_string (invalid[i], &type, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, message);
      g_assert_cmpuint (type, ==, 0x77);
    }
}

static void
test_subtype_from_string (void)
{
  static const struct { guint8 type; const char *text; guint8 subtype; } valid[] = {
    { 0x00, "factory", 0x00 }, { 0x00, "FACTORY", 0x00 }, { 0x00, "ota_0", 0x10 },
    { 0x00, "OTA_15", 0x1F }, { 0x00, "test", 0x20 }, { 0x00, "0x21", 0x21 },
    { 0x01, "ota", 0x00 }, { 0x01, "nvs", 0x02 }, { 0x01, "NVS_Keys", 0x04 },
    { 0x01, "SPIFFS", 0x82 }, { 0x01, "littlefs", 0x83 }, { 0x01, "0x99", 0x99 },
    { 0x01, "", 0x06 }, { 0x40, "", 0x06 }, { 0x40, "7", 0x07 }, { 0x40, "0x00", 0x00 },
  };
  static const struct { guint8 type; const char *text; const char *message; } invalid[] = {
    { 0x00, "nvs", "“nvs” is not a subtype of the type “app”" },
    { 0x00, "ota_16", "“ota_16” is not a subtype of the type “app”" },
    { 0x01, "factory", "“factory” is not a subtype of the type “data”" },
    { 0x01, "0x100", "“0x100” is not a subtype of the type “data”" },
    { 0x40, "nvs", "“nvs” is not a subtype of the type “0x40”" },
    { 0x00, "", "an app partition needs a subtype" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      guint8 subtype = 0x77;

      g_assert_true (fs_partition_subtype_from_string (valid[i].type, valid[i].text, &subtype, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (subtype, ==, valid[i].subtype);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      guint8 subtype = 0x77;

      g_assert_false (fs_partition_subtype_from_string (invalid[i].type, invalid[i].text, &subtype, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, invalid[i].message);
      g_assert_cmpuint (subtype, ==, 0x77);
    }
}

static void
add_factory_partitions (FsPartitionTable *table)
{
  const FsPartition partitions[] = {
    { "nvs", FS_PARTITION_TYPE_DATA, FS_PARTITION_SUBTYPE_NVS, 0x9000, 0x6000, 0 },
    { "phy_init", FS_PARTITION_TYPE_DATA, FS_PARTITION_SUBTYPE_PHY, 0xF000, 0x1000, 0 },
    { "factory", FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_FACTORY, 0x10000, 0x100000, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (partitions); i++)
    fs_partition_table_add (table, &partitions[i]);
}

static void
test_binary_factory_write (void)
{
  g_autoptr(FsPartitionTable) table = fs_partition_table_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) with_md5 = NULL;
  g_autoptr(GBytes) without_md5 = NULL;
  g_autofree guint8 *expected_md5 = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);
  g_autofree guint8 *expected_plain = factory_binary (FALSE, FS_PARTITION_TABLE_MAX_LEN);

  add_factory_partitions (table);
  with_md5 = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (with_md5);
  g_assert_cmpmem (g_bytes_get_data (with_md5, NULL), g_bytes_get_size (with_md5),
                   expected_md5, FS_PARTITION_TABLE_MAX_LEN);

  without_md5 = fs_partition_table_to_binary (table, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (without_md5, NULL), g_bytes_get_size (without_md5),
                   expected_plain, FS_PARTITION_TABLE_MAX_LEN);
}

static void
test_binary_factory_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);
  g_autoptr(FsPartitionTable) table = parse_binary (data, FS_PARTITION_TABLE_MAX_LEN, &error);

  g_assert_no_error (error);
  assert_factory_table (table);
  g_assert_true (fs_partition_table_get_has_md5 (table));
}

static void
test_binary_without_md5 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = factory_binary (FALSE, FS_PARTITION_TABLE_MAX_LEN);
  g_autoptr(FsPartitionTable) table = parse_binary (data, FS_PARTITION_TABLE_MAX_LEN, &error);

  g_assert_no_error (error);
  assert_factory_table (table);
  g_assert_false (fs_partition_table_get_has_md5 (table));
}

static void
test_binary_sector (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = factory_binary (TRUE, 4096);
  g_autoptr(FsPartitionTable) table = NULL;

  /* The last 1 KiB of the sector may hold a signature: never read */
  memset (data + FS_PARTITION_TABLE_MAX_LEN, 0x5A, 4096 - FS_PARTITION_TABLE_MAX_LEN);
  table = parse_binary (data, 4096, &error);
  g_assert_no_error (error);
  assert_factory_table (table);
  g_assert_true (fs_partition_table_get_has_md5 (table));
}

static void
test_binary_short_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) exact = parse_binary (factory_entries, sizeof (factory_entries), &error);
  g_autoptr(FsPartitionTable) empty = NULL;

  /* Entries without an end marker: the data ends the table */
  g_assert_no_error (error);
  assert_factory_table (exact);
  g_assert_false (fs_partition_table_get_has_md5 (exact));

  empty = parse_binary (factory_entries, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_partition_table_get_n_partitions (empty), ==, 0);
}

static void
assert_binary_error (const guint8 *data,
                     gsize         len,
                     const char   *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) table = parse_binary (data, len, &error);

  g_assert_null (table);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_binary_wrong_md5 (void)
{
  g_autofree guint8 *digest = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);
  g_autofree guint8 *entry = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);

  digest[96 + 31] ^= 0x01;
  assert_binary_error (digest, FS_PARTITION_TABLE_MAX_LEN,
                       "entry 4 at 0x060: the MD5 checksum does not match the entries before it");
  /* A change to an entry is caught too */
  entry[32 + 12] = 'P';
  assert_binary_error (entry, FS_PARTITION_TABLE_MAX_LEN,
                       "entry 4 at 0x060: the MD5 checksum does not match the entries before it");
}

static void
test_binary_bad_magic (void)
{
  g_autofree guint8 *data = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);

  data[32] = 0xAB;
  assert_binary_error (data, FS_PARTITION_TABLE_MAX_LEN,
                       "entry 2 at 0x020 starts with 0x50ab, which is neither a partition (0x50AA) nor the end of the table");
  data[0] = 0x00;
  data[1] = 0x00;
  assert_binary_error (data, FS_PARTITION_TABLE_MAX_LEN,
                       "entry 1 at 0x000 starts with 0x0000, which is neither a partition (0x50AA) nor the end of the table");
}

static void
test_binary_cut_short (void)
{
  assert_binary_error (factory_entries, 40, "entry 2 at 0x020 is cut short: 8 of 32 bytes");
  assert_binary_error (factory_entries, 1, "entry 1 at 0x000 is cut short: 1 of 32 bytes");
}

static void
test_binary_after_md5 (void)
{
  g_autofree guint8 *data = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);

  memcpy (data + 128, factory_entries, 32);
  assert_binary_error (data, FS_PARTITION_TABLE_MAX_LEN,
                       "entry 5 at 0x080 follows the MD5 entry, which must be the last");
}

static void
test_binary_bad_label (void)
{
  g_autofree guint8 *data = factory_binary (FALSE, FS_PARTITION_TABLE_MAX_LEN);

  data[32 + 12 + 3] = 0xC3;  /* "phy" then half a UTF-8 sequence */
  assert_binary_error (data, FS_PARTITION_TABLE_MAX_LEN,
                       "entry 2 at 0x020 has a name that is not valid UTF-8 text");
}

static void
test_binary_label_16 (void)
{
  static const guint8 entry[] = {
    0xAA, 0x50, 0x01, 0x82, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x10, 0x00,
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
    0x03, 0x00, 0x00, 0x00,
  };
  g_autoptr(FsPartitionTable) table = fs_partition_table_new ();
  g_autoptr(FsPartitionTable) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(FsPartitionTable) from_csv = NULL;
  const FsPartition partition = {
    "0123456789abcdef", FS_PARTITION_TYPE_DATA, FS_PARTITION_SUBTYPE_SPIFFS, 0x200000, 0x100000,
    FS_PARTITION_FLAG_ENCRYPTED | FS_PARTITION_FLAG_READONLY
  };
  const guint8 *data;

  fs_partition_table_add (table, &partition);
  binary = fs_partition_table_to_binary (table, FALSE, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (binary, NULL);
  g_assert_cmpmem (data, sizeof (entry), entry, sizeof (entry));
  g_assert_cmpuint (data[32], ==, 0xFF);

  parsed = fs_partition_table_new_from_binary (binary, &error);
  g_assert_no_error (error);
  assert_partition (fs_partition_table_get_partition (parsed, 0), "0123456789abcdef", 0x01, 0x82,
                    0x200000, 0x100000, 0x03);

  from_csv = parse_csv ("0123456789abcdef, data, spiffs, 0x200000, 1M, encrypted:readonly\n");
  assert_partition (fs_partition_table_get_partition (from_csv, 0), "0123456789abcdef", 0x01, 0x82,
                    0x200000, 0x100000, 0x03);
}

/* Data partitions p<first>… one sector each, from 0x9000 + first sectors */
static void
add_n_partitions (FsPartitionTable *table,
                  guint             first,
                  guint             n)
{
  for (guint i = first; i < first + n; i++)
    {
      FsPartition partition = { .type = FS_PARTITION_TYPE_DATA, .subtype = FS_PARTITION_SUBTYPE_NVS,
                                .offset = 0x9000 + i * 0x1000, .size = 0x1000 };

      g_snprintf (partition.label, sizeof (partition.label), "p%u", i);
      fs_partition_table_add (table, &partition);
    }
}

static void
test_binary_too_many (void)
{
  g_autoptr(FsPartitionTable) table = fs_partition_table_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) with_md5 = NULL;
  g_autoptr(GBytes) without_md5 = NULL;
  g_autoptr(GBytes) too_many = NULL;
  g_autoptr(FsPartitionTable) parsed = NULL;

  /* 94 entries + MD5 entry + end marker fill 0xC00 exactly */
  add_n_partitions (table, 0, 94);
  with_md5 = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (with_md5), ==, FS_PARTITION_TABLE_MAX_LEN);
  parsed = fs_partition_table_new_from_binary (with_md5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_partition_table_get_n_partitions (parsed), ==, 94);
  g_assert_true (fs_partition_table_get_has_md5 (parsed));

  add_n_partitions (table, 94, 1);
  too_many = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_null (too_many);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "the table has 95 partitions, but only 94 fit in 0xc00 bytes");
  g_clear_error (&error);

  without_md5 = fs_partition_table_to_binary (table, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (without_md5);

  add_n_partitions (table, 95, 1);
  g_assert_null (fs_partition_table_to_binary (table, FALSE, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "the table has 96 partitions, but only 95 fit in 0xc00 bytes");
}

static void
test_csv_factory (void)
{
  g_autoptr(FsPartitionTable) table = parse_csv (factory_csv);
  g_autoptr(FsPartitionTable) again = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *expected = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);
  g_autofree char *csv = NULL;
  g_autofree char *csv_again = NULL;

  assert_factory_table (table);
  g_assert_false (fs_partition_table_get_has_md5 (table));

  binary = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (binary, NULL), g_bytes_get_size (binary),
                   expected, FS_PARTITION_TABLE_MAX_LEN);

  again = fs_partition_table_new_from_binary (binary, &error);
  g_assert_no_error (error);
  csv = fs_partition_table_to_csv (again);
  g_assert_cmpstr (csv, ==, factory_csv_out);

  g_clear_object (&again);
  again = parse_csv (csv);
  csv_again = fs_partition_table_to_csv (again);
  g_assert_cmpstr (csv_again, ==, csv);
}

static void
test_csv_round_trip (void)
{
  static const char text[] =
    "# Name, Type, SubType, Offset, Size, Flags\n"
    "nvs, data, nvs, 0x9000, 0x4000\n"
    "otadata, data, ota, 0xd000, 0x2000\n"
    "phy_init, data, phy, 0xf000, 0x1000\n"
    "ota_0, app, ota_0, 0x10000, 0x180000\n"
    "ota_1, app, ota_1, 0x190000, 0x180000, encrypted\n"
    "keys, data, nvs_keys, 0x310000, 0x1000, encrypted:readonly\n"
    "custom, 0x40, 0x12, 0x320000, 0x1000, readonly\n"
    "raw, data, 0x99, 0x321000, 0x1000\n"
    "tests, app, test, 0x330000, 0x10000\n"
    "odd, app, 0x21, 0x340000, 0x10000\n"
    "end, 0xff, 0x06, 0x350000, 0x1000\n";
  g_autoptr(FsPartitionTable) table = parse_csv (text);
  g_autoptr(FsPartitionTable) again = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  g_assert_cmpuint (fs_partition_table_get_n_partitions (table), ==, 11);
  assert_partition (fs_partition_table_get_partition (table, 6), "custom", 0x40, 0x12, 0x320000, 0x1000,
                    FS_PARTITION_FLAG_READONLY);
  binary = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  again = fs_partition_table_new_from_binary (binary, &error);
  g_assert_no_error (error);
  csv = fs_partition_table_to_csv (again);
  g_assert_cmpstr (csv, ==, text);
}

static void
test_csv_auto_offsets (void)
{
  /* ESP-IDF's partitions_two_ota.csv with every offset left blank */
  g_autoptr(FsPartitionTable) ota = parse_csv (
    "nvs,      data, nvs,     ,        0x4000,\n"
    "otadata,  data, ota,     ,        0x2000,\n"
    "phy_init, data, phy,     ,        0x1000,\n"
    "factory,  app,  factory, ,        1M,\n"
    "ota_0,    app,  ota_0,   ,        1M,\n"
    "ota_1,    app,  ota_1,   ,        1M,\n");
  g_autoptr(FsPartitionTable) mixed = parse_csv (
    "nvs,      data, nvs,     ,        0x6000\n"
    "factory,  app,  factory, ,        0x101000\n"
    "storage,  data, spiffs,  ,        0x1800\n"
    "after,    data, fat,     ,        4K\n"
    "fixed,    data, nvs,     0x400000, 4K\n"
    "custom,   0x40, 0,       ,        4K\n"
    "late,     app,  ota_0,   ,        64K\n");

  assert_partition (fs_partition_table_get_partition (ota, 0), "nvs", 0x01, 0x02, 0x9000, 0x4000, 0);
  assert_partition (fs_partition_table_get_partition (ota, 1), "otadata", 0x01, 0x00, 0xD000, 0x2000, 0);
  assert_partition (fs_partition_table_get_partition (ota, 2), "phy_init", 0x01, 0x01, 0xF000, 0x1000, 0);
  assert_partition (fs_partition_table_get_partition (ota, 3), "factory", 0x00, 0x00, 0x10000, 0x100000, 0);
  assert_partition (fs_partition_table_get_partition (ota, 4), "ota_0", 0x00, 0x10, 0x110000, 0x100000, 0);
  assert_partition (fs_partition_table_get_partition (ota, 5), "ota_1", 0x00, 0x11, 0x210000, 0x100000, 0);

  /* Apps round up to 64 KiB, data and custom types to 4 KiB, each from
   * the end of the partition before, given or placed */
  assert_partition (fs_partition_table_get_partition (mixed, 0), "nvs", 0x01, 0x02, 0x9000, 0x6000, 0);
  assert_partition (fs_partition_table_get_partition (mixed, 1), "factory", 0x00, 0x00, 0x10000, 0x101000, 0);
  assert_partition (fs_partition_table_get_partition (mixed, 2), "storage", 0x01, 0x82, 0x111000, 0x1800, 0);
  assert_partition (fs_partition_table_get_partition (mixed, 3), "after", 0x01, 0x81, 0x113000, 0x1000, 0);
  assert_partition (fs_partition_table_get_partition (mixed, 4), "fixed", 0x01, 0x02, 0x400000, 0x1000, 0);
  assert_partition (fs_partition_table_get_partition (mixed, 5), "custom", 0x40, 0x00, 0x401000, 0x1000, 0);
  assert_partition (fs_partition_table_get_partition (mixed, 6), "late", 0x00, 0x10, 0x410000, 0x10000, 0);
}

static void
test_csv_syntax (void)
{
  /* CRLF, a byte order mark, comments, blank lines, spaces everywhere */
  static const char text[] =
    "\xEF\xBB\xBF# Name, Type, SubType, Offset, Size, Flags\r\n"
    "\r\n"
    "   # indented comment, app, factory\r\n"
    "  nvs  ,DATA,NVS,0x9000,24K,  \r\n"
    "\t\r\n"
    "keys,data,nvs_keys,0xf000,0x1000, Encrypted : READONLY :\r\n"
    "empty_sub,data,,0x10000,4K\r\n"
    "numbers,1,2,36864,4096,readonly";
  g_autoptr(FsPartitionTable) table = parse_csv (text);

  g_assert_cmpuint (fs_partition_table_get_n_partitions (table), ==, 4);
  assert_partition (fs_partition_table_get_partition (table, 0), "nvs", 0x01, 0x02, 0x9000, 0x6000, 0);
  assert_partition (fs_partition_table_get_partition (table, 1), "keys", 0x01, 0x04, 0xF000, 0x1000, 0x03);
  assert_partition (fs_partition_table_get_partition (table, 2), "empty_sub", 0x01, 0x06, 0x10000, 0x1000, 0);
  assert_partition (fs_partition_table_get_partition (table, 3), "numbers", 0x01, 0x02, 0x9000, 0x1000, 0x02);
}

static void
test_csv_empty (void)
{
  g_autoptr(FsPartitionTable) empty = parse_csv ("");
  g_autoptr(FsPartitionTable) null_text = fs_partition_table_new_from_csv (NULL, 0, NULL);
  g_autoptr(FsPartitionTable) comments = parse_csv ("# Name, Type, SubType, Offset, Size, Flags\n\n");
  g_autofree char *csv = fs_partition_table_to_csv (comments);

  g_assert_cmpuint (fs_partition_table_get_n_partitions (empty), ==, 0);
  g_assert_cmpuint (fs_partition_table_get_n_partitions (null_text), ==, 0);
  g_assert_cmpuint (fs_partition_table_get_n_partitions (comments), ==, 0);
  g_assert_cmpstr (csv, ==, "# Name, Type, SubType, Offset, Size, Flags\n");
}

static void
assert_csv_error (const char *text,
                  gsize       len,
                  const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_csv (text, len, &error);

  g_assert_null (table);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_csv_errors (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "# Name, Type, SubType, Offset, Size\nnvs, data, nvs, 0x9000, 0x6000\n\nfoo, foo, nvs, , 4K\n",
      "line 4: “foo” is not a partition type (app, data or a number up to 0xFF)" },
    { "a, , nvs, 0x9000, 4K", "line 1: “” is not a partition type (app, data or a number up to 0xFF)" },
    { "a, 256, 0, 0x9000, 4K", "line 1: “256” is not a partition type (app, data or a number up to 0xFF)" },
    { "a, data, bogus, 0x9000, 4K", "line 1: “bogus” is not a subtype of the type “data”" },
    { "a, app, nvs, 0x10000, 1M", "line 1: “nvs” is not a subtype of the type “app”" },
    { "a, 0x40, nvs, 0x9000, 4K", "line 1: “nvs” is not a subtype of the type “0x40”" },
    { "a, app, , 0x10000, 1M", "line 1: an app partition needs a subtype" },
    { "a, data, nvs, 0x9000", "line 1: 4 fields instead of 5 or 6 (name, type, subtype, offset, size, flags)" },
    { "a, data, nvs, 0x9000, 4K, , x", "line 1: 7 fields instead of 5 or 6 (name, type, subtype, offset, size, flags)" },
    { "a", "line 1: 1 field instead of 5 or 6 (name, type, subtype, offset, size, flags)" },
    { "0123456789abcdefg, data, nvs, 0x9000, 4K", "line 1: the name “0123456789abcdefg” is longer than 16 bytes" },
    { "a, data, nvs, zz, 4K", "line 1: “zz” is not a size (examples: 4096, 0x1000, 16K, 1M)" },
    { "a, data, nvs, 0x9000, ", "line 1: “” is not a size (examples: 4096, 0x1000, 16K, 1M)" },
    { "a, data, nvs, 0x9000, -4K", "line 1: “-4K” is not a size (examples: 4096, 0x1000, 16K, 1M)" },
    { "a, data, nvs, 0x100000000, 4K", "line 1: “0x100000000” is beyond the 4 GiB a partition table can address" },
    { "a, data, nvs, 0x9000, 4096M", "line 1: “4096M” is beyond the 4 GiB a partition table can address" },
    { "a, data, nvs, 0xfffff000, 8K\nb, data, nvs, , 4K",
      "line 2: no offset is given and the partitions before end beyond 4 GiB" },
    { "a, data, nvs, 0x9000, 4K, foo", "line 1: “foo” is not a partition flag (encrypted, readonly)" },
    { "a, data, nvs, 0x9000, 4K, encrypted readonly",
      "line 1: “encrypted readonly” is not a partition flag (encrypted, readonly)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_csv_error (cases[i].text, strlen (cases[i].text), cases[i].message);
}

static void
test_csv_not_text (void)
{
  static const char latin1[] = "nvs, data, nvs, 0x9000, 4K\n\n# caf\xE9\n";
  static const char nul[] = "nvs, data, nvs, 0x9000, 4K\nphy\0, data, phy, , 4K\n";

  assert_csv_error (latin1, sizeof (latin1) - 1, "line 3 is not valid UTF-8 text");
  assert_csv_error (nul, sizeof (nul) - 1, "line 2 is not valid UTF-8 text");
}

static void
test_from_data (void)
{
  g_autofree guint8 *binary = factory_binary (TRUE, FS_PARTITION_TABLE_MAX_LEN);
  g_autofree guint8 *erased = g_malloc (4096);
  g_autoptr(GBytes) binary_bytes = g_bytes_new (binary, FS_PARTITION_TABLE_MAX_LEN);
  g_autoptr(GBytes) csv_bytes = g_bytes_new_static (factory_csv, sizeof (factory_csv) - 1);
  g_autoptr(GBytes) erased_bytes = NULL;
  g_autoptr(GBytes) md5_only_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) from_binary = fs_partition_table_new_from_data (binary_bytes, &error);
  g_autoptr(FsPartitionTable) from_csv = NULL;
  g_autoptr(FsPartitionTable) from_erased = NULL;
  g_autoptr(FsPartitionTable) from_md5_only = NULL;
  g_autoptr(FsPartitionTable) empty = fs_partition_table_new ();

  g_assert_no_error (error);
  assert_factory_table (from_binary);
  g_assert_true (fs_partition_table_get_has_md5 (from_binary));

  from_csv = fs_partition_table_new_from_data (csv_bytes, &error);
  g_assert_no_error (error);
  assert_factory_table (from_csv);
  g_assert_false (fs_partition_table_get_has_md5 (from_csv));

  memset (erased, 0xFF, 4096);
  erased_bytes = g_bytes_new (erased, 4096);
  from_erased = fs_partition_table_new_from_data (erased_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_partition_table_get_n_partitions (from_erased), ==, 0);

  md5_only_bytes = fs_partition_table_to_binary (empty, TRUE, &error);
  g_assert_no_error (error);
  from_md5_only = fs_partition_table_new_from_data (md5_only_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_partition_table_get_n_partitions (from_md5_only), ==, 0);
  g_assert_true (fs_partition_table_get_has_md5 (from_md5_only));
}

static void
test_getters (void)
{
  g_autoptr(FsPartitionTable) table = parse_csv (
    "nvs, data, nvs, , 0x4000\n"
    "otadata, data, ota, , 0x2000\n"
    "phy_init, data, phy, , 0x1000\n"
    "ota_0, app, ota_0, , 1M\n"
    "ota_1, app, ota_1, , 1M\n"
    "ota_15, app, ota_15, , 1M\n"
    "tests, app, test, , 1M\n");
  g_autoptr(FsPartitionTable) factory = parse_csv (factory_csv);

  g_assert_cmpuint (fs_partition_table_get_n_ota_slots (table), ==, 3);
  g_assert_cmpuint (fs_partition_table_get_n_ota_slots (factory), ==, 0);
  g_assert_true (fs_partition_table_find (table, "ota_1") == fs_partition_table_get_partition (table, 4));
  g_assert_null (fs_partition_table_find (table, "OTA_1"));
  g_assert_null (fs_partition_table_find (table, "factory"));
  g_assert_true (fs_partition_table_find_by_type (table, 0x01, 0x00) == fs_partition_table_get_partition (table, 1));
  g_assert_true (fs_partition_table_find_by_type (table, 0x00, 0x1F) == fs_partition_table_get_partition (table, 5));
  g_assert_null (fs_partition_table_find_by_type (table, 0x00, 0x00));
}

static void
assert_problems (GPtrArray         *problems,
                 const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, problems->len); i++)
    {
      FsProblem *problem = g_ptr_array_index (problems, i);
      g_assert_cmpstr (problem->message, ==, expected[i]);
    }
  g_assert_cmpuint (problems->len, ==, n);
}

static GPtrArray *
validate_csv (const char *text,
              guint64     flash_size)
{
  g_autoptr(FsPartitionTable) table = parse_csv (text);

  return fs_partition_table_validate (table, flash_size);
}

static void
test_validate_clean (void)
{
  g_autoptr(GPtrArray) factory = validate_csv (factory_csv, 4 * 1024 * 1024);
  g_autoptr(GPtrArray) ota = validate_csv (
    "nvs, data, nvs, , 0x4000\n"
    "otadata, data, ota, , 0x2000\n"
    "phy_init, data, phy, , 0x1000\n"
    "ota_0, app, ota_0, , 1M\n"
    "ota_1, app, ota_1, , 1M\n"
    "custom, 0x40, 0, , 4K\n"
    "last, 0xfe, 0xff, , 4K\n", 4 * 1024 * 1024);
  g_autoptr(FsPartitionTable) empty = fs_partition_table_new ();
  g_autoptr(GPtrArray) none = fs_partition_table_validate (empty, 0);

  g_assert_cmpuint (factory->len, ==, 0);
  g_assert_cmpuint (ota->len, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_validate_own_checks (void)
{
  static const struct { const char *csv; const char *problems[4]; } cases[] = {
    { "boot, data, nvs, 0x8000, 0x1000",
      { "“boot” starts at 0x008000, over the bootloader and the partition table (partitions start at 0x9000 or later)" } },
    { "a, 0x02, 0, 0x9000, 4K",
      { "“a” has the type 0x02, which is reserved (use app, data or 0x40–0xFE)" } },
    { "a, 0x3f, 0, 0x9000, 4K",
      { "“a” has the type 0x3f, which is reserved (use app, data or 0x40–0xFE)" } },
    { "a, 0xff, 0, 0x9000, 4K",
      { "“a” has the type 0xff, which is reserved (use app, data or 0x40–0xFE)" } },
    { "a, app, 0x01, 0x10000, 64K",
      { "“a” is an app with the subtype 0x01, which is not factory, ota_0–ota_15 or test" } },
    { "a, app, 0x21, 0x10000, 64K",
      { "“a” is an app with the subtype 0x21, which is not factory, ota_0–ota_15 or test" } },
    { "otadata, data, ota, 0x9000, 0x2000\nota2, data, ota, 0xb000, 0x2000\nota3, data, ota, 0xd000, 0x2000",
      { "“ota2” is a second otadata partition after “otadata”; a table can have only one",
        "“ota3” is a second otadata partition after “otadata”; a table can have only one" } },
    { "otadata, data, ota, 0x9000, 0x1000",
      { "“otadata” is an otadata partition of 0x1000 bytes, but otadata must be 0x2000 bytes" } },
    { "ota_0, app, ota_0, 0x10000, 1M",
      { "The table has 1 OTA app slot but no otadata partition to choose it" } },
    { "ota_0, app, ota_0, 0x10000, 1M\nota_1, app, ota_1, , 1M",
      { "The table has 2 OTA app slots but no otadata partition to choose between them" } },
    { ", data, nvs, 0x9000, 4K\nnamed, data, nvs, , 4K\n, data, nvs, , 4K",
      { "Partition 1 (at 0x009000) has no name",
        "Partition 3 (at 0x00b000) has no name",
        "“” is used as a name twice" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = validate_csv (cases[i].csv, 0);
      assert_problems (problems, cases[i].problems);
    }
}

static void
test_validate_regions (void)
{
  /* The checks fs_regions_check makes, with the partitions' alignments */
  static const struct { const char *csv; guint64 flash_size; const char *problems[3]; } cases[] = {
    { "a, app, factory, 0x18000, 64K",
      0, { "“a” starts at 0x018000, which is not a multiple of 0x10000" } },
    { "a, data, nvs, 0x9800, 4K",
      0, { "“a” starts at 0x009800, which is not a multiple of 0x1000" } },
    { "a, 0x40, 0, 0xa000, 4K",
      0, { NULL } },
    { "a, app, factory, 0x10000, 0x10800",
      0, { "“a” has a size of 0x10800, which is not a multiple of 0x1000" } },
    { "a, data, nvs, 0x9000, 0",
      0, { "“a” has a size of zero" } },
    { "a, data, nvs, 0x9000, 0x6000\nb, data, phy, 0xe000, 0x2000",
      0, { "“b” (0x00e000–0x010000) overlaps “a” (0x009000–0x00f000)" } },
    { "a, app, factory, 0x10000, 4M",
      4 * 1024 * 1024, { "“a” ends at 0x410000, beyond the end of the 4 MiB flash" } },
    { "a, data, nvs, 0x9000, 4K\na, data, nvs, 0xa000, 4K",
      0, { "“a” is used as a name twice" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = validate_csv (cases[i].csv, cases[i].flash_size);
      assert_problems (problems, cases[i].problems);
    }
}

static void
test_validate_too_many (void)
{
  g_autoptr(FsPartitionTable) table = fs_partition_table_new ();
  g_autoptr(GPtrArray) fits = NULL;
  g_autoptr(GPtrArray) too_many = NULL;
  const char *const expected[] = {
    "The table has 95 partitions, but only 94 fit in 0xc00 bytes with the MD5 checksum", NULL
  };

  add_n_partitions (table, 0, 94);
  fits = fs_partition_table_validate (table, 0);
  g_assert_cmpuint (fits->len, ==, 0);

  add_n_partitions (table, 94, 1);
  too_many = fs_partition_table_validate (table, 0);
  assert_problems (too_many, expected);
}

static void
test_validate_subjects (void)
{
  g_autoptr(GPtrArray) problems = validate_csv ("boot, data, nvs, 0x8000, 4K\n"
                                                "ota_0, app, ota_0, 0x10000, 1M\n"
                                                ", data, nvs, 0x200000, 4K\n", 0);

  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_cmpstr (((FsProblem *) g_ptr_array_index (problems, 0))->subject, ==, "boot");
  g_assert_null (((FsProblem *) g_ptr_array_index (problems, 1))->subject);
  g_assert_null (((FsProblem *) g_ptr_array_index (problems, 2))->subject);
}

static void
test_equal (void)
{
  g_autoptr(FsPartitionTable) a = parse_csv (factory_csv);
  g_autoptr(FsPartitionTable) b = parse_csv (factory_csv);
  g_autoptr(FsPartitionTable) fewer = fs_partition_table_new ();
  FsPartition changed = *fs_partition_table_get_partition (b, 1);

  g_assert_true (fs_partition_table_equal (a, b));
  g_assert_true (fs_partition_equal (fs_partition_table_get_partition (a, 1), &changed));
  changed.flags = FS_PARTITION_FLAG_READONLY;
  g_assert_false (fs_partition_equal (fs_partition_table_get_partition (a, 1), &changed));

  fs_partition_table_add (fewer, fs_partition_table_get_partition (a, 0));
  g_assert_false (fs_partition_table_equal (a, fewer));
  fs_partition_table_add (fewer, &changed);
  fs_partition_table_add (fewer, fs_partition_table_get_partition (a, 2));
  g_assert_false (fs_partition_table_equal (a, fewer));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/partition-table/names", test_names);
  g_test_add_func ("/partition-table/type-from-string", test_type_from_string);
  g_test_add_func ("/partition-table/subtype-from-string", test_subtype_from_string);
  g_test_add_func ("/partition-table/binary/factory-write", test_binary_factory_write);
  g_test_add_func ("/partition-table/binary/factory-read", test_binary_factory_read);
  g_test_add_func ("/partition-table/binary/without-md5", test_binary_without_md5);
  g_test_add_func ("/partition-table/binary/sector", test_binary_sector);
  g_test_add_func ("/partition-table/binary/short-input", test_binary_short_input);
  g_test_add_func ("/partition-table/binary/wrong-md5", test_binary_wrong_md5);
  g_test_add_func ("/partition-table/binary/bad-magic", test_binary_bad_magic);
  g_test_add_func ("/partition-table/binary/cut-short", test_binary_cut_short);
  g_test_add_func ("/partition-table/binary/after-md5", test_binary_after_md5);
  g_test_add_func ("/partition-table/binary/bad-label", test_binary_bad_label);
  g_test_add_func ("/partition-table/binary/label-16", test_binary_label_16);
  g_test_add_func ("/partition-table/binary/too-many", test_binary_too_many);
  g_test_add_func ("/partition-table/csv/factory", test_csv_factory);
  g_test_add_func ("/partition-table/csv/round-trip", test_csv_round_trip);
  g_test_add_func ("/partition-table/csv/auto-offsets", test_csv_auto_offsets);
  g_test_add_func ("/partition-table/csv/syntax", test_csv_syntax);
  g_test_add_func ("/partition-table/csv/empty", test_csv_empty);
  g_test_add_func ("/partition-table/csv/errors", test_csv_errors);
  g_test_add_func ("/partition-table/csv/not-text", test_csv_not_text);
  g_test_add_func ("/partition-table/from-data", test_from_data);
  g_test_add_func ("/partition-table/getters", test_getters);
  g_test_add_func ("/partition-table/validate/clean", test_validate_clean);
  g_test_add_func ("/partition-table/validate/own-checks", test_validate_own_checks);
  g_test_add_func ("/partition-table/validate/regions", test_validate_regions);
  g_test_add_func ("/partition-table/validate/too-many", test_validate_too_many);
  g_test_add_func ("/partition-table/validate/subjects", test_validate_subjects);
  g_test_add_func ("/partition-table/equal", test_equal);

  return g_test_run ();
}
