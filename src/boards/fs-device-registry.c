/* fs-device-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>

#include "fs-device-registry.h"
#include "fs-error.h"
#include "fs-flash.h"

#define RECORD_SUFFIX ".json"

struct _FsDeviceRegistry
{
  GObject  parent_instance;

  char    *dir;
};

G_DEFINE_FINAL_TYPE (FsDeviceRegistry, fs_device_registry, G_TYPE_OBJECT)

static void
fs_device_registry_finalize (GObject *object)
{
  FsDeviceRegistry *self = FS_DEVICE_REGISTRY (object);

  g_free (self->dir);

  G_OBJECT_CLASS (fs_device_registry_parent_class)->finalize (object);
}

static void
fs_device_registry_class_init (FsDeviceRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_device_registry_finalize;
}

static void
fs_device_registry_init (FsDeviceRegistry *self)
{
}

FsDeviceRegistry *
fs_device_registry_new (const char *dir)
{
  FsDeviceRegistry *self = g_object_new (FS_TYPE_DEVICE_REGISTRY, NULL);

  if (dir != NULL)
    self->dir = g_strdup (dir);
  else
    self->dir = g_build_filename (g_get_user_data_dir (), "flash-studio", "devices", NULL);
  return self;
}

const char *
fs_device_registry_get_dir (FsDeviceRegistry *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (self), NULL);
  return self->dir;
}

/* "24-0a-c4-12-34-56": ':' is awkward in file names on other systems and
 * in shells */
static char *
file_stem (const char *mac)
{
  return g_strdelimit (g_strdup (mac), ":", '-');
}

static char *
record_path (FsDeviceRegistry *self,
             const char       *mac,
             const char       *suffix)
{
  g_autofree char *stem = file_stem (mac);
  g_autofree char *name = g_strconcat (stem, suffix, NULL);

  return g_build_filename (self->dir, name, NULL);
}

static gboolean
make_dir (const char  *dir,
          GError     **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FS_ERROR, saved_errno == EACCES ? FS_ERROR_PERMISSION_DENIED : FS_ERROR_FAILED,
                   _("Could not make the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* The record's lock, held until the returned descriptor is closed. Each
 * call opens the file anew: flock() then also keeps threads of one
 * process apart, not only processes. */
static int
lock_record (FsDeviceRegistry  *self,
             const char        *mac,
             GError           **error)
{
  g_autofree char *path = record_path (self, mac, ".lock");
  int fd;

  if (!make_dir (self->dir, error))
    return -1;
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, FS_ERROR, saved_errno == EACCES ? FS_ERROR_PERMISSION_DENIED : FS_ERROR_FAILED,
                   _("Could not open the lock file %s: %s"), path, g_strerror (saved_errno));
      return -1;
    }
  while (flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      g_close (fd, NULL);
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   _("Could not lock %s: %s"), path, g_strerror (saved_errno));
      return -1;
    }
  return fd;
}

static void
unlock_record (int fd)
{
  /* Closing drops the lock; the lock file stays, so that every writer
   * locks the same inode */
  g_close (fd, NULL);
}

static FsDeviceRecord *
load_file (const char  *path,
           const char  *mac,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(FsDeviceRecord) record = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("There is no record of the board %s"), mac);
      else
        g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, local_error->message);
      return NULL;
    }
  record = fs_device_record_new_from_data (data, len, path, error);
  if (record == NULL)
    return NULL;
  if (!g_str_equal (fs_device_record_get_mac (record), mac))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s: mac: “%s” is not the board the file is named after (%s)"),
                   path, fs_device_record_get_mac (record), mac);
      return NULL;
    }
  return g_steal_pointer (&record);
}

FsDeviceRecord *
fs_device_registry_load (FsDeviceRegistry  *self,
                         const char        *mac,
                         GError           **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (self), NULL);
  g_return_val_if_fail (fs_device_mac_is_valid (mac), NULL);

  /* No lock: writers replace the file by a rename, so it is whole */
  path = record_path (self, mac, RECORD_SUFFIX);
  return load_file (path, mac, error);
}

static gboolean
write_record (FsDeviceRegistry  *self,
              FsDeviceRecord    *record,
              GError           **error)
{
  g_autofree char *path = record_path (self, fs_device_record_get_mac (record), RECORD_SUFFIX);
  g_autofree char *data = fs_device_record_to_data (record);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_device_registry_save (FsDeviceRegistry  *self,
                         FsDeviceRecord    *record,
                         GError           **error)
{
  gboolean ok;
  int lock;

  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (self), FALSE);
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (record), FALSE);

  lock = lock_record (self, fs_device_record_get_mac (record), error);
  if (lock < 0)
    return FALSE;
  ok = write_record (self, record, error);
  unlock_record (lock);
  return ok;
}

