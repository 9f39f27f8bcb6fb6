/* fuzz-layout.c: layout files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "fs-layout.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FsLayout) layout = fs_layout_new_from_data ((const char *) data, size, "fuzz.layout", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(FsPartitionTable) table = NULL;
  g_autoptr(GBytes) binary = NULL;

  if (layout == NULL)
    return 0;

  problems = fs_layout_validate (layout);
  for (guint i = 1; i < fs_layout_get_n_regions (layout); i++)
    g_assert (fs_layout_get_region (layout, i - 1)->offset <= fs_layout_get_region (layout, i)->offset);

  /* A sound layout must give a table that survives the round trip */
  table = fs_layout_to_partition_table (layout);
  binary = fs_partition_table_to_binary (table, TRUE, NULL);
  if (problems->len == 0 && binary != NULL)
    {
      g_autoptr(FsPartitionTable) reparsed = fs_partition_table_new_from_binary (binary, NULL);
      g_assert (reparsed != NULL);
      g_assert (fs_partition_table_get_n_partitions (reparsed) == fs_partition_table_get_n_partitions (table));
    }
  return 0;
}
