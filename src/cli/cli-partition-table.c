/* cli-partition-table.c: partition-table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cli-common.h"
#include "cli-partition-table.h"
#include "fs-flash.h"
#include "fs-partition-table.h"

static char *
type_text (guint8 type)
{
  const char *name = fs_partition_type_to_string (type);
  return name != NULL ? g_strdup (name) : g_strdup_printf ("0x%02x", type);
}

static char *
subtype_text (guint8 type,
              guint8 subtype)
{
  const char *name = fs_partition_subtype_to_string (type, subtype);
  return name != NULL ? g_strdup (name) : g_strdup_printf ("0x%02x", subtype);
}

static char *
flags_text (guint32 flags)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (flags & FS_PARTITION_FLAG_ENCRYPTED)
    g_strv_builder_add (names, "encrypted");
  if (flags & FS_PARTITION_FLAG_READONLY)
    g_strv_builder_add (names, "readonly");
  strv = g_strv_builder_end (names);
  return g_strjoinv (":", strv);
}

void
cli_print_partition_table (FsPartitionTable *table)
{
  /* TRANSLATORS: column headings; up to 9 characters keep the columns aligned */
  g_print ("  %-16s %-5s %-9s %-9s %-9s %-10s %s\n",
           _("Label"), _("Type"), _("Subtype"), _("Offset"), _("End"), _("Size"), _("Flags"));
  for (guint i = 0; i < fs_partition_table_get_n_partitions (table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);
      g_autofree char *type = type_text (partition->type);
      g_autofree char *subtype = subtype_text (partition->type, partition->subtype);
      g_autofree char *offset = cli_format_address (partition->offset);
      g_autofree char *end = cli_format_address ((guint64) partition->offset + partition->size);
      g_autofree char *size = fs_format_size (partition->size);
      g_autofree char *flags = flags_text (partition->flags);

      g_print ("  %-16s %-5s %-9s %-9s %-9s %-10s %s\n",
               partition->label, type, subtype, offset, end, size, flags);
    }
}

void
cli_add_partition_table_json (JsonBuilder      *builder,
                              FsPartitionTable *table)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < fs_partition_table_get_n_partitions (table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);
      g_autofree char *type = type_text (partition->type);
      g_autofree char *subtype = subtype_text (partition->type, partition->subtype);
      g_autofree char *flags = flags_text (partition->flags);

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "label", partition->label);
      cli_json_member_string (builder, "type", type);
      cli_json_member_string (builder, "subtype", subtype);
      cli_json_member_int (builder, "offset", partition->offset);
      cli_json_member_int (builder, "size", partition->size);
      cli_json_member_string (builder, "flags", flags);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
cli_add_problems_json (JsonBuilder *builder,
                       GPtrArray   *problems)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    {
      const FsProblem *problem = g_ptr_array_index (problems, i);

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "subject", problem->subject);
      cli_json_member_string (builder, "message", problem->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

gboolean
cli_parse_table_format (const char        *text,
                        CliTableFormat    *format)
{
  if (text == NULL)
    *format = CLI_TABLE_FORMAT_AUTO;
  else if (g_str_equal (text, "binary"))
    *format = CLI_TABLE_FORMAT_BINARY;
  else if (g_str_equal (text, "csv"))
    *format = CLI_TABLE_FORMAT_CSV;
  else
    return FALSE;
  return TRUE;
}

/* Writes @table as @format; AUTO picks by the file name: .csv is CSV */
int
cli_write_partition_table (FsPartitionTable *table,
                           const char       *out_path,
                           CliTableFormat    format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (format == CLI_TABLE_FORMAT_AUTO)
    format = g_str_has_suffix (out_path, ".csv") ? CLI_TABLE_FORMAT_CSV : CLI_TABLE_FORMAT_BINARY;

  if (format == CLI_TABLE_FORMAT_CSV)
    {
      char *csv = fs_partition_table_to_csv (table);
      bytes = g_bytes_new_take (csv, strlen (csv));
    }
  else
    {
      bytes = fs_partition_table_to_binary (table, TRUE, &error);
      if (bytes == NULL)
        return cli_file_error (out_path, "%s", error->message);
    }

  if (!cli_write_file (out_path, bytes, &error))
    return cli_file_error (out_path, "%s", error->message);
  return CLI_EXIT_OK;
}

int
cli_partition_table (int    argc,
                     char **argv)
{
  gboolean as_json = FALSE;
  g_autofree char *out_path = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *flash_size_text = NULL;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write the table to FILE (binary, or CSV when FILE ends in .csv)"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("Format of --out: binary or csv"), N_("FORMAT") },
    { "flash-size", 0, 0, G_OPTION_ARG_STRING, &flash_size_text, N_("Check that every partition fits a flash of SIZE (4M, 8M…)"), N_("SIZE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the facts as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("FILE"),
                            _("Shows an ESP-IDF partition table, binary (as at 0x8000) or CSV, and checks it:\n"
                              "alignment, overlaps, size, labels, types. With --out, writes it in either\n"
                              "format; a table with problems is not written."));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsPartitionTable) table = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  CliTableFormat format;
  guint64 flash_size = 0;
  const char *path;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error (context, _("partition-table takes one file"));
  if (!cli_parse_table_format (format_text, &format))
    return cli_usage_error (context, _("--format is binary or csv, not “%s”"), format_text);
  if (flash_size_text != NULL && !fs_parse_size (flash_size_text, &flash_size, &error))
    return cli_usage_error (context, "--flash-size: %s", error->message);

  path = argv[1];
  bytes = cli_read_file (path, &error);
  if (bytes == NULL)
    return cli_file_error (path, "%s", error->message);
  table = fs_partition_table_new_from_data (bytes, &error);
  if (table == NULL)
    return cli_file_error (path, "%s", error->message);
  problems = fs_partition_table_validate (table, flash_size);

  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "file", path);
      json_builder_set_member_name (builder, "has_md5");
      json_builder_add_boolean_value (builder, fs_partition_table_get_has_md5 (table));
      json_builder_set_member_name (builder, "partitions");
      cli_add_partition_table_json (builder, table);
      json_builder_set_member_name (builder, "problems");
      cli_add_problems_json (builder, problems);
      json_builder_end_object (builder);
      cli_print_json (builder);
    }
  else
    {
      g_print (ngettext ("%s: %u partition\n", "%s: %u partitions\n",
                         fs_partition_table_get_n_partitions (table)),
               path, fs_partition_table_get_n_partitions (table));
      cli_print_partition_table (table);
    }

  if (cli_print_problems (path, problems) > 0)
    return CLI_EXIT_INVALID_INPUT;
  if (out_path != NULL)
    return cli_write_partition_table (table, out_path, format);
  return CLI_EXIT_OK;
}
