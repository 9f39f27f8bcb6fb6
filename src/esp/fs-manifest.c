/* fs-manifest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "fs-chip.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-manifest.h"

struct _FsManifest {
  GObject    parent_instance;

  char      *name;
  char      *version;
  gboolean   new_install_prompt_erase;
  GPtrArray *builds;     /* of FsManifestBuild */
};

G_DEFINE_FINAL_TYPE (FsManifest, fs_manifest, G_TYPE_OBJECT)

static void
part_free (FsManifestPart *part)
{
  g_free (part->path);
  g_free (part);
}

static void
build_free (FsManifestBuild *build)
{
  g_free (build->chip_family);
  g_ptr_array_unref (build->parts);
  g_free (build);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsManifestBuild, build_free)

static FsManifestBuild *
build_new (void)
{
  FsManifestBuild *build = g_new0 (FsManifestBuild, 1);

  build->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  return build;
}

static void
fs_manifest_finalize (GObject *object)
{
  FsManifest *self = FS_MANIFEST (object);

  g_free (self->name);
  g_free (self->version);
  g_ptr_array_unref (self->builds);

  G_OBJECT_CLASS (fs_manifest_parent_class)->finalize (object);
}

static void
fs_manifest_class_init (FsManifestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_manifest_finalize;
}

static void
fs_manifest_init (FsManifest *self)
{
  self->builds = g_ptr_array_new_with_free_func ((GDestroyNotify) build_free);
}

/* Every message starts with the JSON path of what it is about, such as
 * "builds[1].parts[0].offset", so that a user can find it in the file. */
static char *
member_path (const char *parent,
             const char *name)
{
  if (parent == NULL)
    return g_strdup (name);
  return g_strdup_printf ("%s.%s", parent, name);
}

/* The member @name of @object; NULL without an error when it is optional
 * and absent (or null), NULL with one when it is required. */
static JsonNode *
get_member (JsonObject  *object,
            const char  *parent,
            const char  *name,
            gboolean     required,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = NULL;

  if (node != NULL && (required || !JSON_NODE_HOLDS_NULL (node)))
    return node;
  if (!required)
    return NULL;
  path = member_path (parent, name);
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
               _("%s: required, but missing"), path);
  return NULL;
}

static gboolean
check_type (JsonNode    *node,
            GType        type,
            const char  *parent,
            const char  *name,
            GError     **error)
{
  g_autofree char *path = NULL;

  if (type == JSON_TYPE_ARRAY && JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type)
    return TRUE;

  path = member_path (parent, name);
  if (type == JSON_TYPE_ARRAY)
    g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                 _("%s: should be a list ([…])"), path);
  else if (type == G_TYPE_BOOLEAN)
    g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                 _("%s: should be true or false"), path);
  else
    g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                 _("%s: should be a string"), path);
  return FALSE;
}

/* A string member, which must not be empty when it is there */
static gboolean
get_string (JsonObject  *object,
            const char  *parent,
            const char  *name,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = get_member (object, parent, name, required, error);

  /* an error when required, otherwise simply absent */
  if (node == NULL)
    return !required;
  if (!check_type (node, G_TYPE_STRING, parent, name, error))
    return FALSE;
  if (json_node_get_string (node)[0] == '\0')
    {
      g_autofree char *path = member_path (parent, name);
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s: should not be empty"), path);
      return FALSE;
    }
  *out = json_node_dup_string (node);
  return TRUE;
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *parent,
           const char  *name,
           GError     **error)
{
  JsonNode *node = get_member (object, parent, name, TRUE, error);

  if (node == NULL || !check_type (node, JSON_TYPE_ARRAY, parent, name, error))
    return NULL;
  return json_node_get_array (node);
}

static JsonObject *
get_element_object (JsonArray   *array,
                    guint        index,
                    const char  *path,
                    GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s: should be an object ({…})"), path);
      return NULL;
    }
  return json_node_get_object (node);
}

