/* fs-board-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-board-profile.h"
#include "fs-boards-resources.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-layout.h"

#define BOARDS_RESOURCE_PATH "/io/github/flashstudio/FlashStudio/boards/"
#define BOARD_SUFFIX ".board"
#define BRIDGE_GROUP_PREFIX "Bridge "
#define STEP_KEY_PREFIX "Step"
#define MAX_STEPS 99
#define MIN_BAUD 1200
#define MAX_BAUD 5000000
#define MIN_FLASH_SIZE (1024u * 1024u)
#define MAX_FLASH_SIZE (128u * 1024u * 1024u)

struct _FsBoardProfile
{
  GObject             parent_instance;

  char               *origin;
  char               *id;
  char               *name;
  char               *vendor;
  char               *vendor_url;
  FsChipId            chip;
  guint64             flash_size;
  guint               default_baud;
  guint               max_baud;
  FsBoardResetMethod  reset_method;
  GStrv               steps;
  char               *reset_prompt;
  char               *hold_note;
  char               *hold_button;
  GStrv               layouts;
  GPtrArray          *bridges;   /* of FsUsbBridge */
  GStrv               summary;
  GStrv               missing_features;
};

G_DEFINE_FINAL_TYPE (FsBoardProfile, fs_board_profile, G_TYPE_OBJECT)

static const char * const reset_methods[] = {
  [FS_BOARD_RESET_AUTO] = "auto",
  [FS_BOARD_RESET_MANUAL] = "manual",
};

const char *
fs_board_reset_method_to_string (FsBoardResetMethod method)
{
  g_return_val_if_fail (method < G_N_ELEMENTS (reset_methods), NULL);
  return reset_methods[method];
}

static void
fs_usb_bridge_free (FsUsbBridge *bridge)
{
  g_free (bridge->product);
  g_free (bridge->description);
  g_free (bridge);
}

static void
fs_board_profile_finalize (GObject *object)
{
  FsBoardProfile *self = FS_BOARD_PROFILE (object);

  g_free (self->origin);
  g_free (self->id);
  g_free (self->name);
  g_free (self->vendor);
  g_free (self->vendor_url);
  g_strfreev (self->steps);
  g_free (self->reset_prompt);
  g_free (self->hold_note);
  g_free (self->hold_button);
  g_strfreev (self->layouts);
  g_ptr_array_unref (self->bridges);
  g_strfreev (self->summary);
  g_strfreev (self->missing_features);

  G_OBJECT_CLASS (fs_board_profile_parent_class)->finalize (object);
}

static void
fs_board_profile_class_init (FsBoardProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_board_profile_finalize;
}

static void
fs_board_profile_init (FsBoardProfile *self)
{
  self->bridges = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_usb_bridge_free);
}

/* GKeyFile keeps no line numbers, so the parser finds them in the text:
 * every message points at the line of the key or group it is about. */
typedef struct {
  const char *origin;
  GKeyFile   *keyfile;
  GHashTable *lines;   /* "GROUP" or "GROUP\nKEY" → line number */
} Parser;

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->keyfile, g_key_file_unref);
  g_clear_pointer (&p->lines, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parser, parser_clear)

static void G_GNUC_PRINTF (4, 5)
set_error_at (GError     **error,
              Parser      *p,
              guint        line,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line == 0)
    g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, "%s: %s", p->origin, message);
  else
    g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, "%s:%u: %s", p->origin, line, message);
}

static guint
group_line (Parser     *p,
            const char *group)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (p->lines, group));
}

/* The key's own line, or its group's when the key is missing */
static guint
key_line (Parser     *p,
          const char *group,
          const char *key)
{
  g_autofree char *path = g_strconcat (group, "\n", key, NULL);
  guint line = GPOINTER_TO_UINT (g_hash_table_lookup (p->lines, path));

  return line != 0 ? line : group_line (p, group);
}

static guint
count_lines (const char *data,
             const char *end)
{
  guint line = 1;

  for (const char *c = data; c < end; c++)
    if (*c == '\n')
      line++;
  return line;
}

static gboolean
keyfile_accepts (const char *data,
                 gsize       len)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  return g_key_file_load_from_data (keyfile, data, len, G_KEY_FILE_NONE, NULL);
}

