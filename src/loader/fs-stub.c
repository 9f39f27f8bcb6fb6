/* fs-stub.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-stub.h"

/* esptool 4.8 and later keep the classic stubs in "1/" (the ones the ROM
 * protocol of Flash Studio speaks) and newer ones in "2/"; earlier
 * versions, and esptool-js before 0.7, name them stub_flasher_32.json. */
static const struct {
  FsChipId    chip;
  const char *name;        /* esptool-js 0.7, esptool "1/" and "2/" */
  const char *old_name;    /* esptool ≤ 4.7, esptool-js ≤ 0.6 */
} stub_names[] = {
  { FS_CHIP_ESP32,    "esp32",   "stub_flasher_32" },
  { FS_CHIP_ESP32_S2, "esp32s2", "stub_flasher_32s2" },
  { FS_CHIP_ESP32_S3, "esp32s3", "stub_flasher_32s3" },
  { FS_CHIP_ESP32_C3, "esp32c3", "stub_flasher_32c3" },
  { FS_CHIP_ESP32_C2, "esp32c2", "stub_flasher_32c2" },
  { FS_CHIP_ESP32_C6, "esp32c6", "stub_flasher_32c6" },
  { FS_CHIP_ESP32_H2, "esp32h2", "stub_flasher_32h2" },
};

/* Where Python packages land, relative to a prefix; "*" is any python3.x */
static const char * const python_dirs[] = {
  "lib/python3*/site-packages",
  "lib/python3*/dist-packages",
  "lib/python3/dist-packages",
};

/* Expands the one "python3*" a pattern may hold, in name order */
static void
add_expanded (GPtrArray  *out,
              const char *prefix,
              const char *pattern)
{
  const char *star = strchr (pattern, '*');
  g_autofree char *parent_rel = NULL;
  g_autofree char *parent = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *rest, *name;

  if (star == NULL)
    {
      g_ptr_array_add (out, g_build_filename (prefix, pattern, NULL));
      return;
    }
  parent_rel = g_path_get_dirname (pattern);
  parent = g_build_filename (prefix, parent_rel, NULL);
  rest = strchr (star, '/');
  dir = g_dir_open (parent, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "python3."))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (out, g_build_filename (parent, g_ptr_array_index (names, i), rest != NULL ? rest + 1 : NULL, NULL));
}

static GPtrArray *
python_site_dirs (void)
{
  g_autofree char *local = g_build_filename (g_get_home_dir (), ".local", NULL);
  g_autofree char *pipx = g_build_filename (g_get_home_dir (), ".local", "pipx", "venvs", "esptool", NULL);
  g_autofree char *idf_envs = g_build_filename (g_get_home_dir (), ".espressif", "python_env", NULL);
  const char *prefixes[] = { local, pipx, "/usr/local", "/usr" };
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) idf = g_dir_open (idf_envs, 0, NULL);
  const char *env;

  for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
    for (guint d = 0; d < G_N_ELEMENTS (python_dirs); d++)
      add_expanded (dirs, prefixes[p], python_dirs[d]);
  /* ESP-IDF's installer keeps esptool in its own environments */
  while (idf != NULL && (env = g_dir_read_name (idf)) != NULL)
    {
      g_autofree char *prefix = g_build_filename (idf_envs, env, NULL);
      add_expanded (dirs, prefix, python_dirs[0]);
    }
  return dirs;
}

static GPtrArray *
npm_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (dirs, g_build_filename (g_get_home_dir (), ".npm-global", "lib", "node_modules", NULL));
  g_ptr_array_add (dirs, g_build_filename (g_get_home_dir (), "node_modules", NULL));
  g_ptr_array_add (dirs, g_strdup ("/usr/local/lib/node_modules"));
  g_ptr_array_add (dirs, g_strdup ("/usr/lib/node_modules"));
  return dirs;
}

static void
add_esptool (GPtrArray  *candidates,
             const char *site,
             const char *name,
             const char *old_name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *old_file = g_strconcat (old_name, ".json", NULL);
  g_autofree char *dir = g_build_filename (site, "esptool", "targets", "stub_flasher", NULL);

  g_ptr_array_add (candidates, g_build_filename (dir, "1", file, NULL));
  g_ptr_array_add (candidates, g_build_filename (dir, old_file, NULL));
  g_ptr_array_add (candidates, g_build_filename (dir, "2", file, NULL));
}

static void
add_esptool_js (GPtrArray  *candidates,
                const char *node_modules,
                const char *name,
                const char *old_name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *old_file = g_strconcat (old_name, ".json", NULL);
  g_autofree char *dir = g_build_filename (node_modules, "esptool-js", "lib", "targets", "stub_flasher", NULL);

  g_ptr_array_add (candidates, g_build_filename (dir, file, NULL));
  g_ptr_array_add (candidates, g_build_filename (dir, old_file, NULL));
}

GPtrArray *
fs_stub_candidates (FsChipId            chip,
                    const char * const *roots)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sites = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  const char *name = NULL, *old_name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (stub_names); i++)
    if (stub_names[i].chip == chip)
      name = stub_names[i].name, old_name = stub_names[i].old_name;
  if (name == NULL)
    return candidates;

  /* A root is a site-packages or a node_modules folder, or holds the
   * JSON files themselves */
  for (guint i = 0; roots != NULL && roots[i] != NULL; i++)
    {
      g_autofree char *file = g_strconcat (name, ".json", NULL);

      g_ptr_array_add (candidates, g_build_filename (roots[i], file, NULL));
      add_esptool (candidates, roots[i], name, old_name);
      add_esptool_js (candidates, roots[i], name, old_name);
    }

  sites = python_site_dirs ();
  for (guint i = 0; i < sites->len; i++)
    add_esptool (candidates, g_ptr_array_index (sites, i), name, old_name);
  modules = npm_dirs ();
  for (guint i = 0; i < modules->len; i++)
    add_esptool_js (candidates, g_ptr_array_index (modules, i), name, old_name);
  return candidates;
}

GBytes *
fs_stub_find (FsChipId            chip,
              const char * const *roots,
              char              **path,
              GError            **error)
{
  g_autoptr(GPtrArray) candidates = fs_stub_candidates (chip, roots);
  g_autofree char *chip_name = fs_chip_describe (chip);

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (candidate, &contents, &len, NULL))
        continue;
      if (path != NULL)
        *path = g_strdup (candidate);
      return g_bytes_new_take (g_steal_pointer (&contents), len);
    }

  g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
               _("no stub loader for the %s is installed: Flash Studio uses esptool's or esptool-js's "
                 "(pip install --user esptool, or npm install -g esptool-js), or the one named with --stub; "
                 "without one it works with the ROM loader, more slowly"),
               chip_name);
  return NULL;
}
