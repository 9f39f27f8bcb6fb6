/* fs-device-record-json.c: a device record's file, read and written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "fs-device-record-private.h"
#include "fs-error.h"

/* Reading ---------------------------------------------------------------- */

/* "backups[1].md5": where a message points in the file */
static char *
member_path (const char *parent,
             const char *name)
{
  return parent == NULL ? g_strdup (name) : g_strdup_printf ("%s.%s", parent, name);
}

static gboolean
fail (GError     **error,
      const char  *parent,
      const char  *name,
      const char  *problem)
{
  g_autofree char *path = member_path (parent, name);

  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, "%s: %s", path, problem);
  return FALSE;
}

/* The member, or NULL when it is absent or null: then it is an error only
 * when it is @required */
static JsonNode *
get_member (JsonObject  *object,
            const char  *parent,
            const char  *name,
            gboolean     required,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return node;
  if (required)
    fail (error, parent, name, _("required, but missing"));
  return NULL;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* *@out stays NULL when the member is optional and absent */
static gboolean
get_string (JsonObject  *object,
            const char  *parent,
            const char  *name,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = get_member (object, parent, name, required, error);

  if (node == NULL)
    return !required;
  if (!holds (node, G_TYPE_STRING))
    return fail (error, parent, name, _("should be a string"));
  if (json_node_get_string (node)[0] == '\0')
    return fail (error, parent, name, _("should not be empty"));
  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
get_uint (JsonObject  *object,
          const char  *parent,
          const char  *name,
          gboolean     required,
          guint64      max,
          guint64     *out,
          GError     **error)
{
  JsonNode *node = get_member (object, parent, name, required, error);
  gint64 value;

  if (node == NULL)
    return !required;
  if (!holds (node, G_TYPE_INT64))
    return fail (error, parent, name, _("should be a whole number"));
  value = json_node_get_int (node);
  if (value < 0 || (guint64) value > max)
    {
      g_autofree char *problem = g_strdup_printf (_("should be between 0 and %llu"), (unsigned long long) max);
      return fail (error, parent, name, problem);
    }
  *out = value;
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *parent,
          const char  *name,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = get_member (object, parent, name, FALSE, error);

  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_BOOLEAN))
    return fail (error, parent, name, _("should be true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_md5 (JsonObject  *object,
         const char  *parent,
         char       **out,
         GError     **error)
{
  if (!get_string (object, parent, "md5", TRUE, out, error))
    return FALSE;
  if (!fs_device_md5_is_valid (*out))
    return fail (error, parent, "md5", _("should be 32 lowercase hex digits"));
  return TRUE;
}

static gboolean
get_date (JsonObject  *object,
          const char  *parent,
          GDateTime  **out,
          GError     **error)
{
  g_autofree char *text = NULL;

  if (!get_string (object, parent, "date", TRUE, &text, error))
    return FALSE;
  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    return fail (error, parent, "date", _("should be a date such as “2024-05-01T10:00:00Z”"));
  return TRUE;
}

/* Calls @parse_item on each element of the list @name (absent: none),
 * each of which must be an object */
typedef gboolean (*ParseItemFunc) (FsDeviceRecord  *self,
                                   JsonObject      *item,
                                   const char      *path,
                                   GError         **error);

static gboolean
parse_list (FsDeviceRecord  *self,
            JsonObject      *root,
            const char      *name,
            ParseItemFunc    parse_item,
            GError         **error)
{
  JsonNode *node = get_member (root, NULL, name, FALSE, error);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, NULL, name, _("should be a list ([…])"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("%s[%u]", name, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("%s: should be an object ({…})"), path);
          return FALSE;
        }
      if (!parse_item (self, json_node_get_object (element), path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_backup (FsDeviceRecord  *self,
              JsonObject      *item,
              const char      *path,
              GError         **error)
{
  g_autofree char *file = NULL;
  g_autofree char *md5 = NULL;
  g_autoptr(GDateTime) date = NULL;
  guint64 size = 0;

  if (!get_string (item, path, "path", TRUE, &file, error) ||
      !get_md5 (item, path, &md5, error) ||
      !get_date (item, path, &date, error) ||
      !get_uint (item, path, "size", TRUE, G_MAXINT64, &size, error))
    return FALSE;
  fs_device_record_add_backup (self, file, md5, date, size);
  return TRUE;
}

static gboolean
parse_vm_region (FsDeviceRecord  *self,
                 JsonObject      *item,
                 const char      *path,
                 GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *file = NULL;
  g_autofree char *md5 = NULL;
  guint64 address = 0;

  if (!get_string (item, path, "name", TRUE, &name, error) ||
      !get_uint (item, path, "address", TRUE, G_MAXUINT32, &address, error) ||
      !get_string (item, path, "path", TRUE, &file, error) ||
      !get_md5 (item, path, &md5, error))
    return FALSE;
  fs_device_record_add_vm_region (self, name, address, file, md5);
  return TRUE;
}

/* The object @name of @parent_object, or NULL (absent) with no error */
static JsonObject *
get_object (JsonObject  *parent_object,
            const char  *parent,
            const char  *name,
            gboolean    *ok,
            GError     **error)
{
  JsonNode *node = get_member (parent_object, parent, name, FALSE, error);

  *ok = TRUE;
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    *ok = fail (error, parent, name, _("should be an object ({…})"));
  return *ok ? json_node_get_object (node) : NULL;
}

/* "boot": {"state": "runs", "text": "…"}, absent when not checked */
static gboolean
get_boot (JsonObject    *item,
          const char    *path,
          FsDeviceBoot  *boot,
          GError       **error)
{
  g_autofree char *boot_path = path != NULL ? g_strdup_printf ("%s.boot", path) : g_strdup ("boot");
  gboolean ok;
  JsonObject *object = get_object (item, path, "boot", &ok, error);

  if (object == NULL)
    return ok;
  if (!get_string (object, boot_path, "state", TRUE, &boot->state, error) ||
      !get_string (object, boot_path, "text", FALSE, &boot->text, error))
    return FALSE;
  if (g_strcmp0 (boot->state, "runs") != 0 && g_strcmp0 (boot->state, "does-not-boot") != 0 &&
      g_strcmp0 (boot->state, "unknown") != 0)
    return fail (error, boot_path, "state", _("should be “runs”, “does-not-boot” or “unknown”"));
  return TRUE;
}

static gboolean
parse_upload (FsDeviceRecord  *self,
              JsonObject      *item,
              const char      *path,
              GError         **error)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *what = NULL;
  g_autofree char *result = NULL;
  FsDeviceBoot boot = { NULL, NULL };
  gboolean ok;

  if (!get_date (item, path, &date, error) ||
      !get_string (item, path, "what", TRUE, &what, error) ||
      !get_string (item, path, "result", TRUE, &result, error))
    return FALSE;
  ok = get_boot (item, path, &boot, error);
  if (ok)
    {
      fs_device_record_add_upload (self, date, what, result);
      if (boot.state != NULL)
        fs_device_record_set_upload_boot (self, &boot);
    }
  fs_device_boot_clear (&boot);
  return ok;
}

/* A record of before "firmware": a verified Virtualize in its history
 * left the VM set it holds on the board */
static void
guess_firmware (FsDeviceRecord *self)
{
  for (guint i = self->uploads->len; i > 0; i--)
    {
      const FsDeviceUpload *upload = g_ptr_array_index (self->uploads, i - 1);

      if (g_str_has_prefix (upload->what, "Virtualize: ") && g_strcmp0 (upload->result, "verified") == 0)
        {
          fs_device_record_set_firmware (self, FS_DEVICE_FIRMWARE_VM, self->layout, upload->date);
          return;
        }
    }
}

static gboolean
parse_firmware (FsDeviceRecord  *self,
                JsonObject      *root,
                GError         **error)
{
  g_autofree char *kind_name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *vm_id = NULL;
  g_autoptr(GDateTime) date = NULL;
  FsDeviceBoot boot = { NULL, NULL };
  FsDeviceFirmwareKind kind;
  gboolean ok;
  JsonObject *object = get_object (root, NULL, "firmware", &ok, error);

  if (object == NULL)
    return ok;
  if (!get_string (object, "firmware", "kind", TRUE, &kind_name, error) ||
      !get_string (object, "firmware", "title", FALSE, &title, error) ||
      !get_string (object, "firmware", "vm_id", FALSE, &vm_id, error) ||
      !get_date (object, "firmware", &date, error))
    return FALSE;
  if (!fs_device_firmware_kind_from_string (kind_name, &kind) || kind == FS_DEVICE_FIRMWARE_UNKNOWN)
    return fail (error, "firmware", "kind", _("should be “vm”, “erased” or “backup”"));
  ok = get_boot (object, "firmware", &boot, error);
  if (ok)
    {
      fs_device_record_set_firmware (self, kind, title, date);
      g_free (self->firmware.vm_id);
      self->firmware.vm_id = g_steal_pointer (&vm_id);
      if (boot.state != NULL)
        fs_device_record_set_firmware_boot (self, &boot);
    }
  fs_device_boot_clear (&boot);
  return ok;
}

static gboolean
parse_chip (FsDeviceRecord  *self,
            JsonObject      *root,
            GError         **error)
{
  g_auto(FsDeviceChip) chip = { 0 };
  guint64 revision = 0, crystal = 0, flash_size = 0, flash_id = 0;
  gboolean ok;
  JsonObject *object = get_object (root, NULL, "chip", &ok, error);

  if (object == NULL)
    return ok;
  if (!get_string (object, "chip", "name", TRUE, &chip.name, error) ||
      !get_string (object, "chip", "description", FALSE, &chip.description, error) ||
      !get_uint (object, "chip", "revision", FALSE, G_MAXUINT16, &revision, error) ||
      !get_uint (object, "chip", "crystal_mhz", FALSE, 1000, &crystal, error) ||
      !get_uint (object, "chip", "flash_size", FALSE, G_MAXINT64, &flash_size, error) ||
      !get_uint (object, "chip", "flash_id", FALSE, G_MAXUINT32, &flash_id, error) ||
      !get_bool (object, "chip", "flash_encryption", &chip.flash_encryption, error) ||
      !get_bool (object, "chip", "secure_boot", &chip.secure_boot, error))
    return FALSE;
  chip.revision = revision;
  chip.crystal_mhz = crystal;
  chip.flash_size = flash_size;
  chip.flash_id = flash_id;
  fs_device_record_set_chip (self, &chip);
  return TRUE;
}

static FsDeviceRecord *
parse_root (JsonObject  *root,
            GError     **error)
{
  g_autoptr(FsDeviceRecord) self = NULL;
  g_autofree char *mac = NULL;
  guint64 version = 0;

  if (!get_uint (root, NULL, "version", TRUE, G_MAXUINT32, &version, error))
    return NULL;
  if (version != RECORD_VERSION)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   _("version: %llu is not a version this Flash Studio reads (it reads %d); "
                     "a newer Flash Studio wrote it"), (unsigned long long) version, RECORD_VERSION);
      return NULL;
    }
  if (!get_string (root, NULL, "mac", TRUE, &mac, error))
    return NULL;
  if (!fs_device_mac_is_valid (mac))
    {
      fail (error, NULL, "mac", _("should be six lowercase hex pairs joined by “:”, such as “24:0a:c4:12:34:56”"));
      return NULL;
    }

  self = fs_device_record_new (mac);
  if (!get_string (root, NULL, "nickname", FALSE, &self->nickname, error) ||
      !get_string (root, NULL, "board", FALSE, &self->board_id, error) ||
      !get_string (root, NULL, "layout", FALSE, &self->layout, error) ||
      !get_string (root, NULL, "last_serial", FALSE, &self->last_serial, error) ||
      !parse_chip (self, root, error) ||
      !parse_list (self, root, "backups", parse_backup, error) ||
      !parse_list (self, root, "vm", parse_vm_region, error) ||
      !parse_list (self, root, "uploads", parse_upload, error) ||
      !parse_firmware (self, root, error))
    return NULL;
  if (!json_object_has_member (root, "firmware"))
    guess_firmware (self);
  return g_steal_pointer (&self);
}

static FsDeviceRecord *
parse_text (const char  *data,
            gsize        len,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  const char *invalid = NULL;
  JsonNode *root;

  if (!g_utf8_validate (data, len, &invalid))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("not UTF-8 text (byte %zu is not valid)"), (gsize) (invalid - data));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      const char *message = local_error->message;

      /* json-glib names its input "<data>": only the line and column help */
      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("not valid JSON: %s"), message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("the record is empty"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("the record should be a JSON object ({…})"));
      return NULL;
    }
  return parse_root (json_node_get_object (root), error);
}

