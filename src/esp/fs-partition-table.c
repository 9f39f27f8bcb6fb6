/* fs-partition-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-partition-table.h"

#define FIRST_FREE_OFFSET   (FS_PARTITION_TABLE_OFFSET + FS_PARTITION_TABLE_SIZE)
#define APP_ALIGN           FS_FLASH_BLOCK_SIZE
#define DATA_ALIGN          FS_FLASH_SECTOR_SIZE
#define OTADATA_SIZE        0x2000u
#define MD5_DIGEST_LEN      16
#define MAX_ENTRIES(md5)    (FS_PARTITION_TABLE_MAX_LEN / FS_PARTITION_ENTRY_SIZE - ((md5) ? 2 : 1))

struct _FsPartitionTable {
  GObject  parent_instance;
  GArray  *partitions;        /* of FsPartition */
  gboolean has_md5;
};

G_DEFINE_TYPE (FsPartitionTable, fs_partition_table, G_TYPE_OBJECT)

static const struct { guint8 subtype; const char *name; } data_subtypes[] = {
  { FS_PARTITION_SUBTYPE_OTA, "ota" },
  { FS_PARTITION_SUBTYPE_PHY, "phy" },
  { FS_PARTITION_SUBTYPE_NVS, "nvs" },
  { FS_PARTITION_SUBTYPE_COREDUMP, "coredump" },
  { FS_PARTITION_SUBTYPE_NVS_KEYS, "nvs_keys" },
  { FS_PARTITION_SUBTYPE_EFUSE, "efuse" },
  { FS_PARTITION_SUBTYPE_UNDEFINED, "undefined" },
  { FS_PARTITION_SUBTYPE_ESPHTTPD, "esphttpd" },
  { FS_PARTITION_SUBTYPE_FAT, "fat" },
  { FS_PARTITION_SUBTYPE_SPIFFS, "spiffs" },
  { FS_PARTITION_SUBTYPE_LITTLEFS, "littlefs" },
};

static const char *const ota_slot_names[16] = {
  "ota_0", "ota_1", "ota_2", "ota_3", "ota_4", "ota_5", "ota_6", "ota_7",
  "ota_8", "ota_9", "ota_10", "ota_11", "ota_12", "ota_13", "ota_14", "ota_15",
};

static const struct { guint32 flag; const char *name; } flag_names[] = {
  { FS_PARTITION_FLAG_ENCRYPTED, "encrypted" },
  { FS_PARTITION_FLAG_READONLY, "readonly" },
};

static gboolean
is_ota_subtype (guint8 subtype)
{
  return subtype >= FS_PARTITION_SUBTYPE_OTA_0 &&
         subtype < FS_PARTITION_SUBTYPE_OTA_0 + G_N_ELEMENTS (ota_slot_names);
}

static gboolean
is_ota_slot (const FsPartition *partition)
{
  return partition->type == FS_PARTITION_TYPE_APP && is_ota_subtype (partition->subtype);
}

static gboolean
is_otadata (const FsPartition *partition)
{
  return partition->type == FS_PARTITION_TYPE_DATA &&
         partition->subtype == FS_PARTITION_SUBTYPE_OTA;
}

gboolean
fs_partition_equal (const FsPartition *a,
                    const FsPartition *b)
{
  return g_str_equal (a->label, b->label) &&
         a->type == b->type &&
         a->subtype == b->subtype &&
         a->offset == b->offset &&
         a->size == b->size &&
         a->flags == b->flags;
}

const char *
fs_partition_type_to_string (guint8 type)
{
  if (type == FS_PARTITION_TYPE_APP)
    return "app";
  if (type == FS_PARTITION_TYPE_DATA)
    return "data";
  return NULL;
}

const char *
fs_partition_subtype_to_string (guint8 type,
                                guint8 subtype)
{
  if (type == FS_PARTITION_TYPE_APP)
    {
      if (subtype == FS_PARTITION_SUBTYPE_FACTORY)
        return "factory";
      if (subtype == FS_PARTITION_SUBTYPE_TEST)
        return "test";
      if (is_ota_subtype (subtype))
        return ota_slot_names[subtype - FS_PARTITION_SUBTYPE_OTA_0];
      return NULL;
    }
  if (type == FS_PARTITION_TYPE_DATA)
    {
      for (guint i = 0; i < G_N_ELEMENTS (data_subtypes); i++)
        if (data_subtypes[i].subtype == subtype)
          return data_subtypes[i].name;
    }
  return NULL;
}