/* GKeyFile fails on a line without saying which; its errors are those of
 * single lines, so the shortest failing run of lines ends at the culprit. */
static guint
find_rejected_line (const char *data,
                    gsize       len)
{
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint low = 1, high;

  for (gsize i = 0; i < len; i++)
    {
      gsize end = i + 1;

      if (data[i] == '\n')
        g_array_append_val (ends, end);
    }
  if (ends->len == 0 || g_array_index (ends, gsize, ends->len - 1) != len)
    g_array_append_val (ends, len);

  high = ends->len;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (keyfile_accepts (data, g_array_index (ends, gsize, middle - 1)))
        low = middle + 1;
      else
        high = middle;
    }
  return keyfile_accepts (data, g_array_index (ends, gsize, low - 1)) ? 0 : low;
}

static gboolean
index_line (Parser      *p,
            const char  *text,
            guint        number,
            char       **group,
            GError     **error)
{
  if (*text == '\0' || *text == '#')
    return TRUE;

  if (*text == '[')
    {
      const char *close = strrchr (text, ']');

      g_free (*group);
      *group = g_strndup (text + 1, close - text - 1);
      if (g_hash_table_contains (p->lines, *group))
        {
          set_error_at (error, p, number, _("[%s] appears twice"), *group);
          return FALSE;
        }
      g_hash_table_insert (p->lines, g_strdup (*group), GUINT_TO_POINTER (number));
    }
  else
    {
      g_autofree char *key = g_strchomp (g_strndup (text, strcspn (text, "=")));
      char *path = g_strconcat (*group, "\n", key, NULL);

      if (g_hash_table_contains (p->lines, path))
        {
          set_error_at (error, p, number, _("“%s” appears twice in [%s]"), key, *group);
          g_free (path);
          return FALSE;
        }
      g_hash_table_insert (p->lines, path, GUINT_TO_POINTER (number));
    }
  return TRUE;
}

/* Runs on text GKeyFile accepted, so every line is blank, a comment, a
 * group or a key, and a key always follows a group. */
static gboolean
index_lines (Parser      *p,
             const char  *data,
             gsize        len,
             GError     **error)
{
  g_autofree char *group = NULL;
  const char *end = data + len;
  const char *line = data;

  for (guint number = 1; line < end; number++)
    {
      const char *eol = memchr (line, '\n', end - line);
      g_autofree char *text = g_strstrip (g_strndup (line, (eol != NULL ? eol : end) - line));

      if (!index_line (p, text, number, &group, error))
        return FALSE;
      line = eol != NULL ? eol + 1 : end;
    }
  return TRUE;
}

static gboolean
parser_load (Parser      *p,
             const char  *data,
             gsize        len,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *invalid = NULL;

  if (!g_utf8_validate_len (data, len, &invalid))
    {
      set_error_at (error, p, count_lines (data, invalid), _("the file is not UTF-8 text"));
      return FALSE;
    }
  if (!g_key_file_load_from_data (p->keyfile, data, len, G_KEY_FILE_NONE, &local_error))
    {
      set_error_at (error, p, find_rejected_line (data, len), "%s", local_error->message);
      return FALSE;
    }
  return index_lines (p, data, len, error);
}

static gboolean
check_known_keys (Parser             *p,
                  const char         *group,
                  const char * const *known,
                  gboolean          (*also_known) (const char *key),
                  GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (p->keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (g_strv_contains (known, keys[i]) || (also_known != NULL && also_known (keys[i])))
        continue;
      set_error_at (error, p, key_line (p, group, keys[i]), _("unknown key “%s” in [%s]"), keys[i], group);
      return FALSE;
    }
  return TRUE;
}

/* An absent optional key leaves *out NULL; a present one must not be empty */
static gboolean
get_string (Parser      *p,
            const char  *group,
            const char  *key,
            gboolean     required,
            char       **out,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;

  if (!g_key_file_has_key (p->keyfile, group, key, NULL))
    {
      if (required)
        set_error_at (error, p, group_line (p, group), _("[%s] has no “%s”"), group, key);
      return !required;
    }
  /* GLib returns the value even when it sets the error */
  value = g_key_file_get_string (p->keyfile, group, key, &local_error);
  if (local_error != NULL)
    {
      set_error_at (error, p, key_line (p, group, key), "%s: %s", key, local_error->message);
      return FALSE;
    }
  if (*g_strstrip (value) == '\0')
    {
      set_error_at (error, p, key_line (p, group, key), _("“%s” is empty"), key);
      return FALSE;
    }
  *out = g_steal_pointer (&value);
  return TRUE;
}

