/* fs-board-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-board-catalog.h"
#include "fs-flash.h"

#define BOARD_SUFFIX ".board"

struct _FsBoardCatalog
{
  GObject     parent_instance;

  GPtrArray  *profiles;   /* of FsBoardProfile, sorted by name */
  GPtrArray  *problems;   /* of FsProblem */
};

G_DEFINE_FINAL_TYPE (FsBoardCatalog, fs_board_catalog, G_TYPE_OBJECT)

static void
fs_board_catalog_finalize (GObject *object)
{
  FsBoardCatalog *self = FS_BOARD_CATALOG (object);

  g_ptr_array_unref (self->profiles);
  g_ptr_array_unref (self->problems);

  G_OBJECT_CLASS (fs_board_catalog_parent_class)->finalize (object);
}

static void
fs_board_catalog_class_init (FsBoardCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_board_catalog_finalize;
}

static void
fs_board_catalog_init (FsBoardCatalog *self)
{
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = fs_problems_new ();
}

static void
add_problem (FsBoardCatalog *self,
             const char     *path,
             const char     *message)
{
  g_ptr_array_add (self->problems, fs_problem_new (path, "%s", message));
}

static void
load_builtin (FsBoardCatalog *self,
              GHashTable     *by_id)
{
  g_auto(GStrv) ids = fs_board_profile_list_builtin ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      FsBoardProfile *profile = fs_board_profile_new_builtin (ids[i], &error);

      if (profile == NULL)
        {
          g_autofree char *origin = g_strconcat (ids[i], BOARD_SUFFIX, NULL);
          add_problem (self, origin, error->message);
          continue;
        }
      g_hash_table_replace (by_id, (gpointer) fs_board_profile_get_id (profile), profile);
    }
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* In name order, so that which of two files with one id wins does not
 * depend on the file system */
static GPtrArray *
list_board_files (FsBoardCatalog *self,
                  const char     *user_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (user_dir, 0, &error);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      /* Most users never write a profile of their own */
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        add_problem (self, user_dir, error->message);
      return paths;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, BOARD_SUFFIX) && name[0] != '.')
      g_ptr_array_add (paths, g_build_filename (user_dir, name, NULL));
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

static void
load_user_file (FsBoardCatalog *self,
                GHashTable     *by_id,
                GHashTable     *user_ids,
                const char     *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(FsBoardProfile) profile = NULL;
  const char *id, *earlier;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      add_problem (self, path, error->message);
      return;
    }
  profile = fs_board_profile_new_from_data (contents, len, path, &error);
  if (profile == NULL)
    {
      add_problem (self, path, error->message);
      return;
    }

  id = fs_board_profile_get_id (profile);
  earlier = g_hash_table_lookup (user_ids, id);
  if (earlier != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("%s: Id “%s” is already used by %s; this file is skipped"),
                                                  path, id, earlier);
      add_problem (self, path, message);
      return;
    }
  g_hash_table_insert (user_ids, g_strdup (id), g_strdup (path));
  g_hash_table_replace (by_id, (gpointer) id, g_steal_pointer (&profile));
}

static gint
compare_profiles_by_name (gconstpointer a,
                          gconstpointer b)
{
  FsBoardProfile *pa = *(FsBoardProfile **) a;
  FsBoardProfile *pb = *(FsBoardProfile **) b;

  return g_utf8_collate (fs_board_profile_get_name (pa), fs_board_profile_get_name (pb));
}

FsBoardCatalog *
fs_board_catalog_new (const char *user_dir)
{
  FsBoardCatalog *self = g_object_new (FS_TYPE_BOARD_CATALOG, NULL);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autoptr(GHashTable) user_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer profile;

  load_builtin (self, by_id);
  if (user_dir != NULL)
    {
      g_autoptr(GPtrArray) paths = list_board_files (self, user_dir);

      for (guint i = 0; i < paths->len; i++)
        load_user_file (self, by_id, user_ids, g_ptr_array_index (paths, i));
    }

  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &profile))
    g_ptr_array_add (self->profiles, g_object_ref (profile));
  g_ptr_array_sort (self->profiles, compare_profiles_by_name);
  return self;
}

GPtrArray *
fs_board_catalog_get_profiles (FsBoardCatalog *self)
{
  g_return_val_if_fail (FS_IS_BOARD_CATALOG (self), NULL);
  return self->profiles;
}

FsBoardProfile *
fs_board_catalog_lookup (FsBoardCatalog *self,
                         const char     *id)
{
  g_return_val_if_fail (FS_IS_BOARD_CATALOG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      FsBoardProfile *profile = g_ptr_array_index (self->profiles, i);
      if (g_str_equal (fs_board_profile_get_id (profile), id))
        return profile;
    }
  return NULL;
}

GPtrArray *
fs_board_catalog_match_usb (FsBoardCatalog *self,
                            guint16         vid,
                            guint16         pid,
                            const char     *product)
{
  GPtrArray *matches = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (FS_IS_BOARD_CATALOG (self), NULL);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      FsBoardProfile *profile = g_ptr_array_index (self->profiles, i);
      if (fs_board_profile_matches_usb (profile, vid, pid, product))
        g_ptr_array_add (matches, g_object_ref (profile));
    }
  return matches;
}

GPtrArray *
fs_board_catalog_get_problems (FsBoardCatalog *self)
{
  g_return_val_if_fail (FS_IS_BOARD_CATALOG (self), NULL);
  return self->problems;
}