static gboolean
update_locked (FsDeviceRegistry    *self,
               const char          *mac,
               FsDeviceUpdateFunc   func,
               gpointer             user_data,
               GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(FsDeviceRecord) record = fs_device_registry_load (self, mac, &local_error);

  if (record == NULL && g_error_matches (local_error, FS_ERROR, FS_ERROR_NOT_FOUND))
    record = fs_device_record_new (mac);
  else if (record == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!func (record, user_data, error))
    return FALSE;
  return write_record (self, record, error);
}

gboolean
fs_device_registry_update (FsDeviceRegistry    *self,
                           const char          *mac,
                           FsDeviceUpdateFunc   func,
                           gpointer             user_data,
                           GError             **error)
{
  gboolean ok;
  int lock;

  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (self), FALSE);
  g_return_val_if_fail (fs_device_mac_is_valid (mac), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  lock = lock_record (self, mac, error);
  if (lock < 0)
    return FALSE;
  ok = update_locked (self, mac, func, user_data, error);
  unlock_record (lock);
  return ok;
}

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  FsDeviceRecord *record_a = *(FsDeviceRecord **) a;
  FsDeviceRecord *record_b = *(FsDeviceRecord **) b;
  const char *nick_a = fs_device_record_get_nickname (record_a);
  const char *nick_b = fs_device_record_get_nickname (record_b);

  /* Named boards first, by name */
  if (nick_a != NULL && nick_b != NULL && g_utf8_collate (nick_a, nick_b) != 0)
    return g_utf8_collate (nick_a, nick_b);
  if ((nick_a == NULL) != (nick_b == NULL))
    return nick_a == NULL ? 1 : -1;
  return strcmp (fs_device_record_get_mac (record_a), fs_device_record_get_mac (record_b));
}

/* The MAC a record's file name stands for, or NULL */
static char *
mac_from_file_name (const char *name)
{
  g_autofree char *mac = NULL;

  if (!g_str_has_suffix (name, RECORD_SUFFIX))
    return NULL;
  mac = g_strndup (name, strlen (name) - strlen (RECORD_SUFFIX));
  g_strdelimit (mac, "-", ':');
  return fs_device_mac_is_valid (mac) ? g_steal_pointer (&mac) : NULL;
}

GPtrArray *
fs_device_registry_list (FsDeviceRegistry  *self,
                         GPtrArray        **problems,
                         GError           **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) found = fs_problems_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (self), NULL);

  dir = g_dir_open (self->dir, 0, &local_error);
  if (dir == NULL && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, local_error->message);
      return NULL;
    }
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, name, NULL);
      g_autofree char *mac = mac_from_file_name (name);
      g_autoptr(GError) load_error = NULL;
      FsDeviceRecord *record;

      if (!g_str_has_suffix (name, RECORD_SUFFIX))
        continue;
      if (mac == NULL)
        {
          g_ptr_array_add (found, fs_problem_new (path, _("%s: the name is not a board's MAC such as "
                                                          "“24-0a-c4-12-34-56.json”"), path));
          continue;
        }
      record = load_file (path, mac, &load_error);
      if (record == NULL)
        g_ptr_array_add (found, fs_problem_new (path, "%s", load_error->message));
      else
        g_ptr_array_add (records, record);
    }

  g_ptr_array_sort (records, compare_records);
  if (problems != NULL)
    *problems = g_steal_pointer (&found);
  return g_steal_pointer (&records);
}

char *
fs_device_registry_dup_files_dir (FsDeviceRegistry  *self,
                                  const char        *mac,
                                  const char        *name,
                                  GError           **error)
{
  g_autofree char *stem = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (self), NULL);
  g_return_val_if_fail (fs_device_mac_is_valid (mac), NULL);
  g_return_val_if_fail (name != NULL && strchr (name, '/') == NULL, NULL);

  stem = file_stem (mac);
  dir = g_build_filename (self->dir, stem, name, NULL);
  if (!make_dir (dir, error))
    return NULL;
  return g_steal_pointer (&dir);
}

char *
fs_device_registry_new_backup_path (FsDeviceRegistry  *self,
                                    const char        *mac,
                                    GError           **error)
{
  g_autofree char *stem = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (self), NULL);
  g_return_val_if_fail (fs_device_mac_is_valid (mac), NULL);

  stem = file_stem (mac);
  dir = g_build_filename (self->dir, stem, "backups", NULL);
  if (!make_dir (dir, error))
    return NULL;
  when = g_date_time_format (now, "%Y%m%d-%H%M%S");
  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("flash-%s.bin", when)
                                     : g_strdup_printf ("flash-%s-%u.bin", when, n);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
}