/* Items of a ";"-separated list, stripped, without empty ones */
static gboolean
get_list (Parser      *p,
          const char  *group,
          const char  *key,
          GStrv       *out,
          GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) items = NULL;

  if (g_key_file_has_key (p->keyfile, group, key, NULL))
    {
      items = g_key_file_get_string_list (p->keyfile, group, key, NULL, &local_error);
      if (local_error != NULL)
        {
          set_error_at (error, p, key_line (p, group, key), "%s: %s", key, local_error->message);
          return FALSE;
        }
    }
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    if (*g_strstrip (items[i]) != '\0')
      g_strv_builder_add (builder, items[i]);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_baud (Parser      *p,
            const char  *key,
            guint       *out,
            GError     **error)
{
  g_autofree char *text = NULL;
  guint64 value;

  if (!get_string (p, "Board", key, TRUE, &text, error))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, MIN_BAUD, MAX_BAUD, &value, NULL))
    {
      set_error_at (error, p, key_line (p, "Board", key),
                    _("%s “%s” is not a baud rate from %u to %u"), key, text, MIN_BAUD, MAX_BAUD);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_flash_size (FsBoardProfile  *self,
                  Parser          *p,
                  GError         **error)
{
  g_autofree char *text = NULL;

  if (!get_string (p, "Board", "FlashSize", TRUE, &text, error))
    return FALSE;
  if (!fs_parse_size (text, &self->flash_size, NULL) ||
      self->flash_size < MIN_FLASH_SIZE || self->flash_size > MAX_FLASH_SIZE ||
      (self->flash_size & (self->flash_size - 1)) != 0)
    {
      set_error_at (error, p, key_line (p, "Board", "FlashSize"),
                    _("FlashSize “%s” is not a flash size: 1, 2, 4, 8, 16, 32, 64 or 128 MiB"), text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_valid_id (const char *id)
{
  if (*id == '\0' || *id == '-' || strlen (id) > 64)
    return FALSE;
  for (const char *c = id; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_web_address (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
}

static gboolean
check_layouts (FsBoardProfile  *self,
               Parser          *p,
               GError         **error)
{
  guint line = key_line (p, "Board", "Layouts");

  for (guint i = 0; self->layouts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(FsLayout) layout = fs_layout_new_builtin (self->layouts[i], &local_error);

      if (layout == NULL)
        {
          set_error_at (error, p, line, "Layouts: %s", local_error->message);
          return FALSE;
        }
      if (fs_layout_get_flash_size (layout) > self->flash_size)
        {
          g_autofree char *needed = fs_format_size (fs_layout_get_flash_size (layout));
          g_autofree char *available = fs_format_size (self->flash_size);

          set_error_at (error, p, line, _("Layouts: “%s” needs %s of flash, the board has %s"),
                        self->layouts[i], needed, available);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_board (FsBoardProfile  *self,
             Parser          *p,
             GError         **error)
{
  static const char * const known_keys[] = {
    "Id", "Name", "Vendor", "VendorUrl", "Chip", "FlashSize", "DefaultBaud", "MaxBaud",
    "Layouts", "MissingFeatures", NULL
  };
  g_autofree char *chip = NULL;
  const FsChipInfo *chip_info;

  if (!g_key_file_has_group (p->keyfile, "Board"))
    {
      set_error_at (error, p, 0, _("the [Board] group is missing"));
      return FALSE;
    }
  if (!check_known_keys (p, "Board", known_keys, NULL, error) ||
      !get_string (p, "Board", "Id", TRUE, &self->id, error))
    return FALSE;
  if (!is_valid_id (self->id))
    {
      set_error_at (error, p, key_line (p, "Board", "Id"),
                    _("Id “%s” is not 1 to 64 lowercase letters, digits and “-”"), self->id);
      return FALSE;
    }
  if (!get_string (p, "Board", "Name", TRUE, &self->name, error) ||
      !get_string (p, "Board", "Vendor", TRUE, &self->vendor, error) ||
      !get_string (p, "Board", "VendorUrl", FALSE, &self->vendor_url, error))
    return FALSE;
  if (self->vendor_url != NULL && !is_web_address (self->vendor_url))
    {
      set_error_at (error, p, key_line (p, "Board", "VendorUrl"),
                    _("VendorUrl “%s” is not an http:// or https:// address"), self->vendor_url);
      return FALSE;
    }

  if (!get_string (p, "Board", "Chip", TRUE, &chip, error))
    return FALSE;
  chip_info = fs_chip_lookup_by_name (chip);
  if (chip_info == NULL)
    {
      set_error_at (error, p, key_line (p, "Board", "Chip"),
                    _("Chip “%s” is not a chip Flash Studio knows"), chip);
      return FALSE;
    }
  self->chip = chip_info->id;

  if (!parse_flash_size (self, p, error) ||
      !parse_baud (p, "DefaultBaud", &self->default_baud, error) ||
      !parse_baud (p, "MaxBaud", &self->max_baud, error))
    return FALSE;
  if (self->default_baud > self->max_baud)
    {
      set_error_at (error, p, key_line (p, "Board", "DefaultBaud"),
                    _("DefaultBaud %u is above MaxBaud %u"), self->default_baud, self->max_baud);
      return FALSE;
    }

  return get_list (p, "Board", "Layouts", &self->layouts, error) &&
         check_layouts (self, p, error) &&
         get_list (p, "Board", "MissingFeatures", &self->missing_features, error);
}

/* "Step1" to "Step99", without leading zeros; 0 if @key is none */
static guint
step_number (const char *key)
{
  guint64 number;

  if (!g_str_has_prefix (key, STEP_KEY_PREFIX))
    return 0;
  key += strlen (STEP_KEY_PREFIX);
  if (*key == '0' || !g_ascii_string_to_unsigned (key, 10, 1, MAX_STEPS, &number, NULL))
    return 0;
  return number;
}

static gboolean
is_step_key (const char *key)
{
  return step_number (key) != 0;
}

static gboolean
parse_steps (FsBoardProfile  *self,
             Parser          *p,
             GError         **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keys = g_key_file_get_keys (p->keyfile, "Reset", NULL, NULL);
  guint n_steps = 0;

  for (guint i = 0; keys[i] != NULL; i++)
    if (is_step_key (keys[i]))
      n_steps++;

  for (guint number = 1; number <= n_steps; number++)
    {
      g_autofree char *key = g_strdup_printf (STEP_KEY_PREFIX "%u", number);
      g_autofree char *step = NULL;

      if (!g_key_file_has_key (p->keyfile, "Reset", key, NULL))
        {
          set_error_at (error, p, group_line (p, "Reset"),
                        _("“%s” is missing: steps are numbered 1, 2, 3… without gaps"), key);
          return FALSE;
        }
      if (!get_string (p, "Reset", key, TRUE, &step, error))
        return FALSE;
      g_strv_builder_add (builder, step);
    }
  self->steps = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_reset (FsBoardProfile  *self,
             Parser          *p,
             GError         **error)
{
  static const char * const known_keys[] = { "Method", "Prompt", "HoldNote", "HoldButton", NULL };
  g_autofree char *method = NULL;

  if (!g_key_file_has_group (p->keyfile, "Reset"))
    {
      set_error_at (error, p, 0, _("the [Reset] group is missing"));
      return FALSE;
    }
  if (!check_known_keys (p, "Reset", known_keys, is_step_key, error) ||
      !get_string (p, "Reset", "Method", TRUE, &method, error))
    return FALSE;
  if (g_str_equal (method, "auto"))
    self->reset_method = FS_BOARD_RESET_AUTO;
  else if (g_str_equal (method, "manual"))
    self->reset_method = FS_BOARD_RESET_MANUAL;
  else
    {
      set_error_at (error, p, key_line (p, "Reset", "Method"),
                    _("Method “%s” is not “auto” or “manual”"), method);
      return FALSE;
    }

  if (!parse_steps (self, p, error) ||
      !get_string (p, "Reset", "Prompt", FALSE, &self->reset_prompt, error) ||
      !get_string (p, "Reset", "HoldNote", FALSE, &self->hold_note, error) ||
      !get_string (p, "Reset", "HoldButton", FALSE, &self->hold_button, error))
    return FALSE;
  if (self->hold_button != NULL && self->hold_note == NULL)
    {
      set_error_at (error, p, key_line (p, "Reset", "HoldButton"),
                    _("a HoldButton needs its HoldNote: what the user is told while a job runs"));
      return FALSE;
    }
  if (self->reset_method == FS_BOARD_RESET_MANUAL && self->steps[0] == NULL)
    {
      set_error_at (error, p, key_line (p, "Reset", "Method"),
                    _("a manual reset needs its steps: Step1=, Step2=…"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_hex16 (const char *text,
             gsize       len,
             guint16    *out)
{
  guint value = 0;

  if (len != 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isxdigit (text[i]))
        return FALSE;
      value = value << 4 | g_ascii_xdigit_value (text[i]);
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_usb_id (const char *text,
              guint16    *vid,
              guint16    *pid)
{
  const char *colon = strchr (text, ':');

  return colon != NULL &&
         parse_hex16 (text, colon - text, vid) &&
         parse_hex16 (colon + 1, strlen (colon + 1), pid);
}

static gboolean
parse_bridge (FsBoardProfile  *self,
              Parser          *p,
              const char      *group,
              GError         **error)
{
  static const char * const known_keys[] = { "UsbId", "Product", "Description", NULL };
  g_autofree char *usb_id = NULL;
  g_autofree char *product = NULL;
  g_autofree char *description = NULL;
  FsUsbBridge *bridge;
  guint16 vid, pid;

  if (group[strlen (BRIDGE_GROUP_PREFIX)] == '\0')
    {
      set_error_at (error, p, group_line (p, group), _("a bridge group needs a name: [Bridge NAME]"));
      return FALSE;
    }
  if (!check_known_keys (p, group, known_keys, NULL, error) ||
      !get_string (p, group, "UsbId", TRUE, &usb_id, error))
    return FALSE;
  if (!parse_usb_id (usb_id, &vid, &pid))
    {
      set_error_at (error, p, key_line (p, group, "UsbId"), _("UsbId “%s” is not VID:PID in hex"), usb_id);
      return FALSE;
    }
  if (!get_string (p, group, "Product", FALSE, &product, error) ||
      !get_string (p, group, "Description", TRUE, &description, error))
    return FALSE;

  bridge = g_new0 (FsUsbBridge, 1);
  bridge->vid = vid;
  bridge->pid = pid;
  bridge->product = g_steal_pointer (&product);
  bridge->description = g_steal_pointer (&description);
  g_ptr_array_add (self->bridges, bridge);
  return TRUE;
}

/* The keys are the labels of the seeds' lists: "Flash Memory=8 MB" */
static gboolean
parse_summary (FsBoardProfile  *self,
               Parser          *p,
               GError         **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keys = g_key_file_get_keys (p->keyfile, "Summary", NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *line = NULL;

      if (!get_string (p, "Summary", keys[i], TRUE, &value, error))
        return FALSE;
      line = g_strdup_printf ("%s: %s", keys[i], value);
      g_strv_builder_add (builder, line);
    }
  self->summary = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_groups (FsBoardProfile  *self,
              Parser          *p,
              GError         **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (p->keyfile, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];

      if (g_str_equal (group, "Board") || g_str_equal (group, "Reset") || g_str_equal (group, "Summary"))
        continue;
      if (!g_str_has_prefix (group, BRIDGE_GROUP_PREFIX))
        {
          set_error_at (error, p, group_line (p, group),
                        _("unknown group [%s]; the groups are [Board], [Reset], [Bridge NAME] and [Summary]"),
                        group);
          return FALSE;
        }
      if (!parse_bridge (self, p, group, error))
        return FALSE;
    }
  return TRUE;
}

FsBoardProfile *
fs_board_profile_new_from_data (const char  *data,
                                gsize        len,
                                const char  *origin,
                                GError     **error)
{
  g_autoptr(FsBoardProfile) self = g_object_new (FS_TYPE_BOARD_PROFILE, NULL);
  g_auto(Parser) p = {
    .origin = origin,
    .keyfile = g_key_file_new (),
    .lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (origin != NULL, NULL);

  self->origin = g_strdup (origin);
  if (!parser_load (&p, data != NULL ? data : "", len, error) ||
      !parse_board (self, &p, error) ||
      !parse_reset (self, &p, error) ||
      !parse_groups (self, &p, error) ||
      !parse_summary (self, &p, error))
    return NULL;
  return g_steal_pointer (&self);
}

FsBoardProfile *
fs_board_profile_new_builtin (const char  *id,
                              GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (id != NULL, NULL);

  path = g_strconcat (BOARDS_RESOURCE_PATH, id, BOARD_SUFFIX, NULL);
  origin = g_strconcat (id, BOARD_SUFFIX, NULL);
  bytes = g_resource_lookup_data (fs_boards_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("there is no board profile named “%s”"), id);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &len);
  return fs_board_profile_new_from_data (data, len, origin, error);
}

GStrv
fs_board_profile_list_builtin (void)
{
  g_auto(GStrv) children = g_resource_enumerate_children (fs_boards_get_resource (), BOARDS_RESOURCE_PATH,
                                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      g_autofree char *id = NULL;

      if (!g_str_has_suffix (children[i], BOARD_SUFFIX))
        continue;
      id = g_strndup (children[i], strlen (children[i]) - strlen (BOARD_SUFFIX));
      g_strv_builder_add (ids, id);
    }
  return g_strv_builder_end (ids);
}

const char *
fs_board_profile_get_origin (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->origin;
}

const char *
fs_board_profile_get_id (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->id;
}

const char *
fs_board_profile_get_name (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->name;
}

const char *
fs_board_profile_get_vendor (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->vendor;
}

const char *
fs_board_profile_get_vendor_url (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->vendor_url;
}

FsChipId
fs_board_profile_get_chip (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), FS_CHIP_UNKNOWN);
  return self->chip;
}

guint64
fs_board_profile_get_flash_size (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), 0);
  return self->flash_size;
}

guint
fs_board_profile_get_default_baud (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), 0);
  return self->default_baud;
}

guint
fs_board_profile_get_max_baud (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), 0);
  return self->max_baud;
}

FsBoardResetMethod
fs_board_profile_get_reset_method (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), FS_BOARD_RESET_MANUAL);
  return self->reset_method;
}

const char * const *
fs_board_profile_get_steps (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return (const char * const *) self->steps;
}

const char *
fs_board_profile_get_reset_prompt (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->reset_prompt;
}

const char *
fs_board_profile_get_hold_note (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->hold_note;
}

const char *
fs_board_profile_get_hold_button (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return self->hold_button;
}

const char * const *
fs_board_profile_get_layouts (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return (const char * const *) self->layouts;
}

guint
fs_board_profile_get_n_bridges (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), 0);
  return self->bridges->len;
}

const FsUsbBridge *
fs_board_profile_get_bridge (FsBoardProfile *self,
                             guint           index)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  g_return_val_if_fail (index < self->bridges->len, NULL);
  return g_ptr_array_index (self->bridges, index);
}

const char * const *
fs_board_profile_get_summary (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return (const char * const *) self->summary;
}

const char * const *
fs_board_profile_get_missing_features (FsBoardProfile *self)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), NULL);
  return (const char * const *) self->missing_features;
}

gboolean
fs_board_profile_matches_usb (FsBoardProfile *self,
                              guint16         vid,
                              guint16         pid,
                              const char     *product)
{
  g_return_val_if_fail (FS_IS_BOARD_PROFILE (self), FALSE);

  for (guint i = 0; i < self->bridges->len; i++)
    {
      const FsUsbBridge *bridge = g_ptr_array_index (self->bridges, i);

      if (bridge->vid != vid || bridge->pid != pid)
        continue;
      if (bridge->product == NULL || product == NULL || g_str_equal (bridge->product, product))
        return TRUE;
    }
  return FALSE;
}