FsDeviceRecord *
fs_device_record_new_from_data (const char  *data,
                                gsize        len,
                                const char  *origin,
                                GError     **error)
{
  FsDeviceRecord *self;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (origin != NULL, NULL);

  self = parse_text (data != NULL ? data : "", len, error);
  if (self == NULL)
    g_prefix_error (error, "%s: ", origin);
  return self;
}

/* Writing ---------------------------------------------------------------- */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_date (JsonBuilder *builder,
          GDateTime   *date)
{
  g_autofree char *text = g_date_time_format_iso8601 (date);

  add_string (builder, "date", text);
}

static void
add_chip (JsonBuilder        *builder,
          const FsDeviceChip *chip)
{
  json_builder_set_member_name (builder, "chip");
  json_builder_begin_object (builder);
  add_string (builder, "name", chip->name);
  add_string (builder, "description", chip->description);
  add_int (builder, "revision", chip->revision);
  add_int (builder, "crystal_mhz", chip->crystal_mhz);
  add_int (builder, "flash_size", chip->flash_size);
  add_int (builder, "flash_id", chip->flash_id);
  add_bool (builder, "flash_encryption", chip->flash_encryption);
  add_bool (builder, "secure_boot", chip->secure_boot);
  json_builder_end_object (builder);
}

