/* standalone-main.c: replays fuzz inputs without libFuzzer
 *
 * Every argument is an input file or a folder of them. Used where clang's
 * libFuzzer is not available, so the corpus still runs under the sanitizers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "fuzz.h"

static gboolean
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
  return TRUE;
}

static gboolean
replay_path (const char *path,
             guint      *n_replayed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      *n_replayed += 1;
      return replay_file (path);
    }

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!replay_path (child, n_replayed))
        return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n_replayed = 0;

  for (int i = 1; i < argc; i++)
    if (!replay_path (argv[i], &n_replayed))
      return 1;
  if (n_replayed == 0)
    {
      g_printerr ("no inputs to replay\n");
      return 1;
    }
  g_print ("replayed %u inputs\n", n_replayed);
  return 0;
}
