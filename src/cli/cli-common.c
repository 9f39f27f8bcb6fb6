/* cli-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cli-common.h"
#include "fs-error.h"
#include "fs-flash.h"

GOptionContext *
cli_option_context_new (const char *parameters,
                        const char *summary)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, _(CLI_EXIT_STATUS_HELP));
  return context;
}

gboolean
cli_parse_options (GOptionContext   *context,
                   int              *argc,
                   char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cli_usage_error (context, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
cli_usage_error (GOptionContext *context,
                 const char     *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Try “%s --help” for more information.\n"), g_get_prgname ());
  return CLI_EXIT_USAGE;
}

int
cli_file_error (const char *path,
                const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", path, message);
  return CLI_EXIT_INVALID_INPUT;
}

GBytes *
cli_read_file (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat info;
  gsize len = 0;
  int fd;

  /* Open it ourselves first: GLib's message would repeat the path */
  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0 || fstat (fd, &info) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        g_close (fd, NULL);
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }
  g_close (fd, NULL);

  if (S_ISDIR (info.st_mode))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, _("is a folder, not a file"));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  if (len == 0)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("the file is empty"));
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

gboolean
cli_write_file (const char  *path,
                GBytes      *bytes,
                GError     **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_file_set_contents (path, data != NULL ? data : "", len, error);
}

void
cli_json_member_string (JsonBuilder *builder,
                        const char  *name,
                        const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
cli_json_member_int (JsonBuilder *builder,
                     const char  *name,
                     gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
cli_json_member_bool (JsonBuilder *builder,
                      const char  *name,
                      gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

guint
cli_print_problems (const char *path,
                    GPtrArray  *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const FsProblem *problem = g_ptr_array_index (problems, i);
      g_printerr ("%s: %s\n", path, problem->message);
    }
  return problems->len;
}

char *
cli_format_address (guint64 address)
{
  return g_strdup_printf ("0x%06" G_GINT64_MODIFIER "x", address);
}
