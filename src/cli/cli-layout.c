/* cli-layout.c: layout list | show | table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli-common.h"
#include "cli-partition-table.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-layout.h"

#define MAP_WIDTH 64

/* A name of a shipped layout, or the path of a layout file */
static FsLayout *
load_layout (const char  *name_or_path,
             GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  const char *data;

  if (!g_file_test (name_or_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) local_error = NULL;
      FsLayout *layout = fs_layout_new_builtin (name_or_path, &local_error);

      if (layout == NULL && g_error_matches (local_error, FS_ERROR, FS_ERROR_NOT_FOUND))
        g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                     _("no layout of that name, and no such file (“layout list” shows the layouts)"));
      else if (layout == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return layout;
    }

  bytes = cli_read_file (name_or_path, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  return fs_layout_new_from_data (data, len, name_or_path, error);
}

static char
kind_mark (FsRegionKind kind)
{
  static const char marks[] = {
    [FS_REGION_KIND_SYSTEM] = 'S',
    [FS_REGION_KIND_VM] = 'V',
    [FS_REGION_KIND_BYTECODE] = 'B',
    [FS_REGION_KIND_STORAGE] = 'U',
    [FS_REGION_KIND_RESERVED] = 'R',
  };
  return kind < G_N_ELEMENTS (marks) ? marks[kind] : '?';
}

static void
print_row (guint64     start,
           guint64     end,
           const char *id,
           const char *kind,
           const char *title)
{
  g_autofree char *start_text = cli_format_address (start);
  g_autofree char *end_text = cli_format_address (end);
  g_autofree char *size = fs_format_size (end - start);

  g_print ("  %-9s %-9s %-9s %-16s %-9s %s\n", start_text, end_text, size, id, kind, title);
}

/* A bar of the whole flash, about MAP_WIDTH characters: each region (and
 * each unused gap) as wide as its share of the flash, but at least one
 * character so that the small system regions stay visible. */
static guint
bar_columns (guint64 size,
             guint64 flash_size)
{
  return MAX (1, (size * MAP_WIDTH + flash_size / 2) / flash_size);
}

static void
append_marks (GString *bar,
              char     mark,
              guint    n)
{
  while (n-- > 0)
    g_string_append_c (bar, mark);
}

static void
print_bar (FsLayout *layout)
{
  guint64 flash_size = fs_layout_get_flash_size (layout);
  g_autofree char *flash = fs_format_size (flash_size);
  g_autoptr(GString) bar = g_string_new (NULL);
  guint64 position = 0;

  for (guint i = 0; i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (layout, i);

      if (region->offset > position)
        append_marks (bar, '.', bar_columns (region->offset - position, flash_size));
      append_marks (bar, kind_mark (region->kind), bar_columns (region->size, flash_size));
      position = MAX (position, (guint64) region->offset + region->size);
    }
  if (position < flash_size)
    append_marks (bar, '.', bar_columns (flash_size - position, flash_size));

  g_print ("\n  0x0 |%s| %s\n", bar->str, flash);
  g_print (_("       S system  V VM  B bytecode  U user storage  R reserved  . unused\n"));
}

static void
print_layout_text (FsLayout *layout)
{
  g_autofree char *flash = fs_format_size (fs_layout_get_flash_size (layout));
  guint64 position = 0;

  g_print ("%s: %s\n", fs_layout_get_name (layout), fs_layout_get_title (layout));
  g_print (_("Flash: %s\n\n"), flash);
  /* TRANSLATORS: column headings; up to 9 characters keep the columns aligned */
  g_print ("  %-9s %-9s %-9s %-16s %-9s %s\n", _("Start"), _("End"), _("Size"), _("Name"), _("Kind"), _("Content"));

  for (guint i = 0; i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (layout, i);

      if (region->offset > position)
        print_row (position, region->offset, "-", "-", _("(unused)"));
      print_row (region->offset, (guint64) region->offset + region->size, region->id,
                 fs_region_kind_to_string (region->kind), region->title);
      position = MAX (position, (guint64) region->offset + region->size);
    }
  if (position < fs_layout_get_flash_size (layout))
    print_row (position, fs_layout_get_flash_size (layout), "-", "-", _("(unused)"));

  print_bar (layout);

  if (fs_layout_get_note (layout) != NULL)
    g_print (_("\nNote: %s\n"), fs_layout_get_note (layout));
  for (guint i = 0; i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (layout, i);
      if (region->note != NULL)
        g_print (_("Note on %s: %s\n"), region->id, region->note);
    }
}

static void
add_layout_json (JsonBuilder *builder,
                 FsLayout    *layout,
                 GPtrArray   *problems)
{
  json_builder_begin_object (builder);
  cli_json_member_string (builder, "name", fs_layout_get_name (layout));
  cli_json_member_string (builder, "title", fs_layout_get_title (layout));
  cli_json_member_int (builder, "flash_size", fs_layout_get_flash_size (layout));
  cli_json_member_string (builder, "note", fs_layout_get_note (layout));

  json_builder_set_member_name (builder, "regions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (layout, i);

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "id", region->id);
      cli_json_member_string (builder, "title", region->title);
      cli_json_member_string (builder, "kind", fs_region_kind_to_string (region->kind));
      cli_json_member_int (builder, "offset", region->offset);
      cli_json_member_int (builder, "size", region->size);
      json_builder_set_member_name (builder, "slot");
      if (region->slot >= 0)
        json_builder_add_int_value (builder, region->slot);
      else
        json_builder_add_null_value (builder);
      cli_json_member_bool (builder, "in_partition_table", region->in_partition_table);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (problems != NULL)
    {
      json_builder_set_member_name (builder, "problems");
      cli_add_problems_json (builder, problems);
    }
  json_builder_end_object (builder);
}

static int
layout_list (gboolean as_json)
{
  g_auto(GStrv) names = fs_layout_list_builtin ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (as_json)
    json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsLayout) layout = fs_layout_new_builtin (names[i], &error);

      /* Shipped layouts are checked by the tests; this is not the user's fault */
      if (layout == NULL)
        g_error ("%s", error->message);
      if (as_json)
        add_layout_json (builder, layout, NULL);
      else
        g_print ("%-16s %s\n", names[i], fs_layout_get_title (layout));
    }
  if (as_json)
    {
      json_builder_end_array (builder);
      cli_print_json (builder);
    }
  return CLI_EXIT_OK;
}

