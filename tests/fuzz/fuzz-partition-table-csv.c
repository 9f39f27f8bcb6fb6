/* fuzz-partition-table-csv.c: ESP-IDF partition table CSV files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-partition-table.h"
#include "fuzz.h"

static void
assert_same_problems (FsPartitionTable *a,
                      FsPartitionTable *b)
{
  g_autoptr(GPtrArray) pa = fs_partition_table_validate (a, 4 * 1024 * 1024);
  g_autoptr(GPtrArray) pb = fs_partition_table_validate (b, 4 * 1024 * 1024);

  g_assert_cmpuint (pa->len, ==, pb->len);
  for (guint i = 0; i < pa->len; i++)
    g_assert_cmpstr (((FsProblem *) g_ptr_array_index (pa, i))->message, ==,
                     ((FsProblem *) g_ptr_array_index (pb, i))->message);
}

static void
check_getters (FsPartitionTable *table)
{
  guint n = fs_partition_table_get_n_partitions (table);

  g_assert_false (fs_partition_table_get_has_md5 (table));
  g_assert_cmpuint (fs_partition_table_get_n_ota_slots (table), <=, n);
  for (guint i = 0; i < n; i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);
      const FsPartition *found = fs_partition_table_find (table, partition->label);

      g_assert_cmpuint (strlen (partition->label), <=, FS_PARTITION_LABEL_MAX);
      g_assert_true (g_utf8_validate (partition->label, -1, NULL));
      g_assert_cmpuint (partition->flags & ~(FS_PARTITION_FLAG_ENCRYPTED | FS_PARTITION_FLAG_READONLY), ==, 0);
      g_assert_nonnull (found);
      g_assert_cmpstr (found->label, ==, partition->label);
      g_assert_nonnull (fs_partition_table_find_by_type (table, partition->type, partition->subtype));
    }
}

static void
check_binary (FsPartitionTable *table,
              gboolean          with_md5)
{
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(FsPartitionTable) again = NULL;
  g_autoptr(GError) error = NULL;

  binary = fs_partition_table_to_binary (table, with_md5, &error);
  if (binary == NULL)
    {
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
      g_assert_cmpuint ((fs_partition_table_get_n_partitions (table) + with_md5 + 1) * FS_PARTITION_ENTRY_SIZE,
                        >, FS_PARTITION_TABLE_MAX_LEN);
      return;
    }
  again = fs_partition_table_new_from_data (binary, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_partition_table_get_has_md5 (again), ==, with_md5);
  g_assert_true (fs_partition_table_equal (table, again));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_csv ((const char *) data, size, NULL);
  g_autoptr(FsPartitionTable) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *csv_again = NULL;

  if (table == NULL)
    return 0;
  check_getters (table);

  /* What it writes, it reads back as it was, offsets now explicit */
  csv = fs_partition_table_to_csv (table);
  again = fs_partition_table_new_from_csv (csv, strlen (csv), &error);
  g_assert_no_error (error);
  g_assert_true (fs_partition_table_equal (table, again));
  assert_same_problems (table, again);
  csv_again = fs_partition_table_to_csv (again);
  g_assert_cmpstr (csv, ==, csv_again);

  check_binary (table, TRUE);
  check_binary (table, FALSE);
  return 0;
}