/* Decimal or 0x hex, as ESP-IDF's CSV files write type and subtype numbers */
static gboolean
parse_byte (const char *text,
            guint8     *out)
{
  guint64 value;
  gboolean ok;

  if (g_ascii_strncasecmp (text, "0x", 2) == 0)
    ok = g_ascii_string_to_unsigned (text + 2, 16, 0, G_MAXUINT8, &value, NULL);
  else
    ok = g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT8, &value, NULL);
  if (ok)
    *out = value;
  return ok;
}

gboolean
fs_partition_type_from_string (const char  *text,
                               guint8      *type,
                               GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i <= G_MAXUINT8; i++)
    {
      const char *name = fs_partition_type_to_string (i);

      if (name != NULL && g_ascii_strcasecmp (name, text) == 0)
        {
          *type = i;
          return TRUE;
        }
    }
  if (parse_byte (text, type))
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
               _("“%s” is not a partition type (app, data or a number up to 0xFF)"), text);
  return FALSE;
}

gboolean
fs_partition_subtype_from_string (guint8       type,
                                  const char  *text,
                                  guint8      *subtype,
                                  GError     **error)
{
  const char *type_name = fs_partition_type_to_string (type);
  g_autofree char *type_number = g_strdup_printf ("0x%02x", type);

  g_return_val_if_fail (text != NULL, FALSE);

  /* ESP-IDF reads an empty subtype as "undefined", except for apps, which
   * the bootloader would not know how to choose between */
  if (text[0] == '\0')
    {
      if (type == FS_PARTITION_TYPE_APP)
        {
          g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                               _("an app partition needs a subtype"));
          return FALSE;
        }
      *subtype = FS_PARTITION_SUBTYPE_UNDEFINED;
      return TRUE;
    }
  for (guint i = 0; i <= G_MAXUINT8; i++)
    {
      const char *name = fs_partition_subtype_to_string (type, i);

      if (name != NULL && g_ascii_strcasecmp (name, text) == 0)
        {
          *subtype = i;
          return TRUE;
        }
    }
  if (parse_byte (text, subtype))
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
               _("“%s” is not a subtype of the type “%s”"),
               text, type_name != NULL ? type_name : type_number);
  return FALSE;
}

static void
fs_partition_table_finalize (GObject *object)
{
  FsPartitionTable *self = FS_PARTITION_TABLE (object);

  g_array_unref (self->partitions);
  G_OBJECT_CLASS (fs_partition_table_parent_class)->finalize (object);
}

static void
fs_partition_table_class_init (FsPartitionTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_partition_table_finalize;
}

static void
fs_partition_table_init (FsPartitionTable *self)
{
  self->partitions = g_array_new (FALSE, TRUE, sizeof (FsPartition));
}

FsPartitionTable *
fs_partition_table_new (void)
{
  return g_object_new (FS_TYPE_PARTITION_TABLE, NULL);
}

static guint32
read_u32_le (const guint8 *data)
{
  guint32 value;

  memcpy (&value, data, sizeof (value));
  return GUINT32_FROM_LE (value);
}

static void
write_u32_le (guint8  *data,
              guint32  value)
{
  value = GUINT32_TO_LE (value);
  memcpy (data, &value, sizeof (value));
}

static guint16
entry_magic (const guint8 *entry)
{
  return entry[0] | (entry[1] << 8);
}

static void
compute_md5 (const guint8 *data,
             gsize         len,
             guint8        digest[MD5_DIGEST_LEN])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  gsize digest_len = MD5_DIGEST_LEN;

  g_checksum_update (checksum, data, len);
  g_checksum_get_digest (checksum, digest, &digest_len);
}

static gboolean
parse_entry (const guint8  *entry,
             guint          index,
             gsize          pos,
             FsPartition   *partition,
             GError       **error)
{
  const guint8 *label = entry + 12;
  gsize label_len = 0;

  if (entry_magic (entry) != FS_PARTITION_MAGIC)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("entry %u at 0x%03x starts with 0x%04x, which is neither a partition (0x50AA) nor the end of the table"),
                   index, (guint) pos, entry_magic (entry));
      return FALSE;
    }
  /* A label may use all 16 bytes, without a terminating NUL */
  while (label_len < FS_PARTITION_LABEL_MAX && label[label_len] != '\0')
    label_len++;
  if (!g_utf8_validate_len ((const char *) label, label_len, NULL))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("entry %u at 0x%03x has a name that is not valid UTF-8 text"),
                   index, (guint) pos);
      return FALSE;
    }
  memset (partition, 0, sizeof (*partition));
  partition->type = entry[2];
  partition->subtype = entry[3];
  partition->offset = read_u32_le (entry + 4);
  partition->size = read_u32_le (entry + 8);
  memcpy (partition->label, label, label_len);
  partition->flags = read_u32_le (entry + 28);
  return TRUE;
}