static void
offset_from_number (JsonNode  *node,
                    guint32   *out,
                    char     **text,
                    char     **problem)
{
  gdouble value;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 integer = json_node_get_int (node);

      *text = g_strdup_printf ("%" G_GINT64_FORMAT, integer);
      if (integer < 0)
        *problem = g_strdup_printf (_("%s is negative"), *text);
      else if (integer > G_MAXUINT32)
        *problem = g_strdup_printf (_("%s is too large for a flash offset"), *text);
      else
        *out = integer;
      return;
    }

  /* JavaScript, which ESP Web Tools is written in, has no integers: 4096.0
   * is as good as 4096 there */
  value = json_node_get_double (node);
  *text = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
  g_ascii_dtostr (*text, G_ASCII_DTOSTR_BUF_SIZE, value);
  if (isnan (value))
    *problem = g_strdup_printf (_("%s is not a whole number"), *text);
  else if (value < 0)
    *problem = g_strdup_printf (_("%s is negative"), *text);
  else if (value > G_MAXUINT32)
    *problem = g_strdup_printf (_("%s is too large for a flash offset"), *text);
  else if ((gdouble) (guint32) value != value)
    *problem = g_strdup_printf (_("%s is not a whole number"), *text);
  else
    *out = value;
}

static void
offset_from_string (JsonNode  *node,
                    guint32   *out,
                    char     **text,
                    char     **problem)
{
  guint64 value = 0;

  *text = json_node_dup_string (node);
  if (!fs_parse_size (*text, &value, NULL))
    *problem = g_strdup_printf (_("“%s” is not an offset (examples: 65536, \"0x10000\")"), *text);
  else if (value > G_MAXUINT32)
    *problem = g_strdup_printf (_("%s is too large for a flash offset"), *text);
  else
    *out = value;
}

/* A part's offset, and as it was written (for messages) */
static gboolean
get_offset (JsonObject  *object,
            const char  *parent,
            guint32     *out,
            char       **text,
            GError     **error)
{
  JsonNode *node = get_member (object, parent, "offset", TRUE, error);
  g_autofree char *path = NULL;
  g_autofree char *problem = NULL;
  GType type;

  if (node == NULL)
    return FALSE;
  path = member_path (parent, "offset");
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    offset_from_number (node, out, text, &problem);
  else if (type == G_TYPE_STRING)
    offset_from_string (node, out, text, &problem);
  else
    problem = g_strdup (_("should be a number such as 65536 or a string such as \"0x10000\""));

  if (problem == NULL && *out % FS_FLASH_SECTOR_SIZE != 0)
    problem = g_strdup_printf (_("%s is not a multiple of %u"), *text, FS_FLASH_SECTOR_SIZE);
  if (problem != NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, "%s: %s", path, problem);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_download (const char *path)
{
  /* "//host/file" is a download too: the browser resolves it against the
   * manifest's address */
  return g_ascii_strncasecmp (path, "http:", 5) == 0 ||
         g_ascii_strncasecmp (path, "https:", 6) == 0 ||
         g_str_has_prefix (path, "//");
}

static FsManifestPart *
parse_part (JsonObject  *object,
            const char  *path,
            char       **offset_text,
            GError     **error)
{
  g_autofree char *part_path = NULL;
  FsManifestPart *part;
  guint32 offset = 0;

  if (!get_string (object, path, "path", TRUE, &part_path, error))
    return NULL;
  if (is_download (part_path))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s.path: “%s” is on the internet; Flash Studio works offline, "
                     "so download the file next to the manifest and give its name"),
                   path, part_path);
      return NULL;
    }
  if (!get_offset (object, path, &offset, offset_text, error))
    return NULL;

  part = g_new0 (FsManifestPart, 1);
  part->path = g_steal_pointer (&part_path);
  part->offset = offset;
  return part;
}

/* Two parts of a build at one offset: one would overwrite the other */
static gboolean
check_offset_unique (FsManifestBuild  *build,
                     const char       *build_path,
                     const char       *offset_text,
                     GError          **error)
{
  FsManifestPart *last = g_ptr_array_index (build->parts, build->parts->len - 1);

  for (guint i = 0; i + 1 < build->parts->len; i++)
    {
      FsManifestPart *other = g_ptr_array_index (build->parts, i);

      if (other->offset != last->offset)
        continue;
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s.parts[%u].offset: %s is also the offset of %s.parts[%u]"),
                   build_path, build->parts->len - 1, offset_text, build_path, i);
      return FALSE;
    }
  return TRUE;
}