static void
add_boot (JsonBuilder        *builder,
          const FsDeviceBoot *boot)
{
  if (boot->state == NULL)
    return;
  json_builder_set_member_name (builder, "boot");
  json_builder_begin_object (builder);
  add_string (builder, "state", boot->state);
  add_string (builder, "text", boot->text);
  json_builder_end_object (builder);
}

static void
add_firmware (JsonBuilder            *builder,
              const FsDeviceFirmware *firmware)
{
  if (firmware->kind == FS_DEVICE_FIRMWARE_UNKNOWN)
    return;
  json_builder_set_member_name (builder, "firmware");
  json_builder_begin_object (builder);
  add_string (builder, "kind", fs_device_firmware_kind_to_string (firmware->kind));
  add_string (builder, "title", firmware->title);
  add_string (builder, "vm_id", firmware->vm_id);
  add_date (builder, firmware->date);
  add_boot (builder, &firmware->boot);
  json_builder_end_object (builder);
}

static void
add_lists (JsonBuilder    *builder,
           FsDeviceRecord *self)
{
  json_builder_set_member_name (builder, "backups");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->backups->len; i++)
    {
      FsDeviceBackup *backup = g_ptr_array_index (self->backups, i);

      json_builder_begin_object (builder);
      add_string (builder, "path", backup->path);
      add_string (builder, "md5", backup->md5);
      add_date (builder, backup->date);
      add_int (builder, "size", backup->size);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "vm");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->vm_regions->len; i++)
    {
      FsDeviceVmRegion *region = g_ptr_array_index (self->vm_regions, i);

      json_builder_begin_object (builder);
      add_string (builder, "name", region->name);
      add_int (builder, "address", region->address);
      add_string (builder, "path", region->path);
      add_string (builder, "md5", region->md5);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "uploads");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->uploads->len; i++)
    {
      FsDeviceUpload *upload = g_ptr_array_index (self->uploads, i);

      json_builder_begin_object (builder);
      add_date (builder, upload->date);
      add_string (builder, "what", upload->what);
      add_string (builder, "result", upload->result);
      add_boot (builder, &upload->boot);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

char *
fs_device_record_to_data (FsDeviceRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);

  json_builder_begin_object (builder);
  add_int (builder, "version", RECORD_VERSION);
  add_string (builder, "mac", self->mac);
  add_string (builder, "nickname", self->nickname);
  add_string (builder, "board", self->board_id);
  add_string (builder, "layout", self->layout);
  add_string (builder, "last_serial", self->last_serial);
  if (self->chip.name != NULL)
    add_chip (builder, &self->chip);
  add_lists (builder, self);
  add_firmware (builder, &self->firmware);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