static gboolean
check_md5_entry (const guint8  *data,
                 guint          index,
                 gsize          pos,
                 GError       **error)
{
  guint8 digest[MD5_DIGEST_LEN];

  compute_md5 (data, pos, digest);
  if (memcmp (digest, data + pos + FS_PARTITION_ENTRY_SIZE - MD5_DIGEST_LEN, MD5_DIGEST_LEN) != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("entry %u at 0x%03x: the MD5 checksum does not match the entries before it"),
                   index, (guint) pos);
      return FALSE;
    }
  return TRUE;
}

FsPartitionTable *
fs_partition_table_new_from_binary (GBytes  *bytes,
                                    GError **error)
{
  g_autoptr(FsPartitionTable) self = NULL;
  const guint8 *data;
  gsize size = 0, len;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = fs_partition_table_new ();
  data = g_bytes_get_data (bytes, &size);
  /* What follows the table in its 4 KiB sector (a signature) is not ours */
  len = MIN (size, FS_PARTITION_TABLE_MAX_LEN);

  for (gsize pos = 0; pos < len; pos += FS_PARTITION_ENTRY_SIZE)
    {
      const guint8 *entry = data + pos;
      guint index = pos / FS_PARTITION_ENTRY_SIZE + 1;
      FsPartition partition;

      if (len - pos < FS_PARTITION_ENTRY_SIZE)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                       _("entry %u at 0x%03x is cut short: %u of %u bytes"),
                       index, (guint) pos, (guint) (len - pos), FS_PARTITION_ENTRY_SIZE);
          return NULL;
        }
      if (entry_magic (entry) == 0xFFFF)
        break;
      if (self->has_md5)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                       _("entry %u at 0x%03x follows the MD5 entry, which must be the last"),
                       index, (guint) pos);
          return NULL;
        }
      if (entry_magic (entry) == FS_PARTITION_MD5_MAGIC)
        {
          if (!check_md5_entry (data, index, pos, error))
            return NULL;
          self->has_md5 = TRUE;
          continue;
        }
      if (!parse_entry (entry, index, pos, &partition, error))
        return NULL;
      g_array_append_val (self->partitions, partition);
    }
  return g_steal_pointer (&self);
}

static guint64
align_up (guint64 value,
          guint64 align)
{
  return (value + align - 1) / align * align;
}

static gboolean
parse_u32_field (const char  *text,
                 guint32     *out,
                 GError     **error)
{
  guint64 value;

  if (!fs_parse_size (text, &value, error))
    return FALSE;
  if (value > G_MAXUINT32)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("“%s” is beyond the 4 GiB a partition table can address"), text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_flags (const char  *text,
             guint32     *flags,
             GError     **error)
{
  g_auto(GStrv) names = g_strsplit (text, ":", -1);

  *flags = 0;
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean known = FALSE;

      if (name[0] == '\0')
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (flag_names); j++)
        if (g_ascii_strcasecmp (name, flag_names[j].name) == 0)
          {
            *flags |= flag_names[j].flag;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                       _("“%s” is not a partition flag (encrypted, readonly)"), name);
          return FALSE;
        }
    }
  return TRUE;
}

/* @next_offset is where a partition without an offset would start: the end
 * of the one before, rounded up to this one's alignment. */
