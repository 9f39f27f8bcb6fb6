/* flash-studio-make-demo.c: writes the demo firmware package, at build time
 *
 *   flash-studio-make-demo FILE...
 *
 * Each FILE is named as one of the package's files (fs-sim-demo.h); all of
 * them must be asked for, so that the build's list and the package's
 * cannot drift apart. Not installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "fs-sim-demo.h"

/* The part whose file @path names, or NULL */
static const char *
part_for_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char * const *names = fs_sim_demo_get_part_names ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (fs_sim_demo_get_file_name (names[i]), base))
      return names[i];
  return NULL;
}

static gboolean
write_part (const char  *path,
            const char  *name,
            GError     **error)
{
  g_autoptr(GBytes) bytes = fs_sim_demo_build_part (name, error);

  if (bytes == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

int
main (int   argc,
      char *argv[])
{
  guint n_parts = g_strv_length ((char **) fs_sim_demo_get_part_names ());

  if ((guint) argc - 1 != n_parts)
    {
      g_printerr ("usage: %s FILE... (the %u files of the demo package)\n", argv[0], n_parts);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *name = part_for_path (argv[i]);

      if (name == NULL)
        {
          g_printerr ("%s: “%s” is not a file of the demo package\n", argv[0], argv[i]);
          return 2;
        }
      if (!write_part (argv[i], name, &error))
        {
          g_printerr ("%s: %s: %s\n", argv[0], argv[i], error->message);
          return 1;
        }
    }
  return 0;
}