static int
layout_show (const char *name,
             gboolean    as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = load_layout (name, &error);
  g_autoptr(GPtrArray) problems = NULL;

  if (layout == NULL)
    return cli_file_error (name, "%s", error->message);
  problems = fs_layout_validate (layout);

  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      add_layout_json (builder, layout, problems);
      cli_print_json (builder);
    }
  else
    print_layout_text (layout);

  return cli_print_problems (name, problems) > 0 ? CLI_EXIT_INVALID_INPUT : CLI_EXIT_OK;
}

static int
layout_table (const char     *name,
              const char     *out_path,
              CliTableFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = load_layout (name, &error);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(FsPartitionTable) table = NULL;

  if (layout == NULL)
    return cli_file_error (name, "%s", error->message);
  problems = fs_layout_validate (layout);
  if (cli_print_problems (name, problems) > 0)
    return CLI_EXIT_INVALID_INPUT;

  table = fs_layout_to_partition_table (layout);
  return cli_write_partition_table (table, out_path, format);
}

int
cli_layout (int    argc,
            char **argv)
{
  gboolean as_json = FALSE;
  g_autofree char *out_path = NULL;
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("table: write the partition table to FILE"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table: binary or csv (default: by the name of FILE)"), N_("FORMAT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the facts as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("list | show NAME | table NAME --out FILE"),
                            _("list: the layouts Flash Studio ships.\n"
                              "show: a layout as a text flash map, checked; NAME may also be a layout file.\n"
                              "table: writes the partition table the layout generates."));
  CliTableFormat format;
  const char *action;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    return cli_usage_error (context, _("say list, show or table"));
  if (!cli_parse_table_format (format_text, &format))
    return cli_usage_error (context, _("--format is binary or csv, not “%s”"), format_text);

  action = argv[1];
  if (g_str_equal (action, "list") && argc == 2)
    return layout_list (as_json);
  if (g_str_equal (action, "show") && argc == 3)
    return layout_show (argv[2], as_json);
  if (g_str_equal (action, "table") && argc == 3)
    {
      if (out_path == NULL)
        return cli_usage_error (context, _("layout table needs --out FILE"));
      return layout_table (argv[2], out_path, format);
    }
  return cli_usage_error (context, _("say “list”, “show NAME” or “table NAME --out FILE”"));
}