static gboolean
parse_csv_fields (char        **fields,
                  guint64      *next_offset,
                  FsPartition  *partition,
                  GError      **error)
{
  guint n_fields = g_strv_length (fields);

  if (n_fields != 5 && n_fields != 6)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u field instead of 5 or 6 (name, type, subtype, offset, size, flags)",
                                "%u fields instead of 5 or 6 (name, type, subtype, offset, size, flags)",
                                n_fields), n_fields);
      return FALSE;
    }
  for (guint i = 0; i < n_fields; i++)
    g_strstrip (fields[i]);

  memset (partition, 0, sizeof (*partition));
  if (strlen (fields[0]) > FS_PARTITION_LABEL_MAX)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the name “%s” is longer than %u bytes"), fields[0], FS_PARTITION_LABEL_MAX);
      return FALSE;
    }
  g_strlcpy (partition->label, fields[0], sizeof (partition->label));
  if (!fs_partition_type_from_string (fields[1], &partition->type, error) ||
      !fs_partition_subtype_from_string (partition->type, fields[2], &partition->subtype, error))
    return FALSE;
  if (fields[3][0] == '\0')
    {
      guint64 offset = align_up (*next_offset, partition->type == FS_PARTITION_TYPE_APP ? APP_ALIGN : DATA_ALIGN);

      if (offset > G_MAXUINT32)
        {
          g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                               _("no offset is given and the partitions before end beyond 4 GiB"));
          return FALSE;
        }
      partition->offset = offset;
    }
  else if (!parse_u32_field (fields[3], &partition->offset, error))
    return FALSE;
  if (!parse_u32_field (fields[4], &partition->size, error))
    return FALSE;
  if (n_fields == 6 && !parse_flags (fields[5], &partition->flags, error))
    return FALSE;
  *next_offset = (guint64) partition->offset + partition->size;
  return TRUE;
}

static guint
line_number_at (const char *text,
                const char *at)
{
  guint line = 1;

  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

FsPartitionTable *
fs_partition_table_new_from_csv (const char  *text,
                                 gsize        len,
                                 GError     **error)
{
  g_autoptr(FsPartitionTable) self = fs_partition_table_new ();
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  const char *invalid = NULL;
  guint64 next_offset = FIRST_FREE_OFFSET;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  /* Also refuses NUL bytes, which would silently end the text */
  if (len > 0 && !g_utf8_validate_len (text, len, &invalid))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("line %u is not valid UTF-8 text"), line_number_at (text, invalid));
      return NULL;
    }
  copy = len > 0 ? g_strndup (text, len) : g_strdup ("");
  lines = g_strsplit (g_str_has_prefix (copy, "\xEF\xBB\xBF") ? copy + 3 : copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      g_auto(GStrv) fields = NULL;
      FsPartition partition;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      fields = g_strsplit (line, ",", -1);
      if (!parse_csv_fields (fields, &next_offset, &partition, error))
        {
          g_prefix_error (error, _("line %u: "), i + 1);
          return NULL;
        }
      g_array_append_val (self->partitions, partition);
    }
  return g_steal_pointer (&self);
}

FsPartitionTable *
fs_partition_table_new_from_data (GBytes  *bytes,
                                  GError **error)
{
  const guint8 *data;
  gsize size = 0;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);

  /* An erased table (FF FF) or one with only the MD5 entry (EB EB) is a
   * binary too; neither can start UTF-8 text. */
  if (size >= 2 && (entry_magic (data) == FS_PARTITION_MAGIC ||
                    entry_magic (data) == FS_PARTITION_MD5_MAGIC ||
                    entry_magic (data) == 0xFFFF))
    return fs_partition_table_new_from_binary (bytes, error);
  return fs_partition_table_new_from_csv ((const char *) data, size, error);
}

void
fs_partition_table_add (FsPartitionTable  *self,
                        const FsPartition *partition)
{
  FsPartition copy;

  g_return_if_fail (FS_IS_PARTITION_TABLE (self));
  g_return_if_fail (partition != NULL);

  copy = *partition;
  copy.label[FS_PARTITION_LABEL_MAX] = '\0';
  g_array_append_val (self->partitions, copy);
}

guint
fs_partition_table_get_n_partitions (FsPartitionTable *self)
{
  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), 0);
  return self->partitions->len;
}

const FsPartition *
fs_partition_table_get_partition (FsPartitionTable *self,
                                  guint             index)
{
  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), NULL);
  g_return_val_if_fail (index < self->partitions->len, NULL);
  return &g_array_index (self->partitions, FsPartition, index);
}

const FsPartition *
fs_partition_table_find (FsPartitionTable *self,
                         const char       *label)
{
  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  for (guint i = 0; i < self->partitions->len; i++)
    {
      const FsPartition *partition = &g_array_index (self->partitions, FsPartition, i);

      if (g_strcmp0 (partition->label, label) == 0)
        return partition;
    }
  return NULL;
}

