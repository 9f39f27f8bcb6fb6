/* fuzz-partition-table-binary.c: binary partition tables as read from flash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-partition-table.h"
#include "fuzz.h"

#define KNOWN_FLAGS (FS_PARTITION_FLAG_ENCRYPTED | FS_PARTITION_FLAG_READONLY)

/* Whether to_csv can say this label so that the CSV reader gets it back */
static gboolean
label_fits_csv (const char *label)
{
  gsize len = strlen (label);

  if (len > 0 && (g_ascii_isspace (label[0]) || g_ascii_isspace (label[len - 1]) || label[0] == '#'))
    return FALSE;
  return strpbrk (label, ",\n") == NULL;
}

static void
check_getters (FsPartitionTable *table)
{
  guint n = fs_partition_table_get_n_partitions (table);
  g_autoptr(GPtrArray) problems = fs_partition_table_validate (table, 4 * 1024 * 1024);

  g_assert_cmpuint (n, <=, FS_PARTITION_TABLE_MAX_LEN / FS_PARTITION_ENTRY_SIZE);
  g_assert_cmpuint (fs_partition_table_get_n_ota_slots (table), <=, n);
  for (guint i = 0; i < n; i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);
      const FsPartition *found = fs_partition_table_find (table, partition->label);
      const FsPartition *by_type = fs_partition_table_find_by_type (table, partition->type, partition->subtype);

      g_assert_cmpuint (strlen (partition->label), <=, FS_PARTITION_LABEL_MAX);
      g_assert_true (g_utf8_validate (partition->label, -1, NULL));
      g_assert_nonnull (found);
      g_assert_cmpstr (found->label, ==, partition->label);
      g_assert_nonnull (by_type);
      g_assert_true (by_type <= partition);
      fs_partition_type_to_string (partition->type);
      fs_partition_subtype_to_string (partition->type, partition->subtype);
    }
  for (guint i = 0; i < problems->len; i++)
    g_assert_true (g_utf8_validate (((FsProblem *) g_ptr_array_index (problems, i))->message, -1, NULL));
}

static void
check_csv (FsPartitionTable *table)
{
  g_autofree char *csv = fs_partition_table_to_csv (table);
  g_autoptr(FsPartitionTable) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (csv, -1, NULL));
  /* CSV has no words for unknown flags, nor for some labels */
  for (guint i = 0; i < fs_partition_table_get_n_partitions (table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);
      if (!label_fits_csv (partition->label) || (partition->flags & ~KNOWN_FLAGS) != 0)
        return;
    }
  again = fs_partition_table_new_from_csv (csv, strlen (csv), &error);
  g_assert_no_error (error);
  g_assert_true (fs_partition_table_equal (table, again));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_binary (bytes, NULL);
  g_autoptr(FsPartitionTable) again = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GBytes) binary_again = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_md5;

  if (table == NULL)
    return 0;
  has_md5 = fs_partition_table_get_has_md5 (table);
  check_getters (table);
  check_csv (table);

  binary = fs_partition_table_to_binary (table, has_md5, &error);
  if (binary == NULL)
    {
      /* Only a full table without room for the end marker is refused */
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
      g_assert_cmpuint ((fs_partition_table_get_n_partitions (table) + has_md5 + 1) * FS_PARTITION_ENTRY_SIZE,
                        >, FS_PARTITION_TABLE_MAX_LEN);
      return 0;
    }
  g_assert_cmpuint (g_bytes_get_size (binary), ==, FS_PARTITION_TABLE_MAX_LEN);
  again = fs_partition_table_new_from_binary (binary, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_partition_table_get_has_md5 (again), ==, has_md5);
  g_assert_true (fs_partition_table_equal (table, again));

  binary_again = fs_partition_table_to_binary (again, has_md5, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (binary, binary_again));
  return 0;
}
