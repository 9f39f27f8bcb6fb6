/* fs-partition-table.h: ESP-IDF partition tables, binary and CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FS_PARTITION_TABLE_OFFSET   0x8000u
#define FS_PARTITION_TABLE_SIZE     0x1000u  /* the flash the table reserves */
#define FS_PARTITION_TABLE_MAX_LEN  0x0C00u  /* the binary the bootloader reads */
#define FS_PARTITION_ENTRY_SIZE     32
#define FS_PARTITION_MAGIC          0x50AA   /* bytes AA 50 */
#define FS_PARTITION_MD5_MAGIC      0xEBEB
#define FS_PARTITION_LABEL_MAX      16

#define FS_PARTITION_TYPE_APP       0x00
#define FS_PARTITION_TYPE_DATA      0x01

#define FS_PARTITION_SUBTYPE_FACTORY   0x00
#define FS_PARTITION_SUBTYPE_OTA_0     0x10  /* ota_0 … ota_15: 0x10 … 0x1F */
#define FS_PARTITION_SUBTYPE_TEST      0x20
#define FS_PARTITION_SUBTYPE_OTA       0x00  /* data: otadata */
#define FS_PARTITION_SUBTYPE_PHY       0x01
#define FS_PARTITION_SUBTYPE_NVS       0x02
#define FS_PARTITION_SUBTYPE_COREDUMP  0x03
#define FS_PARTITION_SUBTYPE_NVS_KEYS  0x04
#define FS_PARTITION_SUBTYPE_EFUSE     0x05
#define FS_PARTITION_SUBTYPE_UNDEFINED 0x06
#define FS_PARTITION_SUBTYPE_ESPHTTPD  0x80
#define FS_PARTITION_SUBTYPE_FAT       0x81
#define FS_PARTITION_SUBTYPE_SPIFFS    0x82
#define FS_PARTITION_SUBTYPE_LITTLEFS  0x83

#define FS_PARTITION_FLAG_ENCRYPTED 0x01
#define FS_PARTITION_FLAG_READONLY  0x02

typedef struct {
  char    label[FS_PARTITION_LABEL_MAX + 1];
  guint8  type;
  guint8  subtype;
  guint32 offset;
  guint32 size;
  guint32 flags;
} FsPartition;

/* Same label, type, subtype, offset, size and flags */
gboolean    fs_partition_equal             (const FsPartition *a,
                                            const FsPartition *b);
/* "app", "data", or NULL for a custom type */
const char *fs_partition_type_to_string    (guint8       type);
/* "factory", "ota_3", "nvs", "spiffs"…, or NULL when it has no name */
const char *fs_partition_subtype_to_string (guint8       type,
                                            guint8       subtype);
/* Names or numbers ("app", "0x40"), as in ESP-IDF's CSV files */
gboolean    fs_partition_type_from_string  (const char  *text,
                                            guint8      *type,
                                            GError     **error);
gboolean    fs_partition_subtype_from_string (guint8      type,
                                            const char  *text,
                                            guint8      *subtype,
                                            GError     **error);

#define FS_TYPE_PARTITION_TABLE (fs_partition_table_get_type ())
G_DECLARE_FINAL_TYPE (FsPartitionTable, fs_partition_table, FS, PARTITION_TABLE, GObject)

FsPartitionTable  *fs_partition_table_new             (void);
/* The binary table as at 0x8000: entries, then an optional MD5 entry, then
 * 0xFF. A wrong MD5 or magic is FS_ERROR_INVALID_DATA naming the entry. */
FsPartitionTable  *fs_partition_table_new_from_binary (GBytes            *bytes,
                                                       GError           **error);
/* ESP-IDF's CSV (name, type, subtype, offset, size, flags); blank offsets
 * are placed as ESP-IDF places them. Errors name the line. */
FsPartitionTable  *fs_partition_table_new_from_csv    (const char        *text,
                                                       gsize              len,
                                                       GError           **error);
/* Binary when it starts with the entry magic (or the MD5 entry's, or 0xFFFF
 * as an erased table does), CSV otherwise */
FsPartitionTable  *fs_partition_table_new_from_data   (GBytes            *bytes,
                                                       GError           **error);

void               fs_partition_table_add             (FsPartitionTable  *self,
                                                       const FsPartition *partition);
guint              fs_partition_table_get_n_partitions (FsPartitionTable *self);
const FsPartition *fs_partition_table_get_partition   (FsPartitionTable  *self,
                                                       guint              index);
const FsPartition *fs_partition_table_find            (FsPartitionTable  *self,
                                                       const char        *label);
/* The first partition of that type and subtype, or NULL */
const FsPartition *fs_partition_table_find_by_type    (FsPartitionTable  *self,
                                                       guint8             type,
                                                       guint8             subtype);
/* How many app partitions ota_0 … ota_15 it has */
guint              fs_partition_table_get_n_ota_slots (FsPartitionTable  *self);
/* Whether the binary it was read from had an MD5 entry */
gboolean           fs_partition_table_get_has_md5     (FsPartitionTable  *self);
/* The same partitions in the same order */
gboolean           fs_partition_table_equal           (FsPartitionTable  *a,
                                                       FsPartitionTable  *b);

/* FS_PARTITION_TABLE_MAX_LEN bytes; fails when the entries do not fit or a
 * label is too long. */
GBytes            *fs_partition_table_to_binary       (FsPartitionTable  *self,
                                                       gboolean           with_md5,
                                                       GError           **error);
char              *fs_partition_table_to_csv          (FsPartitionTable  *self);

/* One FsProblem per problem: alignment (app 64 KiB, data 4 KiB), overlap
 * (with each other and with the bootloader and the table itself), beyond
 * @flash_size (0: unknown), duplicate labels, bad types and subtypes, more
 * than one otadata, OTA slots without otadata, too many entries. */
GPtrArray         *fs_partition_table_validate        (FsPartitionTable  *self,
                                                       guint64            flash_size);

G_END_DECLS