const FsPartition *
fs_partition_table_find_by_type (FsPartitionTable *self,
                                 guint8            type,
                                 guint8            subtype)
{
  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), NULL);

  for (guint i = 0; i < self->partitions->len; i++)
    {
      const FsPartition *partition = &g_array_index (self->partitions, FsPartition, i);

      if (partition->type == type && partition->subtype == subtype)
        return partition;
    }
  return NULL;
}

gboolean
fs_partition_table_equal (FsPartitionTable *a,
                          FsPartitionTable *b)
{
  guint n = fs_partition_table_get_n_partitions (a);

  g_return_val_if_fail (FS_IS_PARTITION_TABLE (a), FALSE);
  g_return_val_if_fail (FS_IS_PARTITION_TABLE (b), FALSE);

  if (n != fs_partition_table_get_n_partitions (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!fs_partition_equal (fs_partition_table_get_partition (a, i), fs_partition_table_get_partition (b, i)))
      return FALSE;
  return TRUE;
}

guint
fs_partition_table_get_n_ota_slots (FsPartitionTable *self)
{
  guint n = 0;

  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), 0);

  for (guint i = 0; i < self->partitions->len; i++)
    if (is_ota_slot (&g_array_index (self->partitions, FsPartition, i)))
      n++;
  return n;
}

gboolean
fs_partition_table_get_has_md5 (FsPartitionTable *self)
{
  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), FALSE);
  return self->has_md5;
}

static void
write_entry (guint8            *entry,
             const FsPartition *partition)
{
  entry[0] = FS_PARTITION_MAGIC & 0xFF;
  entry[1] = FS_PARTITION_MAGIC >> 8;
  entry[2] = partition->type;
  entry[3] = partition->subtype;
  write_u32_le (entry + 4, partition->offset);
  write_u32_le (entry + 8, partition->size);
  memset (entry + 12, 0, FS_PARTITION_LABEL_MAX);
  memcpy (entry + 12, partition->label, strnlen (partition->label, FS_PARTITION_LABEL_MAX));
  write_u32_le (entry + 28, partition->flags);
}

GBytes *
fs_partition_table_to_binary (FsPartitionTable  *self,
                              gboolean           with_md5,
                              GError           **error)
{
  g_autofree guint8 *data = NULL;
  gsize pos = 0;

  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), NULL);

  /* The end marker must fit too: the bootloader stops at it */
  if (self->partitions->len > MAX_ENTRIES (with_md5))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("the table has %u partitions, but only %u fit in 0x%x bytes"),
                   self->partitions->len, (guint) MAX_ENTRIES (with_md5), FS_PARTITION_TABLE_MAX_LEN);
      return NULL;
    }
  data = g_malloc (FS_PARTITION_TABLE_MAX_LEN);
  memset (data, 0xFF, FS_PARTITION_TABLE_MAX_LEN);
  for (guint i = 0; i < self->partitions->len; i++, pos += FS_PARTITION_ENTRY_SIZE)
    write_entry (data + pos, &g_array_index (self->partitions, FsPartition, i));
  if (with_md5)
    {
      data[pos] = FS_PARTITION_MD5_MAGIC & 0xFF;
      data[pos + 1] = FS_PARTITION_MD5_MAGIC >> 8;
      compute_md5 (data, pos, data + pos + FS_PARTITION_ENTRY_SIZE - MD5_DIGEST_LEN);
    }
  return g_bytes_new_take (g_steal_pointer (&data), FS_PARTITION_TABLE_MAX_LEN);
}

static char *
flags_to_string (guint32 flags)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (G_N_ELEMENTS (flag_names), NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (flags & flag_names[i].flag)
      g_ptr_array_add (names, (gpointer) flag_names[i].name);
  return g_strjoinv (":", (char **) names->pdata);
}

char *
fs_partition_table_to_csv (FsPartitionTable *self)
{
  GString *csv;

  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), NULL);

  csv = g_string_new ("# Name, Type, SubType, Offset, Size, Flags\n");
  for (guint i = 0; i < self->partitions->len; i++)
    {
      const FsPartition *partition = &g_array_index (self->partitions, FsPartition, i);
      const char *type = fs_partition_type_to_string (partition->type);
      const char *subtype = fs_partition_subtype_to_string (partition->type, partition->subtype);
      g_autofree char *flags = flags_to_string (partition->flags);

      g_string_append_printf (csv, "%s, ", partition->label);
      if (type != NULL)
        g_string_append_printf (csv, "%s, ", type);
      else
        g_string_append_printf (csv, "0x%02x, ", partition->type);
      if (subtype != NULL)
        g_string_append_printf (csv, "%s, ", subtype);
      else
        g_string_append_printf (csv, "0x%02x, ", partition->subtype);
      g_string_append_printf (csv, "0x%x, 0x%x", partition->offset, partition->size);
      if (flags[0] != '\0')
        g_string_append_printf (csv, ", %s", flags);
      g_string_append_c (csv, '\n');
    }
  return g_string_free (csv, FALSE);
}

