/* cli-partition-table.h: partition table output shared by the verbs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "fs-partition-table.h"

G_BEGIN_DECLS

typedef enum {
  CLI_TABLE_FORMAT_AUTO,
  CLI_TABLE_FORMAT_BINARY,
  CLI_TABLE_FORMAT_CSV,
} CliTableFormat;

gboolean cli_parse_table_format       (const char       *text,
                                       CliTableFormat   *format);
void     cli_print_partition_table    (FsPartitionTable *table);
void     cli_add_partition_table_json (JsonBuilder      *builder,
                                       FsPartitionTable *table);
void     cli_add_problems_json        (JsonBuilder      *builder,
                                       GPtrArray        *problems);
int      cli_write_partition_table    (FsPartitionTable *table,
                                       const char       *out_path,
                                       CliTableFormat    format);

G_END_DECLS