static FsManifestBuild *
parse_build (JsonObject  *object,
             const char  *path,
             GError     **error)
{
  g_autoptr(FsManifestBuild) build = build_new ();
  JsonArray *parts;

  if (!get_string (object, path, "chipFamily", TRUE, &build->chip_family, error))
    return NULL;
  parts = get_array (object, path, "parts", error);
  if (parts == NULL)
    return NULL;
  if (json_array_get_length (parts) == 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("%s.parts: should list at least one part"), path);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      g_autofree char *part_path = g_strdup_printf ("%s.parts[%u]", path, i);
      g_autofree char *offset_text = NULL;
      JsonObject *part_object = get_element_object (parts, i, part_path, error);
      FsManifestPart *part;

      if (part_object == NULL)
        return NULL;
      part = parse_part (part_object, part_path, &offset_text, error);
      if (part == NULL)
        return NULL;
      g_ptr_array_add (build->parts, part);
      if (!check_offset_unique (build, path, offset_text, error))
        return NULL;
    }
  return g_steal_pointer (&build);
}

static gboolean
parse_root (FsManifest  *self,
            JsonObject  *root,
            GError     **error)
{
  JsonNode *node;
  JsonArray *builds;

  if (!get_string (root, NULL, "name", TRUE, &self->name, error))
    return FALSE;
  if (!get_string (root, NULL, "version", FALSE, &self->version, error))
    return FALSE;

  node = get_member (root, NULL, "new_install_prompt_erase", FALSE, NULL);
  if (node != NULL)
    {
      if (!check_type (node, G_TYPE_BOOLEAN, NULL, "new_install_prompt_erase", error))
        return FALSE;
      self->new_install_prompt_erase = json_node_get_boolean (node);
    }

  builds = get_array (root, NULL, "builds", error);
  if (builds == NULL)
    return FALSE;
  if (json_array_get_length (builds) == 0)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                           _("builds: should list at least one build"));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (builds); i++)
    {
      g_autofree char *path = g_strdup_printf ("builds[%u]", i);
      JsonObject *object = get_element_object (builds, i, path, error);
      FsManifestBuild *build;

      if (object == NULL)
        return FALSE;
      build = parse_build (object, path, error);
      if (build == NULL)
        return FALSE;
      g_ptr_array_add (self->builds, build);
    }
  return TRUE;
}

FsManifest *
fs_manifest_new_from_bytes (GBytes  *bytes,
                            GError **error)
{
  g_autoptr(FsManifest) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error_local = NULL;
  const char *data, *invalid = NULL;
  gsize len = 0;
  JsonNode *root;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                           _("the manifest is empty"));
      return NULL;
    }
  if (!g_utf8_validate (data, len, &invalid))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the manifest is not UTF-8 text (byte %zu is not valid)"),
                   (gsize) (invalid - data));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &error_local))
    {
      const char *message = error_local->message;

      /* json-glib names its input "<data>": only the line and column help */
      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the manifest is not valid JSON: %s"), message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                           _("the manifest is empty"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                           _("the manifest should be a JSON object ({…})"));
      return NULL;
    }

  self = g_object_new (FS_TYPE_MANIFEST, NULL);
  if (!parse_root (self, json_node_get_object (root), error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
fs_manifest_get_name (FsManifest *self)
{
  g_return_val_if_fail (FS_IS_MANIFEST (self), NULL);

  return self->name;
}

const char *
fs_manifest_get_version (FsManifest *self)
{
  g_return_val_if_fail (FS_IS_MANIFEST (self), NULL);

  return self->version;
}

gboolean
fs_manifest_get_new_install_prompt_erase (FsManifest *self)
{
  g_return_val_if_fail (FS_IS_MANIFEST (self), FALSE);

  return self->new_install_prompt_erase;
}

GPtrArray *
fs_manifest_get_builds (FsManifest *self)
{
  g_return_val_if_fail (FS_IS_MANIFEST (self), NULL);

  return self->builds;
}

static gboolean
chip_family_equal (const FsChipInfo *chip,
                   const char       *wanted,
                   const char       *family)
{
  /* A family Flash Studio does not know can still be asked for by name */
  if (chip == NULL)
    return g_ascii_strcasecmp (wanted, family) == 0;
  return fs_chip_lookup_by_name (family) == chip;
}

const FsManifestBuild *
fs_manifest_find_build (FsManifest *self,
                        const char *chip_family)
{
  const FsChipInfo *chip;

  g_return_val_if_fail (FS_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (chip_family != NULL, NULL);

  chip = fs_chip_lookup_by_name (chip_family);
  for (guint i = 0; i < self->builds->len; i++)
    {
      const FsManifestBuild *build = g_ptr_array_index (self->builds, i);

      if (chip_family_equal (chip, chip_family, build->chip_family))
        return build;
    }
  return NULL;
}