static void
check_partition (const FsPartition *partition,
                 guint              index,
                 GPtrArray         *problems)
{
  if (partition->label[0] == '\0')
    g_ptr_array_add (problems, fs_problem_new (NULL,
                     _("Partition %u (at 0x%06x) has no name"), index + 1, partition->offset));
  if (partition->offset < FIRST_FREE_OFFSET)
    g_ptr_array_add (problems, fs_problem_new (partition->label,
                     _("“%s” starts at 0x%06x, over the bootloader and the partition table (partitions start at 0x%x or later)"),
                     partition->label, partition->offset, FIRST_FREE_OFFSET));
  /* 0x02–0x3F are reserved for ESP-IDF, 0xFF marks the end of the table */
  if (partition->type > FS_PARTITION_TYPE_DATA && (partition->type < 0x40 || partition->type == 0xFF))
    g_ptr_array_add (problems, fs_problem_new (partition->label,
                     _("“%s” has the type 0x%02x, which is reserved (use app, data or 0x40–0xFE)"),
                     partition->label, partition->type));
  if (partition->type == FS_PARTITION_TYPE_APP &&
      fs_partition_subtype_to_string (partition->type, partition->subtype) == NULL)
    g_ptr_array_add (problems, fs_problem_new (partition->label,
                     _("“%s” is an app with the subtype 0x%02x, which is not factory, ota_0–ota_15 or test"),
                     partition->label, partition->subtype));
  if (is_otadata (partition) && partition->size != OTADATA_SIZE)
    g_ptr_array_add (problems, fs_problem_new (partition->label,
                     _("“%s” is an otadata partition of 0x%x bytes, but otadata must be 0x%x bytes"),
                     partition->label, partition->size, OTADATA_SIZE));
}

static void
check_ota (FsPartitionTable *self,
           GPtrArray        *problems)
{
  const FsPartition *otadata = NULL;
  guint n_slots = fs_partition_table_get_n_ota_slots (self);

  for (guint i = 0; i < self->partitions->len; i++)
    {
      const FsPartition *partition = &g_array_index (self->partitions, FsPartition, i);

      if (!is_otadata (partition))
        continue;
      if (otadata == NULL)
        otadata = partition;
      else
        g_ptr_array_add (problems, fs_problem_new (partition->label,
                         _("“%s” is a second otadata partition after “%s”; a table can have only one"),
                         partition->label, otadata->label));
    }
  if (n_slots > 0 && otadata == NULL)
    g_ptr_array_add (problems, fs_problem_new (NULL,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The table has %u OTA app slot but no otadata partition to choose it",
                                  "The table has %u OTA app slots but no otadata partition to choose between them",
                                  n_slots), n_slots));
}

GPtrArray *
fs_partition_table_validate (FsPartitionTable *self,
                             guint64           flash_size)
{
  GPtrArray *problems;
  g_autofree FsRegionRef *regions = NULL;
  guint n;

  g_return_val_if_fail (FS_IS_PARTITION_TABLE (self), NULL);

  problems = fs_problems_new ();
  n = self->partitions->len;
  regions = g_new0 (FsRegionRef, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const FsPartition *partition = &g_array_index (self->partitions, FsPartition, i);

      regions[i].label = partition->label;
      regions[i].offset = partition->offset;
      regions[i].size = partition->size;
      regions[i].offset_align = partition->type == FS_PARTITION_TYPE_APP ? APP_ALIGN : DATA_ALIGN;
      regions[i].size_align = FS_FLASH_SECTOR_SIZE;
      check_partition (partition, i, problems);
    }
  fs_regions_check (regions, n, flash_size, problems);
  check_ota (self, problems);
  if (n > MAX_ENTRIES (TRUE))
    g_ptr_array_add (problems, fs_problem_new (NULL,
                     _("The table has %u partitions, but only %u fit in 0x%x bytes with the MD5 checksum"),
                     n, (guint) MAX_ENTRIES (TRUE), FS_PARTITION_TABLE_MAX_LEN));
  return problems;
}
